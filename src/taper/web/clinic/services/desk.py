"""The clinician's attention list (the desk page and `GET /api/dashboard` both read it).

Order of urgency, as issue 5 sets it: red flags not yet acknowledged, then
contact_prescriber decisions, then holds, then missed check-ins, then dose changes in the
next days. Decisions leave the list when the clinician acknowledges them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import BooleanField, Exists, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.timezone import now as current_time

from taper.exports.schedule import monitoring_dates
from taper.web.clinic import lean
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError, local_today
from taper.web.clinic.models import (
    FLAGGED_ACTIONS,
    Decision,
    Patient,
    Role,
    Status,
    User,
)

KINDS = ("red_flag", "contact_prescriber", "hold", "missed_checkin", "step_change")
# Policy, not clinical fact (issue 5): dose changes this many days ahead are listed. A
# patient who has not checked in for their plan's `missed_checkin_days` (default 2) is too.
UPCOMING_DAYS = 3
_DECISION_KIND = {"emergency": "red_flag", "contact_prescriber": "contact_prescriber",
                  "hold": "hold"}


# The actions as literals in the SQL, not bound parameters: only then can SQLite see that
# the query implies the condition of the partial index `decision_unacknowledged`; with
# `action IN (?, ?, ?)` it reads every decision of every patient instead.
FLAGGED = RawSQL(f"action IN ({', '.join(repr(a) for a in FLAGGED_ACTIONS)})", (),
                 output_field=BooleanField())


@dataclass(frozen=True)
class Attention:
    """One row of the list: who, why in a few words, since when (or the day it is due)."""

    kind: str
    patient_id: int
    patient_name: str
    reason: str
    since: datetime | None = None
    due: date | None = None
    decision_id: int | None = None
    count: int = 1  # unacknowledged decisions of this kind for the patient


def attention_list(clinician: User, now: datetime | None = None) -> list[Attention]:
    """Who needs this clinician, most urgent first."""
    if clinician.role != Role.CLINICIAN:
        return []
    now = now or current_time()
    # Each patient's last check-in, one index seek each (CheckIn's (patient, date) index).
    # Plain values, not model rows (issue 17): building 200 Patient objects was a fifth of
    # the dashboard's time, and only these four columns are read.
    # The SQL the ORM wrote for Patient.objects.filter(clinician=…).annotate(last_checkin=…),
    # written once (clinic/lean.py).
    found = lean.fetch(
        'SELECT p."id", p."name", p."timezone", (SELECT c."date" FROM clinic_checkin c'
        ' WHERE c."patient_id" = p."id" ORDER BY c."date" DESC LIMIT 1)'
        ' FROM clinic_patient p WHERE p."clinician_id" = %s ORDER BY p."name", p."id"',
        [clinician.pk])
    patients = {row[0]: _Listed(*row)
                for row in lean.typed(found, None, None, None, "clinic.CheckIn.date")}
    rows = _decisions(clinician) + _missed_and_upcoming(clinician, patients, now)
    rank = {kind: i for i, kind in enumerate(KINDS)}
    far = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    return sorted(rows, key=lambda r: (rank[r.kind], r.due or date.max, r.since or far,
                                       r.patient_name, r.patient_id))


@dataclass(frozen=True, slots=True)
class _Listed:
    """What the list reads of a patient."""

    pk: int
    name: str
    timezone: str
    last_checkin: date | None


def unacknowledged(clinician: User) -> QuerySet[Decision]:
    """The clinician's flagged decisions not yet acknowledged (the partial index's rows)."""
    return Decision.objects.filter(FLAGGED, patient__clinician=clinician,
                                   acknowledged_at__isnull=True)


def unacknowledged_of(patient: Patient) -> QuerySet[Decision]:
    """One patient's flagged decisions not yet acknowledged, newest first."""
    return Decision.objects.filter(FLAGGED, patient=patient, acknowledged_at__isnull=True
                                   ).order_by("-created_at", "-id")


def _decisions(clinician: User) -> list[Attention]:
    # Plain values, not model rows: a long-unread desk may hold hundreds of flagged decisions.
    found = (unacknowledged(clinician).order_by("created_at", "id")
             .values_list("pk", "patient_id", "action", "created_at", "data", "patient__name"))
    grouped: dict[tuple[int, str], list[tuple[Any, ...]]] = {}
    for row in found:
        grouped.setdefault((row[1], _DECISION_KIND[row[2]]), []).append(row)
    rows = []
    for (patient_id, kind), decisions in grouped.items():
        decision_id, _, _, _, data, name = decisions[-1]
        note = (data.get("clinician") or {}).get("note") or data.get("message", "")
        rows.append(Attention(kind, patient_id, name, str(note), since=decisions[0][3],
                              decision_id=decision_id, count=len(decisions)))
    return rows


