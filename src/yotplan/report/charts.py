"""Inline SVG charts for the HTML report, drawn by hand.

A stacked bar per source is a few rectangles and labels: writing them directly keeps the
report free of any script, external reference or random id, makes the output byte-stable
for tests, and costs no dependency. Every piece of text goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import TypeVar

from yotplan.rules.impact import with_unit

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
    legend, legend_height = _legend(rags, label_width, ROW_HEIGHT * max(len(rows), 1) + 6, width)
    height = ROW_HEIGHT * max(len(rows), 1) + legend_height + 6
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
    parts.extend(legend)
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


def _legend(rags: Sequence[Key], left: int, top: int, width: int) -> tuple[list[str], int]:
    """The legend's parts from (`left`, `top`), wrapping onto a new line at `width`; and its height."""
    parts = []
    x, y = left, top
    for rag in rags:
        item = 22 + 8 * len(rag)
        if x > left and x + item > width:
            x, y = left, y + LEGEND_HEIGHT - 8
        fill, _ = RAG_COLOURS.get(rag, ("#666666", "#ffffff"))
        parts.append(f'<rect x="{x}" y="{y + 4}" width="12" height="12" fill="{fill}"></rect>')
        parts.append(f'<text x="{x + 16}" y="{y + 14.5}">{escape(rag)}</text>')
        x += item
    return parts, y - top + LEGEND_HEIGHT


# An indicator's chart: small multiples, one per indicator, read side by side ---------------------

SPARK_WIDTH = 320
SPARK_HEIGHT = 130
SPARK_LEFT = 48
"""Room for the value labels on the left."""
SPARK_RIGHT = 12
SPARK_TOP = 14
SPARK_BOTTOM = 22
"""Room for the two dates under the axis."""
LINE_COLOUR = "#4a4a4a"
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month(day: date) -> str:
    return f"{_SHORT_MONTHS[day.month - 1]} {day.year}"


def indicator_chart(
    title: str,
    unit: str,
    baseline: tuple[date, float] | None,
    target: tuple[date, float],
    readings: Sequence[tuple[date, float]],
    rag: str,
) -> str:
    """One indicator as a small `<svg>`: the straight line from baseline to target (dashed: where
    an on-track reading is at or beyond), the target as a ring, the baseline as a grey dot, and
    the readings as a line of dots in the indicator's RAG colour, the latest labelled.

    Dates run left to right from the earliest point to the latest; values bottom to top from
    the smallest to the largest, so the chart says which way is better only through its line.
    `title` (the indicator's name and judgement) is the chart's accessible name and tooltip.
    """
    points = [*([baseline] if baseline else []), target, *readings]
    first, last = min(d for d, _ in points), max(d for d, _ in points)
    span = max((last - first).days, 1)
    low, high = min(v for _, v in points), max(v for _, v in points)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    plot_w = SPARK_WIDTH - SPARK_LEFT - SPARK_RIGHT
    plot_h = SPARK_HEIGHT - SPARK_TOP - SPARK_BOTTOM

    def x(day: date) -> str:
        return _number(SPARK_LEFT + (day - first).days / span * plot_w)

    def y(value: float) -> str:
        return _number(SPARK_TOP + (high - value) / (high - low) * plot_h)

    fill, _ = RAG_COLOURS.get(rag, ("#666666", "#ffffff"))
    bottom, right = SPARK_TOP + plot_h, SPARK_WIDTH - SPARK_RIGHT
    parts = [
        f'<svg class="spark" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="inherit" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{SPARK_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#bbbbbb"></line>',
        f'<text x="{SPARK_LEFT}" y="{SPARK_HEIGHT - 6}">{escape(_month(first))}</text>',
        f'<text x="{right}" y="{SPARK_HEIGHT - 6}" text-anchor="end">{escape(_month(last))}</text>',
    ]
    t_day, t_value = target
    if baseline:
        b_day, b_value = baseline
        parts.append(
            f'<line x1="{x(b_day)}" y1="{y(b_value)}" x2="{x(t_day)}" y2="{y(t_value)}" stroke="{LINE_COLOUR}" '
            'stroke-dasharray="4 3" data-part="on-track line"></line>'
        )
        parts.append(f'<circle cx="{x(b_day)}" cy="{y(b_value)}" r="3.5" fill="#9e9e9e" data-part="baseline"></circle>')
        parts.append(
            f'<text x="{SPARK_LEFT - 6}" y="{_number(float(y(b_value)) + 4)}" text-anchor="end">'
            f"{escape(with_unit(b_value, unit))}</text>"
        )
    else:  # no baseline: the target level, all along
        parts.append(
            f'<line x1="{SPARK_LEFT}" y1="{y(t_value)}" x2="{x(t_day)}" y2="{y(t_value)}" stroke="{LINE_COLOUR}" '
            'stroke-dasharray="4 3" data-part="on-track line"></line>'
        )
    parts.append(
        f'<circle cx="{x(t_day)}" cy="{y(t_value)}" r="4.5" fill="#ffffff" stroke="{LINE_COLOUR}" stroke-width="2" '
        'data-part="target"></circle>'
    )
    parts.append(
        f'<text x="{SPARK_LEFT - 6}" y="{_number(float(y(t_value)) + 4)}" text-anchor="end">'
        f"{escape(with_unit(t_value, unit))}</text>"
    )
    if readings:
        path = " ".join(f"{x(d)},{y(v)}" for d, v in readings)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{fill}" stroke-width="2"></polyline>')
        for d, v in readings:
            parts.append(f'<circle cx="{x(d)}" cy="{y(v)}" r="3.5" fill="{fill}" data-part="reading"></circle>')
        d, v = readings[-1]
        anchor = "end" if float(x(d)) > SPARK_WIDTH - 60 else "start"
        shift = -6 if anchor == "end" else 6
        parts.append(
            f'<text x="{_number(float(x(d)) + shift)}" y="{_number(float(y(v)) - 7)}" text-anchor="{anchor}" '
            f'font-weight="600">{escape(with_unit(v, unit))}</text>'
        )
    else:
        parts.append(f'<text x="{SPARK_LEFT + 4}" y="{SPARK_TOP + 10}" fill="#4a4a4a">No reading yet</text>')
    parts.append("</svg>")
    return "".join(parts)
