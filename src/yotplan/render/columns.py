"""The columns of each list view, shared by the table, csv and markdown renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from yotplan.rules.impact import with_unit
from yotplan.rules.rag import RAGS
from yotplan.views.queries import ActionView, OwnerView

if TYPE_CHECKING:
    from yotplan.views.search import SearchHit

SHORT_TEXT = 70


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    value: Callable[[Any], str]
    justify: str = "left"
    """rich's justify; numbers are right-aligned."""
    keep: int = 50
    """On a narrow terminal the table drops the columns with the lowest `keep` first."""
    wraps: bool = False
    """Long text that wraps over lines in the table, at least MIN_WRAP_WIDTH wide; shown in full
    when the terminal is wide enough, else cut after `max_lines` lines (never in csv or json)."""
    max_lines: int = 3
    breaks: bool = False
    """A key that may go on over lines after its hyphens (`director-` / `childrens-services`) when
    the terminal is narrow, so that the text beside it keeps room; it is never cut."""
    in_table: bool = True
    """Shown in tables and markdown."""
    in_csv: bool = True
    """Written to csv (where a value a spreadsheet could misread is split into numbers)."""


def shorten(text: str, width: int = SHORT_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def one_line(text: str) -> str:
    return " ".join(text.split())


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


ALWAYS = 100
"""Ids, owner keys, dates and counts are never dropped, and never cut."""

SERVICE_COLUMN = Column("service", lambda r: r.service, keep=ALWAYS)
"""First after the id when rows come from more than one service."""

STATUS_COLUMNS = [
    Column("id", lambda r: r.id, keep=ALWAYS),
    Column("source", lambda r: r.source, keep=10),
    Column("recommendation", lambda r: one_line(r.text), keep=60, wraps=True),
    Column("owner", lambda r: r.owner, keep=80, breaks=True),
    Column("done", lambda r: f"{r.done}/{r.total}", "right", keep=40, in_csv=False),
    Column("done", lambda r: str(r.done), "right", in_table=False),
    Column("total", lambda r: str(r.total), "right", in_table=False),
    Column("next due", lambda r: _day(r.next_due), keep=70),
    Column("rag", lambda r: r.rag, keep=ALWAYS),
    Column("stage", lambda r: r.stage, keep=35),
]


def _count_of(rag: str) -> Callable[[Any], str]:
    return lambda count: str(count.recommendations[rag])


SERVICE_COUNT_COLUMNS = [
    Column("service", lambda c: c.service, keep=ALWAYS),
    Column("recommendations", lambda c: str(c.total), "right"),
    *(Column(rag, _count_of(rag), "right") for rag in RAGS),
    Column("overdue actions", lambda c: str(c.overdue), "right"),
]
"""`status` over several services, after its rows: a service's recommendations by RAG."""

TRAVEL_COLUMN = Column("then → now", lambda r: r.travel, keep=45)
"""Added to `status` when there is a previous board meeting to compare with."""


def measurement(point: Any, unit: str, *, by: bool = False) -> str:
    """`75% on 2022-09-14`, `4 meetings by 2023-03-31`."""
    if point is None:
        return ""
    return f"{with_unit(point.value, unit)} {'by' if by else 'on'} {point.date.isoformat()}"


def _change(value: float | None) -> str:
    return "" if value is None else f"{value:+g}"


INDICATOR_COLUMNS = [
    Column("id", lambda i: i.id, keep=ALWAYS),
    Column("recommendation", lambda i: i.recommendation, keep=20),
    Column("name", lambda i: one_line(i.name), keep=80, wraps=True, max_lines=2),
    Column("unit", lambda i: i.unit, in_table=False),
    Column("baseline", lambda i: measurement(i.baseline, i.unit), keep=30),
    Column("target", lambda i: measurement(i.target, i.unit, by=True), keep=70),
    Column("latest", lambda i: measurement(i.latest, i.unit), keep=ALWAYS),
    Column("since baseline", lambda i: _change(i.change), "right", keep=65),
    Column("since previous", lambda i: _change(i.change_since_previous), "right", keep=25),
    Column("on track", lambda i: {True: "yes", False: "no", None: "no reading"}[i.on_track], keep=ALWAYS),
    Column("rag", lambda i: i.rag, keep=ALWAYS),
]

OVERDUE_COLUMNS = [
    Column("id", lambda a: a.id, keep=ALWAYS),
    Column("title", lambda a: one_line(a.title), keep=75, wraps=True, max_lines=2),
    Column("owner", lambda a: a.owner, keep=60, breaks=True),
    Column("due", lambda a: a.due_text, keep=ALWAYS),
    Column("days overdue", lambda a: str(a.days_overdue), "right", keep=ALWAYS),
    Column("recommendation", lambda a: a.recommendation, keep=10),
]

UPCOMING_COLUMNS = [
    Column("id", lambda a: a.id, keep=ALWAYS),
    Column("title", lambda a: one_line(a.title), keep=75, wraps=True, max_lines=2),
    Column("owner", lambda a: a.owner, keep=60, breaks=True),
    Column("due", lambda a: a.due_text, keep=ALWAYS),
    Column("days left", lambda a: str(a.days_left), "right", keep=ALWAYS),
    Column("status", lambda a: a.status, keep=20),
    Column("recommendation", lambda a: a.recommendation, keep=10),
]

OWNER_COLUMNS = [
    Column("owner", lambda o: o.key, keep=ALWAYS),
    Column("role", lambda o: o.role, keep=30, wraps=True, max_lines=2),
    Column("agency", lambda o: o.agency, keep=20, wraps=True, max_lines=2),
    Column("open", lambda o: str(o.open), "right", keep=ALWAYS),
    Column("overdue", lambda o: str(o.overdue), "right", keep=ALWAYS),
    Column("due ≤30d", lambda o: str(o.due_soon), "right", keep=90),
]

SEARCH_COLUMNS = [
    Column("id", lambda h: h.id, keep=ALWAYS),
    Column("kind", lambda h: h.kind, keep=20),
    Column("field", lambda h: h.field, keep=60),
    Column("snippet", lambda h: h.snippet, keep=ALWAYS, wraps=True, in_csv=False),
    Column("snippet", lambda h: one_line(h.text), in_table=False),
]
"""`search`: the snippet column holds the field's whole text in csv (in the table its matches are bold,
`yotplan.render.search`)."""


def with_service(columns: list[Column], services: int) -> list[Column]:
    """The columns, with the service after the id when the rows come from several services."""
    return [columns[0], SERVICE_COLUMN, *columns[1:]] if services > 1 else columns


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
            "service": a.service,
        }
        for a in actions
    ]


def owners_json(owners: list[OwnerView]) -> list[dict[str, Any]]:
    return [o.as_json() for o in owners]


def search_json(hits: list[SearchHit]) -> list[dict[str, Any]]:
    return [h.as_json() for h in hits]
