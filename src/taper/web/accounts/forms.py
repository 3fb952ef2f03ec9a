"""Forms of the identity pages; every address is normalised before anything looks it up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from taper.web.accounts import throttle
from taper.web.accounts.client import normal_email


class LoginForm(AuthenticationForm):
    """Django's login form with the address in its stored spelling (issue 16: a lockout
    keyed on "alice@x" must also hold "ALICE@X")."""

    def clean_username(self) -> str:
        return normal_email(self.cleaned_data.get("username"))


class ResetForm(PasswordResetForm):
    """Django's reset form; an address asked about too often gets no more e-mails, and the
    page says the same either way (no enumeration, no mail bombing)."""

    def clean_email(self) -> str:
        return normal_email(self.cleaned_data.get("email"))

    def get_users(self, email: str) -> Any:
        if not throttle.hit("reset_address", normal_email(email)):
            return iter(())
        return super().get_users(email)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autocapitalize": "characters", "spellcheck": "false"}))
