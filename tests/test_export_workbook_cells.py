"""The Board pack workbook cell by cell, built in process from a small plans folder: every value,
the number format that makes a date a date, the fills, the quote prefix that keeps text from
becoming a formula, the print header and footer, and the refusals of `write_workbook`."""

from __future__ import annotations

import dataclasses
import errno
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.workbook import Workbook as LoadedWorkbook

from yotplan.errors import WriteFailed
from yotplan.plans.loader import load_plans
from yotplan.plans.planset import PlanSet
from yotplan.spreadsheet.errors import SpreadsheetError
from yotplan.spreadsheet.workbook import (
    LONG_ACROSS,
    MAX_CELL_TEXT,
    ExportSummary,
    _lines,
    _print_setup,
    _put,
    build_workbook,
    fit_widths,
    write_workbook,
)
from yotplan.views.queries import Filters

DAY = date(2022, 6, 1)
SERVICE = "Westford & District YJS"

PLAN = """\
source:
  id: REV
  title: Example improvement review
  kind: improvement-review
  date: 2022-05-06
recommendations:
  - id: REV-1
    text: Continue to develop the Board.
    to: YOT Management Board
    owner: board-chair
    related: [REV-2, REV-3]
    actions:
      - id: REV-1.1
        title: Run a Board development day
        owner: board-chair
        due: 2022-09-30
        status: in-progress
        updates:
          - date: 2022-05-06
            note: Planning started.
        evidence:
          - the Board is still developing
          - minutes of May
      - id: REV-1.2
        title: Agree terms of reference
        owner: board-chair
        due: 2022-04-30
        status: done
        completed: 2022-04-28
  - id: REV-2
    text: Build a QA framework.
    owner: yot-manager
    actions:
      - id: REV-2.1
        title: Draft the QA framework
        owner: yot-manager
        due: 2022-05-20
        status: not-started
      - id: REV-2.2
        title: Keep the audits going
        owner: unknown-lead
        undated: ongoing
        status: in-progress
  - id: REV-3
    text: Review the protocol.
    owner: yot-manager
    actions:
      - id: REV-3.1
        title: Review the protocol
        owner: yot-manager
        due: 2022-03-01
        status: not-started
"""


def plans_folder(folder: Path, service_name: str = SERVICE) -> Path:
    folder.mkdir(parents=True)
    (folder / "service.yaml").write_text(f"id: west\nname: '{service_name}'\nregion: South West\n", "utf-8")
    (folder / "owners.yaml").write_text(
        "owners:\n"
        "  yot-manager:\n    role: YOT Manager\n    agency: Example Council\n"
        "  board-chair:\n    role: Board Chair\n    agency: Example Board\n"
        "  unknown-lead:\n    role: Lead\n    agency: Elsewhere\n",
        "utf-8",
    )
    (folder / "review.yaml").write_text(PLAN, "utf-8")
    return folder


def loaded(folder: Path) -> PlanSet:
    result = load_plans(folder)
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    return result.plans


def opened(data: bytes) -> LoadedWorkbook:
    return load_workbook(io.BytesIO(data))


