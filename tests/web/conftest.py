"""The cast for web tests (after healthchecks' Alice, Bob and Charlie)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

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


@pytest.fixture
def every_dose_due(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today's doses all due, whatever the clock says: the pages' "now" is a day ahead, so
    marking any of today's doses is marking a past one (a mark is never ahead of the clock)."""
    from datetime import timedelta

    from django.utils import timezone

    from taper.web.clinic.views import patient as patient_views

    monkeypatch.setattr(patient_views, "now", lambda: timezone.now() + timedelta(days=1))
