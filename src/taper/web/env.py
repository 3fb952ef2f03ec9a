"""Small fail-loud readers of the environment: a typo in a setting stops the start-up."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool = False) -> bool:
    """1/true/yes/on or 0/false/no/off (any case); anything else is an error naming the variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: must be 1 or 0 (true/false, yes/no, on/off), got {value!r}")


def envint(name: str, default: int, low: int = 0) -> int:
    """A whole number of at least `low`; anything else is an error naming the variable."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        number = low - 1
    if number < low:
        raise ImproperlyConfigured(f"{name}: must be a whole number {low} or more, got {value!r}")
    return number


def envchoice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of `choices` (any case); anything else is an error naming the variable and the choices."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    if value.strip().lower() in choices:
        return value.strip().lower()
    raise ImproperlyConfigured(f"{name}: must be one of {', '.join(choices)}, got {value!r}")


def envphone(name: str, default: str) -> str:
    """A number to dial: 2 to 15 digits, an optional leading +; anything else is an error."""
    value = (os.environ.get(name) or "").strip() or default
    if not re.fullmatch(r"\+?[0-9]{2,15}", value):
        raise ImproperlyConfigured(f"{name}: must be a number to dial such as 112 or 911, got {value!r}")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    """A comma-separated list (spaces around items ignored)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """The value of NAME, or the contents of the file named by NAME_FILE (Docker/systemd secrets)."""
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if value and path:
        raise ImproperlyConfigured(f"{name}: set {name} or {name}_FILE, not both")
    if path:
        try:
            text = Path(path).read_text("utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path!r} ({exc.strerror})") from None
        if not text:
            raise ImproperlyConfigured(f"{name}_FILE: {path!r} is empty")
        return text
    return value or None


def generated_secret(data_dir: Path) -> str:
    """A key kept in the data folder, made once: for debug and demo runs only."""
    from django.core.management.utils import get_random_secret_key

    path = data_dir / "secret_key.txt"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key(), "utf-8")
        path.chmod(0o600)
    return path.read_text("utf-8").strip()


def envurl(name: str, default: str | None) -> str:
    """An absolute http(s) address without a trailing slash; required when `default` is None."""
    from urllib.parse import urlsplit

    value = (os.environ.get(name) or "").strip() or default
    if value is None:
        raise ImproperlyConfigured(
            f"{name}: required in production; the address patients and clinicians use, "
            "e.g. https://taper.example.org (links in e-mails are made from it)")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}: must be an address like https://taper.example.org, "
                                   f"got {value!r}")
    return value.rstrip("/")


def data_dir(value: str) -> Path:
    """The data folder, created if missing; one line naming the variable if it cannot be."""
    path = Path(value).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"TAPER_DATA_DIR: cannot create {str(path)!r} ({exc.strerror})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ImproperlyConfigured(f"TAPER_DATA_DIR: {str(path)!r} is not writable")
    return path


def envzone(name: str, default: str) -> str:
    """An IANA time zone name that zoneinfo knows ("Europe/London"); anything else is an error."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = (os.environ.get(name) or "").strip() or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name}: must be an IANA time zone such as Europe/London, got {value!r}") from None
    return value
