"""Settings pages beside the account: the clinician's clinic contact and the patient's unit."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _

from taper.web.clinic import services
from taper.web.clinic.forms.preferences import ClinicContactForm, PatientPreferencesForm
from taper.web.clinic.language import patient_language
from taper.web.clinic.models import Role
from taper.web.clinic.views.access import AuthedRequest, role_required


@role_required(Role.CLINICIAN)
def clinic_contact(request: AuthedRequest) -> HttpResponse:
    me = request.user
    form = ClinicContactForm(request.POST if request.method == "POST" else None, initial={
        "name": me.clinic_name, "phone": me.clinic_phone, "hours": me.clinic_hours})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_clinic_contact(clinician=me, **form.cleaned_data)
        except services.ServiceError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            messages.success(request, "Saved. Your patients see this number wherever they are "
                                      "asked to contact you.")
            return redirect("clinic_contact")
    return render(request, "clinic/clinic_contact.html", {"form": form})


@role_required(Role.PATIENT)
def patient_preferences(request: AuthedRequest) -> HttpResponse:
    patient = request.user.patient
    form = PatientPreferencesForm(request.POST if request.method == "POST" else None,
                                  initial={"temperature_unit": patient.temperature_unit,
                                           "dose_alarms": "on" if patient.dose_alarms else "off",
                                           "language": patient.language})
    if request.method == "POST" and form.is_valid():
        services.set_patient_preferences(
            patient=patient, actor=request.user,
            temperature_unit=form.cleaned_data["temperature_unit"],
            dose_alarms=form.cleaned_data["dose_alarms"] == "on",
            language=form.cleaned_data.get("language") or "")
        # The message is read on the next page, in the language just chosen.
        translation.activate(patient_language(patient.language, get_language_from_request(request)))
        messages.success(request, _("Saved."))
        return redirect("patient_preferences")
    return render(request, "clinic/patient_preferences.html", {"form": form})
