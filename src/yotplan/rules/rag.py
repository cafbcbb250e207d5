"""Red/amber/green: the derived state of actions and recommendations on a given day.

RAG is about delivery: is the work on time? It follows the BRAG convention of public-sector
plans, with blue for what is delivered, and keeps delivery apart from impact (see
`yotplan.rules.impact`): a recommendation whose actions are all done is `delivered`, not yet
`closed`; only a board's sign-off closes it.
"""

from __future__ import annotations

from datetime import date

from yotplan.choices import RAGS as RAGS  # the RAGs' words live in yotplan.choices, worst first
from yotplan.choices import Rag as Rag
from yotplan.plans.models import Action, Recommendation

RAG_KEY: dict[Rag, str] = {
    "red": "an open action is overdue",
    "amber": "an open action is blocked, not started and due soon, undated, or ongoing with no recent update",
    "green": "every open action is on time",
    "delivered": "every action is done or dropped (blue)",
    "closed": "signed off by a board at a meeting",
    "dropped": "every action was dropped",
}
"""How each RAG is reached, in the words printed under tables and in the report."""

CLOSED_RAGS = frozenset({"delivered", "closed", "dropped"})
"""RAGs of work that is no longer open."""

DEFAULT_SOON_DAYS = 14
ONGOING_QUIET_DAYS = 90
"""An `undated: ongoing` action is amber when nothing has been recorded on it for longer than this."""


def is_overdue(action: Action, today: date) -> bool:
    return action.is_open and action.due is not None and action.due < today


def action_rag(action: Action, today: date, soon: int = DEFAULT_SOON_DAYS) -> Rag:
    """delivered/dropped by status; red when overdue; amber when blocked, or not started and
    due within `soon` days; green otherwise. An undated action is never silently green: one whose
    date is to be confirmed is amber; an ongoing one is amber unless updated in the last 90 days."""
    if action.status == "done":
        return "delivered"
    if action.status == "dropped":
        return "dropped"
    if is_overdue(action, today):
        return "red"
    if action.status == "blocked":
        return "amber"
    if action.due is None and action.undated == "to-be-confirmed":
        return "amber"
    if action.due is None and action.undated == "ongoing":
        last = action.last_update
        return "green" if last is not None and (today - last).days <= ONGOING_QUIET_DAYS else "amber"
    if action.status == "not-started" and action.due is not None and (action.due - today).days <= soon:
        return "amber"
    return "green"


def recommendation_rag(rec: Recommendation, today: date, soon: int = DEFAULT_SOON_DAYS) -> Rag:
    """closed when a board signed it off (on or before `today`); delivered when every action is
    done or dropped and at least one is done; dropped when all are dropped; otherwise the worst
    RAG among open actions. No actions at all is amber: nothing is planned, which needs
    attention (and `check` reports it as an error)."""
    if rec.closure is not None and rec.closure.date <= today:
        return "closed"
    rags = [action_rag(a, today, soon) for a in rec.actions]
    if not rags:
        return "amber"
    open_rags = [r for r in rags if r not in CLOSED_RAGS]
    if open_rags:
        return min(open_rags, key=RAGS.index)
    return "delivered" if "delivered" in rags else "dropped"


def days_until(day: date | None, today: date) -> int | None:
    """Days from today to `day`: negative when it has passed."""
    return None if day is None else (day - today).days
