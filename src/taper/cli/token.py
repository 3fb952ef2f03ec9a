"""`taper token EMAIL [--name NAME]`: a personal API token, printed once (only its hash is kept)."""

from __future__ import annotations

import argparse
import sys

from taper.cli.errors import UsageError


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email", help="the account the token acts as")
    parser.add_argument("--name", default="command line",
                        help="what the token is for, shown on the account page")


def run(args: argparse.Namespace) -> int:
    from taper.cli.web import setup_django

    setup_django()
    from taper.web.clinic import services
    from taper.web.clinic.models import User

    user = User.objects.filter(email__iexact=args.email.strip()).first()
    if user is None:
        raise UsageError(f"EMAIL: no account with the address {args.email!r}")
    try:
        _, secret = services.create_api_token(user=user, name=args.name, actor=None)
    except services.ServiceError as exc:
        raise UsageError(f"--{exc.field}: {exc.message}" if exc.field == "name" else
                         f"EMAIL: {exc.message}") from None
    print(secret)
    print(f"API token for {user.email} ({args.name.strip()}). It is shown only now; "
          "send it as 'Authorization: Bearer <token>'.", file=sys.stderr)
    return 0
