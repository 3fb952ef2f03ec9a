"""The education parts of the PDF: red-flag card, timeline, questions, supportive measures."""

from __future__ import annotations

from html import escape

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from taper.core.knowledge import Fact
from taper.exports.pdf.sections import p
from taper.knowledge.education import Education


def _cite(fact: Fact, numbers: dict[str, int]) -> str:
    return f"{escape(fact.statement)} [{numbers[fact.source]}]"  # on the line: text stays whole


def source_numbers(education: Education) -> dict[str, int]:
    """Sources numbered in order of first use, for the citations."""
    numbers: dict[str, int] = {}
    for fact in education.facts():
        numbers.setdefault(fact.source, len(numbers) + 1)
    return numbers


def never_stop(education: Education, numbers: dict[str, int]) -> Flowable:
    box = Table(
        [[p(f"<b>{_cite(f, numbers)}</b>", "alert")] for f in education.never_stop_suddenly]
    )
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, colors.darkred)]))
    return box


def red_flag_card(education: Education, numbers: dict[str, int]) -> Flowable:
    """The card to keep by the phone: signs that need emergency care, and what to do."""
    card = education.red_flag_card
    rows = [[p(f"<b>{escape(card.title)}</b>", "alert")]]
    rows += [[p(f"• {_cite(f, numbers)}")] for f in card.signs]
    rows += [[p(f"<b>{_cite(f, numbers)}</b>")] for f in card.actions]
    rows += [[p(_cite(card.pump, numbers), "small")]]
    table = Table(rows)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2.5, colors.red),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#fde8e8")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return KeepTogether([p("Red-flag card", "h2"), table])


def guidance(education: Education, numbers: dict[str, int]) -> list[Flowable]:
    """When to call, what to expect, what to ask, what helps; then the numbered sources."""
    story: list[Flowable] = [
        p("If symptoms are new or worse", "h2"),
        p(_cite(education.when_to_call, numbers)),
        p("What to expect after a cut", "h2"),
    ]
    story += [
        p(f"<b>{escape(t.phase)} ({escape(t.when)}).</b> {_cite(t.fact, numbers)}")
        for t in education.timeline
    ]
    story.append(p("Questions to ask your doctor", "h2"))
    story += [p(f"• {_cite(q, numbers)}") for q in education.questions]
    story.append(p("What can help", "h2"))
    story += [
        p(f"<b>{escape(m.topic)}.</b> {_cite(m.fact, numbers)}") for m in education.supportive
    ]
    story.append(p("Sources", "h2"))
    for source_id, n in numbers.items():
        source = education.sources.get(source_id)
        title = source.title if source else source_id
        note = f" ({escape(source.note)})" if source and source.note else ""
        story.append(p(f"[{n}] {escape(title)}{note}", "small"))
    return story
