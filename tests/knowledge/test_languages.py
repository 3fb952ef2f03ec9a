"""Clinical texts a patient reads, in each language, beside the English with the same source
(knowledge/languages.py): none missing, the same placeholders, the same facts."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from typing import Any

import pytest

from taper.knowledge.checkin import load_checkin_questions
from taper.knowledge.languages import TRANSLATED, localized, untranslated
from taper.knowledge.monitoring import load_monitoring, monitored_drugs

FILES = [f"{folder}/{drug}.toml" for folder in ("monitoring_rules", "checkin")
         for drug in monitored_drugs()]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def parsed(name: str) -> dict[str, Any]:
    return tomllib.loads((resources.files("taper.knowledge") / name).read_text("utf-8"))


def pairs(data: Any, lang: str) -> list[tuple[str, str]]:
    """Every (English, translation) pair of texts in a parsed file."""
    found: list[tuple[str, str]] = []
    if isinstance(data, list):
        for item in data:
            found += pairs(item, lang)
    elif isinstance(data, dict):
        for key, value in data.items():
            other = data.get(f"{key}_{lang}")
            if isinstance(value, str) and isinstance(other, str):
                found.append((value, other))
            elif isinstance(value, list) and isinstance(other, list):
                found += [(a, b) for a, b in zip(value, other, strict=True)
                          if isinstance(a, str) and isinstance(b, str)]
            if not key.endswith(f"_{lang}"):
                found += pairs(value, lang)
    return found


@pytest.mark.hazard("HZ-013")
@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("name", FILES)
def test_every_patient_facing_clinical_text_has_a_translation(name: str, lang: str) -> None:
    assert untranslated(parsed(name), lang) == []


@pytest.mark.hazard("HZ-013")
def test_a_missing_translation_is_found() -> None:
    data = {"symptoms": [{"id": "x", "wording": "Headache", "statement": "A symptom.",
                          "wording_es": "Dolor de cabeza"}],
            "messages": {"hold": "Stay on {daily_mg} mg.", "hold_es": ""},
            "sources": {"spec": {"title": "English only: for the clinician"}}}
    assert untranslated(data, "es") == ["symptoms[0].statement", "messages.hold"]


@pytest.mark.hazard("HZ-014")
@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("name", FILES)
def test_a_translation_keeps_every_placeholder_and_number(name: str, lang: str) -> None:
    for english, other in pairs(parsed(name), lang):
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(other)), english
        digits = sorted(re.findall(r"\d+", english.replace("{", "").replace("}", "")))
        assert digits == sorted(re.findall(r"\d+", other)), english


@pytest.mark.hazard("HZ-014")
@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("drug", monitored_drugs())
def test_a_language_changes_the_words_never_the_rules_or_their_sources(drug: str,
                                                                       lang: str) -> None:
    english, other = load_monitoring(drug), load_monitoring(drug, lang)
    assert [(r.id, r.action, r.when, r.fact.source, r.fact.checked)
            for r in english.threshold_rules] == [
        (r.id, r.action, r.when, r.fact.source, r.fact.checked) for r in other.threshold_rules]
    assert [(s.id, s.red_flag_from, s.fact.source) for s in english.symptoms] == [
        (s.id, s.red_flag_from, s.fact.source) for s in other.symptoms]
    assert english.ranges == other.ranges and english.sources == other.sources
    assert {k: (p.action, p.params) for k, p in english.pacing.items()} == {
        k: (p.action, p.params) for k, p in other.pacing.items()}
    assert [s.wording for s in english.symptoms] != [s.wording for s in other.symptoms]
    questions, translated = load_checkin_questions(drug), load_checkin_questions(drug, lang)
    assert [(q.id, q.means, q.fact.source) for q in questions.red_flags] == [
        (q.id, q.means, q.fact.source) for q in translated.red_flags]


def test_english_loads_without_the_translations_and_an_unknown_language_is_refused() -> None:
    assert "wording_es" not in str(localized(parsed(FILES[0]), "en"))
    with pytest.raises(KeyError):
        load_monitoring(monitored_drugs()[0], "fr")
