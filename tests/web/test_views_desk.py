"""The desk: the attention list as a page, acknowledging, acting on a suggestion, holds."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest
from django.test import Client

from taper.web.clinic import services
from taper.web.clinic.engine import stored_plan
from taper.web.clinic.models import Decision, LifecycleEvent, Status
from taper.web.clinic.services.checkins import active_version
from tests.web import factories
from tests.web.conftest import Cast


def test_a_clinicians_home_is_the_desk(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    assert client.get("/")["Location"] == "/desk/"


@pytest.mark.hazard("HZ-100")
def test_the_desk_lists_the_red_flag_first_and_acknowledging_removes_it(cast: Cast,
                                                                       client: Client) -> None:
    today = factories.today_of(cast.patient)
    red = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                  data=factories.quiet_checkin(today, heart_rate=150))
    client.force_login(cast.clinician)
    page = client.get("/desk/").content.decode()
    assert page.index(f'data-testid="row-red_flag-{cast.patient.pk}"') < page.index("row-missed_checkin")
    assert "Red flag" in page and f'id="ack-{red.pk}"' in page
    response = client.post(f"/decisions/{red.pk}/acknowledge/")
    assert response.status_code == 302 and response["Location"] == "/desk/"
    red.refresh_from_db()
    assert red.acknowledged_by == cast.clinician and red.acknowledged_at is not None
    assert f"row-red_flag-{cast.patient.pk}" not in client.get("/desk/").content.decode()


def test_the_acknowledge_route_answers_who_and_when(cast: Cast, client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    client.force_login(cast.clinician)
    answer = client.post(f"/api/decisions/{decision.pk}/acknowledge").json()
    assert (answer["id"], answer["acknowledged_by"]) == (decision.pk, cast.clinician.email)
    assert Decision.objects.get(pk=decision.pk).acknowledged_at is not None


def test_the_flagged_patient_page_offers_the_suggestions(cast: Cast, client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    client.force_login(cast.clinician)
    page = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert f"/decisions/{decision.pk}/apply/return_to_dose/?option=0" in page
    assert f"/decisions/{decision.pk}/apply/slower_pace/?option=1" in page


@pytest.mark.hazard("HZ-101")
def test_returning_to_the_tolerated_dose_starts_at_once_with_one_confirmation(
        cast: Cast, client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    before = active_version(cast.patient)
    client.force_login(cast.clinician)
    preview = client.get(f"/decisions/{decision.pk}/apply/return_to_dose/?option=0")
    assert b"55 mg" in preview.content and b"confirm-apply" in preview.content
    assert active_version(cast.patient) == before  # a preview saves nothing
    response = client.post(f"/decisions/{decision.pk}/apply/return_to_dose/", {"option": "0"})
    new = active_version(cast.patient)
    assert new is not None and new != before and response["Location"] == f"/plans/{new.pk}/"
    assert (new.approved_by, new.based_on, new.origin) == (cast.clinician, before, "change")
    assert before is not None and Status(type(before).objects.get(pk=before.pk).status) == "changed"
    plan = stored_plan(new.plan_json)
    today = factories.today_of(cast.patient)
    assert sum(d.mg for d in plan.baseline) == 55 and plan.start_date == today + timedelta(days=5)
    kinds = list(LifecycleEvent.objects.filter(version=new).values_list("kind", flat=True))
    assert kinds == ["created", "approved", "activated"]
    client.force_login(cast.patient.user)
    assert b"55 mg" in client.get("/today/").content


@pytest.mark.parametrize(("option", "step_mg", "step_days"), [(0, "2.5", 5), (1, "5", 10)])
def test_a_slower_pace_continues_from_todays_dose(cast: Cast, option: int, step_mg: str,
                                                 step_days: int) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    new = services.apply_suggestion(decision=decision, clinician=cast.clinician,
                                    kind="slower_pace", index=option)
    assert new.request["strategy"] == {"kind": "fixed_mg", "step_mg": step_mg,
                                       "step_days": step_days}
    plan = stored_plan(new.plan_json)
    assert sum(d.mg for d in plan.baseline) == 50  # today's dose, kept
    # The target; the dose given is what the tablets allow (the planner's warnings say so).
    assert 50 - plan.steps[0].target_daily_mg == Fraction(step_mg)


def test_only_the_patients_clinician_may_apply_and_an_unknown_suggestion_is_refused(
        cast: Cast) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    with pytest.raises(services.ServiceError):
        services.apply_suggestion(decision=decision, clinician=cast.other_clinician,
                                  kind="return_to_dose")
    with pytest.raises(services.ServiceError, match="no such suggestion"):
        services.apply_suggestion(decision=decision, clinician=cast.clinician,
                                  kind="slower_pace", index=5)


@pytest.mark.hazard("HZ-102")
def test_a_hold_extends_the_current_step_and_keeps_the_approval(cast: Cast, client: Client) -> None:
    before = stored_plan(cast.plan.plan_json)
    client.force_login(cast.clinician)
    response = client.post(f"/plans/{cast.plan.pk}/hold/", {"days": "4", "reason": "Tired."})
    new = active_version(cast.patient)
    assert new is not None and response["Location"] == f"/plans/{new.pk}/"
    after = stored_plan(new.plan_json)
    assert after.stop_date == before.stop_date + timedelta(days=4)  # type: ignore[operator]
    assert [s.daily_mg for s in after.steps] == [s.daily_mg for s in before.steps]
    assert (new.origin, new.approved_by) == ("hold", cast.clinician)


@pytest.mark.parametrize(("days", "reason", "field"), [(0, "x", "days"), (91, "x", "days"),
                                                       (3, "  ", "reason")])
def test_a_hold_needs_days_in_range_and_a_reason(cast: Cast, days: int, reason: str,
                                                field: str) -> None:
    with pytest.raises(services.ServiceError) as caught:
        services.extend_step(version=cast.plan, clinician=cast.clinician, days=days, reason=reason)
    assert caught.value.field == field


def test_before_a_new_version_starts_today_shows_the_dose_kept_until_then(cast: Cast,
                                                                          client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    services.apply_suggestion(decision=decision, clinician=cast.clinician, kind="return_to_dose")
    client.force_login(cast.patient.user)
    assert b"55 mg in all" in client.get("/today/").content
