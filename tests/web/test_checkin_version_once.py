"""The version a check-in is assessed against is read once (issue 17): the screening's,
unless the patient's lock shows another in force by then."""

from __future__ import annotations

from typing import Any

import pytest

from taper.web.clinic import services
from taper.web.clinic.models import PlanVersion, Status
from taper.web.clinic.services import checkins
from taper.web.clinic.services.followup import monitored_version
from tests.web import factories
from tests.web.conftest import Cast


def screened_as(monkeypatch: pytest.MonkeyPatch, stale: PlanVersion) -> list[str]:
    """The screening finds `stale` (as if the version changed between the screening and
    the lock); the service's own reading is left as it is."""
    real = checkins.monitored_version
    calls: list[str] = []

    def first_stale(patient: Any, today: Any) -> PlanVersion | None:
        calls.append("screen" if not calls else "service")
        return stale if len(calls) == 1 else real(patient, today)

    monkeypatch.setattr(checkins, "monitored_version", first_stale)
    return calls


def test_the_screened_version_still_in_force_is_not_read_again(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    today = factories.today_of(cast.patient)
    calls = screened_as(monkeypatch, monitored_version(cast.patient, today))
    decision = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                       data=factories.quiet_checkin(today))
    assert calls == ["screen"]
    assert decision.version == cast.plan


@pytest.mark.hazard("HZ-203")
def test_a_version_replaced_after_the_screening_is_not_the_one_assessed(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    today = factories.today_of(cast.patient)
    stale = monitored_version(cast.patient, today)
    assert stale is not None and stale.status == Status.ACTIVE
    held = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                   data=factories.quiet_checkin(today, symptoms={"anxiety": 2}))
    assert held.held_version is not None  # the old version changed, a new one in force
    calls = screened_as(monkeypatch, stale)  # the screening still saw the old one
    decision = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                       data=factories.quiet_checkin(today))
    assert calls == ["screen", "service"]
    assert decision.version == held.held_version != stale


@pytest.mark.hazard("HZ-203")
def test_a_plan_stopped_after_the_screening_is_read_again(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    today = factories.today_of(cast.patient)
    stale = monitored_version(cast.patient, today)
    assert stale is not None
    services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Stopped at clinic.")
    calls = screened_as(monkeypatch, stale)
    with pytest.raises(services.ServiceError, match="no active plan"):
        services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                data=factories.quiet_checkin(today))
    assert calls == ["screen", "service"]


def test_a_completed_version_in_its_monitoring_period_is_read_again_under_the_lock(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    ada = factories.patient(cast.clinician, "ada@example.org", "Ada Byrne")
    version = factories.active_plan(ada, cast.clinician, started_days_ago=60)
    services.complete_plan(version=version, actor=cast.clinician)
    today = factories.today_of(ada)
    done = monitored_version(ada, today)
    assert done is not None and done.status == Status.COMPLETED
    calls = screened_as(monkeypatch, done)
    decision = services.record_checkin(patient=ada, entered_by=ada.user,
                                       data=factories.quiet_checkin(today))
    assert calls == ["screen", "service"]  # only a version in force is taken as screened
    assert decision.version == version


def held_today_by_the_orm(patient: Any, today: Any) -> bool:
    from taper.web.clinic.models import Decision

    return Decision.objects.filter(patient=patient, today=today,
                                   held_version__isnull=False).exists()


def test_held_today_answers_as_the_orm_query_it_replaces(cast: Cast) -> None:
    from datetime import timedelta

    today = factories.today_of(cast.patient)
    asked = [(cast.patient, today), (cast.patient, today - timedelta(days=1)),
             (cast.other_patient, today)]
    assert [checkins._held_today(*a) for a in asked] == [False, False, False]
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                            data=factories.quiet_checkin(today))  # proceeds: no hold
    assert [checkins._held_today(*a) for a in asked] == [held_today_by_the_orm(*a) for a in asked]
    assert not checkins._held_today(cast.patient, today)
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                            data=factories.quiet_checkin(today, symptoms={"anxiety": 2}))
    assert [checkins._held_today(*a) for a in asked] == [held_today_by_the_orm(*a) for a in asked]
    assert [checkins._held_today(*a) for a in asked] == [True, False, False]
