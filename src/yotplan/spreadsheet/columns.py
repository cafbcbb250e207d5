"""Finding the header row of an action-plan sheet and what each of its columns holds.

The header is rarely on row 1: a title block comes first. The first rows are searched for the
one whose cells name the most fields; `--map HEADER=field` overrides any guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from yotplan.spreadsheet.cells import clean_text
from yotplan.spreadsheet.errors import BadOption, SpreadsheetError
from yotplan.spreadsheet.reading import Row, Sheet

HEADER_SEARCH_ROWS = 10

FIELDS: dict[str, str] = {
    "ref": "the recommendation's reference (1, 2a, R3, HMIP-1)",
    "recommendation": "the recommendation's text",
    "rec-owner": "who owns the recommendation (default: the lead of its first action)",
    "action-ref": "the action's reference (kept as its id when it extends the recommendation's: HMIP-1.2)",
    "action": "what will be done: the action's title",
    "owner": "who leads the action (a role: Lead, Lead Officer, Responsible)",
    "due": "the target date",
    "status": "progress in words: complete, in progress, not started, blocked, dropped (or RAG words)",
    "rag": "red, amber, green or blue, as text or as the cell's fill colour",
    "completed": "the date the action was done",
    "update": "the latest progress note (its clear words give the status when the sheet has no status)",
    "evidence": "evidence that the action was done",
    "measure": "how success will be judged",
    "none": "leave this column out",
}
"""What `--map HEADER=field` can name, and what each field means."""

REQUIRED = ("recommendation", "action", "owner", "due")
"""Without these columns no action could pass `yotplan check`."""

_Test = Callable[[set[str]], bool]


def _any(*words: str) -> _Test:
    wanted = set(words)
    return lambda tokens: bool(tokens & wanted)


_REF_WORDS = ("ref", "reference", "no", "number", "num", "id", "#")
_DUE = {"target", "deadline", "deadlines", "due", "timescale", "timescales", "timeline", "timeframe", "when", "by"}
_GUESSES: tuple[tuple[str, _Test], ...] = (
    # Order matters: the first test a header passes decides ("RAG status" is RAG, not status;
    # "Planned completion date" and "Target completion date" are due, "Date completed" is completed;
    # "Progress against agreed action and impact monitoring" is an update, never the status;
    # "Action owner" an owner, "Actions to meet the recommendation" the action).
    ("rag", _any("rag", "brag")),
    ("rec-owner", lambda t: bool(t & {"rec", "recommendation"}) and bool(t & {"owner", "lead", "responsible"})),
    ("action-ref", lambda t: "action" in t and bool(t & set(_REF_WORDS))),
    ("ref", lambda t: bool(t & set(_REF_WORDS)) and not t & {"date", "evidence"}),
    ("due", lambda t: bool(t & _DUE) or ("completion" in t and "actual" not in t)),
    ("completed", lambda t: bool(t & {"completed", "achieved"}) or {"actual", "completion"} <= t),
    ("status", lambda t: "status" in t and not t & {"update", "updates", "comment", "comments", "notes"}),
    (
        "update",
        _any("update", "updates", "comment", "comments", "commentary", "note", "notes", "progress", "monitoring"),
    ),
    ("evidence", _any("evidence")),
    ("measure", _any("measure", "measures", "success", "outcome", "outcomes", "impact", "kpi")),
    ("owner", _any("lead", "leads", "owner", "owners", "responsible", "responsibility", "officer", "who", "agency")),
    ("action", _any("action", "actions", "task", "tasks", "activity", "activities", "steps")),
    ("recommendation", lambda t: bool(t & {"recommendation", "recommendations"}) or {"area", "improvement"} <= t),
)


def header_key(text: str) -> str:
    """A header as compared with `--map`: case, spacing and line breaks do not matter."""
    return clean_text(text).casefold()


def guess_field(header: str) -> str | None:
    """The field a header names, or None. "Lead Officer" -> owner, "Target Date" -> due."""
    tokens = set(re.findall(r"[a-z0-9]+|#", header.casefold()))
    if not tokens:
        return None
    return next((field for field, test in _GUESSES if test(tokens)), None)


def parse_override(text: str) -> tuple[str, str]:
    """`HEADER=field` as (header key, field). Raises BadOption naming the fields."""
    header, equals, field = text.rpartition("=")
    field = field.strip().casefold()
    if not equals or not header.strip():
        raise BadOption(f"{text!r} is not HEADER=field (for example 'Lead Officer=owner')", "--map")
    if field not in FIELDS:
        raise BadOption(f"{field!r} is not a field; the fields are: {', '.join(FIELDS)}", "--map")
    return header_key(header), field


@dataclass(frozen=True, slots=True)
class Column:
    index: int
    """0-based position in the row."""
    header: str
    field: str | None
    """The field it is read as; None when it is not used."""
    why_unused: str = ""


@dataclass(frozen=True, slots=True)
class Header:
    """The header row and the mapping of columns to fields."""

    row: Row
    columns: tuple[Column, ...]

    def index(self, field: str) -> int | None:
        return next((c.index for c in self.columns if c.field == field), None)

    def title(self, field: str) -> str:
        """The header text of a field's column, to name it in messages."""
        return next((c.header for c in self.columns if c.field == field), field)

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns if c.field}


