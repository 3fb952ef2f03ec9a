"""Each monitoring control at its boundary (at, just inside, just outside), checking the whole
decision: the action, the basis with the values it read, and the words the patient gets.

These are the tests that kill the mutants of the rules (scripts/mutate.py): a threshold moved
by one, a reading dropped from the basis or the message, a reference taken from the wrong day.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import pytest

from taper.core.monitoring.basis import Basis
from taper.core.monitoring.pacing import PacingDecision
from taper.core.monitoring.rulebook import ThresholdRule
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import decide, diarist_plan

RULES = load_monitoring("baclofen")
TODAY = date(2026, 12, 9)  # step 2 (50 mg a day) of the diarist's plan, cut on 2026-12-06
D = TODAY.isoformat()


def basis_of(decision: PacingDecision, rule: str) -> Basis:
    found = [b for b in decision.basis if b.rule == rule]
    assert len(found) == 1, f"{rule} not in {[b.rule for b in decision.basis]}"
    return found[0]


def rules_of(decision: PacingDecision) -> list[str]:
    return [b.rule for b in decision.basis]


# ------------------------------------------------------------- HZ-026 staleness
MAX_AGE = int(RULES.pacing["no_recent_checkin"].param("max_age_days"))


@pytest.mark.hazard("HZ-026")
@pytest.mark.parametrize("age", [0, MAX_AGE], ids=["today", "at-the-limit"])
def test_a_checkin_within_the_age_limit_lets_the_taper_proceed(age: int) -> None:
    seen = TODAY - timedelta(days=age)
    decision = decide([{"date": seen.isoformat(), "symptoms": {}}], TODAY)
    assert decision.action == "proceed"
    assert decision.basis[0] == Basis(
        "stable", {"checkin": seen.isoformat()}, "spec",
        "No rule fired on a recent check-in: the plan proceeds as written.")
    assert decision.checkin_date == seen
    assert decision.plan_change is None and decision.clinician_note == ""
    assert decision.message.startswith("Your check-ins look stable.")


@pytest.mark.hazard("HZ-026")
@pytest.mark.parametrize("age", [MAX_AGE + 1, MAX_AGE + 6], ids=["just-outside", "a-week-old"])
def test_a_checkin_older_than_the_limit_holds_the_taper(age: int) -> None:
    seen = (TODAY - timedelta(days=age)).isoformat()
    decision = decide([{"date": seen, "symptoms": {}}], TODAY)
    assert decision.action == "hold"
    rule = RULES.pacing["no_recent_checkin"]
    assert decision.basis[0] == Basis(
        "no_recent_checkin", {"today": D, "latest_checkin": seen, "max_age_days": MAX_AGE},
        rule.fact.source, rule.fact.statement, rule.fact.reason)
    day = date.fromisoformat(seen)  # in words for the patient, never ISO (issue 14)
    assert f"Reason: no check-in recorded since {day:%a} {day.day} {day:%b}." in decision.message
    assert seen not in decision.message
    assert decision.plan_change is not None
    assert decision.clinician_note.startswith("HOLD: no_recent_checkin")


@pytest.mark.hazard("HZ-026")
def test_with_no_checkin_at_all_the_basis_says_so() -> None:
    decision = decide([], TODAY)
    assert decision.action == "hold"
    assert decision.basis[0].inputs == {"today": D, "latest_checkin": None,
                                        "max_age_days": MAX_AGE}
    assert "no check-in recorded since the start" in decision.message
    assert decision.checkin_date is None


# ------------------------------------------------------- HZ-020/HZ-022 threshold rules
def reading(measure: str, value: Fraction) -> dict[str, Any]:
    if measure.startswith("symptom."):
        return {"symptoms": {measure.removeprefix("symptom."): int(value)}}
    if measure == "temperature_c":
        return {"temperature_c": str(float(value))}
    return {measure: int(value)}


def checkin_at(rule: ThresholdRule, below: str | None = None) -> dict[str, Any]:
    """Every condition of the rule exactly at its threshold (one just below, if named)."""
    item: dict[str, Any] = {"date": D, "symptoms": {}}
    for c in rule.when:
        step = Fraction(1, 10) if c.measure == "temperature_c" else Fraction(1)
        part = reading(c.measure, c.at_least - (step if c.measure == below else 0))
        item = {**item, **part, "symptoms": {**item["symptoms"], **part.get("symptoms", {})}}
    return item


def shown(measure: str, value: Fraction) -> str | int:
    """How a reading appears in the basis: °C as text to 0.1, the rest as whole numbers."""
    if measure == "temperature_c":
        text = f"{float(value):.1f}"
        return text.removesuffix(".0")
    return int(value)


THRESHOLD_RULES = {r.id: r for r in RULES.all_threshold_rules()}


@pytest.mark.hazard("HZ-020")
@pytest.mark.hazard("HZ-022")
@pytest.mark.parametrize("rule_id", sorted(THRESHOLD_RULES))
def test_each_threshold_rule_at_its_threshold_decides_with_its_reading_in_the_basis(
    rule_id: str,
) -> None:
    rule = THRESHOLD_RULES[rule_id]
    decision = decide([{"date": (TODAY - timedelta(days=1)).isoformat(), "symptoms": {}},
                       checkin_at(rule)], TODAY)
    expected_inputs: dict[str, Any] = {"checkin": D}
    for c in rule.when:
        expected_inputs[c.measure] = shown(c.measure, c.at_least)
        expected_inputs[f"{c.measure}.at_least"] = shown(c.measure, c.at_least).__str__()
    assert basis_of(decision, rule.id) == Basis(rule.id, expected_inputs, rule.fact.source,
                                                rule.fact.statement, rule.fact.reason)
    if rule.action == "emergency":
        assert decision.action == "emergency"
        assert decision.clinician_note.startswith("EMERGENCY: ")
    else:
        assert decision.action in ("hold", "contact_prescriber", "emergency")
    assert rule.id in decision.clinician_note
    reason = rule.patient_wording
    if "temperature_c" in expected_inputs:
        reason += f" ({expected_inputs['temperature_c']} °C)"
    if decision.action == rule.action:
        assert reason in decision.message


@pytest.mark.hazard("HZ-020")
@pytest.mark.parametrize(("rule_id", "measure"), [
    (r.id, c.measure) for r in THRESHOLD_RULES.values() for c in r.when])
def test_each_threshold_rule_just_below_any_threshold_does_not_fire(rule_id: str,
                                                                     measure: str) -> None:
    rule = THRESHOLD_RULES[rule_id]
    decision = decide([{"date": (TODAY - timedelta(days=1)).isoformat(), "symptoms": {}},
                       checkin_at(rule, below=measure)], TODAY)
    assert rule_id not in rules_of(decision)


@pytest.mark.hazard("HZ-022")
@pytest.mark.hazard("HZ-029")
def test_a_high_fever_keeps_the_temperature_in_the_basis_and_the_reason() -> None:
    decision = decide([{"date": D, "temperature": {"value": "102.7", "unit": "F"}}], TODAY)
    assert decision.action == "emergency"
    # 102.7 °F is 39.2777… °C: shown to one place, half up
    assert basis_of(decision, "high_fever").inputs == {
        "checkin": D, "temperature_c": "39.3", "temperature_c.at_least": "39"}
    assert "what you noticed: a high temperature (39.3 °C)." in decision.message
    assert "raised_temperature" in rules_of(decision)  # the hold rule fired too; emergency won
    assert "a raised temperature" not in decision.message  # only the deciding rules' reasons


@pytest.mark.hazard("HZ-020")
def test_fever_with_rigidity_reads_both_and_says_the_temperature() -> None:
    item = {"date": D, "temperature_c": "38.4", "symptoms": {"muscle_rigidity": 2}}
    decision = decide([item], TODAY)
    assert decision.action == "emergency"
    assert basis_of(decision, "fever_with_rigidity").inputs == {
        "checkin": D, "temperature_c": "38.4", "temperature_c.at_least": "38",
        "symptom.muscle_rigidity": 2, "symptom.muscle_rigidity.at_least": "2"}
    assert "a fever with rigid muscles (38.4 °C)" in decision.message
    felt = decide([{"date": D, "symptoms": {"fever": 2, "muscle_rigidity": 2}}], TODAY)
    assert felt.action == "emergency" and "°C" not in felt.message
    assert "feeling feverish with rigid muscles" in felt.message


# --------------------------------------------------- symptoms: moderate, severe, persisting
BEFORE = date(2026, 11, 30)  # the day before the taper starts


@pytest.mark.hazard("HZ-028")
@pytest.mark.parametrize(("level", "action", "rule", "label"), [
    (1, "proceed", None, None),
    (2, "hold", "moderate_symptom", "moderate"),
    (3, "contact_prescriber", "severe_symptom", "severe"),
])
def test_a_new_symptom_is_held_from_moderate_and_sent_to_the_prescriber_when_severe(
    level: int, action: str, rule: str | None, label: str | None,
) -> None:
    items = [{"date": BEFORE.isoformat(), "symptoms": {}},
             {"date": D, "symptoms": {"anxiety": level, "insomnia": level}}]
    decision = decide(items, TODAY)
    assert decision.action == action
    if rule is None:
        assert rules_of(decision) == ["stable", "timeline"]
        return
    assert basis_of(decision, rule).inputs == {
        "checkin": D, "anxiety": level, "anxiety.before_taper": 0,
        "insomnia": level, "insomnia.before_taper": 0}
    assert (f"Reason: anxious, nervous or on edge ({label}), "
            f"trouble falling or staying asleep ({label}).") in decision.message


@pytest.mark.hazard("HZ-028")
@pytest.mark.parametrize(("before", "now", "action"), [
    (2, 2, "proceed"), (2, 3, "contact_prescriber"), (1, 2, "hold")])
def test_a_symptom_is_measured_against_the_last_checkin_before_the_taper(
    before: int, now: int, action: str,
) -> None:
    items = [{"date": "2026-11-20", "symptoms": {"tremor": 0}},
             {"date": BEFORE.isoformat(), "symptoms": {"tremor": before}},
             {"date": D, "symptoms": {"tremor": now}}]
    decision = decide(items, TODAY)
    assert decision.action == action
    if action != "proceed":
        rule = "severe_symptom" if now == 3 else "moderate_symptom"
        assert basis_of(decision, rule).inputs == {"checkin": D, "tremor": now,
                                                   "tremor.before_taper": before}


PERSIST_DAYS = int(RULES.pacing["persisting_symptom"].param("days"))


@pytest.mark.hazard("HZ-028")
@pytest.mark.parametrize(("days", "action"), [
    (PERSIST_DAYS - 1, "hold"), (PERSIST_DAYS, "contact_prescriber"),
    (PERSIST_DAYS + 1, "contact_prescriber")], ids=["just-inside", "at", "just-outside"])
def test_a_moderate_symptom_lasting_the_rules_days_goes_to_the_prescriber(days: int,
                                                                          action: str) -> None:
    run = [{"date": (TODAY - timedelta(days=i)).isoformat(), "symptoms": {"insomnia": 2}}
           for i in range(days, -1, -1)]
    quiet_before = {"date": (TODAY - timedelta(days=days + 1)).isoformat(), "symptoms": {}}
    decision = decide([quiet_before, *run], TODAY)
    assert decision.action == action
    if action == "hold":
        assert "persisting_symptom" not in rules_of(decision)
        assert "moderate_symptom" in rules_of(decision)
        return
    assert basis_of(decision, "persisting_symptom").inputs == {
        "checkin": D, "insomnia": 2, "insomnia.before_taper": 0, "insomnia.days": days}
    assert "moderate_symptom" not in rules_of(decision)
    assert (f"Reason: trouble falling or staying asleep (moderate) for {days} days."
            in decision.message)


# ---------------------------------------------------------------- spasticity rebound
POINTS = int(RULES.pacing["spasticity_rise"].param("points"))


@pytest.mark.hazard("HZ-028")
@pytest.mark.parametrize(("rise", "action"), [
    (POINTS - 1, "proceed"), (POINTS, "hold"), (POINTS + 1, "hold")],
    ids=["just-inside", "at", "just-outside"])
def test_spasticity_is_measured_against_the_last_reading_before_the_taper(rise: int,
                                                                         action: str) -> None:
    items = [{"date": "2026-11-20", "spasticity": 7},  # earliest, higher: not the reference
             {"date": BEFORE.isoformat(), "spasticity": 3},
             {"date": "2026-12-05", "spasticity": 3 + rise},
             {"date": D, "spasticity": 3 + rise}]
    decision = decide(items, TODAY)
    assert decision.action == action
    if action == "proceed":
        assert "spasticity_rise" not in rules_of(decision)
        return
    assert basis_of(decision, "spasticity_rise").inputs == {
        "checkin": D, "spasticity": 3 + rise, "spasticity.reference": 3,
        "rise.at_least": POINTS}
    assert (f"stiffer muscles than before the taper ({3 + rise} of 10; it was 3)"
            in decision.message)


@pytest.mark.hazard("HZ-028")
def test_without_a_reading_before_the_taper_the_earliest_reading_is_the_reference() -> None:
    items = [{"date": "2026-11-25", "spasticity": 2},
             {"date": BEFORE.isoformat(), "symptoms": {}},  # the last day before: no reading
             {"date": "2026-12-03", "spasticity": 5},
             {"date": D, "spasticity": 2 + POINTS}]
    decision = decide(items, TODAY)
    assert decision.action == "hold"
    assert basis_of(decision, "spasticity_rise").inputs["spasticity.reference"] == 2
    after_only = decide([{"date": "2026-12-03", "spasticity": 4},
                         {"date": D, "spasticity": 4 + POINTS}], TODAY)
    assert basis_of(after_only, "spasticity_rise").inputs["spasticity.reference"] == 4
    assert decide([{"date": D, "spasticity": 9 - 1}], TODAY).action == "proceed"


# ---------------------------------------------------------------- HZ-025 missed doses
@pytest.mark.hazard("HZ-025")
def test_two_missed_doses_name_the_times_in_the_basis() -> None:
    decision = decide([{"date": D, "doses_taken": ["14:00"]}], TODAY)
    assert decision.action == "contact_prescriber"
    assert basis_of(decision, "missed_doses").inputs == {
        "checkin": D, "scheduled": "08:00, 14:00, 20:00", "missed": "08:00, 20:00",
        "missed.at_least": 2}
    day = date.fromisoformat(D)  # in words for the patient, never ISO (issue 14)
    assert f"Reason: 2 missed doses on {day:%a} {day.day} {day:%b}." in decision.message
    assert decision.message.endswith(
        " Missing doses during a baclofen taper can bring on withdrawal. Take your next dose at "
        "its usual time; do not take extra to make up for the missed ones.")
    assert decision.clinician_note == (
        "CONTACT_PRESCRIBER: missed_doses — patient asked to contact the prescriber today; dose "
        "held (on 50 mg a day, 3 day(s) after the reduction of 2026-12-06).")


# ---------------------------------------------------------------- the plan's own dates
STOP = date(2027, 1, 25)  # the diarist's stop date: the first day without a dose


@pytest.mark.hazard("HZ-021")
@pytest.mark.parametrize(("today", "action"), [
    (STOP - timedelta(days=1), "hold"), (STOP, "contact_prescriber"),
    (STOP + timedelta(days=1), "contact_prescriber")], ids=["last-dose-day", "stop", "after"])
def test_a_hold_on_or_after_the_stop_date_goes_to_the_prescriber(today: date,
                                                                action: str) -> None:
    decision = decide([{"date": today.isoformat(), "symptoms": {"anxiety": 2}}], today)
    assert decision.action == action
    assert decision.plan_change is not None  # any action but proceed returns the held plan
    if action == "hold":
        assert "hold_after_stop" not in rules_of(decision)
        assert decision.suggestions == ()
        return
    rule = RULES.pacing["hold_after_stop"]
    assert basis_of(decision, "hold_after_stop") == Basis(
        "hold_after_stop", {"stop_date": STOP.isoformat()}, rule.fact.source,
        rule.fact.statement, rule.fact.reason)
    assert f"Reason: {rule.patient_wording}." in decision.message
    assert decision.suggestions  # to the prescriber: what to return to, and how slowly


@pytest.mark.hazard("HZ-021")
@pytest.mark.parametrize(("today", "daily_mg", "step"), [
    (date(2026, 11, 30), 60, None),      # before the plan: the regimen's daily dose
    (date(2026, 12, 1), 55, 1), (date(2026, 12, 5), 55, 1), (date(2026, 12, 6), 50, 2),
    (date(2027, 1, 24), 5, 11), (STOP, 0, None)])
def test_the_dose_in_force_and_the_step_on_each_side_of_the_plans_dates(
    today: date, daily_mg: int, step: int | None,
) -> None:
    decision = decide([{"date": today.isoformat(), "symptoms": {}}], today)
    assert decision.daily_mg == daily_mg and type(decision.daily_mg) is Fraction  # exact, always
    assert (None if decision.step is None else decision.step.index) == step
    if today < date(2026, 12, 1):
        assert decision.message.startswith(
            "Your taper has not started yet; it starts on Tue 1 Dec.")
    elif today >= STOP:
        assert decision.message.startswith("Your last dose was on Sun 24 Jan")
    else:
        assert f"{daily_mg} mg a day now" in decision.message


@pytest.mark.hazard("HZ-029")
def test_an_emergency_tells_the_clinician_what_fired_the_dose_and_the_days_since_the_cut() -> None:
    decision = decide([{"date": D, "symptoms": {"seizure": 1}}], TODAY)
    assert decision.action == "emergency" and decision.clinician_flag
    assert decision.clinician_note.startswith("EMERGENCY: red_flag_symptom.seizure")
    assert decision.clinician_note.endswith(
        "patient told to seek emergency care now (on 50 mg a day, 3 day(s) after the "
        "reduction of 2026-12-06).")
    assert decision.days_since_reduction == 3 and decision.checkin_date == TODAY
    assert "your dose now is 50 mg a day; your last dose reduction was on Sun 6 Dec" in (
        decision.message)


@pytest.mark.hazard("HZ-021")
def test_after_the_last_step_of_a_plan_without_a_stop_its_dose_stays_in_force() -> None:
    steps_only = replace(diarist_plan(), stop_date=None)  # e.g. a titration that holds at its goal
    after = date(2027, 2, 1)
    decision = decide([{"date": after.isoformat(), "symptoms": {}}], after, steps_only)
    assert decision.daily_mg == 5 and decision.step is None
    empty = replace(steps_only, steps=())
    assert decide([{"date": after.isoformat(), "symptoms": {}}], after, empty).daily_mg == 0


@pytest.mark.hazard("HZ-021")
def test_a_plan_that_stops_on_its_first_day_has_no_dose_in_force_that_day() -> None:
    """A stop from a dose already at the final-step limit: no step, stop date = start date."""
    start = date(2026, 12, 1)
    stop_at_once = replace(diarist_plan(), steps=(), stop_date=start)
    day_before = decide([{"date": "2026-11-30", "symptoms": {}}], start - timedelta(days=1),
                        stop_at_once)
    assert day_before.daily_mg == 60
    on_the_day = decide([{"date": "2026-12-01", "symptoms": {}}], start, stop_at_once)
    assert on_the_day.daily_mg == 0 and on_the_day.step is None


def test_before_a_plan_with_no_regimen_the_dose_in_force_is_an_exact_zero() -> None:
    nothing_before = replace(diarist_plan(), baseline=())  # e.g. starting the drug
    day = date(2026, 11, 30)
    decision = decide([{"date": day.isoformat(), "symptoms": {}}], day, nothing_before)
    assert decision.daily_mg == 0 and type(decision.daily_mg) is Fraction


@pytest.mark.hazard("HZ-020")
def test_a_red_flag_symptom_is_left_to_its_red_flag_rule_alone() -> None:
    decision = decide([{"date": D, "symptoms": {"muscle_spasms": 3}}], TODAY)
    assert decision.action == "emergency"
    assert rules_of(decision) == ["red_flag_symptom.muscle_spasms", "timeline"]


def test_a_step_with_a_vital_sign_hold_is_not_a_tolerated_dose() -> None:
    """Step 1's check-ins had a fast pulse (a hold): the last tolerated dose is the one before."""
    today = date(2026, 12, 8)
    step1 = [{"date": f"2026-12-0{d}", "heart_rate": 100} for d in range(1, 6)]
    items = [*step1, {"date": today.isoformat(), "symptoms": {"anxiety": 3}}]
    decision = decide(items, today)
    back = [s for s in decision.suggestions if s.kind == "return_to_dose"]
    assert [s.daily_mg for s in back] == [60]
    assert back[0].basis.inputs["last_tolerated"] == "the dose before the taper"
    quiet_step1 = [{"date": f"2026-12-0{d}", "heart_rate": 99} for d in range(1, 6)]
    again = decide([*quiet_step1, items[-1]], today)
    assert [s.daily_mg for s in again.suggestions if s.kind == "return_to_dose"] == [55]
