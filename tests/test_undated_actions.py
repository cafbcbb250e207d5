"""Actions with no date (`undated: to-be-confirmed | ongoing`, issue 18) as every view shows them.

The plans are imported through the real CLI from a CSV whose dates are `TBC` and `Ongoing`, then
read by `show`, `status`, `upcoming`, `overdue`, the report, the export and the calendar.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import Invoke

TODAY = "2024-02-14"


@pytest.fixture
def undated(cli: Invoke, tmp_path: Path) -> Path:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Recommendation,Action,Lead,Target date,Status,Progress\n"
        "Board,Agree terms,YOT Manager,TBC,Not started,\n"
        "Board,Keep attendance up,YOT Manager,Ongoing,In progress,Attendance recorded at every Board\n"
        "Board,Review the protocol,YOT Manager,Ongoing,In progress,\n",
        encoding="utf-8",
    )
    out = tmp_path / "plans"
    result = cli("import", path, "-o", out, "--as-of", "2024-02-01", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    return out


def test_rag_is_amber_until_dated_and_ongoing_is_judged_by_its_latest_update(cli: Invoke, undated: Path) -> None:
    shown = {
        i: cli("show", i, "--plans", undated, "--today", TODAY).stdout for i in ("PLAN-1.1", "PLAN-1.2", "PLAN-1.3")
    }
    assert shown["PLAN-1.1"].startswith("PLAN-1.1  amber  Agree terms")
    assert "  due: to be confirmed\n" in shown["PLAN-1.1"]
    assert shown["PLAN-1.2"].startswith("PLAN-1.2  green  Keep attendance up")  # updated 13 days ago
    assert "  due: ongoing\n" in shown["PLAN-1.2"]
    assert shown["PLAN-1.3"].startswith("PLAN-1.3  amber  Review the protocol")  # ongoing, nothing recorded
    later = cli("show", "PLAN-1.2", "--plans", undated, "--today", "2024-06-01").stdout
    assert later.startswith("PLAN-1.2  amber")  # 121 days without an update


def test_undated_actions_are_never_overdue_or_upcoming_and_json_says_why(cli: Invoke, undated: Path) -> None:
    assert cli("overdue", "--plans", undated, "--today", "2030-01-01").stdout == "No overdue actions.\n"
    upcoming = cli("upcoming", "--plans", undated, "--today", TODAY, "--format", "json")
    data = json.loads(upcoming.stdout)
    assert [key for key, value in data.items() if isinstance(value, list) and value] == []
    status = json.loads(cli("status", "--plans", undated, "--today", TODAY, "--format", "json").stdout)
    [rec] = status["recommendations"]
    assert rec["rag"] == "amber"
    assert [(a["id"], a["due"], a["undated"]) for a in rec["actions"]] == [
        ("PLAN-1.1", None, "to-be-confirmed"),
        ("PLAN-1.2", None, "ongoing"),
        ("PLAN-1.3", None, "ongoing"),
    ]


def test_the_report_and_the_export_show_them_as_they_are(cli: Invoke, undated: Path, tmp_path: Path) -> None:
    report = cli("report", "--plans", undated, "--today", TODAY, "--format", "markdown").stdout
    assert "**PLAN-1.1 Agree terms**: AMBER. YOT Manager, Not recorded in the spreadsheet; to be confirmed;" in report
    assert "**PLAN-1.2 Keep attendance up**: GREEN. YOT Manager, Not recorded in the spreadsheet; ongoing;" in report
    workbook = tmp_path / "pack.xlsx"
    assert cli("export", "--plans", undated, "--today", TODAY, "-o", workbook).exit_code == 0
    rows = list(load_workbook(workbook)["Actions"].iter_rows(values_only=True))
    due = rows[0].index("Due")
    assert [r[due] for r in rows[1:]] == ["to be confirmed", "ongoing", "ongoing"]


def test_check_warns_until_a_date_is_set(cli: Invoke, undated: Path) -> None:
    check = cli("check", "--plans", undated, "--today", TODAY)
    assert check.exit_code == 0
    assert "warning YP204 action PLAN-1.1's date is to be confirmed" in check.stdout
    assert "warning YP204 action PLAN-1.3 is ongoing with no update at all" in check.stdout
    assert "PLAN-1.2" not in check.stdout
    assert cli("update", "PLAN-1.1", "--due", "2024-03-31", "--plans", undated, "--today", TODAY).exit_code == 0
    text = (undated / "plan.yaml").read_text(encoding="utf-8")
    assert "    due: 2024-03-31\n" in text
    assert text.count("\n    undated:") == 2  # PLAN-1.1's went with its date
    after = cli("check", "--plans", undated, "--today", TODAY)
    assert after.exit_code == 0
    assert "PLAN-1.1" not in after.stdout
