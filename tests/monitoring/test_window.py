"""Assessing a recent window of the history gives the whole history's answer, or says it cannot.

The web app passes the engine only recent check-ins (plus the reference days) for speed;
`complete_since` makes every rule that would read further back raise HistoryTooShort.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from taper.core.monitoring.checkin import CheckIn, effective
from taper.core.monitoring.history import HistoryTooShort
from taper.core.monitoring.pacing import PacingDecision, assess
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import checkins, diarist_plan

RULES = load_monitoring("baclofen")
PLAN = diarist_plan()  # starts 2026-12-01
SYMPTOMS = ["anxiety", "insomnia", "tremor"]


def window(parsed: tuple[CheckIn, ...], since: date) -> list[CheckIn]:
    """What `complete_since` promises: every check-in from `since` on, and every one on the
    last date before the plan's start and on the first date with a spasticity reading."""
    kept = effective(parsed)
    base = max((c.date for c in kept if c.date < PLAN.start_date), default=None)
    first = next((c.date for c in kept if c.spasticity is not None), None)
    return [c for c in parsed if c.date >= since or c.date in (base, first)]


def windowed(items: list[dict[str, Any]], today: date, since: date) -> PacingDecision:
    parsed = checkins(items, today)
    return assess(PLAN, window(parsed, since), today, RULES, complete_since=since)


def whole(items: list[dict[str, Any]], today: date) -> PacingDecision:
    return assess(PLAN, checkins(items, today), today, RULES)


def quiet(d: date, **extra: Any) -> dict[str, Any]:
    return {"date": d.isoformat(), "symptoms": {}, "spasticity": 3, **extra}


def test_a_quiet_history_is_answered_from_the_window_alone() -> None:
    today = date(2027, 1, 20)
    items = [quiet(date(2026, 11, 25) + timedelta(days=i)) for i in range(57)]
    since = today - timedelta(days=28)
    assert windowed(items, today, since) == whole(items, today)


def test_a_symptom_lasting_longer_than_the_window_needs_the_whole_history() -> None:
    today = date(2027, 1, 20)
    items = [quiet(date(2026, 11, 25) + timedelta(days=i),
                   symptoms={"insomnia": 2} if i >= 17 else {}) for i in range(57)]
    with pytest.raises(HistoryTooShort):
        windowed(items, today, today - timedelta(days=28))
    decision = whole(items, today)
    persisting = next(b for b in decision.basis if b.rule == "persisting_symptom")
    assert persisting.inputs["insomnia.days"] == 39


def test_suggestions_need_every_step_since_the_start() -> None:
    today = date(2027, 1, 20)
    items = [quiet(date(2026, 11, 25) + timedelta(days=i)) for i in range(56)]
    items.append(quiet(today, symptoms={"anxiety": 3}))  # severe: contact the prescriber
    with pytest.raises(HistoryTooShort):
        windowed(items, today, today - timedelta(days=28))
    assert whole(items, today).suggestions


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[dict[str, Any]], date, date]:
    """Check-ins from before or after the start to today, some days missing, a symptom
    lasting for a run of days, spasticity recorded always, sometimes or never, and some
    days amended later."""
    first = date(2026, 11, 20) + timedelta(days=draw(st.integers(0, 30)))
    today = first + timedelta(days=draw(st.integers(5, 60)))
    length = (today - first).days + 1
    lasting = draw(st.sampled_from(SYMPTOMS))
    run_from = draw(st.integers(0, length))
    run_to = run_from + draw(st.integers(0, 45))
    level = draw(st.integers(1, 3))
    readings = draw(st.sampled_from([0, 1, 3]))  # how often spasticity is recorded, of 3
    items: list[dict[str, Any]] = []
    for i in range(length):
        if draw(st.integers(0, 9)) == 0:
            continue  # a day without a check-in
        symptoms = draw(st.dictionaries(st.sampled_from(SYMPTOMS), st.integers(0, 3),
                                        max_size=1)) if draw(st.integers(0, 7)) == 0 else {}
        if run_from <= i <= run_to:
            symptoms = {**symptoms, lasting: level}
        item: dict[str, Any] = {"date": (first + timedelta(days=i)).isoformat(),
                                "symptoms": symptoms}
        if draw(st.integers(0, 2)) < readings:
            item["spasticity"] = draw(st.integers(0, 10))
        items.append(item)
    for _ in range(draw(st.integers(0, 4))):  # amendments, entered later
        if items:
            item = dict(draw(st.sampled_from(items)))
            item["spasticity"] = draw(st.one_of(st.none(), st.integers(0, 10)))
            if item["spasticity"] is None:
                del item["spasticity"]
            items.append(item)
    since = today - timedelta(days=draw(st.integers(0, 30)))
    return items, today, since


@pytest.mark.hazard("HZ-030")
@settings(max_examples=500, deadline=None)
@given(histories())
def test_the_window_gives_the_whole_history_answer_or_refuses(case: Any) -> None:
    items, today, since = case
    try:
        answer = windowed(items, today, since)
    except HistoryTooShort:
        event("the window refused")
        return
    event("answered from the window")
    assert answer == whole(items, today)
