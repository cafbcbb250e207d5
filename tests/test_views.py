"""Queries over the shipped plans, checked against an independent reading of the YAML."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from yotplan.errors import UnknownId
from yotplan.plans.loader import is_plan_file_name, load_plans
from yotplan.plans.planset import ActionRef, PlanSet, RecommendationRef
from yotplan.views.queries import Filters, find_item, overdue_actions, owner_workload, status_view, upcoming_actions

from conftest import SHIPPED_PLANS


@pytest.fixture(scope="module")
def shipped() -> PlanSet:
    result = load_plans(SHIPPED_PLANS)
    assert result.problems == []
    return result.plans


def raw_actions() -> list[dict[str, Any]]:
    """Every action as plain PyYAML reads it: the oracle the views are checked against."""
    actions = []
    for path in sorted(Path(SHIPPED_PLANS).glob("*.yaml")):
        if not is_plan_file_name(path.name):
            continue
        for rec in yaml.safe_load(path.read_text(encoding="utf-8"))["recommendations"]:
            actions += [{**a, "rec": rec["id"]} for a in rec["actions"]]
    return actions


def test_status_lists_every_recommendation_in_file_order(shipped: PlanSet) -> None:
    view = status_view(shipped, date(2022, 6, 1))
    ids = [r.id for r in view.recommendations]
    assert len(ids) == 23
    assert ids[:8] == [f"HMIP-{n}" for n in range(1, 9)]
    assert {r.source for r in view.recommendations} == {"HMIP", "LGA", "IR"}
    assert sum(view.summary.values()) == 23
    assert sum(r.total for r in view.recommendations) == len(raw_actions())
    assert sum(r.done for r in view.recommendations) == sum(a["status"] == "done" for a in raw_actions())


@pytest.mark.parametrize("today", [date(2022, 6, 1), date(2022, 10, 1), date(2026, 11, 26)])
def test_overdue_matches_an_independent_count_most_overdue_first(shipped: PlanSet, today: date) -> None:
    expected = {
        a["id"]: (today - a["due"]).days
        for a in raw_actions()
        if a["status"] not in ("done", "dropped") and a["due"] < today
    }
    views = overdue_actions(shipped, today)
    assert {v.id: v.days_overdue for v in views} == expected
    days = [v.days_overdue for v in views]
    assert days == sorted(days, reverse=True)
    assert all(v.rag == "red" for v in views)


def test_upcoming_is_the_window_soonest_first(shipped: PlanSet) -> None:
    today = date(2022, 6, 1)
    views = upcoming_actions(shipped, today, within=30)
    expected = {
        a["id"] for a in raw_actions() if a["status"] not in ("done", "dropped") and 0 <= (a["due"] - today).days <= 30
    }
    assert {v.id for v in views} == expected
    assert [v.due for v in views] == sorted(v.due for v in views if v.due)
    assert upcoming_actions(shipped, today, within=0) == []


def test_filters_by_source_owner_and_rag(shipped: PlanSet) -> None:
    today = date(2022, 10, 1)
    lga = status_view(shipped, today, filters=Filters(sources=("lga",)))
    assert [r.id[:4] for r in lga.recommendations] == ["LGA-"] * 10
    red = status_view(shipped, today, filters=Filters(rags=("red",)))
    assert red.recommendations
    assert all(r.rag == "red" for r in red.recommendations)
    camhs = status_view(shipped, today, filters=Filters(owners=("camhs-lead",)))
    assert camhs.recommendations
    for rec in camhs.recommendations:
        assert rec.owner == "camhs-lead" or any(a.owner == "camhs-lead" for a in rec.actions)


def test_owner_workload_counts_open_overdue_and_due_soon(shipped: PlanSet) -> None:
    today = date(2022, 6, 1)
    rows = {o.key: o for o in owner_workload(shipped, today)}
    open_actions = [a for a in raw_actions() if a["status"] not in ("done", "dropped")]
    for key, row in rows.items():
        mine = [a for a in open_actions if a["owner"] == key]
        assert row.open == len(mine)
        assert row.overdue == sum(a["due"] < today for a in mine)
        assert row.due_soon == sum(0 <= (a["due"] - today).days <= 30 for a in mine)
    assert set(rows) == set(yaml.safe_load((SHIPPED_PLANS / "owners.yaml").read_text())["owners"])


def test_find_item_is_case_insensitive(shipped: PlanSet) -> None:
    rec = find_item(shipped, "hmip-3")
    assert isinstance(rec, RecommendationRef)
    assert rec.recommendation.id == "HMIP-3"
    action = find_item(shipped, " lga-D.1 ")
    assert isinstance(action, ActionRef)
    assert action.action.id == "LGA-d.1"


def test_unknown_id_names_the_closest(shipped: PlanSet) -> None:
    with pytest.raises(UnknownId, match=r"no recommendation or action has id 'HMIP-33'; did you mean HMIP-3"):
        find_item(shipped, "HMIP-33")
    with pytest.raises(UnknownId, match="yotplan status` lists the ids"):
        find_item(shipped, "zzzzzzzz")
