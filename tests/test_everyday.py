"""Everyday use, as a YOT manager and a Board member meet it: show what you can, keep what people
type, say it plainly. Each test is one point of the issue, through the CLI at a fixed --today."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import SHIPPED_PLANS, Invoke

AFTER = "2022-10-01"
HMIP = "hmip-inspection.yaml"


def break_one_file(plans: Path) -> Path:
    """A colleague's edit: a status in the wrong words and a UK date, in the HMIP file only."""
    path = plans / HMIP
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: not-started", "status: Complete", 1).replace("due: 2022-09-30", "due: 30/09/2022", 1)
    path.write_text(text, encoding="utf-8")
    return path


# 1. One typo hides nothing -------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["status"], ["overdue"], ["upcoming", "--within", "365"], ["owners"], ["show", "LGA-b"], ["search", "board"]],
    ids=lambda c: c[0],
)
def test_a_broken_file_is_named_and_every_other_file_is_shown(cli: Invoke, plans: Path, command: list[str]) -> None:
    broken = break_one_file(plans)
    result = cli(*command, "--plans", plans, "--today", AFTER)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) >= 2
    assert all(line.startswith(f"{broken}:") and " error YP010 " in line for line in lines[:2])
    assert re.match(rf"{re.escape(str(broken))}:\d+:\d+: error YP010 'Complete' is not a valid status", lines[0])
    assert ("yot-manager" if command == ["owners"] else "LGA-") in result.stdout  # other sources' rows are there


def test_the_table_foot_says_what_was_left_out(cli: Invoke, plans: Path) -> None:
    broken = break_one_file(plans)
    out = cli("status", "--plans", plans, "--today", AFTER).stdout
    assert "HMIP-1 " not in out
    foot = " ".join(out[out.index("Not shown: ") :].split())
    assert foot == f"Not shown: 1 file that did not load ({broken}); the errors above say why."


def test_json_carries_the_problems(cli: Invoke, plans: Path) -> None:
    break_one_file(plans)
    data = json.loads(cli("overdue", "--plans", plans, "--today", AFTER, "-f", "json").stdout)
    assert set(data) == {"today", "actions", "problems"}
    assert data["problems"][0].keys() == {"path", "line", "column", "severity", "code", "message"}
    assert {p["code"] for p in data["problems"]} == {"YP010"}
    assert data["actions"]


def test_an_unknown_owner_is_an_error_in_every_reading_command(cli: Invoke, plans: Path) -> None:
    path = plans / HMIP
    path.write_text(path.read_text(encoding="utf-8").replace("owner: camhs-lead", "owner: camhs-leed", 1))
    result = cli("status", "--plans", plans, "--today", AFTER)
    assert result.exit_code == 1
    assert "error YP104 owner 'camhs-leed' is not in owners.yaml (did you mean 'camhs-lead'?)" in result.stderr
    assert "HMIP-1" in result.stdout


def test_warnings_alone_exit_0_and_overdue_warnings_stay_in_check(cli: Invoke) -> None:
    result = cli("status", "--plans", SHIPPED_PLANS, "--today", "2026-11-30")
    assert result.exit_code == 0
    assert result.stderr == ""


# 2. The first screen tells the truth about time -------------------------------------------------


def test_status_says_when_the_plans_were_last_updated(cli: Invoke) -> None:
    out = cli("status", "--plans", SHIPPED_PLANS, "--today", "2026-11-30").stdout
    assert "Latest update 2022-05-06, 1669 days ago." in out
    assert "Nothing has been recorded for 1669 days" in out
    assert "--today 2022-05-06" in out
    recent = cli("status", "--plans", SHIPPED_PLANS, "--today", "2022-06-01").stdout
    assert "Latest update 2022-05-06, 26 days ago." in recent
    assert "Nothing has been recorded" not in recent


def test_status_json_says_when_the_plans_were_last_updated(cli: Invoke) -> None:
    data = json.loads(cli("status", "-f", "json", "--plans", SHIPPED_PLANS, "--today", AFTER).stdout)
    assert data["latest_update"] == "2022-05-06"


