from __future__ import annotations

import pytest

from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.plan import Plan
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import diarist_plan


@pytest.fixture(scope="session")
def rules() -> MonitoringRules:
    return load_monitoring("baclofen")


@pytest.fixture(scope="session")
def plan() -> Plan:
    return diarist_plan()