def rows(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


@pytest.fixture
def plans(tmp_path: Path) -> PlanSet:
    return loaded(plans_folder(tmp_path / "plans"))


def test_every_sheet_holds_the_values_of_the_views(plans: PlanSet) -> None:
    data, stats = build_workbook(plans, DAY)
    assert stats == ExportSummary(DAY, 3, 5, 2)
    assert stats.describe() == "3 recommendations, 5 actions, 2 overdue (as at 2022-06-01)"
    book = opened(data)
    assert book.sheetnames == ["Summary", "Recommendations", "Actions", "Overdue", "Indicators"]
    at = datetime(2022, 6, 1)
    assert rows(book["Recommendations"]) == [
        ("Rec ref", "Source", "Recommendation", "To", "Owner", "Done", "Actions", "Next due", "RAG", "Stage",
         "Related"),
        ("REV-1", "REV", "Continue to develop the Board.", "YOT Management Board", "Board Chair, Example Board",
         1, 2, datetime(2022, 9, 30), "green", "open", "REV-2, REV-3"),
        ("REV-2", "REV", "Build a QA framework.", None, "YOT Manager, Example Council", 0, 2,
         datetime(2022, 5, 20), "red", "open", None),
        ("REV-3", "REV", "Review the protocol.", None, "YOT Manager, Example Council", 0, 1,
         datetime(2022, 3, 1), "red", "open", None),
    ]  # fmt: skip
    assert rows(book["Actions"]) == [
        ("Action ref", "Rec ref", "Source", "Recommendation", "Rec owner", "Action", "Owner", "Due", "Status",
         "Completed", "RAG", "Days left", "Latest update", "Evidence"),
        ("REV-1.1", "REV-1", "REV", "Continue to develop the Board.", "board-chair", "Run a Board development day",
         "board-chair", datetime(2022, 9, 30), "in-progress", None, "green", 121, "2022-05-06: Planning started.",
         "the Board is still developing\nminutes of May"),
        ("REV-1.2", "REV-1", "REV", "Continue to develop the Board.", "board-chair", "Agree terms of reference",
         "board-chair", datetime(2022, 4, 30), "done", datetime(2022, 4, 28), "delivered", None, None, None),
        ("REV-2.1", "REV-2", "REV", "Build a QA framework.", "yot-manager", "Draft the QA framework",
         "yot-manager", datetime(2022, 5, 20), "not-started", None, "red", -12, None, None),
        ("REV-2.2", "REV-2", "REV", "Build a QA framework.", "yot-manager", "Keep the audits going",
         "unknown-lead", "ongoing", "in-progress", None, "amber", None, None, None),
        ("REV-3.1", "REV-3", "REV", "Review the protocol.", "yot-manager", "Review the protocol",
         "yot-manager", datetime(2022, 3, 1), "not-started", None, "red", -92, None, None),
    ]  # fmt: skip
    assert rows(book["Overdue"]) == [
        ("Action ref", "Action", "Owner", "Due", "Days overdue", "Status", "Rec ref", "Source"),
        ("REV-3.1", "Review the protocol", "YOT Manager, Example Council", datetime(2022, 3, 1), 92, "not-started",
         "REV-3", "REV"),
        ("REV-2.1", "Draft the QA framework", "YOT Manager, Example Council", datetime(2022, 5, 20), 12,
         "not-started", "REV-2", "REV"),
    ]  # fmt: skip
    assert rows(book["Indicators"])[0][:3] == ("Indicator", "Rec ref", "Name")
    summary = book["Summary"]
    assert rows(summary) == [
        (f"{SERVICE}: Board pack, improvement action plans", *[None] * 9),
        ("As at", at, *[None] * 8),
        (None,) * 10,
        (None,) * 10,
        ("Source", "Title", "Recommendations", "Red", "Amber", "Green", "Delivered", "Closed", "Dropped",
         "Overdue actions"),
        ("REV", "Example improvement review", 3, 2, 0, 1, 0, 0, 0, 2),
        ("Total", None, 3, 2, 0, 1, 0, 0, 0, 2),
    ]  # fmt: skip
    assert summary["A1"].font.b
    assert summary["A1"].font.sz == 14
    assert summary["A2"].font.b
    assert summary["B2"].alignment.horizontal == "left"
    assert summary["B2"].number_format == "d mmm yyyy"
    assert [summary.cell(7, c).font.b for c in range(1, 11)] == [True, False, *[True] * 8]
    assert summary.freeze_panes == "A6"
    assert summary.auto_filter.ref == "A5:J6"


def test_the_summary_names_its_filters_and_counts_only_what_they_keep(plans: PlanSet) -> None:
    data, stats = build_workbook(plans, DAY, Filters(sources=("REV",), owners=("yot-manager",)))
    book = opened(data)
    summary = book["Summary"]
    assert (summary["A3"].value, summary["B3"].value) == ("Filters", "source REV, owner yot-manager")
    assert summary["A3"].font.b
    assert [a for a, *_ in rows(book["Actions"])[1:]] == ["REV-2.1", "REV-3.1"]  # REV-2.2 is unknown-lead's
    assert stats.actions == 2
    only_source = opened(build_workbook(plans, DAY, Filters(sources=("REV",)))[0])["Summary"]
    assert only_source["B3"].value == "source REV"
    unfiltered = opened(build_workbook(plans, DAY)[0])["Summary"]
    assert (unfiltered["A3"].value, unfiltered["B3"].value) == (None, None)


def test_a_plan_set_without_a_service_name_is_named_by_its_id_or_not_at_all(plans: PlanSet) -> None:
    by_id = opened(build_workbook(dataclasses.replace(plans, service_name=""), DAY)[0])
    assert by_id["Summary"]["A1"].value == "west: Board pack, improvement action plans"
    assert by_id["Overdue"].oddHeader.left.text == "west Board pack: Overdue"
    unnamed = opened(build_workbook(dataclasses.replace(plans, service_name="", service=""), DAY)[0])
    assert unnamed["Summary"]["A1"].value == "Board pack: improvement action plans"
    assert unnamed["Overdue"].oddHeader.left.text == "Board pack: Overdue"
    assert unnamed["Overdue"].oddFooter.left.text == " · as at 1 June 2022"


def test_rag_cells_and_the_summarys_rag_headers_are_filled_in_their_colours(plans: PlanSet) -> None:
    book = opened(build_workbook(plans, DAY)[0])
    summary = book["Summary"]
    headers = {summary.cell(5, c).value: summary.cell(5, c) for c in range(1, 11)}
    expected = {"Red": "B3261E", "Amber": "F2A900", "Green": "2E7D32", "Delivered": "1F5FA8", "Closed": "4A3F8C",
                "Dropped": "9E9E9E"}  # fmt: skip
    for name, fill in expected.items():
        assert headers[name].fill.fgColor.rgb[-6:] == fill, name
        assert headers[name].font.b, name  # still a header
    assert headers["Amber"].font.color.rgb[-6:] == "1A1A1A"
    assert headers["Red"].font.color.rgb[-6:] == "FFFFFF"
    assert headers["Source"].fill.fgColor.rgb[-6:] == "D9D9D9"
    actions = book["Actions"]
    rag = {actions.cell(r, 1).value: actions.cell(r, 11) for r in range(2, 7)}
    assert rag["REV-2.1"].fill.fill_type == "solid"
    assert rag["REV-2.1"].fill.fgColor.rgb[-6:] == "B3261E"
    assert rag["REV-2.2"].fill.fgColor.rgb[-6:] == "F2A900"
    assert not rag["REV-2.2"].font.b
    assert actions["A1"].font.b
    assert actions["A1"].fill.fill_type == "solid"
    assert actions["A2"].fill.fill_type is None  # only the header row and the RAG column are filled


def test_the_pack_prints_with_the_service_and_date_and_the_ampersand_kept(plans: PlanSet) -> None:
    book = opened(build_workbook(plans, date(2023, 12, 9))[0])
    for sheet in book.worksheets:
        assert sheet.oddHeader.left.text == f"Westford && District YJS Board pack: {sheet.title}"
        assert sheet.oddHeader.right.text == "as at 9 December 2023"
        assert sheet.oddFooter.left.text == "Westford && District YJS · as at 9 December 2023"
        assert sheet.oddFooter.right.text == "Page &P of &N"
        assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) == (9, "landscape")
        assert sheet.page_margins.left == sheet.page_margins.right == 0.4
        assert sheet.print_title_rows == ("$5:$5" if sheet.title == "Summary" else "$1:$1")
    january = opened(build_workbook(plans, date(2022, 1, 31))[0])
    assert january["Summary"].oddHeader.right.text == "as at 31 January 2022"


