"""Fixtures for the export tests: the diarist's plan and variants (see export_plans)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from export_plans import SOL1, TAB10_WHOLE, diarist_plan

from taper.core.knowledge import DrugKnowledge
from taper.core.monitoring.checkin import CheckIn, parse_checkins
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.plan import Plan
from taper.exports.options import ExportOptions
from taper.knowledge import load_drug
from taper.knowledge.monitoring import load_monitoring

TODAY = date(2026, 12, 20)  # the tests' check-ins are of the diarist's first steps


@pytest.fixture
def diarist() -> Plan:
    return diarist_plan()


@pytest.fixture
def across_dst() -> Plan:
    """Starts 2027-03-10 in New York; clocks go forward on Sunday 2027-03-14."""
    return diarist_plan(start=date(2027, 3, 10), step_days=2, steps=4)


@pytest.fixture
def mixed() -> Plan:
    """Unscored 10 mg tablets and a 1 mg/mL liquid for the 5 mg parts."""
    return diarist_plan(products=(TAB10_WHOLE, SOL1), step_days=3)


@pytest.fixture
def baclofen() -> DrugKnowledge:
    return load_drug("baclofen")


@pytest.fixture
def options() -> ExportOptions:
    return ExportOptions(generated_on=date(2026, 11, 23))


@pytest.fixture
def rules() -> MonitoringRules:
    return load_monitoring("baclofen")


@pytest.fixture
def checkins(rules) -> Callable[..., tuple[CheckIn, ...]]:
    """Check-ins from plain dicts, parsed and validated as `taper assess` does."""

    def parse(*items: dict[str, Any]) -> tuple[CheckIn, ...]:
        return parse_checkins(list(items), rules, TODAY)

    return parse
