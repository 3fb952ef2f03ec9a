from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.monitoring.plans import diarist_plan

from taper.core.monitoring.checkin import CheckIn, parse_checkins
from taper.core.monitoring.pacing import PacingDecision, assess
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.plan import Plan
from taper.knowledge.monitoring import load_monitoring


@pytest.fixture(scope="session")
def rules() -> MonitoringRules:
    return load_monitoring("baclofen")


@pytest.fixture(scope="session")
def plan() -> Plan:
    return diarist_plan()


def checkins(items: list[dict[str, Any]], today: date) -> tuple[CheckIn, ...]:
    return parse_checkins(items, load_monitoring("baclofen"), today)


def decide(items: list[dict[str, Any]], today: date, plan: Plan | None = None) -> PacingDecision:
    """The decision for raw check-ins on `today` against the diarist's plan."""
    rules = load_monitoring("baclofen")
    return assess(plan or diarist_plan(), parse_checkins(items, rules, today), today, rules)
