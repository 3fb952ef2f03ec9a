"""Secrets at rest and in logs (issue 16): token paths redacted in the audit trail and the
access log, only hashes stored, and a deactivated person's links and tokens stop at once.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from gunicorn.config import Config

from taper.web.access_log import RedactingLogger
from taper.web.clinic import services
from taper.web.clinic.models import AuditEvent, CalendarFeed, Invitation
from taper.web.redact import redact_path
from tests.web import factories
from tests.web.conftest import Cast

TOKEN = "Zx8_q-3kLmN0pQrStUvWxYz0123456789abcdEFGH"  # the shape of token_urlsafe(32)


@pytest.mark.hazard("HZ-150")
@pytest.mark.parametrize(("path", "expected"), [
    (f"/invitation/{TOKEN}/", "/invitation/<redacted>/"),
    (f"/feeds/{TOKEN}.ics", "/feeds/<redacted>.ics"),
    ("/feeds/short.ics", "/feeds/<redacted>.ics"),  # a wrong token is still a secret's place
    (f"/reset/MQ/c9x2k1-{TOKEN[:32]}/", "/reset/<redacted>/<redacted>/"),
    ("/plans/12/approve/", "/plans/12/approve/"),
    ("/patients/3/journal.csv", "/patients/3/journal.csv"),
    ("/account/tokens/12/revoke/", "/account/tokens/12/revoke/"),
], ids=["invitation", "feed", "short-feed", "reset", "plan", "export", "token-id"])
def test_token_segments_are_redacted_and_other_paths_kept(path: str, expected: str) -> None:
    assert redact_path(path) == expected


def _all_audit_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT path, event, user_agent, actor_email FROM clinic_auditevent")
        return " ".join(" ".join(str(v) for v in row) for row in cursor.fetchall())


@pytest.mark.hazard("HZ-150")
def test_feed_and_invitation_tokens_never_reach_the_audit_trail(cast: Cast, client: Client) -> None:
    feed = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
    _, invitation = services.create_patient(clinician=cast.clinician, email="new@example.org",
                                            name="New Person", timezone="UTC")
    assert client.get(f"/feeds/{feed}.ics").status_code == 200
    assert client.get(f"/feeds/{feed[:-1]}x.ics").status_code == 404  # a guess, refused
    assert client.get(f"/invitation/{invitation}/").status_code == 200
    assert client.get(f"/invitation/{invitation[:-1]}x/").status_code == 404
    client.force_login(cast.clinician)  # a logged-in visit is a row (anonymous ones are counted)
    client.get(f"/invitation/{invitation}/")
    rows = list(AuditEvent.objects.filter(event__in=["calendar_feed", "accept_invitation"],
                                          method="GET"))
    assert {r.path for r in rows} == {"/feeds/<redacted>.ics", "/invitation/<redacted>/"}
    text = _all_audit_text()
    assert feed[:12] not in text and invitation[:12] not in text


@pytest.mark.hazard("HZ-150")
def test_the_access_log_writes_no_token() -> None:
    logger = RedactingLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": f"/feeds/{TOKEN}.ics", "QUERY_STRING": "",
               "RAW_URI": f"/feeds/{TOKEN}.ics", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_REFERER": f"https://clinic.example/invitation/{TOKEN}/",
               "REMOTE_ADDR": "10.0.0.1"}
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    resp = SimpleNamespace(status="200 OK", headers=[], response_length=10, sent=10)
    atoms = logger.atoms(resp, req, environ, SimpleNamespace(seconds=0, microseconds=1000))
    line = logger.cfg.access_log_format % atoms
    assert TOKEN not in line
    assert "GET /feeds/<redacted>.ics HTTP/1.1" in line
    assert "https://clinic.example/invitation/<redacted>/" in line


@pytest.mark.hazard("HZ-151")
def test_only_hashes_of_feed_and_invitation_tokens_are_stored(cast: Cast) -> None:
    feed = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
    _, invitation = services.create_patient(clinician=cast.clinician, email="new@example.org",
                                            name="New Person", timezone="UTC")
    stored = [f.token_hash for f in CalendarFeed.objects.all()] + [
        i.token_hash for i in Invitation.objects.all()]
    assert all(len(h) == 64 for h in stored)
    assert feed not in stored and invitation not in stored
    for table in ("clinic_calendarfeed", "clinic_invitation"):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")
            assert not any(feed in str(row) or invitation in str(row) for row in cursor.fetchall())


@pytest.mark.hazard("HZ-152")
def test_a_deactivated_patients_feed_stops_at_once(cast: Cast, client: Client) -> None:
    feed = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
    assert client.get(f"/feeds/{feed}.ics").status_code == 200
    cast.patient.user.is_active = False
    cast.patient.user.save(update_fields=["is_active"])
    assert client.get(f"/feeds/{feed}.ics").status_code == 404
    cast.patient.user.is_active = True  # the same link works again when the account does
    cast.patient.user.save(update_fields=["is_active"])
    assert client.get(f"/feeds/{feed}.ics").status_code == 200


@pytest.mark.hazard("HZ-152")
def test_a_deactivated_persons_invitation_stops_at_once(cast: Cast, client: Client) -> None:
    patient, token = services.create_patient(clinician=cast.clinician, email="new@example.org",
                                             name="New Person", timezone="UTC")
    assert client.get(f"/invitation/{token}/").status_code == 200
    patient.user.is_active = False
    patient.user.save(update_fields=["is_active"])
    assert client.get(f"/invitation/{token}/").status_code == 404
    page = client.post(f"/invitation/{token}/", {"password": factories.PASSWORD,
                                                 "password_again": factories.PASSWORD})
    assert page.status_code == 404
    patient.user.refresh_from_db()
    assert not patient.user.has_usable_password()


@pytest.mark.hazard("HZ-152")
def test_a_deactivated_persons_api_token_stops_at_once(cast: Cast, client: Client) -> None:
    _, secret = services.create_api_token(user=cast.clinician, name="script", actor=None)
    assert client.get("/api/dashboard", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    cast.clinician.is_active = False
    cast.clinician.save(update_fields=["is_active"])
    assert client.get("/api/dashboard", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


@pytest.mark.hazard("HZ-150")
def test_djangos_own_request_log_writes_no_token(cast: Cast, client: Client,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    feed = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
    with caplog.at_level("WARNING", logger="django.request"):
        assert client.get(f"/feeds/{feed[:-1]}x.ics").status_code == 404
    # The line is kept, its path is not (redacted, and dropped by the request log's NoPaths).
    assert "Not Found" in caplog.text and "/feeds/" not in caplog.text.replace("<redacted>", "")
    assert feed[:12] not in caplog.text
