"""The audit trail's hash chain (issue 16): `taper audit verify` passes an intact trail and
names the first row edited, removed or inserted directly in the database, on both databases;
two writers at once never fork the chain; the migration builds the chain over older rows.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from taper.cli import main
from taper.web.clinic.audit import chain, trail
from taper.web.clinic.models import AuditChainHead, AuditEvent
from tests.web.conftest import Cast
from tests.web.test_concurrency import at_once

TRIGGER = "clinic_auditevent_append_only"


def as_owner(sql: str, params: list[Any] | None = None) -> None:
    """Raw SQL as the table's owner would run it: on PostgreSQL the owner may switch the
    append-only trigger off; SQLite has no such guard to switch."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE clinic_auditevent DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE clinic_auditevent ENABLE TRIGGER {TRIGGER}")


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["audit", "verify", *args])
    return code, capsys.readouterr().out.strip()


def rows() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("seq"))


@pytest.fixture
def trail_of_five(cast: Cast) -> list[AuditEvent]:
    for i in range(5):
        trail.record("view", f"test_{i}", actor=cast.clinician, record_type="patient",
                     record_id=cast.patient.pk, patient_id=cast.patient.pk, status=200)
    return rows()


@pytest.mark.hazard("HZ-153")
def test_an_intact_trail_verifies_and_prints_its_head(trail_of_five: list[AuditEvent],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, out = verify(capsys)
    last = trail_of_five[-1]
    assert code == 0, out
    assert out == (f"audit trail intact: {len(trail_of_five)} rows; "
                   f"head {last.seq}:{last.chain_hash}")
    assert [r.seq for r in trail_of_five] == list(range(1, len(trail_of_five) + 1))


@pytest.mark.hazard("HZ-153")
@pytest.mark.parametrize("column,value", [("action", "export"), ("path", "/elsewhere/"),
                                          ("actor_email", "someone.else@example.org"),
                                          ("patient_id", 999), ("ip", "10.9.9.9")])
def test_a_row_edited_in_the_database_is_named(trail_of_five: list[AuditEvent], column: str,
                                               value: object,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = trail_of_five[-3]
    as_owner(f"UPDATE clinic_auditevent SET {column} = %s WHERE id = %s", [value, target.pk])
    code, out = verify(capsys)
    assert code == 1
    assert f"row id {target.pk} (seq {target.seq})" in out and "edited" in out
    assert out.startswith(f"audit trail BROKEN after {target.seq - 1} intact rows")


@pytest.mark.hazard("HZ-153")
def test_a_row_removed_from_the_middle_is_noticed_at_the_next(
        trail_of_five: list[AuditEvent], capsys: pytest.CaptureFixture[str]) -> None:
    gone, after = trail_of_five[1], trail_of_five[2]
    as_owner("DELETE FROM clinic_auditevent WHERE id = %s", [gone.pk])
    code, out = verify(capsys)
    assert code == 1 and f"row id {after.pk} (seq {after.seq})" in out and "missing" in out


@pytest.mark.hazard("HZ-153")
def test_rows_removed_from_the_end_are_noticed_by_the_head(
        trail_of_five: list[AuditEvent], capsys: pytest.CaptureFixture[str]) -> None:
    as_owner("DELETE FROM clinic_auditevent WHERE id = %s", [trail_of_five[-1].pk])
    code, out = verify(capsys)
    assert code == 1 and f"head names seq {trail_of_five[-1].seq}" in out


@pytest.mark.hazard("HZ-153")
def test_a_tail_rewritten_with_fresh_hashes_is_caught_by_a_head_kept_elsewhere(
        trail_of_five: list[AuditEvent], capsys: pytest.CaptureFixture[str]) -> None:
    noted = f"{trail_of_five[-1].seq}:{trail_of_five[-1].chain_hash}"
    target = trail_of_five[-2]
    as_owner("UPDATE clinic_auditevent SET action = 'export' WHERE id = %s", [target.pk])
    previous = trail_of_five[-3].chain_hash
    for row in rows()[-2:]:  # the forger recomputes every later hash and the head
        fields = {name: getattr(row, name) for name in chain.FIELDS}
        previous = chain.link(previous, fields)
        as_owner("UPDATE clinic_auditevent SET chain_hash = %s WHERE id = %s", [previous, row.pk])
    AuditChainHead.objects.filter(pk=1).update(hash=previous)
    assert verify(capsys)[0] == 0  # what a chain alone cannot see (docs/web.md)
    code, out = verify(capsys, "--head", noted)
    assert code == 1 and "differs from the head noted earlier" in out


def test_a_bad_head_argument_is_one_line_and_exit_2(db: None,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "verify", "--head", "12:nothex"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("taper audit: --head: expected SEQ:SHA256") and "\n" not in err


@pytest.mark.hazard("HZ-153")
def test_the_migration_builds_the_chain_over_older_rows_and_redacts_their_paths(
        trail_of_five: list[AuditEvent], capsys: pytest.CaptureFixture[str]) -> None:
    token = "Zx8_q-3kLmN0pQrStUvWxYz0123456789abcdEFGH"
    # As rows written before migration 0007: no place in a chain, a token in a path.
    as_owner("UPDATE clinic_auditevent SET seq = -id, chain_hash = ''")
    as_owner("UPDATE clinic_auditevent SET path = %s WHERE id = %s",
             [f"/feeds/{token}.ics", trail_of_five[0].pk])
    AuditChainHead.objects.all().delete()
    assert verify(capsys)[0] == 1
    migration = importlib.import_module("taper.web.clinic.migrations.0007_secrets_audit_chain")
    with connection.cursor() as cursor:
        migration.build_chain(apps, SimpleNamespace(connection=connection, execute=cursor.execute))
    code, out = verify(capsys)
    assert code == 0, out
    assert [r.pk for r in rows()] == [r.pk for r in trail_of_five]  # in the order written
    assert AuditEvent.objects.get(pk=trail_of_five[0].pk).path == "/feeds/<redacted>.ics"


@pytest.mark.hazard("HZ-154")
@pytest.mark.django_db(transaction=True)
def test_writers_at_once_never_fork_the_chain(cast: Cast,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    before = AuditEvent.objects.count()

    def write(i: int) -> int:
        for n in range(10):
            trail.record("view", f"writer_{i}_{n}", actor=cast.clinician, status=200)
        return i

    results = at_once(*[lambda i=i: write(i) for i in range(4)])
    assert results == [0, 1, 2, 3], results
    code, out = verify(capsys)
    assert code == 0, out
    assert AuditEvent.objects.count() == before + 40
    assert [r.seq for r in rows()] == list(range(1, before + 41))


@pytest.mark.hazard("HZ-154")
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks are PostgreSQL's; SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_service_holds_the_chain_before_it_locks_anything_else(cast: Cast) -> None:
    """A service that calls another records mid-way, then locks more rows; were the chain's
    lock taken only then, two such transactions could deadlock. It is taken first."""
    trail.record("view", "before", status=200)  # a committed head row to lock

    def chain_is_free() -> bool:
        try:
            with transaction.atomic():
                AuditChainHead.objects.select_for_update(nowait=True).filter(pk=1).first()
        except DatabaseError:
            return False
        return True

    @transaction.atomic
    @trail.audited("probe", actor=None)
    def probe() -> list[object]:
        return at_once(chain_is_free)  # before the service has recorded anything

    assert at_once(chain_is_free) == [True]
    assert probe() == [False]


@pytest.mark.hazard("HZ-153")
def test_a_row_already_in_the_trail_is_never_appended_again(
        trail_of_five: list[AuditEvent]) -> None:
    """The chain inserts its rows itself (one INSERT, issue 17): a row read back from the
    trail is refused, and neither the rows nor the head move."""
    head = AuditChainHead.objects.get(pk=1)
    before = [(r.pk, r.event, r.seq, r.chain_hash) for r in trail_of_five]
    again = trail_of_five[-2]
    again.event = "edited"
    with pytest.raises(TypeError, match="append-only"), transaction.atomic():
        chain.append(again)
    assert [(r.pk, r.event, r.seq, r.chain_hash) for r in rows()] == before
    assert (AuditChainHead.objects.get(pk=1).seq, AuditChainHead.objects.get(pk=1).hash) == (
        head.seq, head.hash)
