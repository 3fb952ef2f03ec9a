"""`taper drugs` and `taper drug NAME` through the CLI entry point."""

from __future__ import annotations

import json
from typing import Any

import pytest

from taper.cli import main


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_drugs_lists_each_drug_with_its_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "drugs", "--format", "json")["drugs"]
    assert [(r["id"], r["max_daily_mg"]) for r in rows] == [("baclofen", "80"), ("diazepam", "40")]
    assert all(r["facts"] > 5 for r in rows)


def test_drugs_table_has_a_header_and_a_row_per_drug(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drugs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "name", "label", "maximum", "facts"]
    assert lines[1].startswith("baclofen  Baclofen  80 mg/day")


def test_drug_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    doc = _json(capsys, "drug", "baclofen", "--format", "json")
    assert set(doc) == {
        "id",
        "name",
        "max_daily_mg",
        "final_step_max_daily_mg",
        "facts",
        "topics",
        "sources",
    }
    assert (doc["max_daily_mg"], doc["final_step_max_daily_mg"]) == ("80", "5")
    facts = [f for topic in doc["topics"] for f in topic["facts"]]
    assert len(facts) == doc["facts"]
    assert set(facts[0]) == {"statement", "source", "source_title", "checked", "policy", "reason"}
    titles = {s["id"]: s["title"] for s in doc["sources"]}
    for fact in facts:
        assert fact["source_title"] == (None if fact["policy"] else titles[fact["source"]])
        assert (fact["reason"] is not None) == fact["policy"]


def test_drug_json_groups_topics_once(capsys: pytest.CaptureFixture[str]) -> None:
    topics = [t["topic"] for t in _json(capsys, "drug", "baclofen", "--format", "json")["topics"]]
    assert len(topics) == len(set(topics))
    assert {"taper guidance", "pharmacokinetics", "higher ceilings", "withdrawal risk"} <= set(
        topics
    )


def test_drug_table_marks_policies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drug", "diazepam"]) == 0
    out = capsys.readouterr().out
    assert "policy: No source in the knowledge base gives a dose" in out
    assert "source: VALIUM (diazepam) tablets" in out


def test_drug_name_is_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    assert _json(capsys, "drug", "Baclofen", "--format", "json")["id"] == "baclofen"


def test_unknown_drug_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drug", "x"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "taper drug: drug: unknown drug 'x'; known: baclofen, diazepam"
    ]
