"""`yotplan import`: action-plan spreadsheets as services keep them, turned into plan files.

Every workbook here is a real .xlsx made with openpyxl, with the leftovers real ones have: a
title block, the header on row 4, merged and repeated recommendations, hidden rows, spacer
rows, a key under the table, dates as Excel dates and as UK text, RAG coloured by hand.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from yotplan.spreadsheet.cells import looks_like_person, owner_key, rag_of_colour, read_date, read_rag, read_status
from yotplan.spreadsheet.columns import guess_field

from conftest import Invoke

AS_AT = "2022-10-01"

REC_1 = (
    "make sure that Board members understand the specific needs of children known to the YOT and advocate on "
    "their behalf in their own agencies"
)
REC_2 = "develop the knowledge and understanding of the Board members role"
REC_3 = "review management capacity"

# Row number -> cells A..H, under the header on row 4. Rows 8 and 15 are spacers, 11 is hidden.
ROWS: dict[int, list[Any]] = {
    5: ["1", REC_1, "Secure regular CAMHS attendance at the YOT Management Board", "Head of Service (YOT)",
        datetime(2022, 7, 31), "Red", "CAMHS  attended\nthe July Board", None],
    6: [None, None, "Brief Board members on the needs of children known to the YOT", "head of service  (yot)",
        "31/07/2022", None, None, "Board minutes, June 2022"],
    7: [None, None, "Secure a full-time psychologist with colleagues in Devon", "CAMHS Lead", "March 2023", "Amber",
        None, None],
    9: [2, REC_2, "Run a development programme for the new Board", "Sarah Jones", "1/9/22", "Blue",
        "Done in August", None],
    10: [None, REC_2.replace(" the ", "  the "), "Give the Board regular performance reports", "Education Lead",
         "2022-12-31", "G", None, None],
    11: [2, REC_2, "An action deleted last year", "YOT Manager", "31/01/2022", "Red", None, None],
    12: [3, REC_3, "Agree the new management structure", "YOT Manager", None, "Green", None, None],
    13: [3, REC_3, "Recruit a data analyst", "YOT Manager", "TBC", "Green", None, None],
    14: [3, REC_3, "Appoint a dedicated YOT Manager", "YOT Manager", "30/06/2022", "Complete", None, None],
    16: ["Key: Blue = complete, Green = on track, Amber = at risk, Red = off track"],
}  # fmt: skip
FILLS = {5: "FF0000", 6: "00B050", 7: "FFC000", 9: "0070C0", 10: "00B050", 11: "FF0000", 12: "00B050", 14: "0070C0"}
HEADERS = ["Ref", "Recommendation", "Action", "Lead Officer", "Target Date", "RAG", "Progress Update", "Evidence"]


def action_plan(path: Path, headers: list[str] = HEADERS) -> Path:
    """The usual service workbook: title block, header on row 4, merges, hidden and blank rows, a key."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Action Plan"
    sheet["A1"] = "Torbay Youth Justice Service: HMIP Inspection Action Plan"
    sheet.merge_cells("A1:H1")
    sheet["A2"] = "Last updated: 01/09/2022"
    for column, header in enumerate(headers, 1):
        sheet.cell(4, column, header)
    for row, values in ROWS.items():
        for column, value in enumerate(values, 1):
            if value is not None:
                sheet.cell(row, column, value)
    for merged in ("A5:A7", "B5:B7", "A16:H16"):  # recommendation 1 spans its three actions
        sheet.merge_cells(merged)
    for row, colour in FILLS.items():  # RAG coloured by hand; row 6 has the colour and no text
        sheet.cell(row, 6).fill = PatternFill(fill_type="solid", fgColor=colour)
    sheet.row_dimensions[11].hidden = True
    sheet.cell(5, 5).number_format = "dd/mm/yyyy"
    sheet.cell(200, 6).fill = PatternFill(fill_type="solid", fgColor="FF0000")  # formatted far below: not a row
    workbook.save(path)
    return path


