"""Pacing decisions: the worked scenarios, monotonicity, and a basis for every decision."""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taper.core.monitoring.pacing import PacingDecision, assess
from taper.core.monitoring.rulebook import rank
from taper.core.plan import Plan
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import checkins, decide, diarist_plan

RULES = load_monitoring("baclofen")
ALL_DOSES = ["08:00", "14:00", "20:00"]


def day(d: date) -> str:
    return d.isoformat()


def quiet(d: date) -> dict[str, Any]:
    return {"date": day(d), "symptoms": {"insomnia": 1}, "spasticity": 3, "sleep_quality": 6,
            "doses_taken": ALL_DOSES}


def quiet_week(first: date, last: date) -> list[dict[str, Any]]:
    return [quiet(first + timedelta(days=i)) for i in range((last - first).days + 1)]


def daily(
    plan: Plan, items: list[dict[str, Any]], first: date, last: date
) -> tuple[Plan, PacingDecision]:
    """Assess every day from first to last, applying each hold to the plan as the app would."""
    today, decision = first, None
    while today <= last:
        known = [c for c in items if c["date"] <= day(today)]
        decision = assess(plan, checkins(known, today), today, RULES)
        if decision.held_plan is not None:
            plan = decision.held_plan
        today += timedelta(days=1)
    assert decision is not None
    return plan, decision


def test_quiet_week_proceeds(plan: Plan) -> None:
    decision = decide(quiet_week(date(2026, 11, 28), date(2026, 12, 4)), date(2026, 12, 4))
    assert decision.action == "proceed"
    assert decision.days_since_reduction == 3 and decision.timeline.window == "peak"
    assert decision.plan_change is None and not decision.clinician_flag


def test_moderate_anxiety_and_insomnia_the_day_after_a_cut_holds(plan: Plan) -> None:
    items = [*quiet_week(date(2026, 11, 28), date(2026, 12, 5)),
             {"date": "2026-12-07", "symptoms": {"anxiety": 2, "insomnia": 2}}]
    decision = decide(items, date(2026, 12, 7))
    assert decision.action == "hold"
    assert decision.days_since_reduction == 1 and decision.timeline.window == "early"
    assert decision.plan_change is not None
    assert decision.plan_change.next_change_was == date(2026, 12, 11)
    assert decision.plan_change.next_change_now == date(2026, 12, 12)
    assert decision.suggestions == ()


@pytest.mark.hazard("HZ-021")
def test_insomnia_still_moderate_ten_days_later_goes_to_the_prescriber(plan: Plan) -> None:
    start = date(2026, 12, 7)
    items = [*quiet_week(date(2026, 11, 28), date(2026, 12, 5)),
             *[{"date": day(start + timedelta(days=i)), "symptoms": {"insomnia": 2}}
               for i in range(11)]]
    held, decision = daily(plan, items, start, start + timedelta(days=10))
    assert decision.action == "contact_prescriber"
    assert "persisting_symptom" in [b.rule for b in decision.basis]
    back = [s for s in decision.suggestions if s.kind == "return_to_dose"]
    assert [s.daily_mg for s in back] == [Fraction(55)]  # step 1, the last with stable check-ins
    assert {s.kind for s in decision.suggestions} == {"return_to_dose", "slower_pace"}
    # The holds kept the patient on 50 mg through those ten days.
    assert held.step_on(start + timedelta(days=10)).daily_mg == Fraction(50)


def test_fever_with_severe_rigidity_is_an_emergency() -> None:
    items = [quiet(date(2026, 12, 8)),
             {"date": "2026-12-09", "temperature_c": "39.2", "symptoms": {"muscle_rigidity": 3}}]
    decision = decide(items, date(2026, 12, 9))
    assert decision.action == "emergency"
    assert {"high_fever", "fever_with_rigidity"} <= {b.rule for b in decision.basis}


@pytest.mark.hazard("HZ-025")
@pytest.mark.parametrize(("taken", "expected"), [
    (ALL_DOSES, "proceed"), (["08:00", "20:00"], "proceed"), (["20:00"], "contact_prescriber"),
    ([], "contact_prescriber")], ids=["all", "one-missed", "two-missed", "all-missed"])
