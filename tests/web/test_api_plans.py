"""The API's plan actions (api/plans.py) and the symptom catalogue (api/catalogue.py) at
their boundaries: each refusal names its field, changes nothing, and is JSON."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, get_args

import pytest
from django.test import Client

from taper.core.limits import MAX_REASON_CHARS
from taper.exports import FORMATS
from taper.exports.options import MAX_MONITORING_DAYS
from taper.knowledge.monitoring import load_monitoring
from taper.web.clinic import services
from taper.web.clinic.api.plans import ExportName
from taper.web.clinic.models import FollowUp, PlanVersion
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast


def _api(client: Client, cast: Cast, method: str, path: str, body: Any = None,
         who: str = "clinician") -> Any:
    user = {"clinician": cast.clinician, "patient": cast.patient.user,
            "stranger": cast.other_clinician}[who]
    return call(client, method, f"/api{path}", token_for(user), body)


def _versions(cast: Cast) -> list[tuple[int, str]]:
    return list(PlanVersion.objects.filter(plan=cast.plan.plan).order_by("number")
                .values_list("number", "status"))


@pytest.mark.hazard("HZ-213")
@pytest.mark.parametrize(("reason", "status"), [
    ("", 422), ("   ", 422), ("x" * (MAX_REASON_CHARS + 1), 422), ("x" * MAX_REASON_CHARS, 200),
])
def test_a_stop_needs_a_reason_within_its_bound(cast: Cast, client: Client, reason: str,
                                               status: int) -> None:
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/stop", {"reason": reason})
    assert answer.status_code == status, answer.content
    cast.plan.refresh_from_db()
    if status == 422:
        assert answer.json()["field"] == "reason" and cast.plan.status == "active"
    else:
        assert cast.plan.status == "stopped" and cast.plan.end_reason == reason


@pytest.mark.hazard("HZ-213")
@pytest.mark.parametrize(("days", "status"), [(0, 422), (1, 201), (90, 201), (91, 422)])
def test_a_hold_is_1_to_90_days(cast: Cast, client: Client, days: int, status: int) -> None:
    before = _versions(cast)
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/hold",
                  {"days": days, "reason": "Settling after a cut."})
    assert answer.status_code == status, answer.content
    if status == 422:
        assert answer.json()["field"] == "days" and _versions(cast) == before
    else:
        assert answer.json()["origin"] == "hold" and answer.json()["status"] == "active"
        assert _versions(cast) == [(1, "changed"), (2, "active")]


@pytest.mark.hazard("HZ-210")
def test_only_the_plan_in_force_can_be_held_and_a_stopped_one_not_changed(
        cast: Cast, client: Client) -> None:
    draft = factories.draft_plan(cast.patient, cast.clinician)
    held = _api(client, cast, "post", f"/plans/{draft.pk}/hold", {"days": 2, "reason": "r"})
    assert held.status_code == 409 and held.json()["field"] == ""
    _api(client, cast, "post", f"/plans/{cast.plan.pk}/stop", {"reason": "ended"})
    changed = _api(client, cast, "post", f"/plans/{cast.plan.pk}/change", cast.plan.request)
    assert changed.status_code == 409, changed.content
    assert _versions(cast) == [(1, "stopped")]


@pytest.mark.hazard("HZ-210")
def test_activating_needs_approval_and_no_other_plan_in_force(cast: Cast, client: Client) -> None:
    assert _api(client, cast, "post", f"/plans/{cast.plan.pk}/activate").status_code == 409
    other = factories.draft_plan(cast.patient, cast.clinician)
    assert _api(client, cast, "post", f"/plans/{other.pk}/activate").status_code == 409
    services.approve_plan(version=other, clinician=cast.clinician)
    refused = _api(client, cast, "post", f"/plans/{other.pk}/activate")
    assert refused.status_code == 409 and "stop it first" in refused.json()["detail"]
    change = factories.approved_change(cast.plan, cast.clinician)
    done = _api(client, cast, "post", f"/plans/{change.pk}/activate")
    assert done.status_code == 200 and done.json()["status"] == "active"
    assert _versions(cast) == [(1, "changed"), (2, "active")]


@pytest.mark.hazard("HZ-210")
def test_a_change_keeps_the_drug_and_a_bad_request_names_its_field(
        cast: Cast, client: Client) -> None:
    other_drug = {**cast.plan.request, "drug": "diazepam"}
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/change", other_drug)
    assert answer.status_code == 422 and answer.json()["field"] in ("drug", "products",
                                                                   "products[0]")
    bad = {**cast.plan.request, "start_date": "not a date"}
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/change", bad)
    assert answer.status_code == 422 and answer.json()["field"] == "start_date"
    assert _versions(cast) == [(1, "active")]


@pytest.mark.hazard("HZ-210")
def test_a_stranger_and_the_patient_change_nothing(cast: Cast, client: Client) -> None:
    for who in ("stranger", "patient"):
        for path, body in [("stop", {"reason": "r"}), ("change", cast.plan.request),
                           ("activate", None)]:
            answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/{path}", body, who)
            assert answer.status_code == 404, (who, path)
    assert _versions(cast) == [(1, "active")]


@pytest.mark.hazard("HZ-212")
@pytest.mark.parametrize(("body", "field"), [
    ({"date": "{tomorrow}", "time": "09:30+02:00"}, "time"),
    ({"date": "{tomorrow}", "time": "09:30Z"}, "time"),
    ({"date": "{yesterday}"}, "date"),
    ({"date": "{tomorrow}", "note": "x" * 301}, "note"),
    ({"date": "not a date"}, "date"),
], ids=["offset", "utc", "past", "long-note", "not-a-date"])
def test_a_follow_up_is_refused_with_its_field(cast: Cast, client: Client, body: dict[str, str],
                                              field: str) -> None:
    today = factories.today_of(cast.patient)
    days = {"{tomorrow}": today + timedelta(days=1), "{yesterday}": today - timedelta(days=1)}
    sent = {k: str(days.get(v, v)) for k, v in body.items()}
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/followups", sent)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.content
    assert not FollowUp.objects.exists()


def test_a_follow_up_today_at_a_local_time_is_kept(cast: Cast, client: Client) -> None:
    today = factories.today_of(cast.patient)
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/followups",
                  {"date": today.isoformat(), "time": "09:30", "note": "x" * 300})
    assert answer.status_code == 201, answer.content
    assert answer.json()["time"] == "09:30:00" and answer.json()["created_by"] == cast.clinician.email


@pytest.mark.hazard("HZ-214")
def test_the_export_names_are_the_export_formats(cast: Cast, client: Client) -> None:
    assert set(get_args(ExportName)) == set(FORMATS)
    answer = _api(client, cast, "get", f"/plans/{cast.plan.pk}/export/docx")
    assert answer.status_code == 422 and answer.json()["field"] == "fmt"


@pytest.mark.hazard("HZ-214")
def test_a_patient_downloads_no_draft(cast: Cast, client: Client) -> None:
    draft = factories.draft_plan(cast.patient, cast.clinician)
    answer = _api(client, cast, "get", f"/plans/{draft.pk}/export/pdf", who="patient")
    assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json")


@pytest.mark.hazard("HZ-211")
def test_the_catalogue_marks_exactly_the_red_flags_of_the_rules(cast: Cast, client: Client) -> None:
    answer = _api(client, cast, "get", "/symptoms", who="patient")
    assert answer.status_code == 200
    body = answer.json()
    rules = load_monitoring("baclofen")
    flagged = {s["id"]: s["red_flag_from"] for s in body["symptoms"] if s["red_flag"]}
    assert flagged == {s.id: s.red_flag_from for s in rules.symptoms if s.red_flag_from}
    assert flagged["seizure"] == 1 and "anxiety" not in flagged
    by_id = {s["id"]: s for s in body["symptoms"]}
    assert by_id["muscle_spasms"]["red_flag_from_label"] == "severe"
    assert [g["label"] for g in body["grading"]["grades"]] == ["none", "mild", "moderate", "severe"]
    assert body["grading"]["basis"]["source"] == "spec"
    assert {r["id"] for r in body["red_flag_rules"]} == {
        r.id for r in rules.threshold_rules if r.action == "emergency"}
    known = {s["id"] for s in body["sources"]} | {"policy"}
    bases = [s["basis"] for s in body["symptoms"]] + [r["basis"] for r in body["red_flag_rules"]]
    assert all(b["source"] in known and (b["source"] != "policy" or b["reason"]) for b in bases)
    spasticity = next(s for s in body["scales"] if s["name"] == "spasticity")
    assert (spasticity["min"], spasticity["max"]) == ("0", "10")


@pytest.mark.hazard("HZ-211")
@pytest.mark.parametrize(("query", "status", "field"), [
    ("?drug=baclofen", 200, None), ("?drug=aspirin", 422, "drug"),
    ("?drug=" + "b" * 65, 422, "drug"), ("?drug=ba%00clofen", 422, "drug"),
])
def test_the_catalogue_is_of_a_monitored_drug(cast: Cast, client: Client, query: str, status: int,
                                              field: str | None) -> None:
    answer = _api(client, cast, "get", f"/symptoms{query}")
    assert answer.status_code == status, answer.content
    if field:
        assert answer.json()["field"] == field


@pytest.mark.hazard("HZ-131")
def test_errors_on_the_new_routes_are_json(cast: Cast, client: Client,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    wrong_method = _api(client, cast, "get", f"/plans/{cast.plan.pk}/activate")
    assert wrong_method.status_code == 405 and "POST" in wrong_method["Allow"]
    assert set(wrong_method.json()) == {"detail", "field"}
    unknown = _api(client, cast, "post", "/plans/999999/stop", {"reason": "r"})
    assert unknown.status_code == 404 and unknown.json()["detail"] == "not found"

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("secret internals")
    monkeypatch.setattr(services, "activate", broken)
    answer = _api(Client(raise_request_exception=False), cast, "post",
                  f"/plans/{cast.plan.pk}/activate")
    assert answer.status_code == 500 and answer.json() == {"detail": "server error; try again",
                                                           "field": ""}


@pytest.mark.hazard("HZ-097")
def test_every_operation_documents_its_answers_and_security(client: Client) -> None:
    document = client.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            assert op.get("summary"), where
            answers = op["responses"]
            assert {"401", "429", "500"} <= set(answers), where
            ok = [code for code in answers if code.startswith("2")]
            assert len(ok) == 1 and answers[ok[0]].get("content"), where
            errors = [a for code, a in answers.items() if not code.startswith("2")]
            assert all(a["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
                       for a in errors), where
            assert {name for s in op["security"] for name in s} == {"PersonalToken",
                                                                    "BrowserSession"}, where
            if method == "post" and path.endswith(("/stop", "/hold", "/change", "/followups")):
                assert op["requestBody"]["required"], where


@pytest.mark.hazard("HZ-131")
def test_a_change_over_the_body_limit_is_a_json_413_and_nothing_is_made(
        cast: Cast, client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**cast.plan.request, "note": "x" * 2000}
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/change", body)
    assert answer.status_code == 413 and set(answer.json()) == {"detail", "field"}
    assert _versions(cast) == [(1, "active")]


@pytest.mark.hazard("HZ-092")
def test_a_token_over_its_limit_is_a_json_429_on_the_new_routes(
        cast: Cast, client: Client, settings: Any) -> None:
    settings.TOKEN_RATE_LIMIT = 1
    token = token_for(cast.clinician)
    assert call(client, "get", "/api/symptoms", token).status_code == 200
    answer = call(client, "post", f"/api/plans/{cast.plan.pk}/stop", token, {"reason": "r"})
    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    assert set(answer.json()) == {"detail", "field"} and _versions(cast) == [(1, "active")]


@pytest.mark.parametrize(("days", "status"), [(-1, 422), (0, 200), (MAX_MONITORING_DAYS, 200),
                                              (MAX_MONITORING_DAYS + 1, 422)])
def test_the_monitoring_period_is_bounded(cast: Cast, client: Client, days: int,
                                          status: int) -> None:
    before = cast.plan.plan.monitoring_days
    answer = _api(client, cast, "post", f"/plans/{cast.plan.pk}/monitoring", {"days": days})
    assert answer.status_code == status, answer.content
    cast.plan.plan.refresh_from_db()
    if status == 200:
        assert answer.json()["monitoring_days"] == days == cast.plan.plan.monitoring_days
    else:
        assert answer.json()["field"] == "days" and cast.plan.plan.monitoring_days == before