EXPECTED_PLAN = """\
# yaml-language-server: $schema=schema/plan.schema.json
# Imported by `yotplan import` from action-plan.xlsx, sheet "Action Plan" (header on row 4). Columns
# read: 'Ref' -> ref, 'Recommendation' -> recommendation, 'Action' -> action, 'Lead Officer' -> owner,
# 'Target Date' -> due, 'RAG' -> rag, 'Progress Update' -> update, 'Evidence' -> evidence. Review it
# before use.
# Text is as the spreadsheet has it, with runs of spaces and line breaks made single spaces. Where the
# spreadsheet's words were read as something else, a comment at the action quotes them; `review:` notes
# say what a person should check (`yotplan check` warns until each is removed).
# Ids: recommendations are the source id and the 'Ref' column; actions are numbered within their
# recommendation. A recommendation's owner is the lead of its first action.
# Status: the sheet has no status column, so it comes from the 'RAG' column: blue (complete) is done;
# red, amber and green are in progress; status words (not started, on track) are read as such; blank is
# not started; text that is not a status word becomes a dated progress update, and the status comes from
# clear words in it (action completed, not yet started, in progress), else it is not started and
# flagged. A RAG is a judgement, not a status: check each one.
# Dates: a month (March 2023) or a financial quarter (Q2 2023/24) is its last day. An action whose date
# is ongoing, TBC, n/a or blank has no `due:` but `undated: ongoing` or `undated: to-be-confirmed`.
# As-of date: 2022-09-01, the date the sheet says it was updated (row 2). Progress notes are dated with
# it, and a done action whose completion date the spreadsheet does not give is `completed:` then,
# meaning done by then; no date here is later.
# Rows skipped: 2 blank, 1 hidden, 1 note or key.
source:
  id: HMIP
  title: 'Torbay Youth Justice Service: HMIP Inspection Action Plan'
  kind: inspection
recommendations:
- id: HMIP-1
  text: make sure that Board members understand the specific needs of children known to the YOT and advocate
    on their behalf in their own agencies
  owner: head-of-service-yot
  actions:
  - id: HMIP-1.1
    title: Secure regular CAMHS attendance at the YOT Management Board
    owner: head-of-service-yot
    due: 2022-07-31
    status: in-progress
    updates:
    - date: 2022-09-01
      note: CAMHS attended the July Board
  # status: from the RAG cell's colour, green
  - id: HMIP-1.2
    title: Brief Board members on the needs of children known to the YOT
    owner: head-of-service-yot
    due: 2022-07-31
    status: in-progress
    evidence:
    - Board minutes, June 2022
  # due: the spreadsheet says 'March 2023', the last day of that month
  - id: HMIP-1.3
    title: Secure a full-time psychologist with colleagues in Devon
    owner: camhs-lead
    due: 2023-03-31
    status: in-progress

- id: HMIP-2
  text: develop the knowledge and understanding of the Board members role
  owner: sarah-jones
  actions:
  - id: HMIP-2.1
    title: Run a development programme for the new Board
    owner: sarah-jones
    due: 2022-09-01
    status: done
    completed: 2022-09-01
    updates:
    - date: 2022-09-01
      note: Done in August
  - id: HMIP-2.2
    title: Give the Board regular performance reports
    owner: education-lead
    due: 2022-12-31
    status: in-progress

- id: HMIP-3
  text: review management capacity
  owner: yot-manager
  actions:
  # due: the spreadsheet leaves it blank: to-be-confirmed
  - id: HMIP-3.1
    title: Agree the new management structure
    owner: yot-manager
    undated: to-be-confirmed
    status: in-progress
  # due: the spreadsheet says 'TBC': to-be-confirmed
  - id: HMIP-3.2
    title: Recruit a data analyst
    owner: yot-manager
    undated: to-be-confirmed
    status: in-progress
  - id: HMIP-3.3
    title: Appoint a dedicated YOT Manager
    owner: yot-manager
    due: 2022-06-30
    status: done
    completed: 2022-09-01
"""

EXPECTED_OWNERS = """\
# yaml-language-server: $schema=schema/owners.schema.json
# Owners imported by `yotplan import` from action-plan.xlsx (sheet "Action Plan"): one for each lead in
# the 'Lead Officer' column, keyed by its text; leads that differ only in case, spacing or punctuation
# are one owner. The spreadsheet does not say which agency a lead belongs to, so each agency is "Not
# recorded in the spreadsheet" until someone fills it in.
# Owners are roles, never named people or children: owners.yaml must hold no personal data.
owners:
  head-of-service-yot:
    role: Head of Service (YOT)
    agency: Not recorded in the spreadsheet

  camhs-lead:
    role: CAMHS Lead
    agency: Not recorded in the spreadsheet

  # This lead looks like a person's name: replace it with the role (no personal data here).
  sarah-jones:
    role: Sarah Jones
    agency: Not recorded in the spreadsheet

  education-lead:
    role: Education Lead
    agency: Not recorded in the spreadsheet

  yot-manager:
    role: YOT Manager
    agency: Not recorded in the spreadsheet
"""


