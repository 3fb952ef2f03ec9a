"""Inviting a carer, accepting, revoking, and who may act for whom (issue 14 item 9).

The invitation works as the patient's own does (clinic/services/people.py): a random token
shown once, only its SHA-256 kept, valid INVITATION_DAYS. Each change is one transaction
with its audit row (trail.record, after the chain's lock).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.timezone import now

from taper.web.carers.models import CarerLink
from taper.web.clinic.audit import chain, trail
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import AuditAction, Patient, Role, User

MAX_NAME = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _audit(event: str, link: CarerLink, actor: User | None) -> None:
    trail.record(AuditAction.CHANGE, event, actor=actor, record_type="carer_link",
                 record_id=link.pk, patient_id=link.patient_id)


def _carer_account(email: str) -> User:
    """The carer's account: a new one (no password until the link is used), or the
    existing carer's own; an address already used by a patient or a clinician is refused."""
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ServiceError("email", "must be an email address such as name@example.org") from None
    found = User.objects.filter(email__iexact=address).first()
    if found is None:
        return User.objects.create_user(address, None, role=Role.CARER)
    if found.role != Role.CARER or not found.is_active:
        raise ServiceError("email", "already has a Taper account of another kind; "
                                    "use another address")
    return found


@transaction.atomic
def invite_carer(*, patient: Patient, actor: User, name: str, email: str,
                 may_message: bool = False, at: datetime | None = None) -> tuple[CarerLink, str]:
    """A carer for `patient`, invited by the patient; the token to show once and mail."""
    chain.hold()
    if actor.pk != patient.user_id:
        raise ServiceError("", "only the patient can invite a carer")
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ServiceError("name", f"required, at most {MAX_NAME} characters")
    carer = _carer_account(email)
    if CarerLink.objects.filter(patient=patient, carer=carer, revoked_at__isnull=True).exists():
        raise ServiceError("email", "is already invited or helping you")
    token = secrets.token_urlsafe(32)
    issued = at or now()
    try:
        with transaction.atomic():
            link = CarerLink.objects.create(
                patient=patient, carer=carer, name=name, may_message=may_message,
                token_hash=_hash(token), invited_at=issued, invited_by=actor,
                expires_at=issued + timedelta(days=settings.INVITATION_DAYS))
    except IntegrityError:  # a second invitation racing this one
        raise ServiceError("email", "is already invited or helping you") from None
    _audit("invite_carer", link, actor)
    return link, token


def find_invitation(token: str, at: datetime | None = None) -> CarerLink | None:
    """The carer link a token opens, if unused, not expired and not revoked."""
    if not token or len(token) > 100:
        return None
    return (CarerLink.objects.select_related("carer", "patient")
            .filter(token_hash=_hash(token), accepted_at__isnull=True, revoked_at__isnull=True,
                    expires_at__gt=at or now(), carer__is_active=True).first())


@transaction.atomic
def accept_invitation(*, token: str, password: str | None = None,
                      user: User | None = None) -> User:
    """A new carer sets a password; a carer already in Taper accepts while logged in."""
    chain.hold()
    link = find_invitation(token)
    if link is None:
        raise ServiceError("token", "this link has expired or has been used; "
                                    "ask the person who invited you for a new link")
    CarerLink.objects.select_for_update().filter(pk=link.pk).first()
    carer = link.carer
    if carer.has_usable_password():
        if user is None or user.pk != carer.pk:
            raise ServiceError("", "log in as the person this invitation is for, then "
                                   "open the link again")
    else:
        try:
            validate_password(password or "", carer)
        except ValidationError as exc:
            raise ServiceError("password", " ".join(exc.messages)) from None
        carer.set_password(password)
        carer.save(update_fields=["password"])
    link.accepted_at = now()
    link.save(update_fields=["accepted_at"])
    _audit("accept_carer_invitation", link, carer)
    return carer


@transaction.atomic
def revoke_carer(*, patient: Patient, actor: User, link_id: int) -> CarerLink:
    """The patient ends a carer's access at once (an invitation not yet used, too)."""
    chain.hold()
    if actor.pk != patient.user_id:
        raise ServiceError("", "only the patient can end a carer's access")
    link = CarerLink.objects.select_for_update().filter(
        pk=link_id, patient=patient, revoked_at__isnull=True).first()
    if link is None:
        raise ServiceError("carer", "no such carer, or their access has already ended")
    link.revoked_at, link.revoked_by = now(), actor
    link.save(update_fields=["revoked_at", "revoked_by"])
    _audit("revoke_carer", link, actor)
    return link


@transaction.atomic
def set_carer_messages(*, patient: Patient, actor: User, link_id: int,
                       allow: bool) -> CarerLink:
    """The patient lets a carer read and write their messages to the clinic, or stops it."""
    chain.hold()
    if actor.pk != patient.user_id:
        raise ServiceError("", "only the patient can decide who reads their messages")
    link = CarerLink.objects.select_for_update().filter(
        pk=link_id, patient=patient, revoked_at__isnull=True).first()
    if link is None:
        raise ServiceError("carer", "no such carer, or their access has already ended")
    link.may_message = allow
    link.save(update_fields=["may_message"])
    _audit("allow_carer_messages" if allow else "stop_carer_messages", link, actor)
    return link


def live_links(carer: User) -> list[CarerLink]:
    """The patients this carer helps now (accepted, not revoked)."""
    if carer.role != Role.CARER or not carer.is_active:
        return []
    return list(CarerLink.objects.select_related("patient").filter(
        carer=carer, accepted_at__isnull=False, revoked_at__isnull=True).order_by("patient__name"))


def live_link(carer: User, patient: Patient | int) -> CarerLink | None:
    patient_id = patient if isinstance(patient, int) else patient.pk
    if carer.role != Role.CARER or not carer.is_active:
        return None
    return CarerLink.objects.filter(carer=carer, patient_id=patient_id, accepted_at__isnull=False,
                                    revoked_at__isnull=True).first()


def may_act_for(user: User, patient: Patient) -> bool:
    """A carer with a live link to this patient (check-ins and dose marks on their behalf)."""
    return live_link(user, patient) is not None


def may_message_for(user: User, patient: Patient) -> bool:
    """A carer the patient allowed to read and write their messages to the clinic."""
    link = live_link(user, patient)
    return link is not None and link.may_message


def carer_names(patient: Patient) -> dict[int, str]:
    """Every carer who ever helped this patient, by user id, with the name the patient gave."""
    return dict(CarerLink.objects.filter(patient=patient).order_by("invited_at")
                .values_list("carer_id", "name"))


def links_of(patient: Patient) -> list[CarerLink]:
    """The patient's carers and invitations, live and ended, newest first."""
    return list(CarerLink.objects.filter(patient=patient))
