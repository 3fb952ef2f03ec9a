"""The curve as a chart: the typical patient, the 5–95 % band, each step's start, in PNG or SVG."""

from __future__ import annotations

import io
from typing import Literal

from taper.core.amounts import decimal_str
from taper.core.pk.view import PkView

ChartFormat = Literal["png", "svg"]


def view_chart(view: PkView, fmt: ChartFormat, *, drug_name: str) -> bytes:
    """Render with matplotlib's Agg backend (imported here: only this output needs it)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    days = view.hours / 24
    fig = Figure(figsize=(11, 5.5), dpi=100)
    ax = fig.add_subplot()
    if view.band is not None:
        ax.fill_between(
            days, view.band.low, view.band.high, color="tab:blue", alpha=0.2, linewidth=0,
            label=f"5th–95th percentile ({view.patients} virtual patients)",
        )
    ax.plot(days, view.typical_ng_ml, color="tab:blue", linewidth=0.8, label="average adult")
    top = float(max(view.typical_ng_ml.max(), 0 if view.band is None else view.band.high.max()))
    for start_h, step in zip(view.step_start_hours, view.steps, strict=True):
        x = start_h / 24
        ax.axvline(x, color="grey", linestyle=":", linewidth=0.8)
        ax.text(x, top * 1.03, f" {decimal_str(step.daily_mg)} mg", fontsize=7, rotation=90,
                va="bottom", ha="left")
    ax.set_xlabel(f"Days from {view.first_day.isoformat()} (local midnight)")
    ax.set_ylabel("Plasma concentration (ng/mL)")
    ax.set_ylim(0, top * 1.2)
    ax.set_xlim(days[0], days[-1])
    fig.suptitle(f"{drug_name}: modelled concentration, model {view.model.id}", fontsize=10)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False)
    fig.text(0.5, 0.01, view.disclaimer, ha="center", va="bottom", fontsize=9, weight="bold")
    fig.subplots_adjust(bottom=0.16, top=0.88)
    out = io.BytesIO()
    if fmt == "png":
        fig.savefig(out, format="png", metadata={"Description": view.disclaimer})
    else:
        with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays searchable text
            fig.savefig(out, format="svg", metadata={"Description": view.disclaimer})
    return out.getvalue()
