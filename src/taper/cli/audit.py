"""`taper audit verify`: recompute the audit trail's hash chain, row by row.

Exit 0 when every row links to the one before and the last is the chain's head; exit 1
naming the first row that does not (edited, removed or inserted in the database).
"""

from __future__ import annotations

import argparse
import os
import re

from taper.cli.errors import UsageError

HEAD = re.compile(r"(\d+):([0-9a-f]{64})")


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["verify"], help="verify: check the whole chain")
    parser.add_argument("--head", metavar="SEQ:SHA256",
                        help="a head printed by an earlier run, kept elsewhere: it must still be"
                             " in the chain (shows a rewritten tail)")
    parser.epilog = "Exit 0: intact. Exit 1: broken, naming the first broken row. Read-only."


def _head(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    found = HEAD.fullmatch(text.strip())
    if found is None:
        raise UsageError(f"--head: expected SEQ:SHA256 as printed by `taper audit verify`, got {text!r}")
    return int(found.group(1)), found.group(2)


def run(args: argparse.Namespace) -> int:
    expected = _head(args.head)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taper.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        django.setup()  # no migrate: verifying reads, and may run as the read-only app role
        from taper.web.clinic.audit.chain import verify

        verdict = verify(expected)
    except ImproperlyConfigured as exc:
        raise UsageError(str(exc)) from None
    except DatabaseError as exc:
        raise UsageError(f"database: {str(exc).strip().splitlines()[0]}") from None
    if not verdict.intact:
        print(f"audit trail BROKEN after {verdict.rows - 1} intact rows: {verdict.broken}")
        return 1
    print(f"audit trail intact: {verdict.rows} rows; head {verdict.head_seq}:{verdict.head_hash}")
    return 0
