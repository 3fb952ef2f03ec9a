"""FHIR R4 (validated with the R4B models of fhir.resources): the plan as a Bundle (SPEC X3).

The Bundle holds the Patient, the Medication (RxNorm-coded only where the knowledge base
holds a verified code), a CarePlan, the MedicationRequest based on it with one Dosage per
step and dose time, and the daily check-in Questionnaire built from the drug's symptom
catalogue (for a drug with monitoring rules), and, given recorded check-ins (the web
app), a QuestionnaireResponse and vital-sign Observations for each check-in day. Given a
monitoring period, the CarePlan has a second activity: the daily check-in from the stop
date to the period's last day, and its period runs to that day. An unreviewed plan is a
draft proposal, never an active order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from taper.core.knowledge import DrugKnowledge
from taper.core.monitoring.checkin import effective
from taper.core.plan import Plan
from taper.exports.fhir.checks import FhirError, validate
from taper.exports.fhir.dosage import dosages, steps_from_dosages
from taper.exports.fhir.ids import RXNORM, stable_uuid, to_json, urn
from taper.exports.fhir.questionnaire import (
    QUESTIONNAIRE_URL,
    QUESTIONNAIRE_VERSION,
    observations,
    questionnaire,
    questionnaire_response,
)
from taper.exports.options import ExportOptions, plan_key
from taper.exports.schedule import monitoring_period
from taper.knowledge.monitoring import load_monitoring, monitored_drugs

__all__ = [
    "FhirError", "bundle", "observations", "questionnaire", "questionnaire_response",
    "render", "steps_from_dosages", "validate",
]  # fmt: skip


def render(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> bytes:
    """The Bundle as FHIR JSON, validated before it is returned."""
    data = bundle(plan, drug, options)
    validate(data)
    return to_json(data)


def medication_code(drug: DrugKnowledge) -> dict[str, Any]:
    """The drug's CodeableConcept: text always; an RxNorm coding only when verified."""
    concept: dict[str, Any] = {"text": drug.name}
    rxnorm = drug.sections.get("codes", {}).get("rxnorm", {})
    if isinstance(rxnorm, Mapping) and rxnorm.get("verified") is True and rxnorm.get("code"):
        concept["coding"] = [
            {
                "system": RXNORM,
                "code": str(rxnorm["code"]),
                "display": str(rxnorm.get("display", drug.name)),
            }
        ]
    return concept


def bundle(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> dict[str, Any]:
    """The Bundle as a dict (not yet validated); ids are stable for the same plan id."""
    key = plan_key(plan.drug_id, plan.start_date, options)
    ids = {k: stable_uuid(key, k) for k in ("patient", "medication", "careplan", "request")}
    approved = options.is_approved
    period = monitoring_period(plan, options.monitoring_days)
    patient: dict[str, Any] = {"resourceType": "Patient", "id": ids["patient"]}
    if options.patient_name:
        patient["name"] = [{"text": options.patient_name}]
    subject = {"reference": urn(ids["patient"])}
    identifier = [{"system": "urn:taper:plan", "value": f"{key}|{options.plan_version}"}]
    notes = [
        {"text": f"Plan version {options.plan_version}: {options.approval_status}."},
        {"text": f"Dose times are local clock times in {plan.timezone}."},
    ]
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": ids["careplan"],
        "identifier": identifier,
        "status": "active" if approved else "draft",
        "intent": "plan" if approved else "proposal",
        "title": f"{drug.name} {'dose reduction' if plan.direction == 'taper' else 'titration'}",
        "description": f"Plan version {options.plan_version}: {options.approval_status}.",
        "subject": subject,
        "period": _period(plan, period),
        "activity": [{"reference": {"reference": urn(ids["request"])}}],
    }
    if period is not None:
        careplan["activity"].append(monitoring_activity(period, drug.id, approved))
    request = {
        "resourceType": "MedicationRequest",
        "id": ids["request"],
        "identifier": identifier,
        "status": "active" if approved else "draft",
        "intent": "order" if approved else "proposal",
        "medicationReference": {"reference": urn(ids["medication"])},
        "subject": subject,
        "basedOn": [{"reference": urn(ids["careplan"])}],
        "note": notes,
        "dosageInstruction": dosages(plan),
    }
    medication = {
        "resourceType": "Medication",
        "id": ids["medication"],
        "code": medication_code(drug),
    }
    entries = [patient, medication, careplan, request]
    if drug.id in monitored_drugs():
        entries.append(questionnaire(load_monitoring(drug.id).symptoms))
    entries += recorded_checkins(options, subject["reference"])
    return {
        "resourceType": "Bundle",
        "id": stable_uuid(key, "bundle", options.plan_version),
        "type": "collection",
        "timestamp": datetime.combine(options.generated_on, time(0), UTC).isoformat(),
        "entry": [{"fullUrl": urn(r["id"]), "resource": r} for r in entries],
    }


def recorded_checkins(options: ExportOptions, patient: str) -> list[dict[str, Any]]:
    """A QuestionnaireResponse per check-in day (amendments applied) and its Observations.

    Inside the Bundle every reference is the urn: fullUrl of its entry, so `derivedFrom`
    points at the response's urn rather than a server path.
    """
    found: list[dict[str, Any]] = []
    for checkin in effective(options.checkins):
        response = questionnaire_response(checkin, options.symptoms, patient=patient)
        found.append(response)
        for observation in observations(checkin, patient=patient):
            observation["derivedFrom"] = [{"reference": urn(response["id"])}]
            found.append(observation)
    return found


def monitoring_activity(period: tuple[date, date], drug_id: str, approved: bool) -> dict[str, Any]:
    """The monitoring period as a CarePlan activity: the daily check-in, once a day from the
    stop date to the period's last day (HZ-104); it names the check-in Questionnaire when
    the drug has one. Not started until a prescriber has reviewed the plan."""
    first, last = period
    detail: dict[str, Any] = {
        "kind": "Task",
        "code": {"text": "Daily check-in"},
        "status": "scheduled" if approved else "not-started",
        "scheduledTiming": {
            "repeat": {
                "boundsPeriod": {"start": first.isoformat(), "end": last.isoformat()},
                "frequency": 1,
                "period": 1,
                "periodUnit": "d",
            }
        },
        "description": f"Monitoring period after the last dose: check in daily from "
        f"{first.isoformat()} to {last.isoformat()}.",
    }
    if drug_id in monitored_drugs():
        detail["instantiatesCanonical"] = [f"{QUESTIONNAIRE_URL}|{QUESTIONNAIRE_VERSION}"]
    return {"detail": detail}


def _period(plan: Plan, monitoring: tuple[date, date] | None) -> dict[str, str]:
    """The plan's first day to its last step's end, or to the monitoring period's end."""
    if not plan.steps:
        return {"start": plan.start_date.isoformat()}
    end = plan.steps[-1].end_date if monitoring is None else max(plan.steps[-1].end_date,
                                                                  monitoring[1])
    return {"start": plan.steps[0].start_date.isoformat(), "end": end.isoformat()}
