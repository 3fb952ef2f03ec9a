"""The patient's words come from the rules' language, dates included: the same decision in
Spanish says "lun 7 dic", "el principio" and the data's own "stable" statement, never the
English defaults or an ISO date (issue 14 §§6, 8). Killed mutants: the rules passed to
`day_words`, the `since_start` key and the `stable` statement in pacing.py and history.py."""

from __future__ import annotations

from datetime import date, timedelta

from taper.core.monitoring.checkin import parse_checkins
from taper.core.monitoring.pacing import PacingDecision, assess
from taper.knowledge.monitoring import load_monitoring
from tests.monitoring.plans import diarist_plan

ES = load_monitoring("baclofen", "es")
TODAY = date(2026, 12, 9)  # step 2 of the diarist's plan
MAX_AGE = int(ES.pacing["no_recent_checkin"].param("max_age_days"))


def _decide_es(items: list[dict[str, object]]) -> PacingDecision:
    return assess(diarist_plan(), parse_checkins(items, ES, TODAY), TODAY, ES)


def test_a_stale_checkin_names_its_day_in_spanish_words() -> None:
    seen = TODAY - timedelta(days=MAX_AGE + 1)
    decision = _decide_es([{"date": seen.isoformat(), "symptoms": {}}])
    assert decision.action == "hold"
    weekday = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")[seen.weekday()]
    assert f"desde el {weekday} {seen.day} dic" in decision.message  # December, as TODAY
    assert seen.isoformat() not in decision.message and f"{seen:%a}" not in decision.message


def test_no_checkin_at_all_says_since_the_start_in_spanish() -> None:
    decision = _decide_es([])
    assert decision.action == "hold"
    assert f"desde el {ES.messages['since_start']}" in decision.message
    assert ES.messages["since_start"] == "el principio" and "the start" not in decision.message


def test_missed_doses_name_the_day_in_spanish_words() -> None:
    decision = _decide_es([{"date": TODAY.isoformat(), "doses_taken": ["14:00"]}])
    assert decision.action == "contact_prescriber"
    assert "2 dosis sin tomar el mié 9 dic" in decision.message
    assert TODAY.isoformat() not in decision.message


def test_a_stable_basis_is_stated_in_the_rules_language() -> None:
    decision = _decide_es([{"date": TODAY.isoformat(), "symptoms": {}}])
    assert decision.action == "proceed"
    stable = decision.basis[0]
    assert (stable.rule, stable.source) == ("stable", "spec")
    assert stable.statement == ES.messages["stable"]
    assert stable.statement.startswith("Ninguna regla se activó")


# The dates of messages.py's own templates, in the rules' language (killed mutants: the
# rules passed to day_words in _next_step and patient_message, day_words' own checks).
QUIET_ES = {"symptoms": {}, "spasticity": 3}


def _on(day: date, items: list[dict[str, object]]) -> PacingDecision:
    return assess(diarist_plan(), parse_checkins(items, ES, day), day, ES)


def test_the_next_step_s_first_day_is_in_spanish_words() -> None:
    decision = _decide_es([{"date": TODAY.isoformat(), **QUIET_ES}])
    assert decision.action == "proceed"
    assert "su próximo paso, 45 mg al día, empieza el vie 11 dic" in decision.message
    assert "Fri" not in decision.message and "Dec" not in decision.message


def test_the_last_day_with_doses_is_in_spanish_words() -> None:
    day = date(2027, 1, 22)  # the last step: 5 mg, its last dose on Sunday 24 January
    decision = _on(day, [{"date": day.isoformat(), **QUIET_ES}])
    assert decision.action == "proceed"
    assert "su último día con dosis es el dom 24 ene" in decision.message
    assert "Sun" not in decision.message and "Jan" not in decision.message


def test_a_taper_not_started_names_its_first_day_in_spanish_words() -> None:
    day = date(2026, 11, 28)
    decision = _on(day, [{"date": day.isoformat(), **QUIET_ES}])
    assert decision.action == "proceed"
    assert "empieza el mar 1 dic" in decision.message and "Tue" not in decision.message


def test_a_finished_taper_names_its_last_dose_in_spanish_words() -> None:
    day = date(2027, 1, 26)
    decision = _on(day, [{"date": day.isoformat(), **QUIET_ES}])
    assert decision.action == "proceed"
    assert "Su última dosis fue el dom 24 ene" in decision.message
    assert "Sun" not in decision.message


def test_an_emergency_names_the_last_reduction_in_spanish_words() -> None:
    decision = _decide_es([{"date": TODAY.isoformat(), "symptoms": {"seizure": 1}}])
    assert decision.action == "emergency"
    assert "su última bajada de dosis fue el dom 6 dic" in decision.message  # step 2's start
    assert "Sun" not in decision.message and "Dec" not in decision.message


def test_day_words_are_english_unless_the_rules_name_both_days_and_months() -> None:
    from dataclasses import replace

    from taper.core.monitoring.messages import day_words

    assert day_words(TODAY) == "Wed 9 Dec"
    assert day_words(TODAY, ES) == "mié 9 dic"
    for missing in ("weekdays", "months"):
        partial = replace(ES, messages={k: v for k, v in ES.messages.items() if k != missing})
        assert day_words(TODAY, partial) == "Wed 9 Dec", missing
