"""The clinician's attention list (the desk page and `GET /api/dashboard` both read it).

Order of urgency, as issue 5 sets it: red flags not yet acknowledged, then
contact_prescriber decisions, then holds, then missed check-ins, then dose changes in the
next days. Decisions leave the list when the clinician acknowledges them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Max
from django.utils.timezone import now as current_time

from taper.exports.schedule import monitoring_dates
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError, local_today, next_change, stored_plan
from taper.web.clinic.models import CheckIn, Decision, Patient, PlanVersion, Role, Status, User

KINDS = ("red_flag", "contact_prescriber", "hold", "missed_checkin", "step_change")
# Policy, not clinical fact (issue 5): dose changes this many days ahead are listed. A
# patient who has not checked in for their plan's `missed_checkin_days` (default 2) is too.
UPCOMING_DAYS = 3
_DECISION_KIND = {"emergency": "red_flag", "contact_prescriber": "contact_prescriber",
                  "hold": "hold"}


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
    patients = {p.pk: p for p in Patient.objects.filter(clinician=clinician)}
    rows = _decisions(clinician) + _missed_and_upcoming(clinician, patients, now)
    rank = {kind: i for i, kind in enumerate(KINDS)}
    far = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    return sorted(rows, key=lambda r: (rank[r.kind], r.due or date.max, r.since or far,
                                       r.patient_name, r.patient_id))


def _decisions(clinician: User) -> list[Attention]:
    found = (Decision.objects.filter(patient__clinician=clinician, acknowledged_at__isnull=True,
                                     action__in=list(_DECISION_KIND))
             .select_related("patient").order_by("created_at", "id"))
    grouped: dict[tuple[int, str], list[Decision]] = {}
    for decision in found:
        grouped.setdefault((decision.patient_id, _DECISION_KIND[decision.action]), []).append(decision)
    rows = []
    for (patient_id, kind), decisions in grouped.items():
        latest = decisions[-1]
        note = (latest.data.get("clinician") or {}).get("note") or latest.data.get("message", "")
        rows.append(Attention(kind, patient_id, latest.patient.name, str(note),
                              since=decisions[0].created_at, decision_id=latest.pk,
                              count=len(decisions)))
    return rows


def _missed_and_upcoming(clinician: User, patients: dict[int, Patient],
                         now: datetime) -> list[Attention]:
    # Plans in force, and completed ones whose monitoring period still runs (check-ins go on).
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
        period = monitoring_dates(None if stop is None else date.fromisoformat(stop),
                                  monitoring_days)
        if status == Status.COMPLETED and (
                patient_id in in_force or period is None or today > period[1]):
            continue  # a plan in force speaks for the patient; or the monitoring has ended
        start = date.fromisoformat(data["start_date"])
        seen = last.get(patient_id) or start - timedelta(days=1)
        if start <= today and (today - seen).days >= missed_days:
            since = datetime.combine(seen + timedelta(days=1), time(0), ZoneInfo(patient.timezone))
            rows.append(Attention("missed_checkin", patient_id, patient.name,
                                  f"no check-in since {seen.isoformat()}", since=since))
        if _changes_soon(data, today):
            change = next_change(stored_plan(data), today)
            if change is not None and (change[0] - today).days <= UPCOMING_DAYS:
                rows.append(Attention("step_change", patient_id, patient.name,
                                      f"from {change[0].isoformat()}: {change[1]}", due=change[0]))
    return rows


def _changes_soon(data: dict[str, object], today: date) -> bool:
    """A cheap look at the stored dates first, so only plans changing soon are read in full."""
    horizon = (today + timedelta(days=UPCOMING_DAYS)).isoformat()
    starts = [str(s["start_date"]) for s in data.get("steps", []) if isinstance(s, dict)]  # type: ignore[attr-defined]
    stop = data.get("stop_date")
    dates = starts + ([str(stop)] if stop else [])
    return any(today.isoformat() < d <= horizon for d in dates)


@transaction.atomic
@audited("acknowledge_decision", actor="clinician")
def acknowledge_decision(*, decision: Decision, clinician: User) -> Decision:
    """The clinician has seen a flagged decision: who and when; it leaves the attention list."""
    decision = Decision.objects.select_for_update().select_related("patient").get(pk=decision.pk)
    if clinician.role != Role.CLINICIAN or decision.patient.clinician_id != clinician.pk:
        raise ServiceError("", "only the patient's clinician can acknowledge this decision")
    if decision.acknowledged_at is None:
        decision.acknowledged_at, decision.acknowledged_by = current_time(), clinician
        decision.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return decision
