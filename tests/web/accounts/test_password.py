"""Password change and reset with Django's own views and tokens."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.web import factories
from tests.web.conftest import Cast

NEW = "a-new-password-for-2027"


def _reset_link(body: str) -> str:
    found = re.search(r"https?://\S+/password-reset/\S+/", body)
    assert found is not None, body
    return found.group(0)


@pytest.mark.hazard("HZ-142")
def test_the_reset_link_comes_from_the_site_url_not_the_host_header(cast: Cast, client: Client,
                                                                    settings: object) -> None:
    settings.SITE_URL = "https://taper.clinic.example"  # type: ignore[attr-defined]
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]  # type: ignore[attr-defined]
    client.post(reverse("password_reset"), {"email": "SAM@example.org"}, HTTP_HOST="evil.example")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["sam@example.org"]
    link = _reset_link(mail.outbox[0].body)
    assert link.startswith("https://taper.clinic.example/password-reset/")
    assert "evil.example" not in mail.outbox[0].body


@pytest.mark.hazard("HZ-142")
def test_a_reset_link_sets_a_new_password_once(cast: Cast, client: Client) -> None:
    client.post(reverse("password_reset"), {"email": "sam@example.org"})
    path = _reset_link(mail.outbox[0].body).split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.request["PATH_INFO"], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    cast.patient.user.refresh_from_db()
    assert cast.patient.user.check_password(NEW)
    again = Client().get("/" + path, follow=True).content.decode()
    assert 'data-testid="reset-invalid"' in again


@pytest.mark.hazard("HZ-143")
def test_the_reset_page_says_the_same_for_unknown_addresses(cast: Cast, client: Client) -> None:
    known = client.post(reverse("password_reset"), {"email": "sam@example.org"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert known.content == unknown.content and len(mail.outbox) == 1


@pytest.mark.hazard("HZ-144")
def test_reset_e_mails_to_one_address_stop_at_the_limit(cast: Cast, settings: object) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "reset_address": (3, 3600)}  # type: ignore[attr-defined]
    for n in range(4):  # from four addresses: the limit is the address's
        Client(REMOTE_ADDR=f"192.0.2.{n}").post(reverse("password_reset"),
                                                {"email": "Sam@example.org"})
    assert len(mail.outbox) == 3


@pytest.mark.hazard("HZ-144")
def test_reset_requests_from_one_client_are_throttled(cast: Cast, client: Client,
                                                      settings: object) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "reset": (10, 3600)}  # type: ignore[attr-defined]
    answers = [client.post(reverse("password_reset"), {"email": f"x{n}@example.org"}).status_code
               for n in range(11)]
    assert answers == [302] * 10 + [429]


@pytest.mark.hazard("HZ-142")
def test_a_password_change_needs_the_old_one(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    assert "Change your password" in client.get(reverse("account")).content.decode()
    wrong = client.post(reverse("password_change"), {"old_password": "nope", "new_password1": NEW,
                                                     "new_password2": NEW})
    assert wrong.status_code == 200
    right = client.post(reverse("password_change"), {"old_password": factories.PASSWORD,
                                                     "new_password1": NEW, "new_password2": NEW})
    assert right.status_code == 302
    cast.patient.user.refresh_from_db()
    assert cast.patient.user.check_password(NEW)


def test_the_login_page_links_to_the_reset(db: None, client: Client) -> None:
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


@pytest.mark.hazard("HZ-142")
def test_a_password_change_ends_the_other_sessions(cast: Cast) -> None:
    here, elsewhere = Client(), Client()
    here.force_login(cast.patient.user)
    elsewhere.force_login(cast.patient.user)
    here.post(reverse("password_change"), {"old_password": factories.PASSWORD,
                                           "new_password1": NEW, "new_password2": NEW})
    assert here.get("/today/").status_code == 200
    assert elsewhere.get("/today/")["Location"].startswith("/login/")