# 3. Tables keep what people type and read -------------------------------------------------------


@pytest.mark.parametrize("width", [80, 140, 220])
def test_ids_and_owner_keys_are_never_cut(cli: Invoke, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    status = cli("status", "--plans", SHIPPED_PLANS, "--today", AFTER).stdout
    owners = cli("owners", "--plans", SHIPPED_PLANS, "--today", AFTER).stdout
    assert "director-childrens-…" not in status + owners
    assert "director-childrens-services" in owners
    assert all(f"{i} " in status for i in ("HMIP-1", "IR-5", "LGA-j"))
    if width >= 140:
        assert "director-childrens-services" in status


def test_recommendation_text_is_shown_in_full_on_a_wide_terminal(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")
    out = cli("status", "--plans", SHIPPED_PLANS, "--today", AFTER).stdout
    cells = " ".join(line.split("│")[3].strip() for line in out.splitlines() if line.startswith("│"))
    assert "in undertaking assessments, recording case information and identifying and managing risk" in cells
    assert "…" not in out


def test_overdue_keeps_the_due_date_and_days_at_80_columns(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("overdue", "--plans", SHIPPED_PLANS, "--today", AFTER).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    header = out.splitlines()[1]
    assert "due" in header
    assert "days overdue" in header
    assert "2022-06-15" in out


def test_overdue_and_upcoming_end_with_a_count(cli: Invoke) -> None:
    overdue = cli("overdue", "--plans", SHIPPED_PLANS, "--today", AFTER).stdout
    assert overdue.splitlines()[-1] == "18 overdue actions (as at 2022-10-01)"
    upcoming = cli("upcoming", "--plans", SHIPPED_PLANS, "--today", AFTER, "--within", "31").stdout
    assert re.fullmatch(r"\d+ open actions due in the next 31 days", upcoming.splitlines()[-1])
    one = cli("overdue", "--plans", SHIPPED_PLANS, "--today", "2022-06-16", "--owner", "yot-board-chair").stdout
    assert one.splitlines()[-1] == "1 overdue action (as at 2022-06-16)"


def test_csv_writes_done_and_total_as_two_numbers(cli: Invoke) -> None:
    rows = list(
        csv.DictReader(io.StringIO(cli("status", "-f", "csv", "--plans", SHIPPED_PLANS, "--today", AFTER).stdout))
    )
    assert (rows[0]["done"], rows[0]["total"]) == ("0", "3")
    assert all(r["done"].isdigit() and r["total"].isdigit() for r in rows)
    assert "/" not in "".join(r["done"] + r["total"] for r in rows)


# 4. Plain English ----------------------------------------------------------------------------


def test_an_impossible_date_is_said_plainly(cli: Invoke) -> None:
    result = cli("status", "--plans", SHIPPED_PLANS, "--today", "2022-02-30")
    assert result.exit_code == 2
    assert "2022-02-30 is not a date; use YYYY-MM-DD" in result.stderr
    assert "Value error" not in result.stderr
    assert "%Y" not in result.stderr
    other = cli("status", "--plans", SHIPPED_PLANS, "--today", "30/09/2022")
    assert other.exit_code == 2
    assert "'30/09/2022' is not a date written as YYYY-MM-DD" in other.stderr


@pytest.mark.parametrize(
    "command",
    [["status"], ["overdue"], ["upcoming"], ["check"], ["update"], ["log"], ["add", "action"], ["report"], ["search"]],
)
def test_help_reads_as_words_not_type_names(cli: Invoke, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = cli(*command, "--help").stdout
    for type_name in ("<bool>", "<list[", "<%Y-%m-%d>", "<int", "<str>", "<path>", "range>", "[x>="):
        assert type_name not in text, (command, type_name)
    assert not re.search(r"\w\|\n", text)  # a list of choices never wraps mid-word


def test_singular_and_plural_are_right(cli: Invoke, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "plans", "--today", "2022-06-01")
    assert result.exit_code == 0
    out = cli("status", "--plans", tmp_path / "plans", "--today", "2022-06-01").stdout
    assert "1 recommendation: " in out
    assert "1 recommendations" not in out


# 5. Looking upward ---------------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["plans", "docs", "docs/deeper"])
def test_plans_are_found_from_any_folder_of_the_repository(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    import shutil

    shutil.copytree(SHIPPED_PLANS, repo / "plans")
    (repo / folder).mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(repo / folder)
    result = cli("status", "--today", AFTER)
    assert result.exit_code == 0, result.stderr
    assert "23 recommendations" in result.stdout
    log = cli("log", "HMIP-1.1", "Found the plans from here", "--today", AFTER)
    assert log.exit_code == 0, log.stderr
    assert "Found the plans from here" in (repo / "plans" / HMIP).read_text(encoding="utf-8")


def test_when_nothing_is_found_the_message_says_where_yotplan_looked(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    monkeypatch.chdir(repo / "docs")
    result = cli("status", "--today", AFTER)
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: no plans folder found (looked for plans, ../plans); pass --plans DIR, or run `yotplan init`\n"
    )


def test_plans_and_the_environment_still_win(cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("YOTPLAN_PLANS", str(SHIPPED_PLANS))
    assert "23 recommendations" in cli("status", "--today", AFTER).stdout


# 6. Every change explained -------------------------------------------------------------------


def test_log_attaches_evidence(cli: Invoke, plans: Path) -> None:
    result = cli(
        "log", "HMIP-1.1", "CAMHS attended the June Board", "--date", "2022-06-14",
        "--evidence", "Board minutes, 14 June 2022", "-e", "Attendance register",
        "--plans", plans, "--today", AFTER,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("(2022-06-14), with 2 pieces of evidence\n")
    shown = cli("show", "HMIP-1.1", "--plans", plans, "--today", AFTER).stdout
    assert "evidence “Board minutes, 14 June 2022”" in shown
    assert "evidence “Attendance register”" in shown


def test_an_update_cannot_be_dated_in_the_future(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli("log", "HMIP-1.1", "Will happen", "--date", "2030-01-01", "--plans", plans, "--today", AFTER)
    assert result.exit_code == 1
    assert result.stderr.startswith("yotplan: error: an update records what happened, so it cannot be dated 2030-01-01")
    assert (plans / HMIP).read_bytes() == before


@pytest.mark.parametrize(
    ("new_id", "words"),
    [
        ("bad id", "'bad id' is not an id"),
        ("HMIP-2.9", "an action of HMIP-1 has an id that starts with 'HMIP-1.' (the next free one is HMIP-1.4)"),
        ("HMIP-1.1\x1b[31m", "is not an id"),
    ],
)
def test_add_refuses_ids_off_the_pattern(cli: Invoke, plans: Path, new_id: str, words: str) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli(
        "add", "action", "HMIP-1", "--id", new_id, "--title", "t", "--owner", "yot-manager", "--due", "2022-12-31",
        "--plans", plans, "--today", AFTER,
    )  # fmt: skip
    assert result.exit_code == 1
    assert words in result.stderr
    assert "\x1b" not in result.stderr
    assert (plans / HMIP).read_bytes() == before


# 9. The tools around it ----------------------------------------------------------------------


def test_check_prints_errors_before_warnings_and_quiet_prints_errors_only(cli: Invoke, plans: Path) -> None:
    path = plans / "lga-peer-review.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: yot-manager", "owner: yot-mangr", 1))
    full = cli("check", "--plans", plans, "--today", "2026-11-30")
    lines = full.stdout.splitlines()
    assert " error YP104 " in lines[0]
    assert all(" warning " in line for line in lines[1:])
    quiet = cli("check", "--quiet", "--plans", plans, "--today", "2026-11-30")
    assert quiet.exit_code == 1
    assert quiet.stdout.splitlines() == lines[:1]
    assert quiet.stderr == f"6 files checked: 1 error, {len(lines) - 1} warnings\n"
