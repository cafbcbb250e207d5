"""`yotplan export`: the Board pack as an .xlsx workbook, from the views `status` and `overdue` use.

Sheets: Summary (counts by source and RAG, the as-at date), Recommendations, Actions, Overdue,
Indicators (always there, so that a script finds the same sheets; headers only when the plans
have none).
Dates are real dates with a date format; RAG cells are filled in the report's colours; each
table has its header row frozen, an autofilter, capped column widths and wrapped long text.

- **No cell is ever a formula.** openpyxl makes any text that starts with `=` a formula (and
  `#N/A` an error value); every text here is written as a string cell, and a text that a
  spreadsheet would take for a formula (`=`, `+`, `-`, `@`) also gets the quote prefix, so it
  stays text when someone edits the cell.
- **Deterministic.** The workbook's created and modified properties are the as-at date, and the
  zip entries carry that date too, so the same plans on the same day give the same bytes.
- The Actions sheet has the columns of a service's own action plan (Action ref, Rec ref,
  Source, Recommendation, Rec owner, Action, Owner, Due, Status, Completed), so `yotplan import
  --sheet Actions` reads it back with the same ids, owners, dates and statuses.
- **Printed**: A4 landscape, the service, sheet and as-at date in the header and footer, "Page x
  of y". Text columns are narrowed and wrap (`fit_widths`) so that a sheet prints one page wide
  at 8 pt or more; Actions (14 columns) and Indicators (15), which cannot, run on to pages
  across at 8 pt, with the action's or indicator's id repeated on every page.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from yotplan.edit.safe_write import write_output
from yotplan.plans.loader import display_path
from yotplan.plans.planset import PlanSet
from yotplan.rules.rag import RAGS
from yotplan.spreadsheet.errors import SpreadsheetError
from yotplan.views.queries import ActionView, Filters, RecommendationView, overdue_actions, status_view

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEETS = ("Summary", "Recommendations", "Actions", "Overdue", "Indicators")

RAG_COLOURS: dict[str, tuple[str, str]] = {
    # fill, text colour on it: the Board report's (yotplan.report.charts.RAG_COLOURS; a test keeps them equal).
    "red": ("#b3261e", "#ffffff"),
    "amber": ("#f2a900", "#1a1a1a"),
    "green": ("#2e7d32", "#ffffff"),
    "delivered": ("#1f5fa8", "#ffffff"),
    "closed": ("#4a3f8c", "#ffffff"),
    "dropped": ("#9e9e9e", "#1a1a1a"),
}
DATE_FORMAT = "d mmm yyyy"
"""1 Oct 2022: a real date, shown the same way to readers in any locale."""
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""
HEADER_FILL = "D9D9D9"
LINE_HEIGHT = 15
"""Points per line of wrapped text (Calibri 11, the default font)."""

Kind = Literal["id", "text", "long", "date", "number", "rag"]
WIDTH_CAPS: dict[Kind, int] = {"id": 24, "text": 20, "long": 40, "date": 12, "number": 10, "rag": 10}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind
    value: Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What the workbook holds, for the command to say."""

    today: date
    recommendations: int
    actions: int
    overdue: int
    services: int = 1
    indicators_flagged: int | None = None
    """Over several services: the indicators not on track, listed by exception."""

    def describe(self) -> str:
        """`23 recommendations, 53 actions, 5 overdue (as at 2022-09-20)`, and over several
        services how many, and how many indicators are not on track."""
        counts = f"{self.recommendations} recommendations, {self.actions} actions, {self.overdue} overdue"
        if self.services > 1:
            counts = f"{self.services} services, {counts}, {self.indicators_flagged} indicators not on track"
        return f"{counts} (as at {self.today})"


REC_COLUMNS = (
    Column("Rec ref", "id", lambda r: r.id),
    Column("Source", "text", lambda r: r.source),
    Column("Recommendation", "long", lambda r: r.text),
    Column("To", "text", lambda r: r.to),
    Column("Owner", "text", lambda r: r.owner),
    Column("Done", "number", lambda r: r.done),
    Column("Actions", "number", lambda r: r.total),
    Column("Next due", "date", lambda r: r.next_due),
    Column("RAG", "rag", lambda r: r.rag),
    Column("Stage", "text", lambda r: r.stage),
    Column("Related", "text", lambda r: ", ".join(r.related)),
)
ACTION_COLUMNS = (
    Column("Action ref", "id", lambda p: p[1].id),
    Column("Rec ref", "id", lambda p: p[0].id),
    Column("Source", "text", lambda p: p[1].source),
    Column("Recommendation", "long", lambda p: p[0].text),
    Column("Rec owner", "text", lambda p: p[0].owner),
    Column("Action", "long", lambda p: p[1].title),
    Column("Owner", "text", lambda p: p[1].owner),
    Column("Due", "date", lambda p: p[1].due or p[1].due_text or None),
    Column("Status", "text", lambda p: p[1].status),
    Column("Completed", "date", lambda p: p[1].completed),
    Column("RAG", "rag", lambda p: p[1].rag),
    Column("Days left", "number", lambda p: p[1].days_left),
    Column("Latest update", "long", lambda p: _latest_update(p[2])),
    Column("Evidence", "long", lambda p: "\n".join(p[2].evidence)),
)


