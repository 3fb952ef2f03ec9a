"""Creating plan versions, with the dates the desk reads derived from their plan JSON.

A version's plan JSON is written once and never edited (versions are immutable: a change is
a new version), so what is derived from it here when the version is created — its start and
stop dates and its dose changes (`DoseChange`) — cannot go stale. Every road that creates a
version goes through `create_version` or `create_versions` (or, for rows made another way,
`fill_derived`), so the columns always agree with the JSON; tests/web/test_derived_plan_data.py
compares them on every path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from taper.web.clinic.engine import stored_plan
from taper.web.clinic.models import DoseChange, PlanVersion

STOP_REASON = "no more doses (the plan stops)"  # engine.next_change's words for the stop


@dataclass(frozen=True)
class Change:
    """A day the daily dose changes; `reason` is what `engine.next_change` says of it."""

    position: int
    date: date
    daily_mg: str  # exact decimal text
    reason: str


def plan_dates(data: dict[str, Any]) -> tuple[date, date | None, list[Change]]:
    """(start, stop or None, the dose changes) of a stored plan, read as the engine reads it.

    One change per step, the first included (a plan that starts tomorrow changes the dose
    tomorrow, as `next_change` says), then the stop. Positions keep the plan's order, so the
    first change after a day is the one `next_change` names.
    """
    from taper.core.amounts import decimal_str
    from taper.exports.words import mg_words

    plan = stored_plan(data)
    changes = [Change(i, step.start_date, decimal_str(step.daily_mg),
                      f"{mg_words(step.daily_mg)} a day")
               for i, step in enumerate(plan.steps, start=1)]
    if plan.stop_date is not None:
        changes.append(Change(len(changes) + 1, plan.stop_date, "0", STOP_REASON))
    return plan.start_date, plan.stop_date, changes


def _derive(version: PlanVersion) -> list[DoseChange]:
    """Set the version's dates (unsaved) and return its dose changes (unsaved)."""
    version.start_date, version.stop_date, changes = plan_dates(version.plan_json)
    return [DoseChange(version=version, position=c.position, date=c.date, daily_mg=c.daily_mg,
                       reason=c.reason) for c in changes]


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


@transaction.atomic
def fill_derived(versions: Sequence[PlanVersion]) -> None:
    """Derive the columns of versions already saved (the migration's backfill uses this).

    Their dose changes are replaced, so filling twice leaves the same rows.
    """
    ids = [v.pk for v in versions]
    for first in range(0, len(ids), 500):  # SQLite's limit on an IN list
        DoseChange.objects.filter(version__in=ids[first:first + 500]).delete()
    rows = []
    for version in versions:
        rows += _derive(version)
    PlanVersion.objects.bulk_update(versions, ["start_date", "stop_date"], batch_size=500)
    DoseChange.objects.bulk_create(rows, batch_size=2000)
