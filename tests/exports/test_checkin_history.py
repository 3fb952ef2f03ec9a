"""Check-ins in the exports (from the web app): their history in the PDF beside the dose
chart, and a QuestionnaireResponse with Observations per check-in day in the FHIR Bundle.
Without check-ins (the CLI) neither appears."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

import pytest
from pdf_reader import pdf_text
from reportlab.graphics.shapes import PolyLine, Rect

from taper.exports import fhir, pdf
from taper.exports.options import ExportOptions
from taper.exports.pdf.chart import dose_chart
from taper.exports.pdf.history import burden_chart, history_span

BEFORE = {"date": "2026-11-29", "symptoms": {}, "spasticity": 3}
WORSE = {"date": "2026-12-03", "symptoms": {"anxiety": 2, "insomnia": 1}, "spasticity": 4,
         "temperature_c": "37.2", "heart_rate": 80, "note": "slept badly"}  # fmt: skip
AMENDED = {**WORSE, "symptoms": {"tremor": 3}, "note": "shaking, not anxious"}


@pytest.fixture
def recorded(checkins, rules, options) -> ExportOptions:
    return dataclasses.replace(
        options, checkins=checkins(BEFORE, WORSE, AMENDED), symptoms=rules.symptoms
    )


def test_checkins_need_their_symptom_catalogue(checkins, options) -> None:
    with pytest.raises(ValueError, match="symptoms"):
        dataclasses.replace(options, checkins=checkins(BEFORE))


@pytest.mark.hazard("HZ-048")
def test_the_pdf_shows_each_checkin_day_as_last_recorded(diarist, baclofen, recorded) -> None:
    text = pdf_text(pdf.render(diarist, baclofen, recorded))
    history = text[text.index("Check-in history") :]
    assert "29 Nov 2026 before none 0 3" in history  # before the plan: baseline, nothing rated
    assert "3 Dec 2026 1 Shaking or trembling: severe shaking, not anxious 3 4" in history
    assert "Anxious" not in history  # the amended entry replaces the first for that day
    assert "37.2 80" in history


def test_the_cli_pdf_has_no_checkin_history(diarist, baclofen, options) -> None:
    assert "Check-in history" not in pdf_text(pdf.render(diarist, baclofen, options))


def test_both_charts_share_the_date_axis(diarist, checkins, rules) -> None:
    days = checkins(BEFORE, WORSE)
    span = history_span(diarist, days)
    assert span == (days[0].date, diarist.stop_date)
    (line,) = [s for s in dose_chart(diarist, 500, span=span).contents if isinstance(s, PolyLine)]
    bars = [s for s in burden_chart(days, rules.symptoms, span, 500).contents
            if isinstance(s, Rect)]  # fmt: skip
    assert line.points[0] == bars[0].x  # the first check-in day is the axis's first day
    assert max(line.points[0::2]) <= 500 and all(0 <= b.x <= 500 for b in bars)


def _bundle(plan, drug, options) -> dict:
    return json.loads(fhir.render(plan, drug, options), parse_float=Decimal)


def test_the_bundle_holds_a_response_per_checkin_day_and_its_vitals(
    diarist, baclofen, recorded
) -> None:
    data = _bundle(diarist, baclofen, recorded)
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds.count("QuestionnaireResponse") == 2  # two days; the amendment replaced one
    assert kinds.count("Observation") == 2  # temperature and heart rate on 3 December
    fhir.validate(data)
    response = next(e["resource"] for e in data["entry"]
                    if e["resource"].get("authored") == "2026-12-03")  # fmt: skip
    assert "tremor" in json.dumps(response, default=str)
    assert "anxiety" not in json.dumps(response, default=str)


def test_every_reference_in_the_bundle_resolves_to_an_entry(diarist, baclofen, recorded) -> None:
    data = _bundle(diarist, baclofen, recorded)
    full_urls = {e["fullUrl"] for e in data["entry"]}

    def references(node: object) -> list[str]:
        if isinstance(node, dict):
            own = [node["reference"]] if isinstance(node.get("reference"), str) else []
            return own + [r for v in node.values() for r in references(v)]
        if isinstance(node, list):
            return [r for v in node for r in references(v)]
        return []

    found = references(data)
    assert found and set(found) <= full_urls


def test_the_cli_bundle_has_no_responses(diarist, baclofen, options) -> None:
    kinds = {e["resource"]["resourceType"] for e in _bundle(diarist, baclofen, options)["entry"]}
    assert not kinds & {"QuestionnaireResponse", "Observation"}
