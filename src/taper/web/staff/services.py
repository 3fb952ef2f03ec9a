"""Account management (issue 15.4). Each service is one transaction, takes keyword
arguments, checks who acts, and leaves an audit row (audit.trail) in the same transaction."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils.timezone import now

from taper.web.clinic.audit import chain, trail
from taper.web.clinic.audit.trail import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import (
    ApiToken,
    AuditAction,
    CalendarFeed,
    Invitation,
    Patient,
    Role,
    User,
)
from taper.web.clinic.services.people import invite
from taper.web.staff.models import LinkRequest

EMAIL_MAX = 254


def may_reinvite(actor: User, user: User) -> bool:
    """An administrator for anyone; a clinician for their own patients."""
    if actor.role == Role.ADMIN:
        return True
    patient = Patient.objects.filter(user=user).first()
    return actor.role == Role.CLINICIAN and patient is not None and patient.clinician_id == actor.pk


@transaction.atomic
@audited("reissue_invitation", actor="actor", subject="user")
def reissue_invitation(*, user: User, actor: User) -> str:
    """A new one-time link for someone who has not set a password yet; earlier links stop."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not may_reinvite(actor, user):
        raise ServiceError("", "only an administrator or the patient's clinician can do this")
    if not user.is_active:
        raise ServiceError("", "this account is deactivated; reactivate it first")
    if user.has_usable_password():
        raise ServiceError("", "this person has already set a password; they can reset it "
                               "from the login page")
    Invitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now()).update(
        expires_at=now())
    return invite(user=user, created_by=actor)


def pending_for(user: User) -> QuerySet[LinkRequest]:
    """The requests waiting for this person's answer (a solo patient's), newest first."""
    return LinkRequest.objects.filter(patient__user=user, patient__clinician__isnull=True,
                                      decided_at__isnull=True, clinician__is_active=True
                                      ).select_related("clinician")


@transaction.atomic
def request_link(*, clinician: User, email: str) -> LinkRequest | None:
    """Ask to follow the person planning alone with this address. None when there is no such
    person: the answer the clinician sees is the same either way (no account is revealed)."""
    chain.hold()
    if clinician.role != Role.CLINICIAN or not clinician.is_active:
        raise ServiceError("", "only a clinician can ask to follow a patient")
    address = email.strip().lower()
    if not address or len(address) > EMAIL_MAX:
        raise ServiceError("email", f"an email address of at most {EMAIL_MAX} characters")
    try:
        validate_email(address)
    except Exception:  # django's ValidationError: the field's message below
        raise ServiceError("email", "must be an email address such as name@example.org") from None
    patient = Patient.objects.filter(user__email__iexact=address, clinician__isnull=True,
                                     user__is_active=True, user__role=Role.PATIENT).first()
    if patient is None:
        return None  # nothing changed: the page's request is the audit row ("attempt")
    found = LinkRequest.objects.filter(patient=patient, clinician=clinician,
                                       decided_at__isnull=True).first()
    if found is not None:
        return found
    made = LinkRequest.objects.create(patient=patient, clinician=clinician)
    trail.record(AuditAction.CHANGE, "request_link", actor=clinician,
                 record_type="link_request", record_id=made.pk, patient_id=patient.pk)
    return made


@transaction.atomic
def answer_link(*, link: LinkRequest, person: User, accept: bool) -> LinkRequest:
    """The person accepts (their clinician from now on) or declines a clinician's request."""
    chain.hold()
    link = LinkRequest.objects.select_for_update().select_related("patient", "clinician").get(
        pk=link.pk)
    patient = Patient.objects.select_for_update().get(pk=link.patient_id)
    if patient.user_id != person.pk:
        raise ServiceError("", "only the person asked can answer")
    if link.decided_at is not None:
        raise ServiceError("", "this request has already been answered")
    if accept and patient.clinician_id is not None:
        raise ServiceError("", "you already have a clinician")
    if accept and not link.clinician.is_active:
        raise ServiceError("", "this clinician's account is no longer active")
    link.decided_at, link.accepted = now(), accept
    link.save(update_fields=["decided_at", "accepted"])
    if accept:
        patient.clinician = link.clinician
        patient.save(update_fields=["clinician"])
        LinkRequest.objects.filter(patient=patient, decided_at__isnull=True).update(
            decided_at=link.decided_at, accepted=False)  # one clinician: the others lapse
    trail.record(AuditAction.CHANGE, "accept_link" if accept else "decline_link", actor=person,
                 record_type="link_request", record_id=link.pk, patient_id=patient.pk)
    return link


def _end_sessions(user: User) -> int:
    """Delete the user's sessions (the backend also refuses an inactive user's session)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=now()).iterator(chunk_size=500):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
@audited("deactivate_account", actor="actor", subject="user")
def deactivate(*, user: User, actor: User) -> User:
    """The account stops at once: its sessions, API tokens, calendar feeds and invitations."""
    if actor.role != Role.ADMIN:
        raise ServiceError("", "only an administrator can deactivate an account")
    if user.pk == actor.pk:
        raise ServiceError("", "you cannot deactivate your own account")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.role == Role.CLINICIAN and user.patients.exists():
        raise ServiceError("", "this clinician still has patients: move them to another "
                               "clinician first")
    if not user.is_active:
        raise ServiceError("", "this account is already deactivated")
    user.is_active = False
    user.save(update_fields=["is_active"])
    at = now()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=at)
    CalendarFeed.objects.filter(patient__user=user, revoked_at__isnull=True).update(
        revoked_at=at, revoked_by=actor)
    Invitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=at).update(
        expires_at=at)
    _end_sessions(user)
    return user


@transaction.atomic
@audited("reactivate_account", actor="actor", subject="user")
def reactivate(*, user: User, actor: User) -> User:
    """Let the person log in again (tokens and calendar links stay revoked: make new ones)."""
    if actor.role != Role.ADMIN:
        raise ServiceError("", "only an administrator can reactivate an account")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ServiceError("", "this account is already active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
@audited("move_patient", actor="actor")
def move_patient(*, patient: Patient, to: User, actor: User) -> Patient:
    """An administrator moves a clinic patient to another active clinician."""
    if actor.role != Role.ADMIN:
        raise ServiceError("", "only an administrator can move patients")
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.clinician_id is None:
        raise ServiceError("clinician", "this person plans alone: a clinician asks to follow "
                                        "them instead, and they accept")
    to = User.objects.select_for_update().get(pk=to.pk)  # as it is now, not as it was read
    if to.role != Role.CLINICIAN or not to.is_active:
        raise ServiceError("clinician", "choose an active clinician")
    if to.pk == patient.clinician_id:
        raise ServiceError("clinician", "this is already the patient's clinician")
    patient.clinician = to
    patient.save(update_fields=["clinician"])
    return patient
