"""CSV schedule and journal: parse back with the csv module, exact and one row per dose."""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from fractions import Fraction as F

import pytest

from taper.exports import csv as schedule_csv
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


DAY2 = {
    "date": "2026-12-02",
    "symptoms": {"tremor": 1, "anxiety": 2, "insomnia": 3, "memory": 0},
    "spasticity": 4,
    "sleep_quality": 3,
    "temperature_c": "37.25",
    "heart_rate": 88,
    "doses_taken": ["08:00", "14:00"],
    "note": "slept badly, vivid dreams",
}


def test_journal_values_round_trip(checkins, rules, diarist) -> None:
    rows = read(journal_csv(checkins(DAY2), rules.symptoms, diarist))
    (row,) = rows
    assert list(row) == [
        "date", *(f"{s.id}_0_3" for s in rules.symptoms), "spasticity_0_10",
        "sleep_quality_0_10", "temperature_c", "heart_rate", "doses_taken", "doses_planned",
        "note",
    ]  # fmt: skip
    # Every reported symptom in its column (an explicit 0 too); the others empty.
    reported = {k.removesuffix("_0_3"): int(v) for k, v in row.items() if k.endswith("_0_3") and v}
    assert reported == DAY2["symptoms"]
    assert (row["date"], row["spasticity_0_10"], row["sleep_quality_0_10"]) == (
        "2026-12-02", "4", "3")  # fmt: skip
    assert F(Decimal(row["temperature_c"])) == F(Decimal("37.25"))
    assert row["temperature_c"] == "37.25" and row["heart_rate"] == "88"
    assert row["doses_taken"] == "08:00 14:00"
    assert row["doses_planned"] == "08:00 14:00 20:00"
    assert row["note"] == DAY2["note"]


def test_journal_has_one_row_per_date_sorted_with_amendments_applied(checkins, rules) -> None:
    data = journal_csv(
        checkins(
            {"date": "2026-12-04", "spasticity": 6},
            {"date": "2026-12-03", "symptoms": {"nausea": 2}},
            {"date": "2026-12-04", "spasticity": 5, "note": "amended"},
        ),
        rules.symptoms,
    )
    rows = read(data)
    assert [r["date"] for r in rows] == ["2026-12-03", "2026-12-04"]
    assert rows[0]["nausea_0_3"] == "2" and rows[0]["spasticity_0_10"] == ""
    assert (rows[1]["spasticity_0_10"], rows[1]["note"]) == ("5", "amended")
    assert rows[1]["doses_planned"] == ""  # no plan given


def test_journal_tells_no_doses_recorded_from_none_taken(checkins, rules, diarist) -> None:
    rows = read(
        journal_csv(
            checkins({"date": "2026-12-03", "doses_taken": []}, {"date": "2026-12-04"}),
            rules.symptoms,
            diarist,
        )
    )
    assert [(r["doses_taken"], r["doses_planned"]) for r in rows] == [
        ("none", "08:00 14:00 20:00"),
        ("", "08:00 14:00 20:00"),
    ]


def test_journal_temperature_is_exact_and_fahrenheit_is_rounded_to_hundredths(
    checkins, rules
) -> None:
    rows = read(
        journal_csv(
            checkins(
                {"date": "2026-12-03", "temperature_c": "36.875"},
                {"date": "2026-12-04", "temperature": {"value": "101.2", "unit": "F"}},
            ),
            rules.symptoms,
        )
    )
    assert rows[0]["temperature_c"] == "36.875"
    assert rows[1]["temperature_c"] == "38.44"  # (101.2 - 32) × 5/9 = 38.444…


def test_journal_free_text_cannot_become_a_spreadsheet_formula(checkins, rules) -> None:
    rows = read(journal_csv(checkins({"date": "2026-12-03", "note": '=HYPERLINK("x")'}), rules.symptoms))
    assert rows[0]["note"] == '\'=HYPERLINK("x")'


def test_a_symptom_missing_from_the_catalogue_given_is_refused(checkins, rules) -> None:
    physical = tuple(s for s in rules.symptoms if s.domain == "physical")
    with pytest.raises(ValueError, match="anxiety"):
        journal_csv(checkins({"date": "2026-12-03", "symptoms": {"anxiety": 1}}), physical)
