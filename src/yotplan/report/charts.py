"""Inline SVG charts for the HTML report, drawn by hand.

A stacked bar per source is a few rectangles and labels: writing them directly keeps the
report free of any script, external reference or random id, makes the output byte-stable
for tests, and costs no dependency. Every piece of text goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import TypeVar

Key = TypeVar("Key", bound=str)

RAG_COLOURS: dict[str, tuple[str, str]] = {
    # fill, text colour on it; chosen for contrast, and each RAG is also labelled in words.
    "red": ("#b3261e", "#ffffff"),
    "amber": ("#f2a900", "#1a1a1a"),
    "green": ("#2e7d32", "#ffffff"),
    "delivered": ("#1f5fa8", "#ffffff"),
    "closed": ("#4a3f8c", "#ffffff"),
    "dropped": ("#9e9e9e", "#1a1a1a"),
}

BAR_WIDTH = 330
TOTAL_WIDTH = 40
ROW_HEIGHT = 32
BAR_HEIGHT = 24
CHAR_WIDTH = 8
"""A generous average glyph width at font-size 13, to leave room for the source labels."""
LEGEND_HEIGHT = 28
MIN_LABELLED_SEGMENT = 16
"""Narrower segments carry no number inside (it would not fit); the table below the chart has it."""


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def rag_bar_chart(
    rows: Sequence[tuple[str, Mapping[Key, int]]], rags: Sequence[Key], title: str, labelled_by: str | None = None
) -> str:
    """A horizontal stacked bar per (label, counts per RAG) row, with a legend, as an `<svg>` element.

    Bars share one scale (the largest total), so sources compare at a glance. `labelled_by`
    is the id of the element that shows the title in the page, if any.
    """
    label_width = max(48, CHAR_WIDTH * max((len(label) for label, _ in rows), default=0) + 12)
    width = label_width + BAR_WIDTH + TOTAL_WIDTH
    height = ROW_HEIGHT * max(len(rows), 1) + LEGEND_HEIGHT + 6
    largest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}"{_labelled_by(labelled_by)} font-family="inherit" font-size="13">',
        f"<title>{escape(title)}</title>",
    ]
    if not rows:
        parts.append(f'<text x="0" y="{ROW_HEIGHT - 10}">No recommendations.</text>')
    for i, (label, counts) in enumerate(rows):
        y = i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        middle = _number(y + BAR_HEIGHT / 2 + 4.5)
        parts.append(f'<text x="{label_width - 8}" y="{middle}" text-anchor="end">{escape(label)}</text>')
        x = float(label_width)
        for rag in rags:
            count = counts.get(rag, 0)
            if not count:
                continue
            segment = count / largest * BAR_WIDTH
            fill, ink = RAG_COLOURS.get(rag, ("#666666", "#ffffff"))
            parts.append(
                f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(segment)}" height="{BAR_HEIGHT}" '
                f'fill="{fill}" data-rag="{escape(rag)}" data-count="{count}">'
                f"<title>{escape(label)}: {count} {escape(rag)}</title></rect>"
            )
            if segment >= MIN_LABELLED_SEGMENT:
                centre = _number(x + segment / 2)
                parts.append(f'<text x="{centre}" y="{middle}" text-anchor="middle" fill="{ink}">{count}</text>')
            x += segment
        total = sum(counts.values())
        parts.append(f'<text x="{_number(x + 6)}" y="{middle}">{total}</text>')
    parts.extend(_legend(rags, label_width, ROW_HEIGHT * max(len(rows), 1) + 6))
    parts.append("</svg>")
    return "".join(parts)


def rag_bar_figure(rows: Sequence[tuple[str, Mapping[Key, int]]], rags: Sequence[Key], title: str, ident: str) -> str:
    """The chart as a `<figure>` whose `<figcaption>` shows its title above it.

    The SVG's own `<title>` is read by screen readers but shown by no browser and no printer,
    so a chart on a Board paper needs its title in the page too. `ident` is the caption's id,
    which the SVG names as its label.
    """
    caption = f"{ident}-title"
    svg = rag_bar_chart(rows, rags, title, caption)
    return f'<figure class="chart-figure"><figcaption id="{escape(caption)}">{escape(title)}</figcaption>{svg}</figure>'


def _labelled_by(ident: str | None) -> str:
    return f' aria-labelledby="{escape(ident)}"' if ident else ""


def _legend(rags: Sequence[Key], left: int, top: int) -> list[str]:
    parts = []
    x = left
    for rag in rags:
        fill, _ = RAG_COLOURS.get(rag, ("#666666", "#ffffff"))
        parts.append(f'<rect x="{x}" y="{top + 4}" width="12" height="12" fill="{fill}"></rect>')
        parts.append(f'<text x="{x + 16}" y="{top + 14.5}">{escape(rag)}</text>')
        x += 22 + 8 * len(rag)
    return parts
