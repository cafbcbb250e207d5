"""Machine and paper formats: json, csv and markdown. Plain strings, no rich."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from yotplan.render.columns import Column


def render_json(data: Any) -> str:
    """Stable json: two-space indent, keys in the order the view defines, UTF-8 text kept as is."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_csv(columns: Sequence[Column], rows: Sequence[Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_safe((c.full or c.value)(row)) for c in columns])
    return out.getvalue()


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheets; plan text is user input.
    return "'" + value if value[:1] in ("=", "+", "-", "@") and not _is_number(value) else value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def render_markdown(columns: Sequence[Column], rows: Sequence[Any]) -> str:
    lines = [
        "| " + " | ".join(c.header for c in columns) + " |",
        "| " + " | ".join("---:" if c.justify == "right" else "---" for c in columns) + " |",
    ]
    for row in rows:
        lines.append("| " + " | ".join(markdown_cell(c.value(row)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def markdown_cell(value: str) -> str:
    """Text safe inside a markdown table cell: no pipes, no line breaks, no HTML."""
    return " ".join(value.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