def test_an_ampersand_in_a_short_service_name_is_doubled_in_the_print_header(plans: PlanSet) -> None:
    book = opened(build_workbook(dataclasses.replace(plans, service_name="A&B"), DAY)[0])
    assert book["Summary"].oddHeader.left.text == "A&&B Board pack: Summary"


def test_dates_are_dates_with_a_date_format_and_text_is_text(plans: PlanSet) -> None:
    book = opened(build_workbook(plans, DAY)[0])
    # "30 Sep 2022" is 11 characters: a narrower column shows a date as ####.
    assert book["Overdue"].column_dimensions["D"].width == 11 + 2
    actions = book["Actions"]
    due = actions["H2"]
    assert due.value == datetime(2022, 9, 30)
    assert due.number_format == "d mmm yyyy"
    assert actions["J3"].number_format == "d mmm yyyy"
    undated = actions["H5"]
    assert (undated.value, undated.data_type, undated.number_format) == ("ongoing", "s", "General")
    days = actions["L4"]
    assert (days.value, days.data_type, days.number_format) == (-12, "n", "General")
    assert actions["F2"].alignment.wrap_text  # text wraps
    assert actions["F2"].alignment.vertical == "top"
    assert not actions["H2"].alignment.wrap_text  # a date does not
    assert not actions["A2"].alignment.wrap_text  # nor an id
    assert actions["A2"].alignment.vertical == "top"


def put(value: object) -> object:
    return _put(Workbook().active, 1, 1, value)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)"])
