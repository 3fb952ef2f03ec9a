"""Refill notices: a product the plan in force first needs soon (the diarist had to ask the
pharmacy in time for 10 mg and 5 mg tablets).

Read from the plan's own supply lines (`taper.core.supply`, stored with the plan JSON): no
new arithmetic on doses. A product first needed on the plan's first day is taken as one the
patient already has (the plan starts from what they take); only a product first needed
later is "new" (HZ-033).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from taper.core.plan import Plan
from taper.core.products import describe
from taper.web.clinic.lean import plan_of
from taper.web.clinic.models import Patient, PlanVersion, Status
from taper.web.clinic.services.followup import monitored_version


@dataclass(frozen=True)
class RefillNotice:
    """From `day` the plan uses `products` (plain words), which it has not used before."""

    day: date
    products: tuple[str, ...]


def notices_in(plan: Plan, today: date, days: int) -> list[RefillNotice]:
    """New products first needed after today and at most `days` days ahead, by day."""
    by_day: dict[date, list[str]] = {}
    for line in plan.supply:
        first = line.first_needed
        if plan.start_date < first and today < first <= today + timedelta(days=days):
            product = plan.product(line.product_id)
            by_day.setdefault(first, []).append(product.label or describe(product))
    return [RefillNotice(day, tuple(names)) for day, names in sorted(by_day.items())]


def refill_notices(patient: Patient, today: date, days: int,
                   shown: PlanVersion | None = None) -> list[RefillNotice]:
    """The notices of the patient's plan in force (none without one). `shown`: the version in
    force that the page already read (Today), so it is not read twice."""
    active = shown is not None and shown.patient_id == patient.pk and shown.status == Status.ACTIVE
    version = shown if active else monitored_version(patient, today)
    if version is None:
        return []
    return notices_in(plan_of(version), today, days)
