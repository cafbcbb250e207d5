"""What changed between two versions of the plans, as `Change` values in plain words.

Items are matched by id across all plan files, so an action that moves to another
recommendation or file is one change, not a removal and an addition. A due date moved
later is a slip: slipped changes sort first, the biggest slip first.

Every change a Board cares about is a change: an action's status, completion, due date (with
the reason logged for a move), owner, updates and evidence; a recommendation's impact evidence
and its sign-off (at which meeting, with any reason); an indicator added or removed, its target
and baseline, and each reading (value and date); and, given the boards files, each meeting added.
A logged update that only gives the reason for a change in the same version is shown as that
change's reason, not twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from yotplan.plans.models import Action, BoardsFile, Indicator, Measurement, Reading, Recommendation
from yotplan.plans.planset import Document
from yotplan.rules.impact import with_unit

ItemKind = Literal["recommendation", "action", "indicator", "meeting"]

FIELDS: tuple[str, ...] = (
    "recommendation",
    "action",
    "indicator",
    "meeting",
    "moved",
    "text",
    "title",
    "name",
    "owner",
    "status",
    "completed",
    "due",
    "measure",
    "target",
    "baseline",
    "reading",
    "update",
    "evidence",
    "impact",
    "signoff",
)
"""Every `Change.field`, in the order an item's changes are listed."""


