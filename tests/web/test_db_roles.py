"""The two PostgreSQL roles (issue 16): the application's role, set up by `grant_app_role`
as docs/web.md says, may INSERT and SELECT the audit trail and nothing more on it: no UPDATE,
DELETE or TRUNCATE, no ALTER, no switching its trigger off. The owner runs migrations.
scripts/with-postgres creates both roles (TAPER_APP_ROLE) and runs the suite as the owner.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from taper.web.clinic import services
from taper.web.clinic.audit import chain, trail
from taper.web.clinic.models import AuditEvent
from tests.web.conftest import Cast

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="roles are PostgreSQL's; SQLite's test is below")


@pytest.fixture
def app_role(cast: Cast) -> str:
    role = os.environ.get("TAPER_APP_ROLE", "taper_app")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:  # outside scripts/with-postgres: made in this transaction
            cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)}")
    call_command("grant_app_role", role, stdout=open(os.devnull, "w"))
    return role


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@postgres_only
@pytest.mark.hazard("HZ-157")
@pytest.mark.parametrize("sql,refusal", [
    ("UPDATE clinic_auditevent SET action = 'view'", "permission denied"),
    ("DELETE FROM clinic_auditevent", "permission denied"),
    ("TRUNCATE clinic_auditevent", "permission denied"),
    ("ALTER TABLE clinic_auditevent DISABLE TRIGGER clinic_auditevent_append_only", "must be owner"),
    ("ALTER TABLE clinic_auditevent DISABLE TRIGGER ALL", "must be owner"),
    ("DROP TRIGGER clinic_auditevent_append_only ON clinic_auditevent", "must be owner"),
    ("ALTER TABLE clinic_auditevent ADD COLUMN x int", "must be owner"),
    ("DROP TABLE clinic_auditevent", "must be owner"),
    ("INSERT INTO django_migrations (app, name, applied) VALUES ('clinic', 'x', now())",
     "permission denied"),
], ids=["update", "delete", "truncate", "disable-trigger", "disable-all", "drop-trigger",
        "alter", "drop", "fake-migration"])
def test_the_app_role_cannot_change_or_silence_the_trail(app_role: str, sql: str,
                                                         refusal: str) -> None:
    rows = AuditEvent.objects.count()
    with acting_as(app_role), pytest.raises(DatabaseError, match=refusal), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == rows and chain.verify().intact


@postgres_only
@pytest.mark.hazard("HZ-157")
def test_the_app_role_appends_to_the_trail_and_does_its_work(app_role: str, cast: Cast) -> None:
    with acting_as(app_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == app_role
        services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)  # a change
        trail.record("view", "test", actor=cast.clinician, status=200)
        assert chain.verify().intact
        call_command("migrate", verbosity=0)  # `taper serve` starts so: nothing to apply, reads only
    assert AuditEvent.objects.filter(event__in=["create_calendar_feed", "test"]).count() == 2


@postgres_only
def test_the_grant_refuses_a_superuser_or_the_owner(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'clinic_auditevent'")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="owns the audit table"):
        call_command("grant_app_role", owner)
    with pytest.raises(CommandError, match="is a superuser"):
        call_command("grant_app_role", "postgres")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("grant_app_role", "nobody_here")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's answer")
def test_the_grant_says_plainly_that_sqlite_has_no_roles(db: None) -> None:
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("grant_app_role", "taper_app")
