"""The plan builder: a form whose fields become the planning request (issue 2 §4) as typed.

Validation is the engine's: `parse_plan_request` and `make_plan` name a request path
("products[1].divisible_into"), and `field_for` puts the message next to the field it came
from, so nothing entered is lost.
"""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taper.web.clinic.forms.fields import text, timezone_choices

DOSE_ROWS = 6
HELD_ROWS = 3
STRATEGIES = [("fixed_mg", gettext_lazy("The same amount less each step")),
              ("percent", gettext_lazy("A percentage of the current dose each step")),
              ("steps", gettext_lazy("My own list of daily doses")),
              ("titrate", gettext_lazy("Upwards to a target dose (titration)"))]
DIVISIONS = [("1", gettext_lazy("Whole only (unscored)")), ("2", gettext_lazy("Halves (scored once)")),
             ("4", gettext_lazy("Quarters"))]
FORMS = [("", "—"), ("tablet", gettext_lazy("Tablet")), ("capsule", gettext_lazy("Capsule")),
         ("packet", gettext_lazy("Granules packet")),
         ("liquid", gettext_lazy("Liquid (own or compounded strength)"))]
# 24-hour clock, typed (issue 15: no 12-hour pickers); the engine's parser checks it again.
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
CLOCK_PATTERN = "([01][0-9]|2[0-3]):[0-5][0-9]"
TIMEZONE_CHARS = 64  # the longest IANA name is 32; Patient.timezone holds 64


def clock_field(label: str) -> forms.CharField:
    """A 24-hour time typed as HH:MM: a text box (never a 12-hour picker), bounded to 5."""
    return text(label, inputmode="numeric", max_length=5, pattern=CLOCK_PATTERN,
                placeholder="HH:MM", autocomplete="off")


