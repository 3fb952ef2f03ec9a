"""Check-in validation at its edges, each error read whole (checkin.py's mutants).

Every scale accepts its lowest and highest value and refuses one past each; each refusal is
the whole message (the field, what is accepted in words, the value given); the plan's dose
times are the regimen's before the start and the step's from the start date on.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from fractions import Fraction
from typing import Any

import pytest

from taper.core.limits import MAX_DOSE_TIMES, MAX_NUMBER_CHARS
from taper.core.monitoring.checkin import (
    CheckInError,
    check_doses_against_plan,
    scheduled_times,
)
from taper.core.plan import Composition, ScheduledDose
from tests.monitoring.plans import checkins, diarist_plan

TODAY = date(2026, 12, 10)
SCALES = {  # field: (low, high, what the scale means)
    "spasticity": (0, 10, "0 none to 10 worst"),
    "sleep_quality": (0, 10, "0 terrible to 10 excellent"),
    "heart_rate": (20, 250, "beats a minute"),
}


def on(**fields: Any) -> dict[str, Any]:
    return {"date": "2026-12-09", **fields}


def refused(item: Any) -> str:
    with pytest.raises(CheckInError) as caught:
        checkins([item], TODAY)
    return str(caught.value)


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize("field", sorted(SCALES))
def test_each_scale_accepts_its_ends_as_numbers_or_text(field: str) -> None:
    low, high, _ = SCALES[field]
    for value in (low, high, str(low), str(high)):
        (c,) = checkins([on(**{field: value})], TODAY)
        assert getattr(c, field) == int(value)
        assert type(getattr(c, field)) is int


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize("field", sorted(SCALES))
def test_each_scale_refuses_one_past_each_end_in_whole_words(field: str) -> None:
    low, high, what = SCALES[field]
    for value in (low - 1, high + 1, str(high + 1), f"{low}.5"):
        assert refused(on(**{field: value})) == (
            f"checkins[0].{field}: must be a whole number {low}-{high} ({what}), got {value}")


@pytest.mark.hazard("HZ-024")
def test_a_severity_is_0_to_3_with_its_words_as_number_or_text() -> None:
    for value in (0, 3, "0", "3"):
        (c,) = checkins([on(symptoms={"anxiety": value})], TODAY)
        assert c.symptoms == {"anxiety": int(value)}
    for value in (-1, 4, "4", "2.5"):
        assert refused(on(symptoms={"anxiety": value})) == (
            "checkins[0].symptoms.anxiety: must be a whole number 0-3 "
            f"(0 none, 1 mild, 2 moderate, 3 severe), got {value}")


@pytest.mark.hazard("HZ-024")
def test_an_unknown_field_names_every_accepted_one() -> None:
    assert refused(on(pulse=80)) == (
        "checkins[0].pulse: unknown field; accepted: date, doses_due, doses_taken, heart_rate, "
        "note, sleep_quality, spasticity, symptoms, temperature, temperature_c")


@pytest.mark.hazard("HZ-024")
def test_a_date_that_is_not_text_is_refused_showing_it() -> None:
    assert refused({"date": 20261209}) == (
        "checkins[0].date: must be a date as YYYY-MM-DD, got 20261209")


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize(("unit", "value", "celsius"), [
    ("C", "37.5", Fraction(75, 2)), ("F", "98.6", Fraction(37))])
def test_a_temperature_in_upper_case_c_or_f_is_read(unit: str, value: str,
                                                    celsius: Fraction) -> None:
    (c,) = checkins([on(temperature={"value": value, "unit": unit})], TODAY)
    assert c.temperature_c == celsius


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize("reading", [
    {"value": "38", "unit": "c"}, {"value": "38", "unit": "f"}, {"value": "38"}, "38"])
def test_a_temperature_without_an_upper_case_unit_is_refused(reading: Any) -> None:
    assert refused(on(temperature=reading)) == (
        'checkins[0].temperature: must be {"value": "101.2", "unit": "F"} (unit C or F)')


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize("value", ["warm", 37.5, True, None])
def test_a_temperature_value_that_is_not_an_exact_number_names_its_field(value: Any) -> None:
    assert refused(on(temperature={"value": value, "unit": "C"})) == (
        'checkins[0].temperature.value: must be a number such as "37.2"')
    if value is not None:
        assert refused(on(temperature_c=value)) == (
            'checkins[0].temperature_c: must be a number such as "37.2"')


def test_a_note_is_kept_as_written_and_absent_is_empty() -> None:
    (with_note, without) = checkins([on(note="slept badly"), on()], TODAY)
    assert (with_note.note, without.note) == ("slept badly", "")
    assert refused(on(note=3)) == "checkins[0].note: must be text"


# ------------------------------------------------------------- the plan's dose times
@pytest.mark.hazard("HZ-025")
def test_dose_times_are_the_regimens_until_the_day_before_the_start_and_the_steps_from_it(
) -> None:
    plan = diarist_plan()
    regimen = (ScheduledDose(time(7), Fraction(30), Composition(())),
               ScheduledDose(time(19), Fraction(30), Composition(())))
    plan = replace(plan, baseline=regimen)
    assert scheduled_times(plan, date(2026, 11, 30)) == (time(7), time(19))
    assert scheduled_times(plan, date(2026, 12, 1)) == (time(8), time(14), time(20))
    assert scheduled_times(plan, date(2027, 1, 25)) == ()  # the stop date: no dose


@pytest.mark.hazard("HZ-025")
def test_a_dose_of_any_amount_above_zero_is_scheduled_and_a_zero_is_not() -> None:
    plan = diarist_plan()
    small = (ScheduledDose(time(6), Fraction(1, 2), Composition(())),
             ScheduledDose(time(9), Fraction(1), Composition(())),
             ScheduledDose(time(22), Fraction(0), Composition(())))
    step = replace(plan.steps[0], doses=small)
    plan = replace(plan, baseline=small, steps=(step, *plan.steps[1:]))
    assert scheduled_times(plan, date(2026, 11, 30)) == (time(6), time(9))
    assert scheduled_times(plan, date(2026, 12, 1)) == (time(6), time(9))


@pytest.mark.hazard("HZ-025")
def test_a_dose_time_off_the_plan_names_the_days_dose_times_or_none() -> None:
    plan = diarist_plan()
    with pytest.raises(CheckInError) as caught:
        check_doses_against_plan(checkins([on(doses_taken=["09:00"])], TODAY), plan)
    assert str(caught.value) == (
        "checkins[0].doses_taken[0]: 09:00 is not a dose time of the plan on 2026-12-09"
        " (dose times: 08:00, 14:00, 20:00)")
    after = date(2027, 1, 26)
    with pytest.raises(CheckInError) as caught:
        check_doses_against_plan(
            checkins([{"date": "2027-01-26", "doses_due": ["08:00"]}], after), plan)
    assert str(caught.value) == (
        "checkins[0].doses_due[0]: 08:00 is not a dose time of the plan on 2027-01-26"
        " (dose times: none)")


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize(("value", "shown"), [
    ("8am", "'8am'"), ("08:00:00", "'08:00:00'"), (800, "800"), ([8, 0, 0, 0, 0], "[8, 0, 0, 0, 0]")])
def test_a_dose_time_is_five_characters_of_text_and_a_refusal_shows_it(value: Any,
                                                                      shown: str) -> None:
    assert refused(on(doses_taken=[value])) == (
        f'checkins[0].doses_taken[0]: must be a dose time as "HH:MM", got {shown}')


@pytest.mark.hazard("HZ-120")
def test_a_refused_value_is_shown_whole_up_to_the_limit_and_cut_after_it() -> None:
    at_limit = "1" * MAX_NUMBER_CHARS
    assert refused(on(spasticity=at_limit)).endswith(f"got {at_limit}")
    over = "1" * (MAX_NUMBER_CHARS + 1)
    assert refused(on(spasticity=over)).endswith(f"got {at_limit}…")


@pytest.mark.hazard("HZ-024")
def test_symptoms_that_are_not_an_object_are_refused_in_whole_words() -> None:
    assert refused(on(symptoms=["anxiety"])) == (
        'checkins[0].symptoms: must be an object such as {"anxiety": 2}')


@pytest.mark.hazard("HZ-120")
def test_up_to_the_most_dose_times_are_read_and_one_more_is_refused() -> None:
    most = [f"{h:02d}:00" for h in range(MAX_DOSE_TIMES)]
    (c,) = checkins([on(doses_taken=most)], TODAY)
    assert c.doses_taken == tuple(time(h) for h in range(MAX_DOSE_TIMES))
    assert refused(on(doses_taken=[*most, "23:00"])) == (
        'checkins[0].doses_taken: must be a list of dose times such as ["08:00"]'
        f" (at most {MAX_DOSE_TIMES})")
