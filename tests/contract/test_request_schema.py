"""The plain request reader and the pydantic schema cannot drift apart unnoticed (ADR 0021).

`taper.contract.request.read_request` is how every request is read (CLI and API);
`taper.contract.request_schema` writes the same shape as pydantic models. Both get the same
random requests, valid ones and ones with one thing broken, and must agree exactly: the same
values (types included), or a refusal naming the same field. The words are the reader's,
Taper's own ("must be at most 365"); they are compared too wherever the schema can say the
same, and where it passes on pydantic's own wording ("Unable to parse input string as an
integer, …", which has no bound in it), the reader's must still be Taper's (ADR 0021).
"""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from taper.contract.errors import ContractError
from taper.contract.request import read_request
from taper.contract.request_schema import validate_request

ROOT = Path(__file__).resolve().parents[2]
DIFFERENTIAL = settings(max_examples=600, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def typed(value: Any) -> Any:
    """The value with every leaf's type beside it: True is not 1, Decimal("2") is not 2."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [typed(v) for v in value]
    return (type(value).__name__, str(value) if isinstance(value, Decimal) else value)


def outcome(read: Any, data: Any) -> tuple[str, Any]:
    try:
        return "read", typed(read(data))
    except ContractError as exc:
        return "refused", (exc.field, exc.message)


def taper_words(message: str) -> bool:
    """Taper's refusals are lower-case phrases ("must be …", "required", "unknown field",
    "the request must be …"); pydantic's begin with a capital ("Input should be …")."""
    return message[:1].islower()


def agree(data: Any) -> None:
    plain, schema = outcome(read_request, data), outcome(validate_request, data)
    if plain[0] == schema[0] == "refused":
        (plain_field, plain_words), (schema_field, schema_words) = plain[1], schema[1]
        assert plain_field == schema_field, f"request {data!r}: {plain} against {schema}"
        assert taper_words(plain_words), f"request {data!r}: {plain}"
        if taper_words(schema_words):
            assert plain_words == schema_words, f"request {data!r}: {plain} against {schema}"
        return
    assert plain == schema, f"request {data!r}"


# ---- valid requests ---------------------------------------------------------------------

TIMES = st.sampled_from(["00:00", "06:30", "08:00", " 12:00 ", "14:00", "20:00", "23:59"])


def numbers(low: int, high: int) -> st.SearchStrategy[Any]:
    exact = st.decimals(low, high, places=2, allow_nan=False, allow_infinity=False)
    return st.one_of(st.integers(low, high), exact, exact.map(str),
                     st.floats(low, high, allow_nan=False).map(lambda f: round(f, 2)))


def whole(low: int, high: int) -> st.SearchStrategy[Any]:
    return st.one_of(st.integers(low, high), st.integers(low, high).map(str),
                     st.integers(low, high).map(float), st.integers(low, high).map(Decimal))


def optional(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=fields)


SOLID = st.builds(lambda req, opt: {**req, **opt},
                  st.fixed_dictionaries({"id": st.text(min_size=1, max_size=8),
                                         "form": st.sampled_from(["tablet", "capsule", "packet"]),
                                         "strength_mg": numbers(1, 40)}),
                  optional(divisible_into=st.sampled_from([1, 2, 4, 2.0, True]),
                           label=st.text(max_size=12)))
LIQUID = st.builds(lambda req, opt: {**req, **opt},
                   st.fixed_dictionaries({"id": st.text(min_size=1, max_size=8),
                                          "form": st.just("liquid"), "mg_per_ml": numbers(1, 10),
                                          "measure_step_ml": st.sampled_from(["0.1", "0.5", 1]),
                                          "min_volume_ml": numbers(1, 5)}),
                   optional(max_volume_ml=st.one_of(st.none(), numbers(5, 50)),
                            label=st.text(max_size=12),
                            bottle_ml=st.one_of(st.none(), numbers(50, 500)),
                            use_within_days_after_opening=st.one_of(st.none(), whole(1, 365))))
