"""The check-in questions' data file: every red-flag question names real symptoms and a
source, every source has plain words, and a broken file is refused naming the field."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest

from taper.knowledge import KnowledgeError
from taper.knowledge.checkin import load_checkin_questions, parse_checkin_questions
from taper.knowledge.monitoring import load_monitoring

RULES = load_monitoring("baclofen")
DATA: dict[str, Any] = tomllib.loads(
    (resources.files("taper.knowledge") / "checkin" / "baclofen.toml").read_text("utf-8"))


def test_the_baclofen_questions_load_with_a_source_for_each() -> None:
    questions = load_checkin_questions("baclofen")
    assert questions.red_flags and all(q.fact.source for q in questions.red_flags)
    assert set(RULES.sources) | {"policy"} <= set(questions.source_words)


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["red_flags"][0]["means"].update(not_a_symptom=1), "means.not_a_symptom"),
    (lambda d: d["red_flags"][0]["means"].update(seizure=4), "means.seizure"),
    (lambda d: d["red_flags"][0].update(question=" "), "question"),
    (lambda d: d["red_flags"][0].update(source="nowhere"), "source"),
    (lambda d: d["source_words"].pop("seed-002"), "source_words.seed-002"),
    (lambda d: d["scale_words"].update(sleep_quality=["only one end"]), "scale_words.sleep_quality"),
], ids=["unknown-symptom", "severity-4", "empty-question", "unknown-source", "source-no-words",
        "one-scale-end"])
def test_a_broken_file_is_refused_naming_the_field(change: Any, field: str) -> None:
    data = copy.deepcopy(DATA)
    change(data)
    with pytest.raises(KnowledgeError, match=field.replace(".", r"\.")):
        parse_checkin_questions(data, RULES, "checkin/baclofen.toml")
