"""Exports of a plan: PDF report, iCalendar, CSV, FHIR R4 and the pharmacy summary.

Every format has the same shape, `render(plan, drug, options) -> bytes`, so the CLI
(`taper plan --format …`) and the web app's download buttons call the same code.
`FORMATS` maps a format name to its module, media type and file extension; modules are
imported only when used, so a plan table does not pay for ReportLab or fhir.resources.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # names only: importing taper.exports.options must not load the core (issue 17)
    from taper.core.knowledge import DrugKnowledge
    from taper.core.plan import Plan
    from taper.exports.options import ExportOptions

Renderer = Callable[["Plan", "DrugKnowledge", "ExportOptions"], bytes]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    name: str
    module: str
    media_type: str
    extension: str
    function: str = "render"

    def renderer(self) -> Renderer:
        """The format's render function (imports its module on first use)."""
        render: Renderer = getattr(importlib.import_module(self.module), self.function)
        return render


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("pdf", "taper.exports.pdf", "application/pdf", "pdf"),
        ExportFormat("ics", "taper.exports.ics", "text/calendar; charset=utf-8", "ics"),
        ExportFormat("csv", "taper.exports.csv", "text/csv; charset=utf-8", "csv"),
        ExportFormat("fhir", "taper.exports.fhir", "application/fhir+json", "json"),
        ExportFormat("pharmacy", "taper.exports.pharmacy", "application/pdf", "pdf"),
        ExportFormat(
            "pharmacy-text",
            "taper.exports.pharmacy",
            "text/plain; charset=utf-8",
            "txt",
            function="render_text",
        ),
    )
}


def render(fmt: str, plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> bytes:
    """Render a plan in a named format; KeyError for an unknown format."""
    return FORMATS[fmt].renderer()(plan, drug, options)