def find_header(sheet: Sheet, overrides: Sequence[tuple[str, str]] = ()) -> Header:
    """The header row among the first rows of the sheet, and what each column is.

    Raises SpreadsheetError when no row names enough fields, or a required one is missing,
    and BadOption when an override names a header that the header row does not have.
    """
    override = dict(overrides)
    best: Header | None = None
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
        if row.blank:
            continue
        header = _map_columns(row, override)
        if len(header.fields - {"none"}) >= 2 and (best is None or len(header.fields) > len(best.fields)):
            best = header
    if best is None:
        raise SpreadsheetError(
            f"{sheet.shown}: no header row in the first {HEADER_SEARCH_ROWS} rows (a row with columns such as "
            "Recommendation, Action, Lead, Target date); name the columns with --map 'HEADER=field'"
        )
    present = {header_key(c.header) for c in best.columns}
    for key in override:
        if key not in present:
            raise BadOption(
                f"{sheet.shown}:{best.row.number}: no column headed {key!r} in the header row "
                f"(the headers are: {_headers(best)})",
                "--map",
            )
    for field in REQUIRED:
        if field not in best.fields:
            raise SpreadsheetError(
                f"{sheet.shown}:{best.row.number}: no {field} column among the headers ({_headers(best)}); "
                f"name it with --map 'HEADER={field}'"
            )
    return best


def _headers(header: Header) -> str:
    return ", ".join(repr(c.header) for c in header.columns) or "none"


def _map_columns(row: Row, override: dict[str, str]) -> Header:
    columns: list[Column] = []
    taken: dict[str, str] = {}
    candidates = [(i, clean_text(v)) for i, v in enumerate(row.values) if clean_text(v)]
    forced = {override[header_key(text)] for _, text in candidates if header_key(text) in override} - {"none"}
    for index, text in candidates:
        key = header_key(text)
        if key in override:
            field: str | None = override[key]
        else:
            field = guess_field(text)
            if field in forced:
                columns.append(Column(index, text, None, f"--map gives {field} to another column"))
                continue
        if field == "none":
            columns.append(Column(index, text, None, "--map leaves it out"))
        elif field is None:
            columns.append(Column(index, text, None, "not a field yotplan knows; --map 'HEADER=field' to use it"))
        elif field in taken:
            columns.append(Column(index, text, None, f"{taken[field]!r} is already the {field} column"))
        else:
            taken[field] = text
            columns.append(Column(index, text, field))
    return Header(row, tuple(columns))


def with_field(header: Header, index: int, field: str | None, why_unused: str = "") -> Header:
    """The header with the column at `index` read as `field` (None: not used, and why)."""
    columns = tuple(Column(c.index, c.header, field, why_unused) if c.index == index else c for c in header.columns)
    return Header(header.row, columns)
