"""The update form: an .xlsx workbook an owner fills in and sends back, written and read here.

The visible sheet has an instruction block, then one row per open action. The cells that say
what the action is (id, recommendation, action, due, status, latest update) are locked and the
sheet is protected; the cells to fill are not, and "New status" is a drop-down of the plan's
statuses. A hidden sheet (the workbook's structure is locked, so it cannot be shown) holds,
per row, the action's id, its plan file, a fingerprint of its data as the owner saw it
(`cycle.fingerprint`), and the locked cells' text. No cell is a formula; there are no macros.

Reading is bounded: the file's size and unpacked size are capped, openpyxl reads in read-only
mode, and only the form's own rows (and a short window below them) are looked at.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from yotplan.plans.models import STATUSES
from yotplan.updates.cycle import OwnerRequest, Round

SHEET = "Updates"
STATE_SHEET = "yotplan"
FORM_KIND = "yotplan update form"
FORM_VERSION = 1
HEADER_ROW = 9
FIRST_ROW = HEADER_ROW + 1

LOCKED_COLUMNS = ("ID", "Recommendation", "Action", "Due", "Status", "Latest update")
FILL_COLUMNS = ("New status", "Progress update", "Evidence", "New due date", "Reason for a new date")
COLUMNS = LOCKED_COLUMNS + FILL_COLUMNS
WIDTHS = (10, 30, 30, 11, 12, 36, 13, 40, 30, 12, 26)
STATE_COLUMNS = ("row", "id", "plan file", "fingerprint", *(f"shown: {name}" for name in LOCKED_COLUMNS))
STATE_HEADER_ROW = 10
"""Rows 1-9 of the hidden sheet hold the form's details as name, value pairs; the rows follow."""

MAX_FORM_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_FORM_ROWS = 5000
"""More actions than any owner holds: a form claiming more is not one yotplan made."""
EXTRA_ROWS_LOOKED_AT = 50
"""How far below the last action row a returned form is looked at, for rows someone added."""


class FormUnreadable(Exception):
    """A returned file that cannot be read as an update form; the message says why."""


# Writing --------------------------------------------------------------------------------


def build_form(round_: Round, request: OwnerRequest) -> bytes:
    """The owner's form as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet["A1"] = f"Action plan update: {request.role}, {round_.service}"
    sheet["A1"].font = Font(bold=True, size=14)
    for row, line in enumerate(instructions(round_, request), start=2):
        sheet.cell(row, 1, line)
    cell: Any
    for col, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(HEADER_ROW, col, name)
        cell.font = Font(bold=True)
        cell.alignment = wrap
        fill = "D9D9D9" if name in LOCKED_COLUMNS else "FFF2CC"
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        sheet.column_dimensions[_letter(col)].width = width
    to_fill = PatternFill("solid", start_color="FFFDF3", end_color="FFFDF3")
    for row, action in enumerate(request.actions, start=FIRST_ROW):
        for col, value in enumerate(shown_cells(action), start=1):
            cell = sheet.cell(row, col, value)
            cell.alignment = wrap
        sheet.cell(row, 4).number_format = "dd/mm/yyyy"
        for col in range(len(LOCKED_COLUMNS) + 1, len(COLUMNS) + 1):
            cell = sheet.cell(row, col)
            cell.protection = Protection(locked=False)
            cell.alignment = wrap
            cell.fill = to_fill
        sheet.cell(row, COLUMNS.index("New due date") + 1).number_format = "dd/mm/yyyy"
        sheet.row_dimensions[row].height = row_height(shown_cells(action))
    last = FIRST_ROW + len(request.actions) - 1
    if request.actions:
        statuses = DataValidation(
            type="list",
            formula1='"' + ",".join(STATUSES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Status",
            error="Choose one of the plan's statuses: " + ", ".join(STATUSES),
        )
        sheet.add_data_validation(statuses)
        column = _letter(COLUMNS.index("New status") + 1)
        statuses.add(f"{column}{FIRST_ROW}:{column}{last}")
    sheet.freeze_panes = f"B{FIRST_ROW}"
    sheet.page_setup.orientation = "landscape"  # printed, it fits the page's width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    _write_state(book.create_sheet(STATE_SHEET), round_, request)
    book.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    book.properties.creator = "yotplan"
    book.properties.created = datetime.combine(round_.made, datetime.min.time())
    book.save(out)
    return out.getvalue()


def instructions(round_: Round, request: OwnerRequest) -> list[str]:
    """The lines above the table: what to fill, by when, to whom."""
    to_whom = round_.reply_to or "the YOT manager"
    feeds = f", for the {round_.meeting_name}" if round_.meeting_name else ""
    return [
        f"{request.agency}. Made {round_.made:%d/%m/%Y}: {len(request.actions)} open action"
        f"{'s' * (len(request.actions) != 1)}.",
        f"Please return this form by {round_.return_by:%A %d %B %Y} to {to_whom}{feeds}.",
        "Fill the yellow columns only: New status (pick from the list), Progress update (what happened, "
        "in a sentence or two), Evidence (a document, minutes or a link that shows it).",
        "A new due date needs a reason, and so do the statuses blocked and dropped. Leave a row empty "
        "when nothing changed.",
        "Never write a child's name, date of birth, NHS number, address or case details: the plan is "
        "shared with the Board.",
        "Do not add, remove or re-order rows, and do not change the grey columns: they say which action each row is.",
    ]


LINE_HEIGHT = 15.0
MIN_LINES = 4
"""Room to write in: a row is at least this many lines high, whatever its action's text."""
MAX_LINES = 12


