"""Small composable readers of JSON values, each naming the field it refuses (ADR 0021).

A reader takes (value, loc) and returns the value read or raises ContractError naming the
field ("products[1].divisible_into: must be 1, 2 or 4"). `taper.contract.request` builds the
planning request from them; the value readers (`read_number`, `read_clock`, `read_day`,
`read_text`) are shared with the pydantic schema, so the two cannot read a number or a date
differently. Numbers are read as text, never through a float, and become exact Decimals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, time
from decimal import Decimal
from typing import Any

from taper.contract.errors import ContractError
from taper.core import limits
from taper.core.limits import OutOfBounds, bounded_decimal

# ---- value readers: shared with the pydantic schema (request_schema.py) -----------------

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def read_number(value: Any, low: Decimal, high: Decimal) -> Decimal:
    """A number read as text (never a float) within [low, high]; ValueError says the range."""
    if isinstance(value, float):
        value = repr(value)  # shortest text that round-trips: 0.1 stays 0.1
    try:
        return bounded_decimal(value, low, high)
    except OutOfBounds as exc:
        raise ValueError(str(exc)) from None


def read_text(value: str) -> str:
    if limits.has_nul(value):
        raise ValueError("must not contain a NUL character")
    return value


def read_clock(value: Any) -> time:
    if isinstance(value, str) and (m := _TIME.match(value.strip())):
        return time(int(m.group(1)), int(m.group(2)))
    raise ValueError('must be a time of day as "HH:MM" (00:00 to 23:59)')


def read_day(value: Any) -> date:
    window = f"from {limits.EARLIEST_DATE} to {limits.LATEST_START}"
    if not isinstance(value, str):
        raise ValueError(f'must be a date as "YYYY-MM-DD", {window}')
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f'must be a date as "YYYY-MM-DD", {window}') from None
    if not limits.EARLIEST_DATE <= day <= limits.LATEST_START:
        raise ValueError(f"must be a date {window}")
    return day


# ---- the shape: each reader takes (value, where) and returns the value or raises ----------

Loc = tuple[str | int, ...]
Reader = Callable[[Any, Loc], Any]
RecordReader = Callable[[Any, Loc], dict[str, Any]]
REQUIRED = object()


def where(loc: Loc) -> str:
    """("products", 1, "id") -> "products[1].id"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def bad(loc: Loc, message: str) -> ContractError:
    return ContractError(where(loc), message)


def _words(options: tuple[object, ...]) -> str:
    names = [str(o) for o in options]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def text(min_chars: int, max_chars: int) -> Reader:
    def read(value: Any, loc: Loc) -> str:
        if not isinstance(value, str):
            raise bad(loc, "must be a string")
        if len(value) < min_chars:
            raise bad(loc, f"must be at least {min_chars} characters (a written reason)")
        if len(value) > max_chars:
            raise bad(loc, f"must be at most {max_chars} characters")
        try:
            return read_text(value)
        except ValueError as exc:
            raise bad(loc, str(exc)) from None
    return read


def number(low: Decimal, high: Decimal, gt: int | None = None, lt: int | None = None) -> Reader:
    def read(value: Any, loc: Loc) -> Decimal:
        try:
            result = read_number(value, low, high)
        except ValueError as exc:
            raise bad(loc, str(exc)) from None
        if gt is not None and not result > gt:
            raise bad(loc, f"must be greater than {gt}")
        if lt is not None and not result < lt:
            raise bad(loc, f"must be less than {lt}")
        return result
    return read


# Whole numbers as pydantic reads them in its lax mode: "+03", "1_0" and "3.00" are 3, 10, 3.
_WHOLE = re.compile(r"([+-]?)0*([0-9](?:_?[0-9])*)(?:\.0+)?", re.ASCII)
_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
         "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # Unicode White_Space, as pydantic trims
_WHOLE_NUMBER = "must be a whole number"  # NaN and infinity too: Taper's words, not pydantic's
_MAX_DIGITS = 4300  # Python's own limit on reading an int from text


def _whole(value: Any, loc: Loc) -> int | Decimal:
    """An int, or an integral Decimal too big to be worth turning into one (an infinite one
    for text of more digits than Python reads): the bounds then refuse it in their words."""
    if isinstance(value, int):
        return int(value)  # True is 1, as pydantic reads it
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise bad(loc, _WHOLE_NUMBER)
        if not value.is_integer():
            raise bad(loc, _WHOLE_NUMBER)
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise bad(loc, _WHOLE_NUMBER)
        if value != value.to_integral_value():
            raise bad(loc, _WHOLE_NUMBER)
        return value if abs(value.adjusted()) > 18 else int(value)
    if isinstance(value, str):
        m = _WHOLE.fullmatch(value.strip(_SPACE))
        if m is None:
            raise bad(loc, _WHOLE_NUMBER)
        digits = m.group(2).replace("_", "")
        if len(digits) > _MAX_DIGITS:
            return Decimal(f"{m.group(1)}Infinity")  # beyond any bound, without the integer
        return int(m.group(1) + digits)
    raise bad(loc, _WHOLE_NUMBER)


def whole(ge: int, le: int) -> Reader:
    def read(value: Any, loc: Loc) -> int:
        result = _whole(value, loc)
        if not result >= ge:
            raise bad(loc, f"must be at least {ge}")
        if not result <= le:
            raise bad(loc, f"must be at most {le}")
        return int(result)
    return read


def one_of(*options: str | int) -> Reader:
    """A literal: text exactly, a number by value (pydantic takes True and 2.0 for 1 and 2)."""
    message = f"must be {_words(options)}"

    def read(value: Any, loc: Loc) -> str | int:
        key = _literal_key(value)
        for option in options:
            if isinstance(option, str) == isinstance(key, str) and option == key:
                return option
        raise bad(loc, message)
    return read


def _literal_key(value: Any) -> object:
    """What a literal is compared by: 2.0 and Decimal("2") are 2; 2.5 matches nothing."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value() or value.adjusted() > 18:
            return None
        return int(value)
    return value


def clock(value: Any, loc: Loc) -> time:
    try:
        return read_clock(value)
    except ValueError as exc:
        raise bad(loc, str(exc)) from None


def day(value: Any, loc: Loc) -> date:
    try:
        return read_day(value)
    except ValueError as exc:
        raise bad(loc, str(exc)) from None


def optional(reader: Reader) -> Reader:
    def read(value: Any, loc: Loc) -> Any:
        return None if value is None else reader(value, loc)
    return read


def listed(reader: Reader, max_items: int, min_items: int = 0) -> Reader:
    def read(value: Any, loc: Loc) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise bad(loc, "must be a list")
        if len(value) > max_items:
            raise bad(loc, f"must have at most {max_items} items")
        items = [reader(item, (*loc, i)) for i, item in enumerate(value)]
        if len(items) < min_items:
            raise bad(loc, "must not be empty")
        return items
    return read


def record(**fields: tuple[Reader, Any]) -> RecordReader:
    """An object with these fields, in this order (default REQUIRED), and no others."""
    def read(value: Any, loc: Loc) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise bad(loc, "must be a JSON object")
        result: dict[str, Any] = {}
        for name, (reader, default) in fields.items():
            if name in value:
                result[name] = reader(value[name], (*loc, name))
            elif default is REQUIRED:
                raise bad((*loc, name), "required")
            else:
                result[name] = default
        for name in value:
            if name not in fields:
                raise bad((*loc, name), "unknown field")
        return result
    return read
