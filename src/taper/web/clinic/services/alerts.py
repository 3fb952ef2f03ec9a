"""Alerts to the patient's clinician: in the app (`Alert` rows) and by e-mail, once per event.

Raised by `record_checkin` (a red flag, a `contact_prescriber` decision) and by
`taper sendalerts` (missed check-ins, red flags not acknowledged in time). An event has a
unique key, so a retried or amended check-in, or a second run of the command, raises
nothing new. E-mails leave only after the transaction that raised them commits (a
check-in's from a sender thread, so the patient never waits for the mail server), and each
is claimed before it is sent, so two senders (the sender thread and the command, or the
command on two machines) never both send it. Someone planning alone has no clinician: no alert.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.timezone import now as current_time

from taper.web.clinic import background
from taper.web.clinic.audit import chain, trail
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import local_today
from taper.web.clinic.models import (
    Alert,
    AlertKind,
    AuditAction,
    CheckIn,
    Decision,
    PlanVersion,
    Status,
)
from taper.web.clinic.services.desk import FLAGGED  # the partial index's literal condition

log = logging.getLogger(__name__)

# Policy, not clinical fact: a red flag is an emergency and the patient is told to call
# emergency services at once, so the clinician's acknowledgement is a safety net, not the
# first response; 4 hours is half a working shift, enough for someone in clinic to have
# seen the list, short enough that an unseen red flag is chased the same day.
ACKNOWLEDGE_WITHIN = timedelta(hours=4)
# A claimed e-mail not marked sent after this long is taken as abandoned (the sender died)
# and may be sent again; far longer than the SMTP timeout (settings.EMAIL_TIMEOUT).
CLAIM_LEASE = timedelta(minutes=15)
SUBJECT = "Taper: a patient needs your attention"  # never a name, a drug or a symptom (HZ-111)
_URGENT = {AlertKind.RED_FLAG, AlertKind.OVERDUE_ACK}
_FOR_ACTION = {"emergency": AlertKind.RED_FLAG, "contact_prescriber": AlertKind.CONTACT_PRESCRIBER}


@dataclass(frozen=True)
class Summary:
    """What one run of `send_due_alerts` did."""

    missed_checkin: int
    overdue_ack: int
    sent: int
    failed: int

    def line(self) -> str:
        return (f"{self.missed_checkin} missed check-in and {self.overdue_ack} overdue "
                f"acknowledgement alert(s) raised; {self.sent} e-mail(s) sent, {self.failed} failed")


def raise_for_decision(decision: Decision) -> Alert | None:
    """The alert a decision calls for (inside `record_checkin`'s transaction), sent on commit.

    One per kind per patient-day: an amendment or a retry on the same day is the same event.
    """
    kind = _FOR_ACTION.get(decision.action)
    patient = decision.patient
    if kind is None or patient.clinician_id is None:
        return None
    alert, made = Alert.objects.get_or_create(
        key=f"{kind}:{patient.pk}:{decision.today.isoformat()}",
        defaults={"patient": patient, "recipient_id": patient.clinician_id, "kind": kind,
                  "decision": decision})
    if made:
        # robust: a failure to hand over or send is logged and left to `taper sendalerts`;
        # the patient's check-in, already committed, still answers.
        transaction.on_commit(lambda: send_after_commit(alert.pk), robust=True)
    return alert


def send_after_commit(alert_id: int) -> None:
    """E-mail a just-committed alert: handed to this process's sender thread (the default,
    so the patient's answer never waits for the mail server, HZ-118), or at once in the
    request (settings.ALERT_EMAIL "request"). Whatever is not sent, because the queue is
    full or the process ends first, stays unsent for `taper sendalerts` (HZ-117).
    """
    if settings.ALERT_EMAIL == "request":
        deliver(ids=[alert_id])
    elif not sender.submit(alert_id):
        log.warning("alert %s: the background sender is full; taper sendalerts sends it", alert_id)


def _deliver_one(alert_id: int) -> None:
    deliver(ids=[alert_id], via="sender")  # its audit row: no request, and not the command


# Alerts are rare (one per kind per patient-day); the bound only keeps a mail server that
# hangs on every message from piling up memory. A full queue leaves alerts to the command.
sender: background.Worker[int] = background.Worker("taper-alert-sender", _deliver_one, maxsize=1000)


@transaction.atomic
@audited("raise_due_alerts", actor=None)
def raise_due_alerts(*, now: datetime) -> list[Alert]:
    """Missed check-ins and red flags not acknowledged in time, each event raised once."""
    return [*_missed_checkins(now), *_overdue_acknowledgements(now)]


def _raise(patient_id: int, recipient_id: int, kind: str, key: str,
           decision_id: int | None = None) -> Alert | None:
    alert, made = Alert.objects.get_or_create(
        key=key, defaults={"patient_id": patient_id, "recipient_id": recipient_id, "kind": kind,
                           "decision_id": decision_id})
    return alert if made else None


def _missed_checkins(now: datetime) -> Iterable[Alert]:
    """A patient with a plan in force and no check-in for the plan's number of days.

    The event is "no check-in since <last day>": one alert until they check in again.
    """
    active = (PlanVersion.objects.filter(status=Status.ACTIVE, plan__patient__clinician__isnull=False)
              .values_list("plan__patient_id", "plan__patient__clinician_id",
                           "plan__patient__timezone", "plan__missed_checkin_days",
                           "start_date"))  # derived at creation (services/versions.py)
    last = dict(CheckIn.objects.filter(patient__clinician__isnull=False).values("patient_id")
                .annotate(last=Max("date")).values_list("patient_id", "last"))
    for patient_id, clinician_id, zone, days, start in active:
        today = local_today(zone, now)
        if start is None:  # stored with every version (services/versions.py): never None here
            raise ValueError(f"the active plan of patient {patient_id} has no start date")
        seen = last.get(patient_id) or start - timedelta(days=1)
        if start <= today and (today - seen).days >= days:
            alert = _raise(patient_id, clinician_id, AlertKind.MISSED_CHECKIN,
                           f"missed_checkin:{patient_id}:{seen.isoformat()}")
            if alert is not None:
                yield alert


def _overdue_acknowledgements(now: datetime) -> Iterable[Alert]:
    """Per patient, the oldest red flag still unacknowledged after ACKNOWLEDGE_WITHIN."""
    found = (Decision.objects.filter(FLAGGED, action="emergency", acknowledged_at__isnull=True,
                                     created_at__lte=now - ACKNOWLEDGE_WITHIN,
                                     patient__clinician__isnull=False)
             .order_by("patient_id", "created_at", "id")
             .values_list("pk", "patient_id", "patient__clinician_id"))
    done: set[int] = set()
    for decision_id, patient_id, clinician_id in found:
        if patient_id in done:
            continue
        done.add(patient_id)
        alert = _raise(patient_id, clinician_id, AlertKind.OVERDUE_ACK,
                       f"overdue_ack:{decision_id}", decision_id)
        if alert is not None:
            yield alert


def _claim(ids: list[int] | None, now: datetime) -> list[Alert]:
    """Take unsent alerts for sending, in a short transaction of its own.

    PostgreSQL: rows another sender has locked are skipped (`skip_locked`), and a row it
    has claimed fails the `claimed_at` test once its transaction commits. SQLite: the
    write transaction is IMMEDIATE, so two claimers run one after the other (HZ-110).
    """
    with transaction.atomic():
        free = Alert.objects.filter(sent_at__isnull=True).exclude(claimed_at__gt=now - CLAIM_LEASE)
        if ids is not None:
            free = free.filter(pk__in=ids)
        # of=self: lock the alert rows only, not the recipient's account row joined in.
        claimed = list(free.select_for_update(skip_locked=True, of=("self",))
                       .select_related("recipient").order_by("created_at", "id"))
        for alert in claimed:
            alert.claimed_at, alert.attempts = now, alert.attempts + 1
            alert.save(update_fields=["claimed_at", "attempts"])
    return claimed


def message(alert: Alert) -> tuple[str, str]:
    """The subject and body: a link and a few words, no name and no health detail (HZ-111)."""
    if alert.decision_id is not None:
        path = reverse("decision_detail", args=[alert.decision_id])
    else:
        path = reverse("patient_detail", args=[alert.patient_id])
    urgency = "It is urgent.\n\n" if alert.kind in _URGENT else ""
    body = (f"Someone in your care in Taper needs your attention. {urgency}"
            f"Log in to see who and why:\n{settings.SITE_URL}{path}\n\n"
            "This e-mail leaves out names and health details on purpose.\n")
    return SUBJECT, body


def _send(alert: Alert, via: str = "") -> bool:
    subject, body = message(alert)
    try:
        send_mail(subject, body, None, [alert.recipient.email], fail_silently=False)
    except Exception:  # any mail failure: keep the alert unsent for the next run
        log.exception("alert %s: the e-mail could not be sent; taper sendalerts retries it", alert.pk)
        Alert.objects.filter(pk=alert.pk, sent_at__isnull=True).update(claimed_at=None)
        return False
    with transaction.atomic():
        chain.hold()  # the audit chain's lock first, as every writer takes it (chain.hold)
        Alert.objects.filter(pk=alert.pk).update(sent_at=current_time())
        trail.record(AuditAction.CHANGE, "alert_sent", record_type="alert", record_id=alert.pk,
                     patient_id=alert.patient_id, via=via)
    return True


def deliver(*, ids: list[int] | None = None, now: datetime | None = None,
            via: str = "") -> tuple[int, int]:
    """Send the unsent alerts (or those of `ids`) that no one else is sending: (sent, failed).

    `via` names the sender in the audit rows when it is neither a request nor the command.
    """
    sent = failed = 0
    for alert in _claim(ids, now or current_time()):
        if _send(alert, via):
            sent += 1
        else:
            failed += 1
    return sent, failed


def send_due_alerts(now: datetime | None = None) -> Summary:
    """`taper sendalerts`: raise what is due, then send every alert not yet sent."""
    now = now or current_time()
    raised = raise_due_alerts(now=now)
    sent, failed = deliver(now=now)
    return Summary(sum(a.kind == AlertKind.MISSED_CHECKIN for a in raised),
                   sum(a.kind == AlertKind.OVERDUE_ACK for a in raised), sent, failed)


def alerts_for(clinician_id: int) -> list[Alert]:
    """The clinician's alerts, newest first (the in-app list)."""
    return list(Alert.objects.filter(recipient_id=clinician_id).select_related("patient")[:200])

