"""The message thread for the patient's side and the clinician's, and the clinician's inbox."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from taper.web.carers.acting import acting_patient
from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import Patient, Role
from taper.web.clinic.views.access import AuthedRequest, my_patient, role_required
from taper.web.clinic.views.patient import contact_of
from taper.web.messaging import services
from taper.web.messaging.forms import MessageForm


def _thread_page(request: AuthedRequest, patient: Patient, back: str) -> HttpResponse:
    """GET: the thread (the other side's messages become read); POST: send one."""
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(patient=patient, author=request.user,
                                  body=form.cleaned_data["body"])
        except ServiceError as exc:
            form.add_error("body" if exc.field == "body" else None, exc.message)
        else:
            flash.success(request, _("Your message has been sent."))
            return redirect(request.path)
    if request.method == "GET":
        services.mark_read(patient=patient, reader=request.user)
    clinic_side = services.is_clinic_side(request.user, patient)
    return render(request, "messaging/thread.html", {
        "patient": patient, "form": form, "rows": services.thread(patient),
        "clinic_side": clinic_side, "back": back, "carers": _carer_names(patient),
        "clinic": None if clinic_side else contact_of(patient)},
        status=400 if form.errors else 200)


def _carer_names(patient: Patient) -> dict[int, str]:
    from taper.web.carers.services import carer_names

    return carer_names(patient)


@require_http_methods(["GET", "POST"])
@role_required(Role.PATIENT, Role.CARER)
def patient_messages(request: AuthedRequest) -> HttpResponse:
    patient = acting_patient(request)
    if patient.clinician_id is None:
        return render(request, "messaging/no_clinic.html", {"patient": patient})
    if not services.may_use_thread(request.user, patient):
        raise Http404  # a carer the patient has not allowed to read their messages
    return _thread_page(request, patient, "today")


@require_http_methods(["GET", "POST"])
@role_required(Role.CLINICIAN)
def clinician_messages(request: AuthedRequest, patient_id: int) -> HttpResponse:
    return _thread_page(request, my_patient(request.user, patient_id), "message_inbox")


@require_safe
@role_required(Role.CLINICIAN)
def inbox(request: AuthedRequest) -> HttpResponse:
    return render(request, "messaging/inbox.html", {"rows": services.inbox(request.user)})
