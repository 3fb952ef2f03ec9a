"""Every drug file: each fact sourced and dated, each policy explained, each product valid."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from taper.core.knowledge import POLICY
from taper.core.products import Liquid, Solid
from taper.knowledge import drug_ids, load_drug, raw_drug
from taper.knowledge.sections import check_sections

DRUGS = drug_ids()


def _tables(value: Any) -> list[dict[str, Any]]:
    """Every TOML table anywhere in a drug file."""
    if isinstance(value, dict):
        return [value] + [t for inner in value.values() for t in _tables(inner)]
    if isinstance(value, list):
        return [t for inner in value for t in _tables(inner)]
    return []


def test_there_are_at_least_two_drugs() -> None:
    assert {"baclofen", "diazepam"} <= set(DRUGS)


@pytest.mark.parametrize("drug", DRUGS)
def test_every_fact_has_a_known_source_and_a_checked_date(drug: str) -> None:
    knowledge = load_drug(drug)
    for fact in knowledge.facts:
        assert fact.source == POLICY or fact.source in knowledge.sources, fact
        assert isinstance(fact.checked, date), fact


@pytest.mark.parametrize("drug", DRUGS)
def test_every_policy_says_why(drug: str) -> None:
    policies = [f for f in load_drug(drug).facts if f.is_policy]
    assert policies, "each drug sets at least its final-step policy"
    assert all(len(f.reason) > 20 for f in policies)


@pytest.mark.parametrize("drug", DRUGS)
def test_every_table_with_a_statement_became_a_fact(drug: str) -> None:
    stated = [t for t in _tables(raw_drug(drug)) if "statement" in t]
    assert len(stated) == len(load_drug(drug).facts)


@pytest.mark.parametrize("drug", DRUGS)
def test_every_source_is_titled_and_cited(drug: str) -> None:
    knowledge = load_drug(drug)
    cited = {f.source for f in knowledge.facts}
    for source in knowledge.sources.values():
        assert source.title
        assert source.id in cited, f"{drug}: source {source.id} is never cited"


@pytest.mark.parametrize("drug", DRUGS)
def test_no_number_in_a_drug_file_is_a_float(drug: str) -> None:
    for table in _tables(raw_drug(drug)):
        floats = {k: v for k, v in table.items() if isinstance(v, float)}
        assert floats == {}, "write exact numbers as strings"


@pytest.mark.parametrize("drug", DRUGS)
def test_every_product_loads_with_a_unique_id(drug: str) -> None:
    catalogue = load_drug(drug).catalogue
    assert len(catalogue) == len(raw_drug(drug)["products"])
    assert len({p.id for p in catalogue}) == len(catalogue)
    for product in catalogue:
        assert isinstance(product, Solid | Liquid)


@pytest.mark.parametrize("drug", DRUGS)
def test_typed_sections_parse(drug: str) -> None:
    check_sections(load_drug(drug))


def test_baclofen_label_maximum_is_80_mg() -> None:
    assert load_drug("baclofen").max_daily.mg == 80


def test_diazepam_label_maximum_is_40_mg() -> None:
    assert load_drug("diazepam").max_daily.mg == 40


@pytest.mark.parametrize("product_id", ["tab5", "tab10", "tab20", "sol1"])
def test_baclofen_catalogue_keeps_the_ids_other_code_uses(product_id: str) -> None:
    assert load_drug("baclofen").catalogue_product(product_id) is not None


@pytest.mark.parametrize(
    ("product_id", "strength", "divisible_into", "form"),
    [
        ("tab5", "5", 1, "tablet"),
        ("tab10", "10", 2, "tablet"),
        ("tab15", "15", 1, "tablet"),
        ("tab20", "20", 2, "tablet"),
        ("tab25", "25", 2, "tablet"),
        ("tab30", "30", 2, "tablet"),
        ("tab40", "40", 2, "tablet"),
        ("pkt5", "5", 1, "packet"),
        ("pkt10", "10", 1, "packet"),
        ("pkt20", "20", 1, "packet"),
    ],
)
def test_baclofen_solids(product_id: str, strength: str, divisible_into: int, form: str) -> None:
    product = load_drug("baclofen").catalogue_product(product_id)
    assert isinstance(product, Solid)
    assert (product.strength_mg, product.divisible_into, product.form) == (
        Fraction(strength),
        divisible_into,
        form,
    )


@pytest.mark.parametrize(("product_id", "mg_per_ml"), [("sol1", 1), ("sol2", 2), ("susp5", 5)])
def test_baclofen_liquids(product_id: str, mg_per_ml: int) -> None:
    product = load_drug("baclofen").catalogue_product(product_id)
    assert isinstance(product, Liquid)
    assert product.mg_per_ml == mg_per_ml


def test_the_final_step_limits_are_policies() -> None:
    for drug in DRUGS:
        assert load_drug(drug).final_step_max_daily.fact.is_policy
