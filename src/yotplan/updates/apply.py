"""Returned update forms applied to the plans as `update` and `log` would, row by row.

Every form of one run is applied in one edit session, so the result is one set of minimal
diffs, written once; a row that the plans' rules refuse is taken back alone
(`EditSession.checkpoint`). Each filled row is checked before anything of it is changed:

- a formula anywhere in the row refuses it (forms take typed text only);
- a changed id refuses it, so it can touch neither the action it was sent for nor the one it
  now names; other locked cells that were changed are ignored, with a warning;
- text that looks like a child's personal data refuses it, the match masked in the message;
- a status word the plan does not know gets "did you mean"; a later due date, a due date in
  the past, and the statuses blocked and dropped need a reason;
- an action that changed in the plan since the form was made refuses the row, naming both
  versions, unless `force`;
- what the row asks for and the plan already has is not asked again: applying the same form
  twice changes nothing the second time.

Whatever is applied is noted as "returned by ROLE, DATE" in the action's updates.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from yotplan.edit.operations import NEEDS_A_REASON, ActionChanges, log_progress, update_action
from yotplan.edit.session import EditSession
from yotplan.errors import EditRefused, EditWouldBreakPlans, UnknownId
from yotplan.plans.loader import display_path
from yotplan.plans.models import STATUSES
from yotplan.plans.planset import ActionRef
from yotplan.rules.personal_data import find_personal_data, mask
from yotplan.spreadsheet.cells import STATUS_WORDS, clean_text, read_date, read_status
from yotplan.updates.cycle import fingerprint, latest_update_text
from yotplan.updates.forms import LOCKED_COLUMNS, FormRow, FormUnreadable, ReturnedForm, read_form
from yotplan.views.queries import find_item

Kind = Literal["applied", "unchanged", "refused"]


@dataclass(frozen=True, slots=True)
class RowOutcome:
    where: str
    """FILE:ROW (or FILE for a file that is not a form)."""
    owner: str
    kind: Kind
    message: str


@dataclass
class ApplyResult:
    outcomes: list[RowOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """FILE:ROW: what was ignored (an edited locked cell)."""
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Counter[str]]:
        """Per owner (in the order first seen): how many rows were applied, unchanged, refused."""
        counts: dict[str, Counter[str]] = {}
        for outcome in self.outcomes:
            counts.setdefault(outcome.owner, Counter())[outcome.kind] += 1
        return counts

    @property
    def refused(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.kind == "refused"]

    def diff(self) -> str:
        """The changes as a unified diff, file by file."""
        out: list[str] = []
        for path, (old, new) in sorted(self.changes.items()):
            out += difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
            )
        return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def apply_forms(
    root: Path,
    paths: list[Path],
    today: date,
    *,
    dry_run: bool = False,
    force: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> ApplyResult:
    """Apply every filled row of the returned forms at `paths` to the plans folder `root`."""
    result = ApplyResult()
    with EditSession(root, today, on_wait=on_wait) as session:
        for path in paths:
            shown = display_path(path)
            try:
                form = read_form(path)
            except FormUnreadable as exc:
                result.outcomes.append(RowOutcome(shown, path.name, "refused", f"{shown}: {exc}; nothing applied"))
                continue
            service = session.plans.service_name or session.plans.service
            if form.service and service and form.service != service:
                why = f"{shown}: the form was made for {form.service}, not {service}; apply it to that service's plans"
                result.outcomes.append(RowOutcome(shown, form.owner, "refused", why))
                continue
            _apply_form(session, form, shown, force, result)
        result.changes = session.changes()
        if not dry_run:
            result.written = session.commit()
        result.notes = session.notes
    return result


def _apply_form(session: EditSession, form: ReturnedForm, shown: str, force: bool, result: ApplyResult) -> None:
    owner = f"{form.owner} ({form.role})" if form.role else form.owner
    for row in form.rows:
        where = f"{shown}:{row.number}"
        try:
            message = _apply_row(session, form, row, force, where, result.warnings)
        except _Refused as exc:
            result.outcomes.append(RowOutcome(where, owner, "refused", f"{where}: {exc}"))
            continue
        if message is not None:
            result.outcomes.append(RowOutcome(where, owner, message[0], f"{where}: {message[1]}"))
    if form.extra_rows:
        first = form.extra_rows[0]
        last = max(form.state, default=first - 1)
        runs_to = f"; the sheet runs to row {form.sheet_rows}" if form.sheet_rows and form.sheet_rows > last else ""
        count = len(form.extra_rows)
        result.outcomes.append(
            RowOutcome(
                f"{shown}:{first}",
                owner,
                "refused",
                f"{shown}:{first}: {count}{'+' * bool(runs_to)} filled row{'s' * (count != 1 or bool(runs_to))} "
                f"below the form's last action (row {last}){runs_to}: a form takes one row per action it was "
                "sent with, so rows added below were not read or applied",
            )
        )


class _Refused(Exception):
    """One row not applied; the message says why."""


def _apply_row(
    session: EditSession, form: ReturnedForm, row: FormRow, force: bool, where: str, warnings: list[str]
) -> tuple[Kind, str] | None:
    state = form.state.get(row.number)
    filled = row.filled
    if state is None:
        if filled:
            raise _Refused("this row is not one the form was sent with; nothing in it was applied")
        return None
    for cell in row.cells:
        if cell.formula:
            formula = " ".join(str(cell.value).split())
            formula = formula if len(formula) <= 40 else formula[:39] + "…"
            raise _Refused(
                f"cell {cell.coordinate} holds a formula ({formula}); forms take typed text only, so nothing "
                "of this row was applied"
            )
    shown_id = clean_text(row.cells[0].value)
    if shown_id.casefold() != state.id.casefold():
        if not filled:
            warnings.append(f"{where}: warning: the locked id cell was changed from {state.id} to {shown_id}")
            return None
        raise _Refused(
            f"the id was changed from {state.id} to {shown_id or '(empty)'}; ids are locked, so this row was applied "
            f"to neither {state.id} nor {shown_id or 'any other action'}: send the update for each action on its "
            "own row"
        )
    for index, name in enumerate(LOCKED_COLUMNS[1:], start=1):
        now = clean_text(row.cells[index].value)
        if now != state.shown[index]:
            warnings.append(
                f"{where}: warning: the locked cell {row.cells[index].coordinate} ({name}) was changed and is "
                "ignored; changes go in the yellow columns (a new date in 'New due date', with its reason)"
            )
    if not filled:
        return None
    wanted = _read_wanted(row, session.today)
    ref = _action(session, state.id)
    return _apply_wanted(session, form, ref, state.fingerprint, wanted, force)


@dataclass(frozen=True, slots=True)
class _Wanted:
    status: str | None
    progress: str
    evidence: list[str]
    due: date | None
    reason: str
    coordinates: dict[str, str]


def _read_wanted(row: FormRow, today: date) -> _Wanted:
    coordinates = {name: row.cells[i].coordinate for i, name in enumerate(_COLUMN_NAMES)}
    raw_status = clean_text(row.value("New status"))
    status = None
    if raw_status:
        status = read_status(raw_status)
        if status is None:
            hint = _did_you_mean(raw_status)
            raise _Refused(f"{raw_status!r} in {coordinates['New status']} is not a status ({hint})")
    progress = clean_text(row.value("Progress update"))
    evidence_value = row.value("Evidence")
    evidence_text = "" if evidence_value is None else str(evidence_value)
    evidence = [clean_text(line) for line in evidence_text.splitlines() if clean_text(line)]
    if evidence_value is not None and not isinstance(evidence_value, str):
        evidence = [clean_text(evidence_value)]
    reason = clean_text(row.value("Reason for a new date"))
    for name, text in (("Progress update", progress), ("Evidence", "\n".join(evidence)), ("Reason", reason)):
        findings = find_personal_data(text)
        if findings:
            found = findings[0]
            matched = " ".join(text[found.start : found.end].split())
            cell = coordinates["Reason for a new date" if name == "Reason" else name]
            raise _Refused(
                f"{cell} ({name}) looks like {found.what} ({mask(matched)}): {found.why}; plans are kept forever, "
                "so take it out and send the row again; nothing of this row was applied"
            )
    due = None
    raw_due = row.value("New due date")
    if clean_text(raw_due):
        try:
            due = read_date(raw_due).day
        except ValueError as exc:
            raise _Refused(f"{coordinates['New due date']} (New due date): {exc}") from None
        if due is None:  # TBC, ongoing: words for no date, not a new one
            raise _Refused(
                f"{coordinates['New due date']} (New due date): {clean_text(raw_due)!r} is not a date; "
                "give the new date (dd/mm/yyyy), or leave it blank"
            )
    return _Wanted(status, progress, evidence, due, reason, coordinates)


_COLUMN_NAMES = (*LOCKED_COLUMNS, "New status", "Progress update", "Evidence", "New due date", "Reason for a new date")


def _did_you_mean(text: str) -> str:
    words: dict[str, str] = {word: status for status, words in STATUS_WORDS.items() for word in words}
    words.update({s: s for s in STATUSES})
    close = difflib.get_close_matches(text.casefold(), list(words), n=1, cutoff=0.5)
    known = ", ".join(STATUSES)
    return f"did you mean {words[close[0]]!r}? The statuses are {known}" if close else f"use one of {known}"


def _action(session: EditSession, action_id: str) -> ActionRef:
    try:
        ref = find_item(session.plans, action_id)
    except UnknownId:
        raise _Refused(f"action {action_id} is no longer in the plans; nothing of this row was applied") from None
    if not isinstance(ref, ActionRef) or ref.action.id.casefold() != action_id.casefold():
        raise _Refused(f"{action_id} is not an action of the plans; nothing of this row was applied")
    return ref


def _node(session: EditSession, ref: ActionRef) -> Any:
    return session.editable(ref.rec.doc).data["recommendations"][ref.rec.index]["actions"][ref.index]


def _apply_wanted(
    session: EditSession, form: ReturnedForm, ref: ActionRef, seen: str, wanted: _Wanted, force: bool
) -> tuple[Kind, str]:
    action_id = ref.action.id
    node = _node(session, ref)
    status_now = str(node.get("status", "not-started"))
    due_now = _iso(node.get("due"))
    updates = list(node.get("updates") or [])
    evidence_now = {" ".join(str(e).split()) for e in node.get("evidence") or []}
    stamp = f"returned by {form.role or form.owner}, {session.today.isoformat()}"

    new_status = wanted.status if wanted.status and wanted.status != status_now else None
    new_due = wanted.due if wanted.due and wanted.due.isoformat() != due_now else None
    marker = f" (returned by {form.role or form.owner}, "
    note_present = bool(wanted.progress) and any(
        wanted.progress + marker in " ".join(str(u.get("note", "")).split()) for u in updates
    )
    new_evidence = [e for e in wanted.evidence if e not in evidence_now]
    new_note = bool(wanted.progress) and not note_present
    if not (new_status or new_due or new_note or new_evidence):
        return "unchanged", f"{action_id}: unchanged (the plan already has what this row says)"

    if fingerprint(node) != seen and not force:
        raise _Refused(
            f"{action_id} changed in the plans after the form was made on {form.made}: the form showed "
            f"{_version(form, ref, seen)}; the plans now have {_now_version(node)}; check with the owner, then "
            "apply it with --force (or send a new form); nothing of this row was applied"
        )
    if new_due is not None and not wanted.reason:
        if due_now and new_due.isoformat() > due_now:
            raise _Refused(
                f"moving {action_id}'s due date later ({due_now} -> {new_due}) needs a reason in "
                f"{wanted.coordinates['Reason for a new date']}, so slippage is never silent"
            )
        if new_due < session.today:
            raise _Refused(
                f"the new due date {new_due} of {action_id} is in the past; it needs its reason in "
                f"{wanted.coordinates['Reason for a new date']}"
            )
    if new_status in NEEDS_A_REASON and not wanted.reason and not wanted.progress:
        raise _Refused(
            f"marking {action_id} {new_status} needs a reason (in the Progress update or the Reason column), so "
            "the Board can see why it stopped"
        )

    undo = session.checkpoint(ref.rec.doc)
    done: list[str] = []
    try:
        why = wanted.reason or (wanted.progress if new_status in NEEDS_A_REASON else "")
        changed = []  # what `update` changed without logging it: said in the row's one update instead
        if new_status or new_due:
            changes = ActionChanges(status=new_status, due=new_due, reason=f"{why} ({stamp})" if why else None)
            done.append(update_action(session, action_id, changes))
            if not why:
                changed = [f"status changed from {status_now} to {new_status}"] * bool(new_status)
                changed += [f"due date moved from {due_now or '(none)'} to {new_due}"] * bool(new_due)
        text = wanted.progress if new_note and why != wanted.progress else ""  # not twice when it was the reason
        if text or new_evidence or changed:
            said = "; ".join(changed)
            said = said[:1].upper() + said[1:]
            if not text and not said:
                said = "Evidence sent"
            note = ". ".join(part for part in (said, text) if part)
            done.append(log_progress(session, action_id, f"{note} ({stamp})", None, new_evidence))
        session.validate()
    except EditWouldBreakPlans as exc:
        undo()
        rules = "; ".join(str(p) for p in exc.problems[:3])
        raise _Refused(f"the plans' rules refuse this row: {rules}; nothing of this row was applied") from None
    except EditRefused as exc:
        undo()
        raise _Refused(f"{exc}; nothing of this row was applied") from None
    return "applied", "; ".join(done)


def _iso(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _version(form: ReturnedForm, ref: ActionRef, seen: str) -> str:
    state = next((s for s in form.state.values() if s.fingerprint == seen), None)
    if state is None:
        return "(unknown)"
    _, _, _, due, status, latest = state.shown
    return _describe(status, due, latest)


def _now_version(node: Any) -> str:
    latest = latest_update_text(list(node.get("updates") or []))
    return _describe(str(node.get("status", "not-started")), _iso(node.get("due")), latest)


def _describe(status: str, due: str, latest: str) -> str:
    latest = latest if len(latest) <= 120 else latest[:119] + "…"
    return f"status {status}, due {due or '(none)'}, latest update {latest or '(none)'!r}"
