"""Creating plan versions, with the dates the desk reads derived from their plan JSON.

A version's plan JSON is written once and never edited (versions are immutable: a change is
a new version), so what is derived from it here when the version is created — its start and
stop dates and its dose changes (`DoseChange`) — cannot go stale. Every road that creates a
version goes through `create_version` or `create_versions` (migration 0006 filled the rows
made before it with `plan_dates`), so the columns always agree with the JSON;
tests/web/test_derived_plan_data.py compares them on every path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from taper.web.clinic.engine import dose_changes, stored_plan
from taper.web.clinic.models import DoseChange, PlanVersion


@dataclass(frozen=True)
class Change:
    """A day the daily dose changes; `reason` is what `engine.next_change` says of it."""

    position: int
    date: date
    reason: str


def plan_dates(data: dict[str, Any]) -> tuple[date, date | None, list[Change]]:
    """(start, stop or None, the dose changes) of a stored plan, read as the engine reads it.

    `engine.dose_changes`, numbered: every step (the first included: a plan that starts
    tomorrow changes the dose tomorrow), then the stop. Positions keep the plan's order, so
    the first change after a day is the one `next_change` names.
    """
    plan = stored_plan(data)
    changes = [Change(i, day, reason) for i, (day, reason) in enumerate(dose_changes(plan), 1)]
    return plan.start_date, plan.stop_date, changes


def _derive(version: PlanVersion) -> list[DoseChange]:
    """Set the version's dates and patient (unsaved) and return its dose changes (unsaved)."""
    version.patient_id = version.plan.patient_id
    version.start_date, version.stop_date, changes = plan_dates(version.plan_json)
    return [DoseChange(version=version, position=c.position, date=c.date, reason=c.reason)
            for c in changes]


@transaction.atomic
def create_version(**fields: Any) -> PlanVersion:
    """`PlanVersion.objects.create(**fields)` with its derived dates and dose changes."""
    version = PlanVersion(**fields)
    changes = _derive(version)
    version.save(force_insert=True)
    DoseChange.objects.bulk_create(changes)
    return version


@transaction.atomic
def create_versions(versions: Iterable[PlanVersion]) -> list[PlanVersion]:
    """Bulk-create unsaved versions (the benchmarks' seeding), then their dose changes."""
    versions = list(versions)
    changes = [_derive(v) for v in versions]
    created = PlanVersion.objects.bulk_create(versions)
    for version, rows in zip(created, changes, strict=True):
        for row in rows:
            row.version = version  # the primary key is known only now
    DoseChange.objects.bulk_create([row for rows in changes for row in rows], batch_size=2000)
    return created

