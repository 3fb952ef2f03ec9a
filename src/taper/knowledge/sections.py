"""Typed views of the drug-file sections the core types keep raw (pk, ceilings, guidance).

`DrugKnowledge.sections` holds these tables as parsed TOML; the loader has already checked
that each carries a source and a checked date. These accessors turn the numbers into exact
Fractions and fail with a KnowledgeError naming the file and field when one is malformed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from taper.core.knowledge import DrugKnowledge, Fact
from taper.knowledge import KnowledgeError, _amount, parse_fact

GUIDANCE_KINDS = ("qualitative", "duration", "percent", "fixed_mg", "proportional")


@dataclass(frozen=True, slots=True)
class Range:
    """A low-high pair as a source gives it ("5-10 %", "2-7 days")."""

    low: Fraction
    high: Fraction


@dataclass(frozen=True, slots=True)
class PkModel:
    """A published population model: apparent clearance and volume (CL/F, V/F)."""

    id: str
    compartments: int
    ka_per_h: Fraction | None  # None where the study gives no first-order absorption
    cl_l_per_h: Fraction
    v_l: Fraction
    bsv_percent: Mapping[str, Fraction]  # between-subject variability by "ka", "cl", "v"
    default: bool
    population: str
    fact: Fact


@dataclass(frozen=True, slots=True)
class SourcedValue:
    value: Fraction
    fact: Fact


@dataclass(frozen=True, slots=True)
class HigherCeiling:
    """A daily dose above the label maximum that a source allows, and where."""

    mg: Fraction
    setting: str
    fact: Fact


@dataclass(frozen=True, slots=True)
class TaperGuidance:
    """One source's view of how to stop; numeric parts only where the source gives them."""

    id: str
    kind: str
    percent: Range | None
    step_mg: Range | None
    interval_days: Range | None
    over_days: Range | None
    fact: Fact


def pk_models(knowledge: DrugKnowledge) -> tuple[PkModel, ...]:
    """The published pharmacokinetic models, in file order (empty when there are none)."""
    pk = knowledge.sections.get("pk", {})
    return tuple(
        _pk_model(t, f"pk.models[{i}]", knowledge) for i, t in enumerate(pk.get("models", []))
    )


def default_pk_model(knowledge: DrugKnowledge) -> PkModel | None:
    """The model marked `default = true`, else the first, else None."""
    models = pk_models(knowledge)
    return next((m for m in models if m.default), models[0] if models else None)


def renal_fraction(knowledge: DrugKnowledge) -> SourcedValue | None:
    """Fraction of a dose excreted unchanged in urine (scales clearance with kidney function)."""
    return _pk_value(knowledge, "renal_fraction")


def bioavailability(knowledge: DrugKnowledge) -> SourcedValue | None:
    return _pk_value(knowledge, "bioavailability")


def higher_ceilings(knowledge: DrugKnowledge) -> tuple[HigherCeiling, ...]:
    """Ceilings above the label maximum that some sources allow."""
    out = []
    for i, t in enumerate(knowledge.sections.get("higher_ceilings", [])):
        where = f"higher_ceilings[{i}]"
        out.append(
            HigherCeiling(
                mg=_number(t, "mg", where, knowledge),
                setting=str(t.get("setting", "")),
                fact=_sourced(t, "higher ceilings", where, knowledge),
            )
        )
    return tuple(out)


def taper_guidance(knowledge: DrugKnowledge) -> tuple[TaperGuidance, ...]:
    """Each source's advice on stopping, in file order."""
    out = []
    for i, t in enumerate(knowledge.sections.get("taper_guidance", [])):
        where = f"taper_guidance[{i}]"
        kind = t.get("kind")
        if kind not in GUIDANCE_KINDS:
            raise _error(knowledge, f"{where}.kind", f"must be one of {', '.join(GUIDANCE_KINDS)}")
        out.append(
            TaperGuidance(
                id=_text(t, "id", where, knowledge),
                kind=kind,
                percent=_range(t, "percent", where, knowledge),
                step_mg=_range(t, "step_mg", where, knowledge),
                interval_days=_range(t, "interval_days", where, knowledge),
                over_days=_range(t, "over_days", where, knowledge),
                fact=_sourced(t, "taper guidance", where, knowledge),
            )
        )
    return tuple(out)


def check_sections(knowledge: DrugKnowledge) -> None:
    """Parse every typed section once; raises KnowledgeError on the first malformed field."""
    pk_models(knowledge)
    default_pk_model(knowledge)
    renal_fraction(knowledge)
    bioavailability(knowledge)
    higher_ceilings(knowledge)
    taper_guidance(knowledge)


def _pk_model(t: dict[str, Any], where: str, k: DrugKnowledge) -> PkModel:
    bsv_raw = t.get("bsv_percent", {})
    if not isinstance(bsv_raw, dict) or not set(bsv_raw) <= {"ka", "cl", "v"}:
        raise _error(k, f"{where}.bsv_percent", "must be a table with keys among ka, cl, v")
    compartments = t.get("compartments", 1)
    if compartments not in (1, 2):
        raise _error(k, f"{where}.compartments", "must be 1 or 2")
    return PkModel(
        id=_text(t, "id", where, k),
        compartments=compartments,
        ka_per_h=_number(t, "ka_per_h", where, k) if "ka_per_h" in t else None,
        cl_l_per_h=_number(t, "cl_l_per_h", where, k),
        v_l=_number(t, "v_l", where, k),
        bsv_percent={
            key: _number(bsv_raw, key, f"{where}.bsv_percent", k) for key in sorted(bsv_raw)
        },
        default=bool(t.get("default", False)),
        population=str(t.get("population", "")),
        fact=_sourced(t, "pharmacokinetics", where, k),
    )


def _pk_value(k: DrugKnowledge, key: str) -> SourcedValue | None:
    table = k.sections.get("pk", {}).get(key)
    if table is None:
        return None
    where = f"pk.{key}"
    value = _number(table, "value", where, k)
    return SourcedValue(value, _sourced(table, "pharmacokinetics", where, k))


def _range(t: dict[str, Any], key: str, where: str, k: DrugKnowledge) -> Range | None:
    if key not in t:
        return None
    pair = t[key]
    if not isinstance(pair, dict):
        raise _error(k, f"{where}.{key}", 'must be a table { low = "…", high = "…" }')
    low = _number(pair, "low", f"{where}.{key}", k)
    high = _number(pair, "high", f"{where}.{key}", k)
    if low > high:
        raise _error(k, f"{where}.{key}", "low must not exceed high")
    return Range(low, high)


def _number(t: Mapping[str, Any], key: str, where: str, k: DrugKnowledge) -> Fraction:
    if key not in t:
        raise _error(k, f"{where}.{key}", "required")
    value = _amount(t[key], f"{k.id}.toml: {where}.{key}")
    if value <= 0:
        raise _error(k, f"{where}.{key}", "must be positive")
    return value


def _text(t: dict[str, Any], key: str, where: str, k: DrugKnowledge) -> str:
    value = t.get(key)
    if not isinstance(value, str) or not value:
        raise _error(k, f"{where}.{key}", "required text")
    return value


def _sourced(t: dict[str, Any], topic: str, where: str, k: DrugKnowledge) -> Fact:
    return parse_fact(t, topic, f"{k.id}.toml: {where}", dict(k.sources))


def _error(k: DrugKnowledge, field: str, problem: str) -> KnowledgeError:
    return KnowledgeError(f"{k.id}.toml: {field}: {problem}")
