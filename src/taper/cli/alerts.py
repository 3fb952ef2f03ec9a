"""`taper sendalerts`: raise missed check-ins and overdue acknowledgements, e-mail every alert
not yet sent. For cron or a systemd timer; safe to run often and on two machines at once.
"""

from __future__ import annotations

import argparse


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("Idempotent: each event is raised and e-mailed once however often it runs. "
                     "Exit 0 even when an e-mail fails (it is retried on the next run).")


def run(args: argparse.Namespace) -> int:
    from taper.cli.web import setup_django

    setup_django()
    from taper.web.clinic.services.alerts import send_due_alerts

    print(send_due_alerts().line())
    return 0
