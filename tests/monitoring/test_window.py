"""Assessing a recent window of the history gives the whole history's answer, or says it cannot.

The web app passes the engine only recent check-ins (plus the reference days) for speed;
`complete_since` makes every rule that would read further back raise HistoryTooShort.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import event, given, note, settings
from hypothesis import strategies as st

from taper.core.monitoring.checkin import CheckIn, effective
from taper.core.monitoring.history import HistoryTooShort
from taper.core.monitoring.pacing import PacingDecision, assess
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import checkins, diarist_plan
from tests.profile import examples

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


# ------------------------------------------------------------------ the oracle
# An independent reading of the pacing rules (SPEC M2-M3 and the baclofen data), written
# without the engine's code, for the check-ins `histories` draws (symptoms of 0-3 that are
# never red flags, spasticity 0-10, no vital signs or doses): both the window's answer and the
# whole history's must agree with it, so a wrong decision in both paths fails.
PACING = RULES.pacing
STALE_AFTER = int(PACING["no_recent_checkin"].param("max_age_days"))
MODERATE = int(PACING["moderate_symptom"].param("from_severity"))
SEVERE = int(PACING["severe_symptom"].param("from_severity"))
PERSIST_FROM = int(PACING["persisting_symptom"].param("from_severity"))
PERSIST_DAYS = int(PACING["persisting_symptom"].param("days"))
RISE = int(PACING["spasticity_rise"].param("points"))
VERY_SEVERE = int(next(r for r in RULES.red_flag_rules()
                       if r.id == "very_severe_spasticity").when[0].at_least)
ORDER = ["proceed", "hold", "contact_prescriber", "emergency"]


def oracle(items: list[dict[str, Any]], today: date) -> tuple[str, set[str]]:
    """The action and the rules that fire, from the raw check-ins."""
    days: dict[str, dict[str, Any]] = {}
    for item in items:  # a later entry for a date replaces the earlier one
        if item["date"] <= today.isoformat():
            days[item["date"]] = item
    log = [days[d] for d in sorted(days)]
    if not log or (today - date.fromisoformat(log[-1]["date"])).days > STALE_AFTER:
        fired = {"no_recent_checkin"}
    else:
        latest = log[-1]
        before = [c for c in log if c["date"] < PLAN.start_date.isoformat()]
        base = before[-1]["symptoms"] if before else {}
        fired = set()
        for symptom, level in latest["symptoms"].items():
            if level <= base.get(symptom, 0):
                continue
            run_days = 0  # back over check-ins (not calendar days) while it stays as bad
            for earlier in reversed(log):
                now = earlier["symptoms"].get(symptom, 0)
                if now < PERSIST_FROM or now <= base.get(symptom, 0):
                    break
                run_days = (date.fromisoformat(latest["date"])
                            - date.fromisoformat(earlier["date"])).days  # to the check-in
            severe = level >= SEVERE
            lasting = level >= PERSIST_FROM and run_days >= PERSIST_DAYS
            if severe:
                fired.add("severe_symptom")
            if lasting:  # a severe symptom that has lasted is both
                fired.add("persisting_symptom")
            if level >= MODERATE and not severe and not lasting:
                fired.add("moderate_symptom")
        readings = [c["spasticity"] for c in log if "spasticity" in c]
        reference = (before[-1]["spasticity"] if before and "spasticity" in before[-1]
                     else readings[0] if readings else None)
        if "spasticity" in latest:
            if reference is not None and latest["spasticity"] - reference >= RISE:
                fired.add("spasticity_rise")
            if latest["spasticity"] >= VERY_SEVERE:
                fired.add("very_severe_spasticity")
    action = max((PACING[r].action if r in PACING else "emergency" for r in fired),
                 key=ORDER.index, default="proceed")
    if action == "hold" and PLAN.stop_date is not None and today >= PLAN.stop_date:
        fired.add("hold_after_stop")
        action = "contact_prescriber"
    return action, fired


def fired_rules(decision: PacingDecision) -> set[str]:
    return {b.rule for b in decision.basis} - {"stable", "timeline"}


@pytest.mark.hazard("HZ-030")
@settings(max_examples=examples(150, 1500), deadline=None)
@given(histories())
def test_the_window_gives_the_whole_history_answer_or_refuses(case: Any) -> None:
    items, today, since = case
    note(f"{today=} {since=} {items=}")
    complete = whole(items, today)
    action, fired = oracle(items, today)
    assert (complete.action, fired_rules(complete)) == (action, fired)
    try:
        answer = windowed(items, today, since)
    except HistoryTooShort:
        event("the window refused")
        return
    event("answered from the window")
    assert answer == complete


def test_the_oracle_reads_the_rules_it_claims() -> None:
    """The oracle's own boundaries, so a wrong oracle cannot agree with a wrong engine."""
    start = PLAN.start_date
    quiet_day = {"symptoms": {}}
    assert oracle([], start) == ("hold", {"no_recent_checkin"})
    stale = start + timedelta(days=STALE_AFTER + 1)
    assert oracle([{"date": start.isoformat(), **quiet_day}], stale)[0] == "hold"
    fresh = start + timedelta(days=STALE_AFTER)
    assert oracle([{"date": start.isoformat(), **quiet_day}], fresh) == ("proceed", set())
    run = [{"date": (start + timedelta(days=i)).isoformat(), "symptoms": {"tremor": 2}}
           for i in range(PERSIST_DAYS + 1)]
    assert oracle(run, start + timedelta(days=PERSIST_DAYS))[1] == {"persisting_symptom"}
    assert oracle(run[1:], start + timedelta(days=PERSIST_DAYS))[1] == {"moderate_symptom"}
    spastic = [{"date": "2026-11-20", "symptoms": {}, "spasticity": 8},
               {"date": "2026-11-30", "symptoms": {}, "spasticity": 3},
               {"date": "2026-12-05", "symptoms": {}, "spasticity": 3 + RISE}]
    assert oracle(spastic, date(2026, 12, 5)) == ("hold", {"spasticity_rise"})


