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
