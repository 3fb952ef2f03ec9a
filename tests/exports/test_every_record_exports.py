"""Issue 16: every record the app accepts can be exported in every format.

Random planning requests at the edges of the input bounds (taper.core.limits) go through the
same contract and planner as the CLI, API and builder; each one accepted, with random
check-ins the monitoring parser accepted (notes up to the bound, any printable text), must
render in every format. A request refused is fine; an accepted one that cannot be exported
is the defect (step_days 100 000 once was accepted, then every export failed).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taper.contract.errors import ContractError
from taper.contract.request import parse_plan_request
from taper.core import limits
from taper.core.monitoring.checkin import CheckInError, parse_checkins
from taper.core.planner import PlanError, make_plan
from taper.exports import FORMATS, render
from taper.exports.options import ExportOptions
from taper.knowledge import load_drug
from taper.knowledge.monitoring import load_monitoring

PRODUCTS = [
    "tab5", "tab10", "tab20",
    {"id": "q20", "form": "tablet", "strength_mg": "20", "divisible_into": 4, "label": "20 mg"},
    {"id": "liq", "form": "liquid", "mg_per_ml": "1", "measure_step_ml": "0.5",
     "min_volume_ml": "1", "label": "1 mg/mL"},
]
TIMES = ["06:00", "08:00", "12:00", "14:00", "18:00", "20:00", "22:00", "23:59"]
# Printable text of every script, never NUL or a lone surrogate (those are refused).
NOTE = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=limits.MAX_NOTE_CHARS)

strategies = st.one_of(
    st.fixed_dictionaries({"kind": st.just("fixed_mg"),
                           "step_mg": st.sampled_from(["2.5", "5", "10", "15"]),
                           "step_days": st.integers(1, limits.MAX_STEP_DAYS)}),
    st.fixed_dictionaries({"kind": st.just("percent"),
                           "percent": st.sampled_from(["10", "25", "50", "99"]),
                           "step_days": st.integers(1, limits.MAX_STEP_DAYS)}),
)


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    times = draw(st.lists(st.sampled_from(TIMES), min_size=1, max_size=4, unique=True))
    products = draw(st.lists(st.sampled_from(PRODUCTS), min_size=1, max_size=3,
                             unique_by=lambda p: p if isinstance(p, str) else p["id"]))
    return {
        "drug": "baclofen",
        "start_date": draw(st.dates(limits.EARLIEST_DATE, limits.LATEST_START)).isoformat(),
        "timezone": draw(st.sampled_from(["UTC", "America/New_York", "Australia/Lord_Howe",
                                          "Pacific/Kiritimati"])),
        "current_doses": [{"time": t, "mg": draw(st.sampled_from(["5", "10", "20", "25"]))}
                          for t in sorted(times)],
        "products": products,
        "strategy": draw(strategies),
    }


@st.composite
def checkin_items(draw: st.DrawFn, start: date, last: date) -> list[dict[str, Any]]:
    days = draw(st.lists(st.integers(-3, max(0, (last - start).days)), max_size=4))
    return [{"date": (start + timedelta(days=d)).isoformat(),
             "symptoms": draw(st.dictionaries(st.sampled_from(["anxiety", "tremor", "insomnia"]),
                                              st.integers(0, 3), max_size=2)),
             "spasticity": draw(st.integers(0, 10)),
             "temperature_c": draw(st.sampled_from(["35", "37.25", "39.9"])),
             "heart_rate": draw(st.integers(40, 180)),
             "note": draw(NOTE)} for d in days]


@pytest.mark.hazard("HZ-125")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_accepted_plan_and_checkin_renders_in_every_format(data: st.DataObject) -> None:
    request = data.draw(requests())
    try:
        plan = make_plan(parse_plan_request(request))
    except (ContractError, PlanError):
        return  # refused with a field and a message: nothing was accepted
    last = plan.stop_date or plan.steps[-1].end_date if plan.steps else plan.start_date
    rules = load_monitoring("baclofen")
    items = data.draw(checkin_items(plan.start_date, min(last, plan.start_date + timedelta(60))))
    today = max([plan.start_date, *(date.fromisoformat(i["date"]) for i in items)])
    try:
        checkins = parse_checkins(items, rules, today)
    except CheckInError:
        checkins = ()
    options = ExportOptions(generated_on=today, checkins=checkins, symptoms=rules.symptoms,
                            monitoring_days=data.draw(st.integers(0, 90)),
                            patient_name=data.draw(st.text(max_size=200).filter(
                                lambda s: "\x00" not in s).map(lambda s: s if s.strip() else None)))
    drug = load_drug("baclofen")
    for name in FORMATS:
        assert render(name, plan, drug, options), name
