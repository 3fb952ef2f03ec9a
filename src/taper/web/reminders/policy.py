"""The reminders' product settings, read from policy.toml (each with its reason)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class ReminderPolicy:
    refill_days: int
    refill_days_low: int
    refill_days_high: int
    checkin_time: time


@cache
def policy() -> ReminderPolicy:
    data = tomllib.loads((Path(__file__).parent / "policy.toml").read_text("utf-8"))
    refill, at = data["refill_days"], data["checkin_time"]
    for entry in (refill, at):
        if entry.get("source") != "policy" or not entry.get("reason"):
            raise ValueError("every reminder setting needs source = \"policy\" and its reason")
    if not refill["low"] <= refill["value"] <= refill["high"]:
        raise ValueError("refill_days.value must lie within its bounds")
    return ReminderPolicy(refill["value"], refill["low"], refill["high"],
                          time.fromisoformat(at["value"]))
