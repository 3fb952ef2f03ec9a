"""Issue 16: a long note (even beyond the input bound, or one unbroken word) never breaks the
PDF; it is cut short in its row and given in full below the table."""

from __future__ import annotations

import dataclasses

import pytest
from pdf_reader import pdf_text

from taper.exports import pdf
from taper.exports.pdf.history import NOTE_IN_ROW

DAY = {"date": "2026-12-03", "symptoms": {"anxiety": 1}}


@pytest.mark.hazard("HZ-123")
@pytest.mark.parametrize(("unit", "times"), [("word ", 800), ("Zq", 2000), ("ok\n", 1300)],
                         ids=["4000-chars-of-words", "one-4000-char-word", "1300-lines"])
def test_a_4000_character_note_is_printed_in_full_below_the_table(
        diarist, baclofen, options, checkins, rules, unit: str, times: int) -> None:
    note = unit * times
    (day,) = checkins(DAY)
    long = dataclasses.replace(day, note=note)  # past the parser's bound on purpose
    data = pdf.render(diarist, baclofen, dataclasses.replace(
        options, checkins=(long,), symptoms=rules.symptoms))
    text = pdf_text(data)
    assert "Notes in full" in text and "(in full below)" in text
    full = text[text.index("Notes in full"):]
    # Every repetition of it, across as many lines and pages as it needs (page footers between).
    assert "".join(full.split()).count(unit.strip()) >= times
    row = text[:text.index("Notes in full")]
    assert "".join(row.split()).count(unit.strip()) * len(unit.strip()) <= NOTE_IN_ROW


@pytest.mark.hazard("HZ-123")
def test_a_short_note_stays_in_its_row(diarist, baclofen, options, checkins, rules) -> None:
    (day,) = checkins({**DAY, "note": "slept badly"})
    text = pdf_text(pdf.render(diarist, baclofen, dataclasses.replace(
        options, checkins=(day,), symptoms=rules.symptoms)))
    assert "slept badly" in text and "Notes in full" not in text
