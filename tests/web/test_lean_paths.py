"""What keeps the hot paths cheap (issue 17), guarded without timing anything: the queries a
request makes, no write on an authenticated read, the token's rate limit counted in batches
that never pass the limit, and a database connection kept across requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from taper.web.clinic.models import ApiToken, CheckIn, DoseTaken, Patient, PlanVersion
from taper.web.clinic.services import tokens
from tests.web import factories
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_api_me_names_the_token_s_owner(cast: Cast, client: Client) -> None:
    answer = call(client, "get", "/api/me", token_for(cast.patient.user))
    assert answer.status_code == 200
    assert answer.json() == {"id": cast.patient.user.pk, "email": "sam@example.org", "role": "patient"}
    assert call(client, "get", "/api/me", "taper_not-a-real-token").status_code == 401


@override_settings(TOKEN_RATE_LIMIT=120)
def test_an_authenticated_read_writes_nothing_and_reads_only_the_token(
        cast: Cast, client: Client) -> None:
    secret = token_for(cast.clinician)
    assert call(client, "get", "/api/me", secret).status_code == 200  # counts a batch
    with CaptureQueriesContext(connection) as read:
        assert call(client, "get", "/api/me", secret).status_code == 200
    assert writes(read) == []
    assert len(read) == 1 and "clinic_apitoken" in read.captured_queries[0]["sql"]


@pytest.mark.hazard("HZ-220")
@override_settings(TOKEN_RATE_LIMIT=64)  # batches of 4
def test_batches_counted_by_two_workers_never_pass_the_limit(cast: Cast) -> None:
    token, _ = tokens.create_api_token(user=cast.clinician, name="ehr", actor=None)
    at = datetime(2026, 12, 4, 9, 0, 5, tzinfo=UTC)
    workers: list[dict[str, tuple[datetime, int]]] = [{}, {}]
    answers = []
    for n in range(80):  # the two workers take turns, each with its own memory
        tokens._held.clear()
        tokens._held.update(workers[n % 2])
        answers.append(tokens.lease(ApiToken.objects.get(pk=token.pk), at))
        workers[n % 2] = dict(tokens._held)
    tokens._held.clear()
    assert tokens.batch_size() == 4
    assert answers.count(True) == 64 and answers[64:] == [False] * 16
    assert ApiToken.objects.get(pk=token.pk).window_count == 64
    # The next window starts afresh, and the old window's batch is not spent in it.
    assert tokens.lease(ApiToken.objects.get(pk=token.pk), at + timedelta(seconds=60))
    assert ApiToken.objects.get(pk=token.pk).window_count == 4


@pytest.mark.hazard("HZ-220")
@override_settings(TOKEN_RATE_LIMIT=20)  # 20 // 16 = 1: a small limit is counted one by one
def test_near_the_limit_a_batch_shrinks_to_one_request(cast: Cast) -> None:
    token, _ = tokens.create_api_token(user=cast.clinician, name="ehr", actor=None)
    at = datetime(2026, 12, 4, 9, 0, 5, tzinfo=UTC)
    assert tokens.batch_size() == 1
    with override_settings(TOKEN_RATE_LIMIT=34):  # batches of 2; 33 counted, room for one
        assert tokens.batch_size() == 2
        ApiToken.objects.filter(pk=token.pk).update(window_start=tokens.window_of(at), window_count=33)
        assert tokens.lease(ApiToken.objects.get(pk=token.pk), at)
        assert ApiToken.objects.get(pk=token.pk).window_count == 34
        tokens._held.pop(token.token_hash, None)
        assert not tokens.lease(ApiToken.objects.get(pk=token.pk), at)


def test_the_connection_is_kept_on_both_databases(monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    from taper.web import settings as config

    for database in (config.sqlite_database(Path("/tmp/x.sqlite3")),
                     config.url_database("postgres://taper@localhost:5432/taper")):
        assert database["CONN_MAX_AGE"] == settings.CONN_MAX_AGE >= 60
        assert database["CONN_HEALTH_CHECKS"] is True
    sqlite = config.sqlite_database(Path("/tmp/x.sqlite3"))["OPTIONS"]
    assert sqlite["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in sqlite["init_command"]
    assert connection.settings_dict["CONN_MAX_AGE"] >= 60


def _two_requests_through_the_handler(secret: str) -> tuple[object, object]:
    """Two requests through Django's real WSGI handler (the test client keeps connections
    open whatever the settings; the handler closes them at request_finished unless kept)."""
    import io

    from django.core.handlers.wsgi import WSGIHandler

    handler, seen = WSGIHandler(), []
    for _ in range(2):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/api/me", "SERVER_NAME": "testserver",
                   "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(),
                   "HTTP_AUTHORIZATION": f"Bearer {secret}", "REMOTE_ADDR": "127.0.0.1"}
        response = handler(environ, lambda status, headers: None)
        assert response.status_code == 200
        response.close()  # what the server does: request_finished, close_old_connections
        seen.append(connection.connection)
    return seen[0], seen[1]


@pytest.mark.django_db(transaction=True)
def test_two_requests_share_one_connection(cast: Cast) -> None:
    first, second = _two_requests_through_the_handler(token_for(cast.clinician))
    assert first is not None and first is second


# ---- queries per request -----------------------------------------------------------------
# Counted without SAVEPOINT/RELEASE (the test's own transaction adds those; a server's
# request has BEGIN/COMMIT instead). Each number is listed statement by statement, so a
# change that adds one says which.

HISTORY = 'SELECT c."id", c."date", c."data", c."amends_id" FROM clinic_checkin c'  # _recent_rows


def statements(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries
            if not q["sql"].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]


def _history(patient: Patient, days: int) -> None:
    """Quiet check-ins on `days` days before yesterday, written straight to the table."""
    today = factories.today_of(patient)
    CheckIn.objects.bulk_create(
        CheckIn(patient=patient, date=today - timedelta(days=back),
                data=factories.quiet_checkin(today - timedelta(days=back)),
                entered_by=patient.user)
        for back in range(2, days + 2))


def _checkin_statements(cast: Cast, client: Client) -> list[str]:
    secret = token_for(cast.patient.user)
    assert call(client, "get", "/api/me", secret).status_code == 200  # the token's batch
    body = factories.quiet_checkin(factories.today_of(cast.patient))
    with CaptureQueriesContext(connection) as made:
        answer = call(client, "post", f"/api/patients/{cast.patient.pk}/checkins", secret, body)
    assert answer.status_code == 201, answer.content
    return statements(made)


@override_settings(TOKEN_RATE_LIMIT=120)
@pytest.mark.parametrize("days", [3, 90])
def test_a_checkin_is_eleven_statements_whatever_the_history(
        cast: Cast, client: Client, days: int) -> None:
    _history(cast.patient, days)
    made = _checkin_statements(cast, client)
    # token; patient; version (checked before the transaction); chain head (its lock);
    # patient (locked) with the id of the version in force, so the screened version is
    # not read again; history (one query); check-in; decision; chain head; audit row;
    # head moved on. No UPDATE of the token.
    assert len(made) == 11, "\n".join(made)
    assert sum("clinic_planversion" in sql for sql in made) == 2
    assert sum("clinic_checkin" in sql and sql.startswith("SELECT") for sql in made) == 1
    assert not [sql for sql in made if "clinic_apitoken" in sql and sql.startswith("UPDATE")]


def test_the_history_query_is_a_range_of_the_patient_date_index(cast: Cast) -> None:
    from taper.web.clinic.engine import stored_plan
    from taper.web.clinic.services.checkins import _recent_rows

    _history(cast.patient, 40)
    plan = stored_plan(cast.plan.plan_json)
    with CaptureQueriesContext(connection) as read:
        rows = _recent_rows(cast.patient, plan, factories.today_of(cast.patient) - timedelta(days=28))
    assert len(read) == 1 and 28 <= len(rows) <= 30
    sql = read.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan_text = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "SCAN clinic_checkin" not in plan_text.replace("SCAN clinic_checkin USING", "")
            assert "USING INDEX clinic_chec" in plan_text or "USING COVERING INDEX" in plan_text
        else:  # PostgreSQL: with sequential scans priced out, the index must serve it
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan_text = " ".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan_text and "Seq Scan on clinic_checkin" not in plan_text


def _today_statements(cast: Cast) -> list[str]:
    web = Client()
    web.force_login(cast.patient.user)
    Patient.objects.filter(pk=cast.patient.pk).update(seen_version=cast.plan)  # as every day
    assert web.get("/today/").status_code == 200
    with CaptureQueriesContext(connection) as read:
        assert web.get("/today/").status_code == 200
    return statements(read)


@pytest.mark.hazard("HZ-216")
@pytest.mark.parametrize("days", [3, 90])
def test_today_is_eleven_statements_whatever_the_history(cast: Cast, days: int) -> None:
    _history(cast.patient, days)
    made = _today_statements(cast)
    # session; user; the second-factor devices (every kind, one statement); patient; version;
    # the page's small reads in one (lean.today_page: the clinician, the clinic to call;
    # today's decision; today's marks; unread messages, the nav's count; the reminder days,
    # the refill notice's lead time); the check-in dates (the chart, and whether today has
    # one); follow-ups; chain head; audit row; head moved on.
    assert len(made) == 11, "\n".join(made)
    assert len([sql for sql in made if "clinic_dosetaken" in sql]) == 1
    assert len([sql for sql in made if "messaging_message" in sql]) == 1
    assert not [sql for sql in made if "clinic_patient" in sql and "WHERE" in sql
                and '"user_id" =' in sql and sql.startswith('SELECT "clinic_patient"."id" AS')]


def test_the_desk_is_eleven_statements(cast: Cast) -> None:
    desk = Client()
    desk.force_login(cast.clinician)
    assert desk.get("/desk/").status_code == 200
    with CaptureQueriesContext(connection) as read:
        assert desk.get("/desk/").status_code == 200
    # session; user; second-factor device; the patients; their decisions; their versions;
    # the dose changes ahead; unread messages (the nav and the desk share one count); chain
    # head; audit row; head moved on.
    assert len(statements(read)) == 11, "\n".join(statements(read))


def test_marking_a_dose_is_twelve_statements(cast: Cast, every_dose_due: None) -> None:
    web = Client()
    web.force_login(cast.patient.user)
    version = cast.plan
    first = stored_plan_times(version)
    with CaptureQueriesContext(connection) as made:
        answer = web.post("/today/taken/", {"time": first, "mark": "taken"})
    assert answer.status_code == 302
    # session; user; second-factor devices (one statement); patient; chain head (lock); version; the
    # mark (locked); the mark written; chain head; audit row; head moved on; the session
    # (the idle clock and the "marked as taken" message).
    assert len(statements(made)) == 12, "\n".join(statements(made))
    assert DoseTaken.objects.filter(patient=cast.patient).count() == 1


def stored_plan_times(version: PlanVersion) -> str:
    from taper.web.clinic.engine import stored_plan

    plan = stored_plan(version.plan_json)
    return f"{plan.steps[0].doses[0].time:%H:%M}"


@pytest.mark.parametrize("days", [3, 90])
def test_the_checkin_form_is_sixteen_statements_whatever_the_history(cast: Cast, days: int) -> None:
    _history(cast.patient, days)
    web = Client()
    web.force_login(cast.patient.user)
    assert web.get("/today/").status_code == 200
    with CaptureQueriesContext(connection) as made:
        answer = web.post("/checkin/", {"red_flags": "none", "new_or_worse": "no", "doses_all": "yes"})
    assert answer.status_code == 302
    # The page: session; user; second-factor devices (one statement); patient; version; the last
    # check-in (what carries over); today's dose marks. The service, as through the API:
    # version (before the transaction); chain head; patient (locked) with the id of the
    # version in force; history; check-in; decision; chain head; audit row; head moved on.
    made_statements = statements(made)
    assert len(made_statements) == 16, "\n".join(made_statements)
    assert sum(sql.startswith(HISTORY) for sql in made_statements) == 1
