"""Read the documents the CLI is given: JSON (numbers kept exact), TOML, or `-` for stdin."""

from __future__ import annotations

import json
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from taper.cli.errors import UsageError


def read_text(path: str, what: str) -> tuple[str, str]:
    """The text of a file (or stdin for "-") and a name for messages."""
    if path == "-":
        return sys.stdin.read(), "standard input"
    try:
        return Path(path).read_text("utf-8"), path
    except FileNotFoundError:
        raise UsageError(f"{what}: no such file {path!r}") from None
    except IsADirectoryError:
        raise UsageError(f"{what}: {path!r} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{what}: {path!r} is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{what}: cannot read {path!r} ({exc.strerror})") from None


def read_document(path: str, what: str = "REQUEST") -> Any:
    """A JSON or TOML document; malformed input is a UsageError naming line and column."""
    text, name = read_text(path, what)
    if path.endswith(".toml"):
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"{what}: {name} is not valid TOML ({exc})") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{what}: {name} is not valid JSON ({exc.msg} at line {exc.lineno}, "
            f"column {exc.colno})") from None


def write_output(data: str | bytes, output: str | None) -> None:
    """Write to a file (-o) or standard output."""
    if output is None or output == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    try:
        Path(output).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"--output: cannot write {output!r} ({exc.strerror})") from None
