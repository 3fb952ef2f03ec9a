"""Warnings grouped by kind with their step ranges, each kind once (issue 15 §3)."""

from __future__ import annotations

from datetime import date

import pytest

from taper.core.plan import Plan, PlanWarning
from taper.web.clinic.warning_groups import step_ranges, warning_groups


def plan_with(*warnings: PlanWarning) -> Plan:
    return Plan("baclofen", "taper", date(2027, 1, 4), "UTC", (), (), None, warnings, (), ())


def cut(step: int, product: str = "sol1") -> PlanWarning:
    return PlanWarning("cut_larger_than_requested", f"Step {step}: the pace asks for less ({step})",
                       step=step, details={"product": product, "product_strength": "1 mg/mL liquid"})


@pytest.mark.parametrize(("steps", "words"), [
    ([5], "5"), ([8, 9, 10, 11, 12, 13, 14], "8–14"), ([3, 5, 6, 9], "3, 5–6, 9"),
    ([2, 1, 2], "1–2"), ([], ""),
], ids=["one-step", "contiguous", "non-contiguous", "unsorted-repeated", "none"])
def test_step_numbers_become_ranges(steps: list[int], words: str) -> None:
    assert step_ranges(steps) == words


def test_a_kind_at_one_step_keeps_its_own_words() -> None:
    [group] = warning_groups(plan_with(cut(4)))
    assert group.words == "Step 4: the pace asks for less (4)" and group.steps == "4"
    assert group.product == "sol1" and group.each == []


def test_a_contiguous_run_is_said_once_with_its_range_and_the_fix() -> None:
    [group] = warning_groups(plan_with(*(cut(n) for n in range(8, 15))))
    assert group.words.startswith("Cut larger than asked at steps 8–14, because these products")
    assert group.words.endswith("A 1 mg/mL liquid would allow the requested cut.")
    assert group.product == "sol1" and len(group.each) == 7


def test_a_non_contiguous_run_names_each_range() -> None:
    [group] = warning_groups(plan_with(cut(2), cut(3), cut(7)))
    assert group.words.startswith("Cut larger than asked at steps 2–3, 7, because")


def test_different_fixes_and_kinds_are_separate_groups_in_first_seen_order() -> None:
    rises = PlanWarning("dose_time_rises", "Step 3: the 14:00 dose rises", step=3)
    groups = warning_groups(plan_with(cut(1), rises, cut(2), cut(5, "tab5")))
    assert [(g.code, g.steps, g.product) for g in groups] == [
        ("cut_larger_than_requested", "1–2", "sol1"), ("dose_time_rises", "3", None),
        ("cut_larger_than_requested", "5", "tab5")]


def test_a_whole_plan_warning_is_shown_once_without_steps() -> None:
    past = PlanWarning("start_in_past", "The plan starts on 2027-01-04, before today.")
    [group] = warning_groups(plan_with(past, past))
    assert group.steps == "" and "Mon 4 Jan 2027" in group.words and "2027-01-04" not in group.words
