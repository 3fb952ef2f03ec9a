"""The session store's read (accounts/sessions.py) finds what the ORM's read found: a live
session, and none for an expired, a missing or a malformed key, on both databases (HZ-217)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taper.web.accounts.sessions import SessionStore
from tests.web.conftest import Cast
from tests.web.test_lean_reads import same


def test_the_settings_use_the_store() -> None:
    assert settings.SESSION_ENGINE == "taper.web.accounts.sessions"


@pytest.mark.hazard("HZ-217")
def test_a_session_is_read_as_the_orm_reads_it_and_not_past_its_expiry(cast: Cast) -> None:
    store = SessionStore()
    store["who"] = cast.patient.user.pk
    store.save()
    key = store.session_key
    assert key is not None
    mine, theirs = SessionStore(key), DjangoStore(key)
    same(mine._get_session_from_db(), theirs._get_session_from_db())
    assert SessionStore(key).load() == {"who": cast.patient.user.pk}
    now = timezone.now()
    for expiry, live in ((now + timedelta(seconds=5), True), (now - timedelta(seconds=1), False)):
        Session.objects.filter(session_key=key).update(expire_date=expiry)
        mine, theirs = SessionStore(key), DjangoStore(key)
        found, wanted = mine._get_session_from_db(), theirs._get_session_from_db()
        same(found, wanted)
        assert (found is not None) is live
        assert (mine.session_key is not None) is live  # an expired key is dropped, as Django's
    for key in ("x" * 32, "short", None):
        store = SessionStore(key)
        assert store._get_session_from_db() is None and store.session_key is None
        assert store.load() == {}


@pytest.mark.hazard("HZ-217")
def test_a_page_reads_its_session_in_one_statement_of_ours(cast: Cast) -> None:
    web = Client()
    web.force_login(cast.patient.user)
    with CaptureQueriesContext(connection) as asked:
        assert web.get("/today/").status_code == 200
    reads = [q["sql"] for q in asked.captured_queries
             if "django_session" in q["sql"] and q["sql"].startswith("SELECT")]
    assert len(reads) == 1 and reads[0].startswith('SELECT s."session_key"')
