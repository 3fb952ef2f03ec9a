"""Validation: the R4B models from fhir.resources, plus the coded values they do not check.

fhir.resources enforces structure and cardinality but accepts any string as a code
(`status = "bogus"` passes), so the value sets this export relies on are checked here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from taper.exports.fhir.ids import LOINC, UCUM


class FhirError(ValueError):
    """An export is not valid FHIR R4; the message names the path and the problem."""


# Value sets from the R4 specification (required bindings).
_STATUS = {
    "MedicationRequest": {"active", "on-hold", "cancelled", "completed", "entered-in-error",
                          "stopped", "draft", "unknown"},
    "CarePlan": {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error",
                 "unknown"},
    "Questionnaire": {"draft", "active", "retired", "unknown"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error",
                              "stopped"},
    "Observation": {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                    "entered-in-error", "unknown"},
}  # fmt: skip
_INTENT = {
    "MedicationRequest": {"proposal", "plan", "order", "original-order", "reflex-order",
                          "filler-order", "instance-order", "option"},
    "CarePlan": {"proposal", "plan", "order", "option"},
}  # fmt: skip
_VITALS = {"8310-5": "Cel", "8867-4": "/min"}
_ACTIVITY_STATUS = {"not-started", "scheduled", "in-progress", "on-hold", "completed",
                    "cancelled", "stopped", "unknown", "entered-in-error"}  # fmt: skip


def validate(resource: dict[str, Any]) -> None:
    """Raise FhirError unless the resource parses as R4B and its codes are in their sets."""
    kind = resource.get("resourceType", "")
    try:
        model = getattr(importlib.import_module(f"fhir.resources.R4B.{kind.lower()}"), kind)
        model.model_validate(resource)
    except (ImportError, AttributeError) as exc:
        raise FhirError(f"resourceType: {kind!r} is not an R4B resource") from exc
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise FhirError(f"{kind}: {exc}") from exc
    for problem in _problems(kind, resource):
        raise FhirError(f"{kind}.{problem}")
    for i, entry in enumerate(resource.get("entry", [])):
        validate(entry["resource"])
        if not str(entry.get("fullUrl", "")).endswith(entry["resource"].get("id", "\0")):
            raise FhirError(f"Bundle.entry[{i}].fullUrl: must end with the resource id")


def _problems(kind: str, r: dict[str, Any]) -> Iterator[str]:
    if kind in _STATUS and r.get("status") not in _STATUS[kind]:
        yield f"status: {r.get('status')!r} is not in the R4 value set"
    if kind in _INTENT and r.get("intent") not in _INTENT[kind]:
        yield f"intent: {r.get('intent')!r} is not in the R4 value set"
    for i, dosage in enumerate(r.get("dosageInstruction", [])):
        for j, dr in enumerate(dosage.get("doseAndRate", [])):
            q = dr.get("doseQuantity", {})
            if (q.get("system"), q.get("code"), q.get("unit")) != (UCUM, "mg", "mg"):
                yield f"dosageInstruction[{i}].doseAndRate[{j}].doseQuantity: must be UCUM mg"
            if q.get("value", 0) <= 0:
                yield f"dosageInstruction[{i}].doseAndRate[{j}].doseQuantity.value: must be > 0"
        bounds = dosage.get("timing", {}).get("repeat", {}).get("boundsPeriod", {})
        if str(bounds.get("start", "")) > str(bounds.get("end", "")):
            yield f"dosageInstruction[{i}].timing.repeat.boundsPeriod: start after end"
    for i, activity in enumerate(r.get("activity", []) if kind == "CarePlan" else []):
        detail = activity.get("detail")
        if detail is None:
            continue
        if detail.get("status") not in _ACTIVITY_STATUS:
            yield f"activity[{i}].detail.status: {detail.get('status')!r} is not in the R4 value set"
        bounds = detail.get("scheduledTiming", {}).get("repeat", {}).get("boundsPeriod", {})
        if str(bounds.get("start", "")) > str(bounds.get("end", "")):
            yield f"activity[{i}].detail.scheduledTiming.repeat.boundsPeriod: start after end"
    if kind == "Observation":
        codes = [c for c in r["code"].get("coding", []) if c.get("system") == LOINC]
        unit = r.get("valueQuantity", {})
        for c in codes:
            if c["code"] in _VITALS and (unit.get("system"), unit.get("code")) != (
                UCUM,
                _VITALS[c["code"]],
            ):
                yield f"valueQuantity: LOINC {c['code']} needs UCUM {_VITALS[c['code']]}"
