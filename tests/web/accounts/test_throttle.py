"""Throttles for self-registration and invalid tokens, counted in the database (so every
worker and every app server on it shares them)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from taper.web.accounts import throttle
from taper.web.accounts.models import Throttle


def _register(client: Client, n: int) -> int:
    return int(client.post(reverse("register"), {
        "email": f"p{n}@example.org", "name": "", "timezone": "UTC",
        "password": "x", "password_again": "x"}).status_code)


@pytest.mark.hazard("HZ-144")
def test_self_registration_is_throttled_per_client(db: None, settings: object) -> None:
    settings.SELF_REGISTRATION = True  # type: ignore[attr-defined]
    settings.THROTTLES = {**settings.THROTTLES, "register": (10, 3600)}  # type: ignore[attr-defined]
    client = Client(REMOTE_ADDR="192.0.2.1")
    assert [_register(client, n) for n in range(11)] == [200] * 10 + [429]
    assert _register(Client(REMOTE_ADDR="192.0.2.2"), 99) == 200  # someone else is not


@pytest.mark.hazard("HZ-145")
@pytest.mark.parametrize("url", ["/invitation/{}/", "/feeds/{}.ics"])
def test_guessing_tokens_is_throttled(db: None, settings: object, url: str) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "token": (20, 600)}  # type: ignore[attr-defined]
    client = Client(REMOTE_ADDR="192.0.2.1")
    answers = [client.get(url.format(f"guess-{n}")).status_code for n in range(21)]
    assert answers == [404] * 20 + [429]


@pytest.mark.hazard("HZ-144")
def test_the_count_is_in_the_database_not_in_a_worker(db: None, settings: object) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "token": (3, 600)}  # type: ignore[attr-defined]
    for _ in range(3):
        throttle.hit("token", "192.0.2.1")
    assert list(Throttle.objects.values_list("hits", flat=True)) == [3]
    assert "192.0.2.1" not in str(list(Throttle.objects.values_list("key", flat=True)))
    assert throttle.blocked("token", "192.0.2.1") and not throttle.blocked("token", "192.0.2.2")


@pytest.mark.hazard("HZ-144")
def test_hits_from_two_connections_at_once_are_all_counted(transactional_db: None,
                                                          settings: object) -> None:
    settings.THROTTLES = {**settings.THROTTLES, "token": (1000, 600)}  # type: ignore[attr-defined]
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                throttle.hit("token", "192.0.2.9")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and throttle.count("token", "192.0.2.9") == 20
