"""A malformed drug file fails with a KnowledgeError naming the file and the field."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from taper.knowledge import KnowledgeError, _parse, raw_drug

Edit = Callable[[dict[str, Any]], None]


def _drop_checked(d: dict[str, Any]) -> None:
    del d["facts"][0]["checked"]


def _unknown_source(d: dict[str, Any]) -> None:
    d["renal"][1]["source"] = "hearsay"


def _policy_without_reason(d: dict[str, Any]) -> None:
    del d["final_step_max_daily"]["reason"]


def _float_strength(d: dict[str, Any]) -> None:
    d["products"][2]["strength_mg"] = 15.0


def _unknown_form(d: dict[str, Any]) -> None:
    d["products"][0]["form"] = "patch"


def _checked_as_text(d: dict[str, Any]) -> None:
    d["higher_ceilings"][0]["checked"] = "yesterday"


def _no_maximum(d: dict[str, Any]) -> None:
    del d["max_daily"]


def _no_strength(d: dict[str, Any]) -> None:
    del d["products"][0]["strength_mg"]


def _thirds(d: dict[str, Any]) -> None:
    d["products"][1]["divisible_into"] = 3


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop_checked, "bad.toml: facts[0].checked: required"),
        (_unknown_source, "bad.toml: renal[1].source: unknown source 'hearsay'"),
        (_policy_without_reason, "bad.toml: final_step_max_daily.reason: a policy must say why"),
        (_float_strength, "bad.toml: products[2].strength_mg: must be an exact number"),
        (_unknown_form, "bad.toml: products[0].form: must be tablet, capsule, packet or liquid"),
        (_checked_as_text, "bad.toml: higher_ceilings[0].checked: must be a TOML date"),
        (_no_maximum, "bad.toml: max_daily: required"),
        (_no_strength, "bad.toml: products[0].strength_mg: required"),
        (_thirds, "bad.toml: products[1]: divisible_into must be 1, 2 or 4"),
    ],
)
def test_malformed_data_names_file_and_field(edit: Edit, message: str) -> None:
    data = copy.deepcopy(raw_drug("baclofen"))
    edit(data)
    with pytest.raises(KnowledgeError) as caught:
        _parse(data, "bad.toml")
    assert str(caught.value).startswith(message)


def test_a_file_written_to_disk_is_checked_the_same_way(tmp_path: Path) -> None:
    text = (
        'schema = 1\nid = "x"\nname = "X"\n'
        '[max_daily]\nmg = "10"\nstatement = "s"\nsource = "policy"\nchecked = 2026-11-23\n'
    )
    path = tmp_path / "x.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(KnowledgeError, match=r"^x\.toml: max_daily\.reason: a policy must say why"):
        _parse(tomllib.loads(path.read_text("utf-8")), path.name)
