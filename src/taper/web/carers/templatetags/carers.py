"""`{{ checkin|entered_by:carers }}`: who entered a check-in for the patient, in words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def entered_by(row: object, carers: dict[int, str] | None) -> str:
    """"Entered by Alex Patel" for a carer's entry; "" for the patient's own or the clinic's."""
    who = getattr(row, "entered_by_id", None)
    if not carers or who not in carers:
        return ""
    return _("Entered by %(name)s") % {"name": carers[who]}
