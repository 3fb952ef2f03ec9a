"""The plan as JSON (issue 2 §4): exact decimal strings, dates as ISO text, and back."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from functools import lru_cache
from typing import Any

from taper.contract.errors import ContractError
from taper.core.amounts import decimal_str, exact, rounded_str
from taper.core.plan import (
    Composition,
    Piece,
    Plan,
    PlanWarning,
    ScheduledDose,
    SupplyLine,
    TaperStep,
)
from taper.core.products import Liquid, Product, Solid

UNIT_KEYS = {"tablet": "tablets", "capsule": "capsules", "packet": "packets"}


def unit_key(product: Product) -> str:
    return "ml" if isinstance(product, Liquid) else UNIT_KEYS[product.form]


def product_to_json(product: Product) -> dict[str, Any]:
    if isinstance(product, Liquid):
        data: dict[str, Any] = {
            "id": product.id, "form": "liquid", "mg_per_ml": decimal_str(product.mg_per_ml),
            "measure_step_ml": decimal_str(product.measure_step_ml),
            "min_volume_ml": decimal_str(product.min_volume_ml),
        }
        if product.max_volume_ml is not None:
            data["max_volume_ml"] = decimal_str(product.max_volume_ml)
        if product.bottle_ml is not None:
            data["bottle_ml"] = decimal_str(product.bottle_ml)
        if product.use_within_days_after_opening is not None:
            data["use_within_days_after_opening"] = product.use_within_days_after_opening
    else:
        data = {"id": product.id, "form": product.form,
                "strength_mg": decimal_str(product.strength_mg),
                "divisible_into": product.divisible_into}
    if product.label:
        data["label"] = product.label
    return data


def _dose(dose: ScheduledDose, products: dict[str, Product]) -> dict[str, Any]:
    return {
        "time": f"{dose.time:%H:%M}",
        "mg": decimal_str(dose.mg),
        "pieces": [
            {"product": p.product_id, unit_key(products[p.product_id]): decimal_str(p.units),
             "mg": decimal_str(p.mg)}
            for p in dose.composition.pieces
        ],
    }


def step_to_json(step: TaperStep, products: dict[str, Product]) -> dict[str, Any]:
    change = step.change_percent
    return {
        "step": step.index,
        "start_date": step.start_date.isoformat(),
        "end_date": step.end_date.isoformat(),
        "days": step.days,
        "daily_mg": decimal_str(step.daily_mg),
        "previous_daily_mg": decimal_str(step.previous_daily_mg),
        "target_daily_mg": decimal_str(step.target_daily_mg),
        "target_mg": decimal_str(step.target_daily_mg),  # issue 13's name: requested beside made
        "change_mg": decimal_str(step.change_mg),
        "change_percent": None if change is None else rounded_str(change, 1),
        "doses": [_dose(d, products) for d in step.doses],
    }


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The contract other programs rely on; extra fields beyond issue 2 §4 are additive."""
    products = {p.id: p for p in plan.products}
    return {
        "drug": plan.drug_id,
        "direction": plan.direction,
        "start_date": plan.start_date.isoformat(),
        "timezone": plan.timezone,
        "baseline": [_dose(d, products) for d in plan.baseline],
        "products": [product_to_json(p) for p in plan.products],
        "steps": [step_to_json(s, products) for s in plan.steps],
        "stop_date": None if plan.stop_date is None else plan.stop_date.isoformat(),
        "supply": [_supply(s, products) for s in plan.supply],
        "warnings": [
            {"code": w.code, "step": w.step, "message": w.message, "details": dict(w.details)}
            for w in plan.warnings
        ],
    }


def _supply(line: SupplyLine, products: dict[str, Product]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "product": line.product_id,
        unit_key(products[line.product_id]): decimal_str(line.units),
        "first_needed": line.first_needed.isoformat(), "last_needed": line.last_needed.isoformat()}
    if line.bottles is not None:
        data["bottles"] = line.bottles
        data["discard_ml"] = decimal_str(line.discard_ml or Fraction(0))
    return data


