"""Plain text of our rich tables, character for character what rich prints, without rich's cost.

rich lays a table out through its general renderable protocol: every cell is measured,
padded, wrapped and cut into styled segments, about 80 µs a cell. An `overdue` list of
800 actions took 0.37 s to print, more than loading 10,000 actions from the cache. When
the output has no colour (a pipe, a file, `less`, CI logs: rich's `color_system` is None)
there is nothing to style, so this module lays the table out with the same arithmetic on
plain strings: rich's own word-wrapping (`divide_line`), width sharing (`ratio_reduce`) and
cell widths (`cell_len`, `set_cell_size`), in about a fifteenth of the time.

It handles exactly the tables `yotplan.render.tables` builds (a box, a header, padding 1,
left- or right-justified columns that wrap or cut with an ellipsis) and returns None for
anything else, so the caller prints with rich as before. tests/test_plaintable.py compares
the two on random tables and widths.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

_TRAILING_SPACE = re.compile(r"\s+$")
_JUSTIFY = ("left", "right")
_OVERFLOW = ("ellipsis", "crop", "fold")


def plain_text(console: Console, renderable: Any) -> str | None:
    """What `console.print(renderable)` writes when there is no colour, or None when that is
    not certain (then print it with rich). Handles a Table, or a Group of Tables and Texts."""
    if console.color_system is not None:
        return None
    items = list(renderable.renderables) if isinstance(renderable, Group) else [renderable]
    out: list[str] = []
    for item in items:
        if isinstance(item, Table):
            text = table_text(console, item)
            if text is None:
                return None
            out.append(text)
        elif isinstance(item, Text):
            with console.capture() as capture:
                console.print(item)
            out.append(capture.get())
        else:
            return None
    return "".join(out)


def _divide_line() -> Any:
    try:  # rich's own word-wrap, so lines break where rich would break them
        from rich._wrap import divide_line
    except ImportError:  # pragma: no cover - a rich that moved it: use rich itself
        return None
    return divide_line


def _ratio_reduce() -> Any:
    try:
        from rich._ratio import ratio_reduce
    except ImportError:  # pragma: no cover
        return None
    return ratio_reduce


def _cell_strings(table: Table) -> list[list[str]] | None:
    """Each column's header and cells as plain strings, or None if one is not plain text."""
    columns: list[list[str]] = []
    for column in table.columns:
        header = column.header
        # A str header is read as console markup (and :emoji: codes); only plain words are certain.
        if not isinstance(header, str) or not header.isprintable() or any(c in header for c in "[]:\\"):
            return None
        strings = [header]
        for cell in column.cells:
            if not isinstance(cell, Text) or cell.justify or cell.overflow or cell.no_wrap or cell.end != "\n":
                return None
            plain = cell.plain
            if "\t" in plain:
                return None
            strings.append(plain)
        columns.append(strings)
    return columns


def _supported(table: Table) -> bool:
    return (
        table.box is not None
        and table.show_header
        and table.show_edge
        and not table.show_footer
        and not table.show_lines
        and not table.leading
        and not table.expand
        and table.width is None
        and table.min_width is None
        and table.title is None
        and table.caption is None
        and tuple(table.padding) == (0, 1, 0, 1)
        and table.pad_edge
        and not table.collapse_padding
        and all(not row.end_section for row in table.rows)
        and all(
            column.width is None
            and column.ratio is None
            and column.justify in _JUSTIFY
            and column.overflow in _OVERFLOW
            and column.vertical == "top"
            for column in table.columns
        )
    )


def _cells(text: str) -> int:
    """Cell width: the length for printable ASCII (almost every plan text), else rich's count."""
    return len(text) if text.isascii() and text.isprintable() else cell_len(text)


def _measure_text(text: str) -> tuple[int, int]:
    """rich's Text measurement: (longest word, longest line) in cells."""
    lines = text.splitlines()
    longest = max(map(_cells, lines)) if lines else 0
    words = text.split()
    return (max(map(_cells, words)) if words else longest), longest


def _measure_column(measure: tuple[int, int], max_width: int, column: Any) -> tuple[int, int]:
    """Table._measure_column for a column of Text cells with padding 1 on each side.

    `measure` is the largest (longest word, longest line) over the column's cells. rich
    measures each cell (a Padding around a Text) and takes the largest; every step of that is
    monotone in each number and a word is never longer than its line, so measuring the
    largest pair once gives the same result.
    """
    if max_width < 1:
        return 0, 0
    if max_width - 2 < 1:
        low = high = max_width
    else:
        low, high = min(measure[0], max_width), min(measure[1], max_width)
        if high < 1:
            low = high = 0
        low, high = min(low + 2, max_width), min(high + 2, max_width)
    if column.min_width is not None:
        least = max(0, column.min_width + 2)
        low, high = max(low, least), max(high, least)
    if column.max_width is not None:
        most = column.max_width + 2
        low, high = min(low, most), min(high, most)
    return low, high


