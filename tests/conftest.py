"""Shared fixtures: the drug knowledge and the diarist's request."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def diarist_request() -> dict[str, Any]:
    """The forum diarist's taper (seed 003) as the shipped example request."""
    data: dict[str, Any] = json.loads((ROOT / "examples" / "diarist.json").read_text(),
                                      parse_float=Decimal)
    return data


@pytest.fixture(autouse=True, scope="session")
def _translations_compiled() -> None:
    """The Spanish pages need the compiled catalogue (`make test` and `make run` compile it;
    this covers a bare `pytest` after the .po changed). msgfmt is GNU gettext's."""
    import shutil
    import subprocess

    for po in (ROOT / "src" / "taper" / "web" / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            if shutil.which("msgfmt") is None:
                pytest.exit("msgfmt is missing: run scripts/system-deps gettext (or make test)")
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)
