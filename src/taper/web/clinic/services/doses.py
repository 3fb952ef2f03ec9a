"""Doses the patient marks on Today: taken, taken late or skipped, and undone the same day.

A mark is never ahead of the clock: a dose whose day or time has not come cannot be marked
(HZ-182); a skipped dose counts as missed in the check-in's adherence (HZ-183).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.timezone import now

from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.lean import plan_of
from taper.web.clinic.models import DoseMark, DoseTaken, Patient, PlanVersion, Status, User


def _may_record(user: User, patient: Patient) -> bool:
    from taper.web.carers.services import may_act_for

    return (patient.user_id == user.pk or (patient.clinician_id is not None
                                           and patient.clinician_id == user.pk)
            or may_act_for(user, patient))  # a carer the patient invited (HZ-191)


def _active(patient: Patient) -> PlanVersion:
    version = PlanVersion.objects.filter(plan__patient=patient, status=Status.ACTIVE).first()
    if version is None:
        raise ServiceError("", "there is no active plan")
    return version


def _local_now(patient: Patient, at: datetime | None) -> datetime:
    return (at or now()).astimezone(ZoneInfo(patient.timezone))


@transaction.atomic
@audited("mark_dose", actor="recorded_by")
def mark_dose(*, patient: Patient, recorded_by: User, day: date, at: time,
              mark: str = DoseMark.TAKEN, moment: datetime | None = None) -> DoseTaken:
    """Mark one scheduled dose; marking it again with another word replaces the mark."""
    from taper.core.monitoring.checkin import scheduled_times

    if not _may_record(recorded_by, patient):
        raise ServiceError("", "only the patient, their clinician or their carer can mark a dose")
    if mark not in DoseMark.values:
        raise ServiceError("mark", "must be taken, late or skipped")
    version = _active(patient)
    local = _local_now(patient, moment)
    if day > local.date():
        raise ServiceError("date", "a dose can only be marked on or after its day")
    if at not in scheduled_times(plan_of(version), day):
        raise ServiceError("time", f"{at:%H:%M} is not a dose time of your plan that day")
    if day == local.date() and at > local.time():
        raise ServiceError("time", f"the {at:%H:%M} dose can be marked from {at:%H:%M}")
    record, created = DoseTaken.objects.select_for_update().get_or_create(
        patient=patient, date=day, time=at,
        defaults={"version": version, "recorded_by": recorded_by, "mark": mark})
    if not created and record.mark != mark:
        record.mark, record.recorded_by, record.recorded_at = mark, recorded_by, now()
        record.save(update_fields=["mark", "recorded_by", "recorded_at"])
    return record


@transaction.atomic
@audited("undo_dose_mark", actor="recorded_by")
def undo_dose_mark(*, patient: Patient, recorded_by: User, day: date, at: time,
                   moment: datetime | None = None) -> Patient:
    """Take back a dose marked today (a slip of the thumb); earlier days' marks stay."""
    if not _may_record(recorded_by, patient):
        raise ServiceError("", "only the patient, their clinician or their carer can undo a mark")
    if day != _local_now(patient, moment).date():
        raise ServiceError("date", "a dose mark can only be undone on its own day")
    deleted, _ = DoseTaken.objects.filter(patient=patient, date=day, time=at).delete()
    if not deleted:
        raise ServiceError("time", f"the {at:%H:%M} dose has no mark to undo")
    return patient


def taken_times(patient: Patient, day: date) -> set[time]:
    """The day's doses taken, on time or late (a skipped dose is a missed dose)."""
    return {m.time for m in patient.doses_taken.filter(date=day) if m.was_taken}
