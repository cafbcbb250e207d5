"""Every read-only command and format through Typer's CliRunner, at a fixed date."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from yotplan import __version__

from conftest import REPO, Invoke

Golden = Callable[[str, str], None]
AFTER_DEADLINES = "2022-10-01"  # a mix of red, amber, green and complete in the shipped plans
ANSI = re.compile(r"\x1b\[")
SHIPPED_PLANS = Path("plans")


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, as a user would, so paths print as plans/..."""
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("status", "--format", "json"), "status.json"),
        (("status",), "status.txt"),
        (("status", "--format", "csv"), "status.csv"),
        (("status", "--format", "markdown"), "status.md"),
        (("overdue",), "overdue.txt"),
        (("overdue", "--format", "json"), "overdue.json"),
        (("overdue", "--format", "csv"), "overdue.csv"),
        (("overdue", "--format", "markdown"), "overdue.md"),
        (("upcoming", "--within", "90"), "upcoming.txt"),
        (("upcoming", "--within", "90", "--format", "json"), "upcoming.json"),
        (("owners",), "owners.txt"),
        (("owners", "--format", "json"), "owners.json"),
        (("show", "hmip-3"), "show-recommendation.txt"),
        (("show", "LGA-b.1"), "show-action.txt"),
    ],
)
def test_output_matches_golden(cli: Invoke, golden: Golden, args: tuple[str, ...], name: str) -> None:
    result = cli(*args, "--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    golden(name, result.stdout)


def test_status_json_is_the_documented_shape(cli: Invoke) -> None:
    data = json.loads(cli("status", "-f", "json", "--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES).stdout)
    assert data["today"] == AFTER_DEADLINES
    assert len(data["recommendations"]) == 23
    rec = data["recommendations"][0]
    assert {"id", "source", "owner", "rag", "actions"} <= rec.keys()
    assert {"id", "owner", "due", "status", "rag"} <= rec["actions"][0].keys()
    assert sum(data["summary"].values()) == 23


def test_overdue_json_and_csv_agree(cli: Invoke) -> None:
    args = ("--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES)
    as_json = json.loads(cli("overdue", "-f", "json", *args).stdout)["actions"]
    rows = list(csv.DictReader(io.StringIO(cli("overdue", "-f", "csv", *args).stdout)))
    assert [a["id"] for a in as_json] == [r["id"] for r in rows]
    assert [a["days_overdue"] for a in as_json] == [int(r["days overdue"]) for r in rows]
    assert as_json[0] == {
        "id": "LGA-b.1",
        "title": as_json[0]["title"],
        "owner": "yot-board-chair",
        "due": "2022-06-15",
        "days_overdue": 108,
        "status": "in-progress",
        "recommendation": "LGA-b",
        "source": "LGA",
        "service": "torbay",
    }


def test_overdue_fail_exits_1_only_when_something_is_overdue(cli: Invoke) -> None:
    late = cli("overdue", "--fail", "--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES)
    assert late.exit_code == 1
    assert "LGA-b.1" in late.stdout
    on_time = cli("overdue", "--fail", "--plans", SHIPPED_PLANS, "--today", "2022-06-01")
    assert on_time.exit_code == 0
    assert on_time.stdout == "No overdue actions.\n"


def test_filters_and_upcoming_window(cli: Invoke) -> None:
    result = cli("status", "-s", "ir", "--rag", "red", "-f", "json", "--plans", SHIPPED_PLANS, "--today", "2022-10-01")
    recs = json.loads(result.stdout)["recommendations"]
    assert recs
    assert {r["source"] for r in recs} == {"IR"}
    assert {r["rag"] for r in recs} == {"red"}
    soon = json.loads(
        cli("upcoming", "-w", "14", "-f", "json", "--plans", SHIPPED_PLANS, "--today", "2022-06-01").stdout
    )["actions"]
    assert [a["id"] for a in soon] == ["LGA-b.1", "LGA-f.1"]
    assert all(a["days_left"] == 14 for a in soon)


@pytest.mark.parametrize("width", [40, 80, 120])
def test_tables_fit_the_terminal(cli: Invoke, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for command in ("status", "overdue", "owners"):
        out = cli(command, "--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES).stdout
        assert max(len(line) for line in out.splitlines()) <= width
        assert "LGA-b" in out or "yot-manager" in out
    status = cli("status", "--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES).stdout
    assert all(f"HMIP-{n} " in status for n in range(1, 9))  # ids are never cut
    assert "23 recommendations:" in status


def table_cells(out: str) -> tuple[list[str], list[dict[str, str]]]:
    """A printed table's headers and its rows, each cell's lines joined (a broken key whole again)."""
    lines = [line for line in out.splitlines() if line.startswith(("┃", "│"))]
    headers = [cell.strip() for cell in lines[0].strip("┃").split("┃")]
    rows: list[list[str]] = []
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0]:
            rows.append(cells)
        else:  # a continuation line: a key goes on without a space, text with one
            rows[-1] = [
                a + ("" if a.endswith("-") else " ") + b if b else a for a, b in zip(rows[-1], cells, strict=True)
            ]
    return headers, [dict(zip(headers, row, strict=True)) for row in rows]


def test_at_80_columns_status_and_overdue_keep_what_a_manager_needs(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    args = ("--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES)
    status = cli("status", *args).stdout
    headers, rows = table_cells(status)
    assert headers == ["id", "recommendation", "owner", "done", "next due", "rag"]
    data = json.loads(cli("status", "-f", "json", *args).stdout)["recommendations"]
    assert [(r["id"], r["owner"]) for r in rows] == [(r["id"], r["owner"]) for r in data]
    assert rows[0]["recommendation"].startswith("make sure that Board members understand")
    assert max(len(line) for line in status.splitlines()) >= 76  # the width is used, not a third left empty
    overdue = cli("overdue", *args).stdout
    headers, rows = table_cells(overdue)
    assert headers == ["id", "title", "owner", "due", "days overdue"]
    data = json.loads(cli("overdue", "-f", "json", *args).stdout)["actions"]
    assert [(r["id"], r["owner"], r["due"]) for r in rows] == [(a["id"], a["owner"], a["due"]) for a in data]
    assert max(len(line) for line in overdue.splitlines()) >= 76


def test_user_text_is_not_read_as_markup(cli: Invoke, plans: Path) -> None:
    path = plans / "hmip-inspection.yaml"
    title = "        title: Secure regular CAMHS attendance at the YOT Management Board\n"
    hostile = '        title: "[bold]Board[/bold] and [red]CAMHS[/] [link=x]"\n'
    path.write_text(path.read_text(encoding="utf-8").replace(title, hostile), encoding="utf-8")
    shown = cli("show", "HMIP-1.1", "--plans", plans, "--today", AFTER_DEADLINES).stdout
    assert "[bold]Board[/bold] and [red]CAMHS[/] [link=x]" in shown
    listed = cli("overdue", "--plans", plans, "--today", AFTER_DEADLINES).stdout
    assert "[bold]Board[/bold]" in listed


def test_colour_follows_rich_conventions(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("status", "--plans", SHIPPED_PLANS, "--today", AFTER_DEADLINES)
    assert not ANSI.search(cli(*args).stdout)  # NO_COLOR (pinned) and not a terminal
    monkeypatch.delenv("NO_COLOR")
    assert not ANSI.search(cli(*args).stdout)  # piped: no escape codes
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("TERM")  # rich treats TERM=dumb as no colour at all
    assert ANSI.search(cli(*args).stdout)


def test_env_vars_choose_plans_and_today(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTPLAN_PLANS", str(SHIPPED_PLANS))
    monkeypatch.setenv("YOTPLAN_TODAY", AFTER_DEADLINES)
    data = json.loads(cli("status", "-f", "json").stdout)
    assert data["today"] == AFTER_DEADLINES


def test_version_and_help(cli: Invoke) -> None:
    assert cli("--version").stdout == f"yotplan {__version__}\n"
    top = cli("--help").stdout
    for command in ("status", "overdue", "upcoming", "show", "owners", "check"):
        assert command in top
        assert "Example:" in cli(command, "--help").stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("status", "--today", "2022-13-01"), "Invalid value for '--today'"),
        (("status", "--format", "xml"), "Invalid value for '--format'"),
        (("status", "--rag", "purple"), "Invalid value for '--rag'"),
        (("status", "--source", "HMPI"), "'HMPI' is not known (did you mean 'HMIP'?)"),
        (("overdue", "--owner", "yot-manger"), "did you mean 'yot-manager'?"),
        (("upcoming", "--within", "-3"), "Invalid value for '--within'"),
        (("status", "--no-such-option"), "No such option"),
        (("show",), "Missing argument 'ID'"),
        (("frobnicate",), "No such command"),
    ],
)
def test_bad_command_lines_exit_2_with_usage(cli: Invoke, args: tuple[str, ...], words: str) -> None:
    result = cli(*args, *(("--plans", str(SHIPPED_PLANS)) if args[0] not in ("show", "frobnicate") else ()))
    assert result.exit_code == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_show_unknown_id_is_one_line_exit_1(cli: Invoke) -> None:
    result = cli("show", "HMIP-9", "--plans", SHIPPED_PLANS)
    assert result.exit_code == 1
    assert result.stderr.startswith("yotplan: error: no recommendation or action has id 'HMIP-9'; did you mean")
    assert result.stderr.count("\n") == 1
