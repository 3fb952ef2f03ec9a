"""The `[pk]` section of a drug's data, read into parameters (as the data helper writes it)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from taper.knowledge import KnowledgeError
from taper.knowledge.pk import parse_pk_section


def section() -> dict[str, Any]:
    fact = {"source": "x", "checked": date(2026, 11, 23)}
    return {
        "models": [
            {"id": "chevillard-2017", "ka_per_h": "2.23", "cl_l_per_h": "8.0", "v_l": "44.5",
             "bsv_percent": {"cl": "27", "v": "86"}, "statement": "Chevillard 2017", **fact},
            {"id": "imbert-2018", "ka_per_h": "1.64", "cl_l_per_h": "11.6", "v_l": "72.8",
             "bsv_percent": {"ka": "44", "cl": "21", "v": "22"}, "default": True,
             "statement": "Imbert 2018", **fact},
        ],
        "renal_fraction": {"value": "0.7", "statement": "about 70 % in urine", **fact},
        "renal_reference_crcl": {"value": "100", "statement": "reference", **fact},
    }


def test_both_published_models_are_read_with_their_variability() -> None:
    pk = parse_pk_section(section())
    assert pk.model_ids == ("chevillard-2017", "imbert-2018")
    chevillard = pk.parameters("chevillard-2017").model
    assert (chevillard.ka_per_h, chevillard.cl_l_per_h, chevillard.v_l) == (2.23, 8.0, 44.5)
    assert chevillard.variability.ka_percent == 0.0 and chevillard.variability.v_percent == 86.0
    assert pk.parameters().model.id == "imbert-2018"


def test_renal_scaling_is_read_from_the_data() -> None:
    renal = parse_pk_section(section()).renal
    assert renal is not None
    assert (renal.renal_fraction, renal.reference_crcl_ml_min) == (0.7, 100.0)


def test_without_a_reference_crcl_there_is_no_renal_scaling() -> None:
    data = section()
    del data["renal_reference_crcl"]
    assert parse_pk_section(data).renal is None


def test_a_single_model_is_the_default_without_saying_so() -> None:
    data = section()
    data["models"] = data["models"][:1]
    assert parse_pk_section(data).default_id == "chevillard-2017"


def test_an_unknown_model_id_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        parse_pk_section(section()).parameters("kochak-1985")


BAD = {
    "no models": (lambda d: d.update(models=[]), "pk.models"),
    "two defaults": (lambda d: d["models"][0].update(default=True), "exactly one"),
    "no default of two": (lambda d: d["models"][1].pop("default"), "exactly one"),
    "float clearance": (lambda d: d["models"][0].update(cl_l_per_h=8.0), "cl_l_per_h"),
    "zero volume": (lambda d: d["models"][1].update(v_l="0"), "v_l"),
    "word for ka": (lambda d: d["models"][1].update(ka_per_h="fast"), "ka_per_h"),
    "unknown bsv key": (lambda d: d["models"][1]["bsv_percent"].update(f="9"), "bsv_percent"),
    "duplicate id": (lambda d: d["models"][1].update(id="chevillard-2017"), "different"),
    "fraction above 1": (lambda d: d["renal_fraction"].update(value="7"), "renal_fraction"),
    "missing id": (lambda d: d["models"][0].pop("id"), "models[0].id"),
}


@pytest.mark.parametrize(("spoil", "field"), BAD.values(), ids=BAD.keys())
def test_a_malformed_section_names_the_field(spoil: Any, field: str) -> None:
    data = section()
    spoil(data)
    with pytest.raises(KnowledgeError, match=field.replace("[", r"\[").replace("]", r"\]")):
        parse_pk_section(data)
