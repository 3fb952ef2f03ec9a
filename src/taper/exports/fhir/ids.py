"""Stable FHIR ids and the JSON writer: no randomness, no float rounding."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from fractions import Fraction
from typing import Any

from taper.core.amounts import decimal_str

UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
_NAMESPACE = uuid.UUID("6f1d2f4e-5c1a-4b8e-9a43-7d0c2b9e1a55")  # Taper's own, fixed forever


def stable_uuid(*parts: object) -> str:
    """A UUID derived from its parts (uuid5), so the same plan gives the same ids."""
    return str(uuid.uuid5(_NAMESPACE, "|".join(str(p) for p in parts)))


def urn(resource_id: str) -> str:
    return f"urn:uuid:{resource_id}"


def quantity_value(amount: Fraction) -> Decimal:
    """An exact dose as a FHIR decimal (Decimal text, never a float computation)."""
    return Decimal(decimal_str(amount))


def _number(value: object) -> object:
    if isinstance(value, Decimal):
        as_float = float(value)
        # JSON numbers are written through float; refuse any value whose text would change.
        if Decimal(repr(as_float)) != value:
            raise ValueError(f"{value} cannot be written exactly as a JSON number")
        return int(value) if value == value.to_integral_value() else as_float
    raise TypeError(f"{type(value).__name__} is not JSON")


def to_json(resource: dict[str, Any]) -> bytes:
    """Deterministic JSON: keys in the order built, decimals exact, UTF-8."""
    return json.dumps(resource, indent=2, ensure_ascii=False, default=_number).encode("utf-8")
