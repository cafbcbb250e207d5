"""A Board's year replayed through the real CLI in a real git repository (issue 19's scenario).

An indicator (baseline 30%, target 90% by 2023-03-31), three readings (20%, 25%, 92%), two
meetings of the YOT Management Board, the delivery of HMIP-3 and its sign-off, each step
committed on its own date. What the Board then reads must be true: the sign-off, the reading
and the completion are among the changes since its last meeting, `change` is since the
baseline, a 92% reading before the target date meets a 90% target, and no commit hash is
printed in its paper.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitrepo import Repo

from conftest import SHIPPED_PLANS, Invoke

BOARDS = """\
boards:
  yot-board:
    name: YOT Management Board
    chair: yot-board-chair
    meetings:
      - date: 2022-12-13
      - date: 2023-03-14
"""
INDICATOR = "HMIP-3-caseloads"


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    from typer.testing import CliRunner

    from yotplan.cli import app

    runner = CliRunner()
    repo = Repo(tmp_path_factory.mktemp("year") / "repo", SHIPPED_PLANS)
    (repo.plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")

    def run(*args: str, today: str) -> None:
        result = runner.invoke(app, [*args, "--plans", str(repo.plans), "--today", today], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr

    run("add", "indicator", "HMIP-3", "--id", INDICATOR, "--name", "Caseloads within the agreed limit",
        "--unit", "%", "--better", "higher", "--baseline", "30", "--baseline-date", "2022-11-01",
        "--target", "90", "--target-date", "2023-03-31", today="2022-11-01")  # fmt: skip
    repo.commit("An indicator for caseloads", "2022-11-02T09:00:00+00:00")
    run("record", INDICATOR, "20%", "--date", "2022-12-01", today="2022-12-05")
    repo.commit("Caseloads in November", "2022-12-05T09:00:00+00:00")
    run("record", INDICATOR, "25%", "--date", "2023-01-31", today="2023-02-01")
    repo.commit("Caseloads in January", "2023-02-01T09:00:00+00:00")
    run("update", "HMIP-3.2", "--status", "done", "--completed", "2023-03-10", today="2023-03-14")
    run("record", INDICATOR, "92%", "--date", "2023-03-10", "--note", "Caseload report, March", today="2023-03-14")
    run("signoff", "HMIP-3", "--meeting", "yot-board@2023-03-14", "--note", "Evidence accepted", today="2023-03-14")
    repo.commit("HMIP-3 delivered and signed off", "2023-03-14T17:00:00+00:00")
    return repo


def test_change_is_since_the_baseline_at_each_reading(cli: Invoke, year: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    def indicator(today: str) -> dict[str, object]:
        data = json.loads(cli("indicators", "-f", "json", "--plans", year.plans, "--today", today).stdout)
        return next(i for i in data["indicators"] if i["id"] == INDICATOR)

    january = indicator("2023-02-01")
    assert (january["change"], january["change_since_previous"], january["rag"]) == (-5, 5, "red")
    march = indicator("2023-03-20")
    assert (march["change"], march["change_since_previous"], march["rag"]) == (62, 67, "green")
    monkeypatch.setenv("COLUMNS", "200")
    table = cli("indicators", "--plans", year.plans, "--today", "2023-02-01").stdout
    assert "since baseline" in table
    assert "since previous" in table


def test_the_sign_off_at_92_against_90_was_accepted(cli: Invoke, year: Repo) -> None:
    text = (year.plans / "hmip-inspection.yaml").read_text(encoding="utf-8")
    closure = text.split("  - id: HMIP-3\n")[1].split("  - id: HMIP-4\n")[0].split("closure:\n")[1]
    assert (
        closure.rstrip("\n") + "\n"
        == "      meeting: yot-board@2023-03-14\n      date: 2023-03-14\n      note: Evidence accepted\n"
    )
    status = json.loads(cli("status", "-f", "json", "--plans", year.plans, "--today", "2023-03-20").stdout)
    assert next(r for r in status["recommendations"] if r["id"] == "HMIP-3")["stage"] == "closed"


def test_the_meeting_paper_lists_the_sign_off_the_reading_and_the_completion(cli: Invoke, year: Repo) -> None:
    md = cli(
        "report", "--meeting", "yot-board@2023-03-14", "--format", "markdown",
        "--plans", year.plans, "--today", "2023-03-20",
    ).stdout  # fmt: skip
    changes = md[md.index("## Changes since") : md.index("## Overdue actions")]
    assert changes.startswith("## Changes since yot-board\\@2022-12-13\n\nFrom yot-board\\@2022-12-13 to yot-board")
    rows = [line for line in changes.splitlines() if line.startswith("| HMIP-3")]
    assert rows == [
        "| HMIP-3 | review management capacity to ensure there are necessary… | signed off at yot-board\\@2023-03-14 |",
        "| HMIP-3.2 | Review management capacity against the revised structure… | "
        "status changed from not-started to done |",
        "| HMIP-3.2 | Review management capacity against the revised structure… | completed on 2023-03-10 |",
        "| HMIP-3-caseloads | Caseloads within the agreed limit | reading added: 25% on 2023-01-31 |",
        "| HMIP-3-caseloads | Caseloads within the agreed limit | reading added: 92% on 2023-03-10 |",
    ]


def test_no_commit_hash_in_the_board_paper(cli: Invoke, year: Repo) -> None:
    html = cli("report", "--meeting", "yot-board@2023-03-14", "--plans", year.plans, "--today", "2023-03-20").stdout
    assert "reading added: 92% on 2023-03-10" in html
    hashes = year.git("rev-list", "--all").split()
    assert len(hashes) == 4
    for full in hashes:
        for width in (7, 8, 9, 10, 12, 40):
            assert full[:width] not in html
    since = cli("report", "--since", "HEAD~2", "--plans", year.plans, "--today", "2023-03-20").stdout
    assert "Changes since the plans as committed on 2022-12-05" in since
    assert not any(full[:7] in since for full in hashes)


def test_history_and_show_take_the_indicator_id(cli: Invoke, year: Repo) -> None:
    history = json.loads(cli("history", INDICATOR.lower(), "-f", "json", "--plans", year.plans).stdout)
    assert history["kind"] == "indicator"
    said = [c["summary"] for commit in history["commits"] for c in commit["changes"]]
    assert said == [
        "indicator added: Caseloads within the agreed limit",
        "reading added: 20% on 2022-12-01",
        "reading added: 25% on 2023-01-31",
        "reading added: 92% on 2023-03-10",
    ]
    shown = cli("show", INDICATOR, "--plans", year.plans, "--today", "2023-03-20").stdout
    assert "change: +62 since the baseline, +67 since the reading before\n" in shown
    assert "reading: 92% on 2023-03-10 (Caseload report, March)\n" in shown


def test_the_recommendation_history_holds_its_board_work(cli: Invoke, year: Repo) -> None:
    history = json.loads(cli("history", "HMIP-3", "-f", "json", "--plans", year.plans).stdout)
    last = history["commits"][-1]
    assert last["date"].startswith("2023-03-14")
    assert [c["summary"] for c in last["changes"]] == [
        "signed off at yot-board@2023-03-14",
        "status changed from not-started to done",
        "completed on 2023-03-10",
        "reading added: 92% on 2023-03-10",
    ]


def test_an_undated_meeting_added_is_a_change(cli: Invoke, year: Repo, tmp_path: Path) -> None:
    added = cli("add", "meeting", "yot-board", "--date", "2023-06-13", "--plans", year.plans, "--today", "2023-03-20")
    assert added.exit_code == 0, added.stderr
    try:
        data = json.loads(cli("diff", "HEAD", "-f", "json", "--plans", year.plans).stdout)
        assert [c["summary"] for c in data["changes"]] == ["meeting added: yot-board@2023-06-13"]
    finally:
        year.git("checkout", "--", "plans/boards.yaml")
