"""Compare the planning engine of another commit with this tree's, on seeded random requests.

    python bench/compare_engines.py [--commit d776af6] [--count 400] [--seed 13]

The other commit's `src` is exported with `git archive` into a temporary folder; each engine
runs in its own process (both are the package `taper`) and prints its answers as JSON
lines; this script sorts the differences into kinds. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

RUNNER = r"""
import json, sys
from decimal import Decimal
from taper.contract.errors import ContractError
from taper.contract.plan_json import plan_to_json
from taper.contract.request import parse_plan_request
from taper.core.planner import PlanError, make_plan
for line in sys.stdin:
    data = json.loads(line, parse_float=Decimal)
    try:
        plan = plan_to_json(make_plan(parse_plan_request(data)))
        out = {"steps": [[s["daily_mg"], [[d["time"], d["mg"], d["pieces"]] for d in s["doses"]]]
                         for s in plan["steps"]],
               "basis": [[s["previous_daily_mg"], s["target_daily_mg"], s["daily_mg"]]
                         for s in plan["steps"]],
               "stop": plan["stop_date"], "warnings": [[w["code"], w["step"]] for w in plan["warnings"]],
               "supply": plan["supply"]}
    except (PlanError, ContractError) as exc:
        out = {"refused": str(exc).split(":")[0]}
    print(json.dumps(out), flush=True)
