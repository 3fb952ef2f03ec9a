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


class MoveForm(forms.Form):
    clinician = forms.ModelChoiceField(label="Move to", queryset=User.objects.none(),
                                       empty_label="Choose a clinician")

    def __init__(self, *args: Any, current: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinician"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (User.objects.filter(role=Role.CLINICIAN, is_active=True)
                          .exclude(pk=current).order_by("email"))
        field.label_from_instance = lambda u: u.email  # type: ignore[method-assign]
