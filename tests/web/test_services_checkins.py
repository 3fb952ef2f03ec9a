"""Check-ins through the services: the engine decides, the web stores and shows."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils.timezone import now

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


# ---- the recent window: the same decision as the whole history (HZ-030) ----------------

def _history(days: int, entry: Any) -> list[tuple[int, dict[str, Any]]]:
    """(days ago, check-in) for each of the last `days` days before today, oldest first."""
    return [(back, entry(back)) for back in range(days, 0, -1)]


def _reading(back: int) -> int | None:
    """Spasticity 2 from 20 days ago, 4 in the last week, none before (the plan began 35)."""
    return None if back > 20 else 2 if back > 7 else 4


# The plan starts 35 days ago; the window is cut to the last 7 days; today's entry varies.
WINDOW_CASES = {
    "quiet": _history(45, lambda back: {"symptoms": {}, "spasticity": 3}),
    "insomnia-for-a-month": _history(45, lambda back: {
        "symptoms": {"insomnia": 2} if back <= 30 else {}, "spasticity": 3}),
    "anxious-only-before-the-taper": _history(45, lambda back: {
        "symptoms": {"anxiety": 2} if back > 35 else {}}),
    "first-reading-long-ago": _history(45, lambda back: {
        "symptoms": {}, "spasticity": 2 if back == 45 else None}),
    "first-reading-amended-away": [
        (40, {"symptoms": {}}), (39, {"symptoms": {}, "spasticity": 1}), (39, {"symptoms": {}}),
        *_history(38, lambda back: {"symptoms": {}, "spasticity": _reading(back)})],
}


@pytest.mark.hazard("HZ-030")
@pytest.mark.parametrize("today_entry", [
    {"symptoms": {}, "spasticity": 3}, {"symptoms": {}, "spasticity": 5},
    {"symptoms": {"insomnia": 2}, "spasticity": 5}, {"symptoms": {"anxiety": 2}},
    {"symptoms": {"anxiety": 3}, "spasticity": 3},
], ids=["quiet", "stiffer", "insomnia-stiffer", "anxious", "severe"])
@pytest.mark.parametrize("case", WINDOW_CASES)
def test_the_decision_on_the_recent_window_is_the_whole_history_decision(
        db: None, monkeypatch: pytest.MonkeyPatch, case: str, today_entry: dict[str, Any]) -> None:
    from taper.contract.assessment import decision_json
    from taper.core.monitoring.checkin import parse_checkins
    from taper.core.monitoring.pacing import assess
    from taper.knowledge.monitoring import load_monitoring
    from taper.web.clinic.engine import stored_plan
    from taper.web.clinic.services import checkins

    monkeypatch.setattr(checkins, "RECENT_DAYS", 7)  # the window's edges inside the history
    doctor = factories.clinician()
    person = factories.patient(doctor)
    version = factories.active_plan(person, doctor, started_days_ago=35)
    today = factories.today_of(person)
    entries = [{"date": (today - timedelta(days=back)).isoformat(),
                **{k: v for k, v in entry.items() if v is not None}}
               for back, entry in WINDOW_CASES[case]]
    at = now() - timedelta(days=60)
    CheckIn.objects.bulk_create(  # stored as the service stores them, in entry order
        CheckIn(patient=person, date=date.fromisoformat(e["date"]), data=e,
                entered_by=person.user, created_at=at + timedelta(hours=i))
        for i, e in enumerate(entries))
    data = {"date": today.isoformat(), **today_entry}
    stored = services.record_checkin(patient=person, entered_by=person.user, data=data)
    rules = load_monitoring("baclofen")
    expected = decision_json(assess(stored_plan(version.plan_json),
                                    parse_checkins([*entries, data], rules, today), today, rules),
                             rules)
    assert {k: v for k, v in stored.data.items() if k not in ("today", "words")} == expected
