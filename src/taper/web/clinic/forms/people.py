"""Forms for people: a new patient, an invitation's password, self-registration, approval."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from taper.exports.options import MAX_MONITORING_DAYS
from taper.web.clinic.forms.fields import note as note_field
from taper.web.clinic.forms.fields import timezone_choices


class PatientForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices,
                                 initial="Europe/London")


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text=_("At least 10 characters."))
    password_again = forms.CharField(label=_("The same password again"), widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") not in (None, data["password"]):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


class RegisterForm(PatientForm, PasswordForm):
    pass


class ApproveForm(forms.Form):
    note = note_field("Note (optional)")


class StopForm(forms.Form):
    reason = forms.CharField(label="Why does this plan stop?", widget=forms.Textarea(
        attrs={"rows": 3}))


class HoldForm(forms.Form):
    days = forms.IntegerField(label="Extend the current step by (days)", min_value=1,
                              max_value=90, initial=3)
    reason = forms.CharField(label="Why?", widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Time (optional)", required=False,
                           widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)


class MonitoringForm(forms.Form):
    days = forms.IntegerField(label="Days of check-ins after the last dose", min_value=0,
                              max_value=MAX_MONITORING_DAYS)