def flat(text: str) -> str:
    """A usage error's message without rich's box and line wrapping."""
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return action_plan(tmp_path / "action-plan.xlsx")


def test_a_realistic_workbook_becomes_the_expected_plan(cli: Invoke, workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "imported"
    result = cli("import", workbook, "-o", out, "--source-id", "HMIP", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr  # every action row placed: blank and TBC dates are undated
    assert (out / "hmip.yaml").read_text(encoding="utf-8") == EXPECTED_PLAN
    assert (out / "owners.yaml").read_text(encoding="utf-8") == EXPECTED_OWNERS
    assert sorted(p.name for p in out.iterdir()) == ["hmip.yaml", "owners.yaml", "schema"]
    assert sorted(p.name for p in (out / "schema").iterdir()) == ["owners.schema.json", "plan.schema.json"]


def test_the_import_says_what_it_read_grouped_by_kind(cli: Invoke, workbook: Path, tmp_path: Path) -> None:
    result = cli("import", workbook, "-o", tmp_path / "out", "--source-id", "HMIP", "--today", AS_AT)
    shown = str(workbook)
    assert result.stdout.splitlines()[:9] == [
        'columns (sheet "Action Plan", header on row 4):',
        "  Ref -> ref",
        "  Recommendation -> recommendation",
        "  Action -> action",
        "  Lead Officer -> owner",
        "  Target Date -> due",
        "  RAG -> rag",
        "  Progress Update -> update",
        "  Evidence -> evidence",
    ]
    assert "A RAG is a judgement, not a status" in result.stdout
    assert "As of 2022-09-01: the date the sheet says it was updated (row 2).\n" in result.stdout
    assert (
        "dates read from words (a month or a quarter is its last day):\n"
        f"  {shown}:7: 'March 2023' read as 2023-03-31, the last day of that month\n"
        "actions with no date (ongoing, or to be confirmed):\n"
        f"  {shown}:12: Target Date blank: undated, to-be-confirmed\n"
        f"  {shown}:13: Target Date 'TBC': undated, to-be-confirmed\n"
        "RAG read from a cell's fill colour:\n"
        f"  {shown}:6: RAG read from the cell's fill colour: green\n"
        "leads that read as a person's name (check warns until it names a role):\n"
        f"  {shown}:9: lead 'Sarah Jones' looks like a person's name; owners are roles and owners.yaml must hold "
        "no personal data: replace owner 'sarah-jones' with the role\n"
        "leads written differently that are one owner:\n"
        f"  {shown}:6: lead 'head of service (yot)' is the same owner as 'Head of Service (YOT)' (row 5)\n"
    ) in result.stdout
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == (
        "3 recommendations, 8 actions, 5 owners; 4 rows skipped (2 blank, 1 hidden, 1 note or key); "
        "1 flagged for review"
    )


def test_the_imported_plans_pass_check(cli: Invoke, workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "imported"
    cli("import", workbook, "-o", out, "--source-id", "HMIP", "--today", AS_AT)
    check = cli("check", "--plans", out, "--today", AS_AT)
    assert check.exit_code == 0, check.stdout
    assert "0 errors" in check.stderr + check.stdout
    assert cli("status", "--plans", out, "--today", AS_AT).exit_code == 0


def test_a_clean_sheet_exits_0(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "clean.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Recommendation", "Action", "Lead", "Deadline", "Status"])
    sheet.append(["Agree the priorities", "Publish the Youth Justice Plan", "YOT Manager", date(2022, 6, 15), "Done"])
    workbook.save(path)
    modified = datetime(2022, 9, 15, 12, 0).timestamp()
    os.utime(path, (modified, modified))
    result = cli("import", path, "-o", tmp_path / "out", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    text = (tmp_path / "out" / "clean.yaml").read_text(encoding="utf-8")
    assert "  id: CLEAN\n  title: clean.xlsx\n  kind: other\n" in text  # defaults: the file name
    assert "- id: CLEAN-1\n" in text  # no ref column: numbered
    assert "completed: 2022-09-15" in text  # no --as-of, no date in a title block: the file's modified date
    assert "As of 2022-09-15: the spreadsheet file's modified date (give --as-of" in result.stdout


def test_personal_data_in_the_sheet_is_named_where_it_was_written(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Recommendation,Action,Lead,Deadline,Status,Progress update\n"
        "Improve attendance,Follow up absences,YOT Manager,31/07/2022,In progress,J.S. (15) DOB 03/04/2008 attends\n",
        encoding="utf-8",
    )
    result = cli("import", path, "-o", tmp_path / "out", "--today", AS_AT)
    assert result.exit_code == 0  # warnings: written, and said
    written = tmp_path / "out" / "plan.yaml"
    lines = result.stderr.splitlines()
    assert [line.split(" ")[2] for line in lines] == ["YP301", "YP307"]
    assert all(line.startswith(f"{written}:") for line in lines)
    assert "03/04/2008" not in result.stderr
    assert "J.S. (15)" not in result.stderr


def test_output_is_deterministic(cli: Invoke, workbook: Path, tmp_path: Path) -> None:
    for name in ("one", "two"):
        cli("import", workbook, "-o", tmp_path / name, "--source-id", "HMIP", "--today", AS_AT)
    for file in ("hmip.yaml", "owners.yaml"):
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "two" / file).read_bytes()


@pytest.mark.parametrize("existing", ["owners.yaml", "hmip.yaml"])
def test_existing_files_are_never_overwritten(cli: Invoke, workbook: Path, tmp_path: Path, existing: str) -> None:
    out = tmp_path / "plans"
    out.mkdir()
    (out / existing).write_text("# mine\n", encoding="utf-8")
    result = cli("import", workbook, "-o", out, "--source-id", "HMIP", "--today", AS_AT)
    assert result.exit_code == 1
    assert result.stderr == (
        f"yotplan: error: {out / existing} already exists; nothing written: import into a new folder "
        "(yotplan import never overwrites a file)\n"
    )
    assert [p.name for p in out.iterdir()] == [existing]
    assert (out / existing).read_text(encoding="utf-8") == "# mine\n"


def test_map_overrides_a_guess_and_names_an_unknown_header(cli: Invoke, tmp_path: Path) -> None:
    headers = [*HEADERS[:3], "Accountable", *HEADERS[4:]]  # a lead column nobody would guess
    path = action_plan(tmp_path / "plan.xlsx", headers)
    missing = cli("import", path, "-o", tmp_path / "a", "--today", AS_AT)
    assert missing.exit_code == 1
    assert missing.stderr == (
        f"yotplan: error: {path}:4: no owner column among the headers ('Ref', 'Recommendation', 'Action', "
        "'Accountable', 'Target Date', 'RAG', 'Progress Update', 'Evidence'); name it with --map 'HEADER=owner'\n"
    )
    mapped = cli(
        "import", path, "-o", tmp_path / "b", "--today", AS_AT, "--map", "accountable=owner", "--map", "RAG=none"
    )
    assert "  Accountable -> owner\n" in mapped.stdout
    assert "  RAG -> (not used: --map leaves it out)\n" in mapped.stdout
    text = (tmp_path / "b" / "plan.yaml").read_text(encoding="utf-8")
    assert "owner: head-of-service-yot" in text
    # without the RAG column, only the progress note "Done in August" says done, and the output says so
    assert text.count("status: done") == 1
    assert f"  {path}:9: done from 'Done in August'\n" in mapped.stdout


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Lead=boss", "'boss' is not a field; the fields are: ref, recommendation, rec-owner, action-ref, action,"),
        ("owner", "'owner' is not HEADER=field (for example 'Lead Officer=owner')"),
        ("Lead Person=owner", ":4: no column headed 'lead person' in the header row"),
    ],
)
def test_a_bad_map_is_a_usage_error(cli: Invoke, workbook: Path, tmp_path: Path, value: str, message: str) -> None:
    result = cli("import", workbook, "-o", tmp_path / "out", "--map", value, "--today", AS_AT)
    assert result.exit_code == 2
    assert " ".join(message.split()) in flat(result.stderr)
    assert not (tmp_path / "out").exists()


