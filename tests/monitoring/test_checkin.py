"""Check-in validation: every bad input is a clear error naming the field, never a crash."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from typing import Any

import pytest

from taper.core.monitoring.checkin import CheckInError, check_doses_against_plan, effective
from tests.monitoring.plans import checkins

TODAY = date(2026, 12, 10)


def on(**fields: Any) -> dict[str, Any]:
    return {"date": "2026-12-09", **fields}


F = {"value": "100", "unit": "F"}


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize(
    ("item", "message"),
    [
        (on(symptoms={"anxeity": 2}), "checkins[0].symptoms.anxeity: unknown symptom"),
        (on(symptoms={"anxiety": 4}), "checkins[0].symptoms.anxiety: must be a whole number 0-3"),
        (on(symptoms={"anxiety": -1}), "checkins[0].symptoms.anxiety: must be a whole number"),
        (on(symptoms={"anxiety": "1.5"}), "checkins[0].symptoms.anxiety: must be a whole number"),
        (on(temperature_c="55"), "checkins[0].temperature_c: 30-45 °C is accepted"),
        (on(temperature_c="hot"), "checkins[0].temperature_c: must be a number"),
        (on(temperature={"value": "130", "unit": "F"}), "checkins[0].temperature: 30-45 °C"),
        (on(temperature={"value": "38", "unit": "K"}), "checkins[0].temperature: must be"),
        (on(temperature_c="38", temperature=F), "give temperature_c or temperature, not both"),
        (on(heart_rate=0), "checkins[0].heart_rate: must be a whole number 20-250"),
        (on(spasticity=11), "checkins[0].spasticity: must be a whole number 0-10"),
        (on(sleep_quality=True), "checkins[0].sleep_quality: must be a whole number 0-10"),
        ({"date": "2026-12-11"}, "checkins[0].date: 2026-12-11 is after today (2026-12-10)"),
        ({"date": "2026-13-01"}, "checkins[0].date: must be a date as YYYY-MM-DD"),
        ({"symptoms": {}}, "checkins[0].date: required"),
        (on(temprature_c="37"), "checkins[0].temprature_c: unknown field"),
        (on(doses_taken=["8am"]), 'checkins[0].doses_taken[0]: must be a dose time as "HH:MM"'),
        (on(doses_taken=["08:00", "08:00"]), "doses_taken: a dose time is listed twice"),
        (on(doses_due="08:00"), 'checkins[0].doses_due: must be a list of dose times'),
        (on(doses_due=["25:00"]), 'checkins[0].doses_due[0]: must be a dose time as "HH:MM"'),
        ("2026-12-09", "checkins[0]: must be an object"),
    ],
)
def test_bad_checkin_is_a_clear_error_naming_the_field(item: Any, message: str) -> None:
    with pytest.raises(CheckInError) as caught:
        checkins([item], TODAY)
    assert message in str(caught.value)


def test_fahrenheit_is_converted_exactly() -> None:
    (c,) = checkins([on(temperature={"value": "102.2", "unit": "F"})], TODAY)
    assert c.temperature_c == Fraction(39)


def test_unreported_symptom_counts_as_none() -> None:
    (c,) = checkins([{"date": "2026-12-09"}], TODAY)
    assert c.severity("anxiety") == 0


@pytest.mark.hazard("HZ-027")
def test_a_later_checkin_for_the_same_date_amends_and_the_first_is_kept() -> None:
    items = [{"date": "2026-12-09", "symptoms": {"anxiety": 1}},
             {"date": "2026-12-08"},
             {"date": "2026-12-09", "symptoms": {"anxiety": 3}}]
    parsed = checkins(items, TODAY)
    assert len(parsed) == 3  # both retained
    used = effective(parsed)
    assert [c.date for c in used] == [date(2026, 12, 8), date(2026, 12, 9)]
    assert used[-1].severity("anxiety") == 3


def test_a_dose_time_the_plan_does_not_schedule_is_refused(plan: Any) -> None:
    parsed = checkins([{"date": "2026-12-09", "doses_taken": ["08:30"]}], TODAY)
    with pytest.raises(CheckInError, match=r"doses_taken\[0\]: 08:30 is not a dose time"):
        check_doses_against_plan(parsed, plan)


def test_a_due_time_the_plan_does_not_schedule_is_refused(plan: Any) -> None:
    parsed = checkins([{"date": "2026-12-09", "doses_taken": [], "doses_due": ["09:00"]}], TODAY)
    with pytest.raises(CheckInError, match=r"doses_due\[0\]: 09:00 is not a dose time"):
        check_doses_against_plan(parsed, plan)


def test_dose_times_before_the_plan_are_the_regimens(plan: Any) -> None:
    all_three = ["08:00", "14:00", "20:00"]
    parsed = checkins([{"date": "2026-11-30", "doses_taken": all_three}], TODAY)
    check_doses_against_plan(parsed, plan)
    assert parsed[0].doses_taken == (time(8), time(14), time(20))