PRODUCT = st.one_of(st.sampled_from(["tab5", "tab10", "sol1"]),
                    st.sampled_from(["tab20", "tab5"]).map(lambda i: {"id": i}), SOLID, LIQUID)
SLOWER = st.one_of(st.none(), st.fixed_dictionaries({"below_mg": numbers(1, 30),
                                                     "step_days": whole(1, 365)}))
STRATEGY = st.one_of(
    st.builds(lambda req, opt: {"kind": "percent", **req, **opt},
              st.fixed_dictionaries({"percent": numbers(1, 99), "step_days": whole(1, 365)}),
              optional(final_mg=st.one_of(st.none(), numbers(0, 20)), slower_at_low_doses=SLOWER)),
    st.builds(lambda req, opt: {"kind": "fixed_mg", **req, **opt},
              st.fixed_dictionaries({"step_mg": numbers(1, 10), "step_days": whole(1, 365)}),
              optional(slower_at_low_doses=SLOWER)),
    st.fixed_dictionaries({"kind": st.just("steps"),
                           "daily_mg": st.lists(numbers(0, 100), min_size=1, max_size=5),
                           "step_days": whole(1, 365)}),
    st.builds(lambda req, opt: {"kind": "titrate", **req, **opt},
              st.fixed_dictionaries({"target_daily_mg": numbers(1, 80)}),
              optional(step_days=st.one_of(st.none(), whole(1, 365)),
                       increment_per_dose_mg=st.one_of(st.none(), numbers(1, 10)))),
)
REQUEST = st.builds(
    lambda req, opt: {**req, **opt},
    st.fixed_dictionaries({
        "drug": st.sampled_from(["baclofen", "diazepam"]),
        "start_date": st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(date.isoformat),
        "timezone": st.sampled_from(["Europe/London", "America/New_York"]),
        "current_doses": st.lists(st.fixed_dictionaries({"time": TIMES, "mg": numbers(0, 40)}),
                                  min_size=1, max_size=8),
        "products": st.lists(PRODUCT, min_size=1, max_size=10),
        "strategy": STRATEGY,
    }),
    optional(reduce_order=st.one_of(st.none(), st.lists(TIMES, max_size=8)),
             max_daily_mg_override=st.one_of(st.none(), st.fixed_dictionaries(
                 {"mg": numbers(1, 200), "reason": st.text(min_size=3, max_size=20)})),
             creatinine_clearance_ml_min=st.one_of(st.none(), numbers(1, 300)),
             composition=st.sampled_from(["tablets_first", "fewest_items"])),
)

# ---- what breaks them -------------------------------------------------------------------

TEXTS = ["", " ", "3", " 3 ", "+03", "-1", "0", "1_0", "1__0", "_1", "3.00", "3.5", "3.", "1e3",
         "0x3", "\u00a03\u2028", "\x1c3", "٣", "NaN", "inf", "1" * 25, "9" * 4301, "08:00",
         "8:00", "24:00", "2026-12-01", "2026-13-01", "1999-12-31", "20261201", "tablet",
         "liquid", "capsule", "percent", "fixed_mg", "titrate", "steps", "tablets_first",
         "baclofen", "tab5", "a\x00b", "x" * 65, "x" * 201, "ab", "abc"]
LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 400), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([2.0, 0.5, 1e19, 9.2e18, -0.0]),
    st.decimals(allow_nan=False, places=None).filter(lambda d: abs(d.adjusted()) < 100),
    st.sampled_from([Decimal("2"), Decimal("2.0"), Decimal("2.5"), Decimal("NaN"),
                     Decimal("Infinity"), Decimal("1E+5000"), Decimal("0E-30")]),
    st.sampled_from(TEXTS), st.text(max_size=6),
)
BROKEN = st.one_of(LEAF, st.lists(LEAF, max_size=3), st.lists(LEAF, min_size=9, max_size=12),
                   st.dictionaries(st.sampled_from(["id", "form", "kind", "x", "mg"]), LEAF,
                                   max_size=3))


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a request: keys of objects and items of lists."""
    found = [here] if here else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += paths(v, (*here, i))
    return found


@st.composite
def broken_requests(draw: st.DrawFn, under: str = "") -> Any:
    """A valid request with one thing broken under a field (or anywhere): a value replaced,
    a field dropped or added."""
    data = copy.deepcopy(draw(REQUEST))
    where = [p for p in paths(data) if not under or (p[0] == under and len(p) > 1)] or [(under,)]
    path = draw(st.sampled_from(where))
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    how = draw(st.sampled_from(["replace", "replace", "replace", "drop", "add"]))
    if how == "drop" and isinstance(parent, dict):
        parent.pop(path[-1], None)
    elif how == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["extra", "kind", "form", "id", "label", "step_mg"]))] = \
            draw(BROKEN)
    else:
        parent[path[-1]] = draw(BROKEN)
    return data


@pytest.mark.hazard("HZ-201")
@DIFFERENTIAL
@given(REQUEST)
def test_valid_requests_are_read_alike(data: dict[str, Any]) -> None:
    agree(data)


@pytest.mark.hazard("HZ-201")
@DIFFERENTIAL
@given(broken_requests())
@example({"strategy": {"kind": "percent", "percent": 0, "step_days": 3}})
def test_broken_requests_are_refused_alike(data: Any) -> None:
    agree(data)


@pytest.mark.hazard("HZ-201")
@pytest.mark.parametrize("under", ["current_doses", "products", "strategy",
                                   "reduce_order", "max_daily_mg_override"])
def test_requests_broken_deep_inside_are_refused_alike(under: str) -> None:
    @DIFFERENTIAL
    @given(broken_requests(under))
    def check(data: Any) -> None:
        agree(data)

    check()


def test_the_shipped_examples_are_read_alike() -> None:
    for path in sorted((ROOT / "examples").glob("*.json")):
        data = json.loads(path.read_text(), parse_float=Decimal)
        if isinstance(data, dict) and "strategy" in data:
            agree(data)


@pytest.mark.hazard("HZ-202")
@pytest.mark.parametrize(("change", "error"), [
    ({"percent": 0}, ("strategy.percent", "must be greater than 0")),
    ({"percent": 100}, ("strategy.percent", "must be less than 100")),
    ({"step_days": "1_0"}, None),
    ({"step_days": 3.5}, ("strategy.step_days", "must be a whole number")),
])
def test_a_field_named_like_a_union_tag_keeps_its_name(change: dict[str, Any],
                                                       error: tuple[str, str] | None) -> None:
    """The percent field of a percent strategy was once reported as "strategy" alone."""
    data = {"drug": "baclofen", "start_date": "2026-12-01", "timezone": "Europe/London",
            "current_doses": [{"time": "08:00", "mg": "10"}], "products": ["tab5"],
            "strategy": {"kind": "percent", "percent": 10, "step_days": 7, **change}}
    agree(data)
    kind, result = outcome(read_request, data)
    assert (kind, result) == ("refused", error) if error else kind == "read"


def test_a_request_that_is_not_an_object_is_refused_alike() -> None:
    for data in ([], "x", None, 3):
        agree(data)


# ---- every field, every odd value: the same verdict, deterministically --------------------

FULL = {
    "drug": "baclofen", "start_date": "2026-12-01", "timezone": "Europe/London",
    "current_doses": [{"time": "08:00", "mg": "20"}, {"time": "20:00", "mg": 10}],
    "products": ["tab5", {"id": "tab10"},
                 {"id": "t", "form": "tablet", "strength_mg": "20", "divisible_into": 4,
                  "label": "20 mg"},
                 {"id": "l", "form": "liquid", "mg_per_ml": "1", "measure_step_ml": "0.5",
                  "min_volume_ml": "1", "max_volume_ml": "20", "label": "syrup",
                  "bottle_ml": "300", "use_within_days_after_opening": 30}],
    "reduce_order": ["20:00", "08:00"],
    "max_daily_mg_override": {"mg": "120", "reason": "specialist advice"},
    "creatinine_clearance_ml_min": "55", "composition": "fewest_items",
}
STRATEGIES = [
    {"kind": "percent", "percent": "10", "step_days": 14, "final_mg": "5",
     "slower_at_low_doses": {"below_mg": "10", "step_days": 21}},
    {"kind": "fixed_mg", "step_mg": "5", "step_days": 7},
    {"kind": "steps", "daily_mg": ["20", "10", "0"], "step_days": 7},
    {"kind": "titrate", "target_daily_mg": "30", "step_days": 3, "increment_per_dose_mg": "5"},
]
ODD = [None, True, False, 0, 1, 2, 4, 100, 300, 301, 365, 366, 1000, 1001, -1, 10**30, 2.0,
       2.5, -0.0, 1e19, 0.01, "0.00001", "0.0001", "1000.0001", "99.9999",
       float("nan"), float("inf"), Decimal("2"), Decimal("2.5"), Decimal("NaN"),
       Decimal("1E+5000"), Decimal("0E-30"), *TEXTS, [], ["08:00"], [1] * 9,
       [{"time": "08:00", "mg": "1"}] * 9, ["tab5"] * 11, {}, {"id": "tab5"},
       {"kind": "percent"}, {"form": "liquid"}, {"form": None, "id": "tab5"}]


@pytest.mark.hazard("HZ-201")
@pytest.mark.parametrize("kind", [s["kind"] for s in STRATEGIES])
def test_every_field_given_every_odd_value_is_read_alike(kind: str) -> None:
    base = {**FULL, "strategy": next(s for s in STRATEGIES if s["kind"] == kind)}
    agree(base)
    assert outcome(read_request, base)[0] == "read"
    for path in paths(base):
        for how in ("drop", "add", *range(len(ODD))):
            data = copy.deepcopy(base)
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            if how == "drop":
                if isinstance(parent, dict):
                    del parent[path[-1]]
            elif how == "add":
                if isinstance(parent[path[-1]], dict):
                    parent[path[-1]]["extra"] = 1
            else:
                parent[path[-1]] = copy.deepcopy(ODD[int(how)])
            agree(data)


@pytest.mark.parametrize(("value", "field", "words"), [
    (float("nan"), "strategy.step_days", "must be a whole number"),
    (float("-inf"), "strategy.step_days", "must be a whole number"),
    (Decimal("Infinity"), "strategy.step_days", "must be a whole number"),
    (2.0**63, "strategy.step_days", "must be at most 365"),
    (-(2.0**63), "strategy.step_days", "must be at least 1"),
    ("9" * 4301, "strategy.step_days", "must be at most 365"),
    ("-" + "9" * 4301, "strategy.step_days", "must be at least 1"),
    ("9" * 4300, "strategy.step_days", "must be at most 365"),
    ("0" * 4301 + "7", "strategy.step_days", None),  # leading zeros are not digits counted
])
def test_odd_whole_numbers_are_refused_in_taper_s_words(value: Any, field: str,
                                                        words: str | None) -> None:
    """Pydantic says "Input should be a finite number" or "Unable to parse input string as an
    integer, exceeded maximum size"; the reader names what the field accepts."""
    data = {**FULL, "strategy": {"kind": "fixed_mg", "step_mg": "5", "step_days": value}}
    agree(data)
    kind, result = outcome(read_request, data)
    assert (kind, result) == (("refused", (field, words)) if words else ("read", result))


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 2**64, 10**30])
def test_a_huge_integer_for_a_literal_is_refused_with_the_choices(value: int) -> None:
    data = {**FULL, "strategy": STRATEGIES[1]}
    data["products"] = [{"id": "t", "form": "tablet", "strength_mg": "20", "divisible_into": value}]
    agree(data)
    assert outcome(read_request, data) == ("refused", ("products[0].divisible_into",
                                                       "must be 1, 2 or 4"))