def row_height(values: list[Any]) -> float:
    """A row's height in points, for its longest wrapped cell (spreadsheets do not grow rows that
    a file gives no height, so text would hide under the next row)."""
    lines = MIN_LINES
    for value, width in zip(values, WIDTHS, strict=False):
        text = _as_text(value)
        lines = max(lines, -(-len(text) * 11 // (width * 10)))  # about 1.1 characters per unit of width
    return LINE_HEIGHT * min(lines, MAX_LINES)


def shown_cells(action: Any) -> list[Any]:
    """The locked cells of an action's row, as written."""
    return [
        action.id,
        action.recommendation,
        action.title,
        action.due,
        action.status,
        action.latest_update,
    ]


def _write_state(state: Any, round_: Round, request: OwnerRequest) -> None:
    details = [
        ("kind", FORM_KIND),
        ("version", FORM_VERSION),
        ("owner", request.key),
        ("role", request.role),
        ("service", round_.service),
        ("made", round_.made.isoformat()),
        ("return by", round_.return_by.isoformat()),
        ("meeting", round_.meeting or ""),
        ("rows", len(request.actions)),
    ]
    for row, (name, value) in enumerate(details, start=1):
        state.cell(row, 1, name)
        state.cell(row, 2, value)
    for col, name in enumerate(STATE_COLUMNS, start=1):
        state.cell(STATE_HEADER_ROW, col, name)
    for offset, action in enumerate(request.actions):
        values = [FIRST_ROW + offset, action.id, action.plan_file, action.fingerprint]
        values += [_as_text(v) for v in shown_cells(action)]
        for col, value in enumerate(values, start=1):
            state.cell(STATE_HEADER_ROW + 1 + offset, col, value)
    state.sheet_state = "hidden"
    state.protection.sheet = True


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _as_text(value: Any) -> str:
    from yotplan.spreadsheet.cells import clean_text

    return clean_text(value)


# Reading --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StateRow:
    row: int
    id: str
    plan_file: str
    fingerprint: str
    shown: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    coordinate: str
    value: Any
    formula: bool


@dataclass
class FormRow:
    number: int
    cells: list[Cell]
    """One per column of COLUMNS (empty cells included)."""

    def value(self, name: str) -> Any:
        return self.cells[COLUMNS.index(name)].value

    @property
    def filled(self) -> bool:
        return any(_as_text(c.value) for c in self.cells[len(LOCKED_COLUMNS) :])


@dataclass
class ReturnedForm:
    path: Path
    owner: str
    role: str
    service: str
    made: date
    state: dict[int, StateRow]
    rows: list[FormRow]
    extra_rows: list[int] = field(default_factory=list)
    """Filled rows found below the form's own (within the window looked at)."""
    sheet_rows: int | None = None
    """How far down the sheet says it goes."""


def read_form(path: Path) -> ReturnedForm:
    """A returned form's rows and hidden state; raises FormUnreadable saying why it is not one."""
    _check_package(path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise FormUnreadable(f"cannot be read as a workbook ({type(exc).__name__}: {exc})") from None
    try:
        if STATE_SHEET not in book.sheetnames or SHEET not in book.sheetnames:
            raise FormUnreadable(
                "is not an update form made by `yotplan request-updates` (its hidden sheet is missing); "
                "send the owner a new form"
            )
        details, state = _read_state(book[STATE_SHEET])
        sheet = book[SHEET]
        last = max(state, default=HEADER_ROW)
        rows: list[FormRow] = []
        extra: list[int] = []
        width = len(COLUMNS)
        for number, cells in enumerate(
            sheet.iter_rows(min_row=FIRST_ROW, max_row=last + EXTRA_ROWS_LOOKED_AT, max_col=width), start=FIRST_ROW
        ):
            row = FormRow(number, [_cell(c, number, i) for i, c in enumerate(cells, start=1)])
            row.cells += [Cell(f"{_letter(i)}{number}", None, False) for i in range(len(row.cells) + 1, width + 1)]
            if number <= last:
                rows.append(row)
            elif any(_as_text(c.value) for c in row.cells):
                extra.append(number)
        sheet_rows = sheet.max_row if isinstance(sheet.max_row, int) else None
    finally:
        book.close()
    try:
        made = date.fromisoformat(str(details.get("made", "")))
    except ValueError:
        raise FormUnreadable("its hidden sheet has no date it was made; send the owner a new form") from None
    return ReturnedForm(
        path,
        str(details.get("owner", "")),
        str(details.get("role", "")),
        str(details.get("service", "")),
        made,
        state,
        rows,
        extra,
        sheet_rows,
    )


def _check_package(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormUnreadable(f"cannot be read ({exc.strerror or exc})") from None
    if size > MAX_FORM_BYTES:
        raise FormUnreadable(f"is {size // (1024 * 1024)} MB; an update form is far smaller, so it was not read")
    if not zipfile.is_zipfile(path):
        raise FormUnreadable("is not an .xlsx workbook (save it as Excel .xlsx and send it again)")
    with zipfile.ZipFile(path) as package:
        infos = package.infolist()
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise FormUnreadable("unpacks to more than 200 MB; an update form is far smaller, so it was not read")
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos):
        raise FormUnreadable("holds macros; yotplan never opens a form with macros: save it as .xlsx, not .xlsm")


def _cell(cell: Any, row: int, col: int) -> Cell:
    value = getattr(cell, "value", None)
    formula = getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("="))
    return Cell(f"{_letter(col)}{row}", value, formula)


def _read_state(sheet: Any) -> tuple[dict[str, Any], dict[int, StateRow]]:
    details: dict[str, Any] = {}
    state: dict[int, StateRow] = {}
    width = len(STATE_COLUMNS)
    for number, values in enumerate(
        sheet.iter_rows(min_row=1, max_row=STATE_HEADER_ROW + MAX_FORM_ROWS, max_col=width, values_only=True),
        start=1,
    ):
        if number < STATE_HEADER_ROW:
            if values and values[0] is not None:
                details[str(values[0])] = values[1] if len(values) > 1 else None
            continue
        if number == STATE_HEADER_ROW:
            continue
        cells = [_as_text(v) for v in values] + [""] * (width - len(values))
        if not any(cells):
            continue
        try:
            row = int(cells[0])
        except ValueError:
            raise FormUnreadable(f"its hidden sheet is damaged (row {number}); send the owner a new form") from None
        state[row] = StateRow(row, cells[1], cells[2], cells[3], tuple(cells[4:]))
    if details.get("kind") != FORM_KIND:
        raise FormUnreadable("is not an update form made by `yotplan request-updates`; send the owner a new form")
    return details, state
