"""Upgrades with data: a database at the first released state (clinic 0001), filled through
the historical models with a small clinic, migrated to whatever head is (other branches add
0007s), every record read back the same, and the app reads it.

Audit rows and API tokens came in 0003: they are added at that state, on the way up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.apps import apps as current_apps
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from taper.contract.assessment import decision_json
from taper.core.monitoring.checkin import parse_checkins
from taper.core.monitoring.pacing import assess
from taper.knowledge.monitoring import load_monitoring
from taper.web.clinic.engine import plan_json, plan_request, stored_plan
from taper.web.clinic.services.versions import plan_dates
from tests.web.factories import diarist_request, quiet_checkin

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = ("clinic", "0001_initial")  # the first released state
AUDIT = ("clinic", "0003_audit_api")  # audit rows and API tokens begin here
AT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)

Snapshot = dict[str, dict[Any, dict[str, Any]]]


def migrate(*targets: tuple[str, str]) -> Any:
    """Migrate to `targets` (or to every head) and give the historical apps of that state."""
    executor = MigrationExecutor(connection)
    nodes = list(targets) or executor.loader.graph.leaf_nodes()
    executor.migrate(nodes)
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def snapshot(apps: Any, labels: list[str]) -> Snapshot:
    """Every row of these models as the historical model reads it: pk -> column values."""
    found: Snapshot = {}
    for label in labels:
        model = apps.get_model("clinic", label)
        columns = [f.attname for f in model._meta.concrete_fields]
        found[label] = {row["id"]: row for row in model._base_manager.values(*columns)}
    return found


def kept(before: Snapshot, after: Snapshot) -> None:
    """Every record is still there with every column it had, unchanged (new columns aside)."""
    for label, rows in before.items():
        assert set(after[label]) == set(rows), label
        for pk, row in rows.items():
            assert {k: after[label][pk][k] for k in row} == row, (label, pk)


def fill_first_state(apps: Any) -> None:
    """Two patients of one clinician, plans in force (one changed), a week of check-ins each
    with the engine's decisions (one amended, one asking for the prescriber), doses marked."""
    user, patient_model = apps.get_model("clinic", "User"), apps.get_model("clinic", "Patient")
    plan_model, version_model = apps.get_model("clinic", "Plan"), apps.get_model("clinic", "PlanVersion")
    event, checkin_model = apps.get_model("clinic", "LifecycleEvent"), apps.get_model("clinic", "CheckIn")
    decision_model, taken = apps.get_model("clinic", "Decision"), apps.get_model("clinic", "DoseTaken")
    invitation = apps.get_model("clinic", "Invitation")
    doctor = user.objects.create(email="dr.reyes@example.org", role="clinician",
                                 password=make_password("a-long-password-1"), date_joined=AT)
    user.objects.create(email="admin@example.org", role="admin", password=make_password("x" * 12),
                        date_joined=AT)
    rules = load_monitoring("baclofen")
    for n, (name, zone) in enumerate([("Sam Patel", "America/New_York"),
                                      ("Kim Lee", "Europe/London")]):
        login = user.objects.create(email=f"p{n}@example.org", role="patient",
                                    password=make_password("a-long-password-2"), date_joined=AT)
        person = patient_model.objects.create(user=login, clinician=doctor, name=name,
                                              timezone=zone, created_at=AT, created_by=doctor)
        invitation.objects.create(user=login, token_hash=f"{n:064d}", created_at=AT,
                                  created_by=doctor, expires_at=AT + timedelta(days=7),
                                  used_at=AT + timedelta(hours=n + 1))
        start = date(2026, 11, 2)
        request = diarist_request(start, zone)
        plan = plan_request(request, start)
        container = plan_model.objects.create(patient=person, drug="baclofen", created_at=AT,
                                              created_by=doctor)
        version = version_model.objects.create(
            plan=container, number=1, request=request, plan_json=plan_json(plan), status="active",
            created_at=AT, created_by=doctor, approved_by=doctor, approved_at=AT,
            approval_note="Reviewed at clinic.")
        for kind in ("created", "approved", "activated"):
            event.objects.create(plan=container, version=version, kind=kind, actor=doctor, at=AT)
        if n == 0:  # a prescriber's change: 10 days a step from the same start
            slower = {**request, "strategy": {**request["strategy"], "step_days": 10}}
            changed = version_model.objects.create(
                plan=container, number=2, request=slower,
                plan_json=plan_json(plan_request(slower, start)), status="active",
                origin="change", based_on=version, created_at=AT + timedelta(days=3),
                created_by=doctor, approved_by=doctor, approved_at=AT + timedelta(days=3))
            version.status, version.end_reason = "changed", "replaced by version 2"
            version.save()
            event.objects.create(plan=container, version=changed, kind="activated", actor=doctor,
                                 at=AT + timedelta(days=3))
            version, plan = changed, stored_plan(changed.plan_json)
        entries: list[dict[str, Any]] = []
        for day in range(7):
            today = start + timedelta(days=day)
            data = quiet_checkin(today, symptoms={"anxiety": 3} if (n, day) == (0, 6) else {})
            first = checkin_model.objects.filter(patient=person, date=today).first()
            for again in range(2 if day == 4 else 1):  # day 5 amended once
                entries.append(data)
                checkin = checkin_model.objects.create(
                    patient=person, date=today, data=data, amends=first, entered_by=login,
                    created_at=AT + timedelta(days=day, minutes=again))
                first = first or checkin
                decided = assess(plan, parse_checkins(entries, rules, today), today, rules)
                result = {**decision_json(decided, rules), "today": today.isoformat()}
                decision_model.objects.create(
                    patient=person, checkin=checkin, version=version, today=today,
                    action=decided.action, data=result,
                    flagged_for_clinician=decided.clinician_flag,
                    created_at=AT + timedelta(days=day, minutes=again))
            taken.objects.create(patient=person, version=version, date=today, time=time(8),
                                 recorded_by=login, recorded_at=AT + timedelta(days=day))