@dataclass(frozen=True, slots=True)
class Change:
    """One difference in one recommendation or action.

    `field` is "recommendation" or "action" when the item itself was added (old is None) or
    removed (new is None); otherwise the field that changed. For "due", `days` is how far the
    date moved: positive means later, i.e. slipped.
    """

    id: str
    kind: ItemKind
    field: str
    old: str | None
    new: str | None
    recommendation: str
    """The recommendation the item belongs to (its own id for a recommendation)."""
    days: int | None = None
    title: str = ""
    """What the item is called, so that a reader need not look its id up: an action's title, a
    recommendation's text or an indicator's name, as it is now (as it was last, for a removed
    item), in full."""
    reason: str | None = None
    """Why, when one was given: the reason logged with a status, due date or owner change, or a
    board's reason for signing off a recommendation whose impact is not shown."""

    @property
    def slipped(self) -> bool:
        return self.field == "due" and self.days is not None and self.days > 0

    @property
    def slip_label(self) -> str:
        """ "SLIPPED 30 days" for a slipped due date, else ""; renderers show it first, in red."""
        return f"SLIPPED {_days(self.days or 0)}" if self.slipped else ""

    def describe(self, *, how_far: bool = True) -> str:
        """The change in plain words, e.g. "due date moved from 2022-07-31 to 2022-08-30: slipped 30 days".

        `how_far=False` leaves out the ": slipped 30 days" part, for renderers that show `slip_label`.
        """
        said = self._describe(how_far=how_far)
        return f"{said}; why: {self.reason}" if self.reason else said

    def _describe(self, *, how_far: bool) -> str:
        old, new = self.old, self.new
        if self.field in ("recommendation", "action", "indicator"):
            what = f"{self.field} {'added' if old is None else 'removed'}"
            return f"{what}: {_short(new if old is None else old)}"
        if self.field == "meeting":
            return f"meeting added: {new}" if old is None else f"meeting removed: {old}"
        if self.field == "completed":
            if old is None:
                return f"completed on {new}"
            if new is None:
                return f"completion date removed (was {old})"
            return f"completion date changed from {old} to {new}"
        if self.field == "reading":
            return f"reading added: {new}" if old is None else f"reading removed: {old}"
        if self.field == "impact":
            return f"impact evidence added: {_short(new)}" if old is None else f"impact evidence removed: {_short(old)}"
        if self.field == "signoff":
            if old is None:
                return f"signed off at {new}"
            if new is None:
                return f"sign-off at {old} removed"
            return f"sign-off changed from {old} to {new}"
        if self.field == "due":
            if old is None:
                return f"due date set to {new}"
            if new is None:
                return f"due date removed (was {old})"
            days = self.days or 0
            how = f"slipped {_days(days)}" if days > 0 else f"brought forward {_days(-days)}"
            moved = f"due date moved from {old} to {new}"
            return f"{moved}: {how}" if how_far or not self.slipped else moved
        if self.field == "moved":
            return f"moved from recommendation {old} to {new}"
        if self.field in ("update", "evidence"):
            return f"{self.field} {'added' if old is None else 'removed'}: {_short(new if old is None else old)}"
        if self.field in ("text", "title", "measure", "name"):
            if old is None:
                return f"{self.field} added: {_short(new)}"
            if new is None:
                return f"{self.field} removed"
            return f"{self.field} changed from {_short(old, 60)!r} to {_short(new, 60)!r}"
        return f"{self.field} changed from {old or '(none)'} to {new or '(none)'}"

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "recommendation": self.recommendation,
            "field": self.field,
            "old": self.old,
            "new": self.new,
        }
        if self.reason:
            data["reason"] = self.reason
        if self.field == "due":
            data["days"] = self.days
            data["slipped"] = self.slipped
        data["summary"] = self.describe()
        return data


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _short(text: str | None, width: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class _Item:
    kind: ItemKind
    model: Recommendation | Action | Indicator | str
    """The item; a meeting's is its id, BOARD@YYYY-MM-DD."""
    recommendation: str
    file: str


def file_name(doc: Document) -> str:
    """The plan file's own name: the key that matches a file across revisions and the disk."""
    return PurePosixPath(doc.path.replace("\\", "/").rsplit(":", 1)[-1]).name


def _items(docs: Iterable[Document], skip_files: frozenset[str]) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    for doc in docs:
        name = file_name(doc)
        if name in skip_files or doc.model is None:
            continue
        for rec in doc.model.recommendations:
            items.setdefault(rec.id, _Item("recommendation", rec, rec.id, name))
            for action in rec.actions:
                items.setdefault(action.id, _Item("action", action, rec.id, name))
            for indicator in rec.indicators:
                items.setdefault(indicator.id, _Item("indicator", indicator, rec.id, name))
    return items


def _meetings(boards: BoardsFile | None) -> dict[str, _Item]:
    if boards is None:
        return {}
    found = {}
    for key, board in boards.boards.items():
        for meeting in board.meetings:
            meeting_id = f"{key}@{meeting.date.isoformat()}"
            found[meeting_id] = _Item("meeting", meeting_id, "", "boards.yaml")
    return found


def compare_plans(
    old_docs: Iterable[Document],
    new_docs: Iterable[Document],
    skip_files: frozenset[str] = frozenset(),
    boards: tuple[BoardsFile | None, BoardsFile | None] | None = None,
) -> list[Change]:
    """Changes from the old plan files to the new ones: slipped due dates first (biggest slip
    first), then the rest in plan order, then meetings added or removed (with `boards`, the old
    and new boards files; None leaves meetings out). Items in `skip_files` (file names that
    could not be read on one side) are left out on both sides, so a broken file never reads as
    removed."""
    old = _items(old_docs, skip_files)
    new = _items(new_docs, skip_files)
    if boards is not None:
        old.update(_meetings(boards[0]))
        new.update(_meetings(boards[1]))
    position = _positions(list(old), list(new))
    changes: list[Change] = []
    for item_id in sorted(position, key=position.__getitem__):
        changes.extend(_item_changes(item_id, old.get(item_id), new.get(item_id)))
    return sorted(changes, key=lambda c: (0, -(c.days or 0)) if c.slipped else (1, 0))


def _positions(old_ids: list[str], new_ids: list[str]) -> dict[str, tuple[int, int]]:
    """Plan order of every id: new ids where they are now, removed ones after their old neighbour."""
    position = {item_id: (i, 0) for i, item_id in enumerate(new_ids)}
    last = (-1, 0)
    for item_id in old_ids:
        if item_id in position:
            last = position[item_id]
        else:
            last = (last[0], last[1] + 1)
            position[item_id] = last
    return position


def _item_changes(item_id: str, old: _Item | None, new: _Item | None) -> list[Change]:
    if old is None and new is None:
        return []
    some = new or old
    assert some is not None
    kind, rec_id = some.kind, some.recommendation
    label = _label(some)
    if old is None or new is None or old.kind != new.kind:
        changes = []
        if old is not None:
            changes.append(
                Change(item_id, old.kind, old.kind, _label(old), None, old.recommendation, title=_label(old))
            )
        if new is not None:
            changes.append(Change(item_id, new.kind, new.kind, None, label, new.recommendation, title=label))
            if isinstance(new.model, Indicator):  # its readings are news to a Board too
                _list_changes(
                    changes, item_id, "indicator", new.recommendation, "reading", [], _readings(new.model), label
                )
        return changes
    found: list[Change] = []

    def add(field: str, before: str | None, after: str | None, days: int | None = None) -> None:
        if before != after:
            found.append(Change(item_id, kind, field, before, after, rec_id, days, label))

    if isinstance(old.model, Recommendation) and isinstance(new.model, Recommendation):
        r, q = old.model, new.model
        add("text", r.text, q.text)
        add("owner", r.owner, q.owner)
        _list_changes(found, item_id, kind, rec_id, "impact", r.impact, q.impact, label)
        before = r.closure.meeting if r.closure else None
        after = q.closure.meeting if q.closure else None
        if before != after:
            reason = q.closure.reason if q.closure else None
            found.append(Change(item_id, kind, "signoff", before, after, rec_id, title=label, reason=reason))
    elif isinstance(old.model, Action) and isinstance(new.model, Action):
        a, b = old.model, new.model
        add("moved", old.recommendation, new.recommendation)
        add("title", a.title, b.title)
        add("owner", a.owner, b.owner)
        add("status", a.status, b.status)
        add("completed", _iso(a.completed), _iso(b.completed))
        days = (b.due - a.due).days if a.due and b.due else None
        add("due", _iso(a.due), _iso(b.due), days)
        add("measure", a.measure, b.measure)
        _list_changes(found, item_id, kind, rec_id, "update", _updates(a), _updates(b), label)
        _list_changes(found, item_id, kind, rec_id, "evidence", a.evidence, b.evidence, label)
        found = _reasons_given(found)
    elif isinstance(old.model, Indicator) and isinstance(new.model, Indicator):
        i, j = old.model, new.model
        add("name", i.name, j.name)
        add("target", _measurement(i.target, i.unit, "by"), _measurement(j.target, j.unit, "by"))
        add("baseline", _measurement(i.baseline, i.unit), _measurement(j.baseline, j.unit))
        _list_changes(found, item_id, kind, rec_id, "reading", _readings(i), _readings(j), label)
    return sorted(found, key=lambda c: FIELDS.index(c.field))


def _label(item: _Item) -> str:
    model = item.model
    if isinstance(model, Recommendation):
        return model.text
    if isinstance(model, Action):
        return model.title
    if isinstance(model, Indicator):
        return model.name
    return model


def _list_changes(
    found: list[Change],
    item_id: str,
    kind: ItemKind,
    rec_id: str,
    field: str,
    old: list[str],
    new: list[str],
    title: str,
) -> None:
    for entry in new:
        if entry not in old:
            found.append(Change(item_id, kind, field, None, entry, rec_id, title=title))
    for entry in old:
        if entry not in new:
            found.append(Change(item_id, kind, field, entry, None, rec_id, title=title))


_REASONED = {"status": "status changed from", "due": "due date moved from", "owner": "owner changed from"}
"""The words `yotplan update` logs a change's reason with: `Due date moved from X to Y: why`."""


def _reasons_given(found: list[Change]) -> list[Change]:
    """The changes, with each added update that gives the reason for a status, due date or owner
    change of the same version folded into that change as its reason."""
    used: set[int] = set()
    result = []
    for change in found:
        words = _REASONED.get(change.field)
        if words is None or change.old is None:
            result.append(change)
            continue
        said = f"{words} {change.old} to {change.new}".casefold()
        for n, update in enumerate(found):
            if n in used or update.field != "update" or update.new is None:
                continue
            note = update.new.split(": ", 1)[1] if ": " in update.new else ""  # after its date
            head, _, reason = note.partition(": ")
            if reason and said in head.casefold():
                used.add(n)
                change = dataclasses.replace(change, reason=reason)
        result.append(change)
    return [c for c in result if not any(c is found[n] for n in used)]


def _measurement(point: Measurement | Reading | None, unit: str, word: str = "on") -> str | None:
    return f"{with_unit(point.value, unit)} {word} {point.date.isoformat()}" if point is not None else None


def _readings(indicator: Indicator) -> list[str]:
    return [_measurement(r, indicator.unit) or "" for r in sorted(indicator.readings, key=lambda r: r.date)]


def _updates(action: Action) -> list[str]:
    return [f"{u.date.isoformat()}: {' '.join(u.note.split())}" for u in sorted(action.updates, key=lambda u: u.date)]


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
