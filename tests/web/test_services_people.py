"""People: patients, invitations, self-registration, users from the command line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils.timezone import now

from taper.web.clinic import services
from taper.web.clinic.models import Invitation, Patient, User
from tests.web import factories


def test_a_new_patient_gets_a_one_time_invitation_stored_only_as_a_hash(db: None) -> None:
    doctor = factories.clinician()
    person, token = services.create_patient(clinician=doctor, email="Sam@Example.org",
                                            name="Sam", timezone="Europe/London")
    assert person.user.email == "sam@example.org" and not person.user.has_usable_password()
    stored = Invitation.objects.get(user=person.user)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    services.accept_invitation(token=token, password=factories.PASSWORD)
    person.user.refresh_from_db()
    assert person.user.check_password(factories.PASSWORD)
    with pytest.raises(services.ServiceError, match="expired or has been used"):
        services.accept_invitation(token=token, password="another-password-123")


def test_an_expired_invitation_does_not_work(db: None) -> None:
    doctor = factories.clinician()
    person = factories.patient(doctor, password=None)
    token = services.invite(user=person.user, created_by=doctor, at=now() - timedelta(days=30))
    assert services.find_invitation(token) is None


@pytest.mark.parametrize(("field", "kwargs"), [
    ("email", {"email": "not-an-address"}),
    ("email", {"email": "dr.reyes@example.org"}),
    ("name", {"name": "  "}),
    ("timezone", {"timezone": "Mars/Olympus"}),
], ids=["bad-email", "email-taken", "no-name", "bad-zone"])
def test_bad_patient_details_name_the_field_and_save_nothing(db: None, field: str,
                                                             kwargs: dict[str, str]) -> None:
    doctor = factories.clinician()
    details = {"email": "new@example.org", "name": "New", "timezone": "UTC", **kwargs}
    with pytest.raises(services.ServiceError) as error:
        services.create_patient(clinician=doctor, **details)
    assert error.value.field == field
    assert Patient.objects.count() == 0 and User.objects.count() == 1


def test_a_weak_password_is_refused_and_the_invitation_still_works(db: None) -> None:
    doctor = factories.clinician()
    _, token = services.create_patient(clinician=doctor, email="a@example.org", name="A",
                                       timezone="UTC")
    with pytest.raises(services.ServiceError, match="password"):
        services.accept_invitation(token=token, password="12345")
    assert services.find_invitation(token) is not None


def test_self_registration_is_closed_unless_the_setting_allows_it(db: None) -> None:
    details = {"email": "solo@example.org", "name": "Solo", "timezone": "UTC",
               "password": factories.PASSWORD}
    with pytest.raises(services.ServiceError, match="not open"):
        services.self_register(**details)
    with override_settings(SELF_REGISTRATION=True):
        person = services.self_register(**details)
    assert person.is_solo and person.user.check_password(factories.PASSWORD)


def test_a_patient_added_on_the_command_line_can_name_their_clinician(db: None) -> None:
    doctor = factories.clinician()
    user = services.add_user(email="p@example.org", role="patient", password=factories.PASSWORD,
                             clinician_email="DR.REYES@example.org")
    assert user.patient.clinician == doctor
    with pytest.raises(services.ServiceError) as error:
        services.add_user(email="q@example.org", role="patient", password=factories.PASSWORD,
                          clinician_email="nobody@example.org")
    assert error.value.field == "clinician" and not User.objects.filter(email="q@example.org")
