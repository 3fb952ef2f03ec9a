"""The desk read from the derived columns gives exactly the list it gave when it read each
plan's JSON (that reading is kept here as the oracle), and its queries do not grow with the
number of patients."""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now as current_time

from taper.web.clinic import services
from taper.web.clinic.engine import local_today, next_change, stored_plan
from taper.web.clinic.models import CheckIn, Decision, Patient, PlanVersion, Status, User
from taper.web.clinic.services import desk
from taper.web.clinic.services.desk import KINDS, UPCOMING_DAYS, Attention, attention_list
from tests.web import factories

# From +14 h to -11 h, with half and quarter hours: patients' todays straddle the server's.
ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "America/New_York",
         "UTC", "Australia/Lord_Howe", "Asia/Kathmandu")
SHAPES = ("active", "future", "completed", "completed_then_new", "held", "changed", "stopped",
          "draft")


# ---- the oracle: the desk as it was, reading plan_json (before migration 0006) -----------

def reference_list(clinician: User, now: datetime) -> list[Attention]:
    patients = {p.pk: p for p in Patient.objects.filter(clinician=clinician)}
    rows = _reference_decisions(clinician) + _reference_missed_and_upcoming(clinician, patients, now)
    rank = {kind: i for i, kind in enumerate(KINDS)}
    far = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    return sorted(rows, key=lambda r: (rank[r.kind], r.due or date.max, r.since or far,
                                       r.patient_name, r.patient_id))


def _reference_decisions(clinician: User) -> list[Attention]:
    found = (Decision.objects.filter(patient__clinician=clinician, acknowledged_at__isnull=True,
                                     action__in=list(desk._DECISION_KIND))
             .select_related("patient").order_by("created_at", "id"))
    grouped: dict[tuple[int, str], list[Decision]] = {}
    for decision in found:
        grouped.setdefault((decision.patient_id, desk._DECISION_KIND[decision.action]),
                           []).append(decision)
    rows = []
    for (patient_id, kind), decisions in grouped.items():
        latest = decisions[-1]
        note = (latest.data.get("clinician") or {}).get("note") or latest.data.get("message", "")
        rows.append(Attention(kind, patient_id, latest.patient.name, str(note),
                              since=decisions[0].created_at, decision_id=latest.pk,
                              count=len(decisions)))
    return rows


def _reference_missed_and_upcoming(clinician: User, patients: dict[int, Patient],
                                   now: datetime) -> list[Attention]:
    active = (PlanVersion.objects.filter(plan__patient__clinician=clinician,
                                         status__in=[Status.ACTIVE, Status.COMPLETED])
              .values_list("plan__patient_id", "plan_json", "status", "plan__monitoring_days",
                           "plan__missed_checkin_days"))
    last = dict(CheckIn.objects.filter(patient__clinician=clinician).values("patient_id")
                .annotate(last=Max("date")).values_list("patient_id", "last"))
    rows = []
    in_force = {row[0] for row in active if row[2] == Status.ACTIVE}
    for patient_id, data, status, monitoring_days, missed_days in active:
        patient = patients[patient_id]
        today = local_today(patient.timezone, now)
        stop = data.get("stop_date")
        if status == Status.COMPLETED and (
                patient_id in in_force or stop is None
                or today >= date.fromisoformat(stop) + timedelta(days=monitoring_days)):
            continue
        start = date.fromisoformat(data["start_date"])
        seen = last.get(patient_id) or start - timedelta(days=1)
        if start <= today and (today - seen).days >= missed_days:
            since = datetime.combine(seen + timedelta(days=1), time(0), ZoneInfo(patient.timezone))
            rows.append(Attention("missed_checkin", patient_id, patient.name,
                                  f"no check-in since {seen.isoformat()}", since=since))
        if _reference_changes_soon(data, today):
            change = next_change(stored_plan(data), today)
            if change is not None and (change[0] - today).days <= UPCOMING_DAYS:
                rows.append(Attention("step_change", patient_id, patient.name,
                                      f"from {change[0].isoformat()}: {change[1]}", due=change[0]))
    return rows


def _reference_changes_soon(data: dict[str, Any], today: date) -> bool:
    horizon = (today + timedelta(days=UPCOMING_DAYS)).isoformat()
    starts = [str(s["start_date"]) for s in data.get("steps", []) if isinstance(s, dict)]
    stop = data.get("stop_date")
    dates = starts + ([str(stop)] if stop else [])
    return any(today.isoformat() < d <= horizon for d in dates)


# ---- a clinic of random plans, check-in histories and zones -------------------------------

def _plan(person: Patient, doctor: User, rng: random.Random, start: date,
          activate: bool = True) -> PlanVersion:
    request = factories.diarist_request(start, person.timezone)
    request["strategy"] = {"kind": "fixed_mg", "step_mg": rng.choice(["5", "10", "15"]),
                           "step_days": rng.randint(1, 6)}
    version = services.create_plan_draft(patient=person, author=doctor, request_data=request,
                                         today=min(start, factories.today_of(person)))
    if not activate:
        return version
    services.approve_plan(version=version, clinician=doctor)
    return services.activate(version=version, actor=doctor)


