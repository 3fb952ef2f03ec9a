"""`taper drugs` lists the drugs the knowledge base covers; `taper drug NAME` shows one
drug's facts by topic, each with its source and the date it was checked."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from taper.cli.errors import UsageError
from taper.core.amounts import decimal_str
from taper.core.knowledge import DrugKnowledge, Fact
from taper.knowledge import drug_ids, load_drug

# Section keys in the data files are identifiers; people read topics.
_TOPIC_NAMES = {"pk": "pharmacokinetics"}


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "drug":
        parser.add_argument("name", help="drug id, e.g. baclofen")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    if args.command == "drugs":
        rows = [_summary(load_drug(drug_id)) for drug_id in drug_ids()]
        _emit({"drugs": rows} if args.format == "json" else None, _drugs_table(rows))
        return 0
    knowledge = _knowledge(args.name)
    document = drug_document(knowledge)
    _emit(document if args.format == "json" else None, _drug_table(document))
    return 0


def drug_document(knowledge: DrugKnowledge) -> dict[str, Any]:
    """Every fact grouped by topic (in file order) with its source title, and the sources."""
    topics: dict[str, list[dict[str, Any]]] = {}
    for fact in knowledge.facts:
        topics.setdefault(_topic(fact.topic), []).append(_fact(fact, knowledge))
    return {
        **_summary(knowledge),
        "final_step_max_daily_mg": decimal_str(knowledge.final_step_max_daily.mg),
        "topics": [{"topic": name, "facts": facts} for name, facts in topics.items()],
        "sources": [
            {"id": s.id, "title": s.title, "url": s.url, "note": s.note}
            for s in knowledge.sources.values()
        ],
    }


def _knowledge(name: str) -> DrugKnowledge:
    known = drug_ids()
    drug_id = name.strip().lower()
    if drug_id not in known:
        raise UsageError(f"drug: unknown drug {name!r}; known: {', '.join(known)}")
    return load_drug(drug_id)


def _summary(knowledge: DrugKnowledge) -> dict[str, Any]:
    return {
        "id": knowledge.id,
        "name": knowledge.name,
        "max_daily_mg": decimal_str(knowledge.max_daily.mg),
        "facts": len(knowledge.facts),
    }


def _fact(fact: Fact, knowledge: DrugKnowledge) -> dict[str, Any]:
    source = knowledge.sources.get(fact.source)
    return {
        "statement": fact.statement,
        "source": fact.source,
        "source_title": None if source is None else source.title,
        "checked": fact.checked.isoformat(),
        "policy": fact.is_policy,
        "reason": fact.reason if fact.is_policy else None,
    }


def _topic(key: str) -> str:
    return _TOPIC_NAMES.get(key, key.replace("_", " "))


def _drugs_table(rows: list[dict[str, Any]]) -> str:
    header = ("id", "name", "label maximum", "facts")
    cells = [header] + [
        (r["id"], r["name"], f"{r['max_daily_mg']} mg/day", str(r["facts"])) for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


def _drug_table(doc: dict[str, Any]) -> str:
    lines = [
        f"{doc['name']} ({doc['id']})",
        f"Label maximum {doc['max_daily_mg']} mg/day; a plan may stop from "
        f"{doc['final_step_max_daily_mg']} mg/day or less.",
    ]
    for topic in doc["topics"]:
        lines += ["", topic["topic"]]
        for fact in topic["facts"]:
            lines.append(f"  - {fact['statement']}")
            basis = (
                f"policy: {fact['reason']}" if fact["policy"] else f"source: {fact['source_title']}"
            )
            lines.append(f"    {basis} (checked {fact['checked']})")
    lines += ["", "sources"]
    for source in doc["sources"]:
        lines.append(f"  {source['id']}: {source['title']}")
        if source["url"]:
            lines.append(f"    {source['url']}")
    return "\n".join(lines)


def _emit(document: dict[str, Any] | None, table: str) -> None:
    text = table if document is None else json.dumps(document, indent=2, ensure_ascii=False)
    sys.stdout.write(text + "\n")
