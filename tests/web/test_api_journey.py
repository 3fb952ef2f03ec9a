"""A whole taper through the API alone, as an integration would run it: a patient, a plan,
approval, start, check-ins (one that holds), the prescriber's hold, a change (a new
version approved and put in force), a follow-up, every export read back, and a stop.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar

from taper.exports import FORMATS
from taper.web.clinic import services
from taper.web.clinic.models import AuditEvent, Patient, PlanVersion
from tests.exports.pdf_reader import pdf_text
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast


class Api:
    """One caller: a token and the test client; every answer's status is checked."""

    def __init__(self, client: Client, token: str) -> None:
        self.client, self.token = client, token

    def __call__(self, method: str, path: str, status: int, body: Any = None) -> Any:
        answer = call(self.client, method, f"/api{path}", self.token, body)
        assert answer.status_code == status, (method, path, answer.content[:500])
        return answer


def _check(fmt: str, body: bytes, number: int, first_day: date) -> None:
    """The export read back by a reader of its format: it is the version asked for."""
    if fmt == "ics":
        events = Calendar.from_ical(body).walk("VEVENT")
        assert events and all(f"Plan version {number}." in str(e.get("DESCRIPTION"))
                              for e in events)
        starts = [e.decoded("DTSTART") for e in events]
        assert min(d.date() if isinstance(d, datetime) else d for d in starts) == first_day
    elif fmt == "fhir":
        bundle = Bundle.model_validate(json.loads(body))
        kinds = {e.resource.__resource_type__ for e in bundle.entry or []}
        assert {"Patient", "MedicationRequest"} <= kinds, kinds
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows and {r["plan_version"] for r in rows} == {str(number)}
        assert rows[0]["date"] == first_day.isoformat()
    else:  # the plan report and the pharmacy summaries (PDF or text)
        text = pdf_text(body) if body.startswith(b"%PDF") else " ".join(body.decode().split())
        assert "Ada Byrne" in text and f"version {number}" in text.lower(), text[:300]


@pytest.mark.hazard("HZ-210")
@pytest.mark.hazard("HZ-214")
def test_an_integration_runs_a_whole_taper_through_the_api(cast: Cast, client: Client) -> None:
    doctor = Api(client, token_for(cast.clinician))
    made = doctor("post", "/patients", 201, {"name": "Ada Byrne", "email": "ada@example.org",
                                             "timezone": "Europe/Dublin"}).json()
    invitation = made["invitation_link"].rstrip("/").rsplit("/", 1)[1]
    ada = services.accept_invitation(token=invitation, password=factories.PASSWORD)
    herself = Api(client, token_for(ada))
    today = factories.today_of(Patient.objects.get(pk=made["id"]))

    plan = doctor("post", f"/patients/{made['id']}/plans", 201,
                  factories.diarist_request(today, "Europe/Dublin")).json()
    doctor("post", f"/plans/{plan['id']}/activate", 409)  # not approved yet: refused
    doctor("post", f"/plans/{plan['id']}/approve", 200, {"note": "Reviewed at clinic"})
    active = doctor("post", f"/plans/{plan['id']}/activate", 200).json()
    assert active["status"] == "active" and active["approved_by"] == cast.clinician.email

    quiet = herself("post", f"/patients/{made['id']}/checkins", 201,
                    factories.quiet_checkin(today)).json()
    assert quiet["decision"]["action"] == "proceed"
    worse = herself("post", f"/patients/{made['id']}/checkins", 201,
                    factories.quiet_checkin(today, symptoms={"anxiety": 2})).json()
    assert worse["decision"]["action"] == "hold"
    held_by_engine = worse["decision"]["held_version_id"]
    assert held_by_engine is not None
    in_force = doctor("get", f"/plans/{held_by_engine}", 200).json()
    assert in_force["status"] == "active" and in_force["origin"] == "hold"

    held = doctor("post", f"/plans/{in_force['id']}/hold", 201,
                  {"days": 3, "reason": "Anxiety settling; stay a few days more."}).json()
    assert held["status"] == "active" and held["origin"] == "hold"
    assert held["number"] == in_force["number"] + 1
    assert doctor("get", f"/plans/{in_force['id']}", 200).json()["status"] == "changed"

    slower = {**factories.diarist_request(today + timedelta(days=1), "Europe/Dublin")}
    slower["strategy"] = {**slower["strategy"], "step_days": 7}
    draft = doctor("post", f"/plans/{held['id']}/change", 201, slower).json()
    assert draft["status"] == "draft" and draft["origin"] == "change"
    assert draft["plan_id"] == held["plan_id"]
    doctor("post", f"/plans/{draft['id']}/approve", 200, {})
    changed = doctor("post", f"/plans/{draft['id']}/activate", 200).json()
    assert changed["status"] == "active"
    assert doctor("get", f"/plans/{held['id']}", 200).json()["status"] == "changed"

    visit = (today + timedelta(days=10)).isoformat()
    doctor("post", f"/plans/{changed['id']}/followups", 201,
           {"date": visit, "time": "09:30", "note": "Review the pace"})
    assert [f["date"] for f in herself("get", f"/plans/{changed['id']}/followups", 200).json()] \
        == [visit]

    for fmt, found in FORMATS.items():
        answer = herself("get", f"/plans/{changed['id']}/export/{fmt}", 200)
        assert answer["Content-Type"] == found.media_type
        assert answer["Content-Disposition"].startswith("attachment;")
        _check(fmt, answer.content, changed["number"], today + timedelta(days=1))

    stopped = doctor("post", f"/plans/{changed['id']}/stop", 200,
                     {"reason": "Spasticity came back; to be rebuilt at clinic."}).json()
    assert stopped["status"] == "stopped"
    refused = herself("post", f"/patients/{made['id']}/checkins", 409,
                      factories.quiet_checkin(today + timedelta(days=1))).json()
    assert refused["field"] == "" and refused["detail"]
    versions = PlanVersion.objects.filter(plan_id=plan["plan_id"]).order_by("number")
    assert [v.status for v in versions] == ["changed", "changed", "changed", "stopped"]
    actions = set(AuditEvent.objects.filter(patient_id=made["id"]).values_list("event", flat=True))
    assert {"activate", "extend_step", "change_plan", "stop_plan", "add_followup"} <= actions
