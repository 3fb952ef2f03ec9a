"""Issue 15.4: re-issued invitations, a clinician linked to someone planning alone,
deactivated accounts, patients moved between clinicians; each audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from taper.web.clinic import services
from taper.web.clinic.models import AuditEvent, Invitation, Patient
from taper.web.staff import services as staff
from taper.web.staff.models import LinkRequest
from tests.web import factories
from tests.web.conftest import Cast


def _link(page: str) -> str:
    found = re.search(r'data-testid="invitation-link" readonly value="https?://[^/]+(/invitation/[^"]+)"',
                      page)
    assert found is not None
    return found.group(1)


def _solo(email: str = "ada@example.org") -> Patient:
    user = services.add_user(email=email, role="patient", password=factories.PASSWORD,
                             name="Ada Solo", timezone="Europe/London")
    return Patient.objects.get(user=user)


def test_an_expired_invitation_is_reissued_and_only_the_new_link_works(cast: Cast,
                                                                      client: Client) -> None:
    person, old = services.create_patient(clinician=cast.clinician, email="late@example.org",
                                          name="Late Larry", timezone="UTC")
    Invitation.objects.filter(user=person.user).update(expires_at=now() - timedelta(minutes=1))
    client.force_login(cast.clinician)
    assert 'id="reinvite"' in client.get(f"/patients/{person.pk}/").content.decode()
    response = client.post(reverse("reissue_invitation", args=[person.user_id]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    new = _link(response.content.decode())
    anonymous = Client()
    assert anonymous.get(f"/invitation/{old}/").status_code == 404
    assert anonymous.get(new).status_code == 200
    assert AuditEvent.objects.filter(event="reissue_invitation", actor=cast.clinician,
                                     record_id=person.user_id).exists()


def test_a_new_link_stops_an_unexpired_earlier_one(cast: Cast) -> None:
    person, old = services.create_patient(clinician=cast.clinician, email="two@example.org",
                                          name="Two Links", timezone="UTC")
    staff.reissue_invitation(user=person.user, actor=cast.admin)
    with pytest.raises(services.ServiceError, match="expired or has been used"):
        services.accept_invitation(token=old, password=factories.PASSWORD)


def test_no_new_link_for_someone_with_a_password_or_not_ones_own(cast: Cast,
                                                                client: Client) -> None:
    with pytest.raises(services.ServiceError, match="already set a password"):
        staff.reissue_invitation(user=cast.patient.user, actor=cast.clinician)
    person, _ = services.create_patient(clinician=cast.clinician, email="x@example.org",
                                        name="X", timezone="UTC")
    client.force_login(cast.other_clinician)
    assert client.post(reverse("reissue_invitation", args=[person.user_id])).status_code == 404
    with pytest.raises(services.ServiceError):
        staff.reissue_invitation(user=person.user, actor=cast.other_clinician)


@pytest.mark.hazard("HZ-163")
def test_a_clinician_asks_and_the_person_accepts_on_their_next_login(cast: Cast,
                                                                    client: Client) -> None:
    ada = _solo()
    client.force_login(cast.clinician)
    asked = client.post(reverse("link_request"), {"email": "ADA@example.org"}, follow=True)
    unknown = client.post(reverse("link_request"), {"email": "nobody@example.org"}, follow=True)
    said = [str(m) for m in asked.context["messages"]]
    assert said == [str(m) for m in unknown.context["messages"]]  # no account revealed
    assert client.get(f"/patients/{ada.pk}/").status_code == 404  # nothing seen before yes
    person = Client()
    person.post("/login/", {"username": "ada@example.org", "password": factories.PASSWORD})
    home = person.get("/account/", follow=True).content.decode()
    assert "asked to follow your taper" in home
    link = LinkRequest.objects.get(patient=ada)
    assert f'id="accept-{link.pk}"' in person.get(reverse("link_answer")).content.decode()
    person.post(reverse("link_decide", args=[link.pk]), {"answer": "accept"})
    ada.refresh_from_db()
    assert ada.clinician == cast.clinician
    assert client.get(f"/patients/{ada.pk}/").status_code == 200
    assert AuditEvent.objects.filter(event="request_link", actor=cast.clinician,
                                     patient_id=ada.pk).exists()
    assert AuditEvent.objects.filter(event="accept_link", patient_id=ada.pk).exists()


@pytest.mark.hazard("HZ-163")
def test_only_the_person_answers_and_declining_links_nothing(cast: Cast) -> None:
    ada = _solo()
    link = staff.request_link(clinician=cast.clinician, email="ada@example.org")
    assert link is not None
    assert staff.request_link(clinician=cast.clinician, email="ada@example.org") == link
    with pytest.raises(services.ServiceError, match="only the person"):
        staff.answer_link(link=link, person=cast.patient.user, accept=True)
    staff.answer_link(link=link, person=ada.user, accept=False)
    ada.refresh_from_db()
    assert ada.clinician is None and AuditEvent.objects.filter(event="decline_link").exists()
    with pytest.raises(services.ServiceError, match="already been answered"):
        staff.answer_link(link=link, person=ada.user, accept=True)
    # A patient who already has a clinician is never offered.
    assert staff.request_link(clinician=cast.other_clinician, email=cast.patient.user.email) is None


@pytest.mark.parametrize("email", ["", "not-an-address", "a@" + "b" * 260 + ".org"])
def test_a_bad_address_is_named_next_to_the_field(cast: Cast, client: Client, email: str) -> None:
    client.force_login(cast.clinician)
    response = client.post(reverse("link_request"), {"email": email})
    assert response.status_code == 400
    assert 'data-testid="error-email"' in response.content.decode()
    assert not LinkRequest.objects.exists()


@pytest.mark.hazard("HZ-162")
def test_a_deactivated_account_stops_everywhere_at_once(cast: Cast, client: Client) -> None:
    person = cast.patient.user
    client.force_login(person)
    assert client.get("/today/").status_code == 200
    _, secret = services.create_api_token(user=person, name="Phone", actor=person)
    feed = services.create_calendar_feed(patient=cast.patient, actor=person)
    api = Client()
    assert api.get(f"/api/plans/{cast.plan.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    assert Client().get(f"/feeds/{feed}.ics").status_code == 200
    admin = Client()
    admin.force_login(cast.admin)
    admin.post(reverse("deactivate_account", args=[person.pk]))
    person.refresh_from_db()
    assert not person.is_active
    answer = client.get("/today/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")
    assert api.get(f"/api/plans/{cast.plan.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert Client().get(f"/feeds/{feed}.ics").status_code == 404
    assert not any(s.get_decoded().get("_auth_user_id") == str(person.pk)
                   for s in Session.objects.all())
    login = Client().post("/login/", {"username": person.email, "password": factories.PASSWORD})
    assert login.status_code == 200  # the form again: no way in
    assert AuditEvent.objects.filter(event="deactivate_account", actor=cast.admin,
                                     record_id=person.pk).exists()


@pytest.mark.hazard("HZ-164")
def test_a_clinician_with_patients_or_oneself_is_not_deactivated(cast: Cast) -> None:
    with pytest.raises(services.ServiceError, match="move them"):
        staff.deactivate(user=cast.clinician, actor=cast.admin)
    with pytest.raises(services.ServiceError, match="your own"):
        staff.deactivate(user=cast.admin, actor=cast.admin)
    with pytest.raises(services.ServiceError, match="only an administrator"):
        staff.deactivate(user=cast.patient.user, actor=cast.clinician)
    staff.deactivate(user=cast.other_clinician, actor=cast.admin)  # no patients: allowed
    staff.reactivate(user=cast.other_clinician, actor=cast.admin)
    cast.other_clinician.refresh_from_db()
    assert cast.other_clinician.is_active
    assert AuditEvent.objects.filter(event="reactivate_account").exists()


@pytest.mark.hazard("HZ-164")
def test_an_administrator_moves_a_patient_and_the_old_clinician_loses_them(
        cast: Cast, client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    admin = Client()
    admin.force_login(cast.admin)
    page = admin.get(reverse("move_patient", args=[cast.patient.pk])).content.decode()
    assert cast.other_clinician.email in page
    response = admin.post(reverse("move_patient", args=[cast.patient.pk]),
                          {"clinician": str(cast.other_clinician.pk)})
    assert response.status_code == 302
    client.force_login(cast.clinician)
    assert client.get(f"/patients/{cast.patient.pk}/").status_code == 404
    client.force_login(cast.other_clinician)
    assert f"ack-{decision.pk}" in client.get("/desk/").content.decode()
    assert AuditEvent.objects.filter(event="move_patient", patient_id=cast.patient.pk).exists()


@pytest.mark.hazard("HZ-164")
def test_no_move_to_an_inactive_clinician_or_of_someone_planning_alone(cast: Cast) -> None:
    spare = factories.clinician("dr.spare@example.org")
    staff.deactivate(user=spare, actor=cast.admin)
    with pytest.raises(services.ServiceError, match="active clinician"):
        staff.move_patient(patient=cast.patient, to=spare, actor=cast.admin)
    with pytest.raises(services.ServiceError, match="plans alone"):
        staff.move_patient(patient=_solo(), to=cast.other_clinician, actor=cast.admin)
    with pytest.raises(services.ServiceError, match="only an administrator"):
        staff.move_patient(patient=cast.patient, to=cast.other_clinician, actor=cast.clinician)
