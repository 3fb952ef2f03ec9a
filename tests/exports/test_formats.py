"""Every format through the one registry, and properties that hold for any plan."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date, timedelta
from fractions import Fraction as F

import pytest
from dateutil.rrule import rrulestr
from export_plans import SOL1, TAB20_QUARTERS, diarist_plan
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from taper.exports import FORMATS, fhir, ics, render
from taper.exports import csv as schedule_csv
from taper.exports.options import ExportOptions
from taper.knowledge import load_drug

OPTIONS = ExportOptions(generated_on=date(2026, 11, 23))


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_renders_through_the_registry(name, diarist, baclofen, options) -> None:
    data = render(name, diarist, baclofen, options)
    assert data and FORMATS[name].extension in {"pdf", "ics", "csv", "json", "txt"}


def test_an_unknown_format_is_a_key_error(diarist, baclofen, options) -> None:
    with pytest.raises(KeyError):
        render("docx", diarist, baclofen, options)


plans = st.builds(
    lambda cut, days, start, zone: diarist_plan(
        start=start, tz=zone, cut=F(cut), steps=min(60 // cut - 1, 12), step_days=days,
        products=(TAB20_QUARTERS, SOL1),
    ),
    cut=st.sampled_from([1, 2, 3, 5, 10]),
    days=st.integers(min_value=1, max_value=7),
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
    zone=st.sampled_from(["America/New_York", "Europe/Paris", "Australia/Sydney", "UTC"]),
)  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(plans)
def test_any_plan_round_trips_through_fhir_and_csv(plan) -> None:
    drug = load_drug("baclofen")
    bundle = json.loads(fhir.render(plan, drug, OPTIONS))
    dosages = bundle["entry"][3]["resource"]["dosageInstruction"]
    assert fhir.steps_from_dosages(dosages) == [
        (s.index, s.start_date, s.end_date, {d.time: d.mg for d in s.doses}) for s in plan.steps
    ]
    rows = list(
        csv.DictReader(io.StringIO(schedule_csv.render(plan, drug, OPTIONS).decode("utf-8-sig")))
    )
    assert len(rows) == sum(s.days * len(s.doses) for s in plan.steps)


@pytest.mark.hazard("HZ-041")
@settings(max_examples=30, deadline=None)
@given(plans)
def test_any_plan_in_any_zone_keeps_every_dose_at_its_local_time(plan) -> None:
    cal = Calendar.from_ical(ics.render(plan, load_drug("baclofen"), OPTIONS))
    found = Counter()
    for event in cal.walk("VEVENT"):
        for when in rrulestr(event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart")):
            found[(when.date(), when.time())] += 1
    want = Counter((day, d.time) for day, s in plan.days() for d in s.doses)
    assert found == want
    assert max(day for day, _ in found) == plan.steps[-1].end_date
    assert min(day for day, _ in found) == plan.start_date
    assert plan.steps[-1].end_date - plan.start_date < timedelta(days=400)


@pytest.mark.hazard("HZ-125")
@pytest.mark.parametrize("name", ["", " ", "\x0c", "\t\n", "\u2028\u3000"])
def test_a_patient_name_with_nothing_visible_is_refused_by_name(name: str) -> None:
    """A lone form feed rendered an invalid FHIR Bundle (Hypothesis found it): a name with no
    visible character is refused where the options are made, naming the field."""
    with pytest.raises(ValueError, match=r"^patient_name: "):
        ExportOptions(generated_on=date(2026, 12, 1), patient_name=name)


@pytest.mark.hazard("HZ-125")
@pytest.mark.parametrize("name", ["A", " Ann Lee ", "\u200b", "José\x0c"])
def test_a_patient_name_with_something_visible_renders_in_every_format(
        name: str, diarist, baclofen) -> None:
    options = ExportOptions(generated_on=date(2026, 12, 1), patient_name=name)
    for fmt in FORMATS:
        assert render(fmt, diarist, baclofen, options), fmt
