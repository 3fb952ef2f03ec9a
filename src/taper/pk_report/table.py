"""The pharmacokinetic view as a plain-text table for a terminal."""

from __future__ import annotations

from taper.core.amounts import decimal_str
from taper.core.pk.steps import StepExposure
from taper.core.pk.view import PkView

COLUMNS = (
    ("step", 4), ("from", 10), ("mg/day", 6), ("trough", 7), ("peak", 7), ("mean", 7),
    ("Δtrough", 8), ("Δpeak", 7), ("Δmean", 7), ("longest gap", 17), ("at its end", 10),
    ("trough 5–95 %", 15),
)


def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:+.1f}%"


def _row(step: StepExposure) -> list[str]:
    gap = step.longest_gap
    band = step.trough_band
    return [
        "now" if step.index == 0 else str(step.index),
        "before" if step.start_date is None else step.start_date.isoformat(),
        decimal_str(step.daily_mg),
        _num(step.trough_ng_ml),
        _num(step.peak_ng_ml),
        _num(step.mean_ng_ml),
        _pct(step.trough_change_percent),
        _pct(step.peak_change_percent),
        _pct(step.mean_change_percent),
        "–" if gap is None else f"{gap.after:%H:%M}→{gap.before:%H:%M} {gap.hours:.1f} h",
        "–" if gap is None else _num(gap.end_ng_ml),
        "–" if band is None else f"{band[0]:.1f}–{band[1]:.1f}",
    ]


def view_table(view: PkView, *, drug_name: str, seed: int | None) -> str:
    """Header lines (the disclaimer first), then one row per step; levels in ng/mL."""
    m = view.model
    lines = [
        view.disclaimer,
        f"{drug_name}: model {m.id} (ka {m.ka_per_h:g} /h, CL/F {m.cl_l_per_h:.3g} L/h, "
        f"V/F {m.v_l:g} L, half-life {m.half_life_h:.1f} h).",
    ]
    if view.crcl_ml_min is not None:
        lines.append(
            f"Creatinine clearance {view.crcl_ml_min:g} mL/min: clearance × "
            f"{view.clearance_factor:.2f}, exposure × {1 / view.clearance_factor:.2f}."
        )
    if view.patients:
        lines.append(
            f"Band: 5th–95th percentile of {view.patients} virtual patients (seed {seed})."
        )
    lines.append("Levels at steady state in ng/mL; changes from the step before.")
    rows = [_row(s) for s in ((view.baseline,) if view.baseline else ()) + view.steps]
    table = [[name for name, _ in COLUMNS], *rows]
    widths = [max(w, *(len(r[i]) for r in table)) for i, (_, w) in enumerate(COLUMNS)]
    for r in table:
        lines.append("  ".join(cell.rjust(width) for cell, width in zip(r, widths, strict=True)))
    return "\n".join(lines) + "\n"
