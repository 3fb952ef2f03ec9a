"""The clinic's contact (set by the clinician) and the patient's temperature unit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from taper.web.clinic.forms.fields import text


class ClinicContactForm(forms.Form):
    name = text("Clinic name, as your patients know it", maxlength="120")
    phone = text("Phone number your patients should call", input_type="tel",
                 help_text="With the country code if patients may call from abroad, "
                           "such as +44 20 7946 0000.", maxlength="32", autocomplete="tel")
    hours = text("When the phone is answered", help_text="Such as: Mon to Fri, 9:00 to 17:00.",
                 maxlength="120")


class PatientPreferencesForm(forms.Form):
    # Each language is named in itself, so a person who cannot read the page finds their own.
    language = forms.ChoiceField(
        label=_("Language of your pages and e-mails"), widget=forms.RadioSelect,
        choices=[("", _("The same as my browser")), ("en", "English"), ("es", "Español")],
        required=False)
    temperature_unit = forms.ChoiceField(
        label=_("Temperature unit for your check-in"), widget=forms.RadioSelect,
        choices=[("C", _("Celsius (°C)")), ("F", _("Fahrenheit (°F)"))])
    dose_alarms = forms.ChoiceField(
        label=_("A reminder at each dose time in your calendar link"), widget=forms.RadioSelect,
        choices=[("on", _("On")), ("off", _("Off"))])
