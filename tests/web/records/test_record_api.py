"""The whole record through the API and the pages: who may fetch it, and that it holds
every row of the patient's record and nothing of anyone else's."""

from __future__ import annotations

import json
from datetime import time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from taper.exports.fhir.ids import stable_uuid
from taper.web.clinic import services
from taper.web.clinic.models import (
    Alert,
    AuditEvent,
    CheckIn,
    Decision,
    DoseTaken,
    FollowUp,
    PlanVersion,
)
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast


def _bundle(client: Client, cast: Cast, user: object) -> dict:
    response = call(client, "get", f"/api/patients/{cast.patient.pk}/record", token_for(user))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Cache-Control"] == "private, no-store"
    return json.loads(response.content)


def _of(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.hazard("HZ-173")
def test_the_record_holds_every_version_checkin_and_decision_row_for_row(
        cast: Cast, client: Client) -> None:
    factories.worse_after_a_cut(cast.patient)  # four check-ins, a hold: a second version
    today = factories.today_of(cast.patient)
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                            data=factories.quiet_checkin(today, note="better now"), today=today)
    services.mark_dose(patient=cast.patient, recorded_by=cast.patient.user, day=today,
                       at=time(8), moment=timezone.now() + timedelta(days=1))
    services.add_followup(plan=cast.plan.plan, clinician=cast.clinician,
                          day=today + timedelta(days=7), note="Clinic")
    bundle = _bundle(client, cast, cast.patient.user)
    versions = PlanVersion.objects.filter(plan__patient=cast.patient)
    checkins = CheckIn.objects.filter(patient=cast.patient)
    decisions = Decision.objects.filter(patient=cast.patient)
    assert versions.count() >= 2 and checkins.filter(amends__isnull=False).exists()
    pid = cast.patient.pk
    assert {r["id"] for r in _of(bundle, "MedicationRequest")} == {
        stable_uuid("taper-record", pid, "version", v.pk) for v in versions}
    assert {r["identifier"]["value"] for r in _of(bundle, "QuestionnaireResponse")} == {
        str(c.pk) for c in checkins}
    assert {r["identifier"][0]["value"] for r in _of(bundle, "ClinicalImpression")} == {
        str(d.pk) for d in decisions}
    for kind, rows in (("MedicationStatement", DoseTaken.objects.filter(patient=cast.patient)),
                       ("Appointment", FollowUp.objects.filter(plan__patient=cast.patient)),
                       ("Communication", Alert.objects.filter(patient=cast.patient))):
        assert rows.count() >= 1 and len(_of(bundle, kind)) == rows.count(), kind
    other = cast.other_plan.pk
    assert stable_uuid("taper-record", pid, "version", other) not in json.dumps(bundle)
    assert _of(bundle, "Patient")[0]["name"] == [{"text": cast.patient.name}]


def test_the_same_rows_give_the_same_ids(cast: Cast, client: Client) -> None:
    factories.week_of_checkins(cast.patient, 3)
    first = [e["fullUrl"] for e in _bundle(client, cast, cast.patient.user)["entry"]]
    second = [e["fullUrl"] for e in _bundle(client, cast, cast.clinician)["entry"]]
    assert first[1:] == second[1:] and len(first) > 5  # the Bundle's own id names its moment


@pytest.mark.hazard("HZ-174")
@pytest.mark.parametrize(("role", "status"), [
    ("clinician", 200), ("other_clinician", 404), ("patient", 200), ("other_patient", 404),
    ("admin", 403), ("anonymous", 401)])
def test_only_the_patient_and_their_clinician_fetch_the_record(
        cast: Cast, client: Client, role: str, status: int) -> None:
    from tests.web.apiclient import person

    user = person(cast, role)
    for suffix in ("record", "record.pdf"):
        response = call(client, "get", f"/api/patients/{cast.patient.pk}/{suffix}",
                        None if user is None else token_for(user))
        assert response.status_code == status, suffix
        if status != 200:
            assert set(response.json()) == {"detail", "field"}
            assert b"Sam" not in response.content


@pytest.mark.hazard("HZ-175")
def test_each_download_leaves_an_export_row_naming_the_patient(cast: Cast, client: Client) -> None:
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _bundle(client, cast, cast.clinician)
    client.force_login(cast.patient.user)
    assert client.get(f"/patients/{cast.patient.pk}/record/pdf/").status_code == 200
    rows = list(AuditEvent.objects.filter(id__gt=last, action="export").order_by("id"))
    assert [(r.event, r.patient_id) for r in rows] == [
        ("api:patient_record", cast.patient.pk), ("record_download", cast.patient.pk)]


def test_both_pages_offer_the_record(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    assert b'id="download-record-pdf"' in client.get("/today/").content
    client.force_login(cast.clinician)
    page = client.get(f"/patients/{cast.patient.pk}/").content
    assert b'id="download-record-fhir"' in page and b'id="legal-hold-set"' in page


def test_a_patient_with_no_plan_yet_still_gets_their_record(cast: Cast, client: Client) -> None:
    newcomer = factories.patient(cast.clinician, "ada@example.org", "Ada Byrne", "Europe/Dublin")
    response = call(client, "get", f"/api/patients/{newcomer.pk}/record", token_for(cast.clinician))
    kinds = [e["resource"]["resourceType"] for e in json.loads(response.content)["entry"]]
    assert response.status_code == 200 and kinds[0] == "Patient"
    assert "MedicationRequest" not in kinds


def test_the_clinician_and_an_administrator_toggle_legal_hold_from_their_pages(
        cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    url = f"/patients/{cast.patient.pk}/legal-hold/"
    assert client.post(url, {"held": "1", "reason": "Court order"})["Location"] == (
        f"/patients/{cast.patient.pk}/")
    assert b'id="legal-hold-lift"' in client.get(f"/patients/{cast.patient.pk}/").content
    client.force_login(cast.admin)
    assert b"Lift" in client.get("/accounts/").content
    assert client.post(url, {"held": "0"})["Location"] == "/accounts/"
    from taper.web.records.services import is_held

    assert not is_held(cast.patient)
