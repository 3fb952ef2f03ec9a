"""The carer's pages: the invitation link, Today and the check-in for the patient, revoking."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from taper.web.carers import services
from taper.web.clinic import services as clinic
from taper.web.clinic.models import CheckIn
from tests.web import factories
from tests.web.carers.factories import linked_carer
from tests.web.conftest import Cast


def test_the_patient_invites_by_email_and_the_link_lets_the_carer_in(
        cast: Cast, client: Client, django_capture_on_commit_callbacks: Any) -> None:
    client.force_login(cast.patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("patient_carers"), {"name": "Alex Patel",
                                                       "email": "alex@example.org"})
    assert page.status_code == 200
    url = page.context["link_url"]
    assert url in mail.outbox[-1].body and "baclofen" not in mail.outbox[-1].body.lower()
    carer_client = Client()
    answer = carer_client.post(url, {"password": factories.PASSWORD,
                                     "password_again": factories.PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == reverse("carer_home")
    assert carer_client.get(reverse("today")).status_code == 200


def test_an_expired_or_used_carer_link_says_whom_to_ask(client: Client, db: None) -> None:
    page = client.get(reverse("carer_accept", args=["no-such-token"]))
    assert page.status_code == 404
    assert "ask the person who invited you for a new link" in page.content.decode()


def test_a_bad_invitation_names_the_field(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.post(reverse("patient_carers"), {"name": "", "email": "not-an-address"})
    assert page.status_code == 400
    assert set(page.context["form"].errors) == {"name", "email"}


@pytest.mark.hazard("HZ-194")
def test_a_carers_check_in_is_marked_entered_by_on_history_and_clinician_page(
        cast: Cast, client: Client, every_dose_due: None) -> None:
    carer, _ = linked_carer(cast.patient)
    client.force_login(carer)
    assert "You are helping Sam Patel" in client.get(reverse("today")).content.decode()
    client.post(reverse("checkin"), {"red_flag": "none"})
    answer = client.post(reverse("checkin"), {"red_flags": "none", "new_or_worse": "no",
                                               "doses_all": "yes"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert client.get(answer["Location"]).status_code == 200  # what it said
    assert CheckIn.objects.get(patient=cast.patient).entered_by == carer
    client.force_login(cast.patient.user)
    assert "Entered by Alex Patel" in client.get(reverse("history")).content.decode()
    client.force_login(cast.clinician)
    page = client.get(reverse("patient_detail", args=[cast.patient.pk])).content.decode()
    assert "Entered by Alex Patel (carer)" in page


def test_a_carer_marks_a_dose_as_themself(cast: Cast, client: Client,
                                          every_dose_due: None) -> None:
    carer, _ = linked_carer(cast.patient)
    client.force_login(carer)
    assert client.post(reverse("dose_taken"), {"time": "08:00"}).status_code == 302
    assert cast.patient.doses_taken.get().recorded_by == carer


@pytest.mark.hazard("HZ-191")
def test_a_revoked_carer_no_longer_reaches_the_patients_pages(cast: Cast,
                                                              client: Client) -> None:
    carer, link = linked_carer(cast.patient)
    client.force_login(carer)
    assert client.get(reverse("today")).status_code == 200
    patient = Client()
    patient.force_login(cast.patient.user)
    assert patient.post(reverse("carer_revoke", args=[link.pk])).status_code == 302
    for name in ("today", "checkin"):
        assert client.get(reverse(name)).status_code == 404  # the same session, at once
    assert client.post(reverse("dose_taken"), {"time": "08:00"}).status_code == 404


def test_a_carer_of_two_chooses_whose_today(cast: Cast, client: Client) -> None:
    carer, _ = linked_carer(cast.patient)
    _, token = services.invite_carer(patient=cast.other_patient,
                                     actor=cast.other_patient.user, name="Alex",
                                     email=carer.email)
    services.accept_invitation(token=token, user=carer)
    client.force_login(carer)
    assert client.get(reverse("today")).status_code == 404  # two: none chosen yet
    client.post(reverse("carer_choose", args=[cast.other_patient.pk]))
    assert "Kim Lee" in client.get(reverse("today")).content.decode()


def test_the_patients_decision_is_shown_to_their_carer_only(cast: Cast, client: Client) -> None:
    carer, _ = linked_carer(cast.patient)
    mine = clinic.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                 data=factories.quiet_checkin(factories.today_of(cast.patient)))
    other = clinic.record_checkin(
        patient=cast.other_patient, entered_by=cast.other_patient.user,
        data=factories.quiet_checkin(factories.today_of(cast.other_patient)))
    client.force_login(carer)
    assert client.get(reverse("decision_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("decision_detail", args=[other.pk])).status_code == 404


def test_a_carers_visit_is_audited_against_the_patient_they_help(cast: Cast,
                                                                 client: Client) -> None:
    from taper.web.clinic.models import AuditEvent

    carer, _ = linked_carer(cast.patient)
    client.force_login(carer)
    client.get(reverse("today"))
    row = AuditEvent.objects.filter(event="today").first()
    assert row is not None
    assert (row.actor_id, row.action, row.patient_id) == (carer.pk, "view", cast.patient.pk)


@pytest.mark.hazard("HZ-196")
def test_the_patient_lets_a_carer_read_messages_and_stops_it(cast: Cast, client: Client) -> None:
    carer, link = linked_carer(cast.patient)
    helper = Client()
    helper.force_login(carer)
    assert helper.get(reverse("patient_messages")).status_code == 404
    client.force_login(cast.patient.user)
    client.post(reverse("carer_messages", args=[link.pk]), {"allow": "1"})
    assert helper.get(reverse("patient_messages")).status_code == 200
    client.post(reverse("carer_messages", args=[link.pk]), {"allow": "0"})
    assert helper.get(reverse("patient_messages")).status_code == 404