def _latest_update(action: Any) -> str:
    latest = action.latest_update
    return f"{latest.date.isoformat()}: {latest.note}" if latest is not None else ""


OVERDUE_COLUMNS = (
    Column("Action ref", "id", lambda a: a.id),
    Column("Action", "long", lambda a: a.title),
    Column("Owner", "text", lambda a: a.owner),
    Column("Due", "date", lambda a: a.due or a.due_text or None),
    Column("Days overdue", "number", lambda a: a.days_overdue),
    Column("Status", "text", lambda a: a.status),
    Column("Rec ref", "id", lambda a: a.recommendation),
    Column("Source", "text", lambda a: a.source),
)


def _value(point: Any) -> float | None:
    return point.value if point is not None else None


def _date(point: Any) -> date | None:
    return point.date if point is not None else None


INDICATOR_COLUMNS = (
    Column("Indicator", "id", lambda i: i.id),
    Column("Rec ref", "id", lambda i: i.recommendation),
    Column("Name", "long", lambda i: i.name),
    Column("Unit", "text", lambda i: i.unit),
    Column("Better", "text", lambda i: i.better),
    Column("Baseline", "number", lambda i: _value(i.baseline)),
    Column("Baseline date", "date", lambda i: _date(i.baseline)),
    Column("Target", "number", lambda i: i.target.value),
    Column("Target date", "date", lambda i: i.target.date),
    Column("Latest", "number", lambda i: _value(i.latest)),
    Column("Latest date", "date", lambda i: _date(i.latest)),
    Column("Change since baseline", "number", lambda i: i.change),
    Column("Change since previous", "number", lambda i: i.change_since_previous),
    Column("On track", "text", lambda i: {True: "yes", False: "no", None: "no reading"}[i.on_track]),
    Column("RAG", "rag", lambda i: i.rag),
)


def build_workbook(plans: PlanSet, today: date, filters: Filters = Filters()) -> tuple[bytes, ExportSummary]:
    """The Board pack's bytes as at `today`, for the recommendations `filters` keeps (as `status` does).

    The Actions sheet lists the shown recommendations' actions (only the given owners' with
    `--owner`); Overdue is `yotplan overdue` with the same filters.
    """
    from openpyxl import Workbook

    from yotplan.views.indicators import indicators_view

    view = status_view(plans, today, filters=filters)
    models = {ref.action.id: ref.action for ref in plans.actions()}
    actions = [
        (rec, a, models[a.id]) for rec in view.recommendations for a in rec.actions if filters.matches_owner(a.owner)
    ]
    overdue = overdue_actions(plans, today, filters)
    titles = {str(doc.model.source.id): str(doc.model.source.title) for doc in plans.plans}

    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # a new workbook has one sheet
    summary.title = SHEETS[0]
    service = plans.service_name or plans.service
    _summary_sheet(summary, view.recommendations, titles, overdue, today, filters, service)
    recs = [dataclasses.replace(r, owner=_role(plans, r.owner)) for r in view.recommendations]
    late = [dataclasses.replace(a, owner=_role(plans, a.owner)) for a in overdue]
    _table(workbook.create_sheet(SHEETS[1]), REC_COLUMNS, recs)
    _table(workbook.create_sheet(SHEETS[2]), ACTION_COLUMNS, actions, repeat=1)
    _table(workbook.create_sheet(SHEETS[3]), OVERDUE_COLUMNS, late)
    _table(workbook.create_sheet(SHEETS[4]), INDICATOR_COLUMNS, indicators_view(plans, today, filters), repeat=1)
    for sheet in workbook.worksheets:
        _print_setup(sheet, service, today)
    stats = ExportSummary(today, len(view.recommendations), len(actions), len(overdue))
    return _save(workbook, today), stats


def _recommendations_of(rag: str) -> Callable[[Any], int]:
    return lambda row: row.recommendations[rag]


