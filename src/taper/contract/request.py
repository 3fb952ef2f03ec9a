"""The planning request (issue 2 §4): read with plain Python, then turned into core objects.

This module is the one source of the request's rules, for the CLI and the API alike. It
imports no pydantic, so `taper plan` starts fast (issue 17; docs/adr/0021). The same shape
is written as pydantic models in `taper.contract.request_schema` (for a JSON schema);
tests/contract/test_request_schema.py checks, over random valid and broken requests, that
both accept the same requests with the same values and refuse the others naming the same
field (in the same words wherever pydantic's error says enough; the reader's are always
Taper's own). Numbers may be JSON numbers or strings; they become exact
Fractions. Every error names the field ("products[1].divisible_into: must be 1, 2 or 4").
The generic readers it is built from (text, numbers, whole numbers, lists, records) are in
`taper.contract.readers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from taper.contract.errors import ContractError
from taper.contract.readers import (
    REQUIRED,
    Loc,
    bad,
    clock,
    day,
    listed,
    number,
    one_of,
    optional,
    record,
    text,
    whole,
)
from taper.core import limits

if TYPE_CHECKING:
    from taper.core.products import Product
    from taper.core.request import PlanRequest
    from taper.core.strategies import SlowerAtLowDoses, Strategy

# ---- the request's shape, from the generic readers (taper.contract.readers) ---------------

PRODUCT_FORMS = "must be tablet, capsule, packet or liquid"
KINDS = ("percent", "fixed_mg", "steps", "titrate")
_ZERO = Decimal(0)
MG = number(_ZERO, limits.MAX_DOSE_MG)  # a dose or a daily total
POSITIVE_MG = number(_ZERO, limits.MAX_DOSE_MG, gt=0)
STRENGTH = number(limits.MIN_STRENGTH_MG, limits.MAX_STRENGTH_MG)
VOLUME = number(limits.MIN_VOLUME_ML, limits.MAX_VOLUME_ML)
STEP_DAYS = whole(1, limits.MAX_STEP_DAYS)
ID = text(1, limits.MAX_ID_CHARS)
LABEL = text(0, limits.MAX_LABEL_CHARS)

DOSE = record(time=(clock, REQUIRED), mg=(MG, REQUIRED))
SOLID = record(id=(ID, REQUIRED), form=(one_of("tablet", "capsule", "packet"), REQUIRED),
               strength_mg=(STRENGTH, REQUIRED), divisible_into=(one_of(1, 2, 4), 1),
               label=(LABEL, ""))
LIQUID = record(id=(ID, REQUIRED), form=(one_of("liquid"), REQUIRED),
                mg_per_ml=(STRENGTH, REQUIRED), measure_step_ml=(VOLUME, REQUIRED),
                min_volume_ml=(VOLUME, REQUIRED), max_volume_ml=(optional(VOLUME), None),
                label=(LABEL, ""), bottle_ml=(optional(VOLUME), None),
                use_within_days_after_opening=(optional(STEP_DAYS), None))
CATALOGUE_REF = record(id=(ID, REQUIRED))


def product(value: Any, loc: Loc) -> dict[str, Any]:
    """A catalogue id ("baclofen-10mg" or {"id": …}) or a product described by its form."""
    if isinstance(value, str):
        return CATALOGUE_REF({"id": value}, loc)
    if not isinstance(value, Mapping):
        raise bad(loc, PRODUCT_FORMS)
    form = value.get("form")
    if form is None:
        return CATALOGUE_REF(value, loc)
    if form == "liquid":
        return LIQUID(value, loc)
    if form in ("tablet", "capsule", "packet"):
        return SOLID(value, loc)
    raise bad(loc, PRODUCT_FORMS)


SLOWER = record(below_mg=(POSITIVE_MG, REQUIRED), step_days=(STEP_DAYS, REQUIRED))
STRATEGIES = {
    "percent": record(kind=(one_of("percent"), REQUIRED),
                      percent=(number(_ZERO, Decimal(100), gt=0, lt=100), REQUIRED),
                      step_days=(STEP_DAYS, REQUIRED), final_mg=(optional(MG), None),
                      slower_at_low_doses=(optional(SLOWER), None)),
    "fixed_mg": record(kind=(one_of("fixed_mg"), REQUIRED), step_mg=(POSITIVE_MG, REQUIRED),
                       step_days=(STEP_DAYS, REQUIRED),
                       slower_at_low_doses=(optional(SLOWER), None)),
    "steps": record(kind=(one_of("steps"), REQUIRED),
                    daily_mg=(listed(MG, limits.MAX_STEPS_LISTED, 1), REQUIRED),
                    step_days=(STEP_DAYS, REQUIRED)),
    "titrate": record(kind=(one_of("titrate"), REQUIRED), target_daily_mg=(POSITIVE_MG, REQUIRED),
                      step_days=(optional(STEP_DAYS), None),
                      increment_per_dose_mg=(optional(POSITIVE_MG), None)),
}


_PLAIN = (str, bytes, int, float, list, tuple, set, frozenset, type(None))


def strategy(value: Any, loc: Loc) -> dict[str, Any]:
    if isinstance(value, Mapping):
        kind = value.get("kind", REQUIRED)
    elif isinstance(value, _PLAIN):
        raise bad(loc, "must be a JSON object")
    else:  # pydantic looks for the tag among an object's attributes (a Decimal has none)
        kind = getattr(value, "kind", REQUIRED)
    if kind is REQUIRED:
        raise bad((*loc, "kind"), f"required (one of {', '.join(KINDS)})")
    if not isinstance(kind, str) or kind not in STRATEGIES:
        raise bad((*loc, "kind"), f"must be one of {', '.join(KINDS)}")
    return STRATEGIES[kind](value, loc)


OVERRIDE = record(mg=(POSITIVE_MG, REQUIRED), reason=(text(3, limits.MAX_REASON_CHARS), REQUIRED))
REQUEST = record(
    drug=(ID, REQUIRED),
    start_date=(day, REQUIRED),
    timezone=(ID, REQUIRED),
    current_doses=(listed(DOSE, limits.MAX_DOSE_TIMES, 1), REQUIRED),
    products=(listed(product, limits.MAX_PRODUCTS, 1), REQUIRED),
    strategy=(strategy, REQUIRED),
    reduce_order=(optional(listed(clock, limits.MAX_DOSE_TIMES)), None),
    max_daily_mg_override=(optional(OVERRIDE), None),
    creatinine_clearance_ml_min=(optional(number(_ZERO, Decimal(300), gt=0)), None),  # mL/min
    composition=(one_of("tablets_first", "fewest_items"), "tablets_first"),
)


def read_request(data: Any) -> dict[str, Any]:
    """The request's fields checked and read (numbers as Decimal, times and dates as
    objects, defaults filled in), or ContractError naming the first bad field."""
    if not isinstance(data, Mapping):
        raise ContractError("", "the request must be a JSON object")
    return REQUEST(data, ())


# ---- to core objects: the rules that need more than one field, or the knowledge base ------

def parse_plan_request(data: Any, today: date | None = None) -> PlanRequest:
    """A validated PlanRequest, or ContractError naming the first bad field."""
    return to_core(read_request(data), today)


def to_core(model: dict[str, Any], today: date | None) -> PlanRequest:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from taper.core.regimen import DoseTime, Regimen
    from taper.core.request import MaxDoseOverride, PlanRequest
    from taper.core.strategies import TitrateStrategy
    from taper.knowledge import drug_ids, load_drug

    if model["drug"] not in drug_ids():
        raise ContractError("drug", f"unknown drug {model['drug']!r}; known: {', '.join(drug_ids())}")
    drug = load_drug(model["drug"])
    try:
        ZoneInfo(model["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ContractError(
            "timezone", f"unknown time zone {model['timezone']!r}; use an IANA name like "
            '"Europe/London" or "America/New_York"') from None
    seen: dict[time, int] = {}
    for i, dose in enumerate(model["current_doses"]):
        if dose["time"] in seen:
            raise ContractError(f"current_doses[{i}].time", f"{dose['time']:%H:%M} is already "
                                f"listed at current_doses[{seen[dose['time']]}]")
        seen[dose["time"]] = i
    products = _products(model["products"], drug.catalogue, drug.name)
    strategy = _strategy(model["strategy"], drug.final_step_max_daily.mg)
    total = sum(d["mg"] for d in model["current_doses"])
    if total > limits.MAX_DOSE_MG:
        raise ContractError("current_doses", f"the daily total must be at most {limits.MAX_DOSE_MG} mg")
    if not isinstance(strategy, TitrateStrategy) and total == 0:
        raise ContractError("current_doses", "a taper needs a current dose above 0 mg")
    # Given order is kept: the planner warns when it is not clock order (SPEC P6).
    doses = tuple(DoseTime(d["time"], Fraction(d["mg"])) for d in model["current_doses"])
    order = None if model["reduce_order"] is None else tuple(model["reduce_order"])
    if order is not None:
        for i, t in enumerate(order):
            if t not in seen:
                raise ContractError(f"reduce_order[{i}]", f"{t:%H:%M} is not one of the dose times")
            if order.index(t) != i:
                raise ContractError(f"reduce_order[{i}]", f"{t:%H:%M} is listed twice")
    override = model["max_daily_mg_override"]
    crcl = model["creatinine_clearance_ml_min"]
    return PlanRequest(
        drug=drug,
        regimen=Regimen(doses, model["start_date"], model["timezone"]),
        products=products,
        strategy=strategy,
        reduce_order=order,
        max_daily_override=None if override is None else MaxDoseOverride(
            Fraction(override["mg"]), override["reason"].strip()),
        creatinine_clearance_ml_min=None if crcl is None else Fraction(crcl),
        today=today,
        composition=model["composition"],
    )


def _fraction(value: Decimal | None) -> Fraction | None:
    return None if value is None else Fraction(value)


def _products(items: list[dict[str, Any]], catalogue: tuple[Product, ...],
              drug_name: str) -> tuple[Product, ...]:
    from taper.core.products import Liquid, Solid

    result: list[Product] = []
    ids: dict[str, int] = {}
    for i, item in enumerate(items):
        if item["id"] in ids:
            raise ContractError(f"products[{i}].id",
                                f"{item['id']!r} is already used by products[{ids[item['id']]}]")
        ids[item["id"]] = i
        form = item.get("form")
        if form is None:  # a catalogue id
            found = next((p for p in catalogue if p.id == item["id"]), None)
            if found is None:
                known = ", ".join(p.id for p in catalogue)
                raise ContractError(f"products[{i}]", (
                    f"unknown product id {item['id']!r}; the {drug_name} catalogue has {known}, "
                    "or describe the product with its form and strength"))
            result.append(found)
        elif form == "liquid":
            if item["min_volume_ml"] % item["measure_step_ml"]:
                raise ContractError(f"products[{i}].min_volume_ml",
                                    "must be a whole number of measuring steps")
            if item["use_within_days_after_opening"] is not None and item["bottle_ml"] is None:
                raise ContractError(f"products[{i}].use_within_days_after_opening",
                                    "needs bottle_ml (the volume of one bottle in mL)")
            result.append(Liquid(item["id"], Fraction(item["mg_per_ml"]),
                                 Fraction(item["measure_step_ml"]), Fraction(item["min_volume_ml"]),
                                 _fraction(item["max_volume_ml"]), item["label"],
                                 _fraction(item["bottle_ml"]),
                                 item["use_within_days_after_opening"]))
        else:
            if form != "tablet" and item["divisible_into"] != 1:
                raise ContractError(f"products[{i}].divisible_into",
                                    f"must be 1: a {form} cannot be divided")
            result.append(Solid(item["id"], Fraction(item["strength_mg"]), item["divisible_into"],
                                form, item["label"]))
    return tuple(result)


def _strategy(s: dict[str, Any], default_final: Fraction) -> Strategy:
    from taper.core.strategies import (
        FixedMgStrategy,
        PercentStrategy,
        StepsStrategy,
        TitrateStrategy,
    )

    if s["kind"] == "percent":
        final = default_final if s["final_mg"] is None else Fraction(s["final_mg"])
        return PercentStrategy(Fraction(s["percent"]), s["step_days"], final,
                               _slower(s["slower_at_low_doses"]))
    if s["kind"] == "fixed_mg":
        return FixedMgStrategy(Fraction(s["step_mg"]), s["step_days"],
                               _slower(s["slower_at_low_doses"]))
    if s["kind"] == "steps":
        for i, value in enumerate(s["daily_mg"]):
            if value < 0:
                raise ContractError(f"strategy.daily_mg[{i}]", "must be 0 or more")
        return StepsStrategy(tuple(Fraction(v) for v in s["daily_mg"]), s["step_days"])
    return TitrateStrategy(Fraction(s["target_daily_mg"]), s["step_days"],
                           _fraction(s["increment_per_dose_mg"]))


def _slower(value: dict[str, Any] | None) -> SlowerAtLowDoses | None:
    from taper.core.strategies import SlowerAtLowDoses

    return None if value is None else SlowerAtLowDoses(Fraction(value["below_mg"]),
                                                       value["step_days"])
