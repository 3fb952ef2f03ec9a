"""`GET /api/patients/{id}/record` (FHIR JSON) and `.../record.pdf`: the patient themself
or their clinician, as the other patient routes; anyone else a 404, another role a 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.timezone import now
from ninja import Router

from taper.web.clinic.models import Role, User
from taper.web.clinic.views.access import require_role
from taper.web.clinic.views.exports import patient_or_theirs
from taper.web.records import services
from taper.web.records.views import attachment

router = Router(tags=["record"])


def _download(request: HttpRequest, patient_id: int, fmt: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    require_role(user, Role.CLINICIAN, Role.PATIENT)
    patient = patient_or_theirs(user, patient_id)
    at = now()
    return attachment(services.record_document(patient, fmt, at), fmt,
                      services.record_filename(patient, fmt, at))


def _fails() -> dict[int, Any]:
    from taper.web.clinic.api.schemas import Error

    return {code: Error for code in (401, 403, 404, 429, 500)}


def _document(media_type: str, kind: str) -> dict[str, Any]:
    """The 200 answer in the OpenAPI document: a file of this type, not ninja's JSON."""
    schema = {"type": kind} if kind == "object" else {"type": kind, "format": "binary"}
    return {"responses": {200: {"description": "an attachment",
                                "content": {media_type: {"schema": schema}}}}}


@router.get("/patients/{int:patient_id}/record", url_name="patient_record",
            response=_fails(), openapi_extra=_document("application/fhir+json", "object"),
            summary="The patient's whole record: a FHIR R4 Bundle (collection)")
def patient_record(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _download(request, patient_id, "fhir")


@router.get("/patients/{int:patient_id}/record.pdf", url_name="patient_record_pdf",
            response=_fails(), openapi_extra=_document("application/pdf", "string"),
            summary="The patient's whole record as a PDF to read")
def patient_record_pdf(request: HttpRequest, patient_id: int) -> HttpResponse:
    return _download(request, patient_id, "pdf")