class PlanBuilderForm(forms.Form):
    drug = forms.ChoiceField(label="Medicine")
    start_date = text("First day of the plan", required=True, input_type="date")
    timezone = text("Time zone of the dose times", required=True, max_length=TIMEZONE_CHARS,
                    list="timezones", autocomplete="off",
                    help_text="Type to search, e.g. London or New York.")
    catalogue = forms.MultipleChoiceField(
        label="Products from the catalogue", required=False, widget=forms.CheckboxSelectMultiple)
    strategy_kind = forms.ChoiceField(label="How to reduce", choices=STRATEGIES,
                                      widget=forms.RadioSelect, initial="fixed_mg")
    step_mg = text("Amount less each step (mg a day)", inputmode="decimal")
    percent = text("Percent less each step", inputmode="decimal")
    final_mg = text("Stop from (mg a day, optional)", inputmode="decimal")
    steps_list = text("Daily doses, one per step (mg, comma-separated)",
                      help_text='For example "50, 40, 30, 20, 10, 0"; end with 0 to stop.')
    target_mg = text("Target daily dose (mg)", inputmode="decimal")
    increment_mg = text("Increase per dose time each step (mg, optional)", inputmode="decimal")
    step_days = text("Days per step", inputmode="numeric")
    slower_below_mg = text("Slow down below (mg a day, optional)", inputmode="decimal")
    slower_step_days = text("Days per step once below it", inputmode="numeric")
    reduce_order = text("Order of reducing the dose times (optional)",
                        help_text='Dose times, first reduced first, e.g. "14:00, 08:00, 20:00".')
    override_mg = text("Above the label maximum: daily mg (optional)", inputmode="decimal")
    override_reason = text("Written reason for going above the maximum")
    crcl = text("Creatinine clearance, mL/min (optional)", inputmode="decimal")

    def __init__(self, *args: Any, drugs: list[str], catalogue: list[tuple[str, str]],
                 clinic_timezone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["drug"]).choices = [(d, d.capitalize()) for d in drugs]
        cast(forms.MultipleChoiceField, self.fields["catalogue"]).choices = catalogue
        self.clinic_timezone = clinic_timezone
        self._translate_new_words()
        for i in range(DOSE_ROWS):
            self.fields[f"dose_{i}_time"] = clock_field(
                _("Dose %(n)s time (24-hour, HH:MM)") % {"n": i + 1})
            self.fields[f"dose_{i}_mg"] = text(f"Dose {i + 1} mg", inputmode="decimal")
        for i in range(HELD_ROWS):
            n = i + 1
            self.fields[f"held_{i}_form"] = forms.ChoiceField(
                label=f"Product {n} form", choices=FORMS, required=False)
            self.fields[f"held_{i}_strength"] = text(
                _("Product %(n)s strength (mg per unit, or mg/mL for a liquid)") % {"n": n},
                inputmode="decimal")
            self.fields[f"held_{i}_divisible"] = forms.ChoiceField(
                label=f"Product {n} can be split into", choices=DIVISIONS, required=False)
            self.fields[f"held_{i}_step_ml"] = text(
                _("Product %(n)s measuring step (mL, liquids only)") % {"n": n},
                inputmode="decimal",
                help_text=_("The smallest change the syringe or cup can measure, e.g. 0.1."))
            self.fields[f"held_{i}_min_ml"] = text(
                _("Product %(n)s smallest measurable volume (mL, liquids only)") % {"n": n},
                inputmode="decimal")
            self.fields[f"held_{i}_label"] = text(f"Product {n} name (optional)")
        self.paths: dict[str, str] = {}

    def _translate_new_words(self) -> None:
        """Issue 15's words in the user's language (gettext at request time, not import)."""
        f = self.fields
        f["timezone"].help_text = _("Type to search, e.g. London or New York.")
        f["target_mg"].label = _("Target daily dose (mg)")
        f["increment_mg"].label = _("Increase per dose time each step (mg, optional)")
        f["increment_mg"].help_text = _("Leave empty to follow the label's schedule.")
        f["step_days"].help_text = _("Required to reduce; for a titration, empty follows the label.")

    def catalogue_words(self, product_id: str) -> str:
        """A catalogue product's name as the form lists it ("5 mg tablet"), else its id."""
        choices = cast(forms.MultipleChoiceField, self.fields["catalogue"]).choices
        return str(dict(cast(list[tuple[str, str]], choices)).get(product_id, product_id))

    def timezone_list(self) -> list[str]:
        """The searchable list: the clinic's default first, then every IANA zone (zoneinfo)."""
        zones = [z for z, _label in timezone_choices()]
        return [self.clinic_timezone, *[z for z in zones if z != self.clinic_timezone]]

    def clean_timezone(self) -> str:
        value = str(self.cleaned_data["timezone"])
        if value not in {z for z, _label in timezone_choices()}:
            raise forms.ValidationError(_(
                "Not a time zone we know. Pick one from the list, like Europe/London or "
                "America/New_York."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(DOSE_ROWS):
            value = data.get(f"dose_{i}_time")
            if value and not CLOCK.fullmatch(value):
                self.add_error(f"dose_{i}_time", _(
                    "Use the 24-hour clock as HH:MM, from 00:00 to 23:59, e.g. 08:00 or 20:30."))
        return data

    def dose_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"dose_{i}_time"], self[f"dose_{i}_mg"]) for i in range(DOSE_ROWS)]

    def held_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"held_{i}_{part}"] for part in HELD_PARTS] for i in range(HELD_ROWS)]

    def request_data(self) -> dict[str, Any]:
        """The planning request as typed; records which form field each request path came from."""
        d = self.cleaned_data
        paths = {"drug": "drug", "start_date": "start_date", "timezone": "timezone",
                 "current_doses": "dose_0_time", "products": "catalogue",
                 "strategy": "strategy_kind", "strategy.kind": "strategy_kind",
                 "strategy.step_mg": "step_mg", "strategy.percent": "percent",
                 "strategy.final_mg": "final_mg", "strategy.daily_mg": "steps_list",
                 "strategy.step_days": "step_days",
                 "strategy.target_daily_mg": "target_mg",
                 "strategy.increment_per_dose_mg": "increment_mg",
                 "strategy.slower_at_low_doses": "slower_below_mg",
                 "strategy.slower_at_low_doses.below_mg": "slower_below_mg",
                 "strategy.slower_at_low_doses.step_days": "slower_step_days",
                 "reduce_order": "reduce_order", "max_daily_mg_override": "override_mg",
                 "max_daily_mg_override.mg": "override_mg",
                 "max_daily_mg_override.reason": "override_reason",
                 "creatinine_clearance_ml_min": "crcl"}
        request: dict[str, Any] = {"drug": d["drug"], "start_date": d["start_date"],
                                   "timezone": d["timezone"], "current_doses": []}
        for i in range(DOSE_ROWS):
            t, mg = d.get(f"dose_{i}_time", ""), d.get(f"dose_{i}_mg", "")
            if t or mg:
                k = len(request["current_doses"])
                request["current_doses"].append({"time": t, "mg": mg} if mg else {"time": t})
                paths[f"current_doses[{k}]"] = paths[f"current_doses[{k}].time"] = f"dose_{i}_time"
                paths[f"current_doses[{k}].mg"] = f"dose_{i}_mg"
        products: list[Any] = list(d.get("catalogue") or [])
        for k in range(len(products)):
            paths[f"products[{k}]"] = "catalogue"
        for i in range(HELD_ROWS):
            form, strength = d.get(f"held_{i}_form"), d.get(f"held_{i}_strength")
            if not (form or strength):
                continue
            k = len(products)
            products.append(_held_product(d, i))
            for key, name in (("", "strength"), (".form", "form"), (".id", "form"),
                              (".strength_mg", "strength"), (".mg_per_ml", "strength"),
                              (".divisible_into", "divisible"), (".measure_step_ml", "step_ml"),
                              (".min_volume_ml", "min_ml"), (".label", "label")):
                paths[f"products[{k}]{key}"] = f"held_{i}_{name}"
        request["products"] = products
        request["strategy"] = self._strategy(d)
        if d.get("reduce_order"):
            request["reduce_order"] = [t.strip() for t in re.split(r"[,\s]+", d["reduce_order"])
                                       if t.strip()]
        if d.get("override_mg") or d.get("override_reason"):
            request["max_daily_mg_override"] = {"mg": d.get("override_mg", ""),
                                                "reason": d.get("override_reason", "")}
        if d.get("crcl"):
            request["creatinine_clearance_ml_min"] = d["crcl"]
        self.paths = paths
        return request

    @staticmethod
    def _strategy(d: dict[str, Any]) -> dict[str, Any]:
        kind = d.get("strategy_kind") or "fixed_mg"
        strategy: dict[str, Any] = {"kind": kind}
        if kind == "titrate":  # empty days and increment: the drug's label schedule
            strategy["target_daily_mg"] = d.get("target_mg", "")
            if d.get("increment_mg"):
                strategy["increment_per_dose_mg"] = d["increment_mg"]
            if d.get("step_days"):
                strategy["step_days"] = _whole(d["step_days"])
            return strategy
        if kind == "fixed_mg":
            strategy["step_mg"] = d.get("step_mg", "")
        elif kind == "percent":
            strategy["percent"] = d.get("percent", "")
            if d.get("final_mg"):
                strategy["final_mg"] = d["final_mg"]
        else:
            strategy["daily_mg"] = [x.strip() for x in (d.get("steps_list") or "").split(",")
                                    if x.strip()]
        if d.get("step_days"):  # else the parser says "required", next to the field
            strategy["step_days"] = _whole(d["step_days"])
        if kind != "steps" and (d.get("slower_below_mg") or d.get("slower_step_days")):
            strategy["slower_at_low_doses"] = {"below_mg": d.get("slower_below_mg", ""),
                                               "step_days": _whole(d.get("slower_step_days", ""))}
        return strategy

    def field_for(self, path: str) -> str | None:
        """The form field a request path came from: the longest recorded prefix."""
        probe = path
        while probe:
            if probe in self.paths:
                return self.paths[probe]
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None

    def add_engine_error(self, path: str, message: str) -> None:
        self.add_error(self.field_for(path), message)