def test_a_text_a_spreadsheet_would_take_for_a_formula_is_a_quoted_string(text: str) -> None:
    cell = put(text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["#N/A", "1=1", "a+b", " =x", "ok"])
def test_other_text_is_a_plain_string(text: str) -> None:
    cell = put(text)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", False)  # type: ignore[attr-defined]


def test_numbers_dates_and_blanks_keep_their_type() -> None:
    number = put(12)
    assert (number.value, number.data_type, number.number_format) == (12, "n", "General")  # type: ignore[attr-defined]
    day = put(date(2022, 1, 2))
    assert (day.value, day.number_format) == (date(2022, 1, 2), "d mmm yyyy")  # type: ignore[attr-defined]
    moment = put(datetime(2022, 1, 2, 3, 4))
    assert moment.number_format == "d mmm yyyy"  # type: ignore[attr-defined]
    assert put(None).value is None  # type: ignore[attr-defined]


def test_control_characters_are_replaced_and_text_is_cut_at_excels_limit() -> None:
    assert put("a\x00b\x1fc\td").value == "a\ufffdb\ufffdc\td"  # type: ignore[attr-defined]
    assert MAX_CELL_TEXT == 32_767
    full = "x" * MAX_CELL_TEXT
    assert put(full).value == full  # type: ignore[attr-defined]
    cut = put("y" * (MAX_CELL_TEXT + 1)).value  # type: ignore[attr-defined]
    assert cut == "y" * (MAX_CELL_TEXT - 1) + "…"
    assert len(put("=" + "z" * 40_000).value) == MAX_CELL_TEXT  # type: ignore[attr-defined]


def test_the_bytes_carry_the_as_at_date_and_no_clock(plans: PlanSet) -> None:
    data, _ = build_workbook(plans, DAY)
    assert data == build_workbook(plans, DAY)[0]
    book = opened(data)
    props = book.properties
    assert (props.creator, props.title, props.lastModifiedBy) == ("yotplan", "Board pack", None)
    assert props.created == props.modified == datetime(2022, 6, 1)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert {i.date_time for i in infos} == {(2022, 6, 1, 0, 0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert archive.testzip() is None
        assert "xl/worksheets/sheet1.xml" in archive.namelist()


def test_a_day_before_1980_is_stamped_1980_and_one_after_2107_is_refused(plans: PlanSet) -> None:
    old, _ = build_workbook(plans, date(1979, 3, 4))
    with zipfile.ZipFile(io.BytesIO(old)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 3, 4, 0, 0, 0)}
    last, _ = build_workbook(plans, date(2107, 12, 31))
    with zipfile.ZipFile(io.BytesIO(last)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2107, 12, 31, 0, 0, 0)}
    with pytest.raises(SpreadsheetError) as refused:
        build_workbook(plans, date(2108, 1, 1))
    assert str(refused.value) == (
        "cannot export as at 2108-01-01: an .xlsx workbook is a zip file, whose dates end on 2107-12-31; "
        "give --today 2107-12-31 or earlier"
    )


