"""The demo clinic for `taper serve --demo`: made once, through the services, clearly fake."""

from __future__ import annotations

import copy
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction

from taper.web.clinic import services
from taper.web.clinic.engine import local_today
from taper.web.clinic.models import Patient, User

DEMO_CLINICIAN = "demo.clinician@example.org"
# The forum diarist's taper (seed 003): 60 mg a day, 5 mg less every 5 days.
DIARIST: dict[str, Any] = {
    "drug": "baclofen",
    "start_date": "2026-12-01",
    "timezone": "America/New_York",
    "current_doses": [{"time": "08:00", "mg": "20"}, {"time": "14:00", "mg": "20"},
                      {"time": "20:00", "mg": "20"}],
    "products": [
        {"id": "tab20", "form": "tablet", "strength_mg": "20", "divisible_into": 4,
         "label": "20 mg tablet, cut in quarters"},
        {"id": "tab5", "form": "tablet", "strength_mg": "5", "divisible_into": 1,
         "label": "5 mg tablet, unscored"},
    ],
    "strategy": {"kind": "fixed_mg", "step_mg": "5", "step_days": 5},
    "reduce_order": ["14:00", "08:00", "20:00"],
}


def diarist_request(start: Any, timezone: str) -> dict[str, Any]:
    data = copy.deepcopy(DIARIST)
    data["start_date"], data["timezone"] = start.isoformat(), timezone
    return data


def _password() -> str:
    return f"demo-{secrets.token_urlsafe(9)}"


def _patient(doctor: User, email: str, name: str, zone: str, days_ago: int,
             accounts: list[tuple[str, str]]) -> Patient:
    patient, token = services.create_patient(clinician=doctor, email=email, name=name,
                                             timezone=zone)
    password = _password()
    services.accept_invitation(token=token, password=password)
    accounts.append((email, password))
    start = local_today(zone) - timedelta(days=days_ago)
    draft = services.create_plan_draft(patient=patient, author=doctor,
                                       request_data=diarist_request(start, zone), today=start)
    services.approve_plan(version=draft, clinician=doctor, note="Demo plan, reviewed in clinic.")
    services.activate(version=draft, actor=doctor)
    return patient


@transaction.atomic
def seed_demo() -> list[tuple[str, str]] | None:
    """Make the demo clinic and return (email, password) pairs; None if it already exists."""
    if User.objects.filter(email=DEMO_CLINICIAN).exists():
        return None
    accounts: list[tuple[str, str]] = []
    password = _password()
    doctor = services.add_user(email=DEMO_CLINICIAN, role="clinician", password=password)
    accounts.append((DEMO_CLINICIAN, password))
    quiet = _patient(doctor, "demo.sam@example.org", "Sam Demo", "America/New_York", 8, accounts)
    uneasy = _patient(doctor, "demo.kim@example.org", "Kim Demo", "Europe/London", 8, accounts)
    for patient, worse_today in ((quiet, False), (uneasy, True)):
        today = local_today(patient.timezone)
        for back in range(6, -1, -1):
            day = today - timedelta(days=back)
            symptoms = {"anxiety": 2, "insomnia": 1} if worse_today and back == 0 else {}
            services.record_checkin(
                patient=patient, entered_by=patient.user, today=day,
                data={"date": day.isoformat(), "symptoms": symptoms, "spasticity": 3,
                      "sleep_quality": 7, "note": "Demo check-in"})
    return accounts
