"""Retention: what a purge deletes, what a dry run lists, legal hold, and the audit rows.

A taper is ended by stopping its plan; the purge is asked "as of" a later moment, so no
row's date has to be forged.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import ProtectedError

from taper.web.clinic import services
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import (
    AuditEvent,
    CheckIn,
    Decision,
    Patient,
    PlanVersion,
    User,
)
from taper.web.records import retention
from taper.web.records.services import set_legal_hold
from tests.web import factories
from tests.web.conftest import Cast

DAYS = 365


def _ended(cast: Cast) -> Patient:
    """Sam with a week of check-ins, then the plan stopped: Kim's plan is still going."""
    factories.week_of_checkins(cast.patient, 3)
    services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Moved clinic.")
    return cast.patient


@pytest.mark.hazard("HZ-176")
def test_a_record_is_due_exactly_when_the_period_after_its_last_activity_has_passed(
        cast: Cast) -> None:
    sam = _ended(cast)
    last = retention.last_activity(sam)
    assert last is not None
    edge = last + timedelta(days=DAYS)
    assert [d.patient_id for d in retention.due(edge, DAYS)] == [sam.pk]
    assert retention.due(edge - timedelta(seconds=1), DAYS) == []
    assert [d.patient_id for d in retention.due(edge + timedelta(days=1), DAYS)] == [sam.pk]


@pytest.mark.hazard("HZ-176")
def test_a_taper_still_going_or_retention_off_is_never_due(cast: Cast) -> None:
    far = retention.last_activity(cast.patient) + timedelta(days=10 * DAYS)  # type: ignore[operator]
    assert retention.due(far, DAYS) == []  # both plans active
    _ended(cast)
    assert retention.due(far, 0) == []
    with pytest.raises(ValueError, match="retention is off"):
        retention.purge(at=far, days=0)


@pytest.mark.hazard("HZ-177")
def test_a_purge_deletes_exactly_what_the_dry_run_listed(cast: Cast) -> None:
    sam = _ended(cast)
    factories.worse_after_a_cut(cast.other_patient)
    at = retention.last_activity(sam) + timedelta(days=DAYS)  # type: ignore[operator]
    listed = retention.due(at, DAYS)
    assert [d.patient_id for d in listed] == [sam.pk]
    counts = {k: v for k, v in listed[0].counts.items() if v}
    assert counts["checkin"] == 3 and counts["plan_version"] == 1 and counts["user"] == 1
    run = retention.purge(at=at, days=DAYS)
    assert run.patient_ids == [sam.pk] and run.counts == counts
    assert not Patient.objects.filter(pk=sam.pk).exists()
    assert not User.objects.filter(pk=sam.user_id).exists()
    assert not CheckIn.objects.filter(patient_id=sam.pk).exists()
    assert not PlanVersion.objects.filter(plan__patient_id=sam.pk).exists()
    kim = cast.other_patient  # untouched
    assert CheckIn.objects.filter(patient=kim).count() == 4 and Decision.objects.filter(
        patient=kim).count() == 4


@pytest.mark.hazard("HZ-178")
def test_legal_hold_keeps_a_record_past_its_period_until_it_is_lifted(cast: Cast) -> None:
    sam = _ended(cast)
    at = retention.last_activity(sam) + timedelta(days=2 * DAYS)  # type: ignore[operator]
    set_legal_hold(patient=sam, actor=cast.clinician, held=True, reason="Court order")
    assert retention.due(at, DAYS) == []
    assert retention.purge(at=at, days=DAYS).patient_ids == []
    assert Patient.objects.filter(pk=sam.pk).exists()
    with pytest.raises(ProtectedError):  # the hold protects the row itself
        Patient.objects.filter(pk=sam.pk).delete()
    set_legal_hold(patient=sam, actor=cast.admin, held=False)
    assert [d.patient_id for d in retention.due(at, DAYS)] == [sam.pk]


@pytest.mark.hazard("HZ-178")
def test_only_the_clinician_or_an_administrator_sets_a_hold_and_each_change_is_audited(
        cast: Cast) -> None:
    for someone in (cast.other_clinician, cast.patient.user):
        with pytest.raises(ServiceError):
            set_legal_hold(patient=cast.patient, actor=someone, held=True)
    set_legal_hold(patient=cast.patient, actor=cast.clinician, held=True)
    with pytest.raises(ServiceError, match="already on"):
        set_legal_hold(patient=cast.patient, actor=cast.admin, held=True)
    rows = AuditEvent.objects.filter(event="legal_hold").order_by("id")
    assert [(r.action, r.actor_id, r.patient_id) for r in rows] == [
        ("change", cast.clinician.pk, cast.patient.pk)]


@pytest.mark.hazard("HZ-179")
def test_a_purge_appends_audit_rows_with_counts_and_keeps_every_earlier_row(cast: Cast) -> None:
    sam = _ended(cast)
    before = AuditEvent.objects.count()
    about_sam = AuditEvent.objects.filter(patient_id=sam.pk).count()
    assert about_sam > 0
    at = retention.last_activity(sam) + timedelta(days=DAYS)  # type: ignore[operator]
    run = retention.purge(at=at, days=DAYS)
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert [(r.action, r.event, r.record_type, r.record_id) for r in new] == [
        ("change", "purge", "patient", sam.pk), ("change", "purge_run", "purge_run", run.pk)]
    assert AuditEvent.objects.filter(patient_id=sam.pk).count() == about_sam + 1
    assert sum(run.counts.values()) > 0 and all(isinstance(v, int) for v in run.counts.values())
    kept = repr([(r.event, r.record_type, r.path, r.actor_email) for r in new]) + repr(
        (run.counts, run.patient_ids))
    assert "Sam" not in kept and "sam@" not in kept and "anxiety" not in kept


def test_a_purge_with_nothing_due_still_leaves_its_audit_row(cast: Cast) -> None:
    from django.utils.timezone import now

    run = retention.purge(at=now(), days=DAYS)
    assert run.patient_ids == [] and run.counts == {}
    assert AuditEvent.objects.filter(event="purge_run", record_id=run.pk).count() == 1
