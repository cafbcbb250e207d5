"""The Torbay plan in plans/: complete, faithful to the review, and passing check."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from yotplan.plans.loader import is_plan_file_name, load_plans
from yotplan.plans.planset import PlanSet
from yotplan.rules.checker import check_folders

from conftest import REPO, SHIPPED_PLANS

REVIEW = REPO / "docs" / "sources" / "torbay-yos-improvement-review-2022.txt"
REVIEW_DATE = date(2022, 5, 6)


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def plans() -> PlanSet:
    result = load_plans(SHIPPED_PLANS)
    assert result.problems == []
    return result.plans


@pytest.fixture(scope="module")
def review() -> str:
    return normalise(REVIEW.read_text(encoding="utf-8"))


def test_all_23_recommendations_are_there(plans: PlanSet) -> None:
    ids = [ref.recommendation.id for ref in plans.recommendations()]
    expected = [f"HMIP-{n}" for n in range(1, 9)] + [f"IR-{n}" for n in range(1, 6)]
    expected += [f"LGA-{c}" for c in "abcdefghij"]
    assert sorted(ids) == sorted(expected)


@pytest.mark.parametrize("today", [REVIEW_DATE, date(2022, 10, 1), date(2026, 11, 26)])
def test_no_errors_on_any_date(today: date) -> None:
    problems, files = check_folders([SHIPPED_PLANS], today)
    assert files == 5
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_recommendation_texts_are_verbatim(plans: PlanSet, review: str) -> None:
    for ref in plans.recommendations():
        assert normalise(ref.recommendation.text) in review, ref.recommendation.id


def test_every_started_or_finished_action_quotes_the_review(plans: PlanSet, review: str) -> None:
    for ref in plans.actions():
        action = ref.action
        if action.status != "not-started":
            assert action.evidence, f"{action.id} is {action.status} with no evidence"
        for quote in action.evidence:
            assert normalise(quote) in review, f"{action.id}: not in the review: {quote!r}"


def test_status_is_as_the_review_found_it(plans: PlanSet) -> None:
    for ref in plans.actions():
        action = ref.action
        if action.completed is not None:
            assert action.completed <= REVIEW_DATE, action.id
        assert all(u.date <= REVIEW_DATE for u in action.updates), action.id


def test_related_links_are_symmetric_and_include_the_issue_examples(plans: PlanSet) -> None:
    related = {ref.recommendation.id: set(ref.recommendation.related) for ref in plans.recommendations()}
    for rec_id, others in related.items():
        for other in others:
            assert rec_id in related[other], f"{rec_id} -> {other} but not back"
    assert {"LGA-c", "LGA-d", "LGA-e"} <= related["HMIP-3"]
    assert {"LGA-f", "IR-2"} <= related["HMIP-7"]


def test_headers_say_which_dates_are_the_plans_own() -> None:
    for path in sorted(Path(SHIPPED_PLANS).glob("*.yaml")):
        if not is_plan_file_name(path.name):
            continue
        header = path.read_text(encoding="utf-8").split("\nsource:")[0]
        assert re.search(r"planning dates?", header, re.IGNORECASE), path.name
        assert "not the review" in header.lower() or "not the review's" in header.lower(), path.name


def test_owners_are_roles_not_people(plans: PlanSet) -> None:
    used = {r.recommendation.owner for r in plans.recommendations()} | {a.action.owner for a in plans.actions()}
    assert used == set(plans.owners)
    for owner in plans.owners.values():
        assert owner.contact is None
    signatories = ("Anne-Marie Bond", "Stephen Hart")
    text = "".join(p.read_text(encoding="utf-8") for p in Path(SHIPPED_PLANS).glob("*.yaml"))
    assert not any(name in text for name in signatories)
