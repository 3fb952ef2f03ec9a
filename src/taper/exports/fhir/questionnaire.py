"""The daily check-in as FHIR: a Questionnaire, and builders for a recorded check-in's
QuestionnaireResponse and vital-sign Observations (SPEC M1, X3).

The builders take plain `CheckIn` data, so the web app can call them for check-ins it
has stored; nothing here reads a database or the clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from taper.exports.checkin import SEVERITY, SYMPTOM_DOMAINS, CheckIn, as_checkin
from taper.exports.fhir.ids import LOINC, UCUM, stable_uuid

QUESTIONNAIRE_URL = "urn:taper:questionnaire:daily-check-in"
QUESTIONNAIRE_VERSION = "1"
SEVERITY_SYSTEM = "urn:taper:codesystem:symptom-severity"
VITAL_SIGNS = {
    "system": "http://terminology.hl7.org/CodeSystem/observation-category",
    "code": "vital-signs",
    "display": "Vital Signs",
}
# SPEC, "Check-in scales": temperature LOINC 8310-5, heart rate LOINC 8867-4.
BODY_TEMPERATURE = {"system": LOINC, "code": "8310-5", "display": "Body temperature"}
HEART_RATE = {"system": LOINC, "code": "8867-4", "display": "Heart rate"}
_DOMAIN_TEXT = {
    "physical": "Body: tremor, muscle spasms, fast heart, sweating, nausea, headache, dizziness",
    "psychological": "Mood: anxiety, agitation, low mood, confusion, seeing or hearing things",
    "cognitive": "Thinking: memory, concentration",
    "sleep": "Sleep: poor sleep, vivid dreams, nightmares",
}


def _range(low: int, high: int) -> list[dict[str, Any]]:
    base = "http://hl7.org/fhir/StructureDefinition/"
    return [
        {"url": f"{base}minValue", "valueInteger": low},
        {"url": f"{base}maxValue", "valueInteger": high},
    ]


def questionnaire() -> dict[str, Any]:
    """The daily check-in form: symptoms 0–3 by domain, scales 0–10, vitals, doses, notes."""
    severity = [
        {"valueCoding": {"system": SEVERITY_SYSTEM, "code": str(i), "display": word}}
        for i, word in enumerate(SEVERITY)
    ]
    return {
        "resourceType": "Questionnaire",
        "id": stable_uuid(QUESTIONNAIRE_URL, QUESTIONNAIRE_VERSION),
        "url": QUESTIONNAIRE_URL,
        "version": QUESTIONNAIRE_VERSION,
        "name": "DailyCheckIn",
        "title": "Daily check-in",
        "status": "active",
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": "symptoms",
                "type": "group",
                "text": "How strong were these today? 0 none, 1 mild, 2 moderate, 3 severe",
                "item": [
                    {
                        "linkId": f"symptoms.{d}",
                        "type": "choice",
                        "text": _DOMAIN_TEXT[d],
                        "answerOption": severity,
                    }
                    for d in SYMPTOM_DOMAINS
                ],
            },
            {
                "linkId": "spasticity",
                "type": "integer",
                "text": "Muscle stiffness today, 0 none to 10 worst possible",
                "extension": _range(0, 10),
            },
            {
                "linkId": "sleep-quality",
                "type": "integer",
                "text": "Sleep quality last night, 0 terrible to 10 excellent",
                "extension": _range(0, 10),
            },
            {
                "linkId": "temperature",
                "type": "decimal",
                "text": "Temperature (°C), if you took it",
                "code": [BODY_TEMPERATURE],
            },
            {
                "linkId": "heart-rate",
                "type": "integer",
                "text": "Heart rate (beats a minute), if you took it",
                "code": [HEART_RATE],
            },
            {"linkId": "doses-taken", "type": "integer", "text": "How many doses did you take?"},
            {"linkId": "note", "type": "text", "text": "Anything else?"},
        ],
    }


def _when(c: CheckIn) -> str:
    return c.recorded_at.isoformat() if c.recorded_at else c.day.isoformat()


def questionnaire_response(checkin: CheckIn | Mapping[str, Any], *, patient: str) -> dict[str, Any]:
    """A recorded check-in as a QuestionnaireResponse; `patient` is a Patient reference."""
    c = as_checkin(checkin)
    items: list[dict[str, Any]] = []
    symptoms = [
        {
            "linkId": f"symptoms.{d}",
            "answer": [
                {
                    "valueCoding": {
                        "system": SEVERITY_SYSTEM,
                        "code": str(c.symptoms[d]),
                        "display": SEVERITY[c.symptoms[d]],
                    }
                }
            ],
        }
        for d in SYMPTOM_DOMAINS
        if d in c.symptoms
    ]
    if symptoms:
        items.append({"linkId": "symptoms", "item": symptoms})
    for link, value, kind in (
        ("spasticity", c.spasticity, "valueInteger"),
        ("sleep-quality", c.sleep_quality, "valueInteger"),
        ("temperature", c.temperature_c, "valueDecimal"),
        ("heart-rate", c.heart_rate_bpm, "valueInteger"),
        ("doses-taken", c.doses_taken, "valueInteger"),
        ("note", c.note or None, "valueString"),
    ):
        if value is not None:
            items.append({"linkId": link, "answer": [{kind: value}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": stable_uuid(patient, c.day, "check-in"),
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "subject": {"reference": patient},
        "authored": _when(c),
        "item": items,
    }


def observations(checkin: CheckIn | Mapping[str, Any], *, patient: str) -> list[dict[str, Any]]:
    """Body temperature (°C) and heart rate (/min) Observations, for those recorded."""
    c = as_checkin(checkin)
    found = []
    response = f"QuestionnaireResponse/{stable_uuid(patient, c.day, 'check-in')}"
    for code, value, unit, ucum in (
        (BODY_TEMPERATURE, c.temperature_c, "°C", "Cel"),
        (
            HEART_RATE,
            None if c.heart_rate_bpm is None else Decimal(c.heart_rate_bpm),
            "/min",
            "/min",
        ),
    ):
        if value is None:
            continue
        found.append(
            {
                "resourceType": "Observation",
                "id": stable_uuid(patient, c.day, code["code"]),
                "status": "final",
                "category": [{"coding": [VITAL_SIGNS]}],
                "code": {"coding": [code], "text": code["display"]},
                "subject": {"reference": patient},
                "effectiveDateTime": _when(c),
                "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": ucum},
                "derivedFrom": [{"reference": response}],
            }
        )
    return found
