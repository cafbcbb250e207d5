"""`yotplan import` reads a sheet as a person sees it: a merged cell's value (and colour) in every row
of the merge and no further; rows closed to no height are hidden.

A lead merged down the rows of the actions they own is common in service workbooks; without
spreading the merge, the second row has no lead and its action is lost. Each workbook is a real
.xlsx made here with openpyxl, imported through the CLI.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from yotplan.plans.strict_yaml import parse_yaml

from conftest import Invoke

AS_AT = "2022-10-01"


def workbook_with_merges(path: Path, merges: list[str]) -> Path:
    """One recommendation with two actions in rows 2-3, a second with one in row 4; `merges` merged."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Recommendation", "Action", "Lead", "Target Date"])
    sheet.append(["1", "Strengthen the Board", "Secure CAMHS attendance", "Head of Service", date(2022, 7, 31)])
    sheet.append([None, None, "Brief Board members", None, date(2022, 8, 31)])
    sheet.append(["2", "Review capacity", "Appoint a YOT Manager", "Director", date(2022, 9, 30)])
    for merged in merges:
        sheet.merge_cells(merged)
    book.save(path)
    return path


def actions(plan: Path) -> dict[str, dict[str, Any]]:
    """Each imported action by its id, as data (the writer's layout is not what these tests hold)."""
    data = parse_yaml(plan.read_text(encoding="utf-8"))
    return {a["id"]: a for rec in data["recommendations"] for a in rec["actions"]}


def test_a_lead_merged_down_two_rows_owns_both_actions(cli: Invoke, tmp_path: Path) -> None:
    path = workbook_with_merges(tmp_path / "plan.xlsx", ["A2:A3", "B2:B3", "D2:D3"])
    out = tmp_path / "out"
    result = cli("import", path, "-o", out, "--source-id", "HMIP", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 recommendations, 3 actions, 2 owners;")
    found = actions(out / "hmip.yaml")
    assert {key: (a["title"], a["owner"], a["due"]) for key, a in found.items()} == {
        "HMIP-1.1": ("Secure CAMHS attendance", "head-of-service", "2022-07-31"),
        "HMIP-1.2": ("Brief Board members", "head-of-service", "2022-08-31"),
        "HMIP-2.1": ("Appoint a YOT Manager", "director", "2022-09-30"),
    }


def test_a_merge_across_columns_stays_one_cell(cli: Invoke, tmp_path: Path) -> None:
    """Only the merge's first column takes its value: a lead merged across Lead and Target Date
    gives no due date (and says so), it does not become one."""
    path = workbook_with_merges(tmp_path / "plan.xlsx", ["A2:A3", "B2:B3", "D4:E4"])
    out = tmp_path / "out"
    cli("import", path, "-o", out, "--source-id", "HMIP", "--today", AS_AT)
    found = actions(out / "hmip.yaml")
    assert found["HMIP-1.2"]["owner"] == "lead-not-recorded"  # column D is not merged in rows 2-3
    assert (found["HMIP-2.1"]["owner"], found["HMIP-2.1"].get("due")) == ("director", None)
    assert found["HMIP-2.1"]["undated"] == "to-be-confirmed"


def test_a_merge_ends_at_its_last_row(cli: Invoke, tmp_path: Path) -> None:
    """The row under a merged lead is not part of it: its own empty lead is reported."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Recommendation", "Action", "Lead", "Target Date"])
    sheet.append(["1", "Strengthen the Board", "Secure CAMHS attendance", "Head of Service", date(2022, 7, 31)])
    sheet.append([None, None, "Brief Board members", None, date(2022, 8, 31)])
    sheet.append([None, None, "Report to the Board", None, date(2022, 9, 30)])
    for merged in ("A2:A4", "B2:B4", "D2:D3"):
        sheet.merge_cells(merged)
    path = tmp_path / "plan.xlsx"
    book.save(path)
    cli("import", path, "-o", tmp_path / "out", "--source-id", "HMIP", "--today", AS_AT)
    found = actions(tmp_path / "out" / "hmip.yaml")
    assert [found[key]["owner"] for key in ("HMIP-1.1", "HMIP-1.2", "HMIP-1.3")] == [
        "head-of-service",
        "head-of-service",
        "lead-not-recorded",
    ]


def test_a_rag_colour_merged_down_two_rows_colours_both(cli: Invoke, tmp_path: Path) -> None:
    """A RAG cell merged down its actions and coloured by hand, with no text: both rows are red."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Recommendation", "Action", "Lead", "Target Date", "RAG"])
    sheet.append(["1", "Strengthen the Board", "Secure CAMHS attendance", "Head of Service", date(2022, 7, 31)])
    sheet.append([None, None, "Brief Board members", "Head of Service", date(2022, 8, 31)])
    for merged in ("A2:A3", "B2:B3", "F2:F3"):
        sheet.merge_cells(merged)
    sheet["F2"].fill = PatternFill(fill_type="solid", fgColor="FF0000")
    path = tmp_path / "plan.xlsx"
    book.save(path)
    out = tmp_path / "out"
    result = cli("import", path, "-o", out, "--source-id", "HMIP", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    for row in (2, 3):
        assert f"{path}:{row}: RAG read from the cell's fill colour: red" in result.stdout
    found = actions(out / "hmip.yaml")
    assert [a["status"] for a in found.values()] == ["in-progress", "in-progress"]


def with_row_heights(path: Path, heights: dict[int, str]) -> None:
    """Give rows a height in the sheet's XML as Excel writes it (`ht="0" customHeight="1"` for a
    row dragged closed); openpyxl leaves a height of 0 out when it saves."""
    with zipfile.ZipFile(path) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for row, height in heights.items():
        assert f'<row r="{row}">' in sheet
        sheet = sheet.replace(f'<row r="{row}">', f'<row r="{row}" ht="{height}" customHeight="1">')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for name, data in parts.items():
            rewritten.writestr(name, data)


def test_a_row_of_no_height_is_hidden_and_a_tall_row_is_not(cli: Invoke, tmp_path: Path) -> None:
    path = workbook_with_merges(tmp_path / "plan.xlsx", [])
    with_row_heights(path, {3: "0", 4: "45"})
    result = cli("import", path, "-o", tmp_path / "out", "--source-id", "HMIP", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 recommendations, 2 actions, 2 owners; 1 row skipped (1 hidden)")
    assert "Brief Board members" not in (tmp_path / "out" / "hmip.yaml").read_text(encoding="utf-8")
