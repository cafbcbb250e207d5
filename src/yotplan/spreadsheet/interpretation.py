"""Interpretation: the rows of an action-plan sheet read as recommendations, actions and owners.

- the recommendation of a row is its Ref (or, without a Ref column, its text); a merged cell
  or a repeated text keeps the following rows under the same recommendation, and a row with
  neither stays under the one above;
- each row with an action text is an action;
- blank rows, hidden rows and the notes under the table are skipped and counted.

Everything that is a guess is said, in the lines kept on the ImportedPlan for the command to
print and for `yotplan.spreadsheet.plan_text` to write as comments. Nothing here writes a file.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from yotplan.spreadsheet.cells import (
    RAG_STATUS,
    clean_text,
    looks_like_person,
    owner_key,
    read_date,
    read_rag,
    read_status,
)
from yotplan.spreadsheet.columns import Header, find_header
from yotplan.spreadsheet.errors import BadOption
from yotplan.spreadsheet.reading import Row, Sheet

UNKNOWN_AGENCY = "Not recorded in the spreadsheet"
_SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_FULL_ID = re.compile(r"[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]+")
"""A ref that is already an id (HMIP-1, LGA-a) is kept as it is, e.g. from a workbook yotplan exported."""
_NOTE_ROW = re.compile(r"(?:key|notes?|nb|n\.b\.)(?:\s*[:\-–]|$)|\*", re.I)
_UPDATED = re.compile(
    r"(?:last\s+)?(?:updated|reviewed|revised)(?:\s+on)?\b|as\s+at\b|date\s+(?:of\s+)?(?:last\s+)?update\b", re.I
)
_KNOWN_STATUSES = "complete, in progress, not started, blocked, dropped"
_ACTION_FIELDS = ("action-ref", "owner", "due", "status", "rag", "completed", "update", "evidence", "measure")

StatusSource = Literal["status", "rag", "none"]


@dataclass(frozen=True, slots=True)
class ImportOptions:
    today: date
    source_id: str | None = None
    source_title: str | None = None
    sheet: str | None = None
    overrides: tuple[tuple[str, str], ...] = ()
    """(header key, field) pairs from `--map`, see `columns.parse_override`."""


@dataclass(slots=True)
class ActionDraft:
    row: int
    title: str
    owner: str
    due: date
    status: str
    completed: date | None = None
    measure: str | None = None
    update: str | None = None
    evidence: str | None = None
    due_written: str | None = None
    """The due cell's text when it named only a month."""
    lead: str = ""
    """The lead as the sheet writes it; `owner` is its key."""
    ref: str = ""
    id: str = ""


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
    rows_not_placed: bool = False
    """Some of its action rows were not placed (and listed with why)."""


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
    notes: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    not_placed: list[tuple[int, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    done_without_date: int = 0
    blank_status: int = 0

    @property
    def actions(self) -> list[ActionDraft]:
        return [a for rec in self.recommendations for a in rec.actions]

    def lines(self, kind: Literal["notes", "warnings", "not_placed"]) -> list[str]:
        """`FILE:ROW: message` lines, in row order."""
        found: list[tuple[int, str]] = getattr(self, kind)
        return [f"{self.sheet.shown}:{row}: {message}" for row, message in sorted(found, key=lambda item: item[0])]

    @property
    def skipped_text(self) -> str:
        """ "2 blank, 1 hidden, 1 note": the rows skipped, by why."""
        kinds = (("blank", "blank", "blank"), ("hidden", "hidden", "hidden"), ("notes", "note", "notes"))
        return ", ".join(
            f"{self.skipped[key]} {one if self.skipped[key] == 1 else many}"
            for key, one, many in kinds
            if self.skipped[key]
        )

    @property
    def counts(self) -> str:
        skipped = sum(self.skipped.values())
        parts = self.skipped_text
        line = (
            f"{_plural(len(self.recommendations), 'recommendation')}, {_plural(len(self.actions), 'action')}, "
            f"{_plural(len(self.owners), 'owner')}; {_plural(skipped, 'row')} skipped"
            + (f" ({parts})" if parts else "")
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


def plan_from_sheet(sheet: Sheet, options: ImportOptions) -> ImportedPlan:
    """Read the sheet's rows into a plan; never raises for a row, only for the sheet as a whole."""
    header = find_header(sheet, options.overrides)
    start = sheet.rows.index(header.row)
    title, updated = _title_block(sheet.rows[:start])
    as_at, as_at_reason = _as_at(updated, options.today)
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
    _Reader(plan, options.today).read(sheet.rows[start + 1 :])
    return plan


def _title_block(rows: list[Row]) -> tuple[str | None, tuple[int, date] | None]:
    """The title (the first text above the header) and the "Last updated" date, with its row."""
    title: str | None = None
    updated: tuple[int, date] | None = None
    for row in rows:
        texts = [clean_text(v) for v in row.values]
        for i, text in enumerate(texts):
            if not text:
                continue
            label = _UPDATED.match(text)
            if label:
                rest = text[label.end() :].lstrip(" :-–")
                value = rest or next((row.values[j] for j in range(i + 1, len(texts)) if texts[j]), None)
                with contextlib.suppress(ValueError):
                    day = read_date(value).day
                    updated = updated or ((row.number, day) if day else None)
                break
            if title is None and isinstance(row.values[i], str):
                title = text
    return title, updated


def _as_at(updated: tuple[int, date] | None, today: date) -> tuple[date, str]:
    if updated is None:
        return today, 'the import\'s as-at date (--today); the sheet has no "Last updated" date'
    row, day = updated
    if day > today:
        return today, f"the import's as-at date (--today), as the sheet's \"Last updated\" date {day} is later"
    return day, f'the sheet\'s "Last updated" date (row {row})'


class _Reader:
    """One pass over the data rows, filling an ImportedPlan."""

    def __init__(self, plan: ImportedPlan, today: date) -> None:
        self.plan = plan
        self.today = today
        self.header = plan.header
        self.col = {f: plan.header.index(f) for f in plan.header.fields}
        self.by_key: dict[str, RecommendationDraft] = {}
        self.order: list[RecommendationDraft] = []
        self.current: RecommendationDraft | None = None
        self.failed: int | None = None
        """The row of a recommendation that could not be placed, while the rows under it follow."""

    def read(self, rows: list[Row]) -> None:
        action_col = self.col["action"]
        last_action = max((r.number for r in rows if not r.hidden and clean_text(r.value(action_col))), default=0)
        for row in rows:
            under, one_cell, note = row.number > last_action, row.own == 1, _is_note(row)
            if row.hidden:
                self.plan.skipped["hidden"] += 1
            elif row.blank:
                self.plan.skipped["blank"] += 1
            elif (under and (one_cell or note)) or (one_cell and note):
                self.plan.skipped["notes"] += 1  # a key or notes under the table, or a one-cell "Note:" row
            else:
                self._row(row)
        self._finish()

    # One row ------------------------------------------------------------------------

    def _text(self, row: Row, name: str) -> str:
        return clean_text(row.value(self.col.get(name)))

    def _row(self, row: Row) -> None:
        rec = self._recommendation(row)
        if rec is None:
            return
        self.current, self.failed = rec, None
        lead = self._text(row, "rec-owner")
        if lead and owner_key(lead) and not rec.lead:
            rec.lead, rec.lead_row = lead, row.number
        title = self._text(row, "action")
        if not title:
            heading = self._text(row, "ref") or self._text(row, "recommendation")
            if not heading or any(self._text(row, name) for name in _ACTION_FIELDS):
                self._not_placed(row, f"no action; fill in the {self.header.title('action')!r} column")
            return  # else a recommendation's own row, its actions below
        action, problems = self._action(row, title)
        if action is None:
            self._not_placed(row, "; also ".join(problems))
            rec.rows_not_placed = True
            return
        rec.actions.append(action)

    def _recommendation(self, row: Row) -> RecommendationDraft | None:
        ref = self._text(row, "ref")
        text = self._text(row, "recommendation")
        if ref:
            rec_id = _rec_id(self.plan.source_id, ref)
            if not rec_id:
                self._fail(row, f"ref {ref!r} has no letter or digit to make an id; correct it")
                return None
            found = self.by_key.get(rec_id.casefold())
            if found is None:
                return self._new(row, ref, text, rec_id)
            if text and found.text and text.casefold() != found.text.casefold():
                self._fail(
                    row,
                    f"its recommendation text differs from that of ref {ref!r} on row {found.row}; "
                    "give it its own ref, or make the texts the same",
                )
                return None
            found.text = found.text or text
            return found
        if text:
            if self.current is not None and self.current.text.casefold() == text.casefold():
                return self.current  # the text repeated on each of its actions' rows
            if "ref" in self.col:
                self._fail(
                    row,
                    f"a new recommendation with no ref: fill in the {self.header.title('ref')!r} column "
                    f"(or --map '{self.header.title('ref')}=none' to number the recommendations)",
                )
                return None
            return self.by_key.get(text.casefold()) or self._new(row, "", text, "")
        if self.failed is not None:
            self._not_placed(row, f"its recommendation (row {self.failed}) could not be placed; fix that row first")
        elif self.current is None:
            self._not_placed(row, "no recommendation on or above this row; fill in its ref and recommendation")
        return None if self.failed is not None else self.current

    def _fail(self, row: Row, why: str) -> None:
        self._not_placed(row, why)
        self.current, self.failed = None, row.number

    def _new(self, row: Row, ref: str, text: str, rec_id: str) -> RecommendationDraft:
        rec = RecommendationDraft(row.number, ref, text, rec_id)
        self.by_key[(rec_id or text).casefold()] = rec
        self.order.append(rec)
        return rec

    def _action(self, row: Row, title: str) -> tuple[ActionDraft | None, list[str]]:
        problems: list[str] = []
        lead = self._text(row, "owner")
        key = owner_key(lead)
        if not lead:
            problems.append(f"no lead; fill in the {self.header.title('owner')!r} column")
        elif not key:
            problems.append(f"lead {lead!r} has no letter or digit to make an owner key; correct it")
        due, due_written = self._date(row, "due", problems, required=True)
        status = self._status(row, problems)
        completed, completed_written = self._date(row, "completed", problems, required=False)
        if problems or due is None or status is None:
            return None, problems
        if status == "none":
            status = "done" if completed else "not-started"
        if status != "done":
            completed = None
        elif completed is None:
            completed = self.plan.as_at
            self.plan.done_without_date += 1
        elif completed > self.today:
            return None, [f"completed date {completed} is after today ({self.today}); correct it"]
        for written, day, what in ((due_written, due, "target date"), (completed_written, completed, "completed date")):
            if written:
                self.plan.notes.append((row.number, f"{what} {written!r} read as {day}, the last day of that month"))
        action = ActionDraft(
            row=row.number,
            title=title,
            owner=key,
            due=due,
            status=status,
            completed=completed,
            measure=self._text(row, "measure") or None,
            update=self._text(row, "update") or None,
            evidence=self._text(row, "evidence") or None,
            due_written=due_written,
            lead=lead,
            ref=self._text(row, "action-ref"),
        )
        return action, []

    def _date(self, row: Row, name: str, problems: list[str], *, required: bool) -> tuple[date | None, str | None]:
        value = row.value(self.col.get(name))
        if not clean_text(value):
            if required:
                problems.append(f"no target date; fill in the {self.header.title(name)!r} column")
            return None, None
        try:
            cell = read_date(value)
        except ValueError as exc:
            problems.append(f"{self.header.title(name)} {exc}")
            return None, None
        if cell.day is None:
            problems.append(f"{self.header.title(name)} {cell.written!r} is not a date; write it as dd/mm/yyyy")
            return None, None
        return cell.day, clean_text(value) if cell.form in ("month-year", "quarter") else None

    def _status(self, row: Row, problems: list[str]) -> str | None:
        """The plan status, "none" when the sheet says nothing of it, or None (and a problem)."""
        if self.plan.status_source == "status":
            text = self._text(row, "status")
            if not text:
                self.plan.blank_status += 1
                return "not-started"
            status = read_status(text)
            if status is None:
                problems.append(f"status {text!r} is not one yotplan knows; write one of: {_KNOWN_STATUSES}")
            return status
        if self.plan.status_source == "rag":
            column = self.col["rag"]
            try:
                rag = read_rag(row.value(column), row.colour(column))
            except ValueError as exc:
                problems.append(str(exc))
                return None
            if rag and not self._text(row, "rag"):
                self.plan.notes.append((row.number, f"RAG read from the cell's fill colour: {rag}"))
            return RAG_STATUS[rag] if rag else "not-started"
        return "none"

    def _register_owner(self, lead: str, row: int) -> None:
        key = owner_key(lead)
        known = self.plan.owners.get(key)
        if known is None:
            person = looks_like_person(lead)
            self.plan.owners[key] = OwnerDraft(key, lead, row, person)
            if person:
                self.plan.warnings.append(
                    (
                        row,
                        f"warning: lead {lead!r} looks like a person's name; owners are roles and owners.yaml "
                        f"must hold no personal data: replace owner {key!r} with the role",
                    )
                )
        elif known.role != lead:
            self.plan.notes.append((row, f"lead {lead!r} is the same owner as {known.role!r} (row {known.row}): {key}"))

    def _not_placed(self, row: Row | int, why: str) -> None:
        self.plan.not_placed.append((row if isinstance(row, int) else row.number, why))

    # Ids ----------------------------------------------------------------------------

    def _finish(self) -> None:
        numbered = "ref" not in self.col
        used: set[str] = set()
        for rec in self.order:
            if not rec.actions:
                if rec.rows_not_placed:
                    continue  # its rows say why
                name = f"ref {rec.ref!r}" if rec.ref else repr(_short(rec.text))
                self._not_placed(
                    rec.row, f"recommendation {name} has no action that could be placed, so it was left out"
                )
                continue
            if not rec.text:
                for action in rec.actions:
                    self._not_placed(
                        action.row,
                        f"recommendation ref {rec.ref!r} has no text: fill in the "
                        f"{self.header.title('recommendation')!r} column",
                    )
                continue
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
    if plan.status_source == "status":
        return f"Status: from the {header.title('status')!r} column" + (
            "; a blank status is not started." if plan.blank_status else "."
        )
    if plan.status_source == "rag":
        return (
            f"Status: the sheet has no status column, so it comes from the {header.title('rag')!r} column: "
            "blue (complete) is done; red, amber and green are in progress; blank is not started. "
            "A RAG is a judgement, not a status: check each one."
        )
    return (
        "Status: the sheet has no status or RAG column: an action is done when it has a completed date, "
        "else not started."
    )
