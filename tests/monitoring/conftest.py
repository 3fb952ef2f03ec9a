from __future__ import annotations

import pytest
from tests.monitoring.plans import diarist_plan

from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.plan import Plan
from taper.knowledge.monitoring import load_monitoring


@pytest.fixture(scope="session")
def rules() -> MonitoringRules:
    return load_monitoring("baclofen")


@pytest.fixture(scope="session")
def plan() -> Plan:
    return diarist_plan()
