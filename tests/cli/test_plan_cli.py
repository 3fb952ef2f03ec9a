"""`taper plan`: the contract's JSON, the table, and one clear line for every bad input."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taper.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any, *flags: str):
    path = tmp_path / "request.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, default=str))
    code = main(["plan", str(path), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_follows_the_contract(tmp_path, capsys, diarist_request) -> None:
    code, out, _ = run(tmp_path, capsys, diarist_request, "--format", "json")
    plan = json.loads(out)
    assert code == 0
    first = plan["steps"][0]
    assert (first["start_date"], first["end_date"], first["daily_mg"]) == (
        "2026-12-01", "2026-12-05", "55")
    assert first["doses"][1] == {"time": "14:00", "mg": "15", "pieces": [
        {"product": "tab20", "tablets": "0.75", "mg": "15"}]}
    assert plan["stop_date"] == "2027-01-25"
    assert plan["supply"][0]["tablets"] == "83"


def test_table_shows_dates_cut_and_pieces_in_words(tmp_path, capsys, diarist_request) -> None:
    code, out, _ = run(tmp_path, capsys, diarist_request)
    assert code == 0
    assert "2026-12-01 – 2026-12-05" in out and "-8.3 %" in out
    assert "15 mg: ¾ × 20 mg tablet" in out


def test_liquid_pieces_are_in_ml(tmp_path, capsys, diarist_request) -> None:
    diarist_request["products"] = [{"id": "sol1", "form": "liquid", "mg_per_ml": "1",
                                    "measure_step_ml": "0.1", "min_volume_ml": "0.5"}]
    _, out, _ = run(tmp_path, capsys, diarist_request, "--format", "json")
    first = json.loads(out)["steps"][0]["doses"]  # 55 mg spread evenly: 18.3 + 18.3 + 18.4
    assert [d["pieces"][0] for d in first] == [
        {"product": "sol1", "ml": ml, "mg": ml} for ml in ("18.3", "18.3", "18.4")]


def test_numbers_may_be_json_numbers(tmp_path, capsys, diarist_request) -> None:
    diarist_request["strategy"] = {"kind": "percent", "percent": 10, "step_days": 14,
                                   "final_mg": 2.5}
    code, out, _ = run(tmp_path, capsys, diarist_request, "--format", "json")
    assert code == 0 and json.loads(out)["steps"][0]["daily_mg"] == "55"


def _set(data: dict, path: str, value: Any) -> dict:
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is DELETE:
        del node[int(last) if last.isdigit() else last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


DELETE = object()

BAD = [
    ("drug", "aspirin", "drug: unknown drug 'aspirin'"),
    ("products.1", "tab99", "products[1]: unknown product id 'tab99'"),
    ("products.0.strength_mg", "-5", "products[0].strength_mg: must be a number from 0.01 to"),
    ("products.0.strength_mg", "0", "products[0].strength_mg: must be a number from 0.01 to"),
    ("products.1.divisible_into", 3, "products[1].divisible_into: must be 1, 2 or 4"),
    ("products.0.form", "patch", "products[0]: must be tablet, capsule, packet or liquid"),
    ("current_doses.0.time", "25:00", "current_doses[0].time: must be a time of day"),
    ("current_doses.1.time", "08:00", "current_doses[1].time: 08:00 is already listed"),
    ("strategy.step_days", 0, "strategy.step_days: must be at least 1"),
    ("strategy.kind", "exponential", "strategy.kind: must be one of"),
    ("strategy.step_mg", "five", "strategy.step_mg: must be a number"),
    ("start_date", "2026-13-01", "start_date: must be a date"),
    ("timezone", "Mars/Olympus", "timezone: unknown time zone 'Mars/Olympus'"),
    ("reduce_order", ["09:00"], "reduce_order[0]: 09:00 is not one of the dose times"),
    ("current_doses", [], "current_doses: must not be empty"),
    ("strategy", DELETE, "strategy: required"),
    ("max_daily_mg_override", {"mg": "120", "reason": ""},
     "max_daily_mg_override.reason: must be"),
    ("extra_field", 1, "extra_field: unknown field"),
]


@pytest.mark.hazard("HZ-006")
@pytest.mark.parametrize(("path", "value", "message"), BAD, ids=[b[2].split(":")[0] for b in BAD])
def test_bad_input_exits_2_with_one_line_naming_the_field(
    tmp_path, capsys, diarist_request, path: str, value: Any, message: str
) -> None:
    code, out, err = run(tmp_path, capsys, _set(diarist_request, path, value))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


@pytest.mark.hazard("HZ-006")
def test_malformed_json_names_line_and_column(tmp_path, capsys) -> None:
    code, _, err = run(tmp_path, capsys, '{"drug": "baclofen",,}')
    assert code == 2 and "not valid JSON" in err and "line 1" in err


@pytest.mark.hazard("HZ-006")
def test_missing_file_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["plan", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err


@pytest.mark.hazard("HZ-006")
def test_a_real_process_never_prints_a_traceback(tmp_path) -> None:
    (tmp_path / "r.json").write_text('{"drug": "baclofen"}')
    result = subprocess.run([sys.executable, "-m", "taper", "plan", str(tmp_path / "r.json")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "required" in result.stderr


def test_standard_input_and_toml_are_accepted(tmp_path, diarist_request) -> None:
    result = subprocess.run([sys.executable, "-m", "taper", "plan", "-", "--format", "json"],
                            input=json.dumps(diarist_request, default=str), capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0 and json.loads(result.stdout)["stop_date"] == "2027-01-25"


def test_a_plan_json_can_be_read_back(tmp_path, capsys, diarist_request) -> None:
    _, out, _ = run(tmp_path, capsys, diarist_request, "--format", "json")
    code, again, _ = run(tmp_path, capsys, out, "--format", "json")
    assert code == 0 and json.loads(again)["steps"] == json.loads(out)["steps"]


@pytest.mark.hazard("HZ-104")
def test_monitoring_days_reach_the_table_and_the_exports(tmp_path, capsys, diarist_request) -> None:
    from icalendar import Calendar

    code, out, _ = run(tmp_path, capsys, diarist_request, "--monitoring-days", "14")
    assert code == 0
    assert "Keep checking in daily from 2027-01-25 to 2027-02-07 (monitoring period)" in out
    code, out, _ = run(tmp_path, capsys, diarist_request, "--format", "ics", "--monitoring-days", "3")
    (kept,) = [e for e in Calendar.from_ical(out).walk("VEVENT") if e["summary"] == "Keep checking in"]
    assert (str(kept.decoded("dtstart")), str(kept.decoded("dtend"))) == ("2027-01-25", "2027-01-28")
    _, out, _ = run(tmp_path, capsys, diarist_request)
    assert "Keep checking in" not in out  # none unless asked for


@pytest.mark.hazard("HZ-006")
@pytest.mark.parametrize("days", ["91", "-1", "two", "1.5", ""])
@pytest.mark.parametrize("fmt", ["table", "ics"])
def test_a_bad_monitoring_days_exits_2_with_one_line(tmp_path, capsys, diarist_request,
                                                     days: str, fmt: str) -> None:
    code, out, err = run(tmp_path, capsys, diarist_request, "--format", fmt,
                         f"--monitoring-days={days}")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--monitoring-days: a whole number of days from 0 to 90" in err


@pytest.mark.hazard("HZ-011")
def test_a_request_already_at_its_final_dose_exits_2_with_one_line(
    tmp_path, capsys, diarist_request
) -> None:
    diarist_request["current_doses"] = [{"time": "20:00", "mg": "5"}]
    diarist_request.pop("reduce_order")
    diarist_request["strategy"] = {"kind": "percent", "percent": "10", "step_days": 7,
                                   "final_mg": "5"}
    code, out, err = run(tmp_path, capsys, diarist_request)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "strategy.final_mg: the current 5 mg a day" in err, err


@pytest.mark.hazard("HZ-012")
def test_bottles_and_the_composition_option_reach_the_json_and_the_table(
    tmp_path, capsys, diarist_request
) -> None:
    diarist_request["products"].append({
        "id": "sol1", "form": "liquid", "mg_per_ml": "1", "measure_step_ml": "0.5",
        "min_volume_ml": "1", "bottle_ml": "150", "use_within_days_after_opening": 30})
    diarist_request["strategy"] = {"kind": "steps", "daily_mg": ["57.5"], "step_days": 10}
    diarist_request["composition"] = "fewest_items"
    _, out, _ = run(tmp_path, capsys, diarist_request, "--format", "json")
    plan = json.loads(out)
    liquid = next(s for s in plan["supply"] if s["product"] == "sol1")
    assert plan["products"][-1]["bottle_ml"] == "150" and liquid["bottles"] >= 1
    assert plan["steps"][0]["target_mg"] == "57.5"
    code, table, _ = run(tmp_path, capsys, diarist_request)
    assert code == 0 and "discarded after opening" in table
    diarist_request["products"][-1].pop("bottle_ml")
    code, _, err = run(tmp_path, capsys, diarist_request)
    assert code == 2 and "products[2].use_within_days_after_opening: needs bottle_ml" in err


def test_the_cli_bounds_monitoring_days_as_the_exports_do() -> None:
    """The CLI writes the bound for its help text rather than import the exports package."""
    from taper.cli import plan as plan_cli
    from taper.exports.options import MAX_MONITORING_DAYS

    assert plan_cli.MAX_MONITORING_DAYS == MAX_MONITORING_DAYS
