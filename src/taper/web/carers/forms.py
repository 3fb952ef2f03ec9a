"""The patient's form to invite a carer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from taper.web.carers.services import MAX_NAME


class InviteCarerForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=MAX_NAME)
    email = forms.EmailField(label=_("Their email address"), max_length=254)
    may_message = forms.BooleanField(
        label=_("Let them read and write my messages to my clinic"), required=False)
