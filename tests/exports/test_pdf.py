"""The PDF report, read back as text: every step's dose, the red-flag card, the approval
status, and the plan version and page number on every page."""

from __future__ import annotations

import dataclasses

import pytest
from pdf_reader import page_count, pdf_text, rendered_pages
from reportlab.graphics.shapes import PolyLine

from taper.core.amounts import decimal_str
from taper.core.plan import PlanWarning
from taper.exports import pdf
from taper.exports.pdf.chart import dose_chart
from taper.exports.words import dose_words
from taper.knowledge.education import load_education

APPROVAL = "approved by Dr A. Jones on 2026-11-30"


@pytest.fixture
def report(diarist, baclofen, options) -> bytes:
    return pdf.render(diarist, baclofen, dataclasses.replace(options, plan_version=2))


def test_it_is_a_pdf_and_the_same_plan_gives_the_same_bytes(diarist, baclofen, options):
    first = pdf.render(diarist, baclofen, options)
    assert first.startswith(b"%PDF-") and first == pdf.render(diarist, baclofen, options)


@pytest.mark.hazard("HZ-044")
def test_every_page_has_its_number_the_plan_version_and_approval_status(report) -> None:
    total = page_count(report)
    assert total >= 2
    for page in range(1, total + 1):
        text = pdf_text(report, page)
        assert f"Page {page} of {total}" in text
        assert "version 2" in text and "not reviewed by a prescriber" in text


@pytest.mark.hazard("HZ-044")
def test_an_approved_plan_says_who_approved_it(diarist, baclofen, options) -> None:
    text = pdf_text(pdf.render(diarist, baclofen, dataclasses.replace(options, approval=APPROVAL)))
    assert APPROVAL in text and "not reviewed" not in text


@pytest.mark.hazard("HZ-045")
@pytest.mark.parametrize("plan_name", ["diarist", "mixed"])
def test_every_steps_dose_and_pieces_are_in_the_report(plan_name, request, baclofen, options):
    plan = request.getfixturevalue(plan_name)
    text = pdf_text(pdf.render(plan, baclofen, options))
    for step in plan.steps:
        assert f"{decimal_str(step.daily_mg)} mg" in text
        for dose in step.doses:
            assert dose_words(dose, plan.products) in text
    stop = plan.stop_date
    assert f"{stop:%a} {stop.day} {stop:%b %Y} no dose" in text


@pytest.mark.hazard("HZ-046")
def test_the_red_flag_card_and_never_stop_suddenly_are_in_the_report(report) -> None:
    text = pdf_text(report)
    education = load_education("baclofen")
    card = education.red_flag_card
    for fact in (*card.signs, *card.actions, *education.never_stop_suddenly):
        assert fact.statement in text
    assert "Questions to ask your doctor" in text and "Heat and cold" in text


@pytest.mark.hazard("HZ-046")
def test_no_report_without_a_red_flag_card(diarist, baclofen, options) -> None:
    unknown = dataclasses.replace(baclofen, id="no-education-yet")
    with pytest.raises(KeyError):
        pdf.render(diarist, unknown, options)


def test_plan_warnings_are_printed(diarist, baclofen, options) -> None:
    warned = dataclasses.replace(
        diarist, warnings=(PlanWarning("cut-larger-than-asked", "The last cut is 100 %.", 11),)
    )
    text = pdf_text(pdf.render(warned, baclofen, options))
    assert "Step 11: The last cut is 100 %." in text and "cut-larger-than-asked" not in text


def test_every_page_renders_to_an_image(report) -> None:
    assert rendered_pages(report) == page_count(report)


def test_the_chart_steps_down_to_zero_inside_its_frame(diarist) -> None:
    drawing = dose_chart(diarist, 500)
    (line,) = [s for s in drawing.contents if isinstance(s, PolyLine)]
    xs, ys = line.points[0::2], line.points[1::2]
    assert all(0 <= x <= 500 for x in xs) and all(0 <= y <= drawing.height for y in ys)
    assert xs == sorted(xs)  # time only moves forward
    assert ys[0] == max(ys) and ys[-1] == min(ys)  # from the starting dose down to zero
    assert len(set(ys)) == len(diarist.steps) + 2  # 60 mg, each step, then 0
