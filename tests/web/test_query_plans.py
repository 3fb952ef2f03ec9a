"""The hot per-patient queries start from the patient, whatever the size of the clinic.

SQLite plans without statistics (nothing runs ANALYZE for it), so an index led by a column
shared by thousands of rows can look as good as the patient's own: the Today page and every
check-in then read every version in force in the clinic (18.9 against 10.5 ms at 2,000
patients in `bench/web_bench.py`). PostgreSQL plans from the statistics autovacuum keeps; on
the test database's few rows it prefers a sequential scan, so there its plan is read with
`enable_seqscan` off, which shows whether an index can answer the query at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from taper.web.clinic.models import PlanVersion, Status
from taper.web.clinic.services import desk
from taper.web.clinic.services.checkins import active_version
from tests.web import factories


def explain(queryset: Any) -> str:
    """The query's plan; on PostgreSQL with sequential scans priced out (see above)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # this test's transaction only
    return str(queryset.explain())


@pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason=("PostgreSQL chooses between the two indexes by its row estimates: with the test's "
            "4 patients it estimates one version in force in the whole clinic and leads, "
            "correctly for that data, from version_plan_status (measured: Index Scan using "
            "version_plan_status, then clinic_plan_patient_id); which one it takes for a real "
            "clinic depends on that clinic's statistics, so this check of a statistics-free "
            "choice is SQLite's"))
def test_a_patients_version_in_force_is_found_from_their_plans(db: None) -> None:
    doctor = factories.clinician("dr.plans@example.org")
    versions = [factories.active_plan(factories.patient(doctor, f"p{i}@example.org",
                                                        f"Patient {i}"), doctor)
                for i in range(4)]
    patient = versions[0].plan.patient
    assert active_version(patient) == versions[0]
    plan = explain(PlanVersion.objects.filter(plan__patient=patient, status=Status.ACTIVE))
    assert "clinic_plan_patient_id" in plan, plan
    assert "(status=?)" not in plan, plan


def test_the_flagged_decisions_are_read_through_the_partial_index(db: None) -> None:
    """SQLite cannot match `action IN (?, ?, ?)` against the index's literal condition and
    would read every decision of the clinician's patients."""
    doctor = factories.clinician("dr.flags@example.org")
    factories.active_plan(factories.patient(doctor), doctor)
    plan = explain(desk.unacknowledged(doctor).order_by("created_at", "id"))
    assert "decision_unacknowledged" in plan, plan
