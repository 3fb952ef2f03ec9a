"""The hot per-patient queries start from the patient, whatever the size of the clinic.

SQLite plans without statistics (nothing runs ANALYZE for it), so an index led by a column
shared by thousands of rows can look as good as the patient's own: the Today page and every
check-in then read every version in force in the clinic (18.9 against 10.5 ms at 2,000
patients in `bench/web_bench.py`). PostgreSQL plans from the statistics autovacuum keeps,
and on tiny test tables its choices say nothing, so these checks are SQLite's.
"""

from __future__ import annotations

import pytest
from django.db import connection

from taper.web.clinic.models import PlanVersion, Status
from taper.web.clinic.services import desk
from taper.web.clinic.services.checkins import active_version
from tests.web import factories

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="a statistics-free planner's choice; PostgreSQL plans from its statistics")


def test_a_patients_version_in_force_is_found_from_their_plans(db: None) -> None:
    doctor = factories.clinician("dr.plans@example.org")
    versions = [factories.active_plan(factories.patient(doctor, f"p{i}@example.org",
                                                        f"Patient {i}"), doctor)
                for i in range(4)]
    patient = versions[0].plan.patient
    assert active_version(patient) == versions[0]
    plan = PlanVersion.objects.filter(plan__patient=patient, status=Status.ACTIVE).explain()
    assert "clinic_plan_patient_id" in plan, plan
    assert "(status=?)" not in plan, plan


def test_the_flagged_decisions_are_read_through_the_partial_index(db: None) -> None:
    """SQLite cannot match `action IN (?, ?, ?)` against the index's literal condition and
    would read every decision of the clinician's patients."""
    doctor = factories.clinician("dr.flags@example.org")
    factories.active_plan(factories.patient(doctor), doctor)
    plan = desk.unacknowledged(doctor).order_by("created_at", "id").explain()
    assert "decision_unacknowledged" in plan, plan