def _column_widths(table: Table, measures: list[tuple[int, int]], max_width: int, ratio_reduce: Any) -> list[int]:
    """Table._calculate_column_widths (no expand, no fixed widths, no ratios)."""
    columns = table.columns
    widths = [_measure_column(m, max_width, c)[1] or 1 for m, c in zip(measures, columns, strict=True)]
    if sum(widths) > max_width:
        wrapable = [not column.no_wrap for column in columns]
        widths = Table._collapse_widths(widths, wrapable, max_width)  # rich's own, so columns give way alike
        if sum(widths) > max_width:
            widths = ratio_reduce(sum(widths) - max_width, [1] * len(widths), widths, widths)
        widths = [_measure_column(m, w, c)[1] or 0 for m, w, c in zip(measures, widths, columns, strict=True)]
    return widths


def _truncate(line: str, width: int, overflow: str, *, pad: bool = False) -> str:
    length = cell_len(line)
    if length > width:
        line = set_cell_size(line, width - 1) + "…" if overflow == "ellipsis" else set_cell_size(line, width)
    if pad and length < width:
        line += " " * (width - length)
    return line


def _rstrip_end(line: str, size: int) -> str:
    excess = len(line) - size
    if excess > 0:
        trailing = _TRAILING_SPACE.search(line)
        if trailing is not None:
            line = line[: len(line) - min(len(trailing.group(0)), excess)]
    return line


def _justify_simple(piece: str, width: int, justify: str, overflow: str) -> str:
    """_justify for printable ASCII, where a character is a cell."""
    if justify != "left":
        piece = piece.rstrip()
    if len(piece) > width:
        return piece[: width - 1] + "…" if overflow == "ellipsis" else piece[:width]
    return piece.ljust(width) if justify == "left" else piece.rjust(width)


def _justify(piece: str, width: int, justify: str, overflow: str) -> str:
    """Lines.justify, then Text.truncate, then render_lines(pad=True): exactly `width` cells."""
    if justify == "left":
        piece = _truncate(piece, width, overflow, pad=True)
    else:
        piece = _truncate(piece.rstrip(), width, overflow)
        piece = " " * (width - cell_len(piece)) + piece
    return set_cell_size(_truncate(piece, width, overflow), width)


def _wrap(text: str, width: int, column: Any, divide_line: Any) -> list[str]:
    """Text.wrap then render_lines(pad=True): the lines of one cell's text, each `width` cells."""
    overflow, justify = column.overflow, column.justify
    lines: list[str] = []
    for line in text.split("\n"):
        simple = line.isascii() and line.isprintable()
        if column.no_wrap or (simple and len(line) <= width):  # divide_line would not break it
            pieces = [line]
        else:
            offsets = divide_line(line, width, fold=overflow == "fold")
            bounds = [0, *offsets, len(line)]
            pieces = [_rstrip_end(line[start:end], width) for start, end in pairwise(bounds)]
        if simple:
            lines.extend(_justify_simple(piece, width, justify, overflow) for piece in pieces)
        else:
            lines.extend(_justify(piece, width, justify, overflow) for piece in pieces)
    return lines


def table_text(console: Console, table: Table) -> str | None:
    """The plain text rich prints for `table` on `console`, or None if this module cannot be sure."""
    divide_line, ratio_reduce = _divide_line(), _ratio_reduce()
    if divide_line is None or ratio_reduce is None or not _supported(table):
        return None
    strings = _cell_strings(table)
    if strings is None:
        return None
    options = console.options
    assert table.box is not None  # checked by _supported
    box = table.box.substitute(options, safe=console.safe_box if table.safe_box is None else table.safe_box)
    extra_width = 2 + len(table.columns) - 1
    measures = []
    for column_strings in strings:
        pairs = [_measure_text(text) for text in column_strings]
        measures.append((max(low for low, _ in pairs), max(high for _, high in pairs)))
    widths = _column_widths(table, measures, options.max_width - extra_width, ratio_reduce)
    if min(widths, default=0) < 3:  # too narrow for the padding: leave the corner cases to rich
        return None
    out = [box.get_top(widths)]
    row_count = len(table.rows) + 1
    for index in range(row_count):
        cells = [
            _wrap(column_strings[index], width - 2, column, divide_line)
            for column_strings, width, column in zip(strings, widths, table.columns, strict=True)
        ]
        height = max(len(cell) for cell in cells)
        if index == 0:
            left, divider, right = box.head_left, box.head_vertical, box.head_right
        elif index == row_count - 1:
            left, divider, right = box.foot_left, box.foot_vertical, box.foot_right
        else:
            left, divider, right = box.mid_left, box.mid_vertical, box.mid_right
        blank_lines = [[" " * (width - 2)] * (height - len(cell)) for cell, width in zip(cells, widths, strict=True)]
        # The header sits at the bottom of its row, other cells at the top.
        shaped = [blank + cell if index == 0 else cell + blank for cell, blank in zip(cells, blank_lines, strict=True)]
        for line_no in range(height):
            out.append(left + divider.join(f" {cell[line_no]} " for cell in shaped) + right)
        if index == 0:
            out.append(box.get_row(widths, "head", edge=True))
    out.append(box.get_bottom(widths))
    if sum(widths) + extra_width > console.width:  # rich crops what does not fit the console
        out = [set_cell_size(line, console.width) for line in out]
    return "".join(line + "\n" for line in out)
