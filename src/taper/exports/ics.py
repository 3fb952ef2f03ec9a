"""iCalendar (RFC 5545): one daily event series per dose time per step (SPEC X2).

Each series starts on the step's first day at the dose's local wall-clock time, with a
TZID, and repeats daily until the step's last day. Because the series is anchored to
local time in a named zone, 08:00 stays 08:00 across a daylight-saving change (RFC 5545
§3.3.10: recurrences keep the local time of DTSTART). Titles carry no health details
unless the options ask for them: a calendar is often shared or shown on a lock screen.

Given a monitoring period (`options.monitoring_days`), one all-day event spans it, "Keep
checking in", named by the plan and never the drug (HZ-049, HZ-104).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from taper.core.knowledge import DrugKnowledge
from taper.core.plan import Plan, ScheduledDose, TaperStep
from taper.exports.options import ExportOptions, plan_key
from taper.exports.schedule import monitoring_period
from taper.exports.timezone import vtimezone
from taper.exports.words import dose_words, mg_words

PRODID = "-//Taper//Taper plan export//EN"
EVENT_LENGTH = timedelta(minutes=15)
MONITORING_TITLE = "Keep checking in"


def render(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> bytes:
    """The plan as an RFC 5545 calendar (UTF-8, CRLF line endings)."""
    return bytes(calendar(plan, drug, options).to_ical())


def _head(name: str, timezone: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    return cal


def no_plan(timezone: str, today: date) -> bytes:
    """A calendar with no events, for a subscribed feed when no plan is in force.

    A subscribed calendar is replaced whole on each refresh, so a stopped plan's doses
    disappear. RFC 5545 §3.6 wants at least one component: the zone's VTIMEZONE.
    """
    cal = _head("Medication plan", timezone)
    cal.add_component(vtimezone(timezone, today, today))
    return bytes(cal.to_ical())


def calendar(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> Calendar:
    """The calendar object: VTIMEZONE for the plan's range, then the event series."""
    name = f"{drug.name} plan" if options.show_dose_in_titles else "Medication plan"
    cal = _head(f"{name} (version {options.plan_version})", plan.timezone)
    if plan.steps:
        last = plan.steps[-1].end_date
        cal.add_component(vtimezone(plan.timezone, plan.steps[0].start_date, last))
    for step in plan.steps:
        for dose in step.doses:
            if dose.mg > 0:
                cal.add_component(_event(plan, drug, options, step, dose))
    period = monitoring_period(plan, options.monitoring_days)
    if period is not None:
        cal.add_component(monitoring_event(plan, options, *period))
    return cal


def uid(plan: Plan, options: ExportOptions, step: TaperStep, at: time) -> str:
    """Stable across exports and versions: the same step and time keep the same UID."""
    # No drug name: a UID travels with a shared calendar (HZ-049).
    return f"{plan_key(plan.drug_id, plan.start_date, options)}.step{step.index}.{at:%H%M}@taper"


def monitoring_uid(plan: Plan, options: ExportOptions) -> str:
    """One per plan, stable across exports and versions (a new version moves it in place)."""
    return f"{plan_key(plan.drug_id, plan.start_date, options)}.monitoring@taper"


def monitoring_event(plan: Plan, options: ExportOptions, first: date, last: date) -> Event:
    """An all-day event from the first to the last day of the monitoring period.

    All-day dates float (no TZID): the period is days on the person's own calendar. DTEND is
    the day after the last, exclusive (RFC 5545 §3.6.1). No health details in the words.
    """
    event = Event()
    event.add("uid", monitoring_uid(plan, options))
    event.add("dtstamp", datetime.combine(options.generated_on, time(0), UTC))
    event.add("sequence", options.plan_version)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))
    event.add("summary", MONITORING_TITLE)
    event.add("description", (
        f"Keep doing your daily check-in every day until {last:%A} {last.day} {last:%B %Y}, "
        f"even with no doses left to take.\nPlan version {options.plan_version}."))
    event.add("transp", "TRANSPARENT")
    return event


def _event(
    plan: Plan, drug: DrugKnowledge, options: ExportOptions, step: TaperStep, dose: ScheduledDose
) -> Event:
    zone = ZoneInfo(plan.timezone)
    first = datetime.combine(step.start_date, dose.time, zone)
    # UNTIL must be in UTC when DTSTART has a TZID (RFC 5545 §3.3.10); it is the instant
    # of the last dose, converted with that day's own offset.
    until = datetime.combine(step.end_date, dose.time, zone).astimezone(UTC)
    event = Event()
    event.add("uid", uid(plan, options, step, dose.time))
    event.add("dtstamp", datetime.combine(options.generated_on, time(0), UTC))
    event.add("sequence", options.plan_version)
    event.add("dtstart", first)
    event.add("duration", EVENT_LENGTH)
    event.add("rrule", {"freq": "daily", "until": until})
    event.add("summary", title(drug, options, dose))
    event.add("description", description(plan, options, step, dose))
    event.add("transp", "TRANSPARENT")
    if options.dose_alarms:
        event.add_component(alarm(dose))
    return event


def alarm(dose: ScheduledDose) -> Alarm:
    """A reminder at the dose time itself (RFC 5545 §3.6.6: ACTION, TRIGGER, DESCRIPTION),
    worded like the title: no medicine, no dose (HZ-049)."""
    reminder = Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add("trigger", timedelta(0))
    reminder.add("description", f"Medication {dose.time:%H:%M}")
    return reminder


def title(drug: DrugKnowledge, options: ExportOptions, dose: ScheduledDose) -> str:
    """ "Medication 08:00" by default; with the option, the drug and dose."""
    if options.show_dose_in_titles:
        return f"{drug.name} {mg_words(dose.mg)} at {dose.time:%H:%M}"
    return f"Medication {dose.time:%H:%M}"


def description(plan: Plan, options: ExportOptions, step: TaperStep, dose: ScheduledDose) -> str:
    """Point to the plan for the dose; add the pieces only when doses are allowed in titles."""
    lines = [
        f"Time for your {dose.time:%H:%M} medication. Check your plan for today's dose.",
        f"Plan version {options.plan_version}.",
    ]
    if options.show_dose_in_titles:
        pieces = dose_words(dose, plan.products)
        lines.insert(1, f"Step {step.index}: {mg_words(dose.mg)} ({pieces}).")
    return "\n".join(lines)
