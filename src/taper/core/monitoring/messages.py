"""Words for the patient and the clinician, from the data's templates.

Emergency words are short sentences a frightened person can act on: what to do now, and
what to tell emergency services (drug, current daily dose, date of the last reduction).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

from taper.core.monitoring.basis import Firing, mg_text
from taper.core.monitoring.rulebook import Action, MonitoringRules
from taper.core.monitoring.timeline import Timeline
from taper.core.plan import Plan


def day_words(day: date, rules: MonitoringRules | None = None) -> str:
    """A date as a patient reads it, "Fri 12 Dec": never an ISO date in their words (U3).
    With rules, the day and month names of their language ("vie 12 dic")."""
    weekdays: tuple[str, ...] = _WEEKDAYS
    months: tuple[str, ...] = _MONTHS
    if rules is not None and "weekdays" in rules.messages and "months" in rules.messages:
        weekdays = tuple(rules.messages["weekdays"].split())
        months = tuple(rules.messages["months"].split())
    return f"{weekdays[day.weekday()]} {day.day} {months[day.month - 1]}"


# English names, not the process locale's: the words must not change with the server.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _unique(items: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _next_step(plan: Plan, today: date, rules: MonitoringRules) -> str:
    m = rules.messages
    upcoming = [s for s in plan.steps if s.start_date > today]
    if upcoming:
        step = upcoming[0]
        return m["next_step"].format(daily_mg=mg_text(step.daily_mg),
                                     start_date=day_words(step.start_date, rules))
    if plan.stop_date is not None and plan.stop_date > today:
        return m["last_day"].format(last_dose=day_words(plan.stop_date - timedelta(days=1), rules))
    return ""


def patient_message(
    action: Action, top: Sequence[Firing], firings: Sequence[Firing], plan: Plan,
    today: date, current: Fraction, tl: Timeline, rules: MonitoringRules,
) -> str:
    """The message for the patient: the template of the action, filled in, plus any notes."""
    m = rules.messages
    if action == "proceed" and today < plan.start_date:
        text = m["not_started"].format(start_date=day_words(plan.start_date, rules))
    elif action == "proceed" and plan.stop_date is not None and today >= plan.stop_date:
        text = m["finished"].format(last_dose=day_words(plan.stop_date - timedelta(days=1),
                                                        rules))
    else:
        reasons = ", ".join(_unique([r for f in top for r in f.reasons]))
        last = (m["no_reduction_yet"] if tl.last_reduction is None
                else day_words(tl.last_reduction, rules))
        text = m[action].format(
            drug=rules.drug_name, daily_mg=mg_text(current), last_reduction=last,
            reasons=reasons, next_reduction=_next_step(plan, today, rules),
        )
    notes = _unique([n for f in firings for n in f.patient_notes])
    return " ".join([text, *notes])


def clinician_note(action: Action, firings: Sequence[Firing], current: Fraction,
                   tl: Timeline) -> str:
    """The alert for the clinician (empty when the plan proceeds)."""
    if action == "proceed":
        return ""
    rules = ", ".join(_unique([f.basis.rule for f in firings]))
    told = {
        "emergency": "patient told to seek emergency care now",
        "contact_prescriber": "patient asked to contact the prescriber today; dose held",
        "hold": "dose held; next reduction delayed",
    }[action]
    since = "" if tl.days_since_reduction is None else (
        f", {tl.days_since_reduction} day(s) after the reduction of {tl.last_reduction}")
    return f"{action.upper()}: {rules} — {told} (on {mg_text(current)} mg a day{since})."
