"""The table of `yotplan search`: the matched words in bold, and a count line under it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yotplan.render.columns import Column
from yotplan.render.tables import MIN_WRAP_WIDTH, fit_columns
from yotplan.safe_text import one_line, visible
from yotplan.views.search import SearchHit, SearchResult

MARK_STYLE = "bold"


def search_renderable(result: SearchResult, columns: Sequence[Column], width: int) -> RenderableType:
    return Group(search_table(result.hits, columns, width), Text(count_line(result)))


def search_table(hits: Sequence[SearchHit], columns: Sequence[Column], width: int) -> Table:
    """`render.tables.list_table`, with the snippet's matches in bold."""
    table = Table(header_style="bold")
    shown = fit_columns(columns, hits, width)
    for c in shown:
        justify: Any = c.justify
        if c.wraps:
            table.add_column(c.header, justify=justify, min_width=min(MIN_WRAP_WIDTH, len(c.header)))
        else:
            table.add_column(c.header, justify=justify, no_wrap=True, overflow="ellipsis")
    for hit in hits:
        table.add_row(*(marked_snippet(hit) if c.header == "snippet" else Text(visible(c.value(hit))) for c in shown))
    return table


def marked_snippet(hit: SearchHit) -> Text:
    """The snippet on one line, control characters visible, each match styled."""
    text = Text()
    at = 0
    for start, end in hit.marks:
        text.append(one_line(hit.snippet[at:start]))
        text.append(one_line(hit.snippet[start:end]), style=MARK_STYLE)
        at = end
    text.append(one_line(hit.snippet[at:]))
    return text


def count_line(result: SearchResult) -> str:
    """`3 matches in 2 actions and 1 recommendation`."""
    counts = ((result.actions, "action"), (result.recommendations, "recommendation"))
    parts = [_count(n, word) for n, word in counts if n]
    return f"{_count(len(result.hits), 'match')} in {' and '.join(parts)}"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 'es' if word.endswith('ch') else 's'}"
