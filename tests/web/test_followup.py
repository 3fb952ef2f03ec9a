"""Follow-up appointments on a plan, and the monitoring period after its last dose."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.test import Client

from taper.web.clinic import services
from taper.web.clinic.models import Patient, PlanVersion
from taper.web.clinic.services.followup import monitoring_left, stop_of
from tests.web import factories
from tests.web.conftest import Cast


def test_a_followup_is_shown_to_the_patient_and_on_the_plan(cast: Cast, client: Client) -> None:
    day = factories.today_of(cast.patient) + timedelta(days=10)
    services.add_followup(plan=cast.plan.plan, clinician=cast.clinician, day=day,
                          at=time(10, 30), note="Clinic room 4")
    client.force_login(cast.patient.user)
    today = client.get("/today/").content.decode()
    assert 'data-testid="followups"' in today and "at 10:30" in today and "Clinic room 4" in today
    assert "Clinic room 4" in client.get(f"/plans/{cast.plan.pk}/").content.decode()


def test_only_the_clinician_adds_a_followup_and_not_in_the_past(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    with pytest.raises(services.ServiceError):
        services.add_followup(plan=cast.plan.plan, clinician=cast.other_clinician, day=today)
    with pytest.raises(services.ServiceError) as caught:
        services.add_followup(plan=cast.plan.plan, clinician=cast.clinician,
                              day=today - timedelta(days=1), today=today)
    assert caught.value.field == "date"


def finished(cast: Cast, days_after_stop: int) -> tuple[Patient, PlanVersion]:
    """Ada, whose 55-day plan's last dose passed `days_after_stop` days ago, completed."""
    ada = factories.patient(cast.clinician, "ada@example.org", "Ada Byrne")
    version = factories.active_plan(ada, cast.clinician, started_days_ago=55 + days_after_stop)
    assert stop_of(version) == factories.today_of(ada) - timedelta(days=days_after_stop)
    services.complete_plan(version=version, actor=cast.clinician)
    version.refresh_from_db()
    return ada, version


@pytest.mark.hazard("HZ-104")
def test_checkins_go_on_during_the_monitoring_period_and_today_says_how_long(
        cast: Cast, client: Client) -> None:
    ada, version = finished(cast, 5)
    today = factories.today_of(ada)
    stop = stop_of(version)
    assert stop is not None and version.status == "completed"
    left = monitoring_left(version, today)
    assert left == 14 - 5
    decision = services.record_checkin(patient=ada, entered_by=ada.user,
                                       data=factories.quiet_checkin(today))
    assert decision.version == version and decision.held_version is None
    client.force_login(ada.user)
    page = client.get("/today/").content.decode()
    assert f"Monitoring period: {left} days left" in page
    assert client.get("/checkin/").status_code == 200 and b"no-red-flags" in client.get("/checkin/").content


@pytest.mark.hazard("HZ-104")
def test_after_the_monitoring_period_checkins_are_refused(cast: Cast) -> None:
    ada, version = finished(cast, 5)
    services.set_monitoring_days(plan=version.plan, clinician=cast.clinician, days=3)
    version.refresh_from_db()
    assert monitoring_left(version, factories.today_of(ada)) is None
    with pytest.raises(services.ServiceError, match="no active plan"):
        services.record_checkin(patient=ada, entered_by=ada.user,
                                data=factories.quiet_checkin(factories.today_of(ada)))


@pytest.mark.parametrize(("days", "ok"), [(0, True), (90, True), (91, False), (-1, False)])
def test_the_monitoring_period_is_0_to_90_days(cast: Cast, days: int, ok: bool) -> None:
    if ok:
        plan = services.set_monitoring_days(plan=cast.plan.plan, clinician=cast.clinician, days=days)
        assert plan.monitoring_days == days
    else:
        with pytest.raises(services.ServiceError):
            services.set_monitoring_days(plan=cast.plan.plan, clinician=cast.clinician, days=days)


def test_monitoring_left_counts_from_the_stop_date(cast: Cast) -> None:
    stop = stop_of(cast.plan)
    assert stop is not None
    assert monitoring_left(cast.plan, stop - timedelta(days=1)) is None
    assert monitoring_left(cast.plan, stop) == 14
    assert monitoring_left(cast.plan, stop + timedelta(days=13)) == 1
    assert monitoring_left(cast.plan, stop + timedelta(days=14)) is None
    assert isinstance(stop, date)


@pytest.mark.hazard("HZ-104")
def test_the_desk_lists_missed_checkins_until_the_monitoring_period_ends(cast: Cast) -> None:
    from django.utils.timezone import now

    from taper.web.clinic.services.desk import attention_list

    ada, version = finished(cast, 5)
    missed = {r.patient_id for r in attention_list(cast.clinician, now()) if r.kind == "missed_checkin"}
    assert ada.pk in missed
    services.set_monitoring_days(plan=version.plan, clinician=cast.clinician, days=5)
    missed = {r.patient_id for r in attention_list(cast.clinician, now()) if r.kind == "missed_checkin"}
    assert ada.pk not in missed


def test_a_new_plan_in_force_comes_before_a_finished_ones_monitoring(cast: Cast) -> None:
    from taper.web.clinic.services.followup import monitored_version

    ada, finished_version = finished(cast, 2)
    assert monitored_version(ada, factories.today_of(ada)) == finished_version
    new = factories.active_plan(ada, cast.clinician, started_days_ago=3)
    assert monitored_version(ada, factories.today_of(ada)) == new
    from django.utils.timezone import now

    from taper.web.clinic.services.desk import attention_list

    rows = [r for r in attention_list(cast.clinician, now()) if r.patient_id == ada.pk]
    assert [r.kind for r in rows].count("missed_checkin") == 1  # not one for each plan
