"""The JSON API: tokens and sessions, the routes over the services, errors and rate limits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from taper.web.clinic import services
from taper.web.clinic.models import ApiToken, AuditEvent, Patient, PlanVersion
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast


def test_a_clinician_adds_a_patient_plans_approves_and_the_patient_checks_in(
        cast: Cast, client: Client) -> None:
    doctor = token_for(cast.clinician)
    made = call(client, "post", "/api/patients", doctor,
                {"name": "Ada Byrne", "email": "ada@example.org", "timezone": "Europe/Dublin"})
    assert made.status_code == 201, made.content
    patient = made.json()
    assert patient["id"] and patient["invitation_link"].startswith("https://taper.example.org/invitation/")
    assert patient["email"] in [p["email"] for p in call(client, "get", "/api/patients", doctor).json()]

    start = factories.today_of(cast.patient)
    drafted = call(client, "post", f"/api/patients/{patient['id']}/plans", doctor,
                   factories.diarist_request(start, "Europe/Dublin"))
    assert drafted.status_code == 201, drafted.content
    plan = drafted.json()
    assert plan["status"] == "draft" and not plan["reviewed"]
    assert [s["daily_mg"] for s in plan["steps"]][:2] == ["55", "50"] and plan["supply"]
    approved = call(client, "post", f"/api/plans/{plan['id']}/approve", doctor, {"note": "ok"})
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"] == cast.clinician.email
    assert call(client, "get", f"/api/plans/{plan['id']}", doctor).json()["id"] == plan["id"]

    sam = token_for(cast.patient.user)
    checkin = call(client, "post", f"/api/patients/{cast.patient.pk}/checkins", sam,
                   f'{{"date": "{start}", "symptoms": {{}}, "spasticity": 3, "temperature_c": 37.2}}')
    assert checkin.status_code == 201, checkin.content
    answer = checkin.json()
    assert answer["decision"]["action"] == "proceed"
    assert answer["data"]["temperature_c"] == "37.2"  # a JSON number read exactly, never a float
    listed = call(client, "get", f"/api/patients/{cast.patient.pk}/checkins", sam).json()
    assert [c["id"] for c in listed] == [answer["id"]]


@pytest.mark.hazard("HZ-090")
def test_another_clinicians_patient_is_a_404_and_nothing_is_made(cast: Cast, client: Client) -> None:
    stranger = token_for(cast.other_clinician)
    start = factories.today_of(cast.patient)
    for method, url, body in [
        ("get", f"/api/plans/{cast.plan.pk}", None),
        ("get", f"/api/patients/{cast.patient.pk}/checkins", None),
        ("post", f"/api/patients/{cast.patient.pk}/plans", factories.diarist_request(start)),
        ("post", f"/api/patients/{cast.patient.pk}/checkins", factories.quiet_checkin(start)),
        ("post", f"/api/plans/{cast.plan.pk}/approve", {}),
    ]:
        response = call(client, method, url, stranger, body)
        assert response.status_code == 404 and response.json() == {"detail": "not found", "field": ""}
    assert PlanVersion.objects.filter(plan__patient=cast.patient).count() == 1
    assert not cast.patient.checkins.exists()


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/patients", {"name": "No Email"}, "email"),
    ("/api/patients", {"name": "X", "email": "not-an-address"}, "email"),
    ("/api/patients", {"name": "X", "email": "x@example.org", "timezone": "Mars/Base"}, "timezone"),
    ("/api/patients", "{not json", ""),
    ("/api/patients/{patient}/plans", {"drug": "baclofen"}, "start_date"),
    ("/api/patients/{patient}/plans", [1, 2], ""),
    ("/api/patients/{patient}/checkins", {"date": "{today}", "spasticity": 11}, "spasticity"),
], ids=["missing", "bad-email", "bad-zone", "not-json", "engine-field", "not-an-object", "checkin-field"])
def test_a_bad_body_is_a_422_naming_the_field(cast: Cast, client: Client, url: str, body: object,
                                             field: str) -> None:
    today = factories.today_of(cast.patient).isoformat()
    if isinstance(body, dict):
        body = {k: v.replace("{today}", today) if isinstance(v, str) else v for k, v in body.items()}
    before = (Patient.objects.count(), PlanVersion.objects.count())
    response = call(client, "post", url.format(patient=cast.patient.pk), token_for(cast.clinician), body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field and response.json()["detail"]
    assert (Patient.objects.count(), PlanVersion.objects.count()) == before
    row = AuditEvent.objects.first()
    assert row is not None and (row.action, row.status) == ("attempt", 422)


def test_approving_a_plan_that_is_not_a_draft_is_a_409(cast: Cast, client: Client) -> None:
    response = call(client, "post", f"/api/plans/{cast.plan.pk}/approve", token_for(cast.clinician))
    assert response.status_code == 409 and "only a draft" in response.json()["detail"]


@pytest.mark.hazard("HZ-091")
@pytest.mark.parametrize("header", [None, "Bearer taper_not-a-real-token", "Basic abc", "Bearer "])
def test_no_or_a_wrong_credential_is_a_401(cast: Cast, client: Client, header: str | None) -> None:
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.get("/api/dashboard", **extra)
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()) == {"detail", "field"}


@pytest.mark.hazard("HZ-091")
def test_a_revoked_token_stops_working_at_once(cast: Cast, client: Client) -> None:
    secret = token_for(cast.clinician)
    assert call(client, "get", "/api/dashboard", secret).status_code == 200
    token = ApiToken.objects.get(user=cast.clinician)
    assert token.last_used_at is not None and secret not in (token.token_hash, token.prefix)
    services.revoke_api_token(token=token, actor=cast.clinician)
    assert call(client, "get", "/api/dashboard", secret).status_code == 401


def test_an_inactive_account_s_token_does_not_work(cast: Cast, client: Client) -> None:
    secret = token_for(cast.clinician)
    cast.clinician.is_active = False
    cast.clinician.save(update_fields=["is_active"])
    assert call(client, "get", "/api/dashboard", secret).status_code == 401


@pytest.mark.hazard("HZ-092")
@override_settings(TOKEN_RATE_LIMIT=3)
def test_a_token_over_its_limit_gets_429_with_retry_after(cast: Cast, client: Client) -> None:
    secret = token_for(cast.clinician)
    answers = [call(client, "get", "/api/dashboard", secret).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = call(client, "get", "/api/dashboard", secret)
    assert 1 <= int(refused["Retry-After"]) <= 60 and "too many" in refused.json()["detail"]
    assert call(client, "get", "/api/dashboard", token_for(cast.clinician, "another")).status_code == 200


def test_the_window_starts_again_after_a_minute(cast: Cast) -> None:
    from django.utils.timezone import now

    from taper.web.clinic.services.tokens import spend, window_of

    token, _ = services.create_api_token(user=cast.clinician, name="t", actor=cast.clinician)
    at = window_of(now())
    with override_settings(TOKEN_RATE_LIMIT=2):
        assert [spend(ApiToken.objects.get(pk=token.pk), at) for _ in range(3)] == [True, True, False]
        assert spend(ApiToken.objects.get(pk=token.pk), at + timedelta(seconds=60))


def test_the_browser_session_works_and_writes_need_the_csrf_token(cast: Cast) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.clinician)
    assert browser.get("/api/patients").status_code == 200
    body = {"name": "Ada Byrne", "email": "ada@example.org"}
    refused = call(browser, "post", "/api/patients", None, body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    page = browser.get("/account/")
    token = browser.cookies["csrftoken"].value
    assert page.status_code == 200
    made = call(browser, "post", "/api/patients", None, body, HTTP_X_CSRFTOKEN=token)
    assert made.status_code == 201


def test_the_dashboard_lists_a_red_flag_first_until_acknowledged(cast: Cast, client: Client) -> None:
    today = factories.today_of(cast.patient)
    decision = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                       data=factories.quiet_checkin(today, heart_rate=150))
    assert decision.action == "emergency"
    doctor = token_for(cast.clinician)
    items = call(client, "get", "/api/dashboard", doctor).json()["items"]
    assert items[0]["kind"] == "red_flag" and items[0]["patient_id"] == cast.patient.pk
    assert items[0]["decision_id"] == decision.pk and "EMERGENCY" in items[0]["reason"]
    services.acknowledge_decision(decision=decision, clinician=cast.clinician)
    kinds = [i["kind"] for i in call(client, "get", "/api/dashboard", doctor).json()["items"]
             if i["patient_id"] == cast.patient.pk]
    assert "red_flag" not in kinds


@pytest.mark.hazard("HZ-093")
def test_the_api_docs_page_loads_nothing_from_another_host(client: Client) -> None:
    page = client.get("/api/docs")
    html = page.content.decode()
    assert page.status_code == 200 and "swagger-ui-bundle.js" in html
    assert re.findall(r"https?://[^\s\"'<>]+", html) == []
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), asset  # vendored in the ninja package, collected with the rest
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "cdn" not in csp and "http" not in csp


def test_the_openapi_document_names_every_route_and_both_ways_to_authenticate(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/patients", "/api/patients/{patient_id}/plans", "/api/plans/{version_id}",
        "/api/plans/{version_id}/approve", "/api/patients/{patient_id}/checkins", "/api/dashboard",
        "/api/decisions/{decision_id}/acknowledge", "/api/patients/{patient_id}/record",
        "/api/patients/{patient_id}/record.pdf", "/api/patients/{patient_id}/messages",
        "/api/plans/{version_id}/activate",
        "/api/plans/{version_id}/stop", "/api/plans/{version_id}/change",
        "/api/plans/{version_id}/hold", "/api/plans/{version_id}/followups",
        "/api/plans/{version_id}/export/{fmt}", "/api/plans/{version_id}/monitoring",
        "/api/symptoms", "/api/me"}
    assert set(schema["components"]["securitySchemes"]) == {"PersonalToken", "BrowserSession"}
