"""The symptom catalogue's own checks and the red-flag threshold at its edge (symptoms.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from taper.core.knowledge import Fact
from taper.core.monitoring.symptoms import DOMAINS, Symptom

FACT = Fact("symptoms", "A statement.", "spec", date(2026, 11, 23))


def symptom(**changes: Any) -> Symptom:
    fields: dict[str, Any] = {"id": "tremor", "domain": "physical", "wording": "Shaking",
                              "red_flag_from": None, "fact": FACT}
    return Symptom(**{**fields, **changes})


@pytest.mark.hazard("HZ-020")
@pytest.mark.parametrize("red_flag_from", [1, 2, 3])
def test_a_red_flag_fires_from_its_severity_and_not_one_below(red_flag_from: int) -> None:
    s = symptom(red_flag_from=red_flag_from)
    assert [s.is_red_flag(level) for level in range(4)] == [
        level >= red_flag_from for level in range(4)]
    assert s.is_red_flag(red_flag_from) and not s.is_red_flag(red_flag_from - 1)


def test_a_symptom_without_a_red_flag_never_is_one() -> None:
    assert not any(symptom().is_red_flag(level) for level in range(4))


@pytest.mark.parametrize("value", [0, 4])
def test_a_red_flag_severity_outside_1_to_3_is_refused(value: int) -> None:
    with pytest.raises(ValueError, match=r"^tremor\.red_flag_from: must be 1, 2 or 3$"):
        symptom(red_flag_from=value)


def test_every_domain_is_accepted_and_another_is_refused_naming_them() -> None:
    assert [symptom(domain=d).domain for d in DOMAINS] == list(DOMAINS)
    with pytest.raises(ValueError, match=(r"^tremor\.domain: must be one of physical, "
                                          r"psychological, cognitive, sleep$")):
        symptom(domain="mood")