"""

TABLETS = [("tab5", "5", 1), ("tab5s", "5", 2), ("tab10", "10", 2), ("tab10q", "10", 4),
           ("tab20", "20", 2), ("tab20q", "20", 4), ("tab25", "25", 1)]


def random_request(rng: random.Random) -> dict[str, Any]:
    hours = sorted(rng.sample(range(6, 23), rng.randint(1, 4)))
    per_dose = rng.choice(["5", "7.5", "10", "15", "20", "25", "30"])
    products: list[dict[str, Any]] = []
    for pid, mg, parts in rng.sample(TABLETS, rng.randint(1, 3)):
        products.append({"id": pid, "form": "tablet", "strength_mg": mg, "divisible_into": parts})
    if rng.random() < 0.5:
        step = rng.choice(["0.1", "0.5", "1"])
        products.append({"id": "sol", "form": "liquid", "mg_per_ml": rng.choice(["1", "2", "5"]),
                         "measure_step_ml": step, "min_volume_ml": step if rng.random() < .5 else "2"})
    kind = rng.choice(["percent", "percent", "fixed_mg", "steps"])
    daily = float(per_dose) * len(hours)
    if kind == "percent":
        strategy: dict[str, Any] = {"kind": kind, "percent": rng.choice(["5", "10", "20", "25"]),
                                    "step_days": 7, "final_mg": rng.choice(["0", "1", "2.5", "5"])}
    elif kind == "fixed_mg":
        strategy = {"kind": kind, "step_mg": rng.choice(["2.5", "5", "10"]), "step_days": 7}
    else:
        values = sorted({rng.randrange(1, int(daily * 2)) / 2 for _ in range(rng.randint(1, 6))},
                        reverse=True)
        listed = [str(v) for v in values] + (["0"] if values[-1] <= 5 else [])
        strategy = {"kind": kind, "daily_mg": listed, "step_days": 7}
    if kind != "steps" and rng.random() < 0.3:
        strategy["slower_at_low_doses"] = {"below_mg": "10", "step_days": 14}
    return {"drug": "baclofen", "start_date": "2027-01-04", "timezone": "Europe/London",
            "current_doses": [{"time": f"{h:02d}:00", "mg": per_dose} for h in hours],
            "products": products, "strategy": strategy}


def answers(src: Path, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = "\n".join(json.dumps(r) for r in requests) + "\n"
    done = subprocess.run([sys.executable, "-c", RUNNER], input=text, capture_output=True,
                          text=True, check=True, env={"PYTHONPATH": str(src), "PATH": ""})
    return [json.loads(line) for line in done.stdout.splitlines()]


def kind_of_change(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    if "refused" in old or "refused" in new:
        if old == new:
            return []
        return [f"refusal: {old.get('refused', 'plan')} -> {new.get('refused', 'plan')}"]
    kinds = []
    old_totals = [s[0] for s in old["steps"]]
    new_totals = [s[0] for s in new["steps"]]
    if old_totals != new_totals:
        gentler = sum(1 for a, b in zip(old_totals, new_totals, strict=False)
                      if float(b) > float(a))
        kinds.append("daily totals" + (" (a gentler step)" if gentler else ""))
    elif [[(d[0], d[1]) for d in s[1]] for s in old["steps"]] != \
            [[(d[0], d[1]) for d in s[1]] for s in new["steps"]]:
        kinds.append("spread over dose times only")
    elif old["steps"] != new["steps"]:
        kinds.append("pieces only (tablets first)")
    if {c for c, _ in old["warnings"]} != {c for c, _ in new["warnings"]}:
        kinds.append("warnings")
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--commit", default="d776af6")
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    requests = [random_request(rng) for _ in range(args.count)]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.commit, "src"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        old = answers(Path(tmp) / "src", requests)
    new = answers(ROOT / "src", requests)
    counts: Counter[str] = Counter()
    changed = 0
    for a, b in zip(old, new, strict=True):
        kinds = kind_of_change(a, b)
        changed += bool(kinds)
        counts.update(kinds)
    plans_old = sum("refused" not in a for a in old)
    plans_new = sum("refused" not in b for b in new)
    print(f"{args.count} requests (seed {args.seed}); plans: {plans_old} before, {plans_new} now")
    print(f"changed: {changed}")
    for kind, n in counts.most_common():
        print(f"  {kind}: {n}")
    steps_old = sum(len(a["steps"]) for a in old if "steps" in a)
    steps_new = sum(len(b["steps"]) for b in new if "steps" in b)
    print(f"steps in all plans: {steps_old} before, {steps_new} now")
    rises = sum(1 for b in new if any(c == "dose_time_rises" for c, _ in b.get("warnings", [])))
    print(f"plans with a dose time that rises or returns from step 2 on: {_rising(old)} before "
          f"(unexplained), {_rising(new)} now; plans naming a forced rise at any step "
          f"(dose_time_rises: no split without it exists): {rises}")
    over_old, over_new = _overcuts(requests, old), _overcuts(requests, new)
    print(f"generated steps cutting more than the pace although a gentler total could be made: "
          f"{over_old[0]} of {over_old[1]} before, {over_new[0]} of {over_new[1]} now")
    liquid_old = sum(_liquid_ml(a) for a in old)
    liquid_new = sum(_liquid_ml(b) for b in new)
    print(f"liquid in all supplies: {liquid_old:.0f} mL before, {liquid_new:.0f} mL now")


def _overcuts(requests: list[dict[str, Any]], answers_: list[dict[str, Any]]) -> tuple[int, int]:
    """Steps of percent/fixed tapers below their target while a total in [target, previous)
    could be made (this tree's amount sets, the same for both engines' products)."""
    sys.path.insert(0, str(ROOT / "src"))
    from decimal import Decimal

    from taper.contract.request import parse_plan_request
    from taper.core.amount_sets import amount_sets

    over = total = 0
    for request, answer in zip(requests, answers_, strict=True):
        if request["strategy"]["kind"] == "steps" or "basis" not in answer:
            continue
        parsed = parse_plan_request(json.loads(json.dumps(request), parse_float=Decimal))
        sets = amount_sets(parsed.products, len(parsed.regimen.doses), parsed.regimen.daily_mg)
        for prev, target, made in answer["basis"]:
            p, t, m = (Fraction(Decimal(x)) for x in (prev, target, made))
            total += 1
            if m < t and sets.lowest_day_total_from(t, p) is not None:
                over += 1
    return over, total


def _rising(answers_: list[dict[str, Any]]) -> int:
    count = 0
    for answer in answers_:
        before: dict[str, float] | None = None
        for _, doses in answer.get("steps", []):
            now = {t: float(mg) for t, mg, _ in doses}
            if before is not None and any(v > before.get(t, 0.0) for t, v in now.items()):
                count += 1
                break
            before = {t: now.get(t, 0.0) for t in (before or now)} | now
    return count


def _liquid_ml(answer: dict[str, Any]) -> float:
    return sum(float(s.get("ml", 0)) for s in answer.get("supply", []))


if __name__ == "__main__":
    main()
