"""The prescriber's suggestions at their edges, each read whole (suggestions.py's mutants).

The last tolerated step is the last one begun by today whose check-ins (at least one) were all
stable; a return is suggested only to a higher dose than today's; a slower pace halves the last
cut or doubles its step's days. Here a check-in is stable when it reports no symptom.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from taper.core.monitoring.basis import Basis
from taper.core.monitoring.checkin import CheckIn
from taper.core.monitoring.suggestions import Suggestion, last_tolerated, suggest
from taper.core.strategies import FixedMgStrategy
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import decide, diarist_plan, taper_plan

RULES = load_monitoring("baclofen")
PLAN = diarist_plan()  # 55 mg 1-5 Dec, 50 mg 6-10 Dec, 45 mg 11-15 Dec, … (5-day steps)
BACK = RULES.pacing["return_to_dose"]
SLOWER = RULES.pacing["slower_pace"]


def stable(c: CheckIn) -> bool:
    return not any(c.symptoms.values())


def log(*days: tuple[int, int, bool]) -> tuple[CheckIn, ...]:
    """Check-ins on (month, day), stable or with a moderate symptom."""
    return tuple(CheckIn(date(2026 if m == 12 else 2027, m, d), i,
                         {} if ok else {"anxiety": 2}) for i, (m, d, ok) in enumerate(days))


def step_index(today: date, checkins: tuple[CheckIn, ...]) -> int | None:
    step = last_tolerated(PLAN, checkins, today, stable)
    return None if step is None else step.index


@pytest.mark.hazard("HZ-232")
def test_a_step_is_tolerated_by_stable_checkins_on_its_first_and_last_days() -> None:
    assert step_index(date(2026, 12, 12), log((12, 6, True), (12, 10, True))) == 2
    assert step_index(date(2026, 12, 12), log((12, 6, True), (12, 10, False))) is None
    assert step_index(date(2026, 12, 12), log((12, 5, True), (12, 11, False))) == 1


@pytest.mark.hazard("HZ-232")
def test_a_step_begun_today_counts_and_one_begun_tomorrow_does_not() -> None:
    checkins = log((12, 10, True), (12, 11, True))
    assert step_index(date(2026, 12, 11), checkins) == 3
    assert step_index(date(2026, 12, 10), checkins) == 2


@pytest.mark.hazard("HZ-232")
def test_a_step_with_no_checkin_is_not_tolerated_and_a_later_one_can_be() -> None:
    assert step_index(date(2026, 12, 18), log((12, 2, True))) == 1
    assert step_index(date(2026, 12, 18), log((12, 2, True), (12, 12, False),
                                              (12, 16, True))) == 4


@pytest.mark.hazard("HZ-232")
def test_the_suggestions_in_full_after_a_cut_that_was_not_tolerated() -> None:
    today = date(2026, 12, 12)  # step 3 (45 mg) since 11 Dec; step 2 (50 mg) was tolerated
    found = suggest(PLAN, log((12, 7, True), (12, 12, False)), today, Fraction(45), RULES,
                    stable)
    cut = Basis.of("slower_pace", SLOWER.fact, {"last_cut_mg": "5", "step_days": 5, "step": 3})
    assert found == (
        Suggestion("return_to_dose",
                   "Consider returning to 50 mg a day, the last tolerated dose "
                   "(step 2 (2026-12-06 to 2026-12-10)).",
                   Basis.of("return_to_dose", BACK.fact, {
                       "last_tolerated": "step 2 (2026-12-06 to 2026-12-10)",
                       "daily_mg": "50", "current_daily_mg": "45"}),
                   daily_mg=Fraction(50)),
        Suggestion("slower_pace",
                   "Consider continuing more slowly: 2.5 mg less every 5 days "
                   "(the last cut was 5 mg over 5 days).",
                   cut, strategy=FixedMgStrategy(step_mg=Fraction(5, 2), step_days=5)),
        Suggestion("slower_pace",
                   "Consider continuing more slowly: 5 mg less every 10 days "
                   "(the last cut was 5 mg over 5 days).",
                   cut, strategy=FixedMgStrategy(step_mg=Fraction(5), step_days=10)),
    )
    assert all(s.audience == "prescriber" for s in found)


@pytest.mark.hazard("HZ-232")
def test_with_no_tolerated_step_the_return_is_to_the_dose_before_the_taper() -> None:
    found = suggest(PLAN, log((12, 2, False)), date(2026, 12, 2), Fraction(55), RULES, stable)
    assert found[0].text == ("Consider returning to 60 mg a day, the last tolerated dose "
                             "(the dose before the taper).")
    assert found[0].daily_mg == Fraction(60)
    assert found[0].basis.inputs == {"last_tolerated": "the dose before the taper",
                                     "daily_mg": "60", "current_daily_mg": "55"}


@pytest.mark.hazard("HZ-232")
def test_no_return_is_suggested_to_the_dose_taken_today() -> None:
    found = suggest(PLAN, log((12, 7, True)), date(2026, 12, 9), Fraction(50), RULES, stable)
    assert [s.kind for s in found] == ["slower_pace", "slower_pace"]
    assert suggest(PLAN, (), date(2026, 11, 30), Fraction(60), RULES, stable) == ()


@pytest.mark.hazard("HZ-232")
def test_the_last_cut_is_the_last_step_that_lowered_the_dose_by_today() -> None:
    # 55 mg 1-5 Dec (a cut from 60), 55 mg 6-10 Dec (no cut), 50 mg from 11 Dec (a cut).
    flat = taper_plan(date(2026, 12, 1), [55, 55, 50], 5)
    on_the_flat_step = suggest(flat, (), date(2026, 12, 8), Fraction(55), RULES, stable)
    assert on_the_flat_step[-1].basis.inputs == {"last_cut_mg": "5", "step_days": 5, "step": 1}
    on_the_cut = suggest(flat, (), date(2026, 12, 11), Fraction(50), RULES, stable)
    assert on_the_cut[-1].basis.inputs == {"last_cut_mg": "5", "step_days": 5, "step": 3}


def test_a_titration_gets_no_suggestion() -> None:
    rising = replace(PLAN, direction="titration")
    assert suggest(rising, log((12, 2, False)), date(2026, 12, 2), Fraction(55), RULES,
                   stable) == ()


@pytest.mark.hazard("HZ-232")
def test_a_decision_for_the_prescriber_carries_the_suggestions() -> None:
    today = date(2026, 12, 12)
    decision = decide([{"date": "2026-12-07", "symptoms": {}},
                       {"date": today.isoformat(), "symptoms": {"anxiety": 3}}], today)
    assert decision.action == "contact_prescriber"
    assert [(s.kind, s.daily_mg) for s in decision.suggestions] == [
        ("return_to_dose", Fraction(50)), ("slower_pace", None), ("slower_pace", None)]
