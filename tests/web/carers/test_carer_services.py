"""Inviting, accepting and revoking a carer; who may act for whom."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.timezone import now

from taper.web.carers import services
from taper.web.clinic import services as clinic
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import AuditEvent, Role
from tests.web import factories
from tests.web.carers.factories import linked_carer
from tests.web.conftest import Cast


def test_an_invitation_makes_a_carer_account_with_no_password_until_accepted(cast: Cast) -> None:
    link, token = services.invite_carer(patient=cast.patient, actor=cast.patient.user,
                                        name=" Alex Patel ", email="ALEX@example.org")
    assert link.carer.role == Role.CARER and not link.carer.has_usable_password()
    assert link.name == "Alex Patel" and not link.is_live and len(token) > 30
    assert link.token_hash != token  # only the hash is kept


def test_accepting_sets_the_password_and_the_link_then_no_longer_works(cast: Cast) -> None:
    carer, link = linked_carer(cast.patient)
    assert link.is_live and carer.check_password(factories.PASSWORD)
    assert services.find_invitation("anything") is None
    with pytest.raises(ServiceError, match="ask the person who invited you"):
        services.accept_invitation(token="not-a-token", password=factories.PASSWORD)


def test_an_expired_invitation_is_refused_with_whom_to_ask(cast: Cast) -> None:
    _, token = services.invite_carer(patient=cast.patient, actor=cast.patient.user,
                                     name="Alex", email="alex@example.org",
                                     at=now() - timedelta(days=8))
    with pytest.raises(ServiceError, match="ask the person who invited you for a new link"):
        services.accept_invitation(token=token, password=factories.PASSWORD)


def test_only_the_patient_invites_and_an_address_of_another_role_is_refused(cast: Cast) -> None:
    with pytest.raises(ServiceError):
        services.invite_carer(patient=cast.patient, actor=cast.clinician, name="Alex",
                              email="alex@example.org")
    with pytest.raises(ServiceError) as refused:
        services.invite_carer(patient=cast.patient, actor=cast.patient.user, name="Kim",
                              email=cast.other_patient.user.email)
    assert refused.value.field == "email"


@pytest.mark.parametrize(("name", "ok"), [("A" * 100, True), ("A" * 101, False), ("  ", False)])
def test_the_carers_name_is_bounded(cast: Cast, name: str, ok: bool) -> None:
    if ok:
        services.invite_carer(patient=cast.patient, actor=cast.patient.user, name=name,
                              email="alex@example.org")
    else:
        with pytest.raises(ServiceError) as refused:
            services.invite_carer(patient=cast.patient, actor=cast.patient.user, name=name,
                                  email="alex@example.org")
        assert refused.value.field == "name"


def test_a_carer_already_in_taper_helps_a_second_patient_after_logging_in(cast: Cast) -> None:
    carer, _ = linked_carer(cast.patient)
    _, token = services.invite_carer(patient=cast.other_patient,
                                     actor=cast.other_patient.user, name="Alex",
                                     email=carer.email)
    with pytest.raises(ServiceError, match="log in"):
        services.accept_invitation(token=token, password="whatever-new-password")
    services.accept_invitation(token=token, user=carer)
    assert [x.patient for x in services.live_links(carer)] == sorted(
        [cast.patient, cast.other_patient], key=lambda p: p.name)


@pytest.mark.hazard("HZ-191")
def test_revoking_ends_the_link_at_once_and_only_the_patient_can(cast: Cast) -> None:
    carer, link = linked_carer(cast.patient)
    assert services.may_act_for(carer, cast.patient)
    with pytest.raises(ServiceError):
        services.revoke_carer(patient=cast.patient, actor=cast.clinician, link_id=link.pk)
    services.revoke_carer(patient=cast.patient, actor=cast.patient.user, link_id=link.pk)
    assert not services.may_act_for(carer, cast.patient)
    assert not services.may_act_for(carer, cast.other_patient)


def test_every_change_is_audited(cast: Cast) -> None:
    _, link = linked_carer(cast.patient)
    services.revoke_carer(patient=cast.patient, actor=cast.patient.user, link_id=link.pk)
    events = set(AuditEvent.objects.filter(record_type="carer_link", record_id=link.pk,
                                           patient_id=cast.patient.pk)
                 .values_list("event", flat=True))
    assert events == {"invite_carer", "accept_carer_invitation", "revoke_carer"}


@pytest.mark.hazard("HZ-194")
def test_a_carers_check_in_and_dose_mark_are_recorded_as_theirs(cast: Cast) -> None:
    carer, _ = linked_carer(cast.patient)
    day = factories.today_of(cast.patient)
    decision = clinic.record_checkin(patient=cast.patient, entered_by=carer,
                                     data=factories.quiet_checkin(day))
    assert decision.checkin.entered_by == carer
    assert services.carer_names(cast.patient) == {carer.pk: "Alex Patel"}


@pytest.mark.hazard("HZ-191")
def test_a_revoked_or_unlinked_carer_cannot_check_in(cast: Cast) -> None:
    carer, link = linked_carer(cast.patient)
    services.revoke_carer(patient=cast.patient, actor=cast.patient.user, link_id=link.pk)
    day = factories.today_of(cast.patient)
    for patient in (cast.patient, cast.other_patient):
        with pytest.raises(ServiceError, match="carer"):
            clinic.record_checkin(patient=patient, entered_by=carer,
                                  data=factories.quiet_checkin(day))
    assert not cast.patient.checkins.exists()


@pytest.mark.hazard("HZ-192")
def test_a_carer_has_no_api_tokens(cast: Cast) -> None:
    carer, _ = linked_carer(cast.patient)
    with pytest.raises(ServiceError, match="no API tokens"):
        clinic.create_api_token(user=carer, name="mine", actor=carer)
