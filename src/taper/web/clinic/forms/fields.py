"""Widgets and choices shared by the forms (time zones, labelled radios)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from django import forms

from taper.core.limits import MAX_LABEL_CHARS, MAX_NOTE_CHARS

if TYPE_CHECKING:  # django-stubs' name for a lazy translation (gettext_lazy)
    from django.utils.functional import _StrPromise


@cache
def timezone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(available_timezones()) if "/" in z or z == "UTC"]


def text(label: str | _StrPromise, *, required: bool = False, help_text: str = "", inputmode: str = "",
         input_type: str = "text", max_length: int = MAX_LABEL_CHARS,
         **attrs: str) -> forms.CharField:
    """A text field kept exactly as typed: the engine's parser is the one that validates.

    Bounded (issue 16): Django's CharField also refuses a NUL character."""
    widget_attrs = {"inputmode": inputmode} if inputmode else {}
    widget_attrs.update(attrs)
    widget = forms.TextInput(attrs=widget_attrs)
    widget.input_type = input_type
    return forms.CharField(label=label, required=required, help_text=help_text, strip=True,
                           widget=widget, max_length=max_length)


def note(label: str | _StrPromise, *, rows: int = 3) -> forms.CharField:
    """Free text of at most MAX_NOTE_CHARS characters (taper.core.limits), never a NUL."""
    return forms.CharField(label=label, required=False, max_length=MAX_NOTE_CHARS,
                           widget=forms.Textarea(attrs={"rows": rows}))
