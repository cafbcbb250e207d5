"""`yotplan diff` and the plan comparison, on real git repositories built in tmp_path."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gitrepo import REPORT_PLANS, Repo, plan_history
from yotplan.history.compare import Change, compare_plans
from yotplan.plans.loader import load_plans

from conftest import Invoke


@pytest.fixture
def history(tmp_path: Path) -> tuple[Repo, dict[str, str]]:
    return plan_history(tmp_path / "repo")


def changes_json(cli: Invoke, *args: str | Path) -> dict[str, object]:
    result = cli("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def summaries(data: dict[str, object]) -> list[tuple[str, str]]:
    changes = data["changes"]
    assert isinstance(changes, list)
    return [(c["id"], c["summary"]) for c in changes]


def test_default_base_is_the_last_tag_compared_with_the_working_tree(
    cli: Invoke, history: tuple[Repo, dict[str, str]]
) -> None:
    repo, commits = history
    repo.edit(
        "alpha.yaml",
        "        owner: yot-manager\n        due: 2022-05-01",
        "        owner: board-chair\n        due: 2022-05-01",
    )

    data = changes_json(cli, "--plans", repo.plans)

    assert data["from"] == {"rev": "v1", "commit": commits["start"]}
    assert data["to"] == {"rev": "working tree", "commit": None}
    assert summaries(data) == [
        ("B-1.1", "due date moved from 2022-06-20 to 2022-07-20: slipped 30 days"),
        ("A-1.1", "owner changed from yot-manager to board-chair"),
        ("A-1.1", "update added: 2022-06-09: Second briefing booked."),
        ("A-1.3", "action added: Write the Board's terms of reference"),
        ("A-2.2", "status changed from in-progress to blocked"),
        ("A-2.2", "due date moved from 2022-12-31 to 2022-11-30: brought forward 31 days"),
    ]


def test_json_names_id_field_old_new_and_days(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = history
    changes = changes_json(cli, "v1", "--to", "HEAD", "--plans", repo.plans)["changes"]
    assert isinstance(changes, list)
    slipped, *_, forward = changes
    assert slipped == {
        "id": "B-1.1",
        "kind": "action",
        "title": "Recruit an analyst",
        "recommendation": "B-1",
        "field": "due",
        "old": "2022-06-20",
        "new": "2022-07-20",
        "days": 30,
        "slipped": True,
        "summary": "due date moved from 2022-06-20 to 2022-07-20: slipped 30 days",
    }
    assert (forward["field"], forward["days"], forward["slipped"]) == ("due", -31, False)
    status = next(c for c in changes if c["field"] == "status")
    assert (status["id"], status["old"], status["new"]) == ("A-2.2", "in-progress", "blocked")
    added = next(c for c in changes if c["field"] == "action")
    assert (added["id"], added["old"], added["new"]) == ("A-1.3", None, "Write the Board's terms of reference")
    assert added["title"] == "Write the Board's terms of reference"
    assert [c["title"] for c in changes if c["id"] == "A-2.2"] == ["Plan the second step", "Plan the second step"]


def test_json_has_the_title_in_full_and_tables_shorten_it(cli: Invoke, tmp_path: Path) -> None:
    """A recommendation's text is its title: whole in json, one short line in the table and markdown."""
    repo = Repo(tmp_path / "repo", REPORT_PLANS)
    repo.commit("Start", "2022-05-01T09:00:00+01:00")
    long_text = (
        "Make the Board understand the children known to the service, and advocate for them in their own agencies."
    )
    repo.edit("alpha.yaml", "    text: Make the Board understand the children.", f"    text: {long_text}")
    repo.edit("alpha.yaml", "    owner: board-chair\n    actions:", "    owner: yot-manager\n    actions:")

    changes = changes_json(cli, "HEAD", "--plans", repo.plans)["changes"]
    assert isinstance(changes, list)
    assert [(c["id"], c["field"], c["title"]) for c in changes] == [
        ("A-1", "text", long_text),
        ("A-1", "owner", long_text),
    ]

    table = cli("diff", "HEAD", "--plans", repo.plans).stdout
    assert "│ A-1 │ Make the Board understand the children… │ owner changed from board-chair to" in table
    markdown = cli("diff", "HEAD", "--plans", repo.plans, "--format", "markdown").stdout
    assert (
        "| A-1 | Make the Board understand the children… | owner changed from board-chair to yot-manager |" in markdown
    )


