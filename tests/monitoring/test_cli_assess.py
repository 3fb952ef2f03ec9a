"""`taper assess` and `taper symptoms`: the JSON contract, and bad input exiting 2."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from taper.cli import main
from taper.cli.assess import run_assess
from taper.core.plan import Plan

ROOT = Path(__file__).resolve().parents[2]
PLAN_JSON = json.loads((ROOT / "examples" / "diarist.json").read_text())  # a planning request
CONTRACT_EXAMPLE = {"date": "2026-12-09", "symptoms": {"anxiety": 2, "insomnia": 1},
                    "spasticity": 5, "sleep_quality": 4, "temperature_c": "37.1",
                    "heart_rate": 84, "doses_taken": ["08:00", "14:00", "20:00"],
                    "note": "restless"}


def test_run_assess_answers_in_the_contracts_shape(plan: Plan) -> None:
    result = run_assess(plan, [CONTRACT_EXAMPLE], date(2026, 12, 10))
    assert result["action"] == "hold"
    assert result["days_since_reduction"] == 4 and result["window"] == "peak"
    assert result["message"] and result["basis"]
    for entry in result["basis"]:
        assert set(entry) >= {"rule", "inputs", "source"}
    assert result["step"] == {"index": 2, "start_date": "2026-12-06", "end_date": "2026-12-10",
                              "daily_mg": "50"}
    assert result["plan_change"]["next_change_now"] == "2026-12-12"
    json.dumps(result)  # plain JSON all the way down


def test_contact_suggestions_carry_a_dose_and_a_strategy(plan: Plan) -> None:
    items = [{"date": "2026-12-04"}, {"date": "2026-12-09", "symptoms": {"nausea": 3}}]
    result = run_assess(plan, items, date(2026, 12, 9))
    back = [s["daily_mg"] for s in result["suggestions"] if s["kind"] == "return_to_dose"]
    slower = [s["strategy"] for s in result["suggestions"] if s["kind"] == "slower_pace"]
    assert back == ["55"]
    assert slower == [{"kind": "fixed_mg", "step_mg": "2.5", "step_days": 5},
                      {"kind": "fixed_mg", "step_mg": "5", "step_days": 10}]
    assert all(s["for"] == "prescriber" for s in result["suggestions"])


def test_symptoms_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["symptoms", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {s["id"]: s for s in data["symptoms"]}
    assert by_id["hallucinations"]["red_flag_from"] == "mild"
    assert by_id["insomnia"] == {
        "id": "insomnia", "domain": "sleep", "red_flag_from": None,
        "wording": "Trouble falling or staying asleep", "source": "seed-002"}
    assert main(["symptoms"]) == 0
    assert "hallucinations" in capsys.readouterr().out


def _run(tmp_path: Path, checkins: str, today: str = "2026-12-10",
         plan: dict[str, Any] | None = None) -> list[str]:
    (tmp_path / "plan.json").write_text(json.dumps(plan or PLAN_JSON))
    (tmp_path / "checkins.json").write_text(checkins)
    return ["assess", "--plan", str(tmp_path / "plan.json"),
            "--checkins", str(tmp_path / "checkins.json"), "--today", today]


@pytest.mark.hazard("HZ-024")
@pytest.mark.parametrize(
    ("checkins", "today", "plan", "message"),
    [
        ('[{"date": "2026-12-09",', "2026-12-10", None, "checkins: not a JSON array or JSON lines"),
        ('{"date": "2026-12-09"}\n{"date":', "2026-12-10", None, "line 1"),
        ('[{"date": "2026-12-09", "symptoms": {"anxeity": 2}}]', "2026-12-10", None,
         "checkins[0].symptoms.anxeity: unknown symptom"),
        ('{"date": "2026-12-09"}\n{"date": "2026-12-09", "heart_rate": 0}', "2026-12-10", None,
         "checkins[1].heart_rate: must be a whole number 20-250"),
        ('[{"date": "2026-12-09", "temperature_c": "55"}]', "2026-12-10", None, "30-45 °C"),
        ('[{"date": "2026-12-12"}]', "2026-12-10", None, "is after today"),
        ("[]", "10/12/2026", None, "--today: must be a date as YYYY-MM-DD"),
        ("[]", "20261210", None, "--today: must be a date as YYYY-MM-DD"),
        ("[]", "2026-12-10", {"drug": "aspirin", "start_date": "2026-12-01", "products": [],
                              "steps": []}, "plan.drug: no monitoring rules"),
        ("[]", "2026-12-10", {"drug": "baclofen"}, "start_date: required"),
    ],
    ids=["json", "jsonl", "unknown-symptom", "heart-rate-0", "55C", "future", "today-format",
         "today-basic", "drug", "neither"],
)
def test_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], checkins: str, today: str,
    plan: dict[str, Any] | None, message: str,
) -> None:
    assert main(_run(tmp_path, checkins, today, plan)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_a_missing_checkins_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _run(tmp_path, "[]")
    args[args.index("--checkins") + 1] = str(tmp_path / "nowhere.json")
    assert main(args) == 2
    assert "--checkins: cannot read" in capsys.readouterr().err
