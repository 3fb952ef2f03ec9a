"""Template filters for patient pages: `{{ d|day }}`, `{{ d|long_day }}`, `{{ t|clock }}`."""

from __future__ import annotations

from datetime import date, datetime, time

from django import template
from django.utils.timezone import localtime

from taper.web.clinic.wording import (
    clock_words,
    date_words,
    day_words,
    long_day_words,
    short_date_words,
)

register = template.Library()


@register.filter
def day(value: date | None) -> str:
    return "" if value is None else day_words(value)


@register.filter
def long_day(value: date | None) -> str:
    return "" if value is None else long_day_words(value)


@register.filter
def full_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return date_words(localtime(value).date() if isinstance(value, datetime) else value)


@register.filter
def short_date(value: date | None) -> str:
    return "" if value is None else short_date_words(value)


@register.filter
def clock(value: time | datetime | None) -> str:
    if value is None:
        return ""
    return clock_words(value.time() if isinstance(value, datetime) else value)


@register.filter
def drug_name(drug_id: str) -> str:
    """A drug's name in the page's language ("baclofeno"), from its monitoring rules."""
    from taper.knowledge.monitoring import load_monitoring
    from taper.web.clinic.wording import page_language

    try:
        return load_monitoring(drug_id, page_language()).drug_name
    except KeyError:
        return drug_id
