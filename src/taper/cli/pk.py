"""`taper pk REQUEST`: model the blood level across a plan (SPEC B1). Not a measurement.

REQUEST is a planning request (planned here first) or a plan in the JSON of `taper plan
--format json`; a file, or `-` for standard input. The work is done by
taper.core.pk.view.run_pk; this module reads, checks and writes.
"""

from __future__ import annotations

import argparse
import decimal
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taper.cli.documents import load_plan
from taper.cli.errors import UsageError

if TYPE_CHECKING:
    from taper.core.plan import Plan
    from taper.knowledge.pk import PkKnowledge

FORMATS = ("table", "json", "png", "svg")
MAX_CRCL_ML_MIN = 300  # above any adult's; a larger figure is a unit slip (µmol/L?)
DEFAULT_SEED = 1


def add_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    parser.add_argument("request", metavar="REQUEST", help="request or plan JSON/TOML, or -")
    parser.add_argument("--format", choices=FORMATS, default="table")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    parser.add_argument("--model", metavar="ID", help="a model id from the drug's data")
    parser.add_argument("--crcl", metavar="N", help="creatinine clearance, mL/min")
    parser.add_argument("--seed", metavar="N", default=str(DEFAULT_SEED),
                        help=f"seed of the variability band (default {DEFAULT_SEED})")
    parser.add_argument("--patients", metavar="N", default="1000",
                        help="virtual patients behind the band (default 1000; 0: no band)")


def _crcl(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(decimal.Decimal(text))
    except (decimal.InvalidOperation, ValueError):
        value = math.nan
    if not (math.isfinite(value) and 0 <= value <= MAX_CRCL_ML_MIN):
        raise UsageError(f"--crcl: creatinine clearance in mL/min, 0 to {MAX_CRCL_ML_MIN}")
    return value


def _whole(text: str, flag: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise UsageError(f"{flag}: a whole number from {low} to {high}")
    return value


def plan_of(path: str) -> tuple[Plan, float | None]:
    """A plan from a plan document or a request (planned here), with the request's CrCl."""
    loaded = load_plan(path)
    crcl = None if loaded.request is None else loaded.request.creatinine_clearance_ml_min
    return loaded.plan, None if crcl is None else float(crcl)


def knowledge_of(drug_id: str) -> PkKnowledge:
    """The drug's `[pk]` data; a UsageError when the drug has none."""
    from taper.knowledge.pk import load_pk

    try:
        return load_pk(drug_id)
    except KeyError as exc:
        raise UsageError(f"drug: {drug_id} has no pharmacokinetic model in its data") from exc


def run(args: argparse.Namespace) -> int:
    crcl = _crcl(args.crcl)
    seed = _whole(args.seed, "--seed", 0, 2**63 - 1)
    patients = _whole(args.patients, "--patients", 0, 100_000)
    plan, request_crcl = plan_of(args.request)
    knowledge = knowledge_of(plan.drug_id)
    try:
        params = knowledge.parameters(args.model)
    except KeyError as exc:
        raise UsageError(f"--model: one of {', '.join(knowledge.model_ids)}") from exc
    crcl = request_crcl if crcl is None else crcl
    if crcl is not None and params.renal is None:
        raise UsageError(f"--crcl: {plan.drug_id}'s data gives no renal scaling")
    output = render(plan, params, args.format, crcl=crcl, seed=seed, patients=patients)
    write(output, args.output)
    return 0


def render(
    plan: Plan, params: Any, fmt: str, *, crcl: float | None, seed: int, patients: int
) -> bytes:
    """Model the plan and write it in one format; the disclaimer is in every one."""
    import numpy as np

    from taper.core.pk.view import run_pk

    rng = np.random.default_rng(seed) if patients else None
    view = run_pk(plan, params, crcl_ml_min=crcl, rng=rng, patients=max(patients, 1))
    drug_name = plan.drug_id.capitalize()
    if fmt == "json":
        from taper.pk_report.document import view_document

        doc = view_document(view, drug_id=plan.drug_id, timezone=plan.timezone,
                            seed=seed if patients else None)
        return (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
    if fmt in ("png", "svg"):
        from taper.pk_report.chart import view_chart

        return view_chart(view, "png" if fmt == "png" else "svg", drug_name=drug_name)
    from taper.pk_report.table import view_table

    return view_table(view, drug_name=drug_name, seed=seed if patients else None).encode()


def write(output: bytes, destination: str | None) -> None:
    if destination is None or destination == "-":
        sys.stdout.buffer.write(output)
        sys.stdout.flush()
        return
    try:
        Path(destination).write_bytes(output)
    except OSError as exc:
        raise UsageError(f"-o: cannot write {destination!r} ({exc.strerror})") from exc
