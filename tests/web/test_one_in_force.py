"""One plan version in force per patient, held by the database (issue 16): a partial unique
index refuses a second active version, and two activations at once leave exactly one in
force with a clear refusal for the other, through the services and through the pages.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from taper.web.clinic import services
from taper.web.clinic.models import Patient, PlanVersion, Status, User
from taper.web.clinic.services import plans
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.test_concurrency import at_once


def two_approved_plans(doctor: User) -> tuple[Patient, PlanVersion, PlanVersion]:
    """A new patient of `doctor` with two approved plans and none in force."""
    person = factories.patient(doctor, "ana@example.org", "Ana Silva", "Europe/Lisbon")
    first, second = factories.draft_plan(person, doctor), factories.draft_plan(person, doctor)
    for version in (first, second):
        services.approve_plan(version=version, clinician=doctor, note="ok")
    return person, first, second


def in_force(person: Patient) -> list[int]:
    return list(PlanVersion.objects.filter(plan__patient=person, status=Status.ACTIVE)
                .values_list("pk", flat=True))


@pytest.mark.hazard("HZ-155")
def test_the_database_refuses_a_second_version_in_force(cast: Cast) -> None:
    person, first, second = two_approved_plans(cast.clinician)
    services.activate(version=first, actor=cast.clinician)
    PlanVersion.objects.filter(pk=second.pk).update(status=Status.APPROVED)  # not in force: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=second.pk).update(status=Status.ACTIVE)  # bypassing services
    assert in_force(person) == [first.pk]
    assert in_force(cast.patient) == [cast.plan.pk]  # another patient's plan in force: allowed


def activations(person: Patient, doctor: User,
                versions: tuple[PlanVersion, PlanVersion]) -> list[object]:
    def go(version: PlanVersion) -> Callable[[], object]:
        return lambda: services.activate(version=version, actor=doctor)
    return at_once(go(versions[0]), go(versions[1]))


def assert_one_won(person: Patient, results: list[object]) -> None:
    won = [r for r in results if isinstance(r, PlanVersion)]
    refused = [r for r in results if isinstance(r, services.ServiceError)]
    assert len(won) == 1 and len(refused) == 1, results
    assert in_force(person) == [won[0].pk]


@pytest.mark.hazard("HZ-155")
@pytest.mark.django_db(transaction=True)
def test_two_activations_at_once_leave_one_in_force_and_refuse_the_other(cast: Cast) -> None:
    person, first, second = two_approved_plans(cast.clinician)
    results = activations(person, cast.clinician, (first, second))
    assert_one_won(person, results)
    refused = next(r for r in results if isinstance(r, services.ServiceError))
    assert "another plan is active" in str(refused)


@pytest.mark.hazard("HZ-155")
@pytest.mark.django_db(transaction=True)
def test_without_the_patient_lock_the_index_still_lets_only_one_win(
        cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock is the first line; the partial unique index is the one that cannot be
    forgotten. With the lock removed, the loser still gets a clear refusal, never a 500."""
    monkeypatch.setattr(plans, "lock_patient", lambda patient_id: None)
    for _ in range(3):
        person, first, second = two_approved_plans(cast.clinician)
        assert_one_won(person, activations(person, cast.clinician, (first, second)))
        for version in PlanVersion.objects.filter(plan__patient=person):
            if version.status in (Status.ACTIVE, Status.APPROVED):
                services.stop_plan(version=version, actor=cast.clinician, reason="next round")
        person.user.email = f"done-{person.pk}@example.org"
        person.user.save(update_fields=["email"])


@pytest.mark.hazard("HZ-155")
@pytest.mark.django_db(transaction=True)
def test_two_activate_buttons_at_once_answer_without_a_500(cast: Cast) -> None:
    person, first, second = two_approved_plans(cast.clinician)

    def press(version: PlanVersion) -> Callable[[], object]:
        def run() -> object:
            client = Client()
            client.force_login(cast.clinician)
            return client.post(reverse("plan_activate", args=[version.pk])).status_code
        return run

    assert at_once(press(first), press(second)) == [302, 302]
    assert len(in_force(person)) == 1
