"""`import` on plans as councils really keep them (issue 18): every row that holds an action comes in.

Each workbook is a real .xlsx made here with openpyxl: the shape of a council's published YOS
improvement plan (header on row 3, "Planned Completion Date", "Lead Officer / Agency", a progress
column of paragraphs, sub-refs such as `(1a)`, month-year dates), a messy one with every kind of
value the issue lists, Excel's own semicolon CSV in cp1252, and a workbook of several sheets.
Everything runs through the real CLI, and each imported folder is then checked and shown.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook

from conftest import Invoke

TODAY = "2026-01-05"


def save(path: Path, rows: dict[int, list[Any]], merges: tuple[str, ...] = (), hidden: tuple[int, ...] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plan"
    for number, values in rows.items():
        for column, value in enumerate(values, 1):
            if value is not None:
                sheet.cell(number, column, value)
    for merged in merges:
        sheet.merge_cells(merged)
    for number in hidden:
        sheet.row_dimensions[number].hidden = True
    workbook.save(path)
    return path


def plan_of(folder: Path) -> dict[str, Any]:
    [path] = [p for p in folder.glob("*.yaml") if p.name != "owners.yaml"]
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def actions_of(folder: Path) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for rec in plan_of(folder)["recommendations"] for a in rec["actions"]}


# The shape of a council's published plan ------------------------------------------------------

REAL_HEADERS = [
    "Ref",
    "Recommendation",
    "Action",
    "Lead Officer / Agency",
    "Planned Completion Date",
    "Progress against agreed action and impact monitoring",
]
REAL_ROWS: dict[int, list[Any]] = {
    1: ["Youth Offending Service: Improvement Plan following the Full Joint Inspection"],
    2: ["Updated: 31 July 2013"],
    3: REAL_HEADERS,
    4: ["1", "Improve the quality of assessments so that they reflect the needs of each child",
        "(1a) Audit a sample of assessments each month and feed back to case managers", "YOS Manager", "March 2013",
        "Action completed. Update (July 2013) 53 assessments were audited between January and June; the share "
        "judged good rose from 40% to 71%."],
    5: [None, None, "(1b) Train all case managers in the assessment framework", "Workforce Development Lead",
        "Sept 2013", "In progress: two of the three sessions have run, the last is booked for September."],
    6: ["2", "Make sure that plans to manage risk of harm are reviewed when circumstances change",
        "(2a) Add a review trigger to the case management system", "Performance and Information Manager",
        "June 2013", "Action completed in June 2013; the trigger is live and reported to the Board."],
    7: [None, None, "(2b) Report overdue reviews to the Management Board each quarter", "YOS Manager",
        "31/12/2013", "Not yet started: the first report is due to the October Board."],
    8: ["3", "Strengthen the work of partners on the Management Board", None, None, None, None],
    9: ["(3a)", None, "Agree the Board's terms of reference and attendance expectations", "Chair of the Board",
        "April 2013", "The Board agreed its terms of reference at its April meeting and attendance is now recorded."],
    10: ["(3b)", None, "Secure a named health representative at every Board", "Head of Commissioning (Health)",
         "Ongoing", "Health colleagues attended in May and July."],
}  # fmt: skip


@pytest.fixture
def real_plan(tmp_path: Path) -> Path:
    return save(tmp_path / "yos-improvement-plan.xlsx", REAL_ROWS, merges=("A4:A5", "B4:B5", "A6:A7", "B6:B7"))


def test_the_real_shaped_plan_imports_whole_with_no_map(cli: Invoke, real_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    result = cli("import", real_plan, "-o", out, "--source-id", "FJI", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "  Planned Completion Date -> due\n" in result.stdout
    assert "  Lead Officer / Agency -> owner\n" in result.stdout
    assert "  Progress against agreed action and impact monitoring -> update\n" in result.stdout
    assert "As of 2013-07-31: the date the sheet says it was updated (row 2).\n" in result.stdout
    assert "3 recommendations, 6 actions, 5 owners; 0 rows skipped; 2 flagged for review" in result.stdout
    plan = plan_of(out)
    assert [r["id"] for r in plan["recommendations"]] == ["FJI-1", "FJI-2", "FJI-3"]
    actions = actions_of(out)
    assert list(actions) == ["FJI-1.1", "FJI-1.2", "FJI-2.1", "FJI-2.2", "FJI-3.1", "FJI-3.2"]
    first = actions["FJI-1.1"]
    assert first["title"].startswith("(1a) Audit a sample")
    assert first["due"].isoformat() == "2013-03-31"  # "March 2013": the month's last day
    assert (first["status"], first["completed"].isoformat()) == ("done", "2013-07-31")
    assert first["updates"][0]["note"].startswith("Action completed. Update (July 2013) 53 assessments")
    assert first["updates"][0]["date"].isoformat() == "2013-07-31"
    assert actions["FJI-1.2"]["status"] == "in-progress"
    assert actions["FJI-1.2"]["due"].isoformat() == "2013-09-30"  # "Sept 2013"
    assert actions["FJI-2.2"]["status"] == "not-started"
    assert actions["FJI-3.1"]["status"] == "not-started"  # a paragraph with no clear status: flagged
    assert actions["FJI-3.1"]["review"] == [
        "status: nothing in the spreadsheet's words is a clear status; read as not-started"
    ]
    assert actions["FJI-3.2"]["undated"] == "ongoing"
    text = (out / "fji.yaml").read_text(encoding="utf-8")
    assert "  # the spreadsheet's ref: (3a)\n  - id: FJI-3.1\n" in text
    check = cli("check", "--plans", out, "--today", TODAY)
    assert check.exit_code == 0, check.stdout
    assert cli("status", "--plans", out, "--today", "2013-07-31").exit_code == 0


# A messy workbook with every kind of value -------------------------------------------------------

MESSY_HEADERS = ["No.", "Recommendation", "Action", "Lead", "Timescale", "RAG", "Comments", "Evidence of impact"]
MESSY_ROWS: dict[int, list[Any]] = {
    1: ["Anytown Youth Justice Service - HMIP inspection action plan"],
    2: ["Plan updated 14/02/2024 for the Management Board"],
    4: MESSY_HEADERS,
    5: ["1", "Strengthen governance", "Refresh the Board's terms of reference", "Board Chair", "31/03/23", "Blue",
        None, "Minutes, March 2023"],
    6: [None, None, "Induct new Board members", "Board Chair", "31.03.2024", "Green", "Two of three inducted", None],
    7: [None, None, "Agree a Board development plan", "Head of Service", "March 2023", "Complete", None, None],
    8: ["2", "Improve joint work with health", "Agree a health pathway", "Health Lead", "Sept 23", "Amber",
        "Draft pathway with partners", None],
    9: [None, None, "Review speech and language screening", "Health Lead", "Jul-22", "Red", None, None],
    10: [None, None, "Deleted action, kept for the record", "Health Lead", "31/01/2022", "Red", None, None],
    11: [None, None, "Embed trauma-informed practice", "Practice Lead", "ongoing", "On track", None, None],
    12: ["3", "Improve education outcomes", "Agree attendance data sharing", "Sarah Jones", "TBC", "Not started",
         None, None],
    13: [None, None, "Report education outcomes to the Board", "Education Lead", "Q2 2023/24", "G", None, None],
    14: [None, None, "Set up a virtual school link", "Education Lead", "n/a", "A", None, None],
    15: [None, None, "Audit school exclusions", "Education Lead", "end of March 2024", "R", None, None],
    16: [None, None, "Share the learning with schools", "Education Lead", "31 Jul 22", "Complete", None, None],
    17: [None, None, "Publish the education protocol", "Education Lead", None, "Delayed", None, None],
    18: [None, None, "Train staff in the protocol", "Education Lead", "tbc", "On hold", None, None],
    19: [None, None, "Review the protocol", "Education Lead", "soon-ish", "Dropped", None, None],
    20: [None, None, "Close the old protocol", "Education Lead", "30/06/2023", "Closed", None, None],
    21: [None, None, "Start the next cycle", "Education Lead", "2024-06-30", "In progress", None, None],
    22: MESSY_HEADERS,  # the header repeated for printing
    23: ["4", "Improve resettlement", "Agree a resettlement policy", None, "Q4 2023/24", "B", None, None],
    24: [None, None, "Monitor resettlement cases", "Resettlement Lead", "December 2023", "Started ages ago", None,
         None],
    26: ["Key: B = complete, G = on track, A = at risk, R = off track"],
    27: ["Note: timescales agreed at the January Board"],
}  # fmt: skip
MESSY_MERGES = ("A5:A7", "B5:B7", "A8:A11", "B8:B11", "A12:A21", "B12:B21")


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = save(tmp_path / "messy.xlsx", MESSY_ROWS, merges=MESSY_MERGES, hidden=(10,))
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.create_sheet("Glossary").append(["Term", "Meaning"])
    workbook.create_sheet("Old plan").append(["Ref", "Action", "Lead", "Due"])
    workbook.save(path)
    return path


def test_a_messy_workbook_places_every_visible_action_row(cli: Invoke, messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    result = cli("import", messy, "-o", out, "--source-id", "HMIP", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    visible = [n for n, row in MESSY_ROWS.items() if n >= 5 and n != 10 and len(row) > 2 and n != 22]
    actions = actions_of(out)
    assert len(actions) == len(visible) == 18
    assert [r["id"] for r in plan_of(out)["recommendations"]] == ["HMIP-1", "HMIP-2", "HMIP-3", "HMIP-4"]
    assert result.stdout.splitlines()[-1] == (
        "4 recommendations, 18 actions, 8 owners; "
        "5 rows skipped (1 blank, 1 hidden, 2 notes or keys, 1 repeated header); 4 flagged for review"
    )
    assert "As of 2024-02-14: the date the sheet says it was updated (row 2).\n" in result.stdout
    check = cli("check", "--plans", out, "--today", TODAY)
    assert check.exit_code == 0, check.stdout
    status = cli("status", "--plans", out, "--today", "2024-02-14")
    assert status.exit_code == 0, status.stdout + status.stderr


@pytest.mark.parametrize(
    ("row", "field", "value"),
    [
        (5, "due", "2023-03-31"),  # 31/03/23
        (6, "due", "2024-03-31"),  # 31.03.2024
        (7, "due", "2023-03-31"),  # March 2023
        (8, "due", "2023-09-30"),  # Sept 23
        (9, "due", "2022-07-31"),  # Jul-22
        (11, "undated", "ongoing"),
        (12, "undated", "to-be-confirmed"),  # TBC
        (13, "due", "2023-09-30"),  # Q2 2023/24
        (14, "undated", "to-be-confirmed"),  # n/a
        (15, "due", "2024-03-31"),  # end of March 2024
        (16, "due", "2022-07-31"),  # 31 Jul 22
        (17, "undated", "to-be-confirmed"),  # blank
        (18, "undated", "to-be-confirmed"),  # tbc
        (19, "undated", "to-be-confirmed"),  # not a date: kept as written, for review
        (23, "due", "2024-03-31"),  # Q4 2023/24
        (24, "due", "2023-12-31"),  # December 2023
        (5, "status", "done"),  # Blue
        (6, "status", "in-progress"),  # Green
        (7, "status", "done"),  # Complete
        (8, "status", "in-progress"),  # Amber
        (9, "status", "in-progress"),  # Red
        (11, "status", "in-progress"),  # On track
        (12, "status", "not-started"),  # Not started
        (13, "status", "in-progress"),  # G
        (14, "status", "in-progress"),  # A
        (15, "status", "in-progress"),  # R
        (17, "status", "blocked"),  # Delayed
        (18, "status", "blocked"),  # On hold
        (19, "status", "dropped"),  # Dropped
        (20, "status", "done"),  # Closed
        (21, "status", "in-progress"),  # In progress
        (23, "status", "done"),  # B
        (24, "status", "not-started"),  # free text, no clear status: for review
        (23, "owner", "lead-not-recorded"),  # no lead: placed, for review
    ],
)
def test_each_value_kind(cli: Invoke, messy: Path, tmp_path: Path, row: int, field: str, value: str) -> None:
    out = tmp_path / "plans"
    assert cli("import", messy, "-o", out, "--source-id", "HMIP", "--today", TODAY).exit_code == 0
    titles = {a["title"]: a for a in actions_of(out).values()}
    action = titles[MESSY_ROWS[row][2]]
    found = action.get(field)
    assert (found.isoformat() if hasattr(found, "isoformat") else found) == value


def test_what_could_not_be_read_is_visible_in_three_places(cli: Invoke, messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    result = cli("import", messy, "-o", out, "--source-id", "HMIP", "--today", TODAY)
    shown = str(messy)
    # 1. the output, grouped by kind, FILE:ROW
    assert (
        "dates that could not be read (to be confirmed; the sheet's text is in the plan):\n"
        f"  {shown}:19: Timescale 'soon-ish' is not a date;"
    ) in result.stdout
    assert f"statuses not clear (not started, for review; the text is a dated update):\n  {shown}:24:" in result.stdout
    assert f"actions with no lead (owner lead-not-recorded, for review):\n  {shown}:23:" in result.stdout
    assert f"leads that read as a person's name (check warns until it names a role):\n  {shown}:12:" in result.stdout
    # 2. the YAML, a comment at the action holding the original text
    text = (out / "hmip.yaml").read_text(encoding="utf-8")
    assert "  # due: the spreadsheet says 'soon-ish'\n  - id: HMIP-3.8\n" in text
    assert "  # status: the spreadsheet says 'Started ages ago'\n  - id: HMIP-4.2\n" in text
    # 3. check, warnings with codes, until a person fixes them
    check = cli("check", "--plans", out, "--today", TODAY)
    assert check.exit_code == 0
    for expected in (
        "warning YP205 action HMIP-3.8 needs review: due: the spreadsheet says 'soon-ish'",
        "warning YP205 action HMIP-4.2 needs review: status:",
        "warning YP205 action HMIP-4.1 needs review: owner:",
        "warning YP206 owner 'sarah-jones' reads as a person's name",
        "warning YP204 action HMIP-3.1's date is to be confirmed",
    ):
        assert expected in check.stdout


def test_no_date_after_the_as_of_date_and_never_today_silently(cli: Invoke, messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    result = cli("import", messy, "-o", out, "--today", TODAY, "--as-of", "2024-01-31")
    assert "As of 2024-01-31: the --as-of date.\n" in result.stdout
    dates = [
        d.isoformat()
        for a in actions_of(out).values()
        for d in [a.get("completed"), *(u["date"] for u in a.get("updates", []))]
        if d is not None
    ]
    assert dates
    assert set(dates) == {"2024-01-31"}
    assert TODAY not in (out / "messy.yaml").read_text(encoding="utf-8")


# Excel's own CSVs -------------------------------------------------------------------------------


def test_excels_semicolon_cp1252_csv(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    text = (
        "Ref;Recommendation;Action;Lead;Target date;Status\r\n"
        '1;"Improve the Board; its membership";"Appoint a chair; agree terms";YOT Manager;Jul-22;Complete\r\n'
        '1;"Improve the Board; its membership";Review the Board\'s café budget;YOT Manager;31 Jul 22;In progress\r\n'
    )
    path.write_bytes(text.encode("cp1252"))
    out = tmp_path / "plans"
    result = cli("import", path, "-o", out, "--today", TODAY, "--as-of", "2022-08-01")
    assert result.exit_code == 0, result.stderr
    plan = plan_of(out)
    assert plan["recommendations"][0]["text"] == "Improve the Board; its membership"
    actions = actions_of(out)
    assert actions["PLAN-1.1"]["title"] == "Appoint a chair; agree terms"
    assert actions["PLAN-1.1"]["due"].isoformat() == "2022-07-31"  # Jul-22
    assert actions["PLAN-1.2"]["title"] == "Review the Board's café budget"
    assert actions["PLAN-1.2"]["due"].isoformat() == "2022-07-31"  # 31 Jul 22


def test_delimiter_and_encoding_can_be_given(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.txt.csv"
    path.write_bytes("Recommendation|Action|Lead|Due\nBoard|Recruit an élu|YOT Manager|31/03/2023\n".encode("latin-1"))
    out = tmp_path / "plans"
    result = cli("import", path, "-o", out, "--delimiter", "|", "--encoding", "latin-1", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert actions_of(out)["PLAN-TXT-1.1"]["title"] == "Recruit an élu"
    bad = cli("import", path, "-o", tmp_path / "x", "--encoding", "klingon", "--today", TODAY)
    assert bad.exit_code == 2
    assert "'klingon' is not an encoding" in bad.stderr


# Several sheets --------------------------------------------------------------------------------


def test_each_sheet_given_is_its_own_source(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plans.xlsx"
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "HMIP"
    first.append(["Recommendation", "Action", "Lead", "Due"])
    first.append(["Board", "Refresh terms", "Board Chair", datetime(2024, 3, 31)])
    second = workbook.create_sheet("Peer review")
    second.append(["Recommendation", "Action", "Lead", "Due"])
    second.append(["Health", "Agree a pathway", "Health Lead", "Q1 2024/25"])
    workbook.save(path)
    out = tmp_path / "out"
    result = cli("import", path, "-o", out, "--sheet", "HMIP", "--sheet", "Peer review", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.glob("*.yaml")) == ["owners.yaml", "plans-hmip.yaml", "plans-peer-review.yaml"]
    owners = yaml.safe_load((out / "owners.yaml").read_text(encoding="utf-8"))["owners"]
    assert sorted(owners) == ["board-chair", "health-lead"]
    assert cli("check", "--plans", out, "--today", TODAY).exit_code == 0


def test_the_editor_hints_point_at_schemas_that_exist(cli: Invoke, real_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "plans"
    cli("import", real_plan, "-o", out, "--today", TODAY)
    for name in ("yos-improvement-plan.yaml", "owners.yaml"):
        first = (out / name).read_text(encoding="utf-8").splitlines()[0]
        target = first.split("$schema=", 1)[1]
        assert (out / target).is_file(), first


def test_a_file_that_reads_back_differently_is_never_placed(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The written text is read back with yotplan's own loader and compared with what was meant:
    a writer that changed a value (here, a title) stops the import with nothing written."""
    from yotplan.spreadsheet import plan_text

    original = plan_text.dump_yaml
    monkeypatch.setattr(plan_text, "dump_yaml", lambda data: original(data).replace("Agree terms", "Agree tems"))
    path = tmp_path / "plan.csv"
    path.write_text("Recommendation,Action,Lead,Due\nBoard,Agree terms,YOT Manager,31/03/2024\n", encoding="utf-8")
    result = cli("import", path, "-o", tmp_path / "out", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: plan.yaml did not read back as it was written; nothing written. This is a bug in "
        "yotplan: please report it with the spreadsheet\n"
    )
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]
