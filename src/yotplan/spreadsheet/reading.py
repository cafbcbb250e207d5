"""Reading a sheet of an .xlsx workbook or a .csv file into rows, as a person sees them.

What a person sees is not what the file stores, so:

- a merged cell's value belongs to every row of the merge, in the merge's first column (a
  recommendation merged down the rows of its actions); the other columns of a merge stay empty,
  so a title merged across the sheet is still one cell;
- hidden rows (hidden, or zero height) are marked, so the import can skip and count them;
- a workbook is untrusted: it is streamed within the bounds of `yotplan.spreadsheet.bounds`, and
  anything openpyxl cannot read is one line, never a traceback;
- a cell's solid fill colour is kept, because RAG is often coloured by hand with no text;
- blank rows after the last value (cells formatted far below the table) are not rows at all;
- formulas give their last calculated value (openpyxl's `data_only`), never their text.

A .csv has none of these: every value is text, and the importer reads the dates in it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yotplan.plans.loader import display_path
from yotplan.spreadsheet.bounds import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_VALUES,
    check_archive,
    check_csv_size,
    column_limit,
    row_limit,
    values_limit,
)
from yotplan.spreadsheet.errors import SpreadsheetError

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


def read_sheet(
    path: Path, sheet: str | None = None, *, delimiter: str | None = None, encoding: str | None = None
) -> Sheet:
    """The rows of `path`: one sheet of an .xlsx (by name, else the sheet that opens first) or a .csv.

    A CSV's `delimiter` and `encoding` are found when not given (see `_read_csv`). Raises
    SpreadsheetError for a file that is missing, of another kind, or unreadable.
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
        return Sheet(path, shown, None, _read_csv(path, shown, delimiter, encoding))
    if suffix == ".xls":
        raise SpreadsheetError(f"{shown}: an old-style .xls workbook; open it in Excel and save it as .xlsx (or .csv)")
    raise SpreadsheetError(f"{shown}: not an .xlsx or .csv file; save the action plan as .xlsx or .csv")


def _read_workbook(path: Path, shown: str, wanted: str | None) -> Sheet:
    check_archive(path, shown)
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        # The workbook's own parts (sheet names, shared strings, styles) by openpyxl, its XML
        # parsed by defusedxml; the sheet itself is streamed below, never loaded as a grid.
        reader = ExcelReader(path, read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        found = [(sheet.name, rel.target, "chartsheet" in rel.Type) for sheet, rel in reader.parser.find_sheets()]
        sheets = [entry for entry in found if entry[1] in reader.valid_files]
    except MemoryError:
        raise SpreadsheetError(f"{shown}: too large to read in memory; save the action plan on its own") from None
    except Exception as exc:  # untrusted input: a broken file makes openpyxl raise anything from KeyError to ParseError
        raise SpreadsheetError(
            f"{shown}: cannot read this workbook ({_reason(exc)}); is it password-protected, or not really .xlsx?"
        ) from None
    try:
        names = [name for name, _, _ in sheets]
        if not names:
            raise SpreadsheetError(f"{shown}: the workbook has no sheets")
        if wanted is None:
            active = getattr(reader.wb, "_active_sheet_index", 0)
            index = active if isinstance(active, int) and 0 <= active < len(found) else 0
            name = found[index][0] if found[index][0] in names else names[0]
        else:
            match = next((n for n in names if n == wanted), None) or next(
                (n for n in names if n.casefold() == wanted.strip().casefold()), None
            )
            if match is None:
                raise SpreadsheetError(f"{shown}: no sheet named {wanted!r} (the sheets are: {_quoted(names)})")
            name = match
        _, target, chart = next(entry for entry in sheets if entry[0] == name)
        if chart:
            raise SpreadsheetError(f"{shown}: {name!r} is a chart, not a sheet of rows; choose one with --sheet")
        try:
            with reader.archive.open(target) as source:
                rows = _SheetStream(reader.wb, reader.shared_strings, f"{shown}, sheet {name!r}").rows(source)
        except SpreadsheetError:
            raise
        except MemoryError:
            raise SpreadsheetError(f"{shown}: too large to read in memory; save the action plan on its own") from None
        except Exception as exc:  # untrusted input, as above
            raise SpreadsheetError(
                f"{shown}: cannot read sheet {name!r} ({_reason(exc)}); open it in Excel and save it again"
            ) from None
        return Sheet(path, shown, name, rows)
    finally:
        reader.archive.close()


def _reason(exc: BaseException) -> str:
    """What went wrong, in one short line: the file's own text never comes through whole."""
    if type(exc).__module__.startswith("defusedxml"):
        return "it declares XML entities, which no workbook needs"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:99] + "…"


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