def test_two_revisions_leave_the_working_tree_out(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, commits = history
    repo.edit("beta.yaml", "title: Recruit an analyst", "title: Recruit two analysts")

    data = changes_json(cli, "HEAD~1", "--to", "HEAD", "--plans", repo.plans)

    assert data["to"] == {"rev": "HEAD", "commit": commits["forward"]}
    assert summaries(data) == [
        ("A-2.2", "due date moved from 2022-12-31 to 2022-11-30: brought forward 31 days"),
    ]


def test_without_a_tag_the_base_is_the_previous_commit(cli: Invoke, tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", REPORT_PLANS)
    repo.commit("Start", "2022-05-01T09:00:00+01:00")
    repo.edit("beta.yaml", "status: dropped", "status: done\n        completed: 2022-05-20")
    second = repo.commit("B-1.2 done after all", "2022-05-21T09:00:00+01:00")
    repo.edit("beta.yaml", "due: 2022-06-20", "due: 2022-06-25")

    data = changes_json(cli, "--plans", repo.plans)

    assert data["from"] == {"rev": "HEAD~1", "commit": repo.git("rev-parse", "HEAD~1")}
    assert second != data["from"]
    assert summaries(data) == [
        ("B-1.1", "due date moved from 2022-06-20 to 2022-06-25: slipped 5 days"),
        ("B-1.2", "status changed from dropped to done"),
        ("B-1.2", "completed on 2022-05-20"),
    ]


def test_table_shows_slipped_dates_first_and_labelled(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, commits = history
    result = cli("diff", "--plans", repo.plans)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Changes from v1 ({repo.short(commits['start'])}) to working tree"
    rows = [line for line in lines if line.startswith("│ ") and not line.startswith("│       ")]
    assert rows[0].startswith("│ B-1.1 │ Recruit an analyst ")
    assert "│ SLIPPED 30 days: due date moved from 2022-06-20 to 2022-07-20" in rows[0]
    assert lines[2].split() == ["┃", "id", "┃", "title", "┃", "change", "┃"]
    assert any(row.startswith("│ A-1.3 │ Write the Board's terms of reference │ action added: ") for row in rows)
    assert lines[-1] == "5 changes, 1 slipped due date"


def test_markdown(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, commits = history
    result = cli("diff", "v1", "--to", "HEAD", "--plans", repo.plans, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    short = repo.short(commits["start"])
    assert result.stdout.splitlines()[:5] == [
        f"**Changes from v1 ({short}) to HEAD ({repo.short('HEAD')})**",
        "",
        "| id | title | change |",
        "| --- | --- | --- |",
        "| B-1.1 | Recruit an analyst | **SLIPPED 30 days:** due date moved from 2022-06-20 to 2022-07-20 |",
    ]


def test_no_changes(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = history
    result = cli("diff", "HEAD", "--plans", repo.plans)
    assert result.exit_code == 0
    assert "No changes to the plans." in result.stdout


def test_not_a_git_repository(cli: Invoke, plans: Path) -> None:
    result = cli("diff", "--plans", plans)
    assert result.exit_code == 1
    assert result.stderr == (
        f"yotplan: error: {plans} is not inside a git repository; "
        "diff, history and --since read the plans' git history\n"
    )


def test_unknown_revision(cli: Invoke, history: tuple[Repo, dict[str, str]]) -> None:
    repo, _ = history
    result = cli("diff", "v9", "--plans", repo.plans)
    assert result.exit_code == 1
    assert result.stderr.startswith("yotplan: error: revision 'v9' does not exist in ")
    assert result.stderr.count("\n") == 1
    result = cli("diff", "v1", "--to", "no-such-branch", "--plans", repo.plans)
    assert result.exit_code == 1
    assert "revision 'no-such-branch' does not exist" in result.stderr


def test_only_one_commit_and_no_tag(cli: Invoke, tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", REPORT_PLANS)
    repo.commit("Start", "2022-05-01T09:00:00+01:00")
    result = cli("diff", "--plans", repo.plans)
    assert result.exit_code == 1
    assert "no tag and no previous commit" in result.stderr
    assert cli("diff", "HEAD", "--plans", repo.plans).exit_code == 0


def test_git_not_installed(
    cli: Invoke, history: tuple[Repo, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = history
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli("diff", "--plans", repo.plans)
    assert result.exit_code == 1
    assert (
        result.stderr
        == "yotplan: error: git is not installed (or not on PATH); install git to compare plan revisions\n"
    )


def test_a_file_broken_at_the_old_revision_is_reported_and_the_rest_compared(cli: Invoke, tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", REPORT_PLANS)
    repo.edit("alpha.yaml", "  kind: inspection", "  kind: inspection\n  kind: duplicate")
    repo.commit("Broken alpha", "2022-05-01T09:00:00+01:00")
    repo.tag("broken")
    repo.edit("alpha.yaml", "  kind: inspection\n  kind: duplicate", "  kind: inspection")
    repo.edit("beta.yaml", "due: 2022-06-20", "due: 2022-07-01")

    result = cli("diff", "--plans", repo.plans, "--format", "json")

    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert summaries(data) == [("B-1.1", "due date moved from 2022-06-20 to 2022-07-01: slipped 11 days")]
    assert data["skipped_files"] == ["alpha.yaml"]
    first, note = result.stderr.splitlines()
    assert first == "broken:plans/alpha.yaml:7:3: error YP003 duplicate key 'kind' (first at line 6); keep one of them"
    assert note == "yotplan: note: not compared, unreadable at one side: alpha.yaml"


def test_plans_folder_at_the_top_of_the_repository(cli: Invoke, tmp_path: Path) -> None:
    top = tmp_path / "top"
    shutil.copytree(REPORT_PLANS, top)
    repo = Repo(top)
    repo.commit("Start", "2022-05-01T09:00:00+01:00")
    (top / "beta.yaml").write_text((top / "beta.yaml").read_text().replace("status: dropped", "status: blocked"))
    data = changes_json(cli, "HEAD", "--plans", top)
    assert summaries(data) == [("B-1.2", "status changed from dropped to blocked")]


# compare_plans on its own ----------------------------------------------------------------


def _docs(folder: Path) -> list:  # type: ignore[type-arg]
    result = load_plans(folder)
    assert not result.problems
    return result.plans.plans


def test_recommendations_added_and_removed_and_actions_moved(tmp_path: Path) -> None:
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(REPORT_PLANS, old)
    shutil.copytree(REPORT_PLANS, new)
    beta = (new / "beta.yaml").read_text()
    # B-1.2 moves to a new recommendation B-2; ALPHA's file loses A-1 entirely.
    beta = beta.replace(
        "      - id: B-1.2",
        "  - id: B-2\n    text: A new one.\n    owner: yot-manager\n    actions:\n      - id: B-1.2",
    )
    (new / "beta.yaml").write_text(beta)
    alpha = (new / "alpha.yaml").read_text()
    start, end = alpha.index("  - id: A-1"), alpha.index("  - id: A-2")
    (new / "alpha.yaml").write_text(alpha[:start] + alpha[end:])

    changes = compare_plans(_docs(old), _docs(new))

    assert [(c.id, c.field, c.old, c.new) for c in changes] == [
        ("A-1", "recommendation", "Make the Board understand the children.", None),
        ("A-1.1", "action", "Brief the Board", None),
        ("A-1.2", "action", "Appoint a chair", None),
        ("B-2", "recommendation", None, "A new one."),
        ("B-1.2", "moved", "B-1", "B-2"),
    ]
    assert changes[4].describe() == "moved from recommendation B-1 to B-2"


def test_every_change_carries_its_items_title(tmp_path: Path) -> None:
    """An action's title, or a recommendation's text, as it is now: the reader need not look the id up."""
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(REPORT_PLANS, old)
    shutil.copytree(REPORT_PLANS, new)
    alpha = (old / "alpha.yaml").read_text()
    (old / "alpha.yaml").write_text(alpha[: alpha.index("      - id: A-2.2")])  # is new
    beta = (new / "beta.yaml").read_text()
    beta = beta.replace("title: Recruit an analyst", "title: Recruit two analysts")
    beta = beta.replace("        status: dropped\n", "        status: dropped\n        evidence: [Board minutes]\n")
    (new / "beta.yaml").write_text(beta.replace("text: Keep the data up to date.", "text: Keep the data current."))

    changes = compare_plans(_docs(old), _docs(new))

    assert [(c.id, c.field, c.title) for c in changes] == [
        ("A-2.2", "action", "Plan the second step"),
        ("B-1", "text", "Keep the data current."),
        ("B-1.1", "title", "Recruit two analysts"),
        ("B-1.2", "evidence", "Buy a new system"),
    ]


def test_due_date_set_and_removed_are_not_slips() -> None:
    set_ = Change("X-1", "action", "due", None, "2022-07-01", "X")
    removed = Change("X-1", "action", "due", "2022-07-01", None, "X")
    assert not set_.slipped
    assert not removed.slipped
    assert set_.describe() == "due date set to 2022-07-01"
    assert removed.describe() == "due date removed (was 2022-07-01)"
    assert Change("X-1", "action", "due", "2022-07-01", "2022-07-02", "X", 1).describe() == (
        "due date moved from 2022-07-01 to 2022-07-02: slipped 1 day"
    )
