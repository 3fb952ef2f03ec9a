"""Plans and decisions shaped for templates: words and exact amounts, never floats."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction
from typing import Any

from django.utils.translation import get_language, gettext, ngettext

from taper.core.amounts import decimal_str
from taper.core.plan import Plan
from taper.core.products import describe
from taper.exports.words import mg_words


@dataclass(frozen=True)
class StepRow:
    index: int
    start_date: date
    end_date: date
    days: int
    daily_mg: str
    change: str  # "−8.3 %" or "" for the first step of a titration
    doses: list[tuple[time, str, str]]  # (time, mg, pieces in words)
    is_today: bool


def percent_text(value: Any) -> str:
    from taper.core.amounts import rounded_str

    return "" if value is None else f"{rounded_str(value, 1)} %".replace("-", "−")


def step_rows(plan: Plan, today: date | None = None) -> list[StepRow]:
    from taper.web.clinic.wording import dose_words as patient_dose_words  # the page's language

    return [StepRow(s.index, s.start_date, s.end_date, s.days, mg_words(s.daily_mg),
                    percent_text(s.change_percent),
                    [(d.time, mg_words(d.mg), patient_dose_words(d, plan.products))
                     for d in s.doses],
                    today is not None and s.start_date <= today <= s.end_date)
            for s in plan.steps]


def dose_times(plan: Plan) -> list[time]:
    """Every dose time any step uses, in clock order (the columns of the step table)."""
    return sorted({d.time for s in plan.steps for d in s.doses} | {d.time for d in plan.baseline})


def supply_rows(plan: Plan) -> list[dict[str, Any]]:
    from taper.web.clinic.wording import product_words, units_words

    rows = []
    english = _language() == "en"
    for line in plan.supply:
        product = plan.product(line.product_id)
        amount = units_words(decimal_str(line.units), product)
        if line.bottles is not None:  # a liquid sold in bottles, counting what is thrown away
            amount += " (" + ngettext(
                "%(n)d bottle; %(ml)s mL thrown away after opening",
                "%(n)d bottles; %(ml)s mL thrown away after opening", line.bottles) % {
                "n": line.bottles, "ml": decimal_str(line.discard_ml or Fraction(0))} + ")"
        # The product's own label is the request's words (English); other languages describe it.
        label = (product.label or describe(product)) if english else product_words(product)
        rows.append({"product": label, "what": describe(product),
                     "amount": amount,
                     "first_needed": line.first_needed, "last_needed": line.last_needed})
    return rows


def baseline_words(plan: Plan) -> list[tuple[time, str]]:
    return [(d.time, mg_words(d.mg)) for d in plan.baseline]


def suggestion_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The decision's suggestions, each with its place among those of its kind (the URL's option)."""
    seen: dict[str, int] = {}
    rows = []
    for s in data.get("suggestions", []):
        option = seen.get(s.get("kind", ""), 0)
        seen[s.get("kind", "")] = option + 1
        rows.append({**s, "option": option})
    return rows


def patient_basis(data: dict[str, Any]) -> list[str]:
    """The decision's basis for the patient's "Why?": each reason once, in words, with where
    it comes from named in words (never a rule id, a code or a bracketed source), in the
    page's language when the decision has its words in it."""
    from taper.knowledge.checkin import load_checkin_questions

    lang, basis = _language(), data.get("basis", [])
    translated = data.get("words", {}).get(lang) if lang != "en" else None
    if translated is None:
        lang = "en"
    else:
        basis = translated.get("basis", [])
    try:
        words = load_checkin_questions(str(data.get("drug", "")), lang).source_words
    except KeyError:
        words = {}
    lines: list[str] = []
    for b in basis:
        where = words.get(str(b.get("source", "")), "")
        line = str(b.get("statement", "")).strip()
        if where:
            line += " " + gettext("This comes from %(where)s.") % {"where": where}
        if line not in lines:
            lines.append(line)
    return lines


def patient_words(data: dict[str, Any]) -> dict[str, Any]:
    """A decision's message and "Why?" for the patient, in the page's language: the words
    stored with it at check-in (services.checkins), else the English it was made in."""
    lang = _language()
    translated = data.get("words", {}).get(lang) if lang != "en" else None
    message = str((translated or data).get("message", ""))
    return {"message": plain_dates(message), "why": patient_basis(data)}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def plain_dates(text: str) -> str:
    """ISO dates inside engine words as "Fri 12 Dec 2026" (a patient never reads 2026-12-12)."""
    from taper.web.clinic.wording import day_words

    def words(m: re.Match[str]) -> str:
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return m[0]
        return f"{day_words(day)} {day.year}"
    return ISO_DATE.sub(words, text)
