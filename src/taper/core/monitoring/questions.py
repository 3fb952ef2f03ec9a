"""The check-in as a patient answers it: red flags asked first as yes/no in plain words.

A yes is recorded as the symptom severities in `means`, so the engine's own red-flag rules
decide; the question never decides by itself (one set of rules, one truth).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from taper.core.knowledge import Fact


@dataclass(frozen=True, slots=True)
class RedFlagQuestion:
    id: str
    question: str  # the patient's words, answered yes or no
    means: Mapping[str, int]  # symptom id -> severity recorded on a yes
    fact: Fact


@dataclass(frozen=True, slots=True)
class CheckInQuestions:
    drug_id: str
    red_flags: tuple[RedFlagQuestion, ...]
    scale_words: Mapping[str, tuple[str, str]]  # scale -> (good end, bad end)
    source_words: Mapping[str, str]  # source id (or "policy") -> where it comes from, in words

    def red_flag(self, flag_id: str) -> RedFlagQuestion | None:
        return next((q for q in self.red_flags if q.id == flag_id), None)
