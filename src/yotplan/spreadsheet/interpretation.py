"""Interpretation: the rows of an action-plan sheet read as recommendations, actions and owners.

Every row that holds an action is placed: in a council's plan each row is a commitment someone
made, and hiding one is worse than keeping it with a question. So:

- the recommendation of a row is its Ref (or, without a Ref column, its text); a merged cell
  or a repeated text keeps the following rows under the same recommendation, a sub-ref such as
  `(1a)` or `1.2` stays under recommendation 1, and a row with neither stays under the one above;
- each row with an action text is an action (a row with a recommendation, a lead or a date but no
  action text is one too, titled with its recommendation);
- what cannot be read for sure is kept as the sheet wrote it and flagged: a date that is not a
  date makes an undated action (`to-be-confirmed`), a status that is not a status word becomes a
  progress update and the status comes from clear words in it, or is not-started for review;
- only blank rows, hidden rows, notes and keys, and repeated header rows are left out, and
  counted by kind; a row is "not placed" (exit 1) only when no recommendation can hold it.

Everything that is a guess is said three ways: in `ImportedPlan.flags` (grouped by kind, with
the row, for the command to print), as comments at the action in the written plan (the sheet's
own text), and as `review:` notes, undated actions and owner names that `yotplan check` warns
about until a person fixes them. Nothing here writes a file or reads the clock.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from yotplan.plans.vocabulary import DateText, parse_date_text, parse_status_word, status_in_free_text
from yotplan.spreadsheet.cells import RAG_STATUS, clean_text, looks_like_person, owner_key, read_date, read_rag
from yotplan.spreadsheet.columns import Header, find_header, header_key, with_field
from yotplan.spreadsheet.errors import BadOption
from yotplan.spreadsheet.reading import Row, Sheet

UNKNOWN_AGENCY = "Not recorded in the spreadsheet"
NO_LEAD_KEY = "lead-not-recorded"
NO_LEAD_ROLE = "Lead not recorded in the spreadsheet"
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_FULL_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]+")
"""A ref that is already an id (HMIP-1, LGA-a) is kept as it is, e.g. from a workbook yotplan exported."""
_SUB_REF = re.compile(r"\(?\s*(?P<number>\d+)\s*(?:[.)]\s*|\(\s*)?(?P<sub>[a-z]{1,2}|\d{1,2})\s*\)?", re.I)
"""`(1a)`, `1a`, `1.a`, `1(a)`, `1.2`: an action under recommendation 1."""
_LEADING_SUB_REF = re.compile(r"\(\s*(?P<number>\d+)\s*(?P<sub>[a-z]{1,2})\s*\)", re.I)
_NOTE_ROW = re.compile(r"(?:key|notes?|nb|n\.b\.)(?:\s*[:\-–]|$)|\*", re.I)
_UPDATED = re.compile(
    r"(?:last\s+)?(?:updated|reviewed|revised)(?:\s+on)?\b|as\s+at\b|as\s+of\b|date\s+(?:of\s+)?(?:last\s+)?update\b",
    re.I,
)
_DATE_IN_TEXT = re.compile(
    r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4}"
    r"|[A-Za-z]{3,9}\.?\s+\d{4}"
)
_ACTION_FIELDS = ("owner", "due", "completed", "evidence", "measure")
"""A row with any of these and no action text is an action (titled with its recommendation)."""
_REC_ROW_FIELDS = ("status", "rag", "update")
"""On a recommendation's own row, these describe the recommendation: kept as a comment there."""

