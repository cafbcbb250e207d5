"""What changed between two versions of the plans, as `Change` values in plain words.

Items are matched by id across all plan files, so an action that moves to another
recommendation or file is one change, not a removal and an addition. A due date moved
later is a slip: slipped changes sort first, the biggest slip first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

from yotplan.plans.models import Action, Recommendation
from yotplan.plans.planset import Document

ItemKind = Literal["recommendation", "action"]

FIELDS: tuple[str, ...] = (
    "recommendation",
    "action",
    "moved",
    "text",
    "title",
    "owner",
    "status",
    "due",
    "measure",
    "update",
    "evidence",
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
    """What the item is called, so that a reader need not look its id up: an action's title or a
    recommendation's text, as it is now (as it was last, for a removed item), in full."""

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
        old, new = self.old, self.new
        if self.field in ("recommendation", "action"):
            what = f"{self.field} {'added' if old is None else 'removed'}"
            return f"{what}: {_short(new if old is None else old)}"
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
        if self.field in ("text", "title", "measure"):
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
    model: Recommendation | Action
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
    return items


def compare_plans(
    old_docs: Iterable[Document], new_docs: Iterable[Document], skip_files: frozenset[str] = frozenset()
) -> list[Change]:
    """Changes from the old plan files to the new ones: slipped due dates first (biggest slip
    first), then the rest in plan order. Items in `skip_files` (file names that could not be
    read on one side) are left out on both sides, so a broken file never reads as removed."""
    old = _items(old_docs, skip_files)
    new = _items(new_docs, skip_files)
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
        return changes
    found: list[Change] = []

    def add(field: str, before: str | None, after: str | None, days: int | None = None) -> None:
        if before != after:
            found.append(Change(item_id, kind, field, before, after, rec_id, days, label))

    if isinstance(old.model, Recommendation) and isinstance(new.model, Recommendation):
        add("text", old.model.text, new.model.text)
        add("owner", old.model.owner, new.model.owner)
    elif isinstance(old.model, Action) and isinstance(new.model, Action):
        a, b = old.model, new.model
        add("moved", old.recommendation, new.recommendation)
        add("title", a.title, b.title)
        add("owner", a.owner, b.owner)
        add("status", a.status, b.status)
        days = (b.due - a.due).days if a.due and b.due else None
        add("due", _iso(a.due), _iso(b.due), days)
        add("measure", a.measure, b.measure)
        _list_changes(found, item_id, rec_id, "update", _updates(a), _updates(b), label)
        _list_changes(found, item_id, rec_id, "evidence", a.evidence, b.evidence, label)
    return sorted(found, key=lambda c: FIELDS.index(c.field))


def _label(item: _Item) -> str:
    return item.model.text if isinstance(item.model, Recommendation) else item.model.title


def _list_changes(
    found: list[Change], item_id: str, rec_id: str, field: str, old: list[str], new: list[str], title: str
) -> None:
    for entry in new:
        if entry not in old:
            found.append(Change(item_id, "action", field, None, entry, rec_id, title=title))
    for entry in old:
        if entry not in new:
            found.append(Change(item_id, "action", field, entry, None, rec_id, title=title))


def _updates(action: Action) -> list[str]:
    return [f"{u.date.isoformat()}: {' '.join(u.note.split())}" for u in sorted(action.updates, key=lambda u: u.date)]


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