def fill_audit_state(apps: Any) -> None:
    user, audit = apps.get_model("clinic", "User"), apps.get_model("clinic", "AuditEvent")
    token = apps.get_model("clinic", "ApiToken")
    doctor = user.objects.get(email="dr.reyes@example.org")
    version = apps.get_model("clinic", "PlanVersion").objects.order_by("id").first()
    token.objects.create(user=doctor, name="ehr", token_hash="ab" * 32, prefix="tpr_ab12",
                         created_at=AT)
    rows = [("login", "login", "", None, None), ("view", "plan_detail", "plan_version", version.pk,
                                                 version.plan.patient_id),
            ("change", "approve_plan", "plan_version", version.pk, version.plan.patient_id),
            ("login_failed", "login", "", None, None), ("denied", "patient_detail", "patient", 999, None)]
    for n, (action, name, record_type, record_id, patient_id) in enumerate(rows):
        audit.objects.create(at=AT + timedelta(minutes=n), actor=doctor, actor_email=doctor.email,
                             action=action, event=name, record_type=record_type,
                             record_id=record_id, patient_id=patient_id, method="GET",
                             path="/plans/1/", status=200, ip="192.0.2.7", user_agent="Firefox",
                             via="session")


@pytest.mark.hazard("HZ-170")
def test_a_clinic_made_at_the_first_release_survives_every_migration(client: Client) -> None:
    try:
        first = migrate(FIRST)
        fill_first_state(first)
        core = ["User", "Patient", "Invitation", "Plan", "PlanVersion", "LifecycleEvent",
                "CheckIn", "Decision", "DoseTaken"]
        before = snapshot(first, core)
        audit_state = migrate(AUDIT)
        kept(before, snapshot(audit_state, core))  # the first steps keep it...
        fill_audit_state(audit_state)
        before |= snapshot(audit_state, ["AuditEvent", "ApiToken"])
    finally:
        migrate()  # to every head, whatever happened: the next test needs it
    kept(before, snapshot(current_apps, list(before)))
    assert sum(len(r) for r in before.values()) >= 60

    # ...and the app reads them: derived dates filled, pages open, the plans as planned.
    version_model = current_apps.get_model("clinic", "PlanVersion")
    for version in version_model.objects.all():
        start, stop, changes = plan_dates(version.plan_json)
        assert (version.start_date, version.stop_date) == (start, stop)
        assert version.dose_changes.count() == len(changes)
    doctor = current_apps.get_model("clinic", "User").objects.get(email="dr.reyes@example.org")
    client.force_login(doctor)
    active = version_model.objects.filter(status="active").order_by("id")
    for version in active:
        page = client.get(f"/plans/{version.pk}/")
        assert page.status_code == 200 and version.plan.patient.name in page.content.decode()
    assert client.get("/desk/").status_code == 200
    sam = current_apps.get_model("clinic", "Patient").objects.get(name="Sam Patel")
    assert client.get(f"/patients/{sam.pk}/").status_code == 200
