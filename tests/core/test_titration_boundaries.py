"""Titration at its boundaries: the whole plan, each refusal's field and words (issue 19).

Each test reads the whole outcome (steps with their dates, totals, targets and doses; the
warnings with their step and wording; the error's field, message and product) at, just
inside and just outside each rule's threshold, so that a mutant of `_titrate` changes it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction as F

import pytest

from taper.core.plan import Plan
from taper.core.planner import MAX_STEPS, make_plan
from taper.core.products import Liquid, Solid
from taper.core.strategies import TitrateStrategy
from tests.core.planning import plan, refusal, request

TAB10 = Solid("tab10", F(10), 2)  # 5 mg halves
TAB5 = Solid("tab5", F(5), 1)
TAB1 = Solid("tab1", F(1), 1)
TAB20 = Solid("tab20", F(20), 1)  # whole only
DROPS = Liquid("drops", F(1), F(1, 100), F(1, 100))  # 0.01 mg a measure
ZERO3 = {"08:00": 0, "14:00": 0, "20:00": 0}


def steps(p: Plan) -> list[tuple[int, date, date, F, F, F, list[F]]]:
    """Each step in full: index, dates, total, the total before, its target, the doses."""
    return [(s.index, s.start_date, s.end_date, s.daily_mg, s.previous_daily_mg,
             s.target_daily_mg, [d.mg for d in s.doses]) for s in p.steps]


def d(day: int) -> date:
    return date(2026, 12, day)


@pytest.mark.hazard("HZ-004")
def test_the_label_titration_in_full_starts_at_the_label_dose_and_stops_at_the_goal() -> None:
    p = plan(ZERO3, (TAB10, TAB5), TitrateStrategy(F(60)))
    assert steps(p) == [
        (1, d(1), d(3), 15, 0, 15, [5, 5, 5]),
        (2, d(4), d(6), 30, 15, 30, [10, 10, 10]),
        (3, d(7), d(9), 45, 30, 45, [15, 15, 15]),
        (4, d(10), d(12), 60, 45, 60, [20, 20, 20]),
    ]
    assert p.warnings == () and p.stop_date is None and p.direction == "titrate"


def test_the_label_start_dose_applies_from_zero_only() -> None:
    from_zero = plan({"08:00": 0}, (TAB1,), TitrateStrategy(F(10)))
    assert steps(from_zero) == [(1, d(1), d(3), 5, 0, 5, [5]), (2, d(4), d(6), 10, 5, 10, [10])]
    from_one = plan({"08:00": 1}, (TAB1,), TitrateStrategy(F(10)))  # 1 + the 5 mg increment
    assert steps(from_one) == [(1, d(1), d(3), 6, 1, 6, [6]), (2, d(4), d(6), 10, 6, 10, [10])]
    assert from_zero.warnings == () and from_one.warnings == ()


def test_a_given_increment_and_days_replace_the_label_schedule_from_zero() -> None:
    p = plan({"08:00": 0, "20:00": 0}, (TAB10,), TitrateStrategy(F(60), 2, F(10)))
    assert steps(p) == [
        (1, d(1), d(2), 20, 0, 20, [10, 10]),
        (2, d(3), d(4), 40, 20, 40, [20, 20]),
        (3, d(5), d(6), 60, 40, 60, [30, 30]),
    ]
    assert p.warnings == ()


@pytest.mark.hazard("HZ-004")
@pytest.mark.hazard("HZ-233")
def test_a_goal_the_products_cannot_make_is_approached_and_said_after_the_last_step() -> None:
    p = plan(ZERO3, (TAB10,), TitrateStrategy(F(62)))
    assert [s[3] for s in steps(p)] == [15, 30, 45, 60]
    assert [s[5] for s in steps(p)] == [15, 30, 45, 60]
    assert [(w.code, w.step, w.message, w.details) for w in p.warnings] == [(
        "target_not_makeable", 4,
        "Step 4: these products cannot make a daily dose between 60 mg and the target of "
        "62 mg; the plan stays at 60 mg.", {})]
    assert p.stop_date is None


@pytest.mark.hazard("HZ-004")
@pytest.mark.hazard("HZ-233")
def test_a_goal_the_last_step_aims_at_but_cannot_make_is_said_too() -> None:
    """The step aims at the goal (62) but makes 60: the plan never reaches the goal, so it
    says so (it once ended there in silence, its last step showing only the target)."""
    p = plan({"08:00": 20, "14:00": 15, "20:00": 15}, (TAB10,), TitrateStrategy(F(62)))
    assert steps(p) == [(1, d(1), d(3), 60, 50, 62, [20, 20, 20])]
    assert [(w.code, w.step, w.message) for w in p.warnings] == [(
        "target_not_makeable", 1,
        "Step 1: these products cannot make a daily dose between 60 mg and the target of "
        "62 mg; the plan stays at 60 mg.")]


@pytest.mark.hazard("HZ-004")
@pytest.mark.hazard("HZ-233")
def test_no_makeable_dose_between_the_current_one_and_the_goal_gives_no_step_and_says_so() -> None:
    p = plan({"08:00": 20, "14:00": 20, "20:00": 20}, (TAB10,), TitrateStrategy(F(62)))
    assert p.steps == () and p.stop_date is None
    assert [(w.code, w.step, w.message) for w in p.warnings] == [(
        "target_not_makeable", None,
        "No step: these products cannot make a daily dose between 60 mg and the target of "
        "62 mg; the plan stays at 60 mg.")]
    # just above: the next makeable total (65) is the goal itself
    reached = plan({"08:00": 20, "14:00": 20, "20:00": 20}, (TAB10,), TitrateStrategy(F(65)))
    assert steps(reached) == [(1, d(1), d(3), 65, 60, 65, [20, 20, 25])]
    assert reached.warnings == ()


@pytest.mark.hazard("HZ-004")
def test_products_that_make_nothing_up_to_the_goal_are_refused_from_zero() -> None:
    assert refusal({"08:00": 0}, (TAB20,), TitrateStrategy(F(19))) == (
        "products", "these products cannot make any daily dose up to 19 mg", None)
    # at the goal: the one makeable total is taken, though above the step's target
    p = plan({"08:00": 0}, (TAB20,), TitrateStrategy(F(20)))
    assert steps(p) == [(1, d(1), d(3), 20, 0, 5, [20])] and p.warnings == ()


@pytest.mark.hazard("HZ-004")
def test_a_goal_above_the_label_maximum_is_refused_naming_its_source() -> None:
    assert refusal({"08:00": 0, "20:00": 0}, (TAB10,), TitrateStrategy(F(81))) == (
        "strategy.target_daily_mg",
        "81 mg a day is above the maximum of 80 mg a day (source: us-label); a prescriber "
        "may set max_daily_mg_override with a written reason", None)
    at_max = plan({"08:00": 0, "20:00": 0}, (TAB10,), TitrateStrategy(F(80)))
    assert [s.daily_mg for s in at_max.steps] == [10, 20, 30, 40, 50, 60, 70, 80]
    assert at_max.warnings == ()


@pytest.mark.hazard("HZ-004")
def test_an_override_is_the_ceiling_then() -> None:
    assert refusal({"08:00": 0, "20:00": 0}, (TAB10,), TitrateStrategy(F(101), 3, F(10)),
                   override=("100", "ward")) == (
        "strategy.target_daily_mg",
        "101 mg a day is above the maximum of 100 mg a day (source: us-label); a prescriber "
        "may set max_daily_mg_override with a written reason", None)


def test_a_goal_at_or_below_the_current_dose_is_refused() -> None:
    for goal in (F(60), F(59)):
        assert refusal({"08:00": 30, "20:00": 30}, (TAB10,), TitrateStrategy(goal)) == (
            "strategy.target_daily_mg",
            f"{goal} mg a day is not above the current 60 mg a day", None)
    above = plan({"08:00": 30, "20:00": 30}, (TAB10,), TitrateStrategy(F(65)))
    assert steps(above) == [(1, d(1), d(3), 65, 60, 65, [30, 35])]


@pytest.mark.parametrize("strategy", [
    TitrateStrategy(F(10)), TitrateStrategy(F(10), 3), TitrateStrategy(F(10), None, F(2))])
def test_a_drug_without_a_label_schedule_needs_both_increment_and_days(
        strategy: TitrateStrategy) -> None:
    assert refusal({"08:00": 0}, (Solid("d2", F(2)),), strategy, drug="diazepam") == (
        "strategy", "Diazepam has no label titration schedule in the knowledge base; give "
        "increment_per_dose_mg and step_days", None)


def test_a_drug_without_a_label_schedule_titrates_with_both_given() -> None:
    p = plan({"08:00": 0}, (Solid("d2", F(2)),), TitrateStrategy(F(10), 3, F(2)), drug="diazepam")
    assert [(s.index, s.daily_mg, s.days) for s in p.steps] == [
        (1, 2, 3), (2, 4, 3), (3, 6, 3), (4, 8, 3), (5, 10, 3)]


def test_a_titration_of_exactly_the_most_steps_is_planned_and_one_more_is_refused() -> None:
    most = plan({"08:00": 0}, (DROPS,), TitrateStrategy(F(MAX_STEPS, 100), 1, F(1, 100)))
    assert len(most.steps) == MAX_STEPS and most.steps[-1].index == MAX_STEPS
    assert most.steps[-1].daily_mg == 10 and most.warnings == ()
    assert refusal({"08:00": 0}, (DROPS,),
                   TitrateStrategy(F(MAX_STEPS + 1, 100), 1, F(1, 100))) == (
        "strategy", "the plan would need more than 1000 steps", None)


def test_from_zero_the_label_start_dose_is_used_not_its_increment() -> None:
    """A label whose start dose differs from its increment (as tizanidine's, 2 mg then 2-4 mg
    steps): from zero the first step is the start dose, then the increment; a given increment
    replaces both."""
    req = request({"08:00": 0}, (TAB1,), TitrateStrategy(F(10)))
    label = req.drug.titration
    assert label is not None
    drug = replace(req.drug, titration=replace(label, initial_per_dose_mg=F(2)))
    p = make_plan(replace(req, drug=drug))
    assert [(s.daily_mg, s.target_daily_mg) for s in p.steps] == [(2, 2), (7, 7), (10, 10)]
    given = make_plan(replace(req, drug=drug, strategy=TitrateStrategy(F(10), 3, F(4))))
    assert [s.daily_mg for s in given.steps] == [4, 8, 10]
