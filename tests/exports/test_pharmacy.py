"""The pharmacy summary: quantities match the plan's supply, one page, in pharmacy form."""

from __future__ import annotations

import dataclasses
from datetime import date
from fractions import Fraction as F

import pytest
from export_plans import SOL1, TAB20_QUARTERS, diarist_plan
from pdf_reader import page_count, pdf_text

from taper.core.plan import SupplyLine
from taper.exports import pharmacy

SUPPLY = (SupplyLine("tab20", F(83), date(2026, 12, 1), date(2027, 1, 24)),)


def text(plan, drug, options) -> str:
    return pharmacy.render_text(plan, drug, options).decode("utf-8")


def test_quantities_match_the_plans_supply(baclofen, options) -> None:
    plan = diarist_plan(supply=SUPPLY)
    (line,) = pharmacy.dispense_lines(plan, options.period_days)
    assert (line.total, line.first_needed) == (SUPPLY[0].units, SUPPLY[0].first_needed)
    assert line.supply.total == SUPPLY[0].units  # our own count agrees with the planner's
    assert "Dispense 83 tablets for the whole plan; first needed 2026-12-01" in text(
        plan, baclofen, options
    )


def test_per_period_quantities_and_the_period_length_are_shown(diarist, baclofen, options):
    summary = text(diarist, baclofen, dataclasses.replace(options, period_days=28))
    assert "Per 28-day period: 2026-12-01 to 2026-12-28: 61 tablets; " in summary
    assert "2026-12-29 to 2027-01-24: 22 tablets." in summary


def test_each_product_has_its_own_quantity_and_first_day(mixed, baclofen, options) -> None:
    summary = text(mixed, baclofen, options)
    assert "Baclofen 10 mg tablet [tab10]" in summary and "[sol1]" in summary
    assert "Dispense 90 mL for the whole plan" in summary


@pytest.mark.hazard("HZ-045")
def test_directions_name_each_dose_in_the_products_units(diarist, baclofen, options) -> None:
    summary = text(diarist, baclofen, options)
    assert (
        "2026-12-01 to 2026-12-05: take 1 tablet at 08:00, ¾ tablet at 14:00, "
        "1 tablet at 20:00 by mouth daily" in summary
    )
    assert "2027-01-20 to 2027-01-24: take ¼ tablet at 20:00 by mouth daily" in summary


@pytest.mark.hazard("HZ-044")
def test_the_summary_states_the_approval(diarist, baclofen, options) -> None:
    assert "Plan version 1: not reviewed by a prescriber." in text(diarist, baclofen, options)


def test_the_pdf_is_one_page_even_for_a_long_plan(baclofen, options) -> None:
    # 59 steps of 1 mg, two products: over a hundred lines of directions.
    long_plan = diarist_plan(cut=F(1), steps=59, step_days=2, products=(TAB20_QUARTERS, SOL1))
    data = pharmacy.render(long_plan, baclofen, options)
    assert data.startswith(b"%PDF-") and page_count(data) == 1
    assert "Dispense" in pdf_text(data)
