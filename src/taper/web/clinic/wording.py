"""Dates and times as a patient reads them, in the language of the page (docs/web.md
"Languages"): "Fri 12 Dec" / "vie 12 dic", and the clock each language's readers use.

English is written for US-style readers, who read a 12-hour clock ("2:00 pm"); Spanish
readers read a 24-hour clock ("14:00"). Day and month names come from Django's own
catalogues, so they follow the active language without a locale on the server.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time

from django.utils import dateformat
from django.utils.translation import get_language, gettext, pgettext_lazy

from taper.core.amounts import decimal_str
from taper.core.plan import ScheduledDose
from taper.core.products import Liquid, Product

# Per language: (short day, long day, date, date in a table) in Django's date format.
# Spanish abbreviations are lower case ("vie 12 dic"); a long Spanish date joins with "de".
_DAY = {"en": ("D j M", "l j F Y", "j F Y", "j M Y"),
        "es": ("D j b", r"l j \d\e F \d\e Y", r"j \d\e F \d\e Y", "j b Y")}
TWELVE_HOUR = frozenset({"en"})


def page_language() -> str:
    """The active language's base code ("en", "es"): the one the knowledge files speak."""
    lang = (get_language() or "en").split("-")[0]
    return lang if lang in ("en", "es") else "en"


_language = page_language


def day_words(day: date) -> str:
    """A date in words: "Fri 12 Dec", "vie 12 dic"."""
    return dateformat.format(day, _DAY.get(_language(), _DAY["en"])[0])


def long_day_words(day: date) -> str:
    """A date in full: "Friday 12 December 2026", "viernes 12 de diciembre de 2026"."""
    return dateformat.format(day, _DAY.get(_language(), _DAY["en"])[1])


def date_words(day: date) -> str:
    """A date without its weekday: "12 December 2026", "12 de diciembre de 2026"."""
    return dateformat.format(day, _DAY.get(_language(), _DAY["en"])[2])


def short_date_words(day: date) -> str:
    """A date in a table: "12 Dec 2026", "12 dic 2026"."""
    return dateformat.format(day, _DAY.get(_language(), _DAY["en"])[3])


def clock_words(at: time) -> str:
    """A time of day: "2:00 pm" (English) or "14:00" (Spanish); whole minutes, no floats."""
    if _language() not in TWELVE_HOUR:
        return f"{at.hour:02d}:{at.minute:02d}"
    hour = at.hour % 12 or 12
    return f"{hour}:{at.minute:02d} {'am' if at.hour < 12 else 'pm'}"


def times_words(times: list[time]) -> str:
    """"8:00 am, 2:00 pm and 8:00 pm" / "08:00, 14:00 y 20:00"."""
    from django.utils.text import get_text_list

    return get_text_list([clock_words(t) for t in times], gettext("and"))


def dose_words(dose: ScheduledDose, products: Iterable[Product]) -> str:
    """A dose's pieces in the page's language: "¾ × 20 mg tablet", "¾ × comprimido de 20 mg".

    English is exactly the exports' words (SPEC P4); other languages put the same exact
    amounts (Fractions through decimal_str, never a float) into their own word order.
    """
    from taper.exports import words

    if _language() == "en":
        return words.dose_words(dose, products)
    by_id = {p.id: p for p in products}
    parts = []
    for piece in dose.composition.pieces:
        product = by_id[piece.product_id]
        if isinstance(product, Liquid):
            parts.append(gettext("%(ml)s mL of %(strength)s mg/mL liquid") % {
                "ml": decimal_str(piece.units), "strength": decimal_str(product.mg_per_ml)})
        else:
            words.piece_words(piece, product)  # the same checks as the English words
            parts.append(gettext("%(count)s × %(strength)s mg %(form)s") % {
                "count": words.units_words(piece.units),
                "strength": decimal_str(product.strength_mg),
                "form": str(FORMS.get(product.form, product.form))})
    return " + ".join(parts) if parts else gettext("nothing")


def product_words(product: Product) -> str:
    """A product in the page's language: "20 mg tablet (quarters)" (the core's words in
    English), "comprimido de 20 mg (en cuartos)"."""
    from taper.core.products import describe

    if _language() == "en":
        return describe(product)
    if isinstance(product, Liquid):
        return gettext("%(strength)s mg/mL liquid") % {"strength": decimal_str(product.mg_per_ml)}
    split = {1: "", 2: gettext(" (halves)"), 4: gettext(" (quarters)")}[product.divisible_into]
    return gettext("%(strength)s mg %(form)s") % {
        "strength": decimal_str(product.strength_mg),
        "form": str(FORMS.get(product.form, product.form))} + split


def units_words(count: str, product: Product) -> str:
    """How many to have: "83 tablets", "83 comprimidos", "250 mL"."""
    if isinstance(product, Liquid):
        return f"{count} mL"
    plural = {"tablet": pgettext_lazy("how many", "tablets"),
              "capsule": pgettext_lazy("how many", "capsules"),
              "packet": pgettext_lazy("how many", "packets")}
    return f"{count} {plural.get(product.form, product.form + 's')}"


FORMS = {"tablet": pgettext_lazy("dose form", "tablet"),
         "capsule": pgettext_lazy("dose form", "capsule"),
         "packet": pgettext_lazy("dose form", "packet")}
