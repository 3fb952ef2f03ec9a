"""A plan's warnings grouped by kind, each kind once with its step ranges (issue 15 §3).

"Cut larger than asked at steps 8–14, because …": the plan page, the builder's preview and
every other page showing a plan table read the warnings through `warning_groups` only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taper.core.plan import Plan, PlanWarning
from taper.web.clinic.presenters import plain_dates

# Kinds that repeat step after step: a title and the reason, said once for the whole run.
KINDS = {
    "cut_larger_than_requested": (
        gettext_lazy("Cut larger than asked"),
        gettext_lazy("these products cannot make a dose between the pace's target and the "
                     "dose of the step before, so each of these steps cuts more than the pace "
                     "asks")),
    "dose_adjusted": (
        gettext_lazy("Daily dose differs from the list"),
        gettext_lazy("the products cannot make the listed dose, so each of these steps takes "
                     "the nearest dose they can make")),
    "steps_merged": (
        gettext_lazy("Steps made longer"),
        gettext_lazy("the next listed dose cannot be made below the step before, so the two "
                     "are one longer step")),
    "dose_time_rises": (
        gettext_lazy("A dose time rises"),
        gettext_lazy("these products cannot make the daily dose without it; check the spread "
                     "with the prescriber")),
}


@dataclass(frozen=True)
class WarningGroup:
    """One kind of warning: its words once, the steps it concerns, the product that fixes it."""

    code: str
    words: str  # the headline and reason, or the single warning's own words
    steps: str  # "8–14", "3, 5–6" or "" (a warning about the whole plan)
    product: str | None  # a catalogue product id the engine says would fix it
    product_words: str  # "1 mg/mL liquid"
    each: list[str] = field(default_factory=list)  # every warning's exact words (2 or more)


def step_ranges(steps: Iterable[int]) -> str:
    """Step numbers as ranges: [8, 9, 10, 14] → "8–10, 14"."""
    runs: list[list[int]] = []
    for n in sorted(set(steps)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _key(w: PlanWarning) -> tuple[str, str, bool]:
    return (w.code, w.details.get("product", ""), w.step is None)


def warning_groups(plan: Plan) -> list[WarningGroup]:
    """The plan's warnings by kind (and fixing product), in the order each kind first fired."""
    grouped: dict[tuple[str, str, bool], list[PlanWarning]] = {}
    for w in plan.warnings:
        grouped.setdefault(_key(w), []).append(w)
    groups = []
    for (code, product, _whole_plan), warnings in grouped.items():
        numbers = [w.step for w in warnings if w.step is not None]
        ranges = step_ranges(numbers)
        words_each = list(dict.fromkeys(plain_dates(w.words) for w in warnings))
        product_words = warnings[0].details.get("product_strength", "")
        if len(words_each) == 1 or code not in KINDS or not numbers:
            for words in words_each:
                groups.append(WarningGroup(code, words, ranges, product or None, product_words))
            continue
        title, because = KINDS[code]
        many = len(set(numbers)) > 1
        where = (_("%(title)s at steps %(steps)s") if many else
                 _("%(title)s at step %(steps)s")) % {"title": title, "steps": ranges}
        words = _("%(where)s, because %(because)s.") % {"where": where, "because": because}
        if product_words:
            words += " " + _("A %(product)s would allow the requested cut.") % {
                "product": product_words}
        groups.append(WarningGroup(code, words, ranges, product or None, product_words, words_each))
    return groups
