"""`taper plan --format json` loads only what planning needs (issue 17): a whole process is
measured in bench/ against `python3 -c pass`; here, which modules it loads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_FOR_PLANNING = ("django", "taper.web", "taper.core.monitoring", "taper.core.pk", "reportlab",
                    "fhir", "taper.exports.pdf", "taper.exports.fhir", "taper.exports.ics")


def test_a_json_plan_loads_neither_the_web_nor_monitoring_nor_the_exports() -> None:
    code = ("import io, json, sys, contextlib\n"
            "from taper.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            f"    status = main(['plan', {str(ROOT / 'examples' / 'diarist.json')!r}, '--format', 'json'])\n"
            "assert status == 0 and json.loads(out.getvalue())['steps']\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout.strip().splitlines()[-1])
    assert "taper.core.planner" in loaded  # it did plan
    assert [m for m in loaded if m.startswith(NOT_FOR_PLANNING)] == []
