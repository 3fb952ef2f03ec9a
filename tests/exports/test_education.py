"""Education content: complete, sourced, and in short plain sentences."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from taper.knowledge import KnowledgeError
from taper.knowledge.education import load_education, parse_education


def raw() -> dict:
    path = resources.files("taper.knowledge") / "education" / "baclofen.toml"
    return tomllib.loads(path.read_text("utf-8"))


def test_baclofen_content_has_every_part_the_issue_names() -> None:
    e = load_education("baclofen")
    assert "Never stop baclofen suddenly" in e.never_stop_suddenly[0].statement
    assert len(e.red_flag_card.signs) >= 8 and e.red_flag_card.actions
    assert [p.phase for p in e.timeline] == ["Start", "Early", "Peak", "Long tail"]
    assert len(e.questions) >= 5
    topics = {m.topic for m in e.supportive}
    assert topics == {"Sleep", "Stress", "Water and food", "Physical therapy", "Heat and cold"}


def test_every_item_names_a_listed_source_and_a_seed_or_the_spec() -> None:
    e = load_education("baclofen")
    assert {f.source for f in e.facts()} <= set(e.sources)
    assert all(s.note.startswith(("shared/seeds/", "shared/SPEC.md")) for s in e.sources.values())


def test_sentences_are_short() -> None:
    for fact in load_education("baclofen").facts():
        for sentence in re.split(r"(?<=[.?!])\s+", fact.statement):
            assert len(sentence.split()) <= 20, sentence


def test_red_flag_signs_cover_the_spec_list() -> None:
    text = " ".join(f.statement for f in load_education("baclofen").red_flag_card.signs)
    for words in ("not there", "seizure", "confused", "high fever", "stiff", "dark", "racing"):
        assert words in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["questions"][0].pop("source"), "questions[0].source"),
        (lambda d: d["questions"][0].update(source="nowhere"), "questions[0].source"),
        (lambda d: d["red_flag_card"].pop("signs"), "red_flag_card.signs"),
        (lambda d: d["when_to_call"].update(source="policy"), "when_to_call.reason"),
    ],
    ids=["no source", "unknown source", "no red-flag signs", "policy without a reason"],
)
def test_malformed_content_is_refused_naming_the_field(change, field) -> None:
    data = raw()
    change(data)
    with pytest.raises(KnowledgeError, match=re.escape(field)):
        parse_education(data, "baclofen.toml")


def test_a_drug_without_content_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        load_education("no-such-drug")
