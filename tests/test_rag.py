"""Red/amber/green on a given day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from yotplan.plans.models import Action, Recommendation
from yotplan.plans.validation import validate
from yotplan.rules.rag import action_rag, recommendation_rag

TODAY = date(2022, 6, 1)


def action(status: str, due_in: int | None, **extra: object) -> Action:
    due = None if due_in is None else (TODAY + timedelta(days=due_in)).isoformat()
    return validate(Action, {"id": "A.1", "title": "t", "status": status, "due": due, **extra})


@pytest.mark.parametrize(
    ("status", "due_in", "rag"),
    [
        ("done", -100, "delivered"),
        ("dropped", -100, "dropped"),
        ("in-progress", -1, "red"),
        ("blocked", -1, "red"),  # overdue outranks blocked
        ("not-started", -1, "red"),
        ("in-progress", 0, "green"),  # due today is not yet overdue
        ("blocked", 60, "amber"),
        ("not-started", 14, "amber"),  # due within --soon (14) days
        ("not-started", 15, "green"),
        ("in-progress", 3, "green"),  # started and on time
        ("not-started", None, "green"),  # undated: check reports YP105
    ],
)
def test_action_rag(status: str, due_in: int | None, rag: str) -> None:
    assert action_rag(action(status, due_in), TODAY) == rag


def test_soon_is_a_parameter() -> None:
    assert action_rag(action("not-started", 20), TODAY, soon=30) == "amber"
    assert action_rag(action("not-started", 20), TODAY, soon=7) == "green"


def rec(*actions: Action) -> Recommendation:
    return Recommendation(id="R-1", text="t", actions=list(actions))


@pytest.mark.parametrize(
    ("statuses", "rag"),
    [
        ([("done", -5), ("dropped", 5)], "delivered"),
        ([("dropped", 5), ("dropped", 6)], "dropped"),
        ([("done", -5), ("in-progress", 40), ("not-started", 3)], "amber"),
        ([("done", -5), ("in-progress", -2), ("blocked", 3)], "red"),
        ([("in-progress", 40)], "green"),
        ([], "amber"),
    ],
)
def test_recommendation_rag_is_worst_open_action(statuses: list[tuple[str, int]], rag: str) -> None:
    assert recommendation_rag(rec(*(action(s, d) for s, d in statuses)), TODAY) == rag


def ongoing(*updated_days_ago: int) -> Action:
    updates = [{"date": (TODAY - timedelta(days=d)).isoformat(), "note": "met"} for d in updated_days_ago]
    return action("in-progress", None, undated="ongoing", updates=updates)


def test_an_action_whose_date_is_to_be_confirmed_is_amber() -> None:
    assert action_rag(action("in-progress", None, undated="to-be-confirmed"), TODAY) == "amber"


@pytest.mark.parametrize(
    ("updated_days_ago", "rag"),
    [((), "amber"), ((0,), "green"), ((90,), "green"), ((91,), "amber"), ((200, 30), "green")],
)
def test_an_ongoing_action_is_green_only_while_it_is_updated(updated_days_ago: tuple[int, ...], rag: str) -> None:
    """Amber when nothing was recorded on it in the last 90 days (ONGOING_QUIET_DAYS), or ever."""
    assert action_rag(ongoing(*updated_days_ago), TODAY) == rag