StatusSource = Literal["status", "rag", "none"]
FLAG_HEADINGS: dict[str, str] = {
    "column": "columns read by what they hold",
    "date-words": "dates read from words (a month or a quarter is its last day)",
    "undated": "actions with no date (ongoing, or to be confirmed)",
    "date-unreadable": "dates that could not be read (to be confirmed; the sheet's text is in the plan)",
    "status-text": "statuses read from progress text (the text is a dated update)",
    "status-unclear": "statuses not clear (not started, for review; the text is a dated update)",
    "rag-colour": "RAG read from a cell's fill colour",
    "no-lead": "actions with no lead (owner lead-not-recorded, for review)",
    "person": "leads that read as a person's name (check warns until it names a role)",
    "completed-late": "completed dates after the as-of date (set to the as-of date, for review)",
    "completed-unreadable": "completed dates that could not be read (for review)",
    "recommendation": "recommendations that needed a guess (for review)",
    "no-action-text": "rows with no action text (titled with their recommendation, for review)",
    "same-owner": "leads written differently that are one owner",
    "rec-row": "recommendations' own rows with a status or progress (kept as a comment at the recommendation)",
}
"""What the import flags, in the order the command prints it."""
FOR_REVIEW = frozenset(
    {"date-unreadable", "status-unclear", "no-lead", "person", "completed-late", "completed-unreadable"}
    | {"recommendation", "no-action-text"}
)
"""Flags that leave something `check` warns about: a `review:` note, or a person's name."""
SKIP_KINDS: tuple[tuple[str, str, str], ...] = (
    ("blank", "blank", "blank"),
    ("hidden", "hidden", "hidden"),
    ("notes", "note or key", "notes or keys"),
    ("header", "repeated header", "repeated headers"),
)


@dataclass(frozen=True, slots=True)
class ImportOptions:
    today: date
    as_of: date | None = None
    """`--as-of`: the day the sheet was last true; else a date its title block states, else the file's modified date."""
    source_id: str | None = None
    source_title: str | None = None
    sheets: tuple[str, ...] = ()
    """`--sheet`, repeatable: each sheet is its own source. Empty: the sheet that opens first."""
    overrides: tuple[tuple[str, str], ...] = ()
    """(header key, field) pairs from `--map`, see `columns.parse_override`."""
    delimiter: str | None = None
    encoding: str | None = None

    @property
    def sheet(self) -> str | None:
        return self.sheets[0] if self.sheets else None


@dataclass(slots=True)
class ActionDraft:
    row: int
    title: str
    owner: str
    status: str
    due: date | None = None
    undated: str | None = None
    completed: date | None = None
    measure: str | None = None
    updates: list[str] = field(default_factory=list)
    """Progress texts, dated with the plan's as-of date."""
    evidence: str | None = None
    lead: str = ""
    """The lead as the sheet writes it; `owner` is its key."""
    ref: str = ""
    id: str = ""
    review: list[str] = field(default_factory=list)
    """What a person should check: written as `review:`, which `check` warns about."""
    comments: list[str] = field(default_factory=list)
    """The sheet's own text where it was read as something else, written as comments at the action."""


@dataclass(slots=True)
class RecommendationDraft:
    row: int
    ref: str
    text: str
    id: str = ""
    actions: list[ActionDraft] = field(default_factory=list)
    lead: str = ""
    """Its owner as the sheet writes it, when the sheet has a column for that; else its first action's lead."""
    lead_row: int = 0
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OwnerDraft:
    key: str
    role: str
    row: int
    person: bool