def _complete(version: PlanVersion, doctor: User) -> None:
    with contextlib.suppress(services.ServiceError):  # not over yet: it stays in force
        services.complete_plan(version=version, actor=doctor)


def _patient(doctor: User, rng: random.Random, i: int, shape: str) -> None:
    person = factories.patient(doctor, f"p{i}@example.org", f"Patient {i % 3}",
                               rng.choice(ZONES), password=None)
    today = factories.today_of(person)
    start = today - timedelta(days=rng.randint(-3, 40))
    if shape == "future":
        start = today + timedelta(days=rng.randint(1, 4))
    if shape.startswith("completed"):
        start = today - timedelta(days=rng.randint(10, 75))
    version = _plan(person, doctor, rng, start, activate=shape != "draft")
    if shape.startswith("completed"):
        _complete(version, doctor)
        version.refresh_from_db()
    if shape == "completed_then_new" and version.status == Status.COMPLETED:
        _plan(person, doctor, rng, today + timedelta(days=rng.randint(-2, 3)))
    if shape == "held" and start <= today:
        services.extend_step(version=version, clinician=doctor, days=rng.randint(1, 5),
                             reason="Tired.", today=today)
    if shape == "changed":
        _plan_change(version, doctor, rng, today)
    if shape == "stopped":
        services.stop_plan(version=version, actor=doctor, reason="Stopped early.")
    plan = person.plans.order_by("-id").first()
    assert plan is not None
    plan.missed_checkin_days, plan.monitoring_days = rng.randint(1, 4), rng.randint(0, 20)
    plan.save(update_fields=["missed_checkin_days", "monitoring_days"])
    _history(person, rng, start, today)


def _plan_change(version: PlanVersion, doctor: User, rng: random.Random, today: date) -> None:
    request = dict(version.request, start_date=(today + timedelta(days=rng.randint(0, 3))).isoformat())
    new = services.change_plan(version=version, author=doctor, request_data=request, today=today)
    services.approve_plan(version=new, clinician=doctor)
    services.activate(version=new, actor=doctor)


def _history(person: Patient, rng: random.Random, start: date, today: date) -> None:
    """Check-in dates only (the desk reads no more), from before the start to some recent day."""
    if rng.random() < 0.2:
        return
    last = today - timedelta(days=rng.randint(-1, 6))
    days = [start - timedelta(days=2) + timedelta(days=n)
            for n in range((last - start).days + 3) if rng.random() < 0.7] + [last]
    checkins = CheckIn.objects.bulk_create(
        CheckIn(patient=person, date=day, data={}, entered_by=person.user)
        for day in sorted(set(days)))
    version = PlanVersion.objects.filter(plan__patient=person).order_by("-id").first()
    assert version is not None
    actions = ("continue", "continue", "emergency", "contact_prescriber", "hold")
    Decision.objects.bulk_create(  # some flagged, some of them acknowledged, some with a note
        Decision(patient=person, checkin=c, version=version, today=c.date,
                 action=rng.choice(actions), data=_decision_data(rng),
                 created_at=current_time() - timedelta(days=rng.randint(0, 30)),
                 acknowledged_at=current_time() if rng.random() < 0.3 else None)
        for c in checkins if rng.random() < 0.3)


def _decision_data(rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {"message": rng.choice(["Carry on.", "Call the clinic today."])}
    if rng.random() < 0.3:
        data["clinician"] = {"note": rng.choice(["", "Seen in clinic."])}
    return data


def _clinic(seed: int, count: int) -> User:
    rng = random.Random(seed)
    doctor = factories.clinician(f"dr{seed}@example.org")
    for i in range(count):
        _patient(doctor, rng, i, SHAPES[(seed + i) % len(SHAPES)] if i < len(SHAPES)
                 else rng.choice(SHAPES))
    return doctor


@pytest.mark.hazard("HZ-105")
@pytest.mark.hazard("HZ-222")
@pytest.mark.parametrize("seed", range(24))
def test_the_desk_lists_what_reading_the_plan_json_listed(db: None, seed: int) -> None:
    doctor = _clinic(seed, 9)
    base, seen = current_time(), set()
    for hours in range(-30, 24 * 7, 11):  # every patient's today walks across the changes
        at = base + timedelta(hours=hours)
        wanted = reference_list(doctor, at)
        assert attention_list(doctor, at) == wanted, at
        seen |= {row.kind for row in wanted}
    assert {"missed_checkin", "step_change"} <= seen  # the case tested both kinds at least


def test_the_number_of_queries_does_not_grow_with_the_patients(db: None) -> None:
    doctor = _clinic(99, 5)
    with CaptureQueriesContext(connection) as few:
        small = attention_list(doctor, current_time())
    rng = random.Random(100)
    for i in range(5, 50):
        _patient(doctor, rng, i, rng.choice(SHAPES))
    with CaptureQueriesContext(connection) as many:
        large = attention_list(doctor, current_time())
    assert len(large) > len(small) > 0
    # The patients with their last check-in, the decisions, the versions, their changes.
    assert len(many) == len(few) <= 4
    assert not [q["sql"] for q in many if "plan_json" in q["sql"]]

