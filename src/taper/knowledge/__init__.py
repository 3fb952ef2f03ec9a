"""Load drug knowledge from the data files beside this module (one TOML file per drug).

Every fact table carries `statement`, `source` (an id from [sources] or "policy"),
`checked` (the date it was last verified) and, for a policy, `reason`. See
docs/knowledge.md for the schema.
"""

from __future__ import annotations

import os
from datetime import date
from fractions import Fraction
from functools import cache
from typing import Any

from taper.core.amounts import exact
from taper.core.knowledge import (
    POLICY,
    DrugKnowledge,
    Fact,
    RenalBand,
    Source,
    SourcedAmount,
    Titration,
)
from taper.core.products import Liquid, Product, Solid
from taper.knowledge import parsed

_KNOWN_SECTIONS = {
    "schema", "id", "name", "sources", "max_daily", "final_step_max_daily", "titration",
    "renal", "products", "facts",
}


class KnowledgeError(ValueError):
    """A data file is malformed; the message names the file and the field."""


# The data files beside this module. A plain path, not importlib.resources: that import
# alone was a fifth of `taper plan`'s start-up (issue 17); the package is always installed as
# files (an editable install or a wheel), never zipped.
_DRUGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "drugs")


def drug_ids() -> list[str]:
    """The drugs with a data file, sorted."""
    return sorted(name.removesuffix(".toml") for name in os.listdir(_DRUGS)
                  if name.endswith(".toml"))