REGIONAL_SHEETS = ("Services", "Overdue", "Indicators")
SERVICE_COLUMNS = (
    Column("Service", "id", lambda r: r.service),
    Column("Name", "text", lambda r: r.name),
    Column("Region", "text", lambda r: r.region_label),
    Column("Recommendations", "number", lambda r: r.total),
    *(Column(rag.capitalize(), "number", _recommendations_of(rag)) for rag in RAGS),
    Column("Overdue actions", "number", lambda r: r.overdue_count),
    Column("Indicators", "number", lambda r: r.indicators_total),
    Column("On track", "number", lambda r: r.indicators["green"]),
)
REGIONAL_OVERDUE_COLUMNS = (Column("Service", "id", lambda a: a.service), *OVERDUE_COLUMNS)
EXCEPTION_SHOWS = ("Indicator", "Rec ref", "Name", "Unit", "Baseline", "Target", "Target date", "Latest", "Latest date")
"""The columns of the Board pack's Indicators sheet that the regional workbook's exceptions keep."""


def _of_view(column: Column) -> Column:
    return Column(column.header, column.kind, lambda e: column.value(e.view))


INDICATOR_EXCEPTION_COLUMNS = (
    Column("Service", "id", lambda e: e.view.service),
    *(_of_view(c) for c in INDICATOR_COLUMNS if c.header in EXCEPTION_SHOWS),
    Column("Why", "long", lambda e: e.reason),
    Column("RAG", "rag", lambda e: e.view.rag),
)


def build_regional_workbook(plans: Sequence[PlanSet], today: date) -> tuple[bytes, ExportSummary]:
    """Several services side by side, as at `today`: a row per service (recommendations by RAG,
    overdue actions, indicators and how many are on track), every overdue action, and the
    indicators not on track, by exception, as the regional report lists them."""
    from openpyxl import Workbook

    from yotplan.views.regional import indicators_needing_attention, service_rows

    rows = service_rows(plans, today)
    overdue = sorted(
        (
            dataclasses.replace(a, owner=_role(plan_set, a.owner))
            for plan_set in plans
            for a in overdue_actions(plan_set, today)
        ),
        key=lambda a: (-a.days_overdue, a.service.casefold(), a.id.casefold()),
    )
    flagged = indicators_needing_attention(plans, today)
    workbook = Workbook()
    services = workbook.active
    assert services is not None  # a new workbook has one sheet
    services.title = REGIONAL_SHEETS[0]
    _table(services, SERVICE_COLUMNS, rows)
    _table(workbook.create_sheet(REGIONAL_SHEETS[1]), REGIONAL_OVERDUE_COLUMNS, overdue)
    _table(workbook.create_sheet(REGIONAL_SHEETS[2]), INDICATOR_EXCEPTION_COLUMNS, flagged)
    for sheet in workbook.worksheets:
        _print_setup(sheet, f"Regional workbook ({len(rows)} services)", today, pack="")
    stats = ExportSummary(
        today, sum(r.total for r in rows), sum(r.actions for r in rows), len(overdue), len(rows), len(flagged)
    )
    return _save(workbook, today), stats


def _role(plans: PlanSet, key: str) -> str:
    """An owner as the Board pack shows one: `YOT Manager, Torbay Council` (its key when unknown)."""
    owner = plans.owners.get(key)
    return f"{owner.role}, {owner.agency}" if owner is not None else key


def _summary_sheet(
    sheet: Worksheet,
    recs: Sequence[RecommendationView],
    titles: dict[str, str],
    overdue: Sequence[ActionView],
    today: date,
    filters: Filters,
    service: str = "",
) -> None:
    from openpyxl.styles import Alignment, Font

    title = f"{service}: Board pack, improvement action plans" if service else "Board pack: improvement action plans"
    _put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    _put(sheet, 2, 1, "As at").font = Font(bold=True)
    _put(sheet, 2, 2, today).alignment = Alignment(horizontal="left")
    if filters.sources or filters.owners:
        shown = [*(f"source {s}" for s in filters.sources), *(f"owner {o}" for o in filters.owners)]
        _put(sheet, 3, 1, "Filters").font = Font(bold=True)
        _put(sheet, 3, 2, ", ".join(shown))
    counts: dict[str, dict[str, int]] = {}
    for rec in recs:
        counts.setdefault(rec.source, dict.fromkeys(RAGS, 0))[rec.rag] += 1
    late: dict[str, int] = {}
    for action in overdue:
        late[action.source] = late.get(action.source, 0) + 1

    def count_of(rag: str) -> Callable[[str], int]:
        return lambda source: counts[source][rag]

    columns: list[Column] = [
        Column("Source", "text", lambda s: s),
        Column("Title", "long", lambda s: titles.get(s, "")),
        Column("Recommendations", "number", lambda s: sum(counts[s].values())),
        *(Column(rag.capitalize(), "number", count_of(rag)) for rag in RAGS),
        Column("Overdue actions", "number", lambda s: late.get(s, 0)),
    ]
    top = 5
    _table(sheet, columns, list(counts), top=top)
    for i, rag in enumerate(RAGS):
        _colour(sheet.cell(top, 4 + i), rag)
    total = top + len(counts) + 1
    _put(sheet, total, 1, "Total").font = Font(bold=True)
    sums = [sum(counts[s][rag] for s in counts) for rag in RAGS]
    for i, value in enumerate([sum(sums), *sums, len(overdue)]):
        _put(sheet, total, 3 + i, value).font = Font(bold=True)


