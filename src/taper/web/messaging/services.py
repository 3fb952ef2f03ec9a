"""Writing, reading and counting secure messages (issue 15 item 5).

Who may write in a patient's thread: the patient; their clinician; a carer the patient
allowed (carers/services.may_message_for). Someone planning alone has no clinic to write
to. The e-mail notice holds no content, only that there is a message and a link (HZ-193).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.timezone import now
from django.utils.translation import gettext as _

from taper.web.carers.services import may_message_for
from taper.web.clinic.audit import chain, trail
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import AuditAction, Patient, Role, User
from taper.web.messaging.models import MAX_LENGTH, Message


def is_clinic_side(user: User, patient: Patient) -> bool:
    return (user.role == Role.CLINICIAN and patient.clinician_id is not None
            and patient.clinician_id == user.pk)


def may_use_thread(user: User, patient: Patient) -> bool:
    """The patient, their clinician, or a carer the patient allowed; never a solo record."""
    if patient.clinician_id is None or not user.is_active:
        return False
    return (patient.user_id == user.pk or is_clinic_side(user, patient)
            or may_message_for(user, patient))


def clean_body(body: object) -> str:
    """Plain text, 1 to MAX_LENGTH characters after trimming; bounded before any lock."""
    if not isinstance(body, str):
        raise ServiceError("body", "must be text")
    text = body.replace("\r\n", "\n").strip()
    if not text:
        raise ServiceError("body", "write a message first")
    if len(text) > MAX_LENGTH:
        raise ServiceError("body", f"at most {MAX_LENGTH:,} characters (this one has "
                                   f"{len(text):,})")
    if "\x00" in text:
        raise ServiceError("body", "must be plain text")
    return text


@transaction.atomic
def send_message(*, patient: Patient, author: User, body: str,
                 at: datetime | None = None) -> Message:
    """Store one message in the patient's thread and tell the other side (no content)."""
    text = clean_body(body)
    chain.hold()
    if not may_use_thread(author, patient):
        raise ServiceError("", "only the patient, their clinician or a carer they allowed "
                               "can write in this thread")
    message = Message.objects.create(patient=patient, author=author, body=text,
                                     from_clinic=is_clinic_side(author, patient),
                                     created_at=at or now())
    trail.record(AuditAction.CHANGE, "send_message", actor=author, record_type="message",
                 record_id=message.pk, patient_id=patient.pk)
    _notify(message)
    return message


def _notify(message: Message) -> None:
    """"You have a new message in Taper" and a link: never who wrote it or what it says."""
    patient = message.patient
    if message.from_clinic:
        address, path = patient.user.email, "/messages/"
    elif patient.clinician is not None:
        address, path = patient.clinician.email, f"/patients/{patient.pk}/messages/"
    else:  # pragma: no cover - may_use_thread refuses a record with no clinic
        return
    subject = _("You have a new message in Taper")
    body = _("You have a new message in Taper. Log in to read it:\n%(url)s\n") % {
        "url": f"{settings.SITE_URL}{path}"}
    transaction.on_commit(lambda: send_mail(subject, body, None, [address], fail_silently=True))


@transaction.atomic
def mark_read(*, patient: Patient, reader: User) -> int:
    """The reader has seen the other side's messages: each unread one gets who and when."""
    if not may_use_thread(reader, patient):
        raise ServiceError("", "not a participant of this thread")
    from_clinic = not is_clinic_side(reader, patient)
    unread = Message.objects.filter(patient=patient, from_clinic=from_clinic,
                                    read_at__isnull=True)
    last = unread.aggregate(m=Max("id"))["m"]
    if last is None:
        return 0
    chain.hold()
    count = unread.filter(pk__lte=last).update(read_at=now(), read_by=reader)
    trail.record(AuditAction.CHANGE, "read_messages", actor=reader, record_type="message",
                 record_id=last, patient_id=patient.pk)
    return count


def thread(patient: Patient, limit: int = 200) -> list[Message]:
    """The thread's latest `limit` messages, oldest first."""
    rows = (Message.objects.filter(patient=patient).select_related("author")
            .order_by("-created_at", "-id")[:limit])
    return list(reversed(rows))


def unread_for_clinician(clinician: User) -> int:
    """One small count: unread messages from the clinician's patients (the desk, the nav)."""
    return Message.objects.filter(patient__clinician=clinician, from_clinic=False,
                                  read_at__isnull=True).count()


def unread_for_patient(patient: Patient) -> int:
    """Unread messages from the clinic: the ORM's count, written once as SQL (every patient
    page's navigation asks it; clinic/lean.py). `read_at IS NULL` as a literal condition,
    so the partial index `message_unread` serves it."""
    from taper.web.clinic import lean

    found = lean.fetch('SELECT COUNT(*) FROM messaging_message WHERE "from_clinic"'
                       ' AND "patient_id" = %s AND "read_at" IS NULL', [patient.pk])
    return int(found[0][0])


@dataclass(frozen=True)
class ThreadRow:
    patient_id: int
    patient_name: str
    unread: int
    last_at: datetime


def inbox(clinician: User) -> list[ThreadRow]:
    """The clinician's threads, unread first, then the most recent."""
    rows = (Message.objects.filter(patient__clinician=clinician)
            .values("patient_id", "patient__name")
            .annotate(unread=Count("id", filter=Q(from_clinic=False, read_at__isnull=True)),
                      last_at=Max("created_at")))
    found = [ThreadRow(r["patient_id"], r["patient__name"], r["unread"], r["last_at"])
             for r in rows]
    return sorted(found, key=lambda r: (r.unread == 0, -r.last_at.timestamp()))