def test_write_workbook_needs_an_xlsx_name_in_a_folder_that_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_workbook(Path("Pack.XLSX"), b"bytes")
    assert (tmp_path / "Pack.XLSX").read_bytes() == b"bytes"
    with pytest.raises(SpreadsheetError) as wrong:
        write_workbook(Path("pack.xls"), b"bytes")
    assert str(wrong.value) == "pack.xls: the Board pack is an .xlsx workbook; give -o a name ending in .xlsx"
    (tmp_path / "made.xlsx").mkdir()
    with pytest.raises(SpreadsheetError) as folder:
        write_workbook(Path("made.xlsx"), b"bytes")
    assert str(folder.value) == "made.xlsx is a folder; give -o a file name ending in .xlsx"
    with pytest.raises(SpreadsheetError) as missing:
        write_workbook(Path("no/pack.xlsx"), b"bytes")
    assert str(missing.value) == "no/pack.xlsx: the folder no does not exist; create it first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Pack.XLSX", "made.xlsx"]

    def full_disk(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("yotplan.edit.safe_write.os.replace", full_disk)
    with pytest.raises(WriteFailed) as failed:
        write_workbook(tmp_path / "full.xlsx", b"bytes")
    assert str(failed.value) == "cannot write full.xlsx: No space left on device; nothing was changed"


def test_the_summary_counts_each_source_on_its_own_row(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path / "plans")
    (folder / "peer.yaml").write_text(
        "source:\n  id: LGA\n  title: Peer review\n  kind: peer-review\n  date: 2022-05-06\n"
        "recommendations:\n"
        "  - id: LGA-a\n    text: Keep going.\n    owner: yot-manager\n    actions:\n"
        "      - id: LGA-a.1\n        title: Keep going\n        owner: yot-manager\n        due: 2022-12-31\n"
        "        status: done\n        completed: 2022-05-30\n"
        "  - id: LGA-b\n    text: Start.\n    owner: yot-manager\n    actions:\n"
        "      - id: LGA-b.1\n        title: Start\n        owner: yot-manager\n        due: 2022-12-31\n"
        "        status: not-started\n",
        "utf-8",
    )
    summary = opened(build_workbook(loaded(folder), DAY)[0])["Summary"]
    assert rows(summary)[4:] == [
        ("Source", "Title", "Recommendations", "Red", "Amber", "Green", "Delivered", "Closed", "Dropped",
         "Overdue actions"),
        ("LGA", "Peer review", 2, 0, 0, 1, 1, 0, 0, 0),
        ("REV", "Example improvement review", 3, 2, 0, 1, 0, 0, 0, 2),
        ("Total", None, 5, 2, 0, 2, 1, 0, 0, 2),
    ]  # fmt: skip
    assert summary.auto_filter.ref == "A5:J7"


def test_the_count_over_several_services_says_how_many_and_the_indicators_flagged() -> None:
    assert ExportSummary(DAY, 4, 6, 1, services=2, indicators_flagged=0).describe() == (
        "2 services, 4 recommendations, 6 actions, 1 overdue, 0 indicators not on track (as at 2022-06-01)"
    )


INDICATORS = """\
    indicators:
      - id: REV-1-attendance
        name: Board meetings attended by every partner agency, as the minutes record them each quarter
        unit: '%'
        better: higher
        baseline:
          date: 2022-01-10
          value: 50
        target:
          date: 2023-03-31
          value: 100
        readings:
          - date: 2022-03-01
            value: 70
          - date: 2022-05-02
            value: 60
      - id: REV-1-audits
        name: Audits done
        unit: count
        better: higher
        target:
          date: 2022-12-31
          value: 12
"""


def test_the_indicators_sheet_has_numbers_dates_and_each_indicators_rag(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path / "plans")
    plan = (folder / "review.yaml").read_text("utf-8")
    (folder / "review.yaml").write_text(plan.replace("    actions:\n", INDICATORS + "    actions:\n", 1), "utf-8")
    sheet = opened(build_workbook(loaded(folder), DAY)[0])["Indicators"]
    assert rows(sheet) == [
        ("Indicator", "Rec ref", "Name", "Unit", "Better", "Baseline", "Baseline date", "Target", "Target date",
         "Latest", "Latest date", "Change since baseline", "Change since previous", "On track", "RAG"),
        ("REV-1-attendance", "REV-1", "Board meetings attended by every partner agency, as the minutes record them "
         "each quarter", "%", "higher", 50, datetime(2022, 1, 10), 100, datetime(2023, 3, 31), 60,
         datetime(2022, 5, 2), 10, -10, "no", "amber"),
        ("REV-1-audits", "REV-1", "Audits done", "count", "higher", None, None, 12, datetime(2022, 12, 31), None,
         None, None, None, "no reading", "amber"),
    ]  # fmt: skip
    assert sheet["G2"].number_format == "d mmm yyyy"
    assert sheet["O2"].fill.fgColor.rgb[-6:] == "F2A900"
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_cols == "$A:$A"  # 15 columns print on to pages across, the id on each
    other_source = opened(build_workbook(loaded(folder), DAY, Filters(sources=("LGA",)))[0])["Indicators"]
    assert rows(other_source) == rows(sheet)[:1]  # the filters keep the indicators of the recommendations shown


def test_an_owner_missing_from_the_owners_file_is_shown_by_its_key(tmp_path: Path) -> None:
    folder = plans_folder(tmp_path / "plans")
    (folder / "owners.yaml").write_text("owners:\n  board-chair:\n    role: Board Chair\n    agency: B\n", "utf-8")
    book = opened(build_workbook(loaded(folder), DAY)[0])
    assert [r[4] for r in rows(book["Recommendations"])[1:]] == ["Board Chair, B", "yot-manager", "yot-manager"]
    assert [r[2] for r in rows(book["Overdue"])[1:]] == ["yot-manager", "yot-manager"]


def test_wrapped_text_and_wrapped_headers_grow_their_rows_and_each_sheet_prints_at_its_scale(tmp_path: Path) -> None:
    """Neither Excel nor LibreOffice grows a row for wrapped text that openpyxl wrote: a row the
    export leaves at one line hides the rest of its text. 15 points a line."""
    folder = plans_folder(tmp_path / "plans")
    plan = (folder / "review.yaml").read_text("utf-8")
    (folder / "review.yaml").write_text(plan.replace("    actions:\n", INDICATORS + "    actions:\n", 1), "utf-8")
    book = opened(build_workbook(loaded(folder), DAY)[0])
    indicators = book["Indicators"]
    # "Change / since / previous" in a number column 10 wide; the 87-character name in three lines of 32.
    assert [indicators.row_dimensions[r].height for r in (1, 2, 3)] == [45, 45, None]
    header = indicators["M1"]
    assert (header.value, header.alignment.wrap_text, header.alignment.vertical) == (
        "Change since previous",
        True,
        "top",
    )
    overdue = book["Overdue"]
    # "YOT Manager, Example Council" (an owner: wrapped text) and "Days overdue" take two lines.
    assert [overdue.row_dimensions[r].height for r in (1, 2, 3)] == [30, 30, 30]
    assert overdue["C2"].alignment.wrap_text
    assert book["Summary"].row_dimensions[5].height == 30  # "Overdue actions"
    assert book["Summary"].row_dimensions[6].height is None
    assert book["Recommendations"].row_dimensions[1].height is None  # no header wraps: the default height
    # Narrow sheets print larger, never over 100 %; wide ones at 73 %, never under.
    scales = {sheet.title: sheet.page_setup.scale for sheet in book.worksheets}
    assert scales == {"Summary": 98, "Recommendations": 73, "Actions": 73, "Overdue": 100, "Indicators": 73}
    assert book["Recommendations"].print_title_cols is None  # it fits one page wide
    assert book["Overdue"].print_title_cols is None


def test_the_estimate_of_wrapped_lines_counts_a_space_between_words_only() -> None:
    assert _lines("", 5) == 1
    assert _lines("aaa bb", 6) == 1  # 3 + 1 + 2: it fits exactly
    assert _lines("aaa bb", 5) == 2
    assert _lines("a b c d e f", 5) == 2  # "a b c" / "d e f"
    assert _lines("a b c d e f g h", 5) == 3
    assert _lines("overlongword x", 4) == 2  # a word longer than the column takes its own line


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


def test_the_as_at_date_is_printed_with_its_months_name() -> None:
    sheet = Workbook().active
    for month, name in enumerate(MONTHS, 1):
        _print_setup(sheet, "North", date(2024, month, 3))
        assert sheet.oddHeader.right.text == f"as at 3 {name} 2024"
        assert sheet.oddFooter.left.text == f"North · as at 3 {name} 2024"
    sheet.title = "R&D"  # `&` starts a code in a print header: doubled, it prints as itself
    _print_setup(sheet, "North", date(2024, 1, 3), pack="")
    assert sheet.oddHeader.left.text == "North: R&&D"


def test_fit_widths_narrows_one_character_at_a_time_widest_and_leftmost_first_down_to_its_floors() -> None:
    # 101 + 60 + 11, each printed 2 wider, is 25 over WIDEST_SHEET (153): the long text gives all 25.
    assert fit_widths([101, 60, 11], ["long", "text", "date"]) == [76, 60, 11]
    # Two as wide: they give way in turn, the leftmost first.
    assert fit_widths([80, 80, 12], ["long", "long", "date"]) == [67, 68, 12]
    ids = ["long", "text", "text", "id", "id", "id", "id"]
    assert fit_widths([40, 30, 30, 24, 24, 24, 24], ids) == [14, 14, 15, 24, 24, 24, 24]
    # Exactly at the floors (long text 14, text 9) it fits; one character more and it cannot:
    # then the widths as they were, long text at LONG_ACROSS.
    assert fit_widths([40, 30, 30, 27, 27, 27, 26], ids) == [14, 9, 9, 27, 27, 27, 26]
    assert fit_widths([40, 30, 30, 27, 27, 27, 27], ids) == [LONG_ACROSS, 30, 30, 27, 27, 27, 27]
    assert fit_widths([40, 30, 30, 34, 27, 27, 27], ids) == [LONG_ACROSS, 30, 30, 34, 27, 27, 27]  # only long text
