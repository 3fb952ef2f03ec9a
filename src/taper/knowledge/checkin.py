"""Load a drug's check-in questions (knowledge/checkin/<drug>.toml) against its monitoring rules."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from taper.core.monitoring.questions import CheckInQuestions, RedFlagQuestion
from taper.core.monitoring.rulebook import MonitoringRules
from taper.knowledge import KnowledgeError, parse_fact
from taper.knowledge.languages import LANGUAGES, localized
from taper.knowledge.monitoring import load_monitoring

FOLDER = "checkin"
SCALES = ("spasticity", "sleep_quality")


@cache
def load_checkin_questions(drug_id: str, lang: str = "en") -> CheckInQuestions:
    """The drug's check-in questions in `lang`; KeyError when it has none (or no such language)."""
    path = resources.files("taper.knowledge") / FOLDER / f"{drug_id}.toml"
    if not path.is_file() or lang not in LANGUAGES:
        raise KeyError(drug_id if lang in LANGUAGES else lang)
    data = localized(tomllib.loads(path.read_text("utf-8")), lang)
    return parse_checkin_questions(data, load_monitoring(drug_id, lang),
                                   f"{FOLDER}/{drug_id}.toml")


def parse_checkin_questions(data: dict[str, Any], rules: MonitoringRules,
                            name: str) -> CheckInQuestions:
    flags = []
    for i, table in enumerate(data.get("red_flags", [])):
        where = f"{name}: red_flags[{i}]"
        means = table.get("means")
        if not isinstance(means, dict) or not means:
            raise KnowledgeError(f"{where}.means: a table of symptom = severity is required")
        for symptom, severity in means.items():
            if rules.symptom(symptom) is None:
                raise KnowledgeError(f"{where}.means.{symptom}: not a symptom of the catalogue")
            if type(severity) is not int or not 1 <= severity < len(rules.severity_labels):
                raise KnowledgeError(f"{where}.means.{symptom}: a severity 1-3")
        if not str(table.get("question", "")).strip():
            raise KnowledgeError(f"{where}.question: required")
        flags.append(RedFlagQuestion(str(table["id"]), str(table["question"]), dict(means),
                                     parse_fact(table, "red flag question", where,
                                                dict(rules.sources))))
    words = data.get("scale_words", {})
    for scale in SCALES:
        pair = words.get(scale)
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(w, str) for w in pair)):
            raise KnowledgeError(f"{name}: scale_words.{scale}: [good end, bad end] required")
    plain = data.get("source_words", {})
    for source in [*rules.sources, "policy"]:
        if not str(plain.get(source, "")).strip():
            raise KnowledgeError(f"{name}: source_words.{source}: the source in plain words")
    if not flags:
        raise KnowledgeError(f"{name}: red_flags: at least one question is required")
    return CheckInQuestions(rules.drug_id, tuple(flags),
                            {s: (words[s][0], words[s][1]) for s in SCALES},
                            {k: str(v) for k, v in plain.items()})