def test_csv_input(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "LGA peer review plan.csv"
    path.write_text(
        "LGA Peer Review of the Youth Offending Team - Action Plan,,,,\n"
        "Last updated,15/06/2022,,,\n"
        "Recommendation,Actions,Responsible,Due,Progress\n"
        '"Re-establish the Board as a smaller, strategic Board",Appoint a new Chair,Director of Children\'s Services,'
        "30/06/2022,Complete\n"
        '"Re-establish the Board as a smaller, strategic Board",Agree terms of reference,Board Chair,30/9/22,ongoing\n'
        "Agree the key priorities,Take the Youth Justice Plan to Cabinet,Board Chair,15/06/2022,Delayed\n"
        "Agree the key priorities,Share the priorities with staff,YOT Manager,31/07/2022,TBC\n"
        ",,,,\n"
        "Notes: statuses as at the June Board,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = cli("import", path, "-o", out, "--today", AS_AT)
    assert result.exit_code == 0, result.stderr  # every action row placed
    assert result.stderr == ""
    assert "column 'Progress' holds status words, so it is read as the status" in result.stdout
    assert f"  {path}:7: 'TBC': not-started until checked\n" in result.stdout
    assert result.stdout.endswith(
        "2 recommendations, 4 actions, 3 owners; 2 rows skipped (1 blank, 1 note or key); 1 flagged for review\n"
    )
    text = (out / "lga-peer-review-plan.yaml").read_text(encoding="utf-8")
    assert "  id: LGA-PEER-REVIEW-PLAN\n  title: LGA Peer Review of the Youth Offending Team - Action Plan\n" in text
    assert "  kind: peer-review\n" in text
    for expected in (
        "- id: LGA-PEER-REVIEW-PLAN-1\n  text: Re-establish the Board as a smaller, strategic Board\n",
        "  - id: LGA-PEER-REVIEW-PLAN-1.2\n    title: Agree terms of reference\n    owner: board-chair\n"
        "    due: 2022-09-30\n    status: in-progress\n",
        "    title: Take the Youth Justice Plan to Cabinet\n    owner: board-chair\n    due: 2022-06-15\n"
        "    status: blocked\n",
        "    owner: director-of-children-s-services\n    due: 2022-06-30\n    status: done\n"
        "    completed: 2022-06-15\n",  # the "Last updated" date: done by then
        "  # status: the spreadsheet says 'TBC'\n  - id: LGA-PEER-REVIEW-PLAN-2.2\n",
        "    status: not-started\n    updates:\n    - date: 2022-06-15\n      note: TBC\n    review:\n",
    ):
        assert expected in text
    assert cli("check", "--plans", out, "--today", AS_AT).exit_code == 0


def test_a_date_that_is_no_date_is_placed_undated_with_its_text(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("Recommendation,Action,Lead,Target date\nAgree priorities,Do it,YOT Manager,soon\n", "utf-8")
    result = cli("import", path, "-o", tmp_path / "out", "--today", AS_AT, "--as-of", "2022-09-01")
    assert result.exit_code == 0, result.stderr
    assert (
        "dates that could not be read (to be confirmed; the sheet's text is in the plan):\n"
        f"  {path}:2: Target date 'soon' is not a date; write it as dd/mm/yyyy, a month (March 2024), "
        "a quarter (Q2 2023/24), or ongoing or TBC\n"
    ) in result.stdout
    text = (tmp_path / "out" / "plan.yaml").read_text(encoding="utf-8")
    assert "  # due: the spreadsheet says 'soon'\n  - id: PLAN-1.1\n" in text
    assert "    undated: to-be-confirmed\n" in text
    assert "    review:\n    - 'due: the spreadsheet says ''soon'', which is not a date; set the date'\n" in text
    check = cli("check", "--plans", tmp_path / "out", "--today", AS_AT)
    assert check.exit_code == 0
    assert "warning YP204 action PLAN-1.1's date is to be confirmed" in check.stdout
    assert "warning YP205 action PLAN-1.1 needs review: due: the spreadsheet says 'soon'" in check.stdout


def test_nothing_placed_writes_nothing(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("Recommendation,Action,Lead,Target date\n,Do it,YOT Manager,31/03/2023\n", "utf-8")
    result = cli("import", path, "-o", tmp_path / "out", "--today", AS_AT)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:2: no recommendation on or above this row; fill in its ref and recommendation\n"
        f"yotplan: error: {path}: no action could be placed; nothing written\n"
    )
    assert not (tmp_path / "out").exists()


def test_grouping_by_ref_and_rows_under_a_broken_recommendation(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Ref,Recommendation,Action,Lead,Target date,Status\n"
        "1,First,Action one,YOT Manager,31/07/2022,\n"
        ",,Action two,YOT Manager,31/07/2022,in progress\n"
        "1,Another text for ref 1,Action three,YOT Manager,31/07/2022,\n"
        ",,Action four,YOT Manager,31/07/2022,\n"
        ",Second without a ref,Action five,YOT Manager,31/07/2022,\n"
        "2,Second,,,,\n"
        ",,Action six,YOT Manager,31/08/2022,not started\n"
        "3,Third with no action,,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = cli("import", path, "-o", out, "--source-id", "IR", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr  # every action row is placed; the guesses are flagged
    assert (
        "recommendations that needed a guess (for review):\n"
        f"  {path}:4: its recommendation text differs from that of ref '1' (row 2); placed under that ref, the "
        "text kept as a comment\n"
        f"  {path}:6: a new recommendation with no 'Ref'; numbered IR-4\n"
        f"  {path}:9: recommendation ref '3' has no action rows; given one, to be confirmed\n"
    ) in result.stdout
    text = (out / "ir.yaml").read_text(encoding="utf-8")
    assert "# row 4 of the spreadsheet gives this text: Another text for ref 1\n- id: IR-1\n" in text
    for n, title in enumerate(("Action one", "Action two", "Action three", "Action four"), 1):
        assert f"  - id: IR-1.{n}\n    title: {title}\n" in text
    assert "- id: IR-4\n  text: Second without a ref\n" in text  # refs 2 and 3 are further down
    assert "- id: IR-2\n  text: Second\n  owner: yot-manager\n  actions:\n  - id: IR-2.1\n" in text
    assert "IR-4.1" in text
    assert "- id: IR-3\n  text: Third with no action\n  owner: lead-not-recorded\n" in text
    assert "    undated: to-be-confirmed\n" in text
    assert "a blank status is not started" in text


def test_a_row_with_a_lead_and_no_action_is_placed_titled_with_its_recommendation(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "Recommendation,Action,Lead,Target date\n"
        "Agree priorities,,,\n"
        ",Publish the plan,YOT Manager,31/07/2022\n"
        ",,YOT Manager,31/08/2022\n"
        "Note: reviewed at the June Board,,,\n"
        ",Share the plan,YOT Manager,31/08/2022\n",
        encoding="utf-8",
    )
    result = cli("import", path, "-o", tmp_path / "out", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    assert f"  {path}:4: no action text; titled 'Agree priorities'\n" in result.stdout
    assert result.stdout.endswith(
        "1 recommendation, 3 actions, 1 owner; 1 row skipped (1 note or key); 1 flagged for review\n"
    )
    text = (tmp_path / "out" / "plan.yaml").read_text(encoding="utf-8")
    assert "  - id: PLAN-1.2\n    title: Agree priorities\n" in text


# The cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "month_only"),
    [
        (datetime(2022, 7, 31, 0, 0), date(2022, 7, 31), False),
        (date(2022, 7, 31), date(2022, 7, 31), False),
        ("31/07/2022", date(2022, 7, 31), False),
        ("1/9/22", date(2022, 9, 1), False),
        ("01.09.2022", date(2022, 9, 1), False),
        ("2022-12-31", date(2022, 12, 31), False),
        ("2022-12-31 00:00:00", date(2022, 12, 31), False),
        ("31 July 2022", date(2022, 7, 31), False),
        ("1st Sept 2022", date(2022, 9, 1), False),
        ("March 2023", date(2023, 3, 31), True),
        ("end of Feb 2024", date(2024, 2, 29), True),
        ("by 30/06/2022", date(2022, 6, 30), False),
    ],
)
def test_dates(value: Any, expected: date, month_only: bool) -> None:
    cell = read_date(value)
    assert (cell.day, cell.form == "month-year") == (expected, month_only)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2022", "'31/02/2022' is not a real calendar date (dates are read day first: dd/mm/yyyy)"),
        ("07/31/2022", "is not a real calendar date"),
        ("Q3 2022", "'Q3 2022' is not a date; write it as dd/mm/yyyy"),
        (44773, "is a number, not a date"),
        (datetime(1899, 12, 31), "is not a plausible date"),
    ],
)
def test_dates_that_cannot_be_read(value: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        read_date(value)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Complete", "done"),
        ("completed", "done"),
        ("Done", "done"),
        ("In Progress", "in-progress"),
        ("in-progress", "in-progress"),
        ("Ongoing", "in-progress"),
        ("On track", "in-progress"),
        ("Not started", "not-started"),
        ("not-started", "not-started"),
        ("Blocked", "blocked"),
        ("Delayed", "blocked"),
        ("Dropped", "dropped"),
        ("No longer required", "dropped"),
        ("TBC", None),
        ("Red", "in-progress"),
    ],
)
def test_statuses(text: str, status: str | None) -> None:
    assert read_status(text) == status


def test_rag_from_text_or_colour() -> None:
    assert read_rag("R", None) == "red"
    assert read_rag(" amber ", "00B050") == "amber"  # the text wins
    assert read_rag(None, "00B050") == "green"
    assert read_rag(None, None) is None
    assert [rag_of_colour(c) for c in ("FF0000", "FFC000", "FFFF00", "92D050", "0070C0", "FFFFFF", "808080")] == [
        "red",
        "amber",
        "amber",
        "green",
        "blue",
        None,
        None,
    ]
    with pytest.raises(ValueError, match="RAG 'TBC' is not red, amber, green or blue"):
        read_rag("TBC", None)


def test_owner_keys_and_people() -> None:
    assert owner_key("Head of Service (YOT)") == "head-of-service-yot"
    assert owner_key("  head of service  (yot) ") == "head-of-service-yot"
    assert owner_key("Directrice Générale") == "directrice-generale"
    assert owner_key("???") == ""
    for person in ("Sarah Jones", "J. Smith", "Mr Patel", "Sarah Jones (YOT Manager)", "YOT Manager - Sarah Jones"):
        assert looks_like_person(person), person
    for role in ("Head of Service (YOT)", "YOT Manager", "CAMHS Lead", "Torbay Council", "Police", "Education Lead"):
        assert not looks_like_person(role), role


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ref", "ref"),
        ("Rec No.", "ref"),
        ("Recommendation", "recommendation"),
        ("Area for improvement", "recommendation"),
        ("Action(s)", "action"),
        ("Actions to meet the recommendation", "action"),
        ("Action ref", "action-ref"),
        ("Lead Officer", "owner"),
        ("Action Owner", "owner"),
        ("Responsible", "owner"),
        ("Recommendation lead", "rec-owner"),
        ("Target Date", "due"),
        ("Target completion date", "due"),
        ("Deadline", "due"),
        ("Date completed", "completed"),
        ("RAG status", "rag"),
        ("BRAG", "rag"),
        ("Status", "status"),
        ("Progress", "update"),  # a column of progress is text, never the status by its header
        ("Progress Update / Comments", "update"),
        ("Evidence", "evidence"),
        ("Success measure", "measure"),
        ("Days left", None),
    ],
)
def test_header_guesses(header: str, field: str | None) -> None:
    assert guess_field(header) == field