def raw_drug(drug_id: str) -> dict[str, Any]:
    """The parsed data file, as written."""
    if drug_id not in drug_ids():
        raise KeyError(drug_id)
    with open(os.path.join(_DRUGS, f"{drug_id}.toml"), "rb") as file:
        source = file.read()
    cached = parsed.read(drug_id, source)  # the same bytes' parse, kept by an earlier run
    if cached is not None:
        return cached
    import tomllib  # only when the file changed or nothing is cached (issue 17)

    # as a text-mode read gives it: universal newlines
    data = tomllib.loads(source.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    parsed.write(drug_id, source, data)
    return data


@cache
def load_drug(drug_id: str) -> DrugKnowledge:
    """The drug's knowledge; KeyError when there is no data file for it."""
    data = raw_drug(drug_id)
    return _parse(data, f"{drug_id}.toml")


def parse_fact(table: dict[str, Any], topic: str, where: str, sources: dict[str, Source]) -> Fact:
    for key in ("statement", "source", "checked"):
        if key not in table:
            raise KnowledgeError(f"{where}.{key}: required")
    source = table["source"]
    if source != POLICY and source not in sources:
        raise KnowledgeError(f"{where}.source: unknown source {source!r}")
    if source == POLICY and not table.get("reason"):
        raise KnowledgeError(f"{where}.reason: a policy must say why")
    checked = table["checked"]
    if not isinstance(checked, date):
        raise KnowledgeError(f"{where}.checked: must be a TOML date (2026-11-23)")
    return Fact(topic, str(table["statement"]), source, checked, str(table.get("reason", "")))


def _amount(value: Any, where: str) -> Fraction:
    try:
        return exact(value)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise KnowledgeError(f"{where}: must be an exact number as a string or integer") from exc


def _product(table: dict[str, Any], where: str) -> Product:
    try:
        return _product_fields(table, where)
    except KeyError as exc:
        raise KnowledgeError(f"{where}.{exc.args[0]}: required") from None
    except ValueError as exc:  # the product types' own checks: "divisible_into must be 1, 2 or 4"
        if isinstance(exc, KnowledgeError):
            raise
        raise KnowledgeError(f"{where}: {exc}") from None


def _product_fields(table: dict[str, Any], where: str) -> Product:
    form = table.get("form")
    if form == "liquid":
        max_ml = table.get("max_volume_ml")
        return Liquid(
            id=table["id"],
            mg_per_ml=_amount(table["mg_per_ml"], f"{where}.mg_per_ml"),
            measure_step_ml=_amount(table["measure_step_ml"], f"{where}.measure_step_ml"),
            min_volume_ml=_amount(table["min_volume_ml"], f"{where}.min_volume_ml"),
            max_volume_ml=None if max_ml is None else _amount(max_ml, f"{where}.max_volume_ml"),
            label=table.get("label", ""),
        )
    if form in ("tablet", "capsule", "packet"):
        return Solid(
            id=table["id"],
            strength_mg=_amount(table["strength_mg"], f"{where}.strength_mg"),
            divisible_into=int(table.get("divisible_into", 1)),
            form=form,
            label=table.get("label", ""),
        )
    raise KnowledgeError(f"{where}.form: must be tablet, capsule, packet or liquid")


def _parse(data: dict[str, Any], name: str) -> DrugKnowledge:
    def required(key: str) -> Any:
        if key not in data:
            raise KnowledgeError(f"{name}: {key}: required")
        return data[key]

    sources = {
        key: Source(key, str(v["title"]), str(v.get("url", "")), str(v.get("note", "")))
        for key, v in data.get("sources", {}).items()
    }
    facts: list[Fact] = []

    def fact(table: dict[str, Any], topic: str, where: str) -> Fact:
        f = parse_fact(table, topic, f"{name}: {where}", sources)
        facts.append(f)
        return f

    max_daily = SourcedAmount(
        _amount(required("max_daily")["mg"], f"{name}: max_daily.mg"),
        fact(required("max_daily"), "maximum daily dose", "max_daily"),
    )
    final = required("final_step_max_daily")
    final_step = SourcedAmount(
        _amount(final["mg"], f"{name}: final_step_max_daily.mg"),
        fact(final, "largest daily dose to stop from", "final_step_max_daily"),
    )
    titration = None
    if "titration" in data:
        t = data["titration"]
        titration = Titration(
            _amount(t["initial_per_dose_mg"], f"{name}: titration.initial_per_dose_mg"),
            _amount(t["increment_per_dose_mg"], f"{name}: titration.increment_per_dose_mg"),
            int(t["step_days"]),
            fact(t, "titration", "titration"),
        )
    renal = tuple(
        RenalBand(
            None if "min_ml_min" not in b else _amount(b["min_ml_min"], f"{name}: renal[{i}]"),
            None if "max_ml_min" not in b else _amount(b["max_ml_min"], f"{name}: renal[{i}]"),
            str(b["advice"]),
            fact(b, "kidney function", f"renal[{i}]"),
        )
        for i, b in enumerate(data.get("renal", []))
    )
    catalogue = []
    for i, p in enumerate(data.get("products", [])):
        catalogue.append(_product(p, f"{name}: products[{i}]"))
        fact(p, "product", f"products[{i}]")
    for i, f in enumerate(data.get("facts", [])):
        fact(f, str(f.get("topic", "general")), f"facts[{i}]")
    sections = {k: v for k, v in data.items() if k not in _KNOWN_SECTIONS}
    for key, section in sections.items():
        _collect_section_facts(section, key, name, fact)
    return DrugKnowledge(
        id=str(required("id")),
        name=str(required("name")),
        max_daily=max_daily,
        final_step_max_daily=final_step,
        titration=titration,
        renal=renal,
        catalogue=tuple(catalogue),
        sources=sources,
        facts=tuple(facts),
        sections=sections,
    )


def _collect_section_facts(value: Any, where: str, name: str, fact: Any) -> None:
    """Any table with a `statement` in another section is a fact too, held to the same rules."""
    if isinstance(value, dict):
        if "statement" in value:
            fact(value, where.split(".")[0].split("[")[0], where)
        for key, inner in value.items():
            _collect_section_facts(inner, f"{where}.{key}", name, fact)
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            _collect_section_facts(inner, f"{where}[{i}]", name, fact)
