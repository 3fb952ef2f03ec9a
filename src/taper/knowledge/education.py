"""Education content as data: the red-flag card, timeline, questions, supportive measures.

One TOML file per drug in `education/` beside this module; every item carries its source
and checked date, held to the same rules as the drug facts (see taper.knowledge).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from taper.core.knowledge import Fact, Source
from taper.knowledge import KnowledgeError, parse_fact


@dataclass(frozen=True, slots=True)
class TimelinePhase:
    phase: str  # "Early"
    when: str  # "24 to 48 hours"
    fact: Fact


@dataclass(frozen=True, slots=True)
class SupportiveMeasure:
    topic: str  # "Sleep"
    fact: Fact


@dataclass(frozen=True, slots=True)
class RedFlagCard:
    """What to do at once: the signs, the actions, and the pump warning."""

    title: str
    signs: tuple[Fact, ...]
    actions: tuple[Fact, ...]
    pump: Fact


@dataclass(frozen=True, slots=True)
class Education:
    drug_id: str
    never_stop_suddenly: tuple[Fact, ...]
    red_flag_card: RedFlagCard
    when_to_call: Fact
    timeline: tuple[TimelinePhase, ...]
    questions: tuple[Fact, ...]
    supportive: tuple[SupportiveMeasure, ...]
    sources: dict[str, Source]

    def facts(self) -> tuple[Fact, ...]:
        """Every item, for a list of sources."""
        card = self.red_flag_card
        return (
            *self.never_stop_suddenly, *card.signs, *card.actions, card.pump, self.when_to_call,
            *(p.fact for p in self.timeline), *self.questions, *(m.fact for m in self.supportive),
        )  # fmt: skip


def education_ids() -> list[str]:
    """The drugs with education content, sorted."""
    folder = resources.files("taper.knowledge") / "education"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


@cache
def load_education(drug_id: str) -> Education:
    """The drug's education content; KeyError when there is none."""
    if drug_id not in education_ids():
        raise KeyError(drug_id)
    path = resources.files("taper.knowledge") / "education" / f"{drug_id}.toml"
    return parse_education(tomllib.loads(path.read_text("utf-8")), f"education/{drug_id}.toml")


def parse_education(data: dict[str, Any], name: str) -> Education:
    """Check and build the content; KnowledgeError names the file and the field."""
    sources = {
        key: Source(key, str(v["title"]), str(v.get("url", "")), str(v.get("note", "")))
        for key, v in data.get("sources", {}).items()
    }

    def fact(table: Any, topic: str, where: str) -> Fact:
        if not isinstance(table, dict):
            raise KnowledgeError(f"{name}: {where}: required")
        return parse_fact(table, topic, f"{name}: {where}", sources)

    def facts(tables: Any, topic: str, where: str) -> tuple[Fact, ...]:
        if not isinstance(tables, list) or not tables:
            raise KnowledgeError(f"{name}: {where}: at least one item is required")
        return tuple(fact(t, topic, f"{where}[{i}]") for i, t in enumerate(tables))

    card = data.get("red_flag_card", {})
    return Education(
        drug_id=str(data.get("drug", "")),
        never_stop_suddenly=(
            fact(data.get("never_stop_suddenly"), "never stop suddenly", "never_stop_suddenly"),
            fact(
                data.get("never_stop_suddenly_why"),
                "never stop suddenly",
                "never_stop_suddenly_why",
            ),
        ),
        red_flag_card=RedFlagCard(
            title=str(card.get("title", "Get emergency help now")),
            signs=facts(card.get("signs"), "red flag", "red_flag_card.signs"),
            actions=facts(card.get("actions"), "red flag", "red_flag_card.actions"),
            pump=fact(card.get("pump"), "red flag", "red_flag_card.pump"),
        ),
        when_to_call=fact(data.get("when_to_call"), "when to call", "when_to_call"),
        timeline=tuple(
            TimelinePhase(str(t["phase"]), str(t["when"]), f)
            for t, f in zip(
                data.get("timeline", []),
                facts(data.get("timeline"), "withdrawal timeline", "timeline"),
                strict=True,
            )
        ),
        questions=facts(data.get("questions"), "questions to ask", "questions"),
        supportive=tuple(
            SupportiveMeasure(str(t["topic"]), f)
            for t, f in zip(
                data.get("supportive", []),
                facts(data.get("supportive"), "supportive measures", "supportive"),
                strict=True,
            )
        ),
        sources=sources,
    )