def test_two_or_more_missed_dose_times_are_flagged(taken: list[str], expected: str) -> None:
    items = [quiet(date(2026, 12, 8)), {**quiet(date(2026, 12, 9)), "doses_taken": taken}]
    decision = decide(items, date(2026, 12, 9))
    assert decision.action == expected
    if expected != "proceed":
        assert "withdrawal" in decision.message and "do not take extra" in decision.message


@pytest.mark.hazard("HZ-103")
@pytest.mark.parametrize(("taken", "due", "expected"), [
    (["08:00"], ["08:00", "14:00"], "proceed"),  # a check-in at 15:00: the 20:00 dose is not late
    ([], ["08:00"], "proceed"),
    ([], ["08:00", "14:00"], "contact_prescriber"),
    (["08:00"], ["08:00", "14:00", "20:00"], "contact_prescriber"),
    (["08:00"], None, "contact_prescriber"),  # no doses_due: the whole day, as the CLI has it
], ids=["afternoon-one-missed", "morning-one-missed", "two-due-missed", "evening", "whole-day"])
def test_only_dose_times_already_due_count_as_missed(taken: list[str], due: list[str] | None,
                                                    expected: str) -> None:
    today = {**quiet(date(2026, 12, 9)), "doses_taken": taken}
    if due is not None:
        today["doses_due"] = due
    assert decide([quiet(date(2026, 12, 8)), today], date(2026, 12, 9)).action == expected


@pytest.mark.hazard("HZ-026")
@pytest.mark.parametrize("items", [[], [{"date": "2026-12-01"}]], ids=["none", "stale"])
def test_without_a_recent_checkin_the_taper_does_not_move_on(items: list[dict[str, Any]]) -> None:
    decision = decide(items, date(2026, 12, 9))
    assert decision.action == "hold"
    assert decision.basis[0].rule == "no_recent_checkin"


def test_a_symptom_already_there_before_the_taper_is_not_new() -> None:
    before = {"date": "2026-11-30", "symptoms": {"insomnia": 2}, "spasticity": 3}
    items = [before, {"date": "2026-12-07", "symptoms": {"insomnia": 2}, "spasticity": 4}]
    assert decide(items, date(2026, 12, 7)).action == "proceed"
    worse = [before, {"date": "2026-12-07", "symptoms": {"insomnia": 3}}]
    assert decide(worse, date(2026, 12, 7)).action == "contact_prescriber"


def test_spasticity_rise_beyond_the_threshold_holds() -> None:
    before = {"date": "2026-11-30", "spasticity": 3}
    today = date(2026, 12, 7)
    assert decide([before, {"date": "2026-12-07", "spasticity": 4}], today).action == "proceed"
    assert decide([before, {"date": "2026-12-07", "spasticity": 5}], today).action == "hold"


def test_after_the_last_dose_stable_checkins_say_the_taper_is_complete() -> None:
    decision = decide([{"date": "2027-01-27"}], date(2027, 1, 27))
    assert decision.action == "proceed" and decision.daily_mg == 0
    assert "last dose was on Sun 24 Jan" in decision.message


def test_after_the_last_dose_a_hold_goes_to_the_prescriber() -> None:
    items = [{"date": "2027-01-26", "symptoms": {"anxiety": 2}}]
    decision = decide(items, date(2027, 1, 26))
    assert decision.action == "contact_prescriber"
    assert "hold_after_stop" in [b.rule for b in decision.basis]


# ---------------------------------------------------------------- properties
SYMPTOM_IDS = [s.id for s in RULES.symptoms]
severities = st.dictionaries(st.sampled_from(SYMPTOM_IDS), st.integers(0, 3), max_size=5)
temperatures = st.one_of(st.none(), st.integers(350, 425).map(lambda t: f"{t // 10}.{t % 10}"))


