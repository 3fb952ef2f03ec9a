"""The stored check-ins' cheap reading (services/readings.py) against the engine's parser:
the same readings, or the same refusal in the same words, on generated rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taper.core.monitoring.checkin import CheckInError, parse_checkins
from taper.core.monitoring.rulebook import MonitoringRules
from taper.knowledge.monitoring import load_monitoring
from taper.web.clinic.services import readings
from taper.web.clinic.services.readings import stored_readings

RULES = load_monitoring("baclofen")
TODAY = date(2026, 12, 4)
SYMPTOMS = [s.id for s in RULES.symptoms]

odd = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=False), st.text(max_size=6),
                st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                      st.integers(), max_size=1))
days = st.one_of(
    st.integers(-3, 40).map(lambda back: (TODAY - timedelta(days=back)).isoformat()),
    st.sampled_from(["1999-12-31", "2000-01-01", "2026-02-30", "4 Dec", "20261204", ""]),
    odd)
levels = st.one_of(st.integers(-1, 4), odd, st.sampled_from(["2", 2.0, True]))
symptoms = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(SYMPTOMS), st.sampled_from(["itch", ""])),
                    levels, max_size=4),
    odd)
scales = st.one_of(st.integers(-2, 12), st.integers(15, 260), odd, st.sampled_from(["5", 5.0]))
clock = st.one_of(st.sampled_from(["08:00", "14:00", "20:00", "23:59", "8:00", "24:00",
                                   "T0800", "08:00:00", "08h00"]), odd)
times = st.one_of(st.none(), st.lists(clock, max_size=10), odd)
notes = st.one_of(st.text(max_size=20), st.just("a\x00b"), st.just("x" * 2000),
                  st.just("x" * 2001), odd)
temperatures = st.one_of(st.sampled_from(["37.2", "36", "50", 37]), odd)
FIELDS: dict[str, Any] = {
    "date": days, "symptoms": symptoms, "spasticity": scales, "sleep_quality": scales,
    "heart_rate": scales, "doses_taken": times, "doses_due": times, "note": notes,
    "temperature_c": temperatures, "temperature": st.just({"value": "99.1", "unit": "F"}),
    "mood": st.integers(),
}
rows = st.one_of(
    st.fixed_dictionaries({"date": days}, optional={k: v for k, v in FIELDS.items()
                                                    if k != "date"}),
    st.fixed_dictionaries({}, optional=FIELDS),
    odd)


def outcome(read: Any, items: list[Any], rules: MonitoringRules = RULES) -> Any:
    try:
        return read(items, rules, TODAY)
    except CheckInError as exc:
        return ("refused", str(exc))


@pytest.mark.hazard("HZ-204")
@settings(max_examples=400, deadline=None)
@given(st.lists(rows, min_size=1, max_size=4))
def test_the_cheap_reading_is_the_parser_s_on_any_rows(items: list[Any]) -> None:
    assert outcome(stored_readings, items) == outcome(parse_checkins, items)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries(
    {"date": st.integers(0, 27).map(lambda b: (TODAY - timedelta(days=b)).isoformat())},
    optional={"symptoms": st.dictionaries(st.sampled_from(SYMPTOMS), st.integers(0, 3),
                                          max_size=3),
              "spasticity": st.integers(0, 10), "sleep_quality": st.integers(0, 10),
              "heart_rate": st.integers(20, 250),
              "note": st.text(st.characters(blacklist_characters="\x00"), max_size=30),
              "doses_taken": st.lists(st.sampled_from(["08:00", "14:00", "20:00"]),
                                      max_size=3, unique=True)}), min_size=1, max_size=31))
def test_the_rows_the_web_stores_are_read_directly_and_equal(items: list[Any]) -> None:
    calls: list[int] = []
    real = readings.parse_checkin

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(readings, "parse_checkin", counted)
        read = stored_readings(items, RULES, TODAY)
    assert read == parse_checkins(items, RULES, TODAY)
    assert [r.position for r in read] == list(range(len(items)))
    assert calls == []  # none of them needed the parser


@pytest.mark.parametrize(("row", "edge"), [
    ({"date": TODAY.isoformat(), "spasticity": 10, "heart_rate": 250}, True),
    ({"date": TODAY.isoformat(), "spasticity": 11}, False),
    ({"date": TODAY.isoformat(), "heart_rate": 19}, False),
    ({"date": TODAY.isoformat(), "symptoms": {"anxiety": 3}}, True),
    ({"date": TODAY.isoformat(), "symptoms": {"anxiety": 4}}, False),
    ({"date": (TODAY + timedelta(days=1)).isoformat()}, False),
    ({"date": "2000-01-01", "note": "x" * 2000}, True),
    ({"date": "2000-01-01", "note": "x" * 2001}, False),
    ({"date": "1999-12-31"}, False),
    ({"date": TODAY.isoformat(), "doses_taken": ["08:00", "20:00"]}, True),
    ({"date": TODAY.isoformat(), "doses_taken": ["08:00", "08:00"]}, False),
    ({"date": TODAY.isoformat(), "doses_due": [f"{h:02}:00" for h in range(8)]}, True),
    ({"date": TODAY.isoformat(), "doses_due": [f"{h:02}:00" for h in range(9)]}, False),
])
def test_a_row_at_a_bound_is_read_as_the_parser_reads_it(row: dict[str, Any], edge: bool) -> None:
    read = outcome(stored_readings, [row])
    assert read == outcome(parse_checkins, [row])
    assert (read[0] != "refused") is edge


@pytest.mark.hazard("HZ-204")
def test_a_symptom_the_catalogue_no_longer_lists_is_refused_as_the_parser_refuses() -> None:
    fewer = replace(RULES, symptoms=tuple(s for s in RULES.symptoms if s.id != "anxiety"))
    row = [{"date": TODAY.isoformat(), "symptoms": {"anxiety": 1}}]
    refused = outcome(stored_readings, row, fewer)
    assert refused == outcome(parse_checkins, row, fewer)
    assert refused[0] == "refused" and "anxiety" in refused[1]