@dataclass(slots=True)
class ImportedPlan:
    """What a sheet holds as a plan, and everything said about how it was read."""

    sheet: Sheet
    header: Header
    source_id: str
    source_title: str
    kind: str
    as_at: date
    as_at_reason: str
    status_source: StatusSource
    recommendations: list[RecommendationDraft] = field(default_factory=list)
    owners: dict[str, OwnerDraft] = field(default_factory=dict)
    flags: list[tuple[str, int, str]] = field(default_factory=list)
    """(kind, row, message): what was read with a guess, by FLAG_HEADINGS kind."""
    not_placed: list[tuple[int, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    done_without_date: int = 0
    blank_status: int = 0

    @property
    def actions(self) -> list[ActionDraft]:
        return [a for rec in self.recommendations for a in rec.actions]

    def flag(self, kind: str, row: int, message: str) -> None:
        self.flags.append((kind, row, message))

    def grouped(self) -> list[tuple[str, list[str]]]:
        """(heading, `FILE:ROW: message` lines) for each kind of flag, in FLAG_HEADINGS order, rows in order."""
        groups: list[tuple[str, list[str]]] = []
        for kind, heading in FLAG_HEADINGS.items():
            found = sorted((row, message) for k, row, message in self.flags if k == kind)
            if found:
                groups.append((heading, [f"{self.sheet.shown}:{row}: {message}" for row, message in found]))
        return groups

    def not_placed_lines(self) -> list[str]:
        return [f"{self.sheet.shown}:{row}: {why}" for row, why in sorted(self.not_placed)]

    @property
    def skipped_text(self) -> str:
        """ "2 blank, 1 hidden, 1 note or key": the rows skipped, by why."""
        return ", ".join(
            f"{self.skipped[key]} {one if self.skipped[key] == 1 else many}"
            for key, one, many in SKIP_KINDS
            if self.skipped[key]
        )

    @property
    def flagged(self) -> int:
        return sum(1 for kind, _, _ in self.flags if kind in FOR_REVIEW)

    @property
    def counts(self) -> str:
        skipped = sum(self.skipped.values())
        parts = self.skipped_text
        line = (
            f"{_plural(len(self.recommendations), 'recommendation')}, {_plural(len(self.actions), 'action')}, "
            f"{_plural(len(self.owners), 'owner')}; {_plural(skipped, 'row')} skipped"
            + (f" ({parts})" if parts else "")
            + f"; {self.flagged} flagged for review"
        )
        return line + (f"; {_plural(len(self.not_placed), 'row')} not placed" if self.not_placed else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# Reading the sheet ---------------------------------------------------------------------


def check_source_id(source_id: str) -> str:
    """A `--source-id` as given, or BadOption: it names the plan file, so letters, digits, `-`, `_`, `.`."""
    if not _SOURCE_ID.fullmatch(source_id) or source_id.casefold() in ("owners", "owners.yaml"):
        raise BadOption(f"{source_id!r} cannot be a source id: use letters, digits and '-', e.g. HMIP", "--source-id")
    return source_id


def default_source_id(path: Path) -> str:
    """The file name as an upper-case slug: "Torbay action plan.xlsx" -> TORBAY-ACTION-PLAN."""
    return owner_key(path.stem).upper() or "IMPORT"


def source_kind(title: str) -> str:
    """The source's kind as its title says it; `other` unless it names one."""
    words = " ".join(re.findall(r"[a-z]+", title.casefold()))
    if "peer review" in words:
        return "peer-review"
    if "improvement review" in words:
        return "improvement-review"
    if "self assessment" in words:
        return "self-assessment"
    if "inspection" in words:
        return "inspection"
    return "other"


def plan_from_sheet(sheet: Sheet, options: ImportOptions, modified: date | None = None) -> ImportedPlan:
    """Read the sheet's rows into a plan; never raises for a row, only for the sheet as a whole.

    `modified` is the file's modified date, the as-of date when neither `--as-of` nor the title
    block gives one.
    """
    header = find_header(sheet, options.overrides)
    start = sheet.rows.index(header.row)
    header, column_notes = _status_column_by_content(header, sheet.rows[start + 1 :], {k for k, _ in options.overrides})
    title, updated = _title_block(sheet.rows[:start])
    as_at, as_at_reason = _as_at(options.as_of, updated, modified, options.today)
    status_source: StatusSource = "status" if "status" in header.fields else "rag" if "rag" in header.fields else "none"
    source_title = options.source_title or title or sheet.path.name
    plan = ImportedPlan(
        sheet=sheet,
        header=header,
        source_id=check_source_id(options.source_id) if options.source_id else default_source_id(sheet.path),
        source_title=source_title,
        kind=source_kind(source_title),
        as_at=as_at,
        as_at_reason=as_at_reason,
        status_source=status_source,
    )
    for note in column_notes:
        plan.flag("column", header.row.number, note)
    _Reader(plan).read(sheet.rows[start + 1 :])
    return plan


def _status_column_by_content(header: Header, rows: list[Row], mapped: set[str]) -> tuple[Header, list[str]]:
    """A column is read by what it holds, not only by its header: a "Progress" column of status words
    is the status (when there is none), and a "Status" column of paragraphs is progress notes (when
    there are none). A column named by --map is read as it says."""
    notes: list[str] = []
    for name, other in (("update", "status"), ("status", "update")):
        index = header.index(name)
        if index is None or other in header.fields or header_key(header.title(name)) in mapped:
            continue
        texts = [t for r in rows if not r.hidden and (t := clean_text(r.value(index)))]
        if not texts:
            continue
        words = sum(1 for t in texts if parse_status_word(t) is not None or _rag_word(t))
        if name == "update" and words >= 0.6 * len(texts):
            header = with_field(header, index, "status")
            notes.append(f"column {header.title('status')!r} holds status words, so it is read as the status")
        elif name == "status" and words < 0.4 * len(texts):
            header = with_field(header, index, "update")
            notes.append(
                f"column {header.title('update')!r} holds text, not status words, so it is read as progress notes"
            )
    return header, notes


def _rag_word(text: str) -> bool:
    try:
        return read_rag(text, None) is not None
    except ValueError:
        return False


def _title_block(rows: list[Row]) -> tuple[str | None, tuple[int, date] | None]:
    """The title (the first text above the header) and the date the block says it was updated, with its row."""
    title: str | None = None
    updated: tuple[int, date] | None = None
    for row in rows:
        texts = [clean_text(v) for v in row.values]
        for i, text in enumerate(texts):
            if not text:
                continue
            label = _UPDATED.search(text)
            if label and updated is None:
                rest = text[label.end() :].lstrip(" :-–")
                value: object = rest or next((row.values[j] for j in range(i + 1, len(texts)) if texts[j]), None)
                day = _date_in(value)
                if day is not None:
                    updated = (row.number, day)
                    if label.start() > 0 and title is None:
                        title = text[: label.start()].rstrip(" ,;:-–(")
                    continue
            if title is None and isinstance(row.values[i], str):
                title = text
    return title, updated


def _date_in(value: object) -> date | None:
    try:
        found = read_date(value).day
    except ValueError:
        found = None
    if found is None and isinstance(value, str):
        for match in _DATE_IN_TEXT.finditer(value):
            try:
                found = parse_date_text(match.group()).day
            except ValueError:
                continue
            if found is not None:
                break
    return found


def _as_at(
    as_of: date | None, updated: tuple[int, date] | None, modified: date | None, today: date
) -> tuple[date, str]:
    """The as-of date and why: `--as-of`, else the title block's date, else the file's modified date."""
    if as_of is not None:
        day, reason = as_of, "the --as-of date"
    elif updated is not None:
        day, reason = updated[1], f"the date the sheet says it was updated (row {updated[0]})"
    elif modified is not None:
        day, reason = modified, "the spreadsheet file's modified date (give --as-of to say when the sheet was true)"
    else:
        day, reason = today, "the import's --today (the sheet states no date; give --as-of)"
    if day > today:
        return today, f"--today ({today}), as {reason}, {day}, is later"
    return day, reason


class _Reader:
    """One pass over the data rows, filling an ImportedPlan."""

    def __init__(self, plan: ImportedPlan) -> None:
        self.plan = plan
        self.header = plan.header
        self.col = {f: plan.header.index(f) for f in plan.header.fields}
        self.by_key: dict[str, RecommendationDraft] = {}
        self.order: list[RecommendationDraft] = []
        self.current: RecommendationDraft | None = None
        self.header_keys = [header_key(clean_text(v)) for v in plan.header.row.values]
        self.pending: list[str] = []
        """Review notes about the row's recommendation, for the action the row makes."""
        self.reserved: set[str] = set()
        """The ids the sheet's own refs will make: a recommendation numbered for want of a ref avoids them."""

    def read(self, rows: list[Row]) -> None:
        self.reserved = {
            _rec_id(self.plan.source_id, _main_ref(ref)).casefold() for r in rows if (ref := self._text(r, "ref"))
        }
        action_col = self.col["action"]
        last_action = max((r.number for r in rows if not r.hidden and clean_text(r.value(action_col))), default=0)
        for row in rows:
            under, one_cell, note = row.number > last_action, row.own == 1, _is_note(row)
            if row.hidden:
                self.plan.skipped["hidden"] += 1
            elif row.blank:
                self.plan.skipped["blank"] += 1
            elif self._repeated_header(row):
                self.plan.skipped["header"] += 1
            elif (under and (one_cell or note)) or (one_cell and note):
                self.plan.skipped["notes"] += 1  # a key or notes under the table, or a one-cell "Note:" row
            else:
                self._row(row)
        self._finish()

    def _repeated_header(self, row: Row) -> bool:
        keys = [header_key(clean_text(v)) for v in row.values]
        same = sum(1 for a, b in zip(keys, self.header_keys, strict=False) if a and a == b)
        return same >= 2 and same >= sum(1 for k in keys if k) - 1

    # One row ------------------------------------------------------------------------

    def _text(self, row: Row, name: str) -> str:
        return clean_text(row.value(self.col.get(name)))

    def _row(self, row: Row) -> None:
        self.pending = []
        rec, sub_ref = self._recommendation(row)
        if rec is None:
            return
        self.current = rec
        lead = self._text(row, "rec-owner")
        if lead and owner_key(lead) and not rec.lead:
            rec.lead, rec.lead_row = lead, row.number
        title = self._text(row, "action")
        if not title:
            if not any(self._text(row, name) for name in _ACTION_FIELDS) and not sub_ref:
                said = [f"{self.header.title(n)} {self._text(row, n)!r}" for n in _REC_ROW_FIELDS if self._text(row, n)]
                if said:
                    rec.comments.append(f"row {row.number} of the spreadsheet also says: {'; '.join(said)}")
                    self.plan.flag("rec-row", row.number, "; ".join(said))
                return  # a recommendation's own row, its actions below
            title = rec.text or f"Recommendation {rec.ref}"
            action = self._action(row, title)
            action.review.append("title: the row has no action text, so its recommendation's text is the title")
            self.plan.flag("no-action-text", row.number, f"no action text; titled {_short(title)!r}")
        else:
            action = self._action(row, title)
        action.review.extend(self.pending)
        action.ref = self._text(row, "action-ref") or sub_ref
        if sub_ref:
            action.comments.append(f"the spreadsheet's ref: {sub_ref}")
        rec.actions.append(action)

    def _recommendation(self, row: Row) -> tuple[RecommendationDraft | None, str]:
        """The recommendation a row belongs to, and the row's sub-ref (`(1a)`) when it has one."""
        ref = self._text(row, "ref")
        text = self._text(row, "recommendation")
        sub_ref = ""
        if ref and (match := _SUB_REF.fullmatch(ref)):
            sub_ref, ref = ref, match["number"]
        elif not ref and (match := _LEADING_SUB_REF.match(self._text(row, "action"))):
            sub_ref = match.group()
            if self.current is None or _number(self.current.ref) != match["number"]:
                ref = match["number"] if "ref" in self.col else ""
        if ref:
            rec_id = _rec_id(self.plan.source_id, ref)
            if not rec_id:
                rec_id = self._next_number()
                self.plan.flag("recommendation", row.number, f"ref {ref!r} has no letter or digit; numbered {rec_id}")
                self.pending.append(f"recommendation: its ref {ref!r} has no letter or digit; numbered {rec_id}")
            found = self.by_key.get(rec_id.casefold())
            if found is None:
                return self._new(row, ref, text, rec_id), sub_ref
            if text and found.text and text.casefold() != found.text.casefold():
                self.plan.flag(
                    "recommendation",
                    row.number,
                    f"its recommendation text differs from that of ref {ref!r} (row {found.row}); "
                    "placed under that ref, the text kept as a comment",
                )
                found.comments.append(f"row {row.number} of the spreadsheet gives this text: {text}")
                self.pending.append(f"recommendation: this row gives it another text: {_short(text, 80)!r}")
            found.text = found.text or text
            return found, sub_ref
        if text:
            if self.current is not None and self.current.text.casefold() == text.casefold():
                return self.current, sub_ref  # the text repeated on each of its actions' rows
            known = self.by_key.get(text.casefold())
            if known is not None:
                return known, sub_ref
            rec_id = self._next_number() if "ref" in self.col else ""
            if rec_id:
                self.plan.flag(
                    "recommendation",
                    row.number,
                    f"a new recommendation with no {self.header.title('ref')!r}; numbered {rec_id}",
                )
                self.pending.append(f"recommendation: the spreadsheet gives it no ref; numbered {rec_id}")
            return self._new(row, "", text, rec_id), sub_ref
        if self.current is None:
            self.plan.not_placed.append(
                (row.number, "no recommendation on or above this row; fill in its ref and recommendation")
            )
        return self.current, sub_ref

    def _next_number(self) -> str:
        n = len(self.order) + 1
        while (
            f"{self.plan.source_id}-{n}".casefold() in self.by_key
            or f"{self.plan.source_id}-{n}".casefold() in self.reserved
        ):
            n += 1
        return f"{self.plan.source_id}-{n}"

    def _new(self, row: Row, ref: str, text: str, rec_id: str) -> RecommendationDraft:
        rec = RecommendationDraft(row.number, ref, text, rec_id)
        self.by_key[(rec_id or text).casefold()] = rec
        self.order.append(rec)
        return rec

    def _action(self, row: Row, title: str) -> ActionDraft:
        lead = self._text(row, "owner")
        action = ActionDraft(row=row.number, title=title, owner=owner_key(lead), status="not-started", lead=lead)
        if not action.owner:
            action.owner, action.lead = NO_LEAD_KEY, NO_LEAD_ROLE
            said = f"the spreadsheet says {lead!r}, which" if lead else "the spreadsheet"
            action.review.append(f"owner: {said} names no lead; set the role that leads it")
            self.plan.flag("no-lead", row.number, f"no lead in the {self.header.title('owner')!r} column")
        self._due(row, action)
        if progress := self._text(row, "update"):
            action.updates.append(progress)
        action.measure = self._text(row, "measure") or None
        action.evidence = self._text(row, "evidence") or None
        self._status(row, action)
        self._completed(row, action)
        return action

    def _due(self, row: Row, action: ActionDraft) -> None:
        value = row.value(self.col.get("due"))
        title = self.header.title("due")
        try:
            read: DateText = read_date(value)
        except ValueError as exc:
            written = clean_text(value)
            action.undated = "to-be-confirmed"
            action.comments.append(f"due: the spreadsheet says {written!r}")
            action.review.append(f"due: the spreadsheet says {written!r}, which is not a date; set the date")
            self.plan.flag("date-unreadable", row.number, f"{title} {exc}")
            return
        if read.day is None:
            action.undated = read.undated
            shown = f"{read.written!r}" if read.written else "blank"
            said = f"says {shown}" if read.written else "leaves it blank"
            action.comments.append(f"due: the spreadsheet {said}: {read.undated}")
            self.plan.flag("undated", row.number, f"{title} {shown}: undated, {read.undated}")
            return
        action.due = read.day
        if read.form in ("month-year", "quarter"):
            action.comments.append(f"due: the spreadsheet says {read.written!r}, the last day of that {_period(read)}")
            self.plan.flag("date-words", row.number, read.how)

    def _status(self, row: Row, action: ActionDraft) -> None:
        source = self.plan.status_source
        text = self._text(row, source) if source != "none" else ""
        if source == "rag" and not text:
            column = self.col["rag"]
            rag = read_rag(None, row.colour(column))
            if rag:
                self.plan.flag("rag-colour", row.number, f"RAG read from the cell's fill colour: {rag}")
                action.comments.append(f"status: from the RAG cell's colour, {rag}")
                action.status = RAG_STATUS[rag]
            return
        if source == "status" and not text:
            self.plan.blank_status += 1
            return
        if text:
            word = parse_status_word(text)
            if word is not None:
                action.status = word
                return
            try:  # a RAG word not in the status vocabulary ("orange")
                rag = read_rag(text, None)
            except ValueError:
                rag = None
            if rag:
                action.status = RAG_STATUS[rag]
                return
            action.updates.insert(0, text)  # free text in the status column: a progress note
        progress = " ".join(action.updates)
        if not progress:
            return  # nothing says anything: not started (or done by a completed date, below)
        clear = status_in_free_text(progress)
        if clear is not None:
            action.status = clear
            self.plan.flag("status-text", row.number, f"{clear} from {_short(progress)!r}")
        else:  # the sheet says something of its progress, but nothing clear
            said = text or progress
            if text:  # from the status column; progress text is kept whole as the update
                action.comments.append(f"status: the spreadsheet says {_short(text, 120)!r}")
            action.review.append("status: nothing in the spreadsheet's words is a clear status; read as not-started")
            self.plan.flag("status-unclear", row.number, f"{_short(said)!r}: not-started until checked")

    def _completed(self, row: Row, action: ActionDraft) -> None:
        value = row.value(self.col.get("completed"))
        completed: date | None = None
        if clean_text(value):
            try:
                completed = read_date(value).day
            except ValueError:
                completed = None
            if completed is None:
                action.comments.append(f"completed: the spreadsheet says {clean_text(value)!r}")
                if action.status == "done":
                    action.review.append("completed: the spreadsheet's completed date is not a date")
                    self.plan.flag("completed-unreadable", row.number, f"{clean_text(value)!r} is not a date")
            elif self.plan.status_source == "none" and action.status == "not-started":
                action.status = "done"  # a completed date, and nothing else says otherwise
        if action.status != "done":
            return
        if completed is None:
            completed = self.plan.as_at
            self.plan.done_without_date += 1
        elif completed > self.plan.as_at:
            action.comments.append(f"completed: the spreadsheet says {completed}, after the as-of date")
            action.review.append(f"completed: the spreadsheet says {completed}, after the as-of date {self.plan.as_at}")
            self.plan.flag("completed-late", row.number, f"{completed} is after {self.plan.as_at}")
            completed = self.plan.as_at
        action.completed = completed

    def _register_owner(self, lead: str, row: int) -> None:
        key = NO_LEAD_KEY if lead == NO_LEAD_ROLE else owner_key(lead) or NO_LEAD_KEY
        known = self.plan.owners.get(key)
        if known is None:
            person = key != NO_LEAD_KEY and looks_like_person(lead)
            self.plan.owners[key] = OwnerDraft(key, lead, row, person)
            if person:
                self.plan.flag(
                    "person",
                    row,
                    f"lead {lead!r} looks like a person's name; owners are roles and owners.yaml must hold no "
                    f"personal data: replace owner {key!r} with the role",
                )
        elif known.role != lead:
            self.plan.flag("same-owner", row, f"lead {lead!r} is the same owner as {known.role!r} (row {known.row})")

    # Ids ----------------------------------------------------------------------------

    def _finish(self) -> None:
        numbered = "ref" not in self.col
        used: set[str] = set()
        for rec in self.order:
            if not rec.actions:  # kept whole: one action, to be confirmed, for a person to plan
                name = f"ref {rec.ref!r}" if rec.ref else repr(_short(rec.text))
                self.plan.flag(
                    "recommendation", rec.row, f"recommendation {name} has no action rows; given one, to be confirmed"
                )
                lead = rec.lead or NO_LEAD_ROLE
                rec.actions.append(
                    ActionDraft(
                        row=rec.row,
                        title=rec.text or f"Recommendation {rec.ref}",
                        owner=owner_key(lead) if lead != NO_LEAD_ROLE else NO_LEAD_KEY,
                        status="not-started",
                        undated="to-be-confirmed",
                        lead=lead,
                        review=["action: the spreadsheet gives this recommendation no action; plan one, with its lead"],
                    )
                )
            if not rec.text:
                rec.text = f"Recommendation {rec.ref} (the spreadsheet gives no text)"
                rec.comments.append("text: the spreadsheet gives no text for this recommendation")
                for action in rec.actions:
                    action.review.append("recommendation: the spreadsheet gives its recommendation no text")
                self.plan.flag("recommendation", rec.row, f"ref {rec.ref!r} has no recommendation text")
            self.plan.recommendations.append(rec)
            if numbered:
                rec.id = f"{self.plan.source_id}-{len(self.plan.recommendations)}"
            used.add(rec.id.casefold())
        for rec in self.plan.recommendations:
            self._action_ids(rec, used)
            if rec.lead:
                self._register_owner(rec.lead, rec.lead_row)
            for action in rec.actions:
                self._register_owner(action.lead, action.row)

    def _action_ids(self, rec: RecommendationDraft, used: set[str]) -> None:
        prefix = f"{rec.id}."
        for action in rec.actions:
            candidates = [action.ref, f"{self.plan.source_id}-{action.ref}"] if action.ref else []
            given = next((c for c in candidates if c.casefold().startswith(prefix.casefold()) and " " not in c), None)
            if given and given.casefold() not in used:
                action.id = given
                used.add(given.casefold())
        n = 0
        for action in rec.actions:
            if action.id:
                continue
            n += 1
            while f"{prefix}{n}".casefold() in used:
                n += 1
            action.id = f"{prefix}{n}"
            used.add(action.id.casefold())


def _period(read: DateText) -> str:
    return "quarter" if read.form == "quarter" else "month"


def _main_ref(ref: str) -> str:
    """The recommendation's part of a ref: `1` of `(1a)`, the ref itself otherwise."""
    match = _SUB_REF.fullmatch(ref)
    return match["number"] if match else ref


def _number(ref: str) -> str:
    match = re.match(r"\D*(\d+)", ref)
    return match[1] if match else ""


def _is_note(row: Row) -> bool:
    text = next((clean_text(v) for v in row.values if clean_text(v)), "")
    return bool(_NOTE_ROW.match(text))


def _rec_id(source_id: str, ref: str) -> str:
    """`SOURCE-ref`, with the ref made into an id (spaces to `-`, other punctuation dropped); a ref
    that is already an id (`HMIP-1`) as it is."""
    if _FULL_ID.fullmatch(ref):
        return ref
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "", re.sub(r"\s+", "-", ref)).strip(".-_")
    return f"{source_id}-{cleaned}" if cleaned else ""


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_sentence(plan: ImportedPlan) -> str:
    """Where the statuses came from, in one sentence (for the file's comment and the command's output)."""
    header = plan.header
    free = (
        "; text that is not a status word becomes a dated progress update, and the status comes from clear words "
        "in it (action completed, not yet started, in progress), else it is not started and flagged"
    )
    if plan.status_source == "status":
        return f"Status: from the {header.title('status')!r} column{free}" + (
            "; a blank status is not started." if plan.blank_status else "."
        )
    if plan.status_source == "rag":
        return (
            f"Status: the sheet has no status column, so it comes from the {header.title('rag')!r} column: "
            "blue (complete) is done; red, amber and green are in progress; status words (not started, on track) "
            f"are read as such; blank is not started{free}. A RAG is a judgement, not a status: check each one."
        )
    update = f" or from clear words in the {header.title('update')!r} column" if "update" in header.fields else ""
    return (
        f"Status: the sheet has no status or RAG column: an action is done when it has a completed date{update} "
        "(action completed, not yet started, in progress), else not started."
    )
