"""A plan that needs a new product part-way: 20 mg tablets, then a 1 mg/mL liquid from the
plan's 16th day (the liquid only for what quarters of a tablet cannot make)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from taper.web.clinic import services
from taper.web.clinic.models import Patient, PlanVersion, User
from tests.web import factories

LIQUID_FROM_DAY = 15  # days after the start
LIQUID = "1 mg/mL oral solution"


def liquid_request(start: date, zone: str) -> dict[str, Any]:
    data = factories.diarist_request(start, zone)
    data["products"] = [
        {"id": "tab20", "form": "tablet", "strength_mg": "20", "divisible_into": 4,
         "label": "20 mg tablet, cut in quarters"},
        {"id": "liq", "form": "liquid", "mg_per_ml": "1", "measure_step_ml": "0.5",
         "min_volume_ml": "1", "label": LIQUID}]
    data["strategy"] = {"kind": "steps", "daily_mg": ["45", "30", "15", "6", "3"], "step_days": 5}
    return data


def liquid_plan(person: Patient, doctor: User, liquid_in_days: int) -> PlanVersion:
    """The plan in force, its liquid first needed `liquid_in_days` days after today."""
    start = factories.today_of(person) - timedelta(days=LIQUID_FROM_DAY - liquid_in_days)
    version = services.create_plan_draft(patient=person, author=doctor,
                                         request_data=liquid_request(start, person.timezone),
                                         today=start)
    services.approve_plan(version=version, clinician=doctor, note="Reviewed at clinic.")
    return services.activate(version=version, actor=doctor)


def local(person: Patient, hour: int, minute: int = 0, days: int = 0) -> datetime:
    """An instant: the patient's today (plus `days`) at hh:mm on their own clock."""
    day = factories.today_of(person) + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(person.timezone))
