"""A plan's life through the services: nothing half-saved, nothing overwritten."""

from __future__ import annotations

import pytest
from django.test import override_settings

from taper.web.clinic import services
from taper.web.clinic.models import LifecycleEvent, Plan, PlanVersion, Status
from tests.web import factories
from tests.web.conftest import Cast


@pytest.mark.hazard("HZ-084")
@pytest.mark.parametrize(("change", "field"), [
    ({"strategy": {"kind": "fixed_mg", "step_mg": "5"}}, "strategy.step_days"),
    ({"products": [{"id": "tab20", "form": "tablet", "strength_mg": "20", "divisible_into": 3}]},
     "products[0].divisible_into"),
    ({"timezone": "Nowhere/Place"}, "timezone"),
    ({"drug": ""}, "drug"),
], ids=["no-step-days", "thirds", "bad-zone", "no-drug"])
def test_a_bad_request_names_the_field_and_saves_nothing(cast: Cast, change: dict, field: str) -> None:
    request = {**factories.diarist_request(factories.today_of(cast.patient)), **change}
    before = (Plan.objects.count(), PlanVersion.objects.count(), LifecycleEvent.objects.count())
    with pytest.raises(services.ServiceError) as error:
        services.create_plan_draft(patient=cast.patient, author=cast.clinician,
                                   request_data=request)
    assert error.value.field == field
    assert (Plan.objects.count(), PlanVersion.objects.count(),
            LifecycleEvent.objects.count()) == before


def test_the_request_is_stored_exactly_as_entered_with_the_engines_plan(cast: Cast) -> None:
    request = factories.diarist_request(factories.today_of(cast.patient))
    version = services.create_plan_draft(patient=cast.patient, author=cast.clinician,
                                         request_data=request)
    version.refresh_from_db()
    assert version.request == request
    assert version.plan_json["steps"][0]["daily_mg"] == "55"
    assert version.status == Status.DRAFT and not version.reviewed


def test_lifecycle_draft_approved_active_then_changed_by_a_new_version(cast: Cast) -> None:
    first = cast.plan
    assert [e.kind for e in first.events.all()] == ["created", "approved", "activated"]
    assert first.approved_by == cast.clinician and first.approval_note == "Reviewed at clinic."
    request = dict(first.request, strategy={"kind": "fixed_mg", "step_mg": "2.5", "step_days": 7})
    second = services.change_plan(version=first, author=cast.clinician, request_data=request,
                                  today=factories.today_of(cast.patient))
    services.approve_plan(version=second, clinician=cast.clinician)
    services.activate(version=second, actor=cast.clinician)
    first.refresh_from_db()
    assert (first.status, second.number, second.based_on) == (Status.CHANGED, 2, first)
    assert first.plan_json["steps"][0]["daily_mg"] == "55"  # the old version stays readable


def test_a_plan_cannot_start_before_a_prescriber_approves_it(cast: Cast) -> None:
    draft = factories.draft_plan(cast.patient, cast.clinician)
    with pytest.raises(services.ServiceError, match="approved"):
        services.activate(version=draft, actor=cast.clinician)


@pytest.mark.hazard("HZ-081")
def test_only_the_patients_own_clinician_can_approve(cast: Cast) -> None:
    draft = factories.draft_plan(cast.patient, cast.clinician)
    for outsider in (cast.other_clinician, cast.patient.user, cast.admin):
        with pytest.raises(services.ServiceError):
            services.approve_plan(version=draft, clinician=outsider)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.approved_by is None


@pytest.mark.hazard("HZ-081")
@override_settings(SELF_REGISTRATION=True)
def test_someone_planning_alone_can_start_a_plan_that_stays_unreviewed(db: None) -> None:
    solo = services.self_register(email="solo@example.org", name="Solo", timezone="UTC",
                                  password=factories.PASSWORD)
    request = factories.diarist_request(factories.today_of(solo), "UTC")
    draft = services.create_plan_draft(patient=solo, author=solo.user, request_data=request)
    version = services.activate(version=draft, actor=solo.user)
    assert version.status == Status.ACTIVE and not version.reviewed


def test_stopping_needs_a_reason_and_keeps_the_version(cast: Cast) -> None:
    with pytest.raises(services.ServiceError) as error:
        services.stop_plan(version=cast.plan, actor=cast.clinician, reason=" ")
    assert error.value.field == "reason"
    services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Moved to another clinic")
    cast.plan.refresh_from_db()
    assert (cast.plan.status, cast.plan.end_reason) == (Status.STOPPED, "Moved to another clinic")
    assert cast.plan.events.last().kind == "stopped"


def test_a_second_plan_cannot_start_while_one_is_active(cast: Cast) -> None:
    other = factories.draft_plan(cast.patient, cast.clinician)
    services.approve_plan(version=other, clinician=cast.clinician)
    with pytest.raises(services.ServiceError, match="another plan is active"):
        services.activate(version=other, actor=cast.clinician)


def test_a_plan_is_completed_only_once_its_last_dose_has_passed(cast: Cast) -> None:
    with pytest.raises(services.ServiceError, match="last dose has passed"):
        services.complete_plan(version=cast.plan, actor=cast.clinician)
    stop = factories.date.fromisoformat(cast.plan.plan_json["stop_date"])
    services.complete_plan(version=cast.plan, actor=cast.clinician, today=stop)
    cast.plan.refresh_from_db()
    assert cast.plan.status == Status.COMPLETED and cast.plan.events.last().kind == "completed"
