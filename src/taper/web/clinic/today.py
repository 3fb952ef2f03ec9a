"""Today, one truth (issue 14.2): the banner, the dose list, the progress, the next change
and the plan-changed notice all come from `today_for`, read once from the plan in force, so
they cannot disagree after a change (HZ-186). The calendar feed reads the same plan JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from taper.core.plan import Plan
from taper.exports.words import mg_words
from taper.web.clinic import lean
from taper.web.clinic.engine import DoseToday, doses_on
from taper.web.clinic.lean import plan_of
from taper.web.clinic.models import Decision, DoseTaken, Patient, PlanVersion, Status
from taper.web.clinic.presenters import patient_words
from taper.web.clinic.services.followup import monitored_version
from taper.web.clinic.today_chart import today_chart
from taper.web.clinic.wording import clock_words, day_words


def next_change(plan: Plan, day: date) -> tuple[date, str] | None:
    """The next day the dose changes and what it changes to, in the page's language (the
    same days as engine.dose_changes, whose English words the desk stores)."""
    for step in plan.steps:
        if step.start_date > day:
            return step.start_date, _("%(mg)s a day") % {"mg": mg_words(step.daily_mg)}
    if plan.stop_date is not None and plan.stop_date > day:
        return plan.stop_date, _("no more doses (the plan stops)")
    return None


@dataclass
class DoseRow:
    dose: DoseToday
    mark: DoseTaken | None
    due: bool  # its time has come (a dose not yet due cannot be marked)
    # The dose's time as the page writes it, made once here rather than by three template
    # filters per row: "0800" (element ids), "08:00" (the form's value), "8:00 am" (shown).
    hm: str = field(init=False)
    at: str = field(init=False)
    shown: str = field(init=False)

    def __post_init__(self) -> None:
        t = self.dose.time
        self.hm, self.at = f"{t.hour:02d}{t.minute:02d}", f"{t.hour:02d}:{t.minute:02d}"
        self.shown = clock_words(t)


@dataclass
class TodayView:
    day: date
    version: PlanVersion | None
    plan: Plan | None = None
    doses: list[DoseRow] = field(default_factory=list)
    daily: str | None = None
    progress: str = ""
    next_change: tuple[date, str] | None = None
    changed: str = ""  # "Your plan changed on Tue 9 Dec: ..." until the patient has seen it
    decision: Decision | None = None  # today's decision on the plan in force, if any
    decision_message: str = ""  # its words for the patient, in the page's language
    chart: dict[str, Any] | None = None
    checked_in: bool = False  # a check-in for today is stored (read with the chart's dates)
    page: lean.TodayPage | None = None  # clinic, decision, marks, unread count, reminder days


def today_for(patient: Patient, day: date, moment: datetime) -> TodayView:
    view = _today_for(patient, day, moment)
    if view.page is None:
        view.page = lean.today_page(patient.pk, day)
    return view


def _today_for(patient: Patient, day: date, moment: datetime) -> TodayView:
    version = monitored_version(patient, day)
    view = TodayView(day=day, version=version)
    if version is None:
        return view
    view.page = lean.today_page(patient.pk, day)  # today's decision and marks with it
    plan = plan_of(version)
    step, doses = doses_on(plan, day)
    marks = {m.time: m for m in view.page.marks}
    local = moment.astimezone(ZoneInfo(patient.timezone)).time()
    view.plan, view.next_change = plan, next_change(plan, day)
    view.doses = [DoseRow(d, marks.get(d.time), d.time <= local) for d in doses]
    view.daily = _daily(plan, step, day)
    view.progress = _progress(plan, day, view.next_change, view.daily)
    view.changed = _changed(patient, version, plan, day)
    dates = [row[0] for row in lean.typed(lean.fetch(  # the chart's dots, once
        'SELECT "date" FROM clinic_checkin WHERE "patient_id" = %s ORDER BY "date", "id"',
        [patient.pk]), "clinic.CheckIn.date")]
    view.chart = today_chart(plan, dates, day)
    view.checked_in = day in dates
    # A decision's words name the dose of its own day and version; another day's, or one on a
    # version since replaced, would contradict the dose list, so only today's is shown.
    view.decision = view.page.decision
    if view.decision is not None and version.pk not in (view.decision.version_id,
                                                         view.decision.held_version_id):
        view.decision = None
    if view.decision is not None:
        view.decision_message = patient_words(view.decision.data)["message"]
    return view


def _daily(plan: Plan, step: Any, day: date) -> str | None:
    """Today's total: the step's, or before a (new) plan starts, the dose kept until then."""
    if step is not None:
        return mg_words(step.daily_mg)
    if day < plan.start_date:
        return mg_words(sum((d.mg for d in plan.baseline), Fraction(0)))
    return None


def _progress(plan: Plan, day: date, upcoming: tuple[date, str] | None,
              daily: str | None) -> str:
    """"Step 4 of 11 · 35 mg a day · next change Fri 12 Dec (to 30 mg a day)"."""
    step = plan.step_on(day)
    if step is None and day < plan.start_date and daily is not None:
        return ngettext("%(daily)s a day until your plan starts on %(day)s (%(steps)d step)",
                        "%(daily)s a day until your plan starts on %(day)s (%(steps)d steps)",
                        len(plan.steps)) % {"daily": daily, "day": day_words(plan.start_date),
                                            "steps": len(plan.steps)}
    if step is None:
        return ""
    parts = [_("Step %(index)d of %(count)d") % {"index": step.index, "count": len(plan.steps)},
             _("%(mg)s a day") % {"mg": mg_words(step.daily_mg)}]
    if upcoming is not None:
        parts.append(_("next change %(day)s (to %(what)s)") % {
            "day": day_words(upcoming[0]), "what": upcoming[1]})
    return " · ".join(parts)


def _before(version: PlanVersion) -> PlanVersion | None:
    if version.based_on_id is not None:
        return version.based_on
    found = lean.fetch(  # the version before, as the ORM wrote it (clinic/lean.py)
        f"SELECT {lean.columns(PlanVersion, 'v')} FROM clinic_planversion v"
        ' INNER JOIN clinic_plan p ON v."plan_id" = p."id"'
        ' WHERE p."patient_id" = %s AND v."status" IN (%s, %s, %s) AND v."created_at" <= %s'
        ' AND NOT (v."id" = %s) ORDER BY v."created_at" DESC, v."id" DESC LIMIT 1',
        [version.plan.patient_id, str(Status.CHANGED), str(Status.COMPLETED),
         str(Status.STOPPED), lean.datetime_param(version.created_at), version.pk])
    return lean.instance(PlanVersion, found[0]) if found else None


def _changed(patient: Patient, version: PlanVersion, plan: Plan, day: date) -> str:
    if patient.seen_version_id == version.pk:
        return ""
    before = _before(version)
    if before is None:
        return ""
    event = version.events.order_by("-at").first()
    when = (event.at if event is not None else version.created_at).astimezone(
        ZoneInfo(patient.timezone)).date()
    old = {d.time: d.mg for d in doses_on(plan_of(before), day)[1]}
    new = {d.time: d.mg for d in doses_on(plan, day)[1]}
    what = [_("the %(at)s dose is now %(mg)s") % {"at": clock_words(t), "mg": new[t]}
            for t in sorted(new) if old.get(t) != new[t]]
    what += [_("there is no %(at)s dose any more") % {"at": clock_words(t)}
             for t in sorted(set(old) - set(new))]
    if not what:
        upcoming = next_change(plan, day)
        what = ([_("your next change is now on %(day)s") % {"day": day_words(upcoming[0])}]
                if upcoming else [_("no more changes are planned")])
    return _("Your plan changed on %(day)s: %(what)s.") % {"day": day_words(when),
                                                          "what": ", ".join(what)}
