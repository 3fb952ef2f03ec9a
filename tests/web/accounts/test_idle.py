"""Logoff after inactivity, enforced by the server (the page's warning is only a courtesy)."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.accounts.middleware import LAST_SEEN
from tests.web.conftest import Cast


def _idle_for(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time()) - seconds
    session.save()


@pytest.mark.hazard("HZ-146")
@pytest.mark.parametrize(("idle", "still_in"), [(30 * 60 - 5, True), (30 * 60 + 5, False)])
def test_a_clinician_is_logged_off_after_thirty_idle_minutes(cast: Cast, client: Client,
                                                             idle: int, still_in: bool) -> None:
    client.force_login(cast.clinician)
    client.get("/desk/")
    _idle_for(client, idle)
    page = client.get("/desk/")
    assert (page.status_code == 200) is still_in
    if not still_in:
        assert page["Location"].startswith("/login/?next=/desk/")
        assert "_auth_user_id" not in client.session
        assert client.get("/desk/")["Location"].startswith("/login/")


@pytest.mark.hazard("HZ-146")
def test_the_patients_limit_is_its_own(cast: Cast, client: Client, settings: object) -> None:
    settings.PATIENT_IDLE_MINUTES = 60  # type: ignore[attr-defined]
    client.force_login(cast.patient.user)
    client.get("/today/")
    _idle_for(client, 45 * 60)
    assert client.get("/today/").status_code == 200
    _idle_for(client, 61 * 60)
    assert client.get("/today/").status_code == 302


@pytest.mark.hazard("HZ-146")
def test_an_idle_session_on_the_api_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    assert client.get("/api/patients").status_code == 200
    _idle_for(client, 31 * 60)
    assert client.get("/api/patients").status_code == 401


@pytest.mark.hazard("HZ-146")
def test_asking_the_time_left_does_not_extend_it_but_staying_does(cast: Cast,
                                                                  client: Client) -> None:
    client.force_login(cast.clinician)
    client.get("/desk/")
    _idle_for(client, 20 * 60)
    left = client.get(reverse("session_remaining")).json()["remaining_seconds"]
    assert 9 * 60 <= left <= 10 * 60
    assert client.get(reverse("session_remaining")).json()["remaining_seconds"] <= left
    assert client.post(reverse("session_remaining")).json()["remaining_seconds"] == 30 * 60


@pytest.mark.hazard("HZ-146")
def test_every_page_carries_the_warning_without_inline_script(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    html = client.get("/desk/").content.decode()
    assert 'id="idle-warning"' in html and 'data-idle-seconds="1800"' in html
    assert '<script src="/static/accounts/idle.js" defer></script>' in html
    assert "<script>" not in html