def _table(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[Any], top: int = 1, repeat: int = 0) -> None:
    """A table with its header on row `top`: frozen, filtered, sized, printable; its first
    `repeat` columns print on every page across when it is too wide for one."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    values = [[column.value(row) for column in columns] for row in rows]
    # A header wraps at its spaces ("Change since / baseline"): its longest word sets the least width.
    widths = [
        min(
            max(6, *map(len, column.header.split()), *(_width(line[i]) for line in values)),
            max(WIDTH_CAPS[column.kind], *map(len, column.header.split())),
        )
        for i, column in enumerate(columns)
    ]
    widths = fit_widths(widths, [column.kind for column in columns])
    for i, column in enumerate(columns, 1):
        cell = _put(sheet, top, i, column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill(fill_type="solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(i)].width = widths[i - 1] + 2
    header_lines = max(_lines(column.header, widths[i] + 2) for i, column in enumerate(columns))
    if header_lines > 1:  # a header wrapped at its spaces: its row grows as the others do
        sheet.row_dimensions[top].height = LINE_HEIGHT * header_lines
    for r, line in enumerate(values, top + 1):
        lines = 1
        for i, (column, value) in enumerate(zip(columns, line, strict=True), 1):
            cell = _put(sheet, r, i, value)
            if column.kind == "rag" and value:
                _colour(cell, value)
            wrapped = isinstance(value, str) and column.kind in ("text", "long")
            cell.alignment = Alignment(wrap_text=wrapped, vertical="top")
            if wrapped:
                lines = max(lines, _lines(value, widths[i - 1] + 2))
        if lines > 1:  # neither Excel nor LibreOffice grows a row for wrapped text that openpyxl wrote
            sheet.row_dimensions[r].height = LINE_HEIGHT * lines
    last = get_column_letter(len(columns))
    sheet.freeze_panes = f"A{top + 1}"
    sheet.auto_filter.ref = f"A{top}:{last}{top + max(len(rows), 1)}"
    sheet.print_title_rows = f"{top}:{top}"
    if repeat and sum(w + 2 for w in widths) > WIDEST_SHEET:
        sheet.print_title_cols = f"A:{get_column_letter(repeat)}"


MIN_PRINT_SCALE = 73
"""Per cent: Calibri 11 at 73% prints at 8 pt, the least a Board member can read."""
PRINTABLE_WIDTH = 112
"""Column-width units (characters) that print across A4 landscape inside 0.4-inch margins at
100%. Measured through LibreOffice: 110 units fit and 120 ran on to a second page; sheets at
116-118 units after scaling also ran on, so this leaves a little room."""
WIDEST_SHEET = PRINTABLE_WIDTH * 100 // MIN_PRINT_SCALE
"""The most column-width units a sheet may use to print one page wide at 8 pt or more."""
NARROWEST: dict[Kind, int] = {"long": 14, "text": 9}
"""How far text columns give way, widest first, when a sheet is wider than `WIDEST_SHEET`."""
LONG_ACROSS = 30
"""The width of long text in a sheet that prints on to pages across anyway."""


def fit_widths(widths: Sequence[int], kinds: Sequence[Kind]) -> list[int]:
    """Column widths (each printed 2 wider) that fit `WIDEST_SHEET`: the widest text column is
    narrowed first, one character at a time, down to `NARROWEST`; its text wraps instead, so a
    sheet prints one page wide rather than shrink below 8 pt. Ids, dates, numbers and RAGs keep
    their width. When even that is too wide, the widths as they were, long text at `LONG_ACROSS`."""
    fitted = list(widths)
    while sum(w + 2 for w in fitted) > WIDEST_SHEET:
        narrowable = [i for i, kind in enumerate(kinds) if fitted[i] > NARROWEST.get(kind, fitted[i])]
        if not narrowable:
            # It cannot fit: it prints on to pages across at 8 pt. Long text a little narrower
            # keeps that to two (the Actions sheet: three at 40); squeezed further, it would
            # only make the sheet longer.
            return [min(w, LONG_ACROSS) if kind == "long" else w for w, kind in zip(widths, kinds, strict=True)]
        widest = max(narrowable, key=lambda i: (fitted[i], -i))
        fitted[widest] -= 1
    return fitted


def _print_setup(sheet: Worksheet, service: str, today: date, pack: str = "Board pack") -> None:
    """A4 landscape at a readable scale, with the service and the as-at date in the header and
    footer, and the page number and count."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    from openpyxl.utils import get_column_letter

    used = sum(sheet.column_dimensions[get_column_letter(i)].width or 13 for i in range(1, sheet.max_column + 1))
    # A set scale, not "fit to page": fitted, LibreOffice printed sheets that `fit_widths` had
    # narrowed at 60-63%, under 7 pt. A sheet still too wide runs on across at 8 pt.
    sheet.page_setup.scale = max(MIN_PRINT_SCALE, min(100, int(100 * PRINTABLE_WIDTH / max(used, 1))))
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")  # fmt: skip
    as_at = f"as at {today.day} {months[today.month - 1]} {today.year}"
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None
    assert footer is not None
    header.left.text = f"{service} {pack}".strip().replace("&", "&&") + f": {sheet.title}".replace("&", "&&")
    header.right.text = as_at
    footer.left.text = f"{service} · {as_at}".replace("&", "&&")
    footer.right.text = "Page &P of &N"


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 11
    return len(str(value))


