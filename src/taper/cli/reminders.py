"""`taper sendreminders`: e-mail patients the reminders due now (a check-in not done by their
chosen time, a new medicine strength needed soon), each once. For cron or a systemd timer
every few minutes; safe to run often and on two machines at once.
"""

from __future__ import annotations

import argparse


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("Idempotent: each reminder is e-mailed once however often it runs. "
                     "Exit 0 even when an e-mail fails (it is retried on the next run).")


def run(args: argparse.Namespace) -> int:
    from taper.cli.web import setup_django

    setup_django()
    from taper.web.reminders.sending import send_due_reminders

    print(send_due_reminders().line())
    return 0
