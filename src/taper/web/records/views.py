"""The record's pages: the download of a patient's whole record (the patient or their
clinician) and the legal-hold switch (their clinician or an administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.utils.timezone import now
from django.views.decorators.http import require_POST

from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import Patient, Role
from taper.web.clinic.views.access import AuthedRequest, role_required
from taper.web.clinic.views.exports import patient_or_theirs
from taper.web.records import services


def attachment(body: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=services.FORMATS[fmt][0])
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"  # health data: no copy in any cache
    return response


@role_required(Role.CLINICIAN, Role.PATIENT)
def record_download(request: AuthedRequest, patient_id: int, fmt: str) -> HttpResponse:
    patient = patient_or_theirs(request.user, patient_id)
    if fmt not in services.FORMATS:
        raise Http404
    at = now()
    return attachment(services.record_document(patient, fmt, at), fmt,
                      services.record_filename(patient, fmt, at))


@require_POST
@login_required
def legal_hold(request: AuthedRequest, patient_id: int) -> HttpResponse:
    user = request.user
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not services.may_hold(user, patient):
        raise Http404  # a record this person may not see: its existence would leak
    held = request.POST.get("held") == "1"
    try:
        services.set_legal_hold(patient=patient, actor=user, held=held,
                                reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        messages.info(request, f"Legal hold {exc.message}.")
    else:
        messages.success(request, f"Legal hold {'on' if held else 'lifted'} for {patient.name}.")
    if user.role == Role.ADMIN:
        return redirect("accounts")
    return redirect("patient_detail", patient_id=patient.pk)
