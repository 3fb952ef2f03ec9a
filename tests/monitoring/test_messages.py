"""The words of a decision in full, at the plan's date boundaries (messages.py, rulebook.py).

Each test reads the whole message or note, so a step taken from the wrong day, a date off by
one, a dropped separator or a changed word fails (the survivors of scripts/mutate.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from taper.core.monitoring.checkin import CheckInError
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import checkins, decide, diarist_plan

RULES = load_monitoring("baclofen")
STABLE = "Your check-ins look stable. Carry on with your plan as written: "


def quiet(day: date) -> list[dict[str, object]]:
    return [{"date": day.isoformat(), "symptoms": {}}]


# ------------------------------------------------------------- the next step, for proceed
@pytest.mark.hazard("HZ-230")
@pytest.mark.parametrize("today", [date(2026, 12, 6), date(2026, 12, 9), date(2026, 12, 10)],
                         ids=["on-the-cut", "inside-the-step", "the-day-before-the-next"])
def test_proceed_names_the_next_step_after_today_never_todays(today: date) -> None:
    # Step 2 (50 mg) runs 6-10 Dec; step 3 (45 mg) starts on Fri 11 Dec.
    decision = decide(quiet(today), today)
    assert decision.action == "proceed"
    assert decision.message == (
        STABLE + "50 mg a day now; your next step, 45 mg a day, starts on Fri 11 Dec.")


@pytest.mark.hazard("HZ-230")
def test_on_the_first_day_of_a_step_the_step_after_it_is_next() -> None:
    decision = decide(quiet(date(2026, 12, 11)), date(2026, 12, 11))
    assert decision.message == (
        STABLE + "45 mg a day now; your next step, 40 mg a day, starts on Wed 16 Dec.")


@pytest.mark.hazard("HZ-230")
@pytest.mark.parametrize("today", [date(2027, 1, 20), date(2027, 1, 24)],
                         ids=["first-day-of-the-last-step", "the-last-day-of-doses"])
def test_in_the_last_step_proceed_names_the_last_day_of_doses(today: date) -> None:
    # The last step (5 mg) runs 20-24 Jan; the stop date (first day with no dose) is 25 Jan.
    decision = decide(quiet(today), today)
    assert decision.message == STABLE + "5 mg a day now; your last day of doses is Sun 24 Jan."


@pytest.mark.hazard("HZ-230")
def test_after_the_last_step_of_a_plan_without_a_stop_nothing_is_added() -> None:
    today = date(2027, 1, 22)
    decision = decide(quiet(today), today, replace(diarist_plan(), stop_date=None))
    assert decision.message == STABLE + "5 mg a day now."


# ------------------------------------------------------------- reasons and the clinician's note
@pytest.mark.hazard("HZ-230")
def test_a_hold_for_two_symptoms_names_both_and_the_note_says_what_was_done() -> None:
    today = date(2026, 12, 9)
    decision = decide([{"date": today.isoformat(), "symptoms": {"anxiety": 2, "headache": 2}}],
                      today)
    assert decision.action == "hold"
    assert decision.message == (
        "Stay on your current dose of 50 mg a day and do not make the next reduction yet. "
        "Reason: anxious, nervous or on edge (moderate), headache (moderate). Let your "
        "prescriber know, and keep recording how you feel every day.")
    assert decision.clinician_note == (
        "HOLD: moderate_symptom — dose held; next reduction delayed "
        "(on 50 mg a day, 3 day(s) after the reduction of 2026-12-06).")


@pytest.mark.hazard("HZ-230")
def test_a_hold_by_two_rules_gives_the_reasons_of_both() -> None:
    today = date(2026, 12, 9)
    decision = decide([{"date": today.isoformat(), "symptoms": {"anxiety": 2},
                        "heart_rate": 100}], today)
    assert decision.action == "hold"
    assert [b.rule for b in decision.basis] == ["fast_heart_rate", "moderate_symptom", "timeline"]
    assert "Reason: a fast heart rate, anxious, nervous or on edge (moderate). Let" in (
        decision.message)
    assert decision.clinician_note.startswith("HOLD: fast_heart_rate, moderate_symptom — ")


@pytest.mark.hazard("HZ-230")
def test_the_note_names_every_rule_that_fired() -> None:
    today = date(2026, 12, 9)
    decision = decide([{"date": today.isoformat(), "symptoms": {"anxiety": 2},
                        "doses_taken": ["14:00"]}], today)
    assert decision.action == "contact_prescriber"
    assert decision.clinician_note == (
        "CONTACT_PRESCRIBER: moderate_symptom, missed_doses — patient asked to contact the "
        "prescriber today; dose held (on 50 mg a day, 3 day(s) after the reduction of "
        "2026-12-06).")


@pytest.mark.hazard("HZ-230")
def test_before_any_reduction_the_note_gives_the_dose_and_no_days_since() -> None:
    decision = decide([], date(2026, 11, 28))
    assert decision.action == "hold"
    assert decision.clinician_note == (
        "HOLD: no_recent_checkin — dose held; next reduction delayed (on 60 mg a day).")


# ------------------------------------------------------------- the rulebook's look-ups
def test_an_unknown_symptom_id_is_none_and_a_known_one_is_found() -> None:
    assert RULES.symptom("no_such_symptom") is None
    found = RULES.symptom("anxiety")
    assert found is not None and found.id == "anxiety"


def test_each_day_after_a_cut_falls_in_its_window_and_no_window_before_it() -> None:
    names = {day: None if (w := RULES.window_for(day)) is None else w.name
             for day in (-1, 0, 2, 3, 7, 8, 400)}
    assert names == {-1: None, 0: "early", 2: "early", 3: "peak", 7: "peak",
                     8: "protracted", 400: "protracted"}


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize(("reading", "accepted"), [
    ("29.9", False), ("30", True), ("45", True), ("45.1", False)])
def test_a_temperature_is_accepted_from_the_ranges_low_to_its_high_inclusive(
        reading: str, accepted: bool) -> None:
    plausible = RULES.ranges["temperature_c"]
    assert (plausible.low, plausible.high) == (Fraction(30), Fraction(45))
    assert (Fraction(reading) in plausible) is accepted
    item = {"date": "2026-12-09", "temperature_c": reading}
    if accepted:
        (c,) = checkins([item], date(2026, 12, 9))
        assert c.temperature_c == Fraction(reading)
    else:
        with pytest.raises(CheckInError, match=r"^checkins\[0\]\.temperature_c: 30-45 °C is "
                                               "accepted; check the reading and its unit$"):
            checkins([item], date(2026, 12, 9))
