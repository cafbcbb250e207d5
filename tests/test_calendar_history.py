"""`yotplan calendar`'s SEQUENCE and LAST-MODIFIED, from real git repositories with set dates."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from gitrepo import REPORT_PLANS, Repo, git_env
from yotplan.history.sequence import SHALLOW_WARNING, event_revisions
from yotplan.plans.loader import load_plans

from conftest import SHIPPED_PLANS, Invoke

TODAY = "2022-08-01"
MIDNIGHT = datetime(2022, 8, 1, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def moved_twice(root: Path) -> Repo:
    """The report fixture through five commits:

    1. 2022-05-01 09:00 +01:00 "Start": the fixture as it is.
    2. 2022-06-10 14:30 +01:00 "Slip B-1.1": its due date 2022-06-20 -> 2022-07-20.
    3. 2022-06-20 11:00 +01:00 "Retitle A-1.1": "Brief the Board" -> "Brief the whole Board".
    4. 2022-07-01 16:45 +01:00 "Slip B-1.1 again": -> 2022-08-31; a note on A-2.2 (not shown).
    5. 2022-07-05 08:00 +00:00 "Notes": an update and a measure on A-2.1, A-1.1's title re-wrapped
       over two lines (the same words): nothing an event shows.
    """
    repo = Repo(root, REPORT_PLANS)
    repo.commit("Start", "2022-05-01T09:00:00+01:00")
    repo.edit("beta.yaml", "due: 2022-06-20", "due: 2022-07-20")
    repo.commit("Slip B-1.1", "2022-06-10T14:30:00+01:00")
    repo.edit("alpha.yaml", "title: Brief the Board\n", "title: Brief the whole Board\n")
    repo.commit("Retitle A-1.1", "2022-06-20T11:00:00+01:00")
    repo.edit("beta.yaml", "due: 2022-07-20", "due: 2022-08-31")
    repo.edit(
        "alpha.yaml",
        "        title: Plan the second step\n",
        "        title: Plan the second step\n        updates:\n          - date: 2022-06-30\n"
        "            note: Started.\n",
    )
    repo.commit("Slip B-1.1 again", "2022-07-01T16:45:00+01:00")
    repo.edit("alpha.yaml", "        due: 2022-06-10\n", "        due: 2022-06-10\n        measure: Done when seen.\n")
    repo.edit("alpha.yaml", "title: Brief the whole Board\n", "title: >-\n          Brief the whole\n          Board\n")
    repo.commit("Notes", "2022-07-05T08:00:00+00:00")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return moved_twice(tmp_path / "repo")


def events(cli: Invoke, plans: Path, *args: str, exit_code: int = 0) -> dict[str, tuple[int, datetime]]:
    """SEQUENCE and LAST-MODIFIED by UID, parsed back by icalendar."""
    result = cli("calendar", "--plans", plans, "--today", TODAY, *args)
    assert result.exit_code == exit_code, result.stderr
    calendar = Calendar.from_ical(result.stdout_bytes)
    # Each UID ends in `.<service>` (the repository's folder name here, or torbay): keyed without it.
    return {
        str(e["uid"]).rsplit(".", 1)[0]: (int(e.decoded("sequence")), e.decoded("last-modified"))
        for e in calendar.walk("VEVENT")
    }


def test_sequence_counts_the_commits_that_changed_what_an_event_shows(cli: Invoke, repo: Repo) -> None:
    assert events(cli, repo.plans) == {
        "a-1.1@yotplan.alpha": (1, utc("2022-06-20T11:00:00+01:00")),  # retitled once; re-wrapping is not a change
        "a-2.1@yotplan.alpha": (0, utc("2022-05-01T09:00:00+01:00")),  # a note and a measure only
        "a-2.2@yotplan.alpha": (0, utc("2022-05-01T09:00:00+01:00")),  # a note only
        "b-1.1@yotplan.beta": (2, utc("2022-07-01T16:45:00+01:00")),  # due date moved twice
    }


def test_the_ics_text_has_them_in_utc(cli: Invoke, repo: Repo) -> None:
    text = cli("calendar", "--plans", repo.plans, "--today", TODAY).stdout_bytes.decode()
    [b11] = [event for event in text.split("BEGIN:VEVENT") if "\r\nUID:b-1.1@yotplan.beta." in event]
    assert "\r\nSEQUENCE:2\r\n" in b11
    assert "\r\nLAST-MODIFIED:20220701T154500Z\r\n" in b11


def test_status_and_owner_changes_count_and_a_commit_counts_once(cli: Invoke, repo: Repo) -> None:
    repo.edit("beta.yaml", "status: in-progress", "status: blocked")
    repo.edit(
        "beta.yaml",
        "        owner: yot-manager\n        due: 2022-08-31",
        "        owner: board-chair\n        due: 2022-08-31",
    )
    repo.commit("Block B-1.1", "2022-07-10T12:00:00+01:00")
    assert events(cli, repo.plans)["b-1.1@yotplan.beta"] == (3, utc("2022-07-10T12:00:00+01:00"))


def test_uncommitted_changes_add_one_dated_today(cli: Invoke, repo: Repo) -> None:
    repo.edit("alpha.yaml", "due: 2022-12-31", "due: 2023-01-31")  # in the working tree only
    repo.edit("beta.yaml", "due: 2022-08-31", "due: 2022-09-30")  # B-1.1 a third time
    found = events(cli, repo.plans)
    assert found["a-2.2@yotplan.alpha"] == (1, MIDNIGHT)
    assert found["b-1.1@yotplan.beta"] == (3, MIDNIGHT)
    assert found["a-2.1@yotplan.alpha"] == (0, utc("2022-05-01T09:00:00+01:00"))
    # A working-tree change is newer than every commit, even with --today before the last one.
    early = events(cli, repo.plans, "--today", "2022-07-02")
    assert early["a-2.2@yotplan.alpha"] == (1, utc("2022-07-05T08:00:00+00:00"))


def test_an_action_not_yet_committed_has_sequence_0_dated_today(cli: Invoke, repo: Repo) -> None:
    new = "      - id: A-2.3\n        title: Third step\n        owner: yot-manager\n        due: 2022-10-31\n"
    path = repo.plans / "alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8") + new, encoding="utf-8")
    assert events(cli, repo.plans)["a-2.3@yotplan.alpha"] == (0, MIDNIGHT)


def test_a_move_to_another_file_is_not_a_change_and_history_follows_the_id(cli: Invoke, repo: Repo) -> None:
    alpha, beta = (repo.plans / "alpha.yaml").read_text(), (repo.plans / "beta.yaml").read_text()
    block = beta[beta.index("      - id: B-1.1") : beta.index("      - id: B-1.2")]
    (repo.plans / "beta.yaml").write_text(beta.replace(block, ""))
    (repo.plans / "alpha.yaml").write_text(alpha + block)
    repo.commit("Move B-1.1 to ALPHA-2", "2022-07-20T09:00:00+01:00")
    # The UID follows the source, so this is a new event to a calendar; its SEQUENCE never goes down.
    # (B-1.1 under A-2 breaks the id pattern, YP112: an error, and the calendar is still written.)
    moved = events(cli, repo.plans, exit_code=1)
    assert moved["b-1.1@yotplan.alpha"] == (2, utc("2022-07-01T16:45:00+01:00"))


def test_a_file_broken_for_a_commit_counts_its_change_once_it_reads_again(cli: Invoke, repo: Repo) -> None:
    good = (repo.plans / "beta.yaml").read_text()
    (repo.plans / "beta.yaml").write_text(good.replace("due: 2022-08-31", "due: [broken"))
    repo.commit("Oops", "2022-07-11T09:00:00+01:00")
    (repo.plans / "beta.yaml").write_text(good.replace("due: 2022-08-31", "due: 2022-09-15"))
    repo.commit("Fix", "2022-07-12T09:00:00+01:00")
    assert events(cli, repo.plans)["b-1.1@yotplan.beta"] == (3, utc("2022-07-12T09:00:00+01:00"))


def test_a_removed_action_put_back_continues_its_sequence(cli: Invoke, repo: Repo) -> None:
    beta = (repo.plans / "beta.yaml").read_text()
    block = beta[beta.index("      - id: B-1.1") : beta.index("      - id: B-1.2")]
    (repo.plans / "beta.yaml").write_text(beta.replace(block, ""))
    repo.commit("Remove B-1.1", "2022-07-13T09:00:00+01:00")
    (repo.plans / "beta.yaml").write_text(beta.replace("due: 2022-08-31", "due: 2022-10-31"))
    repo.commit("Put it back, later", "2022-07-14T09:00:00+01:00")
    assert events(cli, repo.plans)["b-1.1@yotplan.beta"] == (3, utc("2022-07-14T09:00:00+01:00"))


def test_branches_merged_into_head_count_each_commit_once(cli: Invoke, repo: Repo) -> None:
    repo.git("checkout", "--quiet", "-b", "side")
    repo.edit("alpha.yaml", "due: 2022-12-31", "due: 2022-11-30")
    repo.commit("Side: A-2.2 earlier", "2022-07-15T09:00:00+01:00")
    repo.git("checkout", "--quiet", "main")
    repo.edit("beta.yaml", "due: 2022-08-31", "due: 2022-09-30")
    repo.commit("Main: B-1.1 later", "2022-07-16T09:00:00+01:00")
    repo.git("merge", "--quiet", "--no-edit", "side", when="2022-07-17T09:00:00+01:00")
    found = events(cli, repo.plans)
    assert found["a-2.2@yotplan.alpha"] == (1, utc("2022-07-15T09:00:00+01:00"))
    assert found["b-1.1@yotplan.beta"] == (3, utc("2022-07-16T09:00:00+01:00"))


def test_the_same_repository_and_date_give_the_same_bytes(cli: Invoke, repo: Repo) -> None:
    first = cli("calendar", "--plans", repo.plans, "--today", TODAY).stdout_bytes
    assert cli("calendar", "--plans", repo.plans, "--today", TODAY).stdout_bytes == first
    repo.edit("alpha.yaml", "due: 2022-12-31", "due: 2023-01-31")
    dirty = cli("calendar", "--plans", repo.plans, "--today", TODAY).stdout_bytes
    assert cli("calendar", "--plans", repo.plans, "--today", TODAY).stdout_bytes == dirty != first


def test_outside_git_every_event_has_sequence_0_dated_today(cli: Invoke, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(REPORT_PLANS, plain)
    result = cli("calendar", "--plans", plain, "--today", TODAY)
    assert result.stderr == ""
    assert set(events(cli, plain).values()) == {(0, MIDNIGHT)}


def test_a_shallow_clone_warns_once_and_counts_nothing(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", f"file://{repo.root}", str(shallow)],
        env=git_env(),
        check=True,
        capture_output=True,
    )
    result = cli("calendar", "--plans", shallow / "plans", "--today", TODAY)
    assert result.exit_code == 0
    assert result.stderr == f"yotplan: warning: {SHALLOW_WARNING}\n"
    assert "git fetch --unshallow" in result.stderr
    assert "fetch-depth: 0" in result.stderr
    assert set(events(cli, shallow / "plans").values()) == {(0, MIDNIGHT)}


def test_git_failing_is_a_warning_not_a_failure(cli: Invoke, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")  # no git
    result = cli("calendar", "--plans", repo.plans, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stderr.startswith("yotplan: warning: git is not installed")
    assert result.stderr.endswith("; calendar events have SEQUENCE 0\n")
    assert b"SEQUENCE:0\r\n" in result.stdout_bytes


def test_an_empty_repository_is_like_uncommitted_plans(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "empty", REPORT_PLANS)
    plans = load_plans(repo.plans).plans
    revisions = event_revisions(repo.plans, plans, date(2022, 8, 1))
    assert revisions.warning is None
    assert set(revisions.by_action.values()) == {(0, MIDNIGHT)}
    assert set(revisions.by_action) == {ref.action.id for ref in plans.actions()}


def fifty_commits(root: Path) -> Repo:
    """The shipped plans, then 50 commits each moving one due date a day later."""
    repo = Repo(root, SHIPPED_PLANS)
    repo.commit("Start", "2022-05-01T09:00:00+01:00")
    path = repo.plans / "hmip-inspection.yaml"
    for n in range(50):
        text = path.read_text(encoding="utf-8")
        day = date.fromordinal(date(2022, 7, 31).toordinal() + n)
        nxt = date.fromordinal(day.toordinal() + 1)
        path.write_text(text.replace(f"due: {day}", f"due: {nxt}", 1), encoding="utf-8")
        repo.commit(f"Move {n}", (datetime(2022, 6, 1, tzinfo=UTC) + timedelta(hours=n)).isoformat())
    return repo


def test_fifty_commits_are_read_in_one_pass(cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The calendar's history is a few git processes whatever the number of actions and commits, not one
    per action or per commit: each git process names itself in $GIT_TRACE's file."""
    repo = fifty_commits(tmp_path / "fifty")
    trace = tmp_path / "git-trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    found = events(cli, repo.plans)
    assert found["hmip-1.1@yotplan.hmip"][0] == 50
    assert found["hmip-1.2@yotplan.hmip"][0] == 0
    processes = [line for line in trace.read_text().splitlines() if "trace: built-in: git" in line]
    actions = (repo.plans / "hmip-inspection.yaml").read_text().count("      - id: HMIP-")
    assert 0 < len(processes) <= 10 < actions, (actions, processes)
