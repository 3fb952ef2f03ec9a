"""Logging in, lockout after repeated failures, invitations and the security headers."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.clinic import services
from tests.web import factories
from tests.web.conftest import Cast


def test_a_clinician_logs_in_with_their_email_in_any_case(cast: Cast, client: Client) -> None:
    page = client.post(reverse("login"), {"username": "DR.Reyes@example.org",
                                          "password": factories.PASSWORD})
    assert page.status_code == 302
    # The password step passed; the second step (set up at first login) comes next.
    assert client.get(page["Location"], follow=True).request["PATH_INFO"] == "/account/two-step/setup/"


@pytest.mark.hazard("HZ-085")
def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(cast: Cast,
                                                                         client: Client) -> None:
    for _ in range(5):
        client.post(reverse("login"), {"username": "dr.reyes@example.org", "password": "wrong"})
    page = client.post(reverse("login"), {"username": "dr.reyes@example.org",
                                          "password": factories.PASSWORD})
    assert page.status_code == 429 and "Too many attempts" in page.content.decode()


def test_an_invitation_sets_the_password_logs_in_and_then_stops_working(db: None,
                                                                      client: Client) -> None:
    doctor = factories.clinician()
    _, token = services.create_patient(clinician=doctor, email="new@example.org", name="New",
                                       timezone="UTC")
    url = reverse("accept_invitation", args=[token])
    bad = client.post(url, {"password": factories.PASSWORD, "password_again": "different-one-2"})
    assert 'data-testid="error-password_again"' in bad.content.decode()
    page = client.post(url, {"password": factories.PASSWORD, "password_again": factories.PASSWORD})
    assert page.status_code == 302
    assert client.get(reverse("today")).status_code == 200
    assert client.get(url).status_code == 404


def test_the_clinician_sees_the_invitation_link_once(db: None, client: Client) -> None:
    client.force_login(factories.clinician())
    page = client.post(reverse("patient_new"), {"name": "Ann", "email": "ann@example.org",
                                                "timezone": "Europe/Paris"})
    link = re.search(r'value="(https://taper.example.org/invitation/[^"]+/)"', page.content.decode())
    assert link and services.find_invitation(link.group(1).rstrip("/").rsplit("/", 1)[1])


@pytest.mark.hazard("HZ-084")
def test_a_taken_email_is_named_next_to_the_field_and_the_rest_kept(cast: Cast,
                                                                   client: Client) -> None:
    client.force_login(cast.clinician)
    page = client.post(reverse("patient_new"), {"name": "Sam Again", "email": "sam@example.org",
                                                "timezone": "Europe/Paris"})
    html = page.content.decode()
    assert "already has an account" in html.split('data-testid="error-email">', 1)[1]
    assert 'value="Sam Again"' in html


def test_every_page_sends_a_content_security_policy_without_inline_script(cast: Cast,
                                                                        client: Client) -> None:
    client.force_login(cast.clinician)
    page = client.get(reverse("plan_new", args=[cast.patient.pk]))
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = page.content.decode()
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/accounts/idle.js" defer>',
        '<script src="/static/reminders/offline.js" defer data-patient="">',  # offline use
        '<script src="/static/taper/preview.js" defer>']
    assert " style=" not in html and "<style" not in html
    assert page["X-Frame-Options"] == "DENY"


def test_pages_have_a_language_a_skip_link_and_one_main(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    html = client.get(reverse("checkin")).content.decode()
    assert '<html lang="en">' in html and 'href="#main">Skip to main content' in html
    assert html.count("<main") == 1 and html.count("<h1") == 1
