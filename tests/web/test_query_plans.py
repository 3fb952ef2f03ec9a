"""The hot per-patient queries start from the patient, whatever the size of the clinic.

SQLite plans without statistics (nothing runs ANALYZE for it), so an index led by a column
shared by thousands of rows can look as good as the patient's own: the Today page and every
check-in then read every version in force in the clinic (18.9 against 10.5 ms at 2,000
patients in `bench/web_bench.py`). PostgreSQL is asked the same with sequential scans off,
so its tiny test tables are not simply scanned.
"""

from __future__ import annotations

from django.db import connection

from taper.web.clinic.models import PlanVersion, Status
from taper.web.clinic.services.checkins import active_version
from tests.web import factories


def _plan(query: object) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return query.explain()  # type: ignore[attr-defined, no-any-return]


def test_a_patients_version_in_force_is_found_from_their_plans(db: None) -> None:
    doctor = factories.clinician("dr.plans@example.org")
    versions = [factories.active_plan(factories.patient(doctor, f"p{i}@example.org",
                                                        f"Patient {i}"), doctor)
                for i in range(4)]
    patient = versions[0].plan.patient
    assert active_version(patient) == versions[0]
    plan = _plan(PlanVersion.objects.filter(plan__patient=patient, status=Status.ACTIVE))
    if connection.vendor == "sqlite":
        assert "clinic_plan_patient_id" in plan, plan
        assert "(status=?)" not in plan, plan
    else:
        assert "clinic_plan_patient_id" in plan, plan
