"""`GET /api/symptoms`: the symptom catalogue a check-in may report, from the drug's
monitoring rules (src/taper/knowledge/monitoring_rules/<drug>.toml), with the red flags
marked, the 0-3 grading, the other scales and every statement's source. Nothing here is a
clinical fact of its own: the data file says it all, and this only shapes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from taper.core.amounts import decimal_str
from taper.core.knowledge import Fact
from taper.core.limits import MAX_ID_CHARS
from taper.web.clinic.api.schemas import Error, Text
from taper.web.clinic.engine import ServiceError

router = Router(tags=["knowledge"])


class Basis(Schema):
    statement: str
    source: str = Field(description="an id in `sources`, or `policy` (then `reason` says why)")
    checked: dt.date
    reason: str


class Grade(Schema):
    value: int
    label: str


class Grading(Schema):
    grades: list[Grade]
    basis: Basis | None


class Scale(Schema):
    name: str
    min: str  # exact decimal text
    max: str
    basis: Basis


class SymptomOut(Schema):
    id: str
    domain: str
    wording: str
    red_flag: bool = Field(description="this symptom alone can mean emergency care now")
    red_flag_from: int | None = Field(description="the grade from which it is a red flag")
    red_flag_from_label: str | None
    basis: Basis


class Measure(Schema):
    measure: str = Field(description="`symptom.<id>` or a reading (temperature_c, heart_rate …)")
    at_least: str


class RedFlagRule(Schema):
    id: str
    wording: str
    when: list[Measure] = Field(description="all of these on one check-in")
    basis: Basis


class SourceOut(Schema):
    id: str
    title: str
    url: str
    note: str


class CatalogueOut(Schema):
    drug: str
    drug_name: str
    grading: Grading
    scales: list[Scale]
    symptoms: list[SymptomOut]
    red_flag_rules: list[RedFlagRule] = Field(
        description="the combinations of readings and symptoms that mean emergency care now")
    sources: list[SourceOut]


class CatalogueQuery(Schema):
    drug: Text(MAX_ID_CHARS) | None = Field(  # type: ignore[valid-type]
        None, description="a monitored drug's id; the first one (baclofen) when left out")


def _basis(fact: Fact) -> dict[str, Any]:
    return {"statement": fact.statement, "source": fact.source, "checked": fact.checked,
            "reason": fact.reason}


def catalogue(drug: str | None) -> dict[str, Any]:
    """The catalogue of one monitored drug; ServiceError("drug") for another."""
    from taper.knowledge.monitoring import load_monitoring, monitored_drugs

    known = monitored_drugs()
    name = drug or known[0]
    if name not in known:
        raise ServiceError("drug", f"no symptom catalogue for {name!r}; known: {', '.join(known)}")
    rules = load_monitoring(name)
    labels = rules.severity_labels
    symptoms = [{"id": s.id, "domain": s.domain, "wording": s.wording,
                 "red_flag": s.red_flag_from is not None, "red_flag_from": s.red_flag_from,
                 "red_flag_from_label": None if s.red_flag_from is None
                 else labels[s.red_flag_from], "basis": _basis(s.fact)}
                for s in rules.symptoms]
    combined = [{"id": r.id, "wording": r.patient_wording,
                 "when": [{"measure": c.measure, "at_least": decimal_str(c.at_least)}
                          for c in r.when], "basis": _basis(r.fact)}
                for r in rules.threshold_rules if r.action == "emergency"]
    return {
        "drug": rules.drug_id, "drug_name": rules.drug_name,
        "grading": {"grades": [{"value": i, "label": label} for i, label in enumerate(labels)],
                    "basis": None if rules.severity_fact is None else _basis(rules.severity_fact)},
        "scales": [{"name": key, "min": decimal_str(r.low), "max": decimal_str(r.high),
                    "basis": _basis(r.fact)} for key, r in rules.ranges.items()],
        "symptoms": symptoms, "red_flag_rules": combined,
        "sources": [{"id": s.id, "title": s.title, "url": s.url, "note": s.note}
                    for s in rules.sources.values()],
    }


@router.get("/symptoms", response={200: CatalogueOut,
                                   **{c: Error for c in (401, 422, 429, 500)}},
            url_name="symptoms",
            summary="The symptom catalogue: red flags marked, the grading, every source")
def symptoms(request: HttpRequest, query: Query[CatalogueQuery]) -> Any:
    return catalogue(query.drug)
