"""The columns of each list view, shared by the table, csv and markdown renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from yotplan.views.queries import ActionView, OwnerView
from yotplan.views.search import SearchHit

SHORT_TEXT = 70


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    value: Callable[[Any], str]
    justify: str = "left"
    """rich's justify; numbers are right-aligned."""
    full: Callable[[Any], str] | None = None
    """The unabridged value for csv, when the table shows a shortened one."""
    keep: int = 50
    """On a narrow terminal the table drops the columns with the lowest `keep` first."""
    max_width: int | None = None
    """Wider values are cut with an ellipsis in the table (never in csv or json)."""
    wraps: bool = False
    """Long text that wraps over lines in the table, at least MIN_WRAP_WIDTH wide."""


def shorten(text: str, width: int = SHORT_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


ALWAYS = 100

STATUS_COLUMNS = [
    Column("id", lambda r: r.id, keep=ALWAYS),
    Column("source", lambda r: r.source, keep=10),
    Column("recommendation", lambda r: shorten(r.text), full=lambda r: " ".join(r.text.split()), keep=60, wraps=True),
    Column("owner", lambda r: r.owner, keep=80, max_width=20),
    Column("done", lambda r: f"{r.done}/{r.total}", "right", keep=40),
    Column("next due", lambda r: _day(r.next_due), keep=70),
    Column("rag", lambda r: r.rag, keep=ALWAYS),
]

OVERDUE_COLUMNS = [
    Column("id", lambda a: a.id, keep=ALWAYS),
    Column("title", lambda a: shorten(a.title, 50), full=lambda a: a.title, keep=75, wraps=True),
    Column("owner", lambda a: a.owner, keep=80, max_width=20),
    Column("due", lambda a: _day(a.due), keep=70),
    Column("days overdue", lambda a: str(a.days_overdue), "right", keep=ALWAYS),
    Column("recommendation", lambda a: a.recommendation, keep=10),
]

UPCOMING_COLUMNS = [
    Column("id", lambda a: a.id, keep=ALWAYS),
    Column("title", lambda a: shorten(a.title, 50), full=lambda a: a.title, keep=75, wraps=True),
    Column("owner", lambda a: a.owner, keep=80, max_width=20),
    Column("due", lambda a: _day(a.due), keep=70),
    Column("days left", lambda a: str(a.days_left), "right", keep=ALWAYS),
    Column("status", lambda a: a.status, keep=20),
    Column("recommendation", lambda a: a.recommendation, keep=10),
]

OWNER_COLUMNS = [
    Column("owner", lambda o: o.key, keep=ALWAYS, max_width=24),
    Column("role", lambda o: o.role, keep=30, wraps=True),
    Column("agency", lambda o: o.agency, keep=20, wraps=True),
    Column("open", lambda o: str(o.open), "right", keep=ALWAYS),
    Column("overdue", lambda o: str(o.overdue), "right", keep=ALWAYS),
    Column("due ≤30d", lambda o: str(o.due_soon), "right", keep=90),
]

SEARCH_COLUMNS = [
    Column("id", lambda h: h.id, keep=ALWAYS),
    Column("kind", lambda h: h.kind, keep=20),
    Column("field", lambda h: h.field, keep=60),
    Column("snippet", lambda h: h.snippet, full=lambda h: " ".join(h.text.split()), keep=ALWAYS, wraps=True),
]
"""`search`: the snippet column holds the field's whole text in csv (in the table its matches are bold,
`yotplan.render.search`)."""


def actions_json(actions: list[ActionView], days: Literal["days_overdue", "days_left"]) -> list[dict[str, Any]]:
    """The json of `overdue` (with days_overdue) and `upcoming` (with days_left)."""
    return [
        {
            "id": a.id,
            "title": a.title,
            "owner": a.owner,
            "due": _day(a.due),
            days: getattr(a, days),
            "status": a.status,
            "recommendation": a.recommendation,
            "source": a.source,
        }
        for a in actions
    ]


def owners_json(owners: list[OwnerView]) -> list[dict[str, Any]]:
    return [o.as_json() for o in owners]


def search_json(hits: list[SearchHit]) -> list[dict[str, Any]]:
    return [h.as_json() for h in hits]
