"""Refill notices: a product first needed within the lead time, from the plan's own supply."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.clinic.models import Patient
from taper.web.reminders.policy import policy
from taper.web.reminders.refills import refill_notices
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.reminders.plans import LIQUID, liquid_plan


@pytest.mark.hazard("HZ-033")
@pytest.mark.parametrize(("liquid_in_days", "days", "noticed"), [
    (7, 7, True),    # first needed exactly at the end of the lead time
    (8, 7, False),   # a day beyond it
    (1, 7, True),    # tomorrow
    (0, 7, False),   # today: already needed, too late to be "in time"
    (1, 1, True),
])
def test_a_new_product_is_noticed_within_the_lead_time_and_not_before(
        cast: Cast, liquid_in_days: int, days: int, noticed: bool) -> None:
    person = factories.patient(cast.clinician, "ana@example.org", "Ana Ruiz")
    liquid_plan(person, cast.clinician, liquid_in_days=liquid_in_days)
    today = factories.today_of(person)
    notices = refill_notices(person, today, days)
    assert bool(notices) is noticed
    if noticed:
        assert notices[0].products == (LIQUID,)
        assert (notices[0].day - today).days == liquid_in_days


@pytest.mark.hazard("HZ-033")
def test_products_used_from_the_first_day_are_not_new(cast: Cast) -> None:
    today = factories.today_of(cast.patient)  # the diarist's plan: one product from day one
    assert refill_notices(cast.patient, today, policy().refill_days_high) == []


def test_the_default_lead_time_is_a_bounded_policy_setting() -> None:
    rule = policy()
    assert rule.refill_days_low <= rule.refill_days <= rule.refill_days_high <= 28


@pytest.mark.hazard("HZ-033")
def test_today_shows_the_notice_with_the_product_and_the_day(client: Client, ana: Patient) -> None:
    client.force_login(ana.user)
    page = client.get(reverse("today")).content.decode()
    assert 'data-testid="refill-notice"' in page and LIQUID in page
    assert "which it has not used before" in page
