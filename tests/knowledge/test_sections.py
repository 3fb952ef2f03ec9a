"""Typed views of the pk, higher-ceiling and taper-guidance sections."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from taper.knowledge import KnowledgeError, _parse, load_drug, raw_drug
from taper.knowledge.sections import (
    bioavailability,
    default_pk_model,
    higher_ceilings,
    pk_models,
    renal_fraction,
    taper_guidance,
)

BACLOFEN = load_drug("baclofen")


def test_the_default_model_is_chevillard_2017() -> None:
    model = default_pk_model(BACLOFEN)
    assert model is not None
    assert (model.id, model.ka_per_h, model.cl_l_per_h, model.v_l) == (
        "chevillard-2017",
        Fraction("2.23"),
        Fraction(8),
        Fraction("44.5"),
    )
    assert model.bsv_percent == {"cl": Fraction("27.4"), "v": Fraction(86)}


def test_exactly_one_model_is_the_default() -> None:
    assert [m.id for m in pk_models(BACLOFEN) if m.default] == ["chevillard-2017"]


def test_kochak_is_two_compartment_with_no_absorption_constant() -> None:
    kochak = next(m for m in pk_models(BACLOFEN) if m.id == "kochak-1985")
    assert (kochak.compartments, kochak.ka_per_h, kochak.cl_l_per_h) == (2, None, Fraction("10.8"))


def test_renal_fraction_and_bioavailability() -> None:
    fraction, available = renal_fraction(BACLOFEN), bioavailability(BACLOFEN)
    assert fraction is not None and fraction.value == Fraction(7, 10)
    assert available is not None and available.value == Fraction(74, 100)


def test_a_drug_without_pk_has_no_models() -> None:
    diazepam = load_drug("diazepam")
    assert (pk_models(diazepam), default_pk_model(diazepam), renal_fraction(diazepam)) == (
        (),
        None,
        None,
    )


def test_higher_ceilings_lie_at_or_above_the_label_maximum() -> None:
    ceilings = higher_ceilings(BACLOFEN)
    assert {c.mg for c in ceilings} == {Fraction(80), Fraction(120), Fraction(300)}
    assert all(c.mg >= BACLOFEN.max_daily.mg for c in ceilings)


@pytest.mark.parametrize(
    ("guidance_id", "field", "low", "high"),
    [
        ("france-smpc", "step_mg", "10", "15"),
        ("france-smpc", "over_days", "7", "14"),
        ("singapore-smpc", "over_days", "7", "14"),
        ("seed-000-percent", "percent", "5", "10"),
        ("seed-001-percent", "percent", "10", "20"),
        ("seed-001-percent", "interval_days", "14", "28"),
        ("seed-001-high-dose", "step_mg", "5", "10"),
        ("diarist", "step_mg", "5", "5"),
        ("diarist", "interval_days", "2", "7"),
    ],
)
def test_taper_guidance_numbers(guidance_id: str, field: str, low: str, high: str) -> None:
    guidance = {g.id: g for g in taper_guidance(BACLOFEN)}[guidance_id]
    span = getattr(guidance, field)
    assert (span.low, span.high) == (Fraction(low), Fraction(high))


def test_qualitative_guidance_carries_no_numbers() -> None:
    us = {g.id: g for g in taper_guidance(BACLOFEN)}["us-label"]
    assert (us.percent, us.step_mg, us.interval_days, us.over_days) == (None, None, None, None)


def _broken(change: str) -> Exception:
    data = copy.deepcopy(raw_drug("baclofen"))
    if change == "model without clearance":
        del data["pk"]["models"][0]["cl_l_per_h"]
    elif change == "inverted range":
        data["taper_guidance"][3]["step_mg"] = {"low": "15", "high": "10"}
    elif change == "unknown kind":
        data["taper_guidance"][0]["kind"] = "vibes"
    knowledge = _parse(data, "baclofen.toml")
    with pytest.raises(KnowledgeError) as caught:
        pk_models(knowledge)
        taper_guidance(knowledge)
    return caught.value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("model without clearance", "baclofen.toml: pk.models[0].cl_l_per_h: required"),
        ("inverted range", "baclofen.toml: taper_guidance[3].step_mg: low must not exceed high"),
        ("unknown kind", "baclofen.toml: taper_guidance[0].kind: must be one of"),
    ],
)
def test_a_malformed_section_names_file_and_field(change: str, message: str) -> None:
    assert str(_broken(change)).startswith(message)
