"""The whole record's pure builders: a Bundle that parses back, resolves every reference,
keeps every row (amendments and replaced versions too), gives the same ids for the same
rows, and a PDF beside it."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, time

import pytest

from taper.exports.fhir import FhirError, medication_code
from taper.exports.record import bundle, check, render_fhir
from taper.exports.record.model import (
    AlertRow,
    CheckInRow,
    DecisionRow,
    DoseTakenRow,
    EventRow,
    FollowUpRow,
    PatientRecord,
    VersionRow,
)
from taper.exports.record.pdf import render_pdf

AT = datetime(2026, 12, 20, 9, 30, tzinfo=UTC)


def _version(plan, id_: int, number: int, status: str, based_on: int | None) -> VersionRow:
    return VersionRow(id_, 7, number, "baclofen", status, "builder" if based_on is None else "hold",
                      based_on, AT, "dr@example.org", "dr@example.org", AT, "Reviewed.", "",
                      plan, (EventRow(1, "activated", AT, "dr@example.org", "Start Monday"),))


@pytest.fixture
def record(diarist, baclofen, checkins, rules) -> PatientRecord:
    first, again, later = checkins(
        {"date": "2026-12-02", "symptoms": {"anxiety": 1}, "temperature_c": "37.2"},
        {"date": "2026-12-02", "symptoms": {"anxiety": 2}, "heart_rate": 88},
        {"date": "2026-12-03", "note": "Slept badly"})
    return PatientRecord(
        patient_id=3, name="Sam Patel", email="sam@example.org", timezone="America/New_York",
        created_at=AT, clinician="dr@example.org", generated_at=AT,
        medications={"baclofen": medication_code(baclofen)}, drug_names={"baclofen": "Baclofen"},
        symptoms=tuple(rules.symptoms),
        versions=(_version(diarist, 10, 1, "changed", None), _version(diarist, 11, 2, "active", 10)),
        checkins=(CheckInRow(20, AT, "sam@example.org", None, first),
                  CheckInRow(21, AT, "sam@example.org", 20, again),
                  CheckInRow(22, AT, "sam@example.org", None, later)),
        decisions=(DecisionRow(30, 21, 10, 11, AT, "hold", "Stay on this dose.", True, AT,
                               "dr@example.org", {"drug": "baclofen"}),),
        doses_taken=(DoseTakenRow(40, 11, AT.date(), time(8), AT),),
        followups=(FollowUpRow(50, 7, AT.date(), time(10, 30), "Clinic", AT),),
        alerts=(AlertRow(60, "contact_prescriber", "dr@example.org", 30, AT, AT),))


def _kinds(data: dict) -> list[str]:
    return [e["resource"]["resourceType"] for e in data["entry"]]


@pytest.mark.hazard("HZ-173")
def test_every_resource_parses_back_and_every_reference_resolves(record) -> None:
    data = bundle(record)
    check(data)
    kinds = _kinds(data)
    assert data["type"] == "collection"
    assert kinds.count("MedicationRequest") == 2 and kinds.count("QuestionnaireResponse") == 3
    assert kinds.count("Observation") == 2  # a temperature and a pulse
    assert [kinds.count(k) for k in ("ClinicalImpression", "MedicationStatement", "Appointment",
                                     "Communication", "Patient", "Medication")] == [1] * 6


def test_an_amendment_and_a_replaced_version_are_kept_and_marked(record) -> None:
    entries = [e["resource"] for e in bundle(record)["entry"]]
    responses = [r for r in entries if r["resourceType"] == "QuestionnaireResponse"]
    assert [r["status"] for r in responses] == ["completed", "amended", "completed"]
    requests = [r for r in entries if r["resourceType"] == "MedicationRequest"]
    assert [r["status"] for r in requests] == ["stopped", "active"]
    assert requests[1]["priorPrescription"]["reference"] == f"urn:uuid:{requests[0]['id']}"


@pytest.mark.hazard("HZ-173")
def test_a_record_whose_reference_points_outside_is_refused(record) -> None:
    data = bundle(record)
    broken = copy.deepcopy(data)
    impression = next(e["resource"] for e in broken["entry"]
                      if e["resource"]["resourceType"] == "ClinicalImpression")
    impression["investigation"][0]["item"][0]["reference"] = "urn:uuid:not-in-the-bundle"
    with pytest.raises(FhirError, match="not in the Bundle"):
        check(broken)
    twice = copy.deepcopy(data)
    twice["entry"].append(twice["entry"][0])
    with pytest.raises(FhirError, match="appears twice"):
        check(twice)


def test_the_same_rows_give_the_same_bytes(record) -> None:
    assert render_fhir(record) == render_fhir(copy.deepcopy(record))
    assert render_pdf(record) == render_pdf(record)


def test_the_pdf_names_the_patient_and_reads_in_words(record) -> None:
    from pdf_reader import pdf_text

    text = pdf_text(render_pdf(record))
    assert "Health record of Sam Patel" in text
    assert "Wed 2 Dec 2026" in text and "(a correction)" in text and "Slept badly" in text
    assert "2026-12-02" not in text