class _SheetStream:
    """One sheet's XML streamed through expat, keeping only cells that hold a value or a solid fill.

    The grid is as wide as the last column holding a value and as long as the last row holding
    one, whatever the sheet declares; every bound of `yotplan.spreadsheet.bounds` is checked as
    the cells arrive. A document type or entity declaration is refused, as defusedxml does.
    """

    def __init__(self, workbook: Any, shared_strings: Sequence[Any], where: str) -> None:
        self.workbook = workbook
        self.shared = shared_strings
        self.where = where
        self.dates = set(getattr(workbook, "_date_formats", ()) or ())
        self.epoch = workbook.epoch
        self.colour_of: dict[int, str | None] = {}
        self.cells: dict[tuple[int, int], tuple[Any, str | None]] = {}
        self.hidden: set[int] = set()
        self.merges: list[str] = []
        self.last_row = self.last_column = 0
        self.row = self.column = 0
        self.kind, self.style, self.text = "n", 0, ""
        self.parts: list[str] = []
        self.collect = self.inline = self.phonetic = False

    def rows(self, source: Any) -> list[Row]:
        from xml.parsers import expat

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.UnparsedEntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse_external
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        parser.buffer_text = True
        parser.ParseFile(source)
        return self._grid()

    def _refuse(self, *_: Any) -> None:
        raise SpreadsheetError(f"{self.where}: it declares a document type or XML entities, which no workbook needs")

    def _refuse_external(self, *_: Any) -> int:
        self._refuse()
        return 0

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name[name.rfind(" ") + 1 :]
        if local == "c":
            self.kind = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            self.text, self.parts = "", []
        elif local == "v":
            self.collect, self.parts = True, []
        elif local == "is":
            self.inline, self.parts = True, []
        elif local == "t" and self.inline and not self.phonetic:
            self.collect = True
        elif local == "rPh":
            self.phonetic = True
        elif local == "row":
            number = attrs.get("r")
            self.row = int(float(number)) if number else self.row + 1
            self.column = 0
            if self.row <= MAX_ROWS and (attrs.get("hidden") in ("1", "true") or attrs.get("ht") in ("0", "0.0")):
                self.hidden.add(self.row)
        elif local == "mergeCell" and (ref := attrs.get("ref")):
            self.merges.append(ref)
            if len(self.merges) > MAX_VALUES:
                raise values_limit(self.where)

    def _characters(self, data: str) -> None:
        if self.collect:
            self.parts.append(data)

    def _end(self, name: str) -> None:
        local = name[name.rfind(" ") + 1 :]
        if local == "v":
            self.text, self.collect = "".join(self.parts), False
        elif local == "t" and self.inline:
            self.collect = False
        elif local == "rPh":
            self.phonetic = False
        elif local == "is":
            self.text, self.inline = "".join(self.parts), False
        elif local == "c":
            self._cell()

    def _cell(self) -> None:
        value = self._value()
        style = self.style
        if style not in self.colour_of:
            self.colour_of[style] = _style_colour(self.workbook, style)
        colour = self.colour_of[style]
        row, column = self.row, self.column
        if _has_value(value):
            if row > MAX_ROWS:
                raise row_limit(self.where, row)
            if column > MAX_COLUMNS:
                raise column_limit(self.where, column)
            self.last_row, self.last_column = max(self.last_row, row), max(self.last_column, column)
        elif colour is None or row > MAX_ROWS or column > MAX_COLUMNS:
            return
        else:
            value = None
        self.cells[(row, column)] = (value, colour)
        if len(self.cells) > MAX_VALUES:
            raise values_limit(self.where)

    def _value(self) -> Any:
        text, kind = self.text, self.kind
        if kind == "inlineStr" or kind == "str" or kind == "e":
            return text or None
        if not text:
            return None
        if kind == "s":
            value = self.shared[int(text)]
            return value if isinstance(value, str) else str(value)
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(text)  # type: ignore[no-untyped-call]
        number: float | int = float(text) if any(c in text for c in ".eE") else int(text)
        if self.style in self.dates:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(number, self.epoch)
            except (OverflowError, ValueError):
                return number
        return number

    def _grid(self) -> list[Row]:
        spread = _spread_merges(self.merges, self.cells, self.last_row, self.last_column, self.where)
        rows: list[Row] = []
        for number in range(1, self.last_row + 1):
            values: list[Any] = []
            colours: list[str | None] = []
            own = 0
            for column in range(1, self.last_column + 1):
                value, colour = self.cells.get((number, column), (None, None))
                if value is not None:
                    own += 1
                elif (number, column) in spread:
                    value, colour = spread[(number, column)]
                values.append(value)
                colours.append(colour)
            rows.append(Row(number, tuple(values), own, number in self.hidden, tuple(colours)))
        return _without_trailing_blanks(rows)


