"""CSV schedule and journal: parse back with the csv module, exact and one row per dose."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction as F

import pytest

from taper.exports import csv as schedule_csv
from taper.exports.checkin import CheckIn
from taper.exports.csv import journal_csv


def read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_one_row_per_day_per_dose_time(diarist, baclofen, options) -> None:
    rows = read(schedule_csv.render(diarist, baclofen, options))
    assert len(rows) == sum(s.days * len(s.doses) for s in diarist.steps)
    assert Counter(r["date"] for r in rows)["2026-12-01"] == 3
    assert Counter(r["date"] for r in rows)["2027-01-24"] == 1  # the evening 5 mg only
    assert len({(r["date"], r["time"]) for r in rows}) == len(rows)


@pytest.mark.hazard("HZ-043")
@pytest.mark.parametrize("plan_name", ["diarist", "mixed"])
def test_pieces_add_up_to_the_dose_and_doses_to_the_day(plan_name, request, baclofen, options):
    plan = request.getfixturevalue(plan_name)
    rows = read(schedule_csv.render(plan, baclofen, options))
    for row in rows:
        assert sum(F(Decimal(mg)) for mg in row["pieces_mg"].split(" + ")) == F(row["dose_mg"])
    per_day: dict[str, F] = {}
    for row in rows:
        per_day[row["date"]] = per_day.get(row["date"], F(0)) + F(row["dose_mg"])
    assert {r["date"]: F(r["daily_mg"]) for r in rows} == per_day


def test_pieces_are_in_words(diarist, baclofen, options) -> None:
    rows = read(schedule_csv.render(diarist, baclofen, options))
    assert rows[1]["pieces"] == "¾ × 20 mg tablet" and rows[1]["dose_mg"] == "15"


@pytest.mark.hazard("HZ-044")
def test_the_schedule_says_whether_a_prescriber_reviewed_it(diarist, baclofen, options) -> None:
    rows = read(schedule_csv.render(diarist, baclofen, options))
    assert {r["approval"] for r in rows} == {"not reviewed by a prescriber"}


def test_journal_has_one_row_per_checkin_from_dataclass_or_dict() -> None:
    data = journal_csv(
        [
            CheckIn(
                date(2026, 12, 2), {"physical": 1}, spasticity=4, temperature_c=Decimal("37.2")
            ),
            {"day": "2026-12-03", "sleep_quality": 6, "note": "slept badly, vivid dreams"},
        ]
    )
    rows = read(data)
    assert [r["date"] for r in rows] == ["2026-12-02", "2026-12-03"]
    assert rows[0]["symptoms_physical_0_3"] == "1" and rows[0]["temperature_c"] == "37.2"
    assert rows[1]["spasticity_0_10"] == "" and rows[1]["note"] == "slept badly, vivid dreams"


def test_journal_free_text_cannot_become_a_spreadsheet_formula() -> None:
    rows = read(journal_csv([{"day": "2026-12-03", "note": '=HYPERLINK("x")'}]))
    assert rows[0]["note"] == '\'=HYPERLINK("x")'


@pytest.mark.parametrize(
    "bad",
    [{"symptoms": {"physical": 4}}, {"spasticity": 11}, {"symptoms": {"mood": 1}}, {"mood": 1}],
    ids=["severity 4", "spasticity 11", "unknown domain", "unknown field"],
)
def test_a_checkin_out_of_range_is_refused(bad) -> None:
    with pytest.raises(ValueError):
        journal_csv([{"day": "2026-12-03", **bad}])
