"""Red/amber/green: the derived state of actions and recommendations on a given day."""

from __future__ import annotations

from datetime import date
from typing import Literal

from yotplan.plans.models import Action, Recommendation

Rag = Literal["red", "amber", "green", "complete", "dropped"]
RAGS: tuple[Rag, ...] = ("red", "amber", "green", "complete", "dropped")
"""Worst first: the order of summaries and of a recommendation's roll-up."""

DEFAULT_SOON_DAYS = 14


def is_overdue(action: Action, today: date) -> bool:
    return action.is_open and action.due is not None and action.due < today


def action_rag(action: Action, today: date, soon: int = DEFAULT_SOON_DAYS) -> Rag:
    """complete/dropped by status; red when overdue; amber when blocked, or not started and
    due within `soon` days; green otherwise."""
    if action.status == "done":
        return "complete"
    if action.status == "dropped":
        return "dropped"
    if is_overdue(action, today):
        return "red"
    if action.status == "blocked":
        return "amber"
    if action.status == "not-started" and action.due is not None and (action.due - today).days <= soon:
        return "amber"
    return "green"


def recommendation_rag(rec: Recommendation, today: date, soon: int = DEFAULT_SOON_DAYS) -> Rag:
    """complete when every action is done or dropped and at least one is done; dropped when all
    are dropped; otherwise the worst RAG among open actions. No actions at all is amber: nothing
    is planned, which needs attention (and `check` reports it as an error)."""
    rags = [action_rag(a, today, soon) for a in rec.actions]
    if not rags:
        return "amber"
    open_rags = [r for r in rags if r not in ("complete", "dropped")]
    if open_rags:
        return min(open_rags, key=RAGS.index)
    return "complete" if "complete" in rags else "dropped"


def days_until(day: date | None, today: date) -> int | None:
    """Days from today to `day`: negative when it has passed."""
    return None if day is None else (day - today).days
