"""`taper assess` (check-ins → proceed/hold/contact/emergency) and `taper symptoms`."""

from __future__ import annotations

import argparse
import decimal
import json
from datetime import date
from typing import Any

from taper.cli.documents import load_plan, read_text
from taper.cli.errors import UsageError
from taper.contract.assessment import decision_json, symptoms_json
from taper.core.monitoring.checkin import CheckInError, check_doses_against_plan, parse_checkins
from taper.core.monitoring.pacing import assess
from taper.core.plan import Plan
from taper.knowledge.monitoring import load_monitoring, monitored_drugs


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "assess":
        parser.add_argument("--plan", required=True, metavar="REQUEST_OR_PLAN",
                            help="a planning request (JSON/TOML) or a plan (JSON)")
        parser.add_argument("--checkins", required=True, metavar="FILE",
                            help="check-ins as a JSON array or JSON lines; - for standard input")
        parser.add_argument("--today", required=True, metavar="YYYY-MM-DD")
    else:
        parser.add_argument("--drug", default="baclofen", help="whose catalogue (default baclofen)")
    parser.add_argument("--format", choices=["table", "json"], default="table")


def run(args: argparse.Namespace) -> int:
    if args.command == "symptoms":
        rules = _rules(args.drug, "--drug")
        data = symptoms_json(rules)
        print(json.dumps(data, indent=2, ensure_ascii=False) if args.format == "json"
              else symptoms_table(data))
        return 0
    today = _today(args.today)
    if args.plan == "-" and args.checkins == "-":
        raise UsageError("--checkins: only one of --plan and --checkins can be standard input")
    items = read_checkins(read_text(args.checkins, "--checkins")[0])
    plan = load_plan(args.plan, "--plan").plan
    _rules(plan.drug_id, "plan.drug")
    result = run_assess(plan, items, today)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.format == "json"
          else assessment_table(result))
    return 0


def run_assess(plan: Plan, checkins_data: list[Any], today: date) -> dict[str, Any]:
    """The decision for a plan and raw check-ins on `today`, as the contract's JSON."""
    rules = load_monitoring(plan.drug_id)
    try:
        checkins = parse_checkins(checkins_data, rules, today)
        check_doses_against_plan(checkins, plan)
    except CheckInError as exc:
        raise UsageError(str(exc)) from None
    result = decision_json(assess(plan, checkins, today, rules), rules)
    result["today"] = today.isoformat()
    return result


def read_checkins(text: str) -> list[Any]:
    """A JSON array, or JSON lines (one object per line); numbers are read exactly."""
    stripped = text.strip()
    try:
        if stripped.startswith("["):
            items = json.loads(stripped, parse_float=decimal.Decimal)
            return list(items)
        return [json.loads(line, parse_float=decimal.Decimal)
                for line in stripped.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise UsageError(f"checkins: not a JSON array or JSON lines (line {exc.lineno}:"
                         f" {exc.msg})") from None


def _today(text: str) -> date:
    accepted = f"--today: must be a date as YYYY-MM-DD, got {text!r}"
    if len(text) != 10:  # fromisoformat also takes "20261210", which is not the contract
        raise UsageError(accepted)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(accepted) from None


def _rules(drug: str, field: str) -> Any:
    try:
        return load_monitoring(drug)
    except KeyError:
        known = ", ".join(monitored_drugs())
        raise UsageError(f"{field}: no monitoring rules for {drug!r}; known: {known}") from None


def assessment_table(result: dict[str, Any]) -> str:
    """The decision for a person reading a terminal: action, message, basis, suggestions."""
    step = result["step"]
    where = "no step in force" if step is None else (
        f"step {step['index']} ({step['daily_mg']} mg a day, {step['start_date']} to"
        f" {step['end_date']})")
    since = result["days_since_reduction"]
    lines = [
        f"Action:   {result['action'].upper().replace('_', ' ')}",
        f"Message:  {result['message']}",
        f"Today:    {result['today']}, {where}",
        "Timeline: " + ("no reduction yet" if since is None else
                        f"{since} day(s) since the reduction of {result['last_reduction']}"
                        f" ({result['window']} window)"),
    ]
    if result["plan_change"]:
        c = result["plan_change"]
        lines.append(f"Plan:     held {c['extend_days']} day(s); next change"
                     f" {c['next_change_was']} → {c['next_change_now']}")
    if result["clinician"]["flag"]:
        lines.append(f"Clinician: {result['clinician']['note']}")
    lines.append("Basis:")
    for b in result["basis"]:
        inputs = ", ".join(f"{k}={v}" for k, v in b["inputs"].items())
        lines.append(f"  {b['rule']:<22} [{b['source']}] {inputs}")
    if result["suggestions"]:
        lines.append("For the prescriber:")
        lines.extend(f"  - {s['text']}" for s in result["suggestions"])
    return "\n".join(lines)


def symptoms_table(data: dict[str, Any]) -> str:
    """The catalogue as rows: id, domain, red flag from, wording."""
    lines = [f"{'id':<24} {'domain':<14} {'red flag from':<14} wording"]
    for s in data["symptoms"]:
        lines.append(f"{s['id']:<24} {s['domain']:<14} {s['red_flag_from'] or '-':<14}"
                     f" {s['wording']}")
    lines.append("")
    lines.append("Rules on readings (emergency = red flag):")
    for r in data["rules"]:
        when = " and ".join(f"{c['measure']} ≥ {c['at_least']}" for c in r["when"])
        lines.append(f"  {r['id']:<28} {r['action']:<10} {when}  [{r['source']}]")
    return "\n".join(lines)
