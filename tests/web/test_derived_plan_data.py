"""A version's derived columns (start, stop, dose changes) agree with its plan JSON, on every
road that creates a version, and the migration's backfill fills versions made before them."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps

from taper.web.clinic import services
from taper.web.clinic.engine import next_change, stored_plan
from taper.web.clinic.models import DoseChange, PlanVersion, Status
from taper.web.clinic.services.versions import create_versions
from tests.web import factories
from tests.web.conftest import Cast


def assert_derived(version: PlanVersion) -> None:
    """The columns as the JSON says, read independently of services/versions.py."""
    version.refresh_from_db()
    data = version.plan_json
    stop = data["stop_date"]
    assert version.start_date == date.fromisoformat(data["start_date"])
    assert version.stop_date == (None if stop is None else date.fromisoformat(stop))
    rows = list(version.dose_changes.order_by("position"))
    wanted = [s["start_date"] for s in data["steps"]] + ([] if stop is None else [stop])
    assert [r.date.isoformat() for r in rows] == wanted
    assert [r.position for r in rows] == list(range(1, len(rows) + 1))
    plan = stored_plan(data)
    for row in rows:  # the desk's words are next_change's, the day before the change
        assert next_change(plan, row.date - timedelta(days=1)) == (row.date, row.reason)


@pytest.mark.hazard("HZ-105")
def test_a_built_draft_and_a_change_have_their_dates(cast: Cast) -> None:
    assert_derived(cast.plan)
    assert cast.plan.dose_changes.count() == 12  # 11 steps of the diarist's taper, and the stop
    today = factories.today_of(cast.patient)
    request = factories.diarist_request(today + timedelta(days=2), cast.patient.timezone)
    request["strategy"] = {"kind": "fixed_mg", "step_mg": "10", "step_days": 4}
    changed = services.change_plan(version=cast.plan, author=cast.clinician,
                                   request_data=request, today=today)
    assert changed.pk != cast.plan.pk
    assert_derived(changed)
    assert_derived(cast.plan)  # the old version keeps its own


@pytest.mark.hazard("HZ-105")
@pytest.mark.parametrize("kind", ["return_to_dose", "slower_pace"])
def test_a_suggestion_applied_has_its_dates(cast: Cast, kind: str) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    new = services.apply_suggestion(decision=decision, clinician=cast.clinician, kind=kind)
    assert new.status == Status.ACTIVE
    assert_derived(new)


@pytest.mark.hazard("HZ-105")
def test_an_engine_hold_and_a_prescribers_extension_have_their_dates(cast: Cast) -> None:
    today = factories.today_of(cast.patient)
    decision = services.record_checkin(
        patient=cast.patient, entered_by=cast.patient.user,
        data=factories.quiet_checkin(today, symptoms={"anxiety": 2}))
    held = decision.held_version
    assert held is not None
    assert_derived(held)
    assert held.stop_date == cast.plan.stop_date + timedelta(days=1)  # type: ignore[operator]
    extended = services.extend_step(version=held, clinician=cast.clinician, days=4,
                                    reason="Tired.", today=today)
    assert_derived(extended)
    assert extended.stop_date == held.stop_date + timedelta(days=4)  # type: ignore[operator]


def test_stopping_and_completing_keep_the_dates(cast: Cast) -> None:
    """Resuming after a hold is letting the extended step end: no new version (docs/web.md)."""
    before = (cast.plan.start_date, cast.plan.stop_date, cast.plan.dose_changes.count())
    stopped = services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Done early.")
    assert (stopped.start_date, stopped.stop_date, stopped.dose_changes.count()) == before
    assert_derived(stopped)
    assert cast.other_plan.stop_date is not None
    done = services.complete_plan(version=cast.other_plan, actor=cast.clinician,
                                  today=cast.other_plan.stop_date)
    assert_derived(done)


def test_bulk_creation_fills_every_version(cast: Cast) -> None:
    made = create_versions(
        PlanVersion(plan=cast.plan.plan, number=10 + i, request=cast.plan.request,
                    plan_json=cast.other_plan.plan_json) for i in range(3))
    assert all(v.pk is not None for v in made)
    for version in made:
        assert_derived(version)


def _forget(versions: list[PlanVersion]) -> None:
    """As a row made before migration 0006: no dates, no dose changes."""
    DoseChange.objects.filter(version__in=versions).delete()
    PlanVersion.objects.filter(pk__in=[v.pk for v in versions]).update(start_date=None,
                                                                       stop_date=None)


@pytest.mark.hazard("HZ-105")
def test_the_migrations_backfill_fills_versions_made_before_it(cast: Cast) -> None:
    versions = [cast.plan, cast.other_plan]
    _forget(versions)
    assert PlanVersion.objects.filter(start_date__isnull=True).count() == 2
    migration = importlib.import_module("taper.web.clinic.migrations.0006_derived_plan_dates")
    migration.backfill(apps, None)
    for version in versions:
        assert_derived(version)
    migration.backfill(apps, None)  # again: nothing left to fill, nothing doubled
    assert DoseChange.objects.filter(version=cast.plan).count() == 12

