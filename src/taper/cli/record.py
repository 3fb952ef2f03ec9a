"""`taper export-record` (a patient's whole record to a file: FHIR JSON, the PDF beside it)
and `taper purge` (retention: delete the records whose retention period has passed).

Both are the operator's commands, thin over `taper.web.records`; each leaves an audit row.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from taper.cli.errors import UsageError


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "export-record":
        parser.add_argument("patient", metavar="PATIENT", help="the patient's id or e-mail address")
        parser.add_argument("file", metavar="FILE",
                            help="where to write the FHIR Bundle (.json); the PDF goes beside it")
        parser.add_argument("--no-pdf", action="store_true", help="write the FHIR Bundle only")
        parser.add_argument("--force", action="store_true", help="replace files already there")
        parser.epilog = "Leaves an 'export' row in the audit trail (via cli)."
    else:
        parser.add_argument("--dry-run", action="store_true",
                            help="list what would be deleted; delete nothing")
        parser.epilog = ("Deletes the records of patients whose taper ended more than "
                         "TAPER_RETENTION_DAYS days ago, except those on legal hold. Audit rows "
                         "are kept; each purge appends its own, with counts only.")


def run(args: argparse.Namespace) -> int:
    return export_record(args) if args.command == "export-record" else purge(args)


def _targets(file: str, with_pdf: bool, force: bool) -> list[Path]:
    path = Path(file)
    if path.suffix.lower() != ".json":
        raise UsageError(f"FILE: must end in .json (the PDF is written beside it), got {file!r}")
    if not path.parent.is_dir():
        raise UsageError(f"FILE: the folder {str(path.parent)!r} does not exist")
    found = [path, path.with_suffix(".pdf")] if with_pdf else [path]
    for target in found:
        if target.exists() and not force:
            raise UsageError(f"FILE: {str(target)!r} exists; use --force to replace it")
    return found


def _find(patient: str) -> Any:
    from taper.web.clinic.models import Patient

    text = patient.strip()
    if text.isdigit():
        found = Patient.objects.filter(pk=int(text)).select_related("user").first()
    elif "@" in text:
        found = Patient.objects.filter(user__email__iexact=text).select_related("user").first()
    else:
        raise UsageError(f"PATIENT: a patient's id (a number) or e-mail address, got {patient!r}")
    if found is None:
        raise UsageError(f"PATIENT: no patient {patient!r}")
    return found


def _write(path: Path, body: bytes) -> None:
    """Whole or not at all: a temporary file in the same folder, then renamed over."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_record(args: argparse.Namespace) -> int:
    targets = _targets(args.file, not args.no_pdf, args.force)
    from taper.cli.web import setup_django

    setup_django()
    from django.utils.timezone import now

    from taper.web.clinic.audit import record
    from taper.web.clinic.models import AuditAction
    from taper.web.records.services import record_document

    patient = _find(args.patient)
    at = now()
    documents = [record_document(patient, fmt, at) for fmt in ("fhir", "pdf")[:len(targets)]]
    record(AuditAction.EXPORT, "export-record", record_type="patient", record_id=patient.pk,
           patient_id=patient.pk, via="cli")
    for path, body in zip(targets, documents, strict=True):
        _write(path, body)
        print(f"Wrote {path} ({len(body)} bytes)")
    return 0


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing"


def purge(args: argparse.Namespace) -> int:
    from taper.cli.web import setup_django

    setup_django()
    from django.conf import settings
    from django.utils.timezone import now

    from taper.web.clinic.audit import record
    from taper.web.clinic.models import AuditAction
    from taper.web.records import retention

    days = int(settings.RETENTION_DAYS)
    if days <= 0:
        raise UsageError("TAPER_RETENTION_DAYS: retention is off (unset or 0); set a number of "
                         "days to purge records that long after their taper ended")
    at = now()
    if args.dry_run:
        due = retention.due(at, days)
        record(AuditAction.VIEW, "purge_dry_run", record_type="purge_run", via="cli")
        for d in due:
            print(f"patient {d.patient_id}: last activity {d.last_activity:%Y-%m-%d}; "
                  f"{_counts(d.counts)}")
        print(f"{len(due)} record(s) would be deleted (retention {days} days); dry run, "
              "nothing deleted")
        return 0
    run = retention.purge(at=at, days=days)
    for pid in run.patient_ids:
        print(f"patient {pid}: deleted")
    print(f"{len(run.patient_ids)} record(s) deleted (retention {days} days; purge run {run.pk}): "
          f"{_counts(run.counts)}")
    return 0