def _lines(text: str, width: int) -> int:
    """About how many lines `text` wraps to in a column `width` characters wide."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell; a text is always a string cell, never a formula or an error value."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if len(text) > MAX_CELL_TEXT:
            text = text[: MAX_CELL_TEXT - 1] + "…"
        cell.value = text
        cell.data_type = "s"  # openpyxl would make `=...` a formula and `#N/A` an error
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # and so would Excel, when someone edits the cell
    elif isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
    return cell


def _colour(cell: Any, rag: str) -> None:
    from openpyxl.styles import Font, PatternFill

    fill, ink = RAG_COLOURS.get(rag, ("#666666", "#ffffff"))
    cell.fill = PatternFill(fill_type="solid", fgColor=fill.lstrip("#").upper())
    cell.font = Font(bold=cell.font.bold, color=ink.lstrip("#").upper())


ZIP_LAST_DAY = date(2107, 12, 31)
"""A zip entry's timestamp is an MS-DOS date: its year is 1980 plus 7 bits, so 2107 is the last."""


def _save(workbook: Workbook, today: date) -> bytes:
    """The workbook's bytes, the same for the same content and day."""
    from openpyxl.writer.excel import ExcelWriter

    if today > ZIP_LAST_DAY:
        raise SpreadsheetError(
            f"cannot export as at {today.isoformat()}: an .xlsx workbook is a zip file, whose dates end on "
            f"{ZIP_LAST_DAY.isoformat()}; give --today {ZIP_LAST_DAY.isoformat()} or earlier"
        )
    stamp = datetime.combine(today, time())
    workbook.properties.creator = "yotplan"
    workbook.properties.title = "Board pack"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.lastModifiedBy = None
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # not save_workbook(): it stamps `modified` with the clock
    # zipfile stamps each entry with the clock too: write them again with the as-at date.
    out = io.BytesIO()
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry))
    return out.getvalue()


def write_workbook(path: Path, data: bytes) -> None:
    """Write the workbook to `path` atomically (a temporary file, then a rename); replaces an older
    one, or a link, never the file a link points to."""
    shown = display_path(path)
    if path.suffix.lower() != ".xlsx":
        raise SpreadsheetError(f"{shown}: the Board pack is an .xlsx workbook; give -o a name ending in .xlsx")
    if path.is_dir():
        raise SpreadsheetError(f"{shown} is a folder; give -o a file name ending in .xlsx")
    if not path.parent.is_dir():
        raise SpreadsheetError(f"{shown}: the folder {display_path(path.parent)} does not exist; create it first")
    write_output(path, data, shown)  # atomic, and never through a link (SECURITY.md, "Outputs")
