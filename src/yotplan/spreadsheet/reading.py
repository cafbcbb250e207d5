"""Reading a sheet of an .xlsx workbook or a .csv file into rows, as a person sees them.

What a person sees is not what the file stores, so:

- a merged cell's value belongs to every row of the merge, in the merge's first column (a
  recommendation merged down the rows of its actions); the other columns of a merge stay empty,
  so a title merged across the sheet is still one cell;
- hidden rows (hidden, or zero height) are marked, so the import can skip and count them;
- a cell's solid fill colour is kept, because RAG is often coloured by hand with no text;
- blank rows after the last value (cells formatted far below the table) are not rows at all;
- formulas give their last calculated value (openpyxl's `data_only`), never their text.

A .csv has none of these: every value is text, and the importer reads the dates in it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yotplan.plans.loader import display_path
from yotplan.spreadsheet.errors import SpreadsheetError

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a sheet. `values` has one entry per column (None when empty)."""

    number: int
    """The row number people see in the spreadsheet (1-based)."""
    values: tuple[Any, ...]
    own: int
    """How many cells hold a value of their own, not one spread from a merged cell above."""
    hidden: bool
    colours: tuple[str | None, ...]
    """Each cell's solid fill as RRGGBB (upper case), or None."""

    def value(self, column: int | None) -> Any:
        if column is None or column >= len(self.values):
            return None
        return self.values[column]

    def colour(self, column: int | None) -> str | None:
        if column is None or column >= len(self.colours):
            return None
        return self.colours[column]

    @property
    def blank(self) -> bool:
        return self.own == 0


@dataclass(frozen=True, slots=True)
class Sheet:
    """The rows of one sheet, and what to call it in messages."""

    path: Path
    shown: str
    """The file as the user wrote it, for `FILE:ROW:` messages."""
    name: str | None
    """The sheet's name; None for a .csv."""
    rows: list[Row]


def read_sheet(path: Path, sheet: str | None = None) -> Sheet:
    """The rows of `path`: one sheet of an .xlsx (by name, else the sheet that opens first) or a .csv.

    Raises SpreadsheetError for a file that is missing, of another kind, or unreadable.
    """
    shown = display_path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise SpreadsheetError(f"{shown} is a folder; give the spreadsheet's file name")
    if not path.is_file():
        raise SpreadsheetError(f"{shown}: no such file")
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, shown, sheet)
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise SpreadsheetError(f"{shown}: a .csv file has no sheets; leave out --sheet")
        return Sheet(path, shown, None, _read_csv(path, shown))
    if suffix == ".xls":
        raise SpreadsheetError(f"{shown}: an old-style .xls workbook; open it in Excel and save it as .xlsx (or .csv)")
    raise SpreadsheetError(f"{shown}: not an .xlsx or .csv file; save the action plan as .xlsx or .csv")


def _read_workbook(path: Path, shown: str, wanted: str | None) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read_only=False: read-only mode does not see merged cells or hidden rows.
        workbook = load_workbook(path, read_only=False, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise SpreadsheetError(
            f"{shown}: cannot read this workbook ({reason}); is it password-protected, or not really .xlsx?"
        ) from None
    try:
        names = workbook.sheetnames
        if wanted is None:
            active = workbook.active
            worksheet = active if active is not None and active.title in names else workbook[names[0]]
        else:
            match = next((n for n in names if n == wanted), None) or next(
                (n for n in names if n.casefold() == wanted.strip().casefold()), None
            )
            if match is None:
                raise SpreadsheetError(f"{shown}: no sheet named {wanted!r} (the sheets are: {_quoted(names)})")
            worksheet = workbook[match]
        if not hasattr(worksheet, "merged_cells"):
            raise SpreadsheetError(
                f"{shown}: {worksheet.title!r} is a chart, not a sheet of rows; choose one with --sheet"
            )
        return Sheet(path, shown, worksheet.title, _worksheet_rows(worksheet))
    finally:
        workbook.close()


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _worksheet_rows(worksheet: Worksheet) -> list[Row]:
    width = worksheet.max_column
    spread: dict[tuple[int, int], tuple[Any, str | None]] = {}
    for merged in worksheet.merged_cells.ranges:
        anchor = worksheet.cell(merged.min_row, merged.min_col)
        value, colour = anchor.value, _fill_colour(anchor)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            spread[(row, merged.min_col)] = (value, colour)
    rows: list[Row] = []
    for number, cells in enumerate(worksheet.iter_rows(min_row=1, max_row=worksheet.max_row, max_col=width), 1):
        values: list[Any] = []
        colours: list[str | None] = []
        own = 0
        for column, cell in enumerate(cells, 1):
            value = cell.value
            if _has_value(value):
                own += 1
                values.append(value)
                colours.append(_fill_colour(cell))
            elif (number, column) in spread:
                inherited, colour = spread[(number, column)]
                values.append(inherited)
                colours.append(colour)
            else:
                values.append(None)
                colours.append(_fill_colour(cell))
        dimension = worksheet.row_dimensions.get(number)
        hidden = bool(dimension is not None and (dimension.hidden or dimension.ht == 0))
        rows.append(Row(number, tuple(values), own, hidden, tuple(colours)))
    return _without_trailing_blanks(rows)


def _without_trailing_blanks(rows: list[Row]) -> list[Row]:
    """The rows up to the last one with a value: cells formatted far below a table are not rows of it."""
    while rows and rows[-1].blank:
        rows.pop()
    return rows


def _has_value(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _fill_colour(cell: Cell | MergedCell) -> str | None:
    """A cell's solid fill as RRGGBB, when it is an explicit or indexed colour (theme colours are not resolved)."""
    fill = cell.fill
    if getattr(fill, "fill_type", None) != "solid":
        return None
    colour = fill.fgColor
    if colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) in (6, 8):
        return colour.rgb[-6:].upper()
    if colour.type == "indexed" and isinstance(colour.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        if 0 <= colour.indexed < len(COLOR_INDEX):
            return str(COLOR_INDEX[colour.indexed])[-6:].upper()
    return None


def _read_csv(path: Path, shown: str) -> list[Row]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    if "\x00" in text:
        raise SpreadsheetError(f"{shown}: not a text file (it holds NUL bytes); save the action plan as .csv or .xlsx")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[Row] = []
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise SpreadsheetError(f"{shown}: cannot read this CSV file ({exc})") from None
    for number, record in enumerate(records, 1):
        values = tuple(cell if cell.strip() else None for cell in record)
        own = sum(v is not None for v in values)
        rows.append(Row(number, values, own, False, (None,) * len(values)))
    return _without_trailing_blanks(rows)
