"""One message: plain text, bounded."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from taper.web.messaging.models import MAX_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_LENGTH, strip=True,
        help_text=_("Plain text, up to 2,000 characters. No attachments. Not for emergencies."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_LENGTH}))
