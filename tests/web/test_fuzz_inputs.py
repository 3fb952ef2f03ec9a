"""Issue 16: Hypothesis fuzzes the check-in form, the plan builder and both API bodies.

Whatever is sent: never a 5xx, and never a half-written record (a check-in without its
decision, a plan without its version). Values mix the attack strings of the security review
with random text, numbers and JSON.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taper.web.clinic.models import CheckIn, Decision, Plan, PlanVersion
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast
from tests.web.test_views_patient import checkin_post
from tests.web.test_views_plans import builder_post

NASTY = st.sampled_from(["1e99999999", "Infinity", "-inf", "NaN", "1e308", "1000000", "1e-9",
                         "0001-01-01", "9999-12-31", "a\x00b", "x" * 5000, "", " ", "-0",
                         "\u202e", "08:00", "25:61", "٣٧", "1_0", "0x10"])
VALUE = st.one_of(NASTY, st.text(max_size=40), st.integers(-10**6, 10**6).map(str))
JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                              st.floats(allow_nan=False), NASTY, st.text(max_size=20)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3),
                                            st.dictionaries(st.text(max_size=10), inner, max_size=3)),
                    max_leaves=8)
FUZZ = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _whole() -> None:
    assert CheckIn.objects.count() == Decision.objects.count()
    assert Plan.objects.filter(versions__isnull=True).count() == 0


@pytest.mark.hazard("HZ-126")
@FUZZ
@given(changes=st.dictionaries(st.sampled_from(
    ["temperature", "temperature_unit", "heart_rate", "note", "spasticity", "sleep_quality",
     "symptom_tremor", "doses_taken"]), VALUE, min_size=1, max_size=4))
def test_hz126_the_checkin_form_never_fails_or_half_saves(cast: Cast, changes: dict[str, str]) -> None:
    client = Client()
    client.force_login(cast.patient.user)
    page = client.post(reverse("checkin"), checkin_post(**changes))
    assert page.status_code < 500
    _whole()


@pytest.mark.hazard("HZ-126")
@FUZZ
@given(changes=st.dictionaries(st.sampled_from(
    ["start_date", "timezone", "dose_0_time", "dose_0_mg", "held_0_strength", "held_0_divisible",
     "held_0_label", "strategy_kind", "step_mg", "step_days", "reduce_order", "percent"]),
    VALUE, min_size=1, max_size=4))
def test_hz126_the_plan_builder_never_fails_or_half_saves(cast: Cast, changes: dict[str, str]) -> None:
    client = Client()
    client.force_login(cast.clinician)
    before = PlanVersion.objects.count()
    page = client.post(reverse("plan_new", args=[cast.patient.pk]),
                       builder_post(cast, action="save", **changes))
    assert page.status_code < 500
    assert PlanVersion.objects.count() == before + (1 if page.status_code == 302 else 0)
    _whole()


@pytest.mark.hazard("HZ-126")
@FUZZ
@given(key=st.sampled_from(["temperature_c", "heart_rate", "spasticity", "note", "date",
                            "doses_taken", "symptoms", "temperature", "extra"]), value=JSON)
def test_hz126_a_checkin_body_never_fails_or_half_saves(cast: Cast, key: str, value: Any) -> None:
    body = {**factories.quiet_checkin(factories.today_of(cast.patient)), key: value}
    answer = call(Client(), "post", f"/api/patients/{cast.patient.pk}/checkins",
                  token_for(cast.patient.user), body)
    assert answer.status_code in (201, 422), answer.content
    _whole()


@pytest.mark.hazard("HZ-126")
@FUZZ
@given(path=st.sampled_from([("start_date",), ("timezone",), ("drug",), ("current_doses",),
                             ("current_doses", 0, "mg"), ("current_doses", 0, "time"),
                             ("products",), ("products", 0), ("strategy",),
                             ("strategy", "step_days"), ("strategy", "step_mg"),
                             ("reduce_order",), ("max_daily_mg_override",)]), value=JSON)
def test_hz126_a_plan_body_never_fails_or_half_saves(cast: Cast, path: tuple[Any, ...],
                                                     value: Any) -> None:
    body: Any = factories.diarist_request(factories.today_of(cast.patient))
    where = body
    for key in path[:-1]:
        where = where[key]
    where[path[-1]] = value
    before = PlanVersion.objects.count()
    answer = call(Client(), "post", f"/api/patients/{cast.patient.pk}/plans",
                  token_for(cast.clinician), body)
    assert answer.status_code in (201, 422), answer.content
    assert PlanVersion.objects.count() == before + (answer.status_code == 201)
    _whole()
