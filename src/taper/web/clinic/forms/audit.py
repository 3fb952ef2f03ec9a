"""The audit page's filters and the token form."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from taper.web.clinic.models import AuditAction, AuditEvent


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=100,
                           help_text=_("For example “practice EHR import”."))


class AuditFilterForm(forms.Form):
    user = forms.CharField(label="Who (email contains)", required=False)
    patient = forms.IntegerField(label="Patient number", required=False, min_value=1)
    action = forms.ChoiceField(label="Action", required=False,
                               choices=[("", "any"), *AuditAction.choices])
    since = forms.DateField(label="From (UTC date)", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To (UTC date, inclusive)", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "must be on or after the first date")
        return data

    def rows(self) -> QuerySet[AuditEvent]:
        """The matching rows, newest first (filters that did not validate are not applied)."""
        found = AuditEvent.objects.select_related("actor")
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("user"):
            found = found.filter(Q(actor_email__icontains=data["user"])
                                 | Q(actor__email__icontains=data["user"]))
        if data.get("patient"):
            found = found.filter(patient_id=data["patient"])
        if data.get("action"):
            found = found.filter(action=data["action"])
        if data.get("since"):
            found = found.filter(at__gte=datetime.combine(data["since"], time(0), UTC))
        if data.get("until"):
            found = found.filter(at__lt=datetime.combine(data["until"] + timedelta(days=1), time(0), UTC))
        return found.order_by("-at", "-id")
