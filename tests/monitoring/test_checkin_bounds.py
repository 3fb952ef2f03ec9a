"""Issue 16: a check-in's numbers, dates and texts are bounded before anything is built."""

from __future__ import annotations

from typing import Any

import pytest

from taper.core.monitoring.checkin import CheckInError
from tests.monitoring.plans import checkins
from tests.monitoring.test_checkin import TODAY, on

ATTACKS = ["1e99999999", "Infinity", "inf", "-Infinity", "NaN", "1e308", "1000000", "1e-9",
           "1" * 30]


@pytest.mark.hazard("HZ-120")
@pytest.mark.parametrize("value", ATTACKS)
@pytest.mark.parametrize("field", ["temperature_c", "heart_rate", "spasticity", "sleep_quality"])
def test_a_huge_or_non_finite_reading_is_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(CheckInError, match=rf"^checkins\[0\]\.{field}: must be"):
        checkins([on(**{field: value})], TODAY)


@pytest.mark.hazard("HZ-120")
@pytest.mark.parametrize("value", ATTACKS)
def test_a_huge_severity_or_fahrenheit_reading_is_refused(value: str) -> None:
    with pytest.raises(CheckInError, match=r"symptoms\.tremor: must be a whole number 0-3"):
        checkins([on(symptoms={"tremor": value})], TODAY)
    with pytest.raises(CheckInError, match=r"temperature\.value: must be a number"):
        checkins([on(temperature={"value": value, "unit": "F"})], TODAY)


@pytest.mark.hazard("HZ-121")
@pytest.mark.parametrize(("day", "accepted"), [("1999-12-31", False), ("2000-01-01", True),
                                               ("0001-01-01", False)])
def test_a_checkin_before_2000_is_refused(day: str, accepted: bool) -> None:
    if accepted:
        assert checkins([on(date=day)], TODAY)[0].date.isoformat() == day
    else:
        with pytest.raises(CheckInError, match=r"date: must be 2000-01-01 or later"):
            checkins([on(date=day)], TODAY)


@pytest.mark.hazard("HZ-123")
@pytest.mark.parametrize(("changes", "message"), [
    ({"note": "x" * 2001}, "note: must be at most 2000 characters"),
    ({"note": "ok\x00"}, "note: must not contain a NUL character"),
    ({"temperature": {"value": "37", "unit": "C", "x": "\x00"}}, "temperature: must be"),
    ({"doses_taken": ["08:00"] * 9}, "doses_taken: must be a list of dose times"),
])
def test_texts_and_lists_are_bounded_and_nul_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CheckInError, match=message):
        checkins([on(**changes)], TODAY)


@pytest.mark.hazard("HZ-123")
def test_a_note_of_the_longest_length_is_kept_whole() -> None:
    assert checkins([on(note="x" * 2000)], TODAY)[0].note == "x" * 2000


@pytest.mark.hazard("HZ-120")
def test_a_refused_value_is_not_echoed_whole() -> None:
    with pytest.raises(CheckInError) as refused:
        checkins([on(heart_rate="9" * 100_000)], TODAY)
    assert len(str(refused.value)) < 200
