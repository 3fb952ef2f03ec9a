"""`taper sendreminders`: the patient's e-mail reminders, each sent exactly once.

Run from cron or a systemd timer every few minutes, on one machine or several at once. A
reminder is *claimed* before it is sent by inserting its `Reminder` row, unique per
(patient, kind, day), in a transaction of its own: of two senders, one inserts and the other
gets an IntegrityError and moves on (PostgreSQL waits for the first insert to commit;
SQLite's IMMEDIATE transactions run one after the other). A sender that dies between claim
and send leaves the row unsent; after CLAIM_LEASE another run takes it over with a
conditional UPDATE that only one sender can win (HZ-031). A failed send gives the claim
back, so the next run tries again while the reminder is still due.

The e-mails hold no health details: no dose, no medicine's name, no symptom (HZ-032).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import now as current_time

from taper.web.clinic.audit import chain, trail
from taper.web.clinic.engine import local_today
from taper.web.clinic.models import AuditAction, Patient, PlanVersion, Status
from taper.web.clinic.services.followup import monitored_version
from taper.web.reminders.models import Reminder, ReminderKind, ReminderSettings
from taper.web.reminders.refills import refill_notices
from taper.web.reminders.services import settings_for

log = logging.getLogger(__name__)

# Far longer than the SMTP timeout (settings.EMAIL_TIMEOUT): a claim this old whose e-mail
# was never marked sent belongs to a sender that died.
CLAIM_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class Due:
    patient: Patient
    kind: str
    day: date


@dataclass(frozen=True)
class Summary:
    checkin: int
    refill: int
    failed: int

    def line(self) -> str:
        return (f"{self.checkin} check-in and {self.refill} refill reminder(s) sent, "
                f"{self.failed} failed")


def _checkins_due(now: datetime) -> Iterator[Due]:
    """Patients who asked for it, whose chosen time has come today and who have not checked in."""
    chosen = (ReminderSettings.objects.filter(checkin_email=True, patient__user__is_active=True)
              .select_related("patient__user"))
    for row in chosen:
        patient = row.patient
        local = now.astimezone(ZoneInfo(patient.timezone))
        today = local.date()
        if (local.time() >= row.checkin_time and monitored_version(patient, today) is not None
                and not patient.checkins.filter(date=today).exists()):
            yield Due(patient, ReminderKind.CHECKIN, today)


def _refills_due(now: datetime) -> Iterator[Due]:
    """Patients with a plan in force that first needs a new product within their lead time."""
    ids = (PlanVersion.objects.filter(status__in=[Status.ACTIVE, Status.COMPLETED],
                                      plan__patient__user__is_active=True)
           .values_list("plan__patient_id", flat=True).distinct())
    for patient in Patient.objects.filter(pk__in=list(ids)).select_related("user"):
        row = settings_for(patient)
        if not row.refill_email:
            continue
        for notice in refill_notices(patient, local_today(patient.timezone, now), row.refill_days):
            yield Due(patient, ReminderKind.REFILL, notice.day)


def _claim(due: Due, now: datetime) -> Reminder | None:
    """The reminder's row, now ours; None when another sender has it or it was sent."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(patient=due.patient, kind=due.kind, day=due.day,
                                           claimed_at=now)
    except IntegrityError:
        pass
    mine = (Reminder.objects.filter(patient=due.patient, kind=due.kind, day=due.day,
                                    sent_at__isnull=True, claimed_at__lt=now - CLAIM_LEASE)
            .update(claimed_at=now, attempts=F("attempts") + 1))
    if not mine:
        return None
    return Reminder.objects.get(patient=due.patient, kind=due.kind, day=due.day)


def message(due: Due) -> tuple[str, str]:
    """The subject and body, from the templates: a link and a few words, no health detail."""
    context = {"day": due.day, "site": settings.SITE_URL,
               "checkin_url": settings.SITE_URL + reverse("checkin"),
               "today_url": settings.SITE_URL + reverse("today"),
               "settings_url": settings.SITE_URL + reverse("patient_preferences"),
               "at": settings_for(due.patient).checkin_time}
    name = f"reminders/email/{due.kind}"
    subject = render_to_string(f"{name}_subject.txt", context).strip()
    return " ".join(subject.split()), render_to_string(f"{name}.txt", context)


def _language_of(patient: Patient) -> str:
    """The patient's language when the account has one (issue 14.8 adds it), else the site's."""
    chosen = getattr(patient, "language", "") or getattr(patient.user, "language", "")
    return str(chosen or settings.LANGUAGE_CODE)


def _send(reminder: Reminder, due: Due) -> bool:
    with translation.override(_language_of(due.patient)):
        subject, body = message(due)
    try:
        send_mail(subject, body, None, [due.patient.user.email], fail_silently=False)
    except Exception:  # any mail failure: give the claim back for the next run
        log.exception("reminder %s: the e-mail could not be sent; the next run retries", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).delete()
        return False
    with transaction.atomic():
        chain.hold()  # the audit chain's lock first, as every writer takes it
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=current_time())
        trail.record(AuditAction.CHANGE, "reminder_sent", record_type="reminder",
                     record_id=reminder.pk, patient_id=due.patient.pk)
    return True


def send_due_reminders(now: datetime | None = None) -> Summary:
    """Send every reminder due now that no one has sent or is sending."""
    now = now or current_time()
    sent = {ReminderKind.CHECKIN: 0, ReminderKind.REFILL: 0}
    failed = 0
    for due in [*_checkins_due(now), *_refills_due(now)]:
        reminder = _claim(due, now)
        if reminder is None:
            continue
        if _send(reminder, due):
            sent[ReminderKind(due.kind)] += 1
        else:
            failed += 1
    return Summary(sent[ReminderKind.CHECKIN], sent[ReminderKind.REFILL], failed)
