"""What the planner says about the request itself, at each boundary (issue 19): the opening
warnings with their words and details, and the refusals of malformed requests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from fractions import Fraction as F

import pytest

from taper.core.composer import Composer
from taper.core.plan import Composition, Plan
from taper.core.planner import PlanError, make_plan
from taper.core.products import Solid
from taper.core.regimen import DoseTime
from taper.core.strategies import FixedMgStrategy, StepsStrategy, TitrateStrategy
from tests.core.planning import doses_by_step, plan, request

TAB10 = Solid("tab10", F(10), 2)
TAB5 = Solid("tab5", F(5), 1)
BID = {"08:00": 20, "20:00": 20}
STEP = FixedMgStrategy(F(10), 7)


def refusal(*args: object, **kwargs: object) -> tuple[str, str]:
    with pytest.raises(PlanError) as caught:
        plan(*args, **kwargs)
    return caught.value.field, caught.value.message


def opening(p: Plan) -> list[tuple[str, int | None, str, dict[str, str]]]:
    return [(w.code, w.step, w.message, dict(w.details)) for w in p.warnings
            if w.code not in ("stop_limited", "cut_larger_than_requested")]


def test_a_plain_request_has_no_opening_warning_and_its_baseline_in_full() -> None:
    p = plan(BID, (TAB10,), STEP, today=date(2026, 12, 1))  # starts today: not in the past
    assert opening(p) == []
    assert [(d.time, d.mg, [(x.product_id, x.units) for x in d.composition.pieces])
            for d in p.baseline] == [(time(8), 20, [("tab10", 2)]), (time(20), 20, [("tab10", 2)])]
    assert p.drug_id == "baclofen" and p.direction == "taper" and p.timezone == "America/New_York"
    assert p.start_date == date(2026, 12, 1)


def test_a_start_before_today_is_flagged_with_both_dates() -> None:
    p = plan(BID, (TAB10,), STEP, today=date(2026, 12, 2))
    assert opening(p) == [(
        "start_in_past", None,
        "The plan starts on 2026-12-01, before today (2026-12-02); check the dates before giving "
        "it to the patient.", {})]


@pytest.mark.hazard("HZ-004")
def test_a_current_dose_at_the_label_maximum_passes_and_above_it_is_flagged_with_the_source() -> None:
    at_max = plan({"08:00": 40, "20:00": 40}, (TAB10,), STEP)
    assert opening(at_max) == []
    above = plan({"08:00": 45, "20:00": 40}, (TAB10,), STEP)
    assert opening(above) == [(
        "above_label_maximum", None,
        "The current 85 mg a day is above the label maximum of 80 mg a day (Maximum 80 mg a day "
        "(20 mg four times a day) in US labels.)", {"source": "us-label"})]


@pytest.mark.hazard("HZ-004")
def test_an_override_above_the_label_is_said_with_its_reason_and_at_the_label_is_not() -> None:
    over = plan({"08:00": 45, "20:00": 40}, (TAB10,), STEP, override=("100", "ward, supervised"))
    assert opening(over) == [(
        "label_maximum_overridden", None,
        "Doses up to 100 mg a day are allowed above the label maximum of 80 mg; reason given: "
        "ward, supervised", {"label_max_mg": "80", "source": "us-label"})]
    at_label = plan({"08:00": 45, "20:00": 40}, (TAB10,), STEP, override=("80", "ward"))
    assert [w[0] for w in opening(at_label)] == ["above_label_maximum"]
    just_above = plan({"08:00": 40, "20:00": 40}, (TAB10,), STEP, override=("80.5", "ward"))
    assert [w[0] for w in opening(just_above)] == ["label_maximum_overridden"]


@pytest.mark.hazard("HZ-004")
def test_an_override_needs_a_written_reason() -> None:
    for reason in ("", "   "):
        assert refusal(BID, (TAB10,), STEP, override=("100", reason)) == (
            "max_daily_mg_override.reason", "a written reason is required")


def test_renal_impairment_brings_the_bands_advice_and_source_and_normal_function_nothing() -> None:
    p = plan(BID, (TAB10,), STEP, crcl=45)
    assert opening(p) == [(
        "renal_impairment", None,
        "Creatinine clearance 45 mL/min: Reduce the dose by one half (creatinine clearance "
        "30-50 mL/min).",
        {"source": "vlavonou-2014", "statement": "CrCl 30-50 mL/min: reduce the dose by one half."})]
    assert opening(plan(BID, (TAB10,), STEP, crcl=90)) == []


def test_dose_times_out_of_clock_order_are_flagged_and_planned_in_clock_order() -> None:
    p = plan({"20:00": 20, "08:00": 20}, (TAB10,), STEP)
    assert opening(p) == [(
        "dose_times_unordered", None,
        "The dose times were not given in clock order; they are shown in clock order.", {})]
    assert doses_by_step(p) == doses_by_step(plan(BID, (TAB10,), STEP))


def test_a_dose_time_given_twice_is_refused() -> None:
    req = request(BID, (TAB10,), STEP)
    twice = replace(req.regimen, doses=(DoseTime(time(8), F(10)), DoseTime(time(8), F(10))))
    with pytest.raises(PlanError) as caught:
        make_plan(replace(req, regimen=twice))
    assert (caught.value.field, caught.value.message) == (
        "current_doses", "each dose time may appear only once")


def test_no_dose_time_or_no_product_is_refused() -> None:
    assert refusal({}, (TAB10,), STEP) == ("current_doses", "at least one dose time is needed")
    assert refusal(BID, (), STEP) == ("products", "at least one product is needed")


def test_a_reduce_order_is_of_dose_times_each_once_and_the_rest_follow_the_default() -> None:
    assert refusal(BID, (TAB10,), STEP, order=("09:00",)) == (
        "reduce_order", "09:00 is not one of the dose times")
    assert refusal(BID, (TAB10,), STEP, order=("20:00", "20:00")) == (
        "reduce_order", "each dose time may appear only once")
    tid = {"08:00": 10, "14:00": 10, "20:00": 10}
    # 20:00 first, then the default order of the rest: 14:00 (midday), 08:00
    assert doses_by_step(plan(tid, (TAB5,), FixedMgStrategy(F(5), 7), order=("20:00",)))[:3] == [
        "10/10/5", "10/5/5", "5/5/5"]


def test_a_titration_plans_its_grid_up_to_the_goal_not_the_current_dose() -> None:
    """The products' grid is checked up to the larger of the current dose and the ceiling."""
    fine = Solid("fine", F(1, 200), 1)  # 0.005 mg: 20 000 parts of 100 mg
    with pytest.raises(PlanError) as caught:
        plan({"08:00": 0}, (fine,), TitrateStrategy(F(1, 100), 1, F(1, 200)),
             override=("100.005", "ward"))
    assert caught.value.field == "products" and "up to 100.005 mg a day" in caught.value.message



