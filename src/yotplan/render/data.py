"""Machine and paper formats: json, csv and markdown. Plain strings, no rich."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from yotplan.render.columns import Column
from yotplan.safe_text import json_safe, one_line, visible

if TYPE_CHECKING:
    from yotplan.views.queries import ServiceCount


def plural(count: int, thing: str, things: str | None = None) -> str:
    """`1 recommendation`, `2 recommendations`; `things` for an irregular plural."""
    return f"{count} {thing if count == 1 else things or thing + 's'}"


def render_json(data: Any) -> str:
    """Stable json: two-space indent, keys in the order the view defines, UTF-8 text kept as is
    except control characters, which are escaped (`\u001b`) so the data is exact and harmless."""
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def render_csv(columns: Sequence[Column], rows: Sequence[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = [c for c in columns if c.in_csv]
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_safe(c.value(row)) for c in columns])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets; plan text is user input.
    value = visible(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def render_markdown(columns: Sequence[Column], rows: Sequence[Any]) -> str:
    columns = [c for c in columns if c.in_table]
    lines = [
        "| " + " | ".join(c.header for c in columns) + " |",
        "| " + " | ".join("---:" if c.justify == "right" else "---" for c in columns) + " |",
    ]
    for row in rows:
        lines.append("| " + " | ".join(markdown_cell(c.value(row)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def service_counts_markdown(counts: Sequence[ServiceCount]) -> str:
    """Over several services, a table after the rows: each service's recommendations by RAG and
    its overdue actions ('' for one service, whose output stays as it was)."""
    from yotplan.render.columns import SERVICE_COUNT_COLUMNS

    return "\n" + render_markdown(SERVICE_COUNT_COLUMNS, counts) if counts else ""


_ENTITY = re.compile(r"&(?=#?\w+;)")
_INLINE = re.compile(r"([\\`*_\[\]|~])")
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(:)(?=//)|(?<=\b[Ww]{3})(\.)|(@)(?=\w)")
_BLOCK_START = re.compile(r"^(\d*)([#>+=.)-])")


def markdown_cell(value: str) -> str:
    """Plan text safe in a Markdown table cell, and shown as typed in any renderer (GitHub's
    included): one line; no HTML; no emphasis, code, strikethrough or links (`**x**` stays two
    stars and an x, `[a](http://e.x)` and bare `http://e.x`, `www.e.x` or `a@e.x` are not links);
    control characters visible. Cut text before calling this, never after: a cut could split an escape."""
    text = one_line(" ".join(value.split()))
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    return _AUTOLINK.sub(lambda m: "\\" + m.group(), text)


def markdown_text(value: str) -> str:
    """Plan text safe as a Markdown paragraph: `markdown_cell`, and no heading, quote or list start."""
    return _BLOCK_START.sub(r"\1\\\2", markdown_cell(value))
