"""Retention: a patient's record is purged a configured number of days after their taper
ended (TAPER_RETENTION_DAYS; unset or 0: never). docs/retention.md gives the rule in full.

A record is due when the patient has at least one plan, no plan is still going (no
version is a draft, approved or active), the last thing that happened in the record
(a version made, a lifecycle event, a check-in, a decision, a dose marked, a follow-up
made or its date) is at least the retention period ago, and no legal hold is on.

`due` and `purge` share one query, so a dry run lists exactly what a purge deletes. The
purge deletes every row of the patient's record and the patient's account, in one
transaction, and appends audit rows (never deletes any): one per patient purged and one
for the run, which names its `PurgeRun` with the counts. No health data goes into either.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Max, Model, Q, QuerySet

from taper.web.carers.models import CarerLink
from taper.web.clinic.audit import record as audit_row
from taper.web.clinic.models import (
    Alert,
    ApiToken,
    AuditAction,
    CalendarFeed,
    CheckIn,
    Decision,
    DoseChange,
    DoseTaken,
    FollowUp,
    Invitation,
    LifecycleEvent,
    Patient,
    Plan,
    PlanVersion,
    Status,
    User,
)
from taper.web.messaging.models import Message
from taper.web.records.models import PurgeRun

GOING = [Status.DRAFT, Status.APPROVED, Status.ACTIVE]


@dataclass(frozen=True)
class Due:
    """A record the retention rule would purge, with what it holds (counts only)."""

    patient_id: int
    last_activity: datetime
    counts: dict[str, int] = field(default_factory=dict)


def _as_instant(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.max, UTC)


def last_activity(patient: Patient) -> datetime | None:
    """The latest moment anything happened in the record (None: it holds no plan)."""
    versions = PlanVersion.objects.filter(plan__patient=patient).aggregate(
        made=Max("created_at"), approved=Max("approved_at"))
    if versions["made"] is None:
        return None
    moments: list[datetime | None] = [
        versions["made"], versions["approved"],
        LifecycleEvent.objects.filter(plan__patient=patient).aggregate(m=Max("at"))["m"],
        CheckIn.objects.filter(patient=patient).aggregate(m=Max("created_at"))["m"],
        _as_instant(CheckIn.objects.filter(patient=patient).aggregate(m=Max("date"))["m"]),
        Decision.objects.filter(patient=patient).aggregate(m=Max("created_at"))["m"],
        Decision.objects.filter(patient=patient).aggregate(m=Max("acknowledged_at"))["m"],
        DoseTaken.objects.filter(patient=patient).aggregate(m=Max("recorded_at"))["m"],
        FollowUp.objects.filter(plan__patient=patient).aggregate(m=Max("created_at"))["m"],
        _as_instant(FollowUp.objects.filter(plan__patient=patient).aggregate(m=Max("date"))["m"]),
        Alert.objects.filter(patient=patient).aggregate(m=Max("created_at"))["m"],
        # Messages count as check-ins do (the record's life goes on while they are written).
        Message.objects.filter(patient=patient).aggregate(m=Max("created_at"))["m"],
    ]  # fmt: skip
    return max(m for m in moments if m is not None)


def _candidates() -> QuerySet[Patient]:
    """Patients with a plan, none still going, and no legal hold."""
    going = PlanVersion.objects.filter(status__in=GOING).values("plan__patient_id")
    return (Patient.objects.filter(plans__isnull=False, legal_hold__isnull=True)
            .exclude(Q(pk__in=going)).distinct().order_by("pk"))


def _record_rows(patient: Patient) -> dict[str, QuerySet[Model]]:
    """Every row of the patient's record, in the order they can be deleted (PROTECT)."""
    p = patient
    return {
        "alert": Alert.objects.filter(patient=p),
        "decision": Decision.objects.filter(patient=p),
        "dose_taken": DoseTaken.objects.filter(patient=p),
        "checkin": CheckIn.objects.filter(patient=p),
        "message": Message.objects.filter(patient=p),
        "carer_link": CarerLink.objects.filter(patient=p),
        "followup": FollowUp.objects.filter(plan__patient=p),
        "lifecycle_event": LifecycleEvent.objects.filter(plan__patient=p),
        "dose_change": DoseChange.objects.filter(version__plan__patient=p),
        "plan_version": PlanVersion.objects.filter(plan__patient=p),
        "plan": Plan.objects.filter(patient=p),
        "calendar_feed": CalendarFeed.objects.filter(patient=p),
        "patient": Patient.objects.filter(pk=p.pk),
        "invitation": Invitation.objects.filter(user_id=p.user_id),
        "api_token": ApiToken.objects.filter(user_id=p.user_id),
        "user": User.objects.filter(pk=p.user_id),
    }


def counts(patient: Patient) -> dict[str, int]:
    return {name: rows.count() for name, rows in _record_rows(patient).items()}


def due(at: datetime, days: int) -> list[Due]:
    """The records a purge at `at` with a retention of `days` would delete, oldest id first."""
    if days <= 0:
        return []
    cutoff = at - timedelta(days=days)
    found = []
    for patient in _candidates():
        last = last_activity(patient)
        if last is not None and last <= cutoff:
            found.append(Due(patient.pk, last, counts(patient)))
    return found


def _delete(patient: Patient) -> Counter[str]:
    deleted: Counter[str] = Counter()
    rows = _record_rows(patient)
    # Rows that point at rows of their own kind (an amendment, a version based on
    # another) go newest first, so each is gone before the row it names.
    for name, queryset in rows.items():
        if name == "user":
            continue
        for obj in queryset.order_by("-pk"):
            obj.delete()
            deleted[name] += 1
    # The account: the audit trail names people by a plain id with no constraint (its rows
    # outlive what they name, and are never deleted), so Django's PROTECT check on
    # AuditEvent.actor is bypassed deliberately with a direct DELETE.
    table = User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {User.groups.through._meta.db_table} WHERE user_id = %s",
                       [patient.user_id])
        cursor.execute(f"DELETE FROM {User.user_permissions.through._meta.db_table} "
                       "WHERE user_id = %s", [patient.user_id])
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [patient.user_id])
        deleted["user"] += cursor.rowcount
    return deleted


@transaction.atomic
def purge(*, at: datetime, days: int) -> PurgeRun:
    """Delete every record due at `at`; an audit row per patient and one for the run."""
    if days <= 0:
        raise ValueError("retention is off: nothing is purged")
    targets = due(at, days)
    locked = Patient.objects.select_for_update().filter(pk__in=[d.patient_id for d in targets])
    totals: Counter[str] = Counter()
    purged: list[int] = []
    for patient in locked.order_by("pk"):
        # Checked again under the lock: a hold set, or a new check-in, since `due` looked.
        if not _candidates().filter(pk=patient.pk).exists():
            continue
        last = last_activity(patient)
        if last is None or last > at - timedelta(days=days):
            continue
        totals += _delete(patient)
        purged.append(patient.pk)
        audit_row(AuditAction.CHANGE, "purge", record_type="patient", record_id=patient.pk,
                  patient_id=patient.pk, via="cli")
    run = PurgeRun.objects.create(at=at, retention_days=days, patient_ids=purged,
                                  counts=dict(sorted(totals.items())))
    audit_row(AuditAction.CHANGE, "purge_run", record_type="purge_run", record_id=run.pk,
              via="cli")
    return run