HELD_PARTS = ("form", "strength", "divisible", "step_ml", "min_ml", "label")


def _held_product(d: dict[str, Any], i: int) -> dict[str, Any]:
    """A product the patient holds, as typed: a solid by mg per unit, a liquid by mg/mL."""
    form, strength = d.get(f"held_{i}_form") or "", d.get(f"held_{i}_strength")
    item: dict[str, Any] = {"id": f"held{i + 1}", "form": form}
    if form == "liquid":  # measured, never split: the device's step and smallest volume
        item.update(mg_per_ml=strength, measure_step_ml=d.get(f"held_{i}_step_ml") or None,
                    min_volume_ml=d.get(f"held_{i}_min_ml") or None)
        item = {k: v for k, v in item.items() if v is not None}
    else:
        item.update(strength_mg=strength, divisible_into=int(d.get(f"held_{i}_divisible") or 1))
    if d.get(f"held_{i}_label"):
        item["label"] = d[f"held_{i}_label"]
    return item


def _whole(text_value: str) -> Any:
    """Days as an integer when typed as one; anything else goes to the parser to be named."""
    return int(text_value) if text_value.isdigit() else text_value


def initial_from_request(request: dict[str, Any]) -> dict[str, Any]:
    """Builder fields from a stored request (to change a plan, the old version's request)."""
    initial: dict[str, Any] = {"drug": request.get("drug"), "start_date": request.get("start_date"),
                               "timezone": request.get("timezone")}
    for i, dose in enumerate(request.get("current_doses", [])[:DOSE_ROWS]):
        initial[f"dose_{i}_time"], initial[f"dose_{i}_mg"] = dose.get("time"), dose.get("mg")
    held = 0
    catalogue = []
    for product in request.get("products", []):
        if isinstance(product, str) or "form" not in product:
            catalogue.append(product if isinstance(product, str) else product["id"])
        elif held < HELD_ROWS:
            for name, key in (("form", "form"), ("strength", "strength_mg"),
                              ("strength", "mg_per_ml"), ("divisible", "divisible_into"),
                              ("step_ml", "measure_step_ml"), ("min_ml", "min_volume_ml"),
                              ("label", "label")):
                if key in product:
                    initial[f"held_{held}_{name}"] = str(product[key])
            held += 1
    initial["catalogue"] = catalogue
    s = request.get("strategy", {})
    initial.update(target_mg=s.get("target_daily_mg"), increment_mg=s.get("increment_per_dose_mg"))
    initial.update(strategy_kind=s.get("kind"), step_mg=s.get("step_mg"), percent=s.get("percent"),
                   final_mg=s.get("final_mg"), step_days=s.get("step_days"),
                   steps_list=", ".join(str(x) for x in s.get("daily_mg", [])))
    slower = s.get("slower_at_low_doses") or {}
    initial.update(slower_below_mg=slower.get("below_mg"), slower_step_days=slower.get("step_days"))
    if request.get("reduce_order"):
        initial["reduce_order"] = ", ".join(request["reduce_order"])
    override = request.get("max_daily_mg_override") or {}
    initial.update(override_mg=override.get("mg"), override_reason=override.get("reason"),
                   crcl=request.get("creatinine_clearance_ml_min"))
    return {k: v for k, v in initial.items() if v not in (None, "")}
