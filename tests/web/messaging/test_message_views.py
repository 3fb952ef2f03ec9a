"""The thread pages, the desk's unread count, the patient's navigation and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.messaging import services
from taper.web.messaging.models import Message
from tests.web.apiclient import call, token_for
from tests.web.carers.factories import linked_carer
from tests.web.conftest import Cast


def test_the_patient_writes_and_the_desk_counts_it_until_the_clinician_reads(
        cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    sent = client.post(reverse("patient_messages"), {"body": "Dizzy since the cut"})
    assert sent.status_code == 302
    client.force_login(cast.clinician)
    desk = client.get(reverse("desk")).content.decode()
    assert 'data-testid="desk-unread">1<' in desk
    thread = client.get(reverse("clinician_messages", args=[cast.patient.pk]))
    assert "Dizzy since the cut" in thread.content.decode()
    assert 'data-testid="desk-unread"' not in client.get(reverse("desk")).content.decode()


def test_the_patient_sees_an_unread_reply_in_the_navigation(cast: Cast, client: Client) -> None:
    services.send_message(patient=cast.patient, author=cast.clinician, body="Come in Tuesday")
    client.force_login(cast.patient.user)
    today = client.get(reverse("today")).content.decode()
    assert 'data-testid="nav-unread">1<' in today
    assert client.get(reverse("patient_messages")).status_code == 200
    assert 'data-testid="nav-unread"' not in client.get(reverse("today")).content.decode()


@pytest.mark.hazard("HZ-195")
def test_a_message_is_shown_as_plain_text_escaped(cast: Cast, client: Client) -> None:
    services.send_message(patient=cast.patient, author=cast.patient.user,
                          body='<script>alert("x")</script>\n<b>bold</b>')
    client.force_login(cast.clinician)
    page = client.get(reverse("clinician_messages", args=[cast.patient.pk])).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.hazard("HZ-195")
def test_the_thread_says_not_for_emergencies_with_a_number_to_tap(cast: Cast,
                                                                  client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.get(reverse("patient_messages")).content.decode()
    assert 'href="tel:112"' in page and "Not for emergencies" in page


def test_a_message_too_long_is_refused_on_the_page_and_nothing_stored(cast: Cast,
                                                                       client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.post(reverse("patient_messages"), {"body": "a" * 2001})
    assert page.status_code == 400 and "body" in page.context["form"].errors
    assert not Message.objects.exists()


def test_contact_your_clinic_leads_to_the_messages(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.get(reverse("today")).content.decode()
    assert f'href="{reverse("patient_messages")}" data-testid="write-to-clinic"' in page


@pytest.mark.hazard("HZ-196")
def test_a_carer_reads_messages_only_if_the_patient_allowed(cast: Cast, client: Client) -> None:
    silent, _ = linked_carer(cast.patient)
    client.force_login(silent)
    assert client.get(reverse("patient_messages")).status_code == 404
    allowed, _ = linked_carer(cast.other_patient, "jo@example.org", "Jo Lee", may_message=True)
    client.force_login(allowed)
    assert client.post(reverse("patient_messages"), {"body": "For Kim"}).status_code == 302
    client.force_login(cast.clinician)
    page = client.get(reverse("clinician_messages", args=[cast.other_patient.pk]))
    assert "Jo Lee (carer)" in page.content.decode()


@pytest.mark.hazard("HZ-197")
def test_the_api_lists_and_sends_for_the_patient_and_their_clinician_only(
        cast: Cast, client: Client) -> None:
    url = f"/api/patients/{cast.patient.pk}/messages"
    made = call(client, "post", url, token_for(cast.patient.user), {"body": "Hello clinic"})
    assert made.status_code == 201 and made.json()["from_clinic"] is False
    listed = call(client, "get", url, token_for(cast.clinician))
    assert listed.status_code == 200 and listed.json()[-1]["body"] == "Hello clinic"
    assert listed.json()[-1]["read_at"] is not None  # fetched by the clinic: read
    stranger = call(client, "get", url, token_for(cast.other_clinician))
    assert stranger.status_code == 404 and stranger.json()["detail"]
    other = call(client, "post", url, token_for(cast.other_patient.user), {"body": "x"})
    assert other.status_code == 404


def test_the_api_refuses_a_long_or_empty_message_naming_the_field(cast: Cast,
                                                                  client: Client) -> None:
    url = f"/api/patients/{cast.patient.pk}/messages"
    token = token_for(cast.patient.user)
    for body in ({"body": "a" * 2001}, {"body": ""}, {"body": "   "}, {}):
        answer = call(client, "post", url, token, body)
        assert answer.status_code == 422 and answer.json()["field"] == "body", body
    assert not Message.objects.exists()


def test_a_carer_has_no_api_access_to_messages(cast: Cast, client: Client) -> None:
    carer, _ = linked_carer(cast.patient, may_message=True)
    client.force_login(carer)
    assert client.get(f"/api/patients/{cast.patient.pk}/messages").status_code == 403