@pytest.mark.hazard("HZ-030")
def test_a_window_whose_latest_checkin_is_on_its_first_day_answers_and_an_empty_one_refuses() -> None:
    today = date(2026, 12, 9)
    items = [quiet(today - timedelta(days=1))]
    since = today - timedelta(days=1)  # the latest check-in is on the window's first day
    assert windowed(items, today, since) == whole(items, today)
    with pytest.raises(HistoryTooShort, match=r"^no check-in given since 2026-12-09$"):
        windowed(items, today, today)  # the latest check-in lies before the window
    with pytest.raises(HistoryTooShort, match=r"^no check-in given since 2026-12-09$"):
        assess(PLAN, [], today, RULES, complete_since=today)


@pytest.mark.hazard("HZ-030")
def test_a_run_that_starts_inside_the_window_is_answered_and_one_reaching_past_it_refuses() -> None:
    today = date(2026, 12, 9)
    since = today - timedelta(days=3)
    items = [quiet(since), *[quiet(since + timedelta(days=i), symptoms={"insomnia": 2})
                             for i in (1, 2, 3)]]  # the check-in on `since` ends the run
    assert windowed(items, today, since) == whole(items, today)
    longer = [quiet(since - timedelta(days=1)),
              *[quiet(since + timedelta(days=i), symptoms={"insomnia": 2}) for i in range(4)]]
    with pytest.raises(HistoryTooShort, match=r"^insomnia has lasted since before 2026-12-06$"):
        windowed(longer, today, since)
    every_day = [quiet(since + timedelta(days=i), symptoms={"insomnia": 2}) for i in range(4)]
    with pytest.raises(HistoryTooShort, match=r"^insomnia has lasted since the first check-in"):
        windowed(every_day, today, since)


@pytest.mark.hazard("HZ-030")
def test_suggestions_are_answered_from_a_window_that_starts_with_the_plan() -> None:
    today = date(2026, 12, 20)
    items = [quiet(PLAN.start_date + timedelta(days=i)) for i in range(19)]
    items.append(quiet(today, symptoms={"anxiety": 3}))  # severe: contact, with suggestions
    from_start = windowed(items, today, PLAN.start_date)
    assert from_start == whole(items, today) and from_start.suggestions
    with pytest.raises(HistoryTooShort,
                       match=r"^the suggestions read check-ins from 2026-12-01$"):
        windowed(items, today, PLAN.start_date + timedelta(days=1))