@st.composite
def situations(draw: st.DrawFn) -> tuple[list[dict[str, Any]], dict[str, Any], date]:
    today = date(2026, 11, 28) + timedelta(days=draw(st.integers(0, 70)))
    history = []
    for offset in sorted(draw(st.sets(st.integers(1, 12), max_size=5)), reverse=True):
        history.append({"date": day(today - timedelta(days=offset)), "symptoms": draw(severities),
                        "spasticity": draw(st.one_of(st.none(), st.integers(0, 10)))})
    latest = {"date": day(today), "symptoms": draw(severities),
              "spasticity": draw(st.one_of(st.none(), st.integers(0, 10))),
              "temperature_c": draw(temperatures),
              "heart_rate": draw(st.one_of(st.none(), st.integers(40, 180)))}
    return history, {k: v for k, v in latest.items() if v is not None}, today


def worsen(latest: dict[str, Any], how: str, symptom: str, by: int) -> dict[str, Any]:
    worse = {**latest, "symptoms": dict(latest["symptoms"])}
    if how == "symptom":
        worse["symptoms"][symptom] = min(3, worse["symptoms"].get(symptom, 0) + by)
    elif how == "spasticity":
        worse["spasticity"] = min(10, worse.get("spasticity", 0) + by)
    elif how == "heart_rate":
        worse["heart_rate"] = min(250, worse.get("heart_rate", 60) + by * 7)
    else:
        t = Fraction(worse.get("temperature_c", "36.5")) + Fraction(by, 5)
        worse["temperature_c"] = str(float(min(t, Fraction(45))))
    return worse


@pytest.mark.hazard("HZ-028")
@settings(max_examples=300, deadline=None)
@given(situations(), st.sampled_from(["symptom", "spasticity", "heart_rate", "temperature"]),
       st.sampled_from(SYMPTOM_IDS), st.integers(1, 3))
def test_worse_evidence_never_gives_a_less_cautious_action(
    situation: Any, how: str, symptom: str, by: int
) -> None:
    history, latest, today = situation
    before = decide([*history, latest], today).action
    after = decide([*history, worsen(latest, how, symptom, by)], today).action
    assert rank(after) >= rank(before)


# Words that would tell a patient to change a dose on their own (SPEC: never).
FORBIDDEN = re.compile(
    r"\b(increase|raise|speed up|skip|go back to|return to|take (more|extra|a higher)|"
    r"reduce your|stop taking|restart)\b", re.IGNORECASE)


@pytest.mark.hazard("HZ-022")
@pytest.mark.hazard("HZ-023")
@settings(max_examples=300, deadline=None)
@given(situations())
def test_every_decision_has_a_basis_and_never_tells_the_patient_to_change_a_dose(
    situation: Any,
) -> None:
    history, latest, today = situation
    decision = decide([*history, latest], today)
    assert decision.basis and all(b.rule and b.source and b.statement for b in decision.basis)
    assert all(isinstance(b.inputs, dict) and b.inputs for b in decision.basis)
    assert all(b.source == "policy" or b.source in RULES.sources or b.source == "spec"
               for b in decision.basis)
    assert all(b.reason for b in decision.basis if b.source == "policy")
    assert "timeline" in [b.rule for b in decision.basis]
    message = decision.message.replace("do not take extra", "")
    assert FORBIDDEN.search(message) is None, decision.message
    assert all(s.audience == "prescriber" for s in decision.suggestions)
    if decision.held_plan is not None:
        for d, step in decision.held_plan.days():
            assert step.daily_mg >= (diarist_plan().step_on(d) or step).daily_mg


@pytest.mark.hazard("HZ-023")
def test_suggestions_to_raise_or_slow_are_addressed_to_the_prescriber() -> None:
    items = [quiet(date(2026, 12, 4)), {"date": "2026-12-07", "symptoms": {"vomiting": 3}}]
    decision = decide(items, date(2026, 12, 7))
    assert decision.action == "contact_prescriber"
    assert decision.suggestions and all(s.audience == "prescriber" for s in decision.suggestions)
    assert "55" not in decision.message  # the higher dose is not put to the patient
