"""Read the documents the CLI is given: JSON (numbers kept exact), TOML, or `-` for stdin."""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from taper.cli.errors import UsageError

if TYPE_CHECKING:
    from taper.core.plan import Plan
    from taper.core.request import PlanRequest


def read_text(path: str, what: str) -> tuple[str, str]:
    """The text of a file (or stdin for "-") and a name for messages."""
    if path == "-":
        return sys.stdin.read(), "standard input"
    try:
        with open(path, encoding="utf-8") as file:  # not pathlib: start-up time (issue 17)
            return file.read(), path
    except FileNotFoundError:
        raise UsageError(f"{what}: cannot read {path!r}: no such file") from None
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
        import tomllib

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
        with open(output, "wb") as file:
            file.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"--output: cannot write {output!r} ({exc.strerror})") from None


class LoadedPlan(NamedTuple):
    """A plan, and the request it was planned from (None when a plan JSON was given).
    A named tuple: a frozen dataclass costs a millisecond of `taper plan`'s start (issue 17)."""

    plan: Plan
    request: PlanRequest | None


def load_plan(path: str, what: str = "REQUEST", today: date | None = None) -> LoadedPlan:
    """A planning request (planned here) or a plan JSON with "steps"; UsageError if bad."""
    from taper.contract.errors import ContractError
    from taper.contract.plan_json import plan_from_json
    from taper.contract.request import parse_plan_request
    from taper.core.planner import PlanError, make_plan

    data = read_document(path, what)
    if not isinstance(data, dict):
        raise UsageError(f"{what}: must be a JSON object (a planning request or a plan)")
    try:
        if "steps" in data and "strategy" not in data:
            return LoadedPlan(plan_from_json(data), None)
        request = parse_plan_request(data, today=today)
        return LoadedPlan(make_plan(request), request)
    except (ContractError, PlanError) as exc:
        raise UsageError(str(exc)) from None
