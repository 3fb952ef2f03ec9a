"""The planning request written as pydantic models: the same shape as the plain reader in
`taper.contract.request`, for a JSON schema (django-ninja's OpenAPI, or anyone's).

It is not how requests are read: `taper.contract.request` is (ADR 0021). It is kept in
step with that reader by tests/contract/test_request_schema.py, which sends both the same
random requests, valid and broken, and asks for the same values or the same error.
`validate_request` turns pydantic's first error into a ContractError the way the reader
words it, where pydantic's error says enough to (not an integer beyond its size: the bound is
not in the error, so those keep pydantic's words; the reader names the bound).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from decimal import Decimal
from typing import Annotated, Any, Literal

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
from taper.contract.readers import read_clock, read_day, read_number, read_text, where
from taper.core import limits


def _number(low: Decimal, high: Decimal) -> Any:
    """A number read as text (never a float) within [low, high]; see taper.core.limits."""
    return BeforeValidator(lambda value: read_number(value, low, high))


_text = read_text
_clock = read_clock
_day = read_day


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


def validate_request(data: Any) -> dict[str, Any]:
    """The request read by pydantic, as `taper.contract.request.read_request` reads it."""
    if not isinstance(data, Mapping):
        raise ContractError("", "the request must be a JSON object")
    try:
        model = PlanRequestIn.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc) from None
    fields: dict[str, Any] = _fields(model)
    return fields


def _fields(value: Any) -> Any:
    """A model as plain data, field by field (model_dump would re-serialise the unions)."""
    if isinstance(value, BaseModel):
        return {name: _fields(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [_fields(v) for v in value]
    return value


# Union tags pydantic puts in an error's location, after the union's own field; the user
# never wrote them ("strategy.percent" is the percent field, not the tag; it once vanished).
_TAGS = {"solid", "liquid", "ref", "percent", "fixed_mg", "steps", "titrate"}


def _path(loc: tuple[int | str, ...]) -> str:
    parts = [p for p in loc if not (isinstance(p, str) and p.startswith("function-"))]
    tag_at = {"strategy": 1, "products": 2}.get(str(parts[0]) if parts else "")
    if tag_at is not None and len(parts) > tag_at and parts[tag_at] in _TAGS:
        del parts[tag_at]
    return where(tuple(parts))


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
    elif kind in ("int_parsing", "int_type", "int_from_float", "finite_number"):
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
    else:  # pydantic's own words (an integer beyond its size): the field is still named
        message = error["msg"]
    return ContractError(_path(loc), message)
