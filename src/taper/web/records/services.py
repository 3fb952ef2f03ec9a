"""The record's services: the documents of a patient's whole record, and legal hold.

Reading the record changes nothing, so it is no service; the page and API downloads are
audited by the middleware (an "export" row each), the command line records its own row.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from taper.web.clinic.audit import audited
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import Patient, Role, User
from taper.web.records.models import LegalHold

FORMATS = {"fhir": ("application/fhir+json", "json"), "pdf": ("application/pdf", "pdf")}


def record_document(patient: Patient, fmt: str, at: datetime) -> bytes:
    """The whole record as FHIR JSON or PDF (KeyError for another format)."""
    from taper.exports.record import render_fhir
    from taper.exports.record.pdf import render_pdf
    from taper.web.records.gather import patient_record

    render = {"fhir": render_fhir, "pdf": render_pdf}[fmt]
    return render(patient_record(patient, at))


def record_filename(patient: Patient, fmt: str, at: datetime) -> str:
    return f"record-{patient.pk}-{at:%Y%m%d}.{FORMATS[fmt][1]}"


def is_held(patient: Patient) -> bool:
    return LegalHold.objects.filter(patient=patient).exists()


def may_hold(actor: User | None, patient: Patient) -> bool:
    """The patient's clinician or an administrator (None: the operator's command line)."""
    if actor is None:
        return True
    return actor.role == Role.ADMIN or (actor.role == Role.CLINICIAN
                                        and patient.clinician_id == actor.pk)


@transaction.atomic
@audited("legal_hold", actor="actor", subject="patient")
def set_legal_hold(*, patient: Patient, actor: User | None, held: bool, reason: str = "") -> bool:
    """Put the record on legal hold (kept whatever the retention period) or lift it."""
    if not may_hold(actor, patient):
        raise ServiceError("", "only the patient's clinician or an administrator can change a legal hold")
    # Lock the patient row: a purge deciding on this patient waits for the answer.
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    if held == is_held(patient):
        raise ServiceError("legal_hold", "already on" if held else "already off")
    if held:
        LegalHold.objects.create(patient=patient, set_by=actor, reason=reason.strip()[:200])
    else:
        LegalHold.objects.filter(patient=patient).delete()
    return held