# Files that are not action plans ----------------------------------------------------------


def test_files_that_cannot_be_imported(cli: Invoke, tmp_path: Path, workbook: Path) -> None:
    old = tmp_path / "plan.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert cli("import", old, "-o", tmp_path / "o").stderr == (
        f"yotplan: error: {old}: an old-style .xls workbook; open it in Excel and save it as .xlsx (or .csv)\n"
    )
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert "cannot read this workbook" in cli("import", broken, "-o", tmp_path / "o").stderr
    sheet = cli("import", workbook, "-o", tmp_path / "o", "--sheet", "Plan")
    assert sheet.stderr == f"yotplan: error: {workbook}: no sheet named 'Plan' (the sheets are: 'Action Plan')\n"
    no_header = tmp_path / "notes.csv"
    no_header.write_text("some notes\nmore notes\n", encoding="utf-8")
    result = cli("import", no_header, "-o", tmp_path / "o")
    assert result.exit_code == 1
    assert "no header row in the first 10 rows" in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_bad_source_id_is_a_usage_error(cli: Invoke, workbook: Path, tmp_path: Path) -> None:
    result = cli("import", workbook, "-o", tmp_path / "o", "--source-id", "../x")
    assert result.exit_code == 2
    assert "'../x' cannot be a source id: use letters, digits and '-', e.g. HMIP" in flat(result.stderr)