def plan_from_json(data: Any) -> Plan:
    """Read back a plan written by plan_to_json; ContractError names a bad field."""
    if not isinstance(data, dict):
        raise ContractError("", "a plan must be a JSON object")
    listed = _get(data, "products", "")
    products = tuple(_product(p, f"products[{i}]") for i, p in enumerate(listed))
    by_id = {p.id: p for p in products}
    # Plans repeat the same few doses of the same few products: each is read once per
    # process, under the products' JSON (which decides how a dose reads), when plain.
    catalogue = repr(listed) if type(listed) is list and all(map(_plain, listed)) else None
    seen = _doses if catalogue is not None else {}
    steps = []
    for i, s in enumerate(_get(data, "steps", "")):
        where = f"steps[{i}]"
        steps.append(TaperStep(
            index=int(s.get("step", i + 1)),
            start_date=_date(_get(s, "start_date", where), f"{where}.start_date"),
            end_date=_date(_get(s, "end_date", where), f"{where}.end_date"),
            daily_mg=_num(_get(s, "daily_mg", where), f"{where}.daily_mg"),
            doses=tuple(_scheduled_once(d, f"{where}.doses[{j}]", by_id, seen, catalogue)
                        for j, d in enumerate(_get(s, "doses", where))),
            previous_daily_mg=_num(s.get("previous_daily_mg", "0"), f"{where}.previous_daily_mg"),
            target_daily_mg=_num(s.get("target_daily_mg", s["daily_mg"]), f"{where}.target_daily_mg"),
        ))
    stop = data.get("stop_date")
    return Plan(
        drug_id=str(_get(data, "drug", "")),
        direction="titrate" if data.get("direction") == "titrate" else "taper",
        start_date=_date(_get(data, "start_date", ""), "start_date"),
        timezone=str(data.get("timezone", "UTC")),
        baseline=tuple(_scheduled_once(d, f"baseline[{j}]", by_id, seen, catalogue)
                       for j, d in enumerate(data.get("baseline", []))),
        steps=tuple(steps),
        stop_date=None if stop is None else _date(stop, "stop_date"),
        warnings=tuple(PlanWarning(str(w.get("code", "")), str(w.get("message", "")), w.get("step"),
                                   {str(k): str(v) for k, v in (w.get("details") or {}).items()})
                       for w in data.get("warnings", [])),
        supply=tuple(
            SupplyLine(str(s["product"]),
                       _num(s.get(unit_key(by_id[s["product"]])) if s.get("product") in by_id
                            else "0", f"supply[{i}]"),
                       _date(s["first_needed"], f"supply[{i}].first_needed"),
                       _date(s.get("last_needed", s["first_needed"]), f"supply[{i}].last_needed"),
                       None if s.get("bottles") is None else int(s["bottles"]),
                       None if s.get("discard_ml") is None else _num(s["discard_ml"],
                                                                      f"supply[{i}].discard_ml"))
            for i, s in enumerate(data.get("supply", []))
        ),
        products=products,
    )


def _get(data: Any, key: str, where: str) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise ContractError(f"{where}.{key}" if where else key, "required")
    return data[key]


@lru_cache(maxsize=1024)
def _text_number(text: str) -> Fraction:
    """A stored plan repeats a few number texts ("5", "0.25") thousands of times: each is
    parsed once per process (a Fraction is immutable, so one object serves every reader)."""
    return exact(text)


def _num(value: Any, where: str) -> Fraction:
    try:
        if type(value) is str:
            return _text_number(value)
        return exact(value if not isinstance(value, float) else repr(value))
    except (TypeError, ValueError, ArithmeticError):
        raise ContractError(where, "must be a number") from None


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ContractError(where, 'must be a date as "YYYY-MM-DD"') from None


