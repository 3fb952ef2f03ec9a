"""The account-management forms: every field bounded before any lookup."""

from __future__ import annotations

from typing import Any

from django import forms

from taper.web.clinic.models import Role, User
from taper.web.staff.services import EMAIL_MAX


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label="The person's email address", max_length=EMAIL_MAX,
                             help_text="The address they registered with. They see your "
                                       "request when they next log in, and accept or decline.")


class ClinicianChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return obj.email


class MoveForm(forms.Form):
    clinician = ClinicianChoice(label="Move to", queryset=User.objects.none(),
                                empty_label="Choose a clinician")

    def __init__(self, *args: Any, current: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        assert isinstance(field, ClinicianChoice)
        clinicians = User.objects.filter(role=Role.CLINICIAN, is_active=True).order_by("email")
        field.queryset = clinicians.exclude(pk=current) if current is not None else clinicians
