"""The bounds an imported workbook or CSV must keep: spreadsheets arrive by email, so they are untrusted.

A few KB of .xlsx can claim a cell at XFD1048576, merge B2:B1048576, unpack to gigabytes, or
expand XML entities without end. So a workbook is bounded before and while it is read:

- before openpyxl opens it, each zip member's uncompressed size, their total, and each member's
  compression ratio (from the zip's own directory, without unpacking anything);
- while its rows stream in, the row and column of every cell that holds a value, and how many
  values there are. Nothing is ever sized from the sheet's declared `<dimension>`, which a file can
  set to anything: the grid is built only from the values actually present;
- merged ranges are clipped to the rows and columns that hold values;
- XML is parsed by defusedxml (openpyxl uses it when it is installed), which refuses entity
  expansion and external entities.

Memory follows from these: at most MAX_VALUES values from at most MAX_UNPACKED bytes of XML.
Each limit, when passed, is one line naming the file and the limit.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from yotplan.spreadsheet.errors import SpreadsheetError

MAX_ROWS = 50_000
"""The last row that may hold a value: action plans are tens or hundreds of rows."""
MAX_COLUMNS = 200
"""The last column that may hold a value (GR)."""
MAX_VALUES = 250_000
"""Cells holding a value (or a fill), in the sheet that is read: 5,000 rows of 50 columns."""
MAX_UNPACKED = 50 * 1024 * 1024
"""The uncompressed size of all the workbook's parts together (and so of any one); also a CSV's size."""
MAX_RATIO = 100
"""How much any one part may be compressed: real workbooks are 5 to 20 to 1, zip bombs thousands."""
RATIO_FLOOR = 1024 * 1024
"""Parts smaller than this unpacked are never a bomb, whatever their ratio (an empty sheet compresses well)."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def check_archive(path: Path, shown: str) -> None:
    """Refuse a workbook whose zip directory says it unpacks too large or too compressed; read nothing else.

    Raises SpreadsheetError with one line naming the file and the limit.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise SpreadsheetError(
            f"{shown}: cannot read this workbook (not a zip archive: {exc}); is it password-protected, "
            "or not really .xlsx?"
        ) from None
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_UNPACKED:
            raise SpreadsheetError(
                f"{shown}: the workbook unpacks to more than {megabytes(MAX_UNPACKED)}, the limit yotplan reads "
                f"({member.filename!r} alone is {megabytes(member.file_size)}); save the action plan on its own"
            )
        if member.file_size > RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise SpreadsheetError(
                f"{shown}: {member.filename!r} is compressed {ratio:,} to 1, more than the {MAX_RATIO} to 1 "
                "yotplan accepts (real workbooks are under 20 to 1); this file is not an action plan"
            )


def check_csv_size(path: Path, shown: str) -> None:
    """Refuse a CSV larger than MAX_UNPACKED before reading it."""
    size = path.stat().st_size
    if size > MAX_UNPACKED:
        raise SpreadsheetError(
            f"{shown}: {megabytes(size)}, more than the {megabytes(MAX_UNPACKED)} yotplan reads from a CSV; "
            "save the action plan on its own"
        )


def row_limit(shown: str, row: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"{shown}: a value in row {row:,}, past the {MAX_ROWS:,} rows yotplan reads; delete what is below "
        "the table, or split the sheet"
    )


def column_limit(shown: str, column: int) -> SpreadsheetError:
    return SpreadsheetError(
        f"{shown}: a value in column {column:,}, past the {MAX_COLUMNS} columns yotplan reads; delete what is "
        "right of the table"
    )


def values_limit(shown: str) -> SpreadsheetError:
    return SpreadsheetError(
        f"{shown}: more than {MAX_VALUES:,} cells hold a value, the limit yotplan reads; save the action plan "
        "on its own"
    )