def _product(data: Any, where: str) -> Product:
    form = _get(data, "form", where)
    if form == "liquid":
        return Liquid(str(data["id"]), _num(data["mg_per_ml"], f"{where}.mg_per_ml"),
                      _num(data["measure_step_ml"], f"{where}.measure_step_ml"),
                      _num(data["min_volume_ml"], f"{where}.min_volume_ml"),
                      None if "max_volume_ml" not in data else _num(data["max_volume_ml"], where),
                      str(data.get("label", "")),
                      None if "bottle_ml" not in data else _num(data["bottle_ml"], f"{where}.bottle_ml"),
                      None if data.get("use_within_days_after_opening") is None
                      else int(data["use_within_days_after_opening"]))
    return Solid(str(data["id"]), _num(data["strength_mg"], f"{where}.strength_mg"),
                 int(data.get("divisible_into", 1)), form, str(data.get("label", "")))


DOSE_CACHE_SIZE = 4096  # distinct doses kept per process (a few hundred bytes each)
_doses: dict[tuple[str | None, str], ScheduledDose] = {}


def _scheduled_once(data: Any, where: str, products: dict[str, Product],
                    seen: dict[tuple[str | None, str], ScheduledDose],
                    catalogue: str | None) -> ScheduledDose:
    """`_scheduled`, read once per distinct dose of the steps or the baseline (issue 17).
    The key is the products' and the dose's `repr`, taken only when both hold nothing but
    JSON values (`_plain`): for those it is one-to-one and tells 1, 1.0, True and "1"
    apart, so equal keys are equal doses as `_scheduled` reads them. Any other dose is read
    on its own; a dose is kept only once it has been read without error. `seen` is the
    process's (bounded) when the products are plain, else this plan's own."""
    key = (catalogue, repr(data)) if _plain(data) else None
    if key is not None:
        found = seen.get(key)
        if found is not None:
            return found
    dose = _scheduled(data, where, products)
    if key is not None:
        if len(seen) >= DOSE_CACHE_SIZE:
            seen.clear()
        seen[key] = dose
    return dose


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(dose: Any) -> bool:
    """A dose as JSON gives it: an object whose values are JSON scalars or lists of objects
    of JSON scalars (the shape plan_to_json writes; keys compared as text)."""
    if type(dose) is not dict:
        return False
    for key, value in dose.items():
        if type(key) is not str:
            return False
        if type(value) is list:
            for piece in value:
                if type(piece) is not dict:
                    return False
                for name, part in piece.items():
                    if type(name) is not str or type(part) not in _SCALARS:
                        return False
        elif type(value) not in _SCALARS:
            return False
    return True


def _scheduled(data: Any, where: str, products: dict[str, Product]) -> ScheduledDose:
    try:
        clock = time.fromisoformat(str(_get(data, "time", where)))
    except ValueError:
        raise ContractError(f"{where}.time", 'must be "HH:MM"') from None
    pieces = []
    for k, p in enumerate(data.get("pieces", [])):
        pid = _get(p, "product", f"{where}.pieces[{k}]")
        if pid not in products:
            raise ContractError(f"{where}.pieces[{k}].product", f"unknown product {pid!r}")
        key = unit_key(products[pid])
        units = _num(_get(p, key, f"{where}.pieces[{k}]"), f"{where}.pieces[{k}].{key}")
        product = products[pid]
        per_unit = product.mg_per_ml if isinstance(product, Liquid) else product.strength_mg
        pieces.append(Piece(pid, units, units * per_unit))
    mg = _num(_get(data, "mg", where), f"{where}.mg")
    composition = Composition(tuple(pieces))
    if pieces and composition.mg != mg:
        raise ContractError(f"{where}.pieces", f"add up to {decimal_str(composition.mg)} mg, "
                            f"not the {decimal_str(mg)} mg stated")
    return ScheduledDose(clock, mg, composition)
