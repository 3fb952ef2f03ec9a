"""How hard the property tests try: quick by default, exhaustive when TAPER_TESTS=exhaustive.

The default keeps the core's tests fast enough for daily use and for mutation runs
(issue 19: under 30 s); CI (.ci/run) sets TAPER_TESTS=exhaustive and runs the slow
comparisons at full strength.
"""

from __future__ import annotations

import os

EXHAUSTIVE = os.environ.get("TAPER_TESTS", "") == "exhaustive"


def examples(quick: int, exhaustive: int) -> int:
    """Hypothesis max_examples for this run."""
    return exhaustive if EXHAUSTIVE else quick
