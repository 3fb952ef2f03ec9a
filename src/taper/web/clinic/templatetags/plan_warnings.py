"""`{{ engine_plan|warning_groups }}`: every plan table groups its warnings in one place."""

from __future__ import annotations

from django import template

from taper.core.plan import Plan
from taper.web.clinic import warning_groups as grouping

register = template.Library()


@register.filter
def warning_groups(plan: Plan) -> list[grouping.WarningGroup]:
    return grouping.warning_groups(plan)
