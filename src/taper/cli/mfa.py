"""`taper resetmfa EMAIL`: remove an account's second factor (a lost phone, no recovery codes).

Check who is asking first, as carefully as when the account was made (ASVS 5.0 V6.4.4): the
person sets up a new app at their next login.
"""

from __future__ import annotations

import argparse
import sys

from taper.cli.errors import UsageError


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email", help="the account whose authenticator app and recovery codes go")


def run(args: argparse.Namespace) -> int:
    from taper.cli.web import setup_django

    setup_django()
    from taper.web.accounts import services
    from taper.web.clinic.models import User

    user = User.objects.filter(email__iexact=args.email.strip()).first()
    if user is None:
        raise UsageError(f"EMAIL: no account with the address {args.email!r}")
    removed = services.reset_second_factor(user=user)
    print(f"Two-step login reset for {user.email}: {removed} device(s) removed. They set up a "
          "new app at their next login." if removed else
          f"{user.email} had no second factor; nothing changed.", file=sys.stderr)
    return 0
