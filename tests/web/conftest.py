"""The cast for web tests (after healthchecks' Alice, Bob and Charlie)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from taper.web.accounts.policy import mfa_enrolled, mfa_required
from taper.web.clinic.models import Patient, PlanVersion, User
from tests.web import factories


@dataclass
class Cast:
    clinician: User  # the patient's clinician
    other_clinician: User
    patient: Patient  # with an active plan started 7 days ago
    other_patient: Patient  # the same clinician's other patient, with a plan of their own
    admin: User
    plan: PlanVersion
    other_plan: PlanVersion


@pytest.fixture
def cast(db: None) -> Cast:
    doctor = factories.clinician()
    other_doctor = factories.clinician("dr.okafor@example.org")
    sam = factories.patient(doctor)
    kim = factories.patient(doctor, "kim@example.org", "Kim Lee", "Europe/London")
    return Cast(doctor, other_doctor, sam, kim, factories.admin(),
                factories.active_plan(sam, doctor), factories.active_plan(kim, doctor))


def verify_second_factor(client: Client, user: User) -> None:
    """Mark the client's session as past the second factor, through django-otp's own session
    key, with a confirmed TOTP device of the user's (made if the user has none)."""
    if not (mfa_required(user) or mfa_enrolled(user)):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production settings require a second factor of clinicians and administrators; a test's
    `force_login` stands for the whole login, so it passes that step too. Tests of the second
    factor itself log in through the pages (tests/web/accounts)."""
    original = Client.force_login

    def force_login(self: Client, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)
@pytest.fixture
def every_dose_due(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today's doses all due, whatever the clock says: the pages' "now" is a day ahead, so
    marking any of today's doses is marking a past one (a mark is never ahead of the clock)."""
    from datetime import timedelta

    from django.utils import timezone

    from taper.web.clinic.views import patient as patient_views

    monkeypatch.setattr(patient_views, "now", lambda: timezone.now() + timedelta(days=1))
