"""`yotplan history ID` on a real git repository with fixed authors and dates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import REPORT_PLANS, Repo, plan_history

from conftest import Invoke


@pytest.fixture
def history(tmp_path: Path) -> tuple[Repo, dict[str, str]]:
    return plan_history(tmp_path / "repo")


def timeline(cli: Invoke, *args: str | Path) -> dict[str, object]:
    result = cli("history", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_action_timeline_json(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, commits = history
    data = timeline(cli, "A-2.2", "--plans", repo.plans)
    assert (data["id"], data["kind"]) == ("A-2.2", "action")
    entries = data["commits"]
    assert isinstance(entries, list)
    assert [(e["commit"], e["short"], e["date"], e["author"], e["subject"]) for e in entries] == [
        (commits["start"], repo.short(commits["start"]), "2022-05-01T09:00:00+01:00", "Alex Analyst", "Start the plan"),
        (commits["june"], repo.short(commits["june"]), "2022-06-10T14:30:00+01:00", "Sam Secretary", "June review"),
        (
            commits["forward"],
            repo.short(commits["forward"]),
            "2022-06-20T11:00:00+01:00",
            "Alex Analyst",
            "Bring A-2.2 forward",
        ),
    ]
    assert [[c["summary"] for c in e["changes"]] for e in entries] == [
        ["action added: Plan the second step"],
        ["status changed from in-progress to blocked"],
        ["due date moved from 2022-12-31 to 2022-11-30: brought forward 31 days"],
    ]


def test_id_is_matched_in_any_case_and_only_commits_that_touched_it_show(
    cli: Invoke, history: tuple[Repo, dict[str, str]]
) -> None:
    repo, _ = history
    data = timeline(cli, "b-1.1", "--plans", repo.plans)
    assert data["id"] == "B-1.1"
    entries = data["commits"]
    assert isinstance(entries, list)
    assert [(e["subject"], [c["summary"] for c in e["changes"]]) for e in entries] == [
        ("Start the plan", ["action added: Recruit an analyst"]),
        ("June review", ["due date moved from 2022-06-20 to 2022-07-20: slipped 30 days"]),
    ]


def test_recommendation_timeline_includes_its_actions(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = history
    data = timeline(cli, "A-1", "--plans", repo.plans)
    assert data["kind"] == "recommendation"
    entries = data["commits"]
    assert isinstance(entries, list)
    assert [(e["subject"], [(c["id"], c["field"], c["title"]) for c in e["changes"]]) for e in entries] == [
        (
            "Start the plan",
            [
                ("A-1", "recommendation", "Make the Board understand the children."),
                ("A-1.1", "action", "Brief the Board"),
                ("A-1.2", "action", "Appoint a chair"),
            ],
        ),
        (
            "June review",
            [("A-1.1", "update", "Brief the Board"), ("A-1.3", "action", "Write the Board's terms of reference")],
        ),
    ]


def test_recommendation_table_names_each_action_it_lists(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = history
    result = cli("history", "A-1", "--plans", repo.plans)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "History of recommendation A-1: Make the Board understand the children."
    text = " ".join(result.stdout.replace("│", " ").split())
    assert "A-1.1 Brief the Board: update added: 2022-06-09: Second briefing booked." in text
    assert "A-1.3 Write the Board's terms of reference: action added:" in text
    markdown = cli("history", "A-1", "--plans", repo.plans, "--format", "markdown").stdout
    assert markdown.splitlines()[0] == "**History of recommendation A-1: Make the Board understand the children.**"
    assert "| A-1.1 Brief the Board: update added: 2022-06-09: Second briefing booked.<br>A-1.3 Write" in markdown


def test_table(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, commits = history
    result = cli("history", "B-1.1", "--plans", repo.plans)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0] == "History of action B-1.1: Recruit an analyst"
    june = next(line for line in out.splitlines() if repo.short(commits["june"]) in line)
    assert june.startswith(f"│ 2022-06-10 │ {repo.short(commits['june'])} │ Sam Secretary │ June review")
    assert "SLIPPED 30 days: due date moved from 2022-06-20 to 2022-07-20" in " ".join(out.split())


def test_markdown(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, commits = history
    result = cli("history", "B-1.1", "--plans", repo.plans, "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "**History of action B-1.1: Recruit an analyst**"
    assert result.stdout.splitlines()[-1] == (
        f"| 2022-06-10T14:30:00+01:00 | {repo.short(commits['june'])} | Sam Secretary | June review "
        "| **SLIPPED 30 days:** due date moved from 2022-06-20 to 2022-07-20 |"
    )


def test_unknown_id_suggests_close_ones(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = history
    result = cli("history", "A-1.4", "--plans", repo.plans)
    assert result.exit_code == 1
    assert result.stderr.startswith("yotplan: error: no recommendation or action has id 'A-1.4'; did you mean ")
    assert "A-1.3" in result.stderr


def test_an_action_removed_later_still_has_a_history(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = history
    text = (repo.plans / "beta.yaml").read_text()
    start = text.index("      - id: B-1.2")
    (repo.plans / "beta.yaml").write_text(text[:start])
    repo.commit("Drop B-1.2 from the plan", "2022-07-01T09:00:00+01:00")
    entries = timeline(cli, "B-1.2", "--plans", repo.plans)["commits"]
    assert isinstance(entries, list)
    assert [[c["summary"] for c in e["changes"]] for e in entries] == [
        ["action added: Buy a new system"],
        ["action removed: Buy a new system"],
    ]


def test_a_commit_that_broke_a_file_is_reported_and_its_change_shows_when_fixed(cli: Invoke, tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", REPORT_PLANS)
    repo.commit("Start", "2022-05-01T09:00:00+01:00")
    repo.edit("beta.yaml", "due: 2022-06-20", "due: 2022-06-31")  # no such day
    broken = repo.commit("Typo in a date", "2022-05-02T09:00:00+01:00")
    repo.edit("beta.yaml", "due: 2022-06-31", "due: 2022-07-01")
    fixed = repo.commit("Fix the date", "2022-05-03T09:00:00+01:00")

    result = cli("history", "B-1.1", "--plans", repo.plans, "--format", "json")

    assert result.exit_code == 0
    assert result.stderr.startswith(f"{repo.short(broken)}:plans/beta.yaml:14:14: error YP010 ")
    assert "'2022-06-31'" in result.stderr
    entries = json.loads(result.stdout)["commits"]
    assert [(e["commit"], [c["summary"] for c in e["changes"]]) for e in entries][1:] == [
        (fixed, ["due date moved from 2022-06-20 to 2022-07-01: slipped 11 days"]),
    ]


def test_not_a_git_repository(cli: Invoke, plans: Path) -> None:
    result = cli("history", "HMIP-1", "--plans", plans)
    assert result.exit_code == 1
    assert "is not inside a git repository" in result.stderr
