"""Issue 16, bounded input: every attack value is answered 4xx at once, nothing is saved,
and the next user is served (a held lock or a pinned worker would fail them)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from taper.web.clinic import services
from taper.web.clinic.models import CheckIn, Decision, PlanVersion
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast
from tests.web.test_views_patient import checkin_post
from tests.web.test_views_plans import builder_post

ATTACKS = ["1e99999999", "Infinity", "inf", "NaN", "-inf", "1e308", "1000000", "1e-9"]


def _another_user_is_served(cast: Cast) -> None:
    """Kim checks in at once after the attack: no lock is left held, no worker pinned."""
    kim = Client()
    kim.force_login(cast.other_patient.user)
    # doses_all: at some hours Kim's (Europe/London) morning dose is due and must be answered.
    page = kim.post(reverse("checkin"), checkin_post(doses_all="yes"))
    assert page.status_code in (200, 302), page.status_code
    assert CheckIn.objects.filter(patient=cast.other_patient).count() == 1


@pytest.mark.hazard("HZ-120")
@pytest.mark.parametrize("value", ATTACKS)
@pytest.mark.parametrize("field", ["temperature", "heart_rate"])
def test_hz120_a_huge_or_non_finite_checkin_number_on_the_form_is_refused_at_once(
        cast: Cast, client: Client, field: str, value: str) -> None:
    client.force_login(cast.patient.user)
    page = client.post(reverse("checkin"), checkin_post(**{field: value}, doses_all="yes"))
    html = page.content.decode()
    # The check-in answers a refused form with 400 and the form again (its errors beside them).
    assert page.status_code == 400 and f'data-testid="error-{field}">' in html
    assert not CheckIn.objects.exists() and not Decision.objects.exists()
    _another_user_is_served(cast)


@pytest.mark.hazard("HZ-120")
@pytest.mark.parametrize("value", [*ATTACKS, "1" * 5000])
@pytest.mark.parametrize("field", ["temperature_c", "heart_rate", "spasticity", "symptoms.tremor"])
def test_hz120_a_huge_or_non_finite_checkin_number_in_the_api_is_a_422(
        cast: Cast, client: Client, field: str, value: str) -> None:
    body: dict[str, Any] = factories.quiet_checkin(factories.today_of(cast.patient))
    if field == "symptoms.tremor":
        body["symptoms"] = {"tremor": value}
    else:
        body[field] = value
    answer = call(client, "post", f"/api/patients/{cast.patient.pk}/checkins",
                  token_for(cast.patient.user), body)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.content
    assert not CheckIn.objects.exists()
    _another_user_is_served(cast)


@pytest.mark.hazard("HZ-120")
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1" * 5000])
def test_hz120_json_constants_and_huge_integers_in_a_body_are_a_422(
        cast: Cast, client: Client, literal: str) -> None:
    today = factories.today_of(cast.patient)
    body = f'{{"date": "{today}", "symptoms": {{}}, "heart_rate": {literal}}}'
    answer = call(client, "post", f"/api/patients/{cast.patient.pk}/checkins",
                  token_for(cast.patient.user), body)
    assert answer.status_code == 422 and answer["Content-Type"].startswith("application/json")
    assert not CheckIn.objects.exists()


@pytest.mark.hazard("HZ-122")
@pytest.mark.parametrize(("path", "value", "field"), [
    (("current_doses", 0, "mg"), "1e308", "current_doses[0].mg"),
    (("current_doses", 0, "mg"), "1000000", "current_doses[0].mg"),
    (("current_doses", 0, "mg"), "Infinity", "current_doses[0].mg"),
    (("products", 0, "strength_mg"), "1e-9", "products[0].strength_mg"),
    (("products", 0, "strength_mg"), "1e99999999", "products[0].strength_mg"),
    (("strategy", "step_mg"), "NaN", "strategy.step_mg"),
], ids=["dose-1e308", "dose-1000000", "dose-inf", "strength-1e-9", "strength-huge", "step-nan"])
def test_hz122_an_impossible_dose_or_strength_in_a_plan_request_is_a_422(
        cast: Cast, client: Client, path: tuple[Any, ...], value: str, field: str) -> None:
    body = factories.diarist_request(factories.today_of(cast.patient))
    body["products"][0] = {"id": "tab20", "form": "tablet", "strength_mg": "20", "divisible_into": 4}
    where = body
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    before = PlanVersion.objects.count()
    answer = call(client, "post", f"/api/patients/{cast.patient.pk}/plans",
                  token_for(cast.clinician), body)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.content
    assert PlanVersion.objects.count() == before
    _another_user_is_served(cast)


@pytest.mark.hazard("HZ-121")
@pytest.mark.parametrize(("changes", "field"), [
    ({"start_date": "0001-01-01"}, "start_date"),
    ({"start_date": "9999-12-31"}, "start_date"),
    ({"step_days": "1000000000"}, "step_days"),
    ({"step_days": "100000"}, "step_days"),
    ({"step_days": "366"}, "step_days"),
    ({"dose_0_mg": "1e308"}, "dose_0_mg"),
    ({"held_0_strength": "1e-9"}, "held_0_strength"),
], ids=["start-0001", "start-9999", "days-1e9", "days-100000", "days-366", "dose-1e308",
        "strength-1e-9"])
def test_hz121_the_builder_refuses_dates_and_lengths_outside_the_window(
        cast: Cast, client: Client, changes: dict[str, str], field: str) -> None:
    client.force_login(cast.clinician)
    before = PlanVersion.objects.count()
    page = client.post(reverse("plan_new", args=[cast.patient.pk]),
                       builder_post(cast, action="save", **changes))
    assert page.status_code == 200 and f'data-testid="error-{field}">' in page.content.decode()
    assert PlanVersion.objects.count() == before
    _another_user_is_served(cast)


@pytest.mark.hazard("HZ-121")
def test_hz121_a_step_of_the_longest_length_is_accepted(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    page = client.post(reverse("plan_new", args=[cast.patient.pk]),
                       builder_post(cast, action="save", step_days="365", step_mg="30"))
    assert page.status_code == 302  # 60 → 30 → 0 mg: two steps of a year, inside five years


@pytest.mark.hazard("HZ-123")
@pytest.mark.parametrize(("note", "accepted"), [("x" * 2000, True), ("x" * 2001, False),
                                                 ("a\x00b", False)], ids=["2000", "2001", "nul"])
def test_hz123_a_checkin_note_is_bounded_and_nul_is_refused(
        cast: Cast, client: Client, note: str, accepted: bool) -> None:
    body = {**factories.quiet_checkin(factories.today_of(cast.patient)), "note": note}
    answer = call(client, "post", f"/api/patients/{cast.patient.pk}/checkins",
                  token_for(cast.patient.user), body)
    assert answer.status_code == (201 if accepted else 422), answer.content
    assert CheckIn.objects.exists() == accepted


@pytest.mark.hazard("HZ-123")
def test_hz123_the_checkin_form_refuses_a_note_over_the_bound(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.post(reverse("checkin"), checkin_post(note="x" * 4000, doses_all="yes"))
    assert page.status_code == 400 and 'data-testid="error-note">' in page.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.hazard("HZ-124")
def test_hz124_a_bad_checkin_is_refused_before_any_transaction_is_opened(cast: Cast) -> None:
    body = {**factories.quiet_checkin(factories.today_of(cast.patient)), "heart_rate": "1e99999999"}
    with mock.patch.object(transaction.Atomic, "__enter__",
                           side_effect=AssertionError("a transaction was opened")):
        with pytest.raises(services.ServiceError) as refused:
            services.record_checkin(patient=cast.patient, entered_by=cast.patient.user, data=body)
    assert refused.value.field == "heart_rate"


@pytest.mark.hazard("HZ-124")
def test_hz124_a_plan_is_planned_before_any_transaction_is_opened(cast: Cast) -> None:
    body = factories.diarist_request(factories.today_of(cast.patient))
    body["strategy"]["step_days"] = 100000
    with mock.patch.object(transaction.Atomic, "__enter__",
                           side_effect=AssertionError("a transaction was opened")):
        with pytest.raises(services.ServiceError) as refused:
            services.create_plan_draft(patient=cast.patient, author=cast.clinician,
                                       request_data=body)
    assert refused.value.field == "strategy.step_days"


@pytest.mark.hazard("HZ-124")
def test_hz124_no_statement_waits_or_runs_without_a_limit(db: None) -> None:
    """PostgreSQL: statement_timeout on every connection; SQLite: writers wait at most 5 s."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "10s"
        else:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 5000
