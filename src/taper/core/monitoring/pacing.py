"""The pacing decision: proceed, hold, contact the prescriber, or emergency — with its basis.

Red flags win over everything; otherwise the most cautious rule that fired decides
(SPEC M2-M3). The patient is only ever told the safe direction; raising a dose back or
slowing the pace are suggestions addressed to the prescriber.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from taper.core.monitoring.basis import Basis, Firing
from taper.core.monitoring.checkin import CheckIn, effective
from taper.core.monitoring.history import (
    HistoryTooShort,
    is_stable,
    missed_dose_firing,
    reference,
    spasticity_firing,
    symptom_firings,
)
from taper.core.monitoring.messages import clinician_note, day_words, patient_message
from taper.core.monitoring.redflags import threshold_firings
from taper.core.monitoring.rulebook import Action, MonitoringRules, rank
from taper.core.monitoring.shift import PlanChange, hold_plan
from taper.core.monitoring.suggestions import Suggestion, suggest
from taper.core.monitoring.timeline import Timeline, timeline
from taper.core.plan import Plan, TaperStep


@dataclass(frozen=True, slots=True)
class PacingDecision:
    action: Action
    message: str  # to the patient: only ever the safe direction
    basis: tuple[Basis, ...]  # never empty: the rules that fired, and the timeline
    suggestions: tuple[Suggestion, ...]  # to the prescriber
    step: TaperStep | None  # the step in force today
    daily_mg: Fraction  # the dose in force today
    timeline: Timeline
    checkin_date: date | None  # the check-in the decision read
    clinician_note: str  # empty when the clinician need not be alerted
    plan_change: PlanChange | None  # what the hold does to the plan (any action but proceed)
    held_plan: Plan | None

    @property
    def clinician_flag(self) -> bool:
        return bool(self.clinician_note)

    @property
    def days_since_reduction(self) -> int | None:
        return self.timeline.days_since_reduction


def daily_mg_on(plan: Plan, day: date) -> Fraction:
    """The dose in force on a day: the regimen's before the plan, 0 after the stop."""
    step = plan.step_on(day)
    if step is not None:
        return step.daily_mg
    if day < plan.start_date:
        return sum((d.mg for d in plan.baseline), Fraction(0))
    return plan.steps[-1].daily_mg if plan.stop_date is None and plan.steps else Fraction(0)


def _firings(
    plan: Plan, log: Sequence[CheckIn], today: date, rules: MonitoringRules,
    complete_since: date | None,
) -> list[Firing]:
    no_recent = rules.pacing["no_recent_checkin"]
    latest = log[-1] if log else None
    if complete_since is not None and (latest is None or latest.date < complete_since):
        raise HistoryTooShort(f"no check-in given since {complete_since}")
    if latest is None or (today - latest.date).days > no_recent.param("max_age_days"):
        inputs = {"today": today.isoformat(),
                  "latest_checkin": None if latest is None else latest.date.isoformat(),
                  "max_age_days": int(no_recent.param("max_age_days"))}
        # The patient's words: the date in words ("Mon 7 Dec"), never ISO.
        last = (rules.messages["since_start"] if latest is None
                else day_words(latest.date, rules))
        return [Firing(no_recent.action, Basis.of(no_recent.id, no_recent.fact, inputs),
                       (no_recent.patient_wording.format(last=last),))]
    ref = reference(log, plan)
    return [
        *threshold_firings(latest, rules),
        *symptom_firings(latest, log, ref, rules, complete_since),
        *spasticity_firing(latest, ref, rules),
        *missed_dose_firing(latest, plan, rules),
    ]


def assess(
    plan: Plan, checkins: Sequence[CheckIn], today: date, rules: MonitoringRules,
    *, complete_since: date | None = None,
) -> PacingDecision:
    """Decide from the check-ins up to today what the patient should do now, and why.

    `checkins` is the whole history, or — with `complete_since`, for speed — a window of
    it: every check-in dated on or after `complete_since`, plus every one on the last date
    before the plan's start and on the first date with a spasticity reading (the reference
    of "new or worse"). A rule that would read further back raises HistoryTooShort, and
    the caller assesses again with every check-in: the answer is the same either way.
    """
    log = tuple(c for c in effective(checkins) if c.date <= today)
    firings = _firings(plan, log, today, rules, complete_since)
    action: Action = max((f.action for f in firings), key=rank, default="proceed")
    stop = plan.stop_date
    if action == "hold" and stop is not None and today >= stop:
        rule = rules.pacing["hold_after_stop"]
        inputs = {"stop_date": stop.isoformat()}
        firings.append(Firing(rule.action, Basis.of(rule.id, rule.fact, inputs),
                              (rule.patient_wording,)))
        action = rule.action
    tl = timeline(plan, today, rules)
    current = daily_mg_on(plan, today)
    latest = log[-1] if log else None
    if not firings:
        assert latest is not None  # with no check-in, no_recent_checkin has fired
        inputs = {"checkin": latest.date.isoformat()}
        stable = Basis("stable", inputs, "spec", rules.messages["stable"])
        basis: tuple[Basis, ...] = (stable, tl.basis)
    else:
        basis = (*(f.basis for f in firings), tl.basis)
    suggestions: tuple[Suggestion, ...] = ()
    if rank(action) >= rank("contact_prescriber"):
        if complete_since is not None and complete_since > plan.start_date:
            # the last tolerated dose reads every step's check-ins since the start
            raise HistoryTooShort(f"the suggestions read check-ins from {plan.start_date}")
        ref = reference(log, plan)
        suggestions = suggest(plan, log, today, current, rules,
                              lambda c: is_stable(c, ref, rules))
    held, change = (None, None)
    if action != "proceed":
        held, change = hold_plan(plan, today, int(rules.pacing["hold"].param("days")))
    top = [f for f in firings if f.action == action]
    return PacingDecision(
        action=action,
        message=patient_message(action, top, firings, plan, today, current, tl, rules),
        basis=basis,
        suggestions=suggestions,
        step=plan.step_on(today),
        daily_mg=current,
        timeline=tl,
        checkin_date=None if latest is None else latest.date,
        clinician_note=clinician_note(action, firings, current, tl),
        plan_change=change,
        held_plan=held,
    )