def _missed_and_upcoming(clinician: User, patients: Mapping[int, Any],
                         now: datetime) -> list[Attention]:
    """Missed check-ins and dose changes soon, from the versions' derived columns.

    Two queries whatever the number of patients, none reading a plan's JSON: the versions
    (their dates, stored when each was created: services/versions.py) and their dose changes
    in a window of dates wide enough for every patient's today (a patient's today is in their
    zone, so each change is then checked against their own day). The last check-ins came
    with the patients.
    """
    # Plans in force, and completed ones whose monitoring period still runs (check-ins go on).
    # Unordered (sorted here: the database may then start from the patients); the ORM's
    # SQL for filter(plan__patient__clinician=…, status__in=…), written once (clinic/lean.py).
    active = sorted(lean.typed(lean.fetch(
        'SELECT v."plan_id", v."number", v."id", p."patient_id", v."status", v."start_date",'
        ' v."stop_date", p."monitoring_days", p."missed_checkin_days" FROM clinic_planversion v'
        ' INNER JOIN clinic_plan p ON v."plan_id" = p."id"'
        ' INNER JOIN clinic_patient pt ON p."patient_id" = pt."id"'
        ' WHERE pt."clinician_id" = %s AND v."status" IN (%s, %s)',
        [clinician.pk, str(Status.ACTIVE), str(Status.COMPLETED)]),
        None, None, None, None, None, "clinic.PlanVersion.start_date",
        "clinic.PlanVersion.stop_date", None, None))
    in_force = {row[3] for row in active if row[4] == Status.ACTIVE}
    zones: dict[str, date] = {}  # each zone's today, once (200 patients share a few zones)
    todays = {row[3]: zones.get(zone) or zones.setdefault(zone, local_today(zone, now))
              for row in active for zone in (patients[row[3]].timezone,)}
    listed = [row[2:] for row in active if not (row[4] == Status.COMPLETED and (
        row[3] in in_force or _monitoring_over(row[6], row[7], todays[row[3]])))]
    # (a plan in force speaks for the patient; or the monitoring of a completed one has ended)
    changes = _next_changes([row[0] for row in listed], todays)
    rows = []
    for version_id, patient_id, _, start, _, _, missed_days in listed:
        patient, today = patients[patient_id], todays[patient_id]
        if start is None:  # stored with every version (services/versions.py): never None here
            raise ValueError(f"plan version {version_id} has no start date")
        seen = getattr(patient, "last_checkin", None) or start - timedelta(days=1)
        if start <= today and (today - seen).days >= missed_days:
            since = datetime.combine(seen + timedelta(days=1), time(0), ZoneInfo(patient.timezone))
            rows.append(Attention("missed_checkin", patient_id, patient.name,
                                  f"no check-in since {seen.isoformat()}", since=since))
        change = next((c for c in changes.get(version_id, ())
                       if today < c[0] <= today + timedelta(days=UPCOMING_DAYS)), None)
        if change is not None:
            rows.append(Attention("step_change", patient_id, patient.name,
                                  f"from {change[0].isoformat()}: {change[1]}", due=change[0]))
    return rows


def _monitoring_over(stop: date | None, days: int, today: date) -> bool:
    period = monitoring_dates(stop, days)
    return period is None or today > period[1]


def _next_changes(version_ids: list[int],
                  todays: dict[int, date]) -> dict[int, list[tuple[date, str]]]:
    """The versions' dose changes after the earliest today, up to UPCOMING_DAYS after the
    latest, in the plan's order (so the first one after a patient's today is the next)."""
    if not version_ids:
        return {}
    marks = ", ".join(["%s"] * len(version_ids))
    found = lean.typed(lean.fetch(  # the ORM's SQL, written once (clinic/lean.py)
        'SELECT d."version_id", d."date", d."reason" FROM clinic_dosechange d'
        f' WHERE d."date" > %s AND d."date" <= %s AND d."version_id" IN ({marks})'
        ' ORDER BY d."version_id", d."position"',
        [lean.date_param(min(todays.values())),
         lean.date_param(max(todays.values()) + timedelta(days=UPCOMING_DAYS)), *version_ids]),
        None, "clinic.DoseChange.date", None)
    changes: dict[int, list[tuple[date, str]]] = {}
    for version_id, day, reason in found:
        changes.setdefault(version_id, []).append((day, reason))
    return changes


@transaction.atomic
@audited("acknowledge_decision", actor="clinician")
def acknowledge_decision(*, decision: Decision, clinician: User) -> Decision:
    """The clinician has seen a flagged decision: who and when; it leaves the attention list.

    The patient's earlier unacknowledged decisions of the same action go with it (the desk
    shows them as one row with their count), so the row clears at once; a different action
    (an earlier red flag under a later hold) stays until it is acknowledged itself.
    """
    decision = Decision.objects.select_for_update().select_related("patient").get(pk=decision.pk)
    if clinician.role != Role.CLINICIAN or decision.patient.clinician_id != clinician.pk:
        raise ServiceError("", "only the patient's clinician can acknowledge this decision")
    if decision.acknowledged_at is None:
        at = current_time()
        Decision.objects.filter(patient_id=decision.patient_id, action=decision.action,
                                acknowledged_at__isnull=True,
                                created_at__lte=decision.created_at).update(
            acknowledged_at=at, acknowledged_by=clinician)
        decision.acknowledged_at, decision.acknowledged_by = at, clinician
    return decision


def needs_attention(patient_ref: Any) -> Exists:
    """Whether a patient has a flagged decision not yet acknowledged (for annotate())."""
    return Exists(Decision.objects.filter(FLAGGED, patient=patient_ref,
                                          acknowledged_at__isnull=True))
