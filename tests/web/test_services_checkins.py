"""Check-ins through the services: the engine decides, the web stores and shows."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from taper.web.clinic import services
from taper.web.clinic.models import CheckIn, Decision, PlanVersion, Status
from tests.web import factories
from tests.web.conftest import Cast


def test_a_quiet_week_proceeds_and_keeps_the_plan(cast: Cast) -> None:
    factories.week_of_checkins(cast.patient)
    decision = Decision.objects.filter(patient=cast.patient).first()
    assert decision.action == "proceed" and not decision.flagged_for_clinician
    assert decision.data["basis"][0]["rule"] == "stable"
    assert cast.plan.plan.versions.count() == 1


@pytest.mark.hazard("HZ-082")
def test_a_red_flag_is_an_emergency_flagged_for_the_clinician(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    decision = services.record_checkin(
        patient=cast.patient, entered_by=cast.patient.user,
        data=factories.quiet_checkin(today, symptoms={"hallucinations": 1}))
    assert decision.action == "emergency" and decision.flagged_for_clinician
    assert "emergency" in decision.data["message"].lower()


@pytest.mark.hazard("HZ-083")
def test_a_hold_extends_the_current_step_once_a_day_as_a_new_version(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    worse = factories.quiet_checkin(today, symptoms={"anxiety": 2})
    decision = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                       data=worse)
    assert decision.action == "hold" and decision.held_version is not None
    held, old = decision.held_version, cast.plan
    old.refresh_from_db()
    assert (old.status, held.status, held.origin) == (Status.CHANGED, Status.ACTIVE, "hold")
    assert held.reviewed  # a hold changes only dates; the approval carries over
    old_end = old.plan_json["steps"][1]["end_date"]
    assert held.plan_json["steps"][1]["end_date"] == (
        (factories.date.fromisoformat(old_end) + timedelta(days=1)).isoformat())
    again = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user, data=worse)
    assert again.held_version is None  # an amendment the same day holds no further
    assert PlanVersion.objects.filter(plan=old.plan).count() == 2


def test_a_second_checkin_for_a_date_amends_and_the_first_is_kept(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    first = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                    data=factories.quiet_checkin(today, note="first"))
    second = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                     data=factories.quiet_checkin(today, note="second"))
    assert second.checkin.amends == first.checkin
    assert [c.data["note"] for c in CheckIn.objects.filter(patient=cast.patient)] == [
        "first", "second"]


@pytest.mark.hazard("HZ-084")
@pytest.mark.parametrize(("data", "field"), [
    ({"symptoms": {"anxiety": 4}}, "symptoms.anxiety"),
    ({"symptoms": {"boredom": 1}}, "symptoms.boredom"),
    ({"spasticity": 11}, "spasticity"),
    ({"temperature_c": "101"}, "temperature_c"),
    ({"heart_rate": "fast"}, "heart_rate"),
], ids=["severity-4", "unknown-symptom", "spasticity-11", "fahrenheit-as-celsius", "words"])
def test_a_bad_checkin_names_the_field_and_saves_nothing(cast: Cast, data: dict, field: str) -> None:
    today = factories.today_of(cast.patient)
    with pytest.raises(services.ServiceError) as error:
        services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                data={**factories.quiet_checkin(today), **data})
    assert error.value.field == field
    assert not CheckIn.objects.exists() and not Decision.objects.exists()


def test_a_checkin_for_tomorrow_is_refused(cast: Cast) -> None:
    tomorrow = factories.today_of(cast.patient) + timedelta(days=1)
    with pytest.raises(services.ServiceError) as error:
        services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                data=factories.quiet_checkin(tomorrow))
    assert error.value.field == "date"


def test_another_patient_cannot_record_for_someone_else(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    with pytest.raises(services.ServiceError):
        services.record_checkin(patient=cast.patient, entered_by=cast.other_patient.user,
                                data=factories.quiet_checkin(today))


def test_marking_a_dose_taken_twice_keeps_one_mark_and_refuses_other_times(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    one = services.mark_dose_taken(patient=cast.patient, recorded_by=cast.patient.user,
                                   day=today, at=time(8))
    two = services.mark_dose_taken(patient=cast.patient, recorded_by=cast.patient.user,
                                   day=today, at=time(8))
    assert one.pk == two.pk
    with pytest.raises(services.ServiceError) as error:
        services.mark_dose_taken(patient=cast.patient, recorded_by=cast.patient.user,
                                 day=today, at=time(9, 30))
    assert error.value.field == "time"
