"""Read a drug's `[pk]` section into the model's parameter types.

Shape (strings for numbers, so they are read exactly as written)::

    [[pk.models]]
    id = "chevillard-2017"
    ka_per_h = "2.23"
    cl_l_per_h = "8.0"
    v_l = "44.5"
    bsv_percent = { cl = "27", v = "86" }
    default = true
    statement = "..."   source = "..."   checked = 2026-11-23

    [pk.renal_fraction]
    value = "0.7"

    [pk.renal_reference_crcl]
    value = "100"       # mL/min; a policy with its reason (no published model gives one)

The facts' statement/source/checked rules are enforced by taper.knowledge for every
section; this module checks the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from taper.core.pk.model import PkModel, Variability
from taper.core.pk.renal import RenalScaling
from taper.core.pk.view import PkParameters
from taper.knowledge import KnowledgeError


@dataclass(frozen=True, slots=True)
class PkKnowledge:
    """The models a drug's data offers, which one is the default, and the renal scaling."""

    models: tuple[PkModel, ...]
    default_id: str
    renal: RenalScaling | None

    def parameters(self, model_id: str | None = None) -> PkParameters:
        """The parameters for a model id (None: the default); KeyError for an unknown id."""
        wanted = self.default_id if model_id is None else model_id
        for model in self.models:
            if model.id == wanted:
                return PkParameters(model, self.renal)
        raise KeyError(wanted)

    @property
    def model_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.models)


def _number(value: Any, where: str, *, positive: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise KnowledgeError(f"{where}: must be a number written as a string (\"8.0\")")
    try:
        number = float(Decimal(str(value).strip()))
    except InvalidOperation as exc:
        raise KnowledgeError(f"{where}: must be a number written as a string") from exc
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        kind = "positive" if positive else "non-negative"
        raise KnowledgeError(f"{where}: must be a {kind} number")
    return number


def _model(table: Mapping[str, Any], where: str) -> PkModel:
    if not isinstance(table.get("id"), str) or not table["id"]:
        raise KnowledgeError(f"{where}.id: required, a short name such as \"chevillard-2017\"")
    bsv = table.get("bsv_percent", {})
    if not isinstance(bsv, Mapping) or set(bsv) - {"ka", "cl", "v"}:
        raise KnowledgeError(f"{where}.bsv_percent: a table with ka, cl and/or v")
    variability = Variability(
        *(
            _number(bsv[key], f"{where}.bsv_percent.{key}", positive=False) if key in bsv else 0.0
            for key in ("ka", "cl", "v")
        )
    )
    return PkModel(
        id=table["id"],
        ka_per_h=_number(table.get("ka_per_h"), f"{where}.ka_per_h"),
        cl_l_per_h=_number(table.get("cl_l_per_h"), f"{where}.cl_l_per_h"),
        v_l=_number(table.get("v_l"), f"{where}.v_l"),
        variability=variability,
        source=str(table.get("source", "")),
        title=str(table.get("statement", "")),
    )


def _renal(section: Mapping[str, Any]) -> RenalScaling | None:
    fraction = section.get("renal_fraction")
    reference = section.get("renal_reference_crcl")
    if fraction is None or reference is None:
        return None  # no kidney-function scaling: `--crcl` is refused with a reason
    value = _number(fraction.get("value"), "pk.renal_fraction.value", positive=False)
    if value > 1:
        raise KnowledgeError("pk.renal_fraction.value: a fraction between 0 and 1")
    return RenalScaling(value, _number(reference.get("value"), "pk.renal_reference_crcl.value"))


def parse_pk_section(section: Mapping[str, Any]) -> PkKnowledge:
    """The `[pk]` section as parameter types; KnowledgeError names the bad field."""
    tables = section.get("models")
    if not isinstance(tables, list) or not tables:
        raise KnowledgeError("pk.models: at least one [[pk.models]] table is required")
    # Only one-compartment models can be simulated here; others (Kochak 1985, two
    # compartments, no absorption constant) stay in the data as facts, not as a model.
    tables = [t for t in tables if t.get("compartments", 1) == 1]
    models = tuple(_model(t, f"pk.models[{i}]") for i, t in enumerate(tables))
    ids = [m.id for m in models]
    if len(set(ids)) != len(ids):
        raise KnowledgeError("pk.models: each id must be different")
    defaults = [t["id"] for t in tables if t.get("default") is True]
    if len(defaults) > 1 or (not defaults and len(models) > 1):
        raise KnowledgeError("pk.models: exactly one model must have default = true")
    return PkKnowledge(models, defaults[0] if defaults else ids[0], _renal(section))


def load_pk(drug_id: str) -> PkKnowledge:
    """The drug's pharmacokinetic knowledge; KeyError without a drug file or a [pk] section."""
    from taper.knowledge import load_drug

    section = load_drug(drug_id).sections.get("pk")
    if section is None:
        raise KeyError(f"{drug_id} has no [pk] section")
    return parse_pk_section(section)
