"""Clinicians, patients, administrators and the one-time invitations that let patients in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.timezone import now

from taper.web.clinic.audit.trail import RESULT, audited
from taper.web.clinic.engine import ServiceError, valid_timezone
from taper.web.clinic.models import Invitation, Patient, Role, User


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _email(email: str) -> str:
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ServiceError("email", "must be an email address such as name@example.org") from None
    if User.objects.filter(email__iexact=address).exists():
        raise ServiceError("email", "already has an account")
    return address


def _person(name: str, zone: str) -> tuple[str, str]:
    if not name.strip():
        raise ServiceError("name", "required")
    if not valid_timezone(zone):
        raise ServiceError("timezone", f'{zone!r} is not a time zone; use a name like "Europe/London"')
    return name.strip(), zone


def _password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("password", " ".join(exc.messages)) from None


@transaction.atomic
@audited("invite", actor="created_by", subject="user")
def invite(*, user: User, created_by: User | None, at: datetime | None = None) -> str:
    """A new one-time link token for `user`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    issued = at or now()
    Invitation.objects.create(user=user, token_hash=_hash(token), created_by=created_by,
                              created_at=issued,
                              expires_at=issued + timedelta(days=settings.INVITATION_DAYS))
    return token


@transaction.atomic
@audited("create_patient", actor="clinician")
def create_patient(*, clinician: User, email: str, name: str, timezone: str) -> tuple[Patient, str]:
    """A patient of `clinician`, and the invitation token to show once."""
    if clinician.role != Role.CLINICIAN:
        raise ServiceError("clinician", "only a clinician can add patients")
    address = _email(email)
    name, timezone = _person(name, timezone)
    user = User.objects.create_user(address, None, role=Role.PATIENT)
    patient = Patient.objects.create(user=user, clinician=clinician, name=name,
                                     timezone=timezone, created_by=clinician)
    return patient, invite(user=user, created_by=clinician)


def find_invitation(token: str) -> Invitation | None:
    """The invitation for a token if it is unused and not expired."""
    return (Invitation.objects.select_related("user")
            .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=now(),
                    user__is_active=True).first())


@transaction.atomic
@audited("accept_invitation", actor=RESULT)
def accept_invitation(*, token: str, password: str) -> User:
    """Set the invitee's password; the link then no longer works."""
    invitation = find_invitation(token)
    if invitation is None:
        raise ServiceError("token", "this link has expired or has been used; ask for a new one")
    user = invitation.user
    _password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = now()
    invitation.save(update_fields=["used_at"])
    return user


@transaction.atomic
@audited("self_register", actor=RESULT)
def self_register(*, email: str, name: str, timezone: str, password: str) -> Patient:
    """Someone planning alone (only when TAPER_SELF_REGISTRATION is on); no prescriber yet."""
    if not settings.SELF_REGISTRATION:
        raise ServiceError("", "self-registration is not open on this site")
    address = _email(email)
    name, timezone = _person(name, timezone)
    user = User(email=address, role=Role.PATIENT)
    _password(password, user)
    user.set_password(password)
    user.save()
    return Patient.objects.create(user=user, clinician=None, name=name, timezone=timezone,
                                  created_by=user)


@transaction.atomic
@audited("add_user", actor=None)
def add_user(*, email: str, role: str, password: str, clinician_email: str | None = None,
             name: str = "", timezone: str = "UTC") -> User:
    """A user with a password (the `taper adduser` command); a patient may name a clinician."""
    if role not in Role.values:
        raise ServiceError("role", f"must be one of {', '.join(Role.values)}")
    address = _email(email)
    clinician = None
    if clinician_email is not None:
        if role != Role.PATIENT:
            raise ServiceError("clinician", "only a patient has a clinician")
        clinician = User.objects.filter(email__iexact=clinician_email.strip(),
                                        role=Role.CLINICIAN).first()
        if clinician is None:
            raise ServiceError("clinician", f"no clinician with the address {clinician_email!r}")
    user = User(email=address, role=role, is_superuser=role == Role.ADMIN)
    _password(password, user)
    user.set_password(password)
    user.save()
    if role == Role.PATIENT:
        patient_name, zone = _person(name or address.split("@")[0], timezone)
        Patient.objects.create(user=user, clinician=clinician, name=patient_name, timezone=zone,
                               created_by=clinician or user)
    return user
