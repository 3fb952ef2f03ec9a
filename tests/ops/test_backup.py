"""`taper backup` and `taper restore`: a consistent copy while the server runs, put back row
for row, on SQLite and PostgreSQL (the suite's PostgreSQL run), also under concurrent writes.
"""

from __future__ import annotations

import copy
import re
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from taper.cli import main
from taper.web.clinic import services
from taper.web.clinic.audit import trail
from taper.web.clinic.models import AuditEvent, CheckIn, Decision
from taper.web.ops import backup as ops_backup
from tests.ops.tables import pg_connect, rows_of, sqlite_rows
from tests.web import factories
from tests.web.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


def a_clinic(cast: Cast) -> None:
    """Plans, versions, check-ins, decisions (one flagged, so an alert), audit rows."""
    factories.week_of_checkins(cast.other_patient, days=4)
    factories.worse_after_a_cut(cast.patient)
    services.record_checkin(patient=cast.patient, entered_by=cast.clinician,
                            data=factories.quiet_checkin(factories.today_of(cast.patient),
                                                         symptoms={"hallucinations": 1}),
                            today=factories.today_of(cast.patient))


def settings_dict() -> dict[str, Any]:
    return copy.deepcopy(connection.settings_dict)


def taper(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    connections.close_all()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.hazard("HZ-167")
@pytest.mark.hazard("HZ-165")
def test_a_backup_restored_over_a_changed_database_gives_back_every_row(
        cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_clinic(cast)
    before = rows_of(settings_dict())
    assert sum(len(r) for r in before.values()) > 50 and before  # a real clinic, not an empty file
    status, out, err = taper("backup", str(tmp_path / "monday.backup"), capsys=capsys)
    assert (status, err) == (0, "") and out.startswith(f"Backed up to {tmp_path / 'monday.backup'}")
    assert not list(tmp_path.glob("*.partial"))

    today = factories.today_of(cast.patient)  # written after the backup: must go
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                            data=factories.quiet_checkin(today), today=today)
    trail.record("view", "after-backup")  # chained, as every audit row is
    assert rows_of(settings_dict()) != before

    status, out, err = taper("restore", str(tmp_path / "monday.backup"), capsys=capsys)
    assert status == 2 and "--force" in err and out == ""  # a database with records is refused
    assert rows_of(settings_dict()) != before  # and left alone

    status, out, err = taper("restore", "--force", str(tmp_path / "monday.backup"), capsys=capsys)
    assert (status, err) == (0, "") and out.startswith("Restored from")
    connections.close_all()  # reopen: the restored database as a new connection sees it
    assert rows_of(settings_dict()) == before
    assert CheckIn.objects.count() == len(before["clinic_checkin"])
    assert not AuditEvent.objects.filter(event="after-backup").exists()


@pytest.mark.hazard("HZ-165")
def test_a_backup_restores_into_an_empty_database_row_for_row(
        cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_clinic(cast)
    source = settings_dict()
    before = rows_of(source)
    status, _, err = taper("backup", str(tmp_path / "b"), capsys=capsys)
    assert (status, err) == (0, "")
    target = _empty_database(source, tmp_path)
    try:
        outcome = ops_backup.restore(tmp_path / "b", target)  # empty: no --force needed
        assert outcome.rows == sum(len(r) for n, r in before.items()
                                   if n not in ops_backup.BOOKKEEPING)
        assert rows_of(target) == before
    finally:
        _drop(target)


def _empty_database(source: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    target = copy.deepcopy(source)
    if source["ENGINE"].endswith("sqlite3"):
        target["NAME"] = str(tmp_path / "fresh.sqlite3")
    else:
        target["NAME"] = source["NAME"] + "_restore"
        with pg_connect(source) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
            db.execute(f'CREATE DATABASE "{target["NAME"]}"')
    return target


def _drop(target: dict[str, Any]) -> None:
    if not target["ENGINE"].endswith("sqlite3"):
        with pg_connect(target, "postgres") as db:
            db.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')


@pytest.mark.hazard("HZ-166")
def test_a_backup_taken_during_writes_is_a_consistent_prefix(cast: Cast, tmp_path: Path) -> None:
    """A writer keeps recording check-ins (each with its decision and audit row, one
    transaction) while the backup runs: the copy holds the first k of them, whole."""
    a_clinic(cast)
    stop, started, written = threading.Event(), threading.Event(), []
    person, day = cast.other_patient, factories.today_of(cast.other_patient)

    def writer() -> None:
        try:
            while not stop.is_set():
                decision = services.record_checkin(
                    patient=person, entered_by=person.user, data=factories.quiet_checkin(day),
                    today=day)
                written.append(decision.checkin_id)
                started.set()
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(60)
        first = len(written)
        ops_backup.backup(tmp_path / "busy.backup", settings_dict())
        during = len(written)
        while len(written) < during + 3 and thread.is_alive():  # writes go on after it, too
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join(60)
    live = rows_of(settings_dict())
    target = _empty_database(settings_dict(), tmp_path)
    try:
        ops_backup.restore(tmp_path / "busy.backup", target)
        copied = rows_of(target)
    finally:
        _drop(target)
    mine = {c[0] for c in live["clinic_checkin"]} & set(written)
    kept = sorted(c[0] for c in copied["clinic_checkin"] if c[0] in mine)
    assert first <= len(kept) < len(written)  # taken while the writer was writing
    assert kept == sorted(written)[:len(kept)]  # a prefix: no gap
    for table, rows in copied.items():  # every row copied is the live one, unchanged...
        # (an alert row is updated when its e-mail goes, and the audit chain's head row with
        # every audit row written: the copy may hold either as it was when the copy was taken)
        assert ({repr(r) for r in rows} <= {repr(r) for r in live[table]}
                or table in ("clinic_alert", "clinic_auditchainhead")), table
    # ...and each check-in came with its decision (one transaction, never half of it).
    checkin_ids = {c[0] for c in copied["clinic_checkin"]}
    assert len(copied["clinic_decision"]) == Decision.objects.filter(
        checkin_id__in=checkin_ids).count()


@pytest.mark.hazard("HZ-167")
def test_a_backup_never_overwrites_a_file_and_bad_paths_are_one_line(
        cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "taken").write_text("an older backup")
    status, out, err = taper("backup", str(tmp_path / "taken"), capsys=capsys)
    assert (status, out) == (2, "") and err.count("\n") == 1 and "already exists" in err
    assert (tmp_path / "taken").read_text() == "an older backup"
    status, _, err = taper("backup", str(tmp_path / "no-such-folder" / "b"), capsys=capsys)
    assert status == 2 and "does not exist" in err and err.count("\n") == 1
    status, _, err = taper("restore", str(tmp_path / "taken"), capsys=capsys)
    assert status == 2 and "not a Taper backup" in err and err.count("\n") == 1
    status, _, err = taper("restore", str(tmp_path / "missing"), capsys=capsys)
    assert status == 2 and "does not exist" in err and err.count("\n") == 1


@pytest.mark.hazard("HZ-167")
def test_a_backup_from_the_other_engine_is_refused(cast: Cast, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    other.write_bytes(b"PGDMP\x01" if connection.vendor == "sqlite" else b"SQLite format 3\x00")
    before = rows_of(settings_dict())
    status, _, err = taper("restore", "--force", str(other), capsys=capsys)
    assert status == 2 and "the configured database is" in err and err.count("\n") == 1
    assert rows_of(settings_dict()) == before


@pytest.mark.hazard("HZ-168")
def test_without_pg_dump_a_postgresql_backup_says_what_to_install(
        cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump, no pg_restore
    target = settings_dict()
    target["ENGINE"] = "django.db.backends.postgresql"
    with pytest.raises(ops_backup.BackupError, match=r"^pg_dump: not found on PATH; install"):
        ops_backup.backup(tmp_path / "b", target)
    assert not list(tmp_path.iterdir())  # nothing half-written
    if connection.vendor == "postgresql":
        status, out, err = taper("backup", str(tmp_path / "b"), capsys=capsys)
        assert (status, out) == (2, "") and err.startswith("taper backup: pg_dump: not found")


def test_the_restored_sqlite_copy_is_one_self_contained_file(cast: Cast, tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: a PostgreSQL backup is a pg_dump archive")
    ops_backup.backup(tmp_path / "b.sqlite3", settings_dict())
    assert not (tmp_path / "b.sqlite3-wal").exists()
    assert sqlite_rows(tmp_path / "b.sqlite3") == rows_of(settings_dict())


@pytest.mark.hazard("HZ-167")
def test_a_backup_into_a_folder_is_dated_and_keep_days_removes_only_old_ones(
        cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    now = datetime.now(UTC)
    old = tmp_path / f"taper-{now - timedelta(days=36):%Y%m%d-%H%M%S}Z.{suffix}"
    kept = tmp_path / f"taper-{now - timedelta(days=34):%Y%m%d-%H%M%S}Z.{suffix}"
    mine = tmp_path / "taper-19990101-000000Z.keep-me"  # not a name the command makes
    for path in (old, kept, mine):
        path.write_text("x")
    status, out, err = taper("backup", str(tmp_path), "--keep-days", "35", capsys=capsys)
    assert (status, err) == (0, "")
    made = [p for p in tmp_path.iterdir() if p not in (kept, mine)]
    assert len(made) == 1 and re.fullmatch(rf"taper-\d{{8}}-\d{{6}}Z\.{suffix}", made[0].name)
    assert ops_backup.kind_of(made[0]) == ("sqlite" if suffix == "sqlite3" else "postgresql")
    assert not old.exists() and kept.exists() and mine.exists()
    assert out.splitlines()[1:] == [f"Removed {old} (older than 35 days)"]
    for bad, message in ((["--keep-days", "0"], "--keep-days: must be a whole number"),
                         (["--keep-days", "x"], "--keep-days: must be a whole number")):
        status, _, err = taper("backup", str(tmp_path), *bad, capsys=capsys)
        assert status == 2 and message in err and err.count("\n") == 1
    status, _, err = taper("backup", str(tmp_path / "one-file"), "--keep-days", "3", capsys=capsys)
    assert status == 2 and "only when PATH is a folder" in err and not (tmp_path / "one-file").exists()


@pytest.mark.hazard("HZ-167")
def test_an_older_backup_is_not_restored_over_a_newer_postgresql_schema(
        cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pg_restore --clean drops only what the dump holds: a table a later migration made would
    stay behind, and the next migrate would fail on it. Refused, nothing changed."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: a SQLite restore replaces the whole file")
    ops_backup.backup(tmp_path / "older.pgdump", settings_dict())
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE clinic_newer (id integer)")
    try:
        before = rows_of(settings_dict())
        status, out, err = taper("restore", "--force", str(tmp_path / "older.pgdump"), capsys=capsys)
        assert (status, out) == (2, "") and err.count("\n") == 1
        assert "tables the backup does not (clinic_newer)" in err and "createdb" in err
        assert rows_of(settings_dict()) == before
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE clinic_newer")
