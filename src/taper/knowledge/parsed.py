"""A drug file's parse, kept beside the user's cache so that `taper plan` need not parse TOML.

Parsing baclofen.toml (and importing `tomllib`) was about a seventh of `taper plan`'s whole
process (issue 17). The TOML file stays the one source: the cached copy holds the file's exact
bytes next to their parse, and is used only when those bytes equal the file's as read now, so
an edited file is parsed again, never answered from a stale copy (HZ-224). A cache that is
missing, unreadable, corrupt, of another format or another Python is ignored the same way, and
one that cannot be written (a read-only folder, no home) costs nothing but the speed.

The parse is stored with `marshal` (no code runs on loading, unlike pickle): plain dicts,
lists, strings and numbers as tomllib returns them, each date as a tuple ("date", y, m, d)
(tomllib never returns a tuple, so the tag cannot be mistaken for data).
"""

from __future__ import annotations

import marshal
import os
import sys
from datetime import date
from typing import Any

# Bump when the stored form changes; a copy of another format is never read.
FORMAT = "taper-drug-parse/1"
_DATE = "date"


def cache_dir() -> str | None:
    """$TAPER_CACHE_DIR, else $XDG_CACHE_HOME/taper, else ~/.cache/taper; None when there is no
    home to put it in, and "" (or "off") in $TAPER_CACHE_DIR turns the cache off."""
    explicit = os.environ.get("TAPER_CACHE_DIR")
    if explicit is not None:
        return None if explicit in ("", "off") else explicit
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: ignored, as the XDG spec says
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):  # no home: "~" left as it was
            return None
    return os.path.join(base, "taper")


def _path(drug_id: str) -> str | None:
    folder = cache_dir()
    return None if folder is None else os.path.join(folder, "knowledge", f"{drug_id}.marshal")


def _stamp(source: bytes) -> tuple[str, tuple[int, int], bytes]:
    return (FORMAT, (sys.version_info[0], sys.version_info[1]), source)


def _encode(value: Any) -> Any:
    """tomllib's output in marshal's types; TypeError for what is not stored (times)."""
    if isinstance(value, dict):
        return {key: _encode(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_encode(inner) for inner in value]
    if type(value) is date:
        return (_DATE, value.year, value.month, value.day)
    if isinstance(value, str | bool | int | float):
        return value
    raise TypeError(f"not cached: {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _decode(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_decode(inner) for inner in value]
    if isinstance(value, tuple):
        tag, year, month, day = value
        if tag != _DATE:
            raise ValueError("unknown tag")
        return date(year, month, day)
    return value


def read(drug_id: str, source: bytes) -> dict[str, Any] | None:
    """The stored parse of exactly `source`, or None (no copy, another file's, or corrupt)."""
    path = _path(drug_id)
    if path is None:
        return None
    try:
        with open(path, "rb") as file:
            stored = marshal.loads(file.read())
        stamp, data = stored
        if stamp != _stamp(source) or not isinstance(data, dict):
            return None
        decoded: dict[str, Any] = _decode(data)
    except (OSError, EOFError, ValueError, TypeError, RecursionError):  # marshal's and ours
        return None
    return decoded


def write(drug_id: str, source: bytes, data: dict[str, Any]) -> None:
    """Store the parse of `source` if it can be; never fails the caller."""
    path = _path(drug_id)
    if path is None:
        return
    try:
        payload = marshal.dumps((_stamp(source), _encode(data)))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = f"{path}.{os.getpid()}-{os.urandom(4).hex()}.tmp"  # one per writer
        try:
            with open(partial, "wb") as file:
                file.write(payload)
            os.replace(partial, path)  # whole or not at all: a reader never sees half a copy
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    except (OSError, TypeError, ValueError):
        return
