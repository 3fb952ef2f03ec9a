"""`taper export-record` and `taper purge`: in this process on the test database (both
databases), and as the real command for bad input (one line, exit 2)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from taper.cli import main
from taper.exports.record import check
from taper.web.clinic import services
from taper.web.clinic.models import AuditEvent, CheckIn, Patient
from taper.web.records import retention
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.test_cli import taper


@pytest.fixture
def django_ready(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test database is already set up and migrated."""
    monkeypatch.setattr("taper.cli.web.setup_django", lambda demo=False: None)


@pytest.mark.hazard("HZ-175")
def test_export_record_by_email_writes_the_bundle_and_the_pdf_and_is_audited(
        cast: Cast, tmp_path: Path, django_ready: None, capsys: Any) -> None:
    factories.week_of_checkins(cast.patient, 2)
    out = tmp_path / "sam.json"
    assert main(["export-record", "SAM@example.org", str(out)]) == 0
    bundle = json.loads(out.read_bytes())
    check(bundle)
    responses = [e for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == CheckIn.objects.filter(patient=cast.patient).count() == 2
    assert (tmp_path / "sam.pdf").read_bytes().startswith(b"%PDF")
    row = AuditEvent.objects.get(event="export-record")
    assert (row.action, row.patient_id, row.via, row.actor_id) == (
        "export", cast.patient.pk, "cli", None)


def test_export_record_by_id_refuses_to_overwrite_without_force(
        cast: Cast, tmp_path: Path, django_ready: None, capsys: Any) -> None:
    out = tmp_path / "r.json"
    out.write_text("keep me")
    assert main(["export-record", str(cast.patient.pk), str(out), "--no-pdf"]) == 2
    assert out.read_text() == "keep me" and "--force" in capsys.readouterr().err
    assert main(["export-record", str(cast.patient.pk), str(out), "--no-pdf", "--force"]) == 0
    assert json.loads(out.read_text())["type"] == "collection"
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(("patient", "file", "says"), [
    ("sam", "r.json", "PATIENT: a patient's id (a number) or e-mail address"),
    ("999", "r.json", "PATIENT: no patient '999'"),
    ("nobody@example.org", "r.json", "PATIENT: no patient"),
    ("1", "r.txt", "FILE: must end in .json"),
    ("1", "missing/r.json", "FILE: the folder"),
], ids=["not-an-id", "unknown-id", "unknown-email", "not-json", "no-folder"])
def test_export_record_bad_input_is_one_line_and_exit_2(
        cast: Cast, tmp_path: Path, django_ready: None, capsys: Any, patient: str, file: str,
        says: str) -> None:
    assert main(["export-record", patient, str(tmp_path / file)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_the_real_command_refuses_bad_input_in_one_line(tmp_path: Path) -> None:
    run = taper("export-record", "nobody@example.org", str(tmp_path / "r.json"),
                tmp_path=tmp_path)
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "PATIENT: no patient" in run.stderr and "Traceback" not in run.stderr
    off = taper("purge", "--dry-run", tmp_path=tmp_path)
    assert off.returncode == 2 and off.stderr.count("\n") == 1
    assert "TAPER_RETENTION_DAYS: retention is off" in off.stderr
    bad = taper("purge", tmp_path=tmp_path, TAPER_RETENTION_DAYS="a year")
    assert bad.returncode == 2 and "TAPER_RETENTION_DAYS: must be a whole number" in bad.stderr


@pytest.mark.hazard("HZ-177")
def test_purge_dry_run_lists_the_ids_the_purge_then_deletes(
        cast: Cast, django_ready: None, capsys: Any, settings: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    factories.week_of_checkins(cast.patient, 2)
    services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Finished elsewhere.")
    settings.RETENTION_DAYS = 30
    later = retention.last_activity(cast.patient) + timedelta(days=31)  # type: ignore[operator]
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert main(["purge", "--dry-run"]) == 0
    listed = capsys.readouterr().out
    assert f"patient {cast.patient.pk}:" in listed and "2 checkin" in listed
    assert "Sam" not in listed and "sam@" not in listed  # ids and counts only
    assert "1 record(s) would be deleted" in listed and Patient.objects.filter(
        pk=cast.patient.pk).exists()
    assert main(["purge"]) == 0
    done = capsys.readouterr().out
    assert f"patient {cast.patient.pk}: deleted" in done and "2 checkin" in done
    assert not Patient.objects.filter(pk=cast.patient.pk).exists()
    assert Patient.objects.filter(pk=cast.other_patient.pk).exists()
