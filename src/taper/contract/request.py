"""The planning request (issue 2 §4): validated with pydantic, then turned into core objects.

Numbers may be JSON numbers or strings; they become exact Fractions. Every error names
the field ("products[1].divisible_into: must be 1, 2 or 4").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
)

from taper.contract.errors import ContractError
from taper.core import limits
from taper.core.limits import OutOfBounds, bounded_decimal
from taper.core.products import Liquid, Product, Solid
from taper.core.regimen import DoseTime, Regimen
from taper.core.request import MaxDoseOverride, PlanRequest
from taper.core.strategies import (
    FixedMgStrategy,
    PercentStrategy,
    SlowerAtLowDoses,
    StepsStrategy,
    Strategy,
    TitrateStrategy,
)

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _number(low: Decimal, high: Decimal) -> Any:
    """A number read as text (never a float) within [low, high]; see taper.core.limits."""
    def read(value: Any) -> Decimal:
        if isinstance(value, float):
            value = repr(value)  # shortest text that round-trips: 0.1 stays 0.1
        try:
            return bounded_decimal(value, low, high)
        except OutOfBounds as exc:
            raise ValueError(str(exc)) from None
    return BeforeValidator(read)


def _text(value: str) -> str:
    if limits.has_nul(value):
        raise ValueError("must not contain a NUL character")
    return value


def _clock(value: Any) -> time:
    if isinstance(value, str) and (m := _TIME.match(value.strip())):
        return time(int(m.group(1)), int(m.group(2)))
    raise ValueError('must be a time of day as "HH:MM" (00:00 to 23:59)')


def _day(value: Any) -> date:
    window = f"from {limits.EARLIEST_DATE} to {limits.LATEST_START}"
    try:
        day = date.fromisoformat(value.strip()) if isinstance(value, str) else _not_a_date()
    except ValueError:
        raise ValueError(f'must be a date as "YYYY-MM-DD", {window}') from None
    if not limits.EARLIEST_DATE <= day <= limits.LATEST_START:
        raise ValueError(f"must be a date {window}")
    return day


def _not_a_date() -> date:
    raise ValueError("not a string")


_ZERO = Decimal(0)
Mg = Annotated[Decimal, _number(_ZERO, limits.MAX_DOSE_MG)]  # a dose or a daily total
Strength = Annotated[Decimal, _number(limits.MIN_STRENGTH_MG, limits.MAX_STRENGTH_MG)]
Volume = Annotated[Decimal, _number(limits.MIN_VOLUME_ML, limits.MAX_VOLUME_ML)]
Percent = Annotated[Decimal, _number(_ZERO, Decimal(100))]
Clearance = Annotated[Decimal, _number(_ZERO, Decimal(300))]  # mL/min, as `taper pk --crcl`
StepDays = Annotated[int, Field(ge=1, le=limits.MAX_STEP_DAYS)]
Id = Annotated[str, Field(min_length=1, max_length=limits.MAX_ID_CHARS), AfterValidator(_text)]
Label = Annotated[str, Field(max_length=limits.MAX_LABEL_CHARS), AfterValidator(_text)]
Clock = Annotated[time, BeforeValidator(_clock)]
Day = Annotated[date, BeforeValidator(_day)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DoseIn(_Model):
    time: Clock
    mg: Mg


class SolidIn(_Model):
    id: Id
    form: Literal["tablet", "capsule", "packet"]
    strength_mg: Strength
    divisible_into: Literal[1, 2, 4] = 1
    label: Label = ""


class LiquidIn(_Model):
    id: Id
    form: Literal["liquid"]
    mg_per_ml: Strength
    measure_step_ml: Volume
    min_volume_ml: Volume
    max_volume_ml: Volume | None = None
    label: Label = ""
    bottle_ml: Volume | None = None
    use_within_days_after_opening: int | None = Field(default=None, ge=1, le=limits.MAX_STEP_DAYS)


class CatalogueRef(_Model):
    id: Id


def _product_tag(value: Any) -> str:
    if isinstance(value, str):
        return "ref"
    if isinstance(value, Mapping):
        form = value.get("form")
        if form is None:
            return "ref"
        return "liquid" if form == "liquid" else "solid" if form in (
            "tablet", "capsule", "packet") else "bad"
    return "bad"


def _ref(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


ProductIn = Annotated[
    Annotated[SolidIn, Tag("solid")]
    | Annotated[LiquidIn, Tag("liquid")]
    | Annotated[CatalogueRef, BeforeValidator(_ref), Tag("ref")],
    Discriminator(_product_tag, custom_error_type="form",
                  custom_error_message="must be tablet, capsule, packet or liquid"),
]


class SlowerIn(_Model):
    below_mg: Mg = Field(gt=0)
    step_days: StepDays


class PercentIn(_Model):
    kind: Literal["percent"]
    percent: Percent = Field(gt=0, lt=100)
    step_days: StepDays
    final_mg: Mg | None = None
    slower_at_low_doses: SlowerIn | None = None


class FixedIn(_Model):
    kind: Literal["fixed_mg"]
    step_mg: Mg = Field(gt=0)
    step_days: StepDays
    slower_at_low_doses: SlowerIn | None = None


class StepsIn(_Model):
    kind: Literal["steps"]
    daily_mg: list[Mg] = Field(min_length=1, max_length=limits.MAX_STEPS_LISTED)
    step_days: StepDays


class TitrateIn(_Model):
    kind: Literal["titrate"]
    target_daily_mg: Mg = Field(gt=0)
    step_days: StepDays | None = None
    increment_per_dose_mg: Mg | None = Field(default=None, gt=0)


StrategyIn = Annotated[PercentIn | FixedIn | StepsIn | TitrateIn, Field(discriminator="kind")]


class OverrideIn(_Model):
    mg: Mg = Field(gt=0)
    reason: Annotated[str, Field(min_length=3, max_length=limits.MAX_REASON_CHARS),
                      AfterValidator(_text)]


class PlanRequestIn(_Model):
    drug: Id
    start_date: Day
    timezone: Id
    current_doses: list[DoseIn] = Field(min_length=1, max_length=limits.MAX_DOSE_TIMES)
    products: list[ProductIn] = Field(min_length=1, max_length=limits.MAX_PRODUCTS)
    strategy: StrategyIn
    reduce_order: list[Clock] | None = Field(default=None, max_length=limits.MAX_DOSE_TIMES)
    max_daily_mg_override: OverrideIn | None = None
    creatinine_clearance_ml_min: Clearance | None = Field(default=None, gt=0)
    composition: Literal["tablets_first", "fewest_items"] = "tablets_first"


def parse_plan_request(data: Any, today: date | None = None) -> PlanRequest:
    """A validated PlanRequest, or ContractError naming the first bad field."""
    if not isinstance(data, Mapping):
        raise ContractError("", "the request must be a JSON object")
    try:
        model = PlanRequestIn.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc) from None
    return _to_core(model, today)


def _to_core(model: PlanRequestIn, today: date | None) -> PlanRequest:
    from taper.knowledge import drug_ids, load_drug

    if model.drug not in drug_ids():
        raise ContractError("drug", f"unknown drug {model.drug!r}; known: {', '.join(drug_ids())}")
    drug = load_drug(model.drug)
    try:
        ZoneInfo(model.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ContractError(
            "timezone", f"unknown time zone {model.timezone!r}; use an IANA name like "
            '"Europe/London" or "America/New_York"') from None
    seen: dict[time, int] = {}
    for i, dose in enumerate(model.current_doses):
        if dose.time in seen:
            raise ContractError(f"current_doses[{i}].time",
                                f"{dose.time:%H:%M} is already listed at current_doses[{seen[dose.time]}]")
        seen[dose.time] = i
    products = _products(model, drug.catalogue, drug.name)
    strategy = _strategy(model, drug.final_step_max_daily.mg)
    if sum(d.mg for d in model.current_doses) > limits.MAX_DOSE_MG:
        raise ContractError("current_doses", f"the daily total must be at most {limits.MAX_DOSE_MG} mg")
    if not isinstance(strategy, TitrateStrategy) and sum(d.mg for d in model.current_doses) == 0:
        raise ContractError("current_doses", "a taper needs a current dose above 0 mg")
    # Given order is kept: the planner warns when it is not clock order (SPEC P6).
    doses = tuple(DoseTime(d.time, Fraction(d.mg)) for d in model.current_doses)
    order = None if model.reduce_order is None else tuple(model.reduce_order)
    if order is not None:
        for i, t in enumerate(order):
            if t not in seen:
                raise ContractError(f"reduce_order[{i}]", f"{t:%H:%M} is not one of the dose times")
            if order.index(t) != i:
                raise ContractError(f"reduce_order[{i}]", f"{t:%H:%M} is listed twice")
    override = model.max_daily_mg_override
    crcl = model.creatinine_clearance_ml_min
    return PlanRequest(
        drug=drug,
        regimen=Regimen(doses, model.start_date, model.timezone),
        products=products,
        strategy=strategy,
        reduce_order=order,
        max_daily_override=None if override is None else MaxDoseOverride(
            Fraction(override.mg), override.reason.strip()),
        creatinine_clearance_ml_min=None if crcl is None else Fraction(crcl),
        today=today,
        composition=model.composition,
    )


def _products(
    model: PlanRequestIn, catalogue: tuple[Product, ...], drug_name: str
) -> tuple[Product, ...]:
    result: list[Product] = []
    ids: dict[str, int] = {}
    for i, item in enumerate(model.products):
        if item.id in ids:
            raise ContractError(f"products[{i}].id",
                                f"{item.id!r} is already used by products[{ids[item.id]}]")
        ids[item.id] = i
        if isinstance(item, CatalogueRef):
            found = next((p for p in catalogue if p.id == item.id), None)
            if found is None:
                known = ", ".join(p.id for p in catalogue)
                raise ContractError(f"products[{i}]", (
                    f"unknown product id {item.id!r}; the {drug_name} catalogue has {known}, "
                    "or describe the product with its form and strength"))
            result.append(found)
        elif isinstance(item, LiquidIn):
            if item.min_volume_ml % item.measure_step_ml:
                raise ContractError(f"products[{i}].min_volume_ml",
                                    "must be a whole number of measuring steps")
            if item.use_within_days_after_opening is not None and item.bottle_ml is None:
                raise ContractError(f"products[{i}].use_within_days_after_opening",
                                    "needs bottle_ml (the volume of one bottle in mL)")
            result.append(Liquid(item.id, Fraction(item.mg_per_ml), Fraction(item.measure_step_ml),
                                 Fraction(item.min_volume_ml),
                                 None if item.max_volume_ml is None else Fraction(item.max_volume_ml),
                                 item.label,
                                 None if item.bottle_ml is None else Fraction(item.bottle_ml),
                                 item.use_within_days_after_opening))
        else:
            if item.form != "tablet" and item.divisible_into != 1:
                raise ContractError(f"products[{i}].divisible_into",
                                    f"must be 1: a {item.form} cannot be divided")
            result.append(Solid(item.id, Fraction(item.strength_mg), item.divisible_into,
                                item.form, item.label))
    return tuple(result)


def _strategy(model: PlanRequestIn, default_final: Fraction) -> Strategy:
    s = model.strategy
    if isinstance(s, PercentIn):
        final = default_final if s.final_mg is None else Fraction(s.final_mg)
        return PercentStrategy(Fraction(s.percent), s.step_days, final, _slower(s.slower_at_low_doses))
    if isinstance(s, FixedIn):
        return FixedMgStrategy(Fraction(s.step_mg), s.step_days, _slower(s.slower_at_low_doses))
    if isinstance(s, StepsIn):
        for i, value in enumerate(s.daily_mg):
            if value < 0:
                raise ContractError(f"strategy.daily_mg[{i}]", "must be 0 or more")
        return StepsStrategy(tuple(Fraction(v) for v in s.daily_mg), s.step_days)
    return TitrateStrategy(
        Fraction(s.target_daily_mg), s.step_days,
        None if s.increment_per_dose_mg is None else Fraction(s.increment_per_dose_mg))


def _slower(value: SlowerIn | None) -> SlowerAtLowDoses | None:
    return None if value is None else SlowerAtLowDoses(Fraction(value.below_mg), value.step_days)


# Union tags pydantic puts in an error's location; the user never wrote them.
_TAGS = {"solid", "liquid", "ref", "percent", "fixed_mg", "steps", "titrate"}


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _TAGS or part.startswith("function-"):
            continue
        else:
            text += f".{part}" if text else part
    return text


def _first_error(exc: ValidationError) -> ContractError:
    error = exc.errors(include_url=False)[0]
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        message = "required"
    elif kind == "extra_forbidden":
        message = "unknown field"
    elif kind == "literal_error":
        message = f"must be {ctx.get('expected', '')}".replace("'", "")
    elif kind == "union_tag_invalid":
        message = f"must be one of {ctx.get('expected_tags', '')}".replace("'", "")
        loc = (*loc, ctx.get("discriminator", "kind").strip("'"))
    elif kind == "union_tag_not_found":
        message = "required (one of percent, fixed_mg, steps, titrate)"
        loc = (*loc, "kind")
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "greater than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}[kind]
        bound = next(iter(ctx.values()), "")
        message = f"must be {words} {bound}"
    elif kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        message = "must be a whole number"
    elif kind == "too_short":
        message = "must not be empty"
    elif kind == "too_long":
        message = f"must have at most {ctx.get('max_length', '')} items"
    elif kind == "string_too_long":
        message = f"must be at most {ctx.get('max_length', '')} characters"
    elif kind == "string_too_short":
        message = f"must be at least {ctx.get('min_length', 1)} characters (a written reason)"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = "must be a JSON object"
    elif kind == "list_type":
        message = "must be a list"
    elif kind == "string_type":
        message = "must be a string"
    else:
        message = error["msg"]
    return ContractError(_path(loc), message)