def test_a_current_dose_the_products_cannot_make_is_kept_without_pieces() -> None:
    p = plan({"08:00": 7, "20:00": 10}, (TAB10,), FixedMgStrategy(F(5), 7))
    assert [(d.mg, [(x.product_id, x.units) for x in d.composition.pieces])
            for d in p.baseline] == [(7, []), (10, [("tab10", 1)])]
    assert [[d.mg for d in s.doses] for s in p.steps] == [[5, 10], [5, 5], [5]]
    assert p.warnings == ()


def test_the_first_step_keeps_the_product_the_current_dose_is_taken_with() -> None:
    """20 mg taken as one 20 mg tablet: the 10 mg step is half of it, not a 10 mg tablet
    (the composer counts a switch of product against a composition)."""
    tab20q = Solid("tab20", F(20), 4)
    p = plan({"08:00": 20}, (tab20q, TAB10, TAB5), StepsStrategy((F(10),), 7))
    assert [[(x.product_id, x.units) for x in d.composition.pieces] for d in p.baseline] == [
        [("tab20", 1)]]
    assert [[(x.product_id, x.units) for x in d.composition.pieces]
            for d in p.steps[0].doses] == [[("tab20", F(1, 2))]]


class _DoubleComposer(Composer):
    """A broken composer: the pieces for twice the amount asked."""

    def __call__(self, amount: F, previous: frozenset[str] = frozenset()) -> Composition | None:
        return super().__call__(amount * 2, previous)


@pytest.mark.hazard("HZ-001")
def test_the_planner_never_schedules_pieces_that_do_not_add_up_to_the_dose(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The planner checks each composition against its dose (HZ-001's last guard)."""
    monkeypatch.setattr("taper.core.planner.Composer", _DoubleComposer)
    with pytest.raises(AssertionError):
        plan({"08:00": 20}, (TAB10, TAB5), StepsStrategy((F(10),), 7))
