"""The patient's reminder choices, on their settings page (/account/settings/)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from taper.web.reminders.policy import policy

ON_OFF = [("on", _("On")), ("off", _("Off"))]


class ReminderSettingsForm(forms.Form):
    checkin_email = forms.ChoiceField(
        label=_("An e-mail if you have not checked in by your chosen time"),
        widget=forms.RadioSelect, choices=ON_OFF)
    checkin_time = forms.TimeField(
        label=_("Your chosen time"), input_formats=["%H:%M"],
        help_text=_("Such as 20:00. The e-mail only has a link to your check-in, no health details."),
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "maxlength": "5"}))
    refill_email = forms.ChoiceField(
        label=_("An e-mail before your plan needs a new medicine strength"),
        widget=forms.RadioSelect, choices=ON_OFF)
    refill_days = forms.IntegerField(
        label=_("How many days before"), min_value=policy().refill_days_low,
        max_value=policy().refill_days_high,
        help_text=_("Time to ask your pharmacy or clinic. Today shows a notice too."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))


class RefillDaysForm(forms.Form):
    """The clinician's one setting: the refill reminder's lead time for their patient."""

    refill_days = forms.IntegerField(
        label=_("Days before a new strength is first needed"), min_value=policy().refill_days_low,
        max_value=policy().refill_days_high,
        help_text=_("The patient sees a notice on Today and, unless they turned it off, an "
                    "e-mail this many days ahead."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
