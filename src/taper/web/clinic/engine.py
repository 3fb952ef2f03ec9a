"""The web's only road to the engines: request → plan, stored JSON → plan, a patient's day.

Nothing here decides anything clinical; it calls the planner, the monitoring engine and the
words of the exports, and shapes their answers for pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.timezone import now

from taper.core.plan import Plan, ScheduledDose, TaperStep


class ServiceError(ValueError):
    """Input a service cannot accept; `field` is the request path or form field at fault."""

    def __init__(self, field: str, message: str, product: str | None = None) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message
        self.product = product  # a catalogue product id that would fix it (the builder's button)


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_today(zone: str, at: datetime | None = None) -> date:
    """The date in the patient's zone: their day, not the server's (a night dose is still today)."""
    return (at or now()).astimezone(ZoneInfo(zone)).date()


def plan_request(data: dict[str, Any], today: date | None) -> Plan:
    """Validate and plan; ServiceError names the request field (nothing is saved by this)."""
    from taper.contract.errors import ContractError
    from taper.contract.request import parse_plan_request
    from taper.core.planner import PlanError, make_plan

    try:
        return make_plan(parse_plan_request(data, today=today))
    except ContractError as exc:
        raise ServiceError(exc.field, exc.message) from None
    except PlanError as exc:
        raise ServiceError(exc.field, str(exc).removeprefix(f"{exc.field}: "),
                           None if exc.product is None else exc.product.id) from None


def plan_json(plan: Plan) -> dict[str, Any]:
    from taper.contract.plan_json import plan_to_json

    return plan_to_json(plan)


def stored_plan(data: dict[str, Any]) -> Plan:
    from taper.contract.plan_json import plan_from_json

    return plan_from_json(data)


@dataclass(frozen=True)
class DoseToday:
    time: time
    mg: str
    words: str


def doses_on(plan: Plan, day: date) -> tuple[TaperStep | None, list[DoseToday]]:
    """What to take at each dose time on a day, in words ("¾ × 20 mg tablet")."""
    from taper.exports.words import mg_words
    from taper.web.clinic.wording import dose_words

    step = plan.step_on(day)
    doses: tuple[ScheduledDose, ...] = plan.baseline if day < plan.start_date else (
        () if step is None else step.doses)
    return step, [DoseToday(d.time, mg_words(d.mg), dose_words(d, plan.products))
                  for d in doses if d.mg > 0]


def dose_changes(plan: Plan) -> list[tuple[date, str]]:
    """Each day the dose changes, in the plan's order, with the new daily dose in words:
    every step's first day, then the stop."""
    from taper.exports.words import mg_words

    changes = [(step.start_date, f"{mg_words(step.daily_mg)} a day") for step in plan.steps]
    if plan.stop_date is not None:
        changes.append((plan.stop_date, "no more doses (the plan stops)"))
    return changes


def next_change(plan: Plan, day: date) -> tuple[date, str] | None:
    """The next day the dose changes, and the new daily dose (or the stop)."""
    return next((change for change in dose_changes(plan) if change[0] > day), None)