def _column(ref: str) -> int:
    """The 1-based column of a cell reference (`C7` -> 3, `XFD1` -> 16384)."""
    column = 0
    for char in ref:
        if "A" <= char <= "Z":
            column = column * 26 + ord(char) - 64
        elif "a" <= char <= "z":
            column = column * 26 + ord(char) - 96
        else:
            break
    return column


def _spread_merges(
    merges: list[str],
    cells: dict[tuple[int, int], tuple[Any, str | None]],
    last_row: int,
    last_column: int,
    where: str,
) -> dict[tuple[int, int], tuple[Any, str | None]]:
    """Each merge's first-column value spread down its rows, the merge clipped to the rows and columns in use."""
    from openpyxl.worksheet.cell_range import CellRange

    spread: dict[tuple[int, int], tuple[Any, str | None]] = {}
    for ref in merges:
        bounds = CellRange(ref)
        if bounds.min_row > last_row or bounds.min_col > last_column:
            continue
        anchor = cells.get((bounds.min_row, bounds.min_col))
        if anchor is None:
            continue
        for number in range(bounds.min_row + 1, min(bounds.max_row, last_row) + 1):
            spread[(number, bounds.min_col)] = anchor
        if len(spread) + len(cells) > MAX_VALUES:
            raise values_limit(where)
    return spread


def _without_trailing_blanks(rows: list[Row]) -> list[Row]:
    """The rows up to the last one with a value: cells formatted far below a table are not rows of it."""
    while rows and rows[-1].blank:
        rows.pop()
    return rows


def _has_value(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _style_colour(workbook: Any, style_id: int) -> str | None:
    """A style's solid fill as RRGGBB, when it is an explicit or indexed colour (theme colours are not resolved)."""
    try:
        fill = workbook._fills[workbook._cell_styles[style_id].fillId]
    except (IndexError, KeyError, TypeError, AttributeError):
        return None
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


def _read_csv(path: Path, shown: str, delimiter: str | None, encoding: str | None) -> list[Row]:
    """A CSV as Excel writes it: UTF-8 (with or without a byte-order mark), else cp1252 (Excel's
    "CSV" on Windows), unless `encoding` says; the delimiter counted in the header row (below)."""
    check_csv_size(path, shown)
    raw = path.read_bytes()
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                f"{shown}: not {encoding} text (byte {exc.start:,} is not); leave out --encoding, or give the right one"
            ) from None
        text = text.removeprefix("\ufeff")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise SpreadsheetError(f"{shown}: not a text file (it holds NUL bytes); save the action plan as .csv or .xlsx")
    rows: list[Row] = []
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or find_delimiter(text)))
    except csv.Error as exc:
        raise SpreadsheetError(f"{shown}: cannot read this CSV file ({exc})") from None
    for number, record in enumerate(records, 1):
        values = tuple(cell if cell.strip() else None for cell in record)
        if any(values) and number > MAX_ROWS:
            raise row_limit(shown, number)
        if any(values[MAX_COLUMNS:]):
            raise column_limit(shown, MAX_COLUMNS + 1 + next(i for i, v in enumerate(values[MAX_COLUMNS:]) if v))
        own = sum(v is not None for v in values)
        rows.append(Row(number, values, own, False, (None,) * len(values)))
    return _without_trailing_blanks(rows)


DELIMITERS = (",", ";", "\t")
_HEADER_SEARCH_RECORDS = 10


def find_delimiter(text: str) -> str:
    """The delimiter of a CSV: of `,` `;` and tab, the one that splits a record into the most cells,
    counted outside quotes over the first records (the header row is the widest); `,` on a tie.

    A `;` inside a quoted cell of a semicolon file, or a `,` in a quoted title, never counts.
    """
    best = dict.fromkeys(DELIMITERS, 0)
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    records = 0
    for char in text[:65536]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in counts:
            counts[char] += 1
        elif char == "\n":
            for d in DELIMITERS:
                best[d] = max(best[d], counts[d])
            counts = dict.fromkeys(DELIMITERS, 0)
            records += 1
            if records >= _HEADER_SEARCH_RECORDS:
                break
    for d in DELIMITERS:
        best[d] = max(best[d], counts[d])
    return max(DELIMITERS, key=lambda d: (best[d], -DELIMITERS.index(d)))
