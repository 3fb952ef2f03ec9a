"""The clinician's attention list: most urgent first, acknowledged decisions leave it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from taper.web.clinic import services
from taper.web.clinic.services.desk import attention_list
from tests.web import factories
from tests.web.conftest import Cast


def test_red_flags_come_first_then_missed_checkins_then_dose_changes(cast: Cast) -> None:
    # Both plans started 7 days ago, 5-day steps: each changes dose in 3 days; no check-ins.
    quiet = attention_list(cast.clinician, now())
    assert [r.kind for r in quiet] == ["missed_checkin"] * 2 + ["step_change"] * 2
    assert {r.patient_id for r in quiet if r.kind == "missed_checkin"} == {
        cast.patient.pk, cast.other_patient.pk}
    assert {r.patient_id for r in quiet if r.kind == "step_change"} == {
        cast.patient.pk, cast.other_patient.pk}
    change = next(r for r in quiet if r.kind == "step_change" and r.patient_id == cast.patient.pk)
    assert change.due == factories.today_of(cast.patient) + timedelta(days=3)
    assert "45 mg a day" in change.reason

    today = factories.today_of(cast.patient)
    red = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                  data=factories.quiet_checkin(today, heart_rate=150))
    rows = attention_list(cast.clinician, now())
    assert (rows[0].kind, rows[0].patient_id, rows[0].decision_id) == ("red_flag", cast.patient.pk, red.pk)
    kinds = [r.kind for r in rows]
    assert kinds == sorted(kinds, key=["red_flag", "contact_prescriber", "hold", "missed_checkin",
                                       "step_change"].index)
    # Sam checked in today (not missed) and the hold moved Sam's next change a day later.
    assert [(r.kind, r.patient_id) for r in rows[1:]] == [
        ("missed_checkin", cast.other_patient.pk), ("step_change", cast.other_patient.pk)]


def test_a_patient_who_checked_in_yesterday_is_not_missed_but_two_days_ago_is(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                            data=factories.quiet_checkin(today - timedelta(days=2)),
                            today=today - timedelta(days=2))
    missed = [r for r in attention_list(cast.clinician, now()) if r.kind == "missed_checkin"]
    assert cast.patient.pk in {r.patient_id for r in missed}
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                            data=factories.quiet_checkin(today - timedelta(days=1)),
                            today=today - timedelta(days=1))
    missed = [r for r in attention_list(cast.clinician, now()) if r.kind == "missed_checkin"]
    assert cast.patient.pk not in {r.patient_id for r in missed}


def test_acknowledging_records_who_and_when_and_only_the_patients_clinician_may(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    red = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                  data=factories.quiet_checkin(today, heart_rate=150))
    with pytest.raises(services.ServiceError):
        services.acknowledge_decision(decision=red, clinician=cast.other_clinician)
    done = services.acknowledge_decision(decision=red, clinician=cast.clinician)
    assert done.acknowledged_by == cast.clinician and done.acknowledged_at is not None
    assert "red_flag" not in {r.kind for r in attention_list(cast.clinician, now())}


def test_only_a_clinician_has_an_attention_list(cast: Cast) -> None:
    assert attention_list(cast.other_clinician, now()) == []
    assert attention_list(cast.patient.user, now()) == []


def test_the_plans_own_missed_checkin_days_decide_when_a_patient_is_listed(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                            data=factories.quiet_checkin(today - timedelta(days=2)),
                            today=today - timedelta(days=2))
    plan = cast.patient.plans.get()
    plan.missed_checkin_days = 3
    plan.save(update_fields=["missed_checkin_days"])
    missed = {r.patient_id for r in attention_list(cast.clinician, now()) if r.kind == "missed_checkin"}
    assert cast.patient.pk not in missed
