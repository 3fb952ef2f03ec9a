"""Follow-up appointments on a plan, and the monitoring period after its last dose.

Policy, not clinical fact (docs/web.md): check-ins go on for `Plan.monitoring_days` (14 by
default) after the stop date, because withdrawal effects of a last step can come days after
it; the clinician sets the number per plan.
"""

from __future__ import annotations

from datetime import date, time
from functools import lru_cache

from django.db import transaction

from taper.exports.options import MAX_MONITORING_DAYS  # policy: one bound, exports' and web's
from taper.exports.schedule import monitoring_dates
from taper.web.clinic import lean
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import FollowUp, Patient, Plan, PlanVersion, Role, Status, User


def _mine(plan: Plan, clinician: User) -> None:
    if clinician.role != Role.CLINICIAN or plan.patient.clinician_id != clinician.pk:
        raise ServiceError("", "only the patient's clinician can change this plan")


@transaction.atomic
@audited("add_followup", actor="clinician")
def add_followup(*, plan: Plan, clinician: User, day: date, at: time | None = None,
                 note: str = "", today: date | None = None) -> FollowUp:
    """An appointment on the plan (shown on the plan page and the patient's Today)."""
    _mine(plan, clinician)
    if today is not None and day < today:
        raise ServiceError("date", "an appointment is on or after today")
    return FollowUp.objects.create(plan=plan, date=day, time=at, note=note.strip()[:300],
                                   created_by=clinician)


@transaction.atomic
@audited("set_monitoring_days", actor="clinician", subject="plan")
def set_monitoring_days(*, plan: Plan, clinician: User, days: int) -> Plan:
    """How many days after the last dose check-ins go on."""
    _mine(plan, clinician)
    if not 0 <= days <= MAX_MONITORING_DAYS:
        raise ServiceError("days", f"a whole number of days from 0 to {MAX_MONITORING_DAYS}")
    plan.monitoring_days = days
    plan.save(update_fields=["monitoring_days"])
    return plan


def stop_of(version: PlanVersion) -> date | None:
    stop = version.plan_json.get("stop_date")
    return None if stop is None else date.fromisoformat(stop)


def monitoring_period_of(version: PlanVersion) -> tuple[date, date] | None:
    """The version's monitoring period (first and last day), as the exports show it."""
    return monitoring_dates(stop_of(version), version.plan.monitoring_days)


def monitoring_left(version: PlanVersion, today: date) -> int | None:
    """Days of the monitoring period left (counting today), or None outside it."""
    period = monitoring_period_of(version)
    if period is None or not period[0] <= today <= period[1]:
        return None
    return (period[1] - today).days + 1


def monitored_version(patient: Patient, today: date) -> PlanVersion | None:
    """The plan in force; else a completed one whose monitoring period is still running.

    With its plan and approver, in one statement written once (clinic/lean.py: every
    check-in reads it twice and Today once; the ORM took 1.2 ms to build it)."""
    active = _version_with_plan(patient.pk, Status.ACTIVE, 'v."plan_id", v."number"')
    if active is not None:
        return active
    done = _version_with_plan(patient.pk, Status.COMPLETED, 'v."created_at" DESC, v."id" DESC')
    if done is not None and monitoring_left(done, today) is not None:
        return done
    return None


def _version_with_plan(patient_id: int, status: str, order: str) -> PlanVersion | None:
    """The patient's first version with `status` in `order`, its plan and approver joined
    (as `select_related("plan", "approved_by")`). The status is a literal, as the partial
    index of the version in force needs (models.PlanVersion)."""
    rows = lean.fetch(_version_sql(status, order), [patient_id])
    if not rows:
        return None
    version = lean.instance(PlanVersion, rows[0])
    plan = lean.instance(Plan, rows[0], len(PlanVersion._meta.concrete_fields))
    approver = lean.instance(User, rows[0], len(PlanVersion._meta.concrete_fields)
                             + len(Plan._meta.concrete_fields))
    assert version is not None and plan is not None
    PlanVersion._meta.get_field("plan").set_cached_value(version, plan)
    PlanVersion._meta.get_field("approved_by").set_cached_value(version, approver)
    return version


@lru_cache(maxsize=4)
def _version_sql(status: str, order: str) -> str:
    """`_version_with_plan`'s statement, written once per process (issue 17)."""
    if status not in (Status.ACTIVE, Status.COMPLETED):
        raise ValueError(status)
    return (f"SELECT {lean.columns(PlanVersion, 'v')}, {lean.columns(Plan, 'p')},"
            f" {lean.columns(User, 'u')} FROM clinic_planversion v"
            ' INNER JOIN clinic_plan p ON p."id" = v."plan_id"'
            ' LEFT OUTER JOIN clinic_user u ON u."id" = v."approved_by_id"'
            f""" WHERE p."patient_id" = %s AND v."status" = '{status}'"""
            f" ORDER BY {order} LIMIT 1")


def upcoming_followups(patient: Patient, today: date) -> list[FollowUp]:
    """FollowUp.objects.filter(plan__patient=patient, date__gte=today), written once
    (clinic/lean.py: Today asks it on every visit)."""
    found = lean.fetch(
        f"SELECT {lean.columns(FollowUp, 'f')} FROM clinic_followup f"
        ' INNER JOIN clinic_plan p ON f."plan_id" = p."id"'
        ' WHERE p."patient_id" = %s AND f."date" >= %s ORDER BY f."date", f."time", f."id"',
        [patient.pk, lean.date_param(today)])
    return [f for f in (lean.instance(FollowUp, row) for row in found) if f is not None]
