"""The daily check-in as FHIR: a Questionnaire built from the drug's symptom catalogue,
and builders for a recorded check-in's QuestionnaireResponse and vital-sign Observations
(SPEC M1, X3).

Check-ins are the monitoring `CheckIn` (from `parse_checkins`); the catalogue is the
drug's `MonitoringRules.symptoms`. Nothing here reads a database or the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from taper.core.monitoring.checkin import CheckIn
from taper.core.monitoring.symptoms import DOMAINS, Symptom
from taper.exports.fhir.ids import LOINC, UCUM, stable_uuid
from taper.exports.readings import SEVERITY, celsius_text, check_catalogue

QUESTIONNAIRE_URL = "urn:taper:questionnaire:daily-check-in"
QUESTIONNAIRE_VERSION = "2"  # 2: one item per catalogue symptom, dose times
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
    "physical": "Body",
    "psychological": "Mood and feelings",
    "cognitive": "Thinking",
    "sleep": "Sleep",
}


def _range(low: int, high: int) -> list[dict[str, Any]]:
    base = "http://hl7.org/fhir/StructureDefinition/"
    return [
        {"url": f"{base}minValue", "valueInteger": low},
        {"url": f"{base}maxValue", "valueInteger": high},
    ]


def _severity(level: int) -> dict[str, Any]:
    return {"valueCoding": {"system": SEVERITY_SYSTEM, "code": str(level), "display": SEVERITY[level]}}


def _by_domain(symptoms: Sequence[Symptom]) -> list[tuple[str, list[Symptom]]]:
    """The domains that have symptoms, in SPEC order; symptoms in catalogue order."""
    grouped = [(d, [s for s in symptoms if s.domain == d]) for d in DOMAINS]
    return [(d, found) for d, found in grouped if found]


def questionnaire(symptoms: Sequence[Symptom]) -> dict[str, Any]:
    """The daily check-in form: a group per domain with one 0–3 choice per catalogue
    symptom (in the patient's words), scales 0–10, vitals, doses taken, notes."""
    options = [_severity(level) for level in range(len(SEVERITY))]
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
                        "linkId": f"symptoms.{domain}",
                        "type": "group",
                        "text": _DOMAIN_TEXT[domain],
                        "item": [
                            {
                                "linkId": f"symptom.{s.id}",
                                "type": "choice",
                                "text": s.wording,
                                "answerOption": options,
                            }
                            for s in found
                        ],
                    }
                    for domain, found in _by_domain(symptoms)
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
            {
                "linkId": "doses-taken.times",
                "type": "time",
                "text": "At which dose times?",
                "repeats": True,
                "enableWhen": [
                    {"question": "doses-taken", "operator": ">", "answerInteger": 0}
                ],
            },
            {"linkId": "note", "type": "text", "text": "Anything else?"},
        ],
    }


def _response_id(c: CheckIn, patient: str) -> str:
    return stable_uuid(patient, c.date, "check-in")


def questionnaire_response(
    checkin: CheckIn, symptoms: Sequence[Symptom], *, patient: str
) -> dict[str, Any]:
    """A recorded check-in as a QuestionnaireResponse; `patient` is a Patient reference.

    Pass one check-in per date (`effective`): the id is derived from patient and date.
    Only the symptoms the check-in reports are answered (one not reported counts as none).
    ValueError for a reported symptom not in the catalogue.
    """
    c = checkin
    check_catalogue(c, symptoms)
    items: list[dict[str, Any]] = []
    domains = [
        {
            "linkId": f"symptoms.{domain}",
            "item": [
                {"linkId": f"symptom.{s.id}", "answer": [_severity(c.symptoms[s.id])]}
                for s in found
                if s.id in c.symptoms
            ],
        }
        for domain, found in _by_domain(symptoms)
    ]
    answered = [d for d in domains if d["item"]]
    if answered:
        items.append({"linkId": "symptoms", "item": answered})
    temperature = None if c.temperature_c is None else Decimal(celsius_text(c.temperature_c))
    doses = None if c.doses_taken is None else len(c.doses_taken)
    for link, value, kind in (
        ("spasticity", c.spasticity, "valueInteger"),
        ("sleep-quality", c.sleep_quality, "valueInteger"),
        ("temperature", temperature, "valueDecimal"),
        ("heart-rate", c.heart_rate, "valueInteger"),
        ("doses-taken", doses, "valueInteger"),
    ):
        if value is not None:
            items.append({"linkId": link, "answer": [{kind: value}]})
    if c.doses_taken:
        times = [{"valueTime": t.strftime("%H:%M:%S")} for t in c.doses_taken]
        items.append({"linkId": "doses-taken.times", "answer": times})
    if c.note:
        items.append({"linkId": "note", "answer": [{"valueString": c.note}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _response_id(c, patient),
        "questionnaire": f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}",
        "status": "completed",
        "subject": {"reference": patient},
        "authored": c.date.isoformat(),
        "item": items,
    }


def observations(checkin: CheckIn, *, patient: str) -> list[dict[str, Any]]:
    """Body temperature (°C) and heart rate (/min) Observations, for those recorded."""
    c = checkin
    found = []
    response = f"QuestionnaireResponse/{_response_id(c, patient)}"
    for code, value, unit, ucum in (
        (
            BODY_TEMPERATURE,
            None if c.temperature_c is None else Decimal(celsius_text(c.temperature_c)),
            "°C",
            "Cel",
        ),
        (HEART_RATE, None if c.heart_rate is None else Decimal(c.heart_rate), "/min", "/min"),
    ):
        if value is None:
            continue
        found.append(
            {
                "resourceType": "Observation",
                "id": stable_uuid(patient, c.date, code["code"]),
                "status": "final",
                "category": [{"coding": [VITAL_SIGNS]}],
                "code": {"coding": [code], "text": code["display"]},
                "subject": {"reference": patient},
                "effectiveDateTime": c.date.isoformat(),
                "valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": ucum},
                "derivedFrom": [{"reference": response}],
            }
        )
    return found
