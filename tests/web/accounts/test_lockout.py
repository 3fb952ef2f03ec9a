"""Issue 16's lockout findings, each reproduced: letter case, the proxy's address, and the
client-address header sent by someone who is not our proxy."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.clinic import services
from tests.web import factories
from tests.web.conftest import Cast

PROXY = "10.0.0.2"


def _login(client: Client, email: str, password: str, **meta: str) -> int:
    return int(client.post(reverse("login"), {"username": email, "password": password},
                           **meta).status_code)


def _fail(client: Client, times: int, email: str = "dr.reyes@example.org", **meta: str) -> None:
    for _ in range(times):
        assert _login(client, email, "not-the-password", **meta) in (200, 429)  # 429: the 5th


@pytest.mark.hazard("HZ-135")
@pytest.mark.parametrize("typed", ["DR.REYES@EXAMPLE.ORG", "Dr.Reyes@Example.org",
                                   " dr.reyes@example.org "])
def test_the_right_password_in_capitals_is_refused_while_locked(cast: Cast, client: Client,
                                                                typed: str) -> None:
    _fail(client, 5)
    assert _login(client, typed, factories.PASSWORD) == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.hazard("HZ-135")
def test_failures_in_any_case_count_against_one_account(cast: Cast, client: Client) -> None:
    for typed in ("DR.REYES@example.org", "dr.reyes@EXAMPLE.org", "Dr.Reyes@example.org",
                  "dr.reyes@example.ORG"):
        _fail(client, 1, typed)
    assert _login(client, "dr.reyes@example.org", factories.PASSWORD) == 302  # four: not yet
    client.logout()
    _fail(client, 5, "DR.reyes@example.org")
    assert _login(client, "dr.reyes@example.org", factories.PASSWORD) == 429


@pytest.mark.hazard("HZ-136")
def test_one_person_behind_the_proxy_cannot_lock_out_the_others(cast: Cast, settings: object) -> None:
    settings.TRUSTED_PROXIES = [PROXY]  # type: ignore[attr-defined]
    attacker, colleague = Client(REMOTE_ADDR=PROXY), Client(REMOTE_ADDR=PROXY)
    _fail(attacker, 5, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert _login(attacker, "dr.reyes@example.org", factories.PASSWORD,
                  HTTP_X_FORWARDED_FOR="198.51.100.66") == 429
    assert _login(colleague, "dr.reyes@example.org", factories.PASSWORD,
                  HTTP_X_FORWARDED_FOR="198.51.100.7") == 302


@pytest.mark.hazard("HZ-137")
def test_a_forwarded_header_from_an_untrusted_peer_does_not_escape_the_lock(
        cast: Cast, settings: object) -> None:
    settings.TRUSTED_PROXIES = [PROXY]  # type: ignore[attr-defined]
    attacker = Client(REMOTE_ADDR="203.0.113.5")  # not our proxy: its header is ignored
    for n in range(5):
        _fail(attacker, 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _login(attacker, "dr.reyes@example.org", factories.PASSWORD,
                  HTTP_X_FORWARDED_FOR="192.0.2.99") == 429


@pytest.mark.hazard("HZ-137")
def test_with_no_trusted_proxy_the_header_is_never_read(cast: Cast, settings: object) -> None:
    settings.TRUSTED_PROXIES = []  # type: ignore[attr-defined]
    attacker = Client(REMOTE_ADDR=PROXY)
    for n in range(5):
        _fail(attacker, 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _login(attacker, "dr.reyes@example.org", factories.PASSWORD,
                  HTTP_X_FORWARDED_FOR="192.0.2.99") == 429


@pytest.mark.hazard("HZ-135")
def test_the_lock_lifts_at_four_failures_not_five(cast: Cast, client: Client) -> None:
    _fail(client, 4)
    assert _login(client, "DR.REYES@example.org", factories.PASSWORD) == 302


@pytest.mark.hazard("HZ-138")
@pytest.mark.parametrize("made_by", ["adduser", "clinician", "self_register"])
def test_every_way_in_stores_the_address_in_lower_case(db: None, settings: object,
                                                       made_by: str) -> None:
    settings.SELF_REGISTRATION = True  # type: ignore[attr-defined]
    typed = " New.Person@Example.ORG "
    if made_by == "adduser":
        user = services.add_user(email=typed, role="clinician", password=factories.PASSWORD)
    elif made_by == "clinician":
        user = services.create_patient(clinician=factories.clinician(), email=typed,
                                       name="New Person", timezone="UTC")[0].user
    else:
        user = services.self_register(email=typed, name="New Person", timezone="UTC",
                                      password=factories.PASSWORD).user
    user.refresh_from_db()
    assert user.email == "new.person@example.org"


@pytest.mark.hazard("HZ-138")
def test_an_address_differing_only_in_case_is_refused(cast: Cast) -> None:
    with pytest.raises(services.ServiceError, match="already has an account"):
        services.add_user(email="DR.REYES@example.org", role="clinician",
                          password=factories.PASSWORD)
