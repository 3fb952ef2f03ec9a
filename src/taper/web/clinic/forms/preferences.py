"""The clinic's contact (set by the clinician) and the patient's temperature unit."""

from __future__ import annotations

from django import forms

from taper.web.clinic.forms.fields import text


class ClinicContactForm(forms.Form):
    name = text("Clinic name, as your patients know it", maxlength="120")
    phone = text("Phone number your patients should call", input_type="tel",
                 help_text="With the country code if patients may call from abroad, "
                           "such as +44 20 7946 0000.", maxlength="32", autocomplete="tel")
    hours = text("When the phone is answered", help_text="Such as: Mon to Fri, 9:00 to 17:00.",
                 maxlength="120")


class PatientPreferencesForm(forms.Form):
    temperature_unit = forms.ChoiceField(
        label="Temperature unit for your check-in", widget=forms.RadioSelect,
        choices=[("C", "Celsius (°C)"), ("F", "Fahrenheit (°F)")])
    dose_alarms = forms.ChoiceField(
        label="A reminder at each dose time in your calendar link", widget=forms.RadioSelect,
        choices=[("on", "On"), ("off", "Off")])
