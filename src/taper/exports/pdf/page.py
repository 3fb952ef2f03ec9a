"""Page furniture shared by the PDF report and the pharmacy summary: styles, page size, and
a footer with the plan version, approval status and "Page n of N" on every page.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

MARGIN = 15 * mm
# Helvetica is one of the 14 standard PDF fonts: nothing to embed, and its WinAnsi encoding
# has every character the plan uses (¼ ½ ¾ × · ° –).
_BASE = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_BASE["Title"], fontSize=18, spaceAfter=6),
    "h2": ParagraphStyle("h2", parent=_BASE["Heading2"], fontSize=13, spaceBefore=10),
    "body": ParagraphStyle("body", parent=_BASE["BodyText"], fontSize=10, leading=13),
    "small": ParagraphStyle("small", parent=_BASE["BodyText"], fontSize=8.5, leading=10.5),
    "cell": ParagraphStyle("cell", parent=_BASE["BodyText"], fontSize=8.5, leading=10),
    "alert": ParagraphStyle(
        "alert", parent=_BASE["BodyText"], fontSize=11, leading=14, textColor=colors.darkred
    ),
}


def page_size(timezone: str) -> tuple[float, float]:
    """US Letter for a plan kept in an American zone, A4 elsewhere (what the printer holds)."""
    width, height = LETTER if timezone.startswith("America/") else A4
    return float(width), float(height)


def footer_canvas(footer: str) -> type[Canvas]:
    """A canvas that writes `footer · Page n of N` on every page (two passes for N)."""

    class FooterCanvas(Canvas):  # type: ignore[misc,unused-ignore]  # ReportLab has no stubs
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["invariant"] = 1  # no creation time or random id: same plan, same bytes
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab names it so
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.setFont("Helvetica", 8)
                self.setFillColor(colors.black)
                self.drawString(MARGIN, 9 * mm, footer)
                self.drawRightString(width - MARGIN, 9 * mm, f"Page {number} of {total}")
                super().showPage()
            super().save()

    return FooterCanvas
