"""The Torbay plan in plans/: complete, faithful to the review, and passing check."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from yotplan.plans.loader import is_plan_file_name, load_plans
from yotplan.plans.models import Action
from yotplan.plans.planset import PlanSet
from yotplan.rules.checker import check_folders

from conftest import REPO, SHIPPED_PLANS, Invoke

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
    assert files == 6
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
    chairs = {board.chair for board in plans.boards.values() if board.chair}
    assert used | chairs == set(plans.owners)
    for owner in plans.owners.values():
        assert owner.contact is None
    signatories = ("Anne-Marie Bond", "Stephen Hart")
    text = "".join(p.read_text(encoding="utf-8") for p in Path(SHIPPED_PLANS).glob("*.yaml"))
    assert not any(name in text for name in signatories)


ASSUMED = "the action says so with `basis: assumed` under its `status:` line"
PLAN_FILES = ("hmip-inspection.yaml", "lga-peer-review.yaml", "improvement-review.yaml")


def header(name: str) -> str:
    return (Path(SHIPPED_PLANS) / name).read_text(encoding="utf-8").split("\nsource:")[0]


def action(plans: PlanSet, action_id: str) -> Action:
    (found,) = [ref.action for ref in plans.actions() if ref.action.id == action_id]
    return found


def assumed_statuses(plans: PlanSet) -> dict[str, bool]:
    """Per action id: whether the plan marks its status assumed (`basis: assumed`)."""
    return {ref.action.id: ref.action.basis == "assumed" for ref in plans.actions()}


def test_every_status_is_evidenced_or_marked_assumed(plans: PlanSet) -> None:
    marks = assumed_statuses(plans)
    actions = {ref.action.id: ref.action for ref in plans.actions()}
    for action_id, item in actions.items():
        assert bool(item.evidence) != marks[action_id], f"{action_id}: needs evidence or basis: assumed, not both"
        assert item.status_basis == ("assumed" if marks[action_id] else "evidenced"), action_id
        if marks[action_id]:
            assert item.status == "not-started", action_id
    assert sum(marks.values()) == 24
    assert sum(not mark for mark in marks.values()) == 29


def test_every_completion_date_is_the_plans_own(plans: PlanSet) -> None:
    """The review gives no completion date: each `completed:` is the review's date, marked the plan's."""
    done = [ref.action for ref in plans.actions() if ref.action.completed is not None]
    assert len(done) == 5
    assert all(a.completed_basis == "assumed" for a in done)


def test_the_report_and_show_say_which_statuses_and_dates_are_assumed(cli: Invoke) -> None:
    md = cli("report", "--format", "markdown", "--plans", SHIPPED_PLANS, "--today", "2022-10-01").stdout
    assert "24 of 53 statuses are assumed: the source is silent on them" in md
    assert "; not started (assumed: the source is silent)." in md
    assert "done on 2022-05-06 (the plan's date: the source gives none)." in md
    html = cli("report", "--plans", SHIPPED_PLANS, "--today", "2022-10-01").stdout
    assert "<p>24 of 53 statuses are assumed: the source is silent on them" in html
    shown = cli("show", "LGA-f.2", "--plans", SHIPPED_PLANS, "--today", "2022-10-01").stdout
    assert "status: not-started (assumed: the source is silent)\n" in shown


def test_headers_say_which_statuses_are_assumed() -> None:
    for name in PLAN_FILES:
        text = normalise(header(name))
        assert "each action's status is as the review found it" not in text.lower(), name
        assert ASSUMED in text, name
        assert "`evidence:` entry quoting the review exactly" in text, name


def test_evidence_fits_the_action(plans: PlanSet) -> None:
    # LGA-f.2 is about communicating the Parkfield plans; the review's lines on staff accepting
    # local delivery are about something else (HMIP-7.1), and the review is silent on LGA-f.2.
    lga_f2 = action(plans, "LGA-f.2")
    assert lga_f2.evidence == []
    assert lga_f2.status == "not-started"
    assert "gained traction" not in normalise(" ".join(u.note for u in lga_f2.updates))


def test_one_fact_one_status(plans: PlanSet) -> None:
    # "fully quorate, but CAMHS is too often absent": a problem, and no step yet to fix it.
    camhs = {action(plans, i).status for i in ("HMIP-1.1", "LGA-a.3", "IR-3.1")}
    assert camhs == {"not-started"}
    # "the YOT Operations Board is focused upon the eight areas of concern": done.
    assert action(plans, "LGA-g.1").status == "done"
    # "the Team Manager becoming a full member ...": under way.
    becoming = {action(plans, i).status for i in ("LGA-c.1", "IR-2.2")}
    assert becoming == {"in-progress"}
    # "some of which will be shared": not shared yet.
    assert action(plans, "IR-1.4").status == "not-started"


def test_wording_follows_the_review(plans: PlanSet) -> None:
    assert "parkfield" not in action(plans, "HMIP-7.1").title.lower()
    hmip_1_2 = " ".join(u.note for u in action(plans, "HMIP-1.2").updates).lower()
    assert "the review found" not in hmip_1_2
    assert "following the review" in hmip_1_2
    ir_1_3 = " ".join(u.note for u in action(plans, "IR-1.3").updates)
    assert "Operations Board" not in ir_1_3
    assert "Executive" not in ir_1_3
    assert "Board Chair and the YOT Manager" in ir_1_3
    assert "undertaken by" in normalise(header("improvement-review.yaml"))
    assert "carried out for" not in normalise(header("improvement-review.yaml"))
    assert "is this plan's attribution, not the review's" in normalise(header("hmip-inspection.yaml"))


def test_boards_are_the_three_the_review_names(plans: PlanSet) -> None:
    chairs = {key: (board.name, board.chair) for key, board in plans.boards.items()}
    assert chairs == {
        "yot-board": ("YOT Management Board", "yot-board-chair"),
        "ccib": ("Children's Continuous Improvement Board", "ccib-chair"),
        "yot-operations-board": ("YOT Operations Board", None),
    }
    # The review gives no meeting dates; its own date is the only one the plan could claim.
    meetings = {m.date for board in plans.boards.values() for m in board.meetings}
    assert meetings <= {REVIEW_DATE}
    text = (Path(SHIPPED_PLANS) / "boards.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/boards.schema.json\n")
    assert "the review gives no meeting date" in normalise(text).lower()


def test_partner_boards_report_to_the_ccib(plans: PlanSet) -> None:
    # "all partner boards ... report on progress ... to the Children's Continuous Improvement Board"
    assert action(plans, "IR-1.2").owner == "yot-board-chair"


def test_the_unfilled_post_says_who_holds_its_actions(plans: PlanSet) -> None:
    held = sorted(ref.action.id for ref in plans.actions() if ref.action.owner == "yot-data-analyst")
    assert held == ["HMIP-4.1", "IR-4.2", "LGA-h.2"]
    role = plans.owners["yot-data-analyst"].role
    assert "not yet filled" in role
    assert "the YOT Manager holds its actions" in role
    assert "yot-manager" in plans.owners


def test_indicators_and_impact_invent_nothing(plans: PlanSet) -> None:
    # The review gives no number for anything it names as countable: an indicator may have a target
    # (the plan's choice) but no baseline and no reading taken from the review.
    for ref in plans.recommendations():
        for indicator in ref.recommendation.indicators:
            assert indicator.baseline is None, indicator.id
            assert indicator.readings == [], indicator.id
            assert indicator.target.date > REVIEW_DATE, indicator.id
    # No impact is claimed and nothing is signed off: the review could not yet evaluate impact.
    assert all(ref.recommendation.impact == [] for ref in plans.recommendations())
    assert all(ref.recommendation.closure is None for ref in plans.recommendations())


def test_the_review_conclusion_is_quoted_verbatim(plans: PlanSet, review: str) -> None:
    sources = {doc.model.source.id: doc.model.source for doc in plans.plans}
    conclusion = sources["IR"].conclusion
    assert conclusion is not None
    assert normalise(conclusion) in review
    assert "it has not been possible to evaluate the impacts" in conclusion


@pytest.mark.parametrize("today", [date(2022, 6, 1), REVIEW_DATE, date(2026, 11, 26)])
def test_check_finds_no_errors_and_no_personal_data(today: date) -> None:
    problems, _ = check_folders([SHIPPED_PLANS], today)
    assert [str(p) for p in problems if p.severity == "error"] == []
    assert [str(p) for p in problems if p.code.startswith("YP3")] == []
