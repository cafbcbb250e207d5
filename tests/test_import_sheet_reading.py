"""`read_sheet`: the rows of a workbook or CSV as a person sees them, or one line saying why not.

Each file is made here (the workbooks part by part where the XML itself is what is held) and
read in this process with `read_sheet`, so the rows it gives are what the tests check: values,
row numbers, hidden rows, fills, and the exact refusal for a file that cannot be read.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.styles import Color, GradientFill, PatternFill

from test_spreadsheet_hostile import HEADER, NS, SHEET_START, sheet_xml, text_cell, workbook_file
from yotplan.spreadsheet import bounds, reading
from yotplan.spreadsheet.errors import SpreadsheetError
from yotplan.spreadsheet.reading import Row, find_delimiter, read_sheet

SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def values(rows: list[Row]) -> list[tuple[int, tuple[Any, ...]]]:
    return [(row.number, row.values) for row in rows]


def refusal(path: Path, **options: Any) -> str:
    with pytest.raises(SpreadsheetError) as refused:
        read_sheet(path, **options)
    return str(refused.value)


# --- which file, which sheet -------------------------------------------------------------------


def test_a_folder_a_missing_file_and_other_kinds_of_file_are_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "plans.xlsx").mkdir()
    assert refusal(tmp_path / "plans.xlsx").endswith("plans.xlsx is a folder; give the spreadsheet's file name")
    assert refusal(tmp_path / "gone.xlsx").endswith("gone.xlsx: no such file")
    (tmp_path / "old.XLS").write_bytes(b"\xd0\xcf\x11\xe0")
    assert refusal(tmp_path / "old.XLS").endswith(
        "old.XLS: an old-style .xls workbook; open it in Excel and save it as .xlsx (or .csv)"
    )
    (tmp_path / "plan.txt").write_text("Ref,Action\n", encoding="utf-8")
    assert refusal(tmp_path / "plan.txt").endswith(
        "plan.txt: not an .xlsx or .csv file; save the action plan as .xlsx or .csv"
    )
    (tmp_path / "plan.csv").write_text("Ref,Action\n", encoding="utf-8")
    assert refusal(tmp_path / "plan.csv", sheet="Plan").endswith(
        "plan.csv: a .csv file has no sheets; leave out --sheet"
    )


def test_a_suffix_in_capitals_is_the_same_kind_of_file(tmp_path: Path) -> None:
    (tmp_path / "PLAN.CSV").write_text("Ref,Action\n1,Meet\n", encoding="utf-8")
    assert values(read_sheet(tmp_path / "PLAN.CSV").rows) == [(1, ("Ref", "Action")), (2, ("1", "Meet"))]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Action"])
    book.save(tmp_path / "PLAN.XLSX")
    read = read_sheet(tmp_path / "PLAN.XLSX")
    assert (read.name, values(read.rows)) == ("Sheet", [(1, ("Ref", "Action"))])


def three_sheets(path: Path, active: int = 0) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Notes"
    first.append(["Read me first"])
    for name in ("Plan", "Plan "):
        book.create_sheet(name).append([f"{name} row"])
    book.active = active
    book.save(path)
    return path


def test_the_sheet_that_opens_first_is_read_unless_one_is_named(tmp_path: Path) -> None:
    path = three_sheets(tmp_path / "book.xlsx", active=1)
    read = read_sheet(path)
    assert (read.name, values(read.rows)) == ("Plan", [(1, ("Plan row",))])
    assert read_sheet(three_sheets(tmp_path / "first.xlsx", active=0)).name == "Notes"
    assert read_sheet(three_sheets(tmp_path / "last.xlsx", active=2)).name == "Plan "
    assert read_sheet(three_sheets(tmp_path / "past.xlsx", active=3)).name == "Notes"
    assert read_sheet(path, "Plan ").name == "Plan "  # the exact name before one matching it stripped
    assert read_sheet(path, "plan ").name == "Plan"
    assert read_sheet(path, " NOTES ").name == "Notes"
    assert refusal(path, sheet="Actions").endswith(
        "book.xlsx: no sheet named 'Actions' (the sheets are: 'Notes', 'Plan', 'Plan ')"
    )


def test_a_chart_sheet_is_not_a_sheet_of_rows(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref"])
    book.create_chartsheet("Chart")
    book.active = 1
    book.save(tmp_path / "chart.xlsx")
    assert refusal(tmp_path / "chart.xlsx").endswith(
        "chart.xlsx: 'Chart' is a chart, not a sheet of rows; choose one with --sheet"
    )
    assert read_sheet(tmp_path / "chart.xlsx", "Sheet").name == "Sheet"


def test_a_workbook_openpyxl_cannot_read_is_one_short_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    assert refusal(path).endswith(
        "notes.xlsx: cannot read this workbook (\"There is no item named '[Content_Types].xml' in the archive\"); "
        "is it password-protected, or not really .xlsx?"
    )
    broken = workbook_file(tmp_path / "broken.xlsx", SHEET_START + f"<worksheet {NS}><sheetData><row")
    assert refusal(broken).startswith(f"{tmp_path / 'broken.xlsx'}: cannot read sheet 'Plan' (")
    assert refusal(broken).endswith("); open it in Excel and save it again")


def test_why_a_workbook_cannot_be_read_is_one_line_of_at_most_100_characters() -> None:
    from defusedxml import EntitiesForbidden

    assert reading._reason(ValueError("  bad\n  part ")) == "bad part"
    assert reading._reason(KeyError()) == "KeyError"
    assert reading._reason(ValueError("x" * 100)) == "x" * 100
    assert reading._reason(ValueError("x" * 101)) == "x" * 99 + "…"
    forbidden = EntitiesForbidden("lol", None, None, None, None, None)
    assert reading._reason(forbidden) == "it declares XML entities, which no workbook needs"


# --- what the sheet's XML holds ----------------------------------------------------------------


def raw_workbook(path: Path, rows: str, strings: list[str] | None = None, after: str = "") -> Path:
    """A workbook whose one sheet is `rows` as written, with a shared-strings part when given."""
    extra: dict[str, bytes] = {}
    if strings is not None:
        items = "".join(f"<si><t>{s}</t></si>" for s in strings)
        extra["xl/sharedStrings.xml"] = f'{SHEET_START}<sst {NS} count="{len(strings)}">{items}</sst>'.encode()
    workbook_file(path, sheet_xml(rows, after), extra)
    if strings is not None:  # the part is found through the workbook's content types
        with zipfile.ZipFile(path) as archive:
            parts = {i.filename: archive.read(i) for i in archive.infolist()}
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>",
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_TYPE}"/></Types>'.encode(),
        )
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    return path


def test_each_kind_of_cell_reads_as_its_value(tmp_path: Path) -> None:
    row = (
        '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="inlineStr"><is><r><t>Brief </t></r><r><t>the Board</t>'
        '</r><rPh><t>ignored</t></rPh></is></c><c r="C1" t="str"><v>=formula text</v></c><c r="D1" t="e"><v>#N/A</v>'
        '</c><c r="E1" t="b"><v>true</v></c><c r="F1" t="b"><v> 0 </v></c>'
        '<c r="G1" t="d"><v>2023-03-31T09:30:00</v></c>'
        '<c r="H1"><v>42</v></c><c r="I1" t="n"><v>2.5</v></c><c r="J1"><v>1E3</v></c><c r="K1" t="s"><v>0</v></c>'
        '<c r="L1" t="str"><v></v></c><c r="M1" t="s"><v>2</v></c></row>'
    )
    read = read_sheet(raw_workbook(tmp_path / "kinds.xlsx", row, ["Ref", "Strengthen &amp; review", "12"]))
    assert values(read.rows) == [
        (
            1,
            (
                "Strengthen & review",
                "Brief the Board",
                "=formula text",
                "#N/A",
                True,
                False,
                datetime(2023, 3, 31, 9, 30),
                42,
                2.5,
                1000.0,
                "Ref",
                None,
                "12",
            ),
        )
    ]
    assert read.rows[0].own == 12
    assert [type(v) for v in read.rows[0].values[4:10]] == [bool, bool, datetime, int, float, float]


def test_indented_xml_long_text_and_phonetic_guides_read_as_the_text_shown(tmp_path: Path) -> None:
    long = "a &amp; b " * 3000
    row = (
        f'<row r="1">\n  <c r="A1"><v>1</v></c>\n  <c r="B1" t="inlineStr">\n    <is>\n      <t>Brief</t>\n    </is>'
        f'\n  </c>\n  <c r="C1" t="inlineStr"><is><t>Kanji</t><rPh sb="0" eb="1"><t>kana</t></rPh></is></c>'
        f'\n  <c r="D1" t="inlineStr"><is><t>after</t></is></c><c r="E1" t="str"><v>{long}</v></c>\n</row>'
    )
    read = read_sheet(raw_workbook(tmp_path / "indented.xlsx", row))
    assert values(read.rows) == [(1, (1, "Brief", "Kanji", "after", "a & b " * 3000))]


def test_rows_and_cells_without_references_follow_the_one_before(tmp_path: Path) -> None:
    rows = (
        "<row><c><v>1</v></c><c><v>2</v></c></row>"
        '<row><c r="b2"><v>3</v></c><c><v>4</v></c></row>'
        '<row r="5"><c r="AA5"><v>5</v></c></row>'
        f'<row r="6.0">{text_cell("A6", "six")}</row>'
    )
    read = read_sheet(raw_workbook(tmp_path / "plain.xlsx", rows))
    blank = (None,) * 25
    assert values(read.rows) == [
        (1, (1, 2, *blank)),
        (2, (None, 3, 4, *blank[1:])),
        (3, (None,) * 27),
        (4, (None,) * 27),
        (5, (*blank, None, 5)),
        (6, ("six", *(None,) * 26)),
    ]
    assert [row.own for row in read.rows] == [2, 2, 0, 0, 1, 1]


def test_elements_with_a_namespace_prefix_are_the_same_elements(tmp_path: Path) -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        f'{SHEET_START}<x:worksheet xmlns:x="{main}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is>'
        '<x:t>Ref</x:t></x:is></x:c><x:c r="B1"><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    read = read_sheet(workbook_file(tmp_path / "prefixed.xlsx", sheet))
    assert values(read.rows) == [(1, ("Ref", 7))]


def test_hidden_rows_are_marked_and_blank_rows_below_the_table_are_not_rows(tmp_path: Path) -> None:
    rows = "".join(
        f'<row r="{n}"{attrs}>{text_cell(f"A{n}", f"row {n}")}</row>'
        for n, attrs in (
            (1, ""),
            (2, ' hidden="1"'),
            (3, ' hidden="true"'),
            (4, ' ht="0"'),
            (5, ' ht="0.0"'),
            (6, ' hidden="0" ht="15"'),
        )
    )
    rows += '<row r="7" hidden="1"><c r="A7" t="inlineStr"><is><t>  </t></is></c></row><row r="8" ht="0"/>'
    read = read_sheet(raw_workbook(tmp_path / "hidden.xlsx", rows))
    assert [(row.number, row.hidden) for row in read.rows] == [
        (1, False),
        (2, True),
        (3, True),
        (4, True),
        (5, True),
        (6, False),
    ]


def test_a_document_type_in_a_sheet_is_refused(tmp_path: Path) -> None:
    sheet = f"{SHEET_START}<!DOCTYPE worksheet><worksheet {NS}><sheetData>{HEADER}</sheetData></worksheet>"
    path = workbook_file(tmp_path / "doctype.xlsx", sheet)
    assert refusal(path).endswith(
        "doctype.xlsx, sheet 'Plan': it declares a document type or XML entities, which no workbook needs"
    )


def test_a_date_formatted_number_is_a_date_and_fills_are_kept_as_rrggbb(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Due", "RAG", "Plain", "Theme", "Pattern", "Indexed"])
    sheet.append([datetime(2023, 3, 31), "x", "y", "z", "w", "v"])
    sheet["B2"].fill = PatternFill("solid", fgColor="FFC00000")
    sheet["C2"].fill = PatternFill("solid", fgColor="00B050")
    sheet["D2"].fill = PatternFill("solid", fgColor=Color(theme=4))  # theme colours are not resolved
    sheet["E2"].fill = PatternFill("darkGrid", fgColor="FFC00000")
    sheet["F2"].fill = PatternFill("solid", fgColor=Color(indexed=10))
    sheet["A4"].fill = PatternFill("solid", fgColor="FFC00000")  # a fill with no value below the table
    sheet["B3"].fill = PatternFill("solid", fgColor="FFFF00")  # a fill with no value in a row of the table
    sheet["A3"] = "only"
    book.save(tmp_path / "fills.xlsx")
    read = read_sheet(tmp_path / "fills.xlsx")
    assert values(read.rows) == [
        (1, ("Due", "RAG", "Plain", "Theme", "Pattern", "Indexed")),
        (2, (datetime(2023, 3, 31), "x", "y", "z", "w", "v")),
        (3, ("only", None, None, None, None, None)),
    ]
    assert read.rows[1].colours == (None, "C00000", "00B050", None, None, "FF0000")
    assert read.rows[2].colours == (None, "FFFF00", None, None, None, None)
    assert [row.own for row in read.rows] == [6, 6, 1]


# --- bounds, checked as the cells arrive --------------------------------------------------------


def test_the_last_row_and_column_a_value_may_be_in_are_read_and_the_next_refused(tmp_path: Path) -> None:
    last = '<row r="50000" hidden="1"><c r="A50000"><v>1</v></c></row>'
    read = read_sheet(raw_workbook(tmp_path / "edge.xlsx", HEADER + last))
    assert (len(read.rows), read.rows[-1].number, read.rows[-1].values) == (50_000, 50_000, (1, None, None, None))
    assert read.rows[-1].hidden
    for cells, name in ((("A50000", "B50000"), "long.xlsx"), (("GR1", "GR2"), "wide.xlsx")):
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet[cells[0]], sheet["B2"] = "last", "value"
        sheet[cells[1]].fill = PatternFill("solid", fgColor="FFC00000")
        book.save(tmp_path / name)
    read = read_sheet(tmp_path / "long.xlsx")
    assert (read.rows[-1].colours, len(read.rows)) == ((None, "C00000"), 50_000)
    assert read_sheet(tmp_path / "wide.xlsx").rows[1].colours[-1] == "C00000"
    read = read_sheet(raw_workbook(tmp_path / "edge.xlsx", HEADER + '<row r="2"><c r="GR2"><v>1</v></c></row>'))
    assert (len(read.rows), read.rows[-1].values[-1], len(read.rows[-1].values)) == (2, 1, 200)
    below = '<row r="50001" hidden="1"><c r="A50001"><v>1</v></c></row>'
    assert refusal(raw_workbook(tmp_path / "long.xlsx", HEADER + below)).endswith(
        "long.xlsx, sheet 'Plan': a value in row 50,001, past the 50,000 rows yotplan reads; delete what is below "
        "the table, or split the sheet"
    )
    right = '<row r="2"><c r="GS2"><v>1</v></c></row>'
    assert refusal(raw_workbook(tmp_path / "wide.xlsx", HEADER + right)).endswith(
        "wide.xlsx, sheet 'Plan': a value in column 201, past the 200 columns yotplan reads; delete what is "
        "right of the table"
    )


def test_a_styled_empty_cell_past_the_bounds_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_VALUES", 2)  # the two values: the fills past the bounds are not kept
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ref", "Action"])
    sheet["A50001"].fill = PatternFill("solid", fgColor="FFC00000")
    sheet["GS1"].fill = PatternFill("solid", fgColor="FFC00000")
    sheet["B1"].fill = PatternFill("solid", fgColor="FFC00000")
    book.save(tmp_path / "styled.xlsx")
    read = read_sheet(tmp_path / "styled.xlsx")
    assert values(read.rows) == [(1, ("Ref", "Action"))]
    assert read.rows[0].colours == (None, "C00000")


def test_too_many_values_or_merges_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_VALUES", 4)
    monkeypatch.setattr(bounds, "MAX_VALUES", 4)
    message = "more than 4 cells hold a value"
    four = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row>'
    # empty cells, and merges outside the values, are not values
    fourth = '<row r="3"><c r="B3"><v>4</v></c><c r="C3"/><c r="D3" t="inlineStr"><is><t> </t></is></c></row>'
    merges = "".join(f'<mergeCell ref="D{n}:E{n}"/>' for n in range(1, 5))
    read = read_sheet(raw_workbook(tmp_path / "four.xlsx", four + fourth, after=f"<mergeCells>{merges}</mergeCells>"))
    assert values(read.rows) == [(1, (1, 2)), (2, (3, None)), (3, (None, 4))]
    five = four + '<row r="3"><c r="A3"><v>4</v></c><c r="B3"><v>5</v></c></row>'
    assert f"five.xlsx, sheet 'Plan': {message}" in refusal(raw_workbook(tmp_path / "five.xlsx", five))
    merges = "".join(f'<mergeCell ref="D{n}:E{n}"/>' for n in range(1, 6))
    merged = raw_workbook(tmp_path / "merges.xlsx", four, after=f"<mergeCells>{merges}</mergeCells>")
    assert f"merges.xlsx, sheet 'Plan': {message}" in refusal(merged)
    spread = raw_workbook(tmp_path / "spread.xlsx", four, after='<mergeCells><mergeCell ref="B1:B2"/></mergeCells>')
    assert values(read_sheet(spread).rows) == [(1, (1, 2)), (2, (3, 2))]
    spread = raw_workbook(tmp_path / "past.xlsx", four, after='<mergeCells><mergeCell ref="B1:B3"/></mergeCells>')
    assert values(read_sheet(spread).rows) == [(1, (1, 2)), (2, (3, 2))]  # clipped to the last row in use
    four_again = four + '<row r="3"><c r="A3"><v>4</v></c></row>'
    spread = raw_workbook(tmp_path / "over.xlsx", four_again, after='<mergeCells><mergeCell ref="B1:B3"/></mergeCells>')
    assert f"over.xlsx, sheet 'Plan': {message}" in refusal(spread)


def test_a_merge_outside_the_values_or_without_a_value_spreads_nothing(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row>'
    merges = '<mergeCell ref="C1:C2"/><mergeCell ref="A3:A9"/><mergeCell ref="B2:B3"/>'
    read = read_sheet(raw_workbook(tmp_path / "outside.xlsx", rows, after=f"<mergeCells>{merges}</mergeCells>"))
    assert values(read.rows) == [(1, (1, 2)), (2, (3, None))]


# --- CSV -----------------------------------------------------------------------------------------


def test_a_csv_in_a_named_encoding_is_read_in_it(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes("\ufeffRef,Lead\n1,Zoë\n".encode())
    assert values(read_sheet(path, encoding="utf-8").rows) == [(1, ("Ref", "Lead")), (2, ("1", "Zoë"))]
    path.write_bytes("Ref,Lead\n1,Zoë\n".encode("latin-1"))
    assert values(read_sheet(path, encoding="latin-1").rows) == [(1, ("Ref", "Lead")), (2, ("1", "Zoë"))]
    path.write_bytes(b"Ref,Lead\n" + b"1,x\n" * 300 + b"2,Zo\xeb\n")
    assert refusal(path, encoding="utf-8").endswith(
        "plan.csv: not utf-8 text (byte 1,213 is not); leave out --encoding, or give the right one"
    )


def test_bytes_no_encoding_knows_are_read_as_a_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(b"Ref,Lead\n1,Zo\x81\xeb\n")
    assert values(read_sheet(path).rows) == [(1, ("Ref", "Lead")), (2, ("1", "Zo\ufffd\u00eb"))]


def test_a_csv_cell_past_the_csv_field_limit_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("Ref,Action\n1," + "x" * 140_000 + "\n", encoding="utf-8")
    assert refusal(path).endswith("huge.csv: cannot read this CSV file (field larger than field limit (131072))")


def test_a_csv_is_bounded_like_a_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Ref,Action\n" + "\n" * 49_998 + "1,last\n", encoding="utf-8")
    rows = read_sheet(path).rows
    assert (len(rows), rows[-1].number, rows[-1].values, rows[-1].hidden) == (50_000, 50_000, ("1", "last"), False)
    path.write_text("Ref,Action\n" + "\n" * 49_999 + "1,past\n", encoding="utf-8")
    assert refusal(path).endswith(
        "long.csv: a value in row 50,001, past the 50,000 rows yotplan reads; delete what is below the table, or "
        "split the sheet"
    )
    wide = tmp_path / "wide.csv"
    wide.write_text("Ref" + "," * 202 + "far\n", encoding="utf-8")
    assert refusal(wide).endswith(
        "wide.csv: a value in column 203, past the 200 columns yotplan reads; delete what is right of the table"
    )
    monkeypatch.setattr(bounds, "MAX_UNPACKED", 10)
    assert refusal(wide).endswith(
        "wide.csv: 209 bytes, more than the 10 bytes yotplan reads from a CSV; save the action plan on its own"
    )


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Ref;Title\n1;x\n", ";"),
        ("a;b;c\nd,e,f", ","),  # a tie goes to the comma
        ("a;b;c\nd,e", ";"),
        ("a;b;c\nd,e\nf,g\nh,i\n", ";"),  # counted per record, not over the file
        ("a;b;c\n1,2\n", ";"),
        ('"a,b,c,d";e\n', ";"),  # a delimiter inside quotes never counts
        ('"a";b;c\n', ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a,b\n" * 9 + "a;b;c;d\n" + "a\tb\tc\td\te\n" + "x\n", ";"),  # the first ten records only
        ("x" * 65536 + ";", ","),  # the first 64 KiB only
        ("", ","),
    ],
)
def test_the_delimiter_splits_the_first_records_into_the_most_cells(text: str, delimiter: str) -> None:
    assert find_delimiter(text) == delimiter


def two_sheets(path: Path, active_tab: int, first_part: bool = True) -> Path:
    """A workbook of sheets 'Notes' and 'Plan' opening at `active_tab`; without `first_part`, Notes' part is missing."""
    workbook = (
        f'{SHEET_START}<workbook {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<bookViews><workbookView activeTab="{active_tab}"/></bookViews><sheets><sheet name="Notes" sheetId="1" '
        'r:id="rId1"/><sheet name="Plan" sheetId="2" r:id="rId2"/></sheets></workbook>'
    )
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{kind}"/>'
        f'<Relationship Id="rId2" Target="worksheets/sheet2.xml" Type="{kind}"/></Relationships>'
    )
    workbook_file(path, sheet_xml(f'<row r="1">{text_cell("A1", "Notes row")}</row>') if first_part else None)
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts["xl/workbook.xml"] = workbook.encode()
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    parts["xl/worksheets/sheet2.xml"] = sheet_xml(f'<row r="1">{text_cell("A1", "Plan row")}</row>').encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_an_opening_sheet_past_the_last_or_without_its_part_gives_the_first_sheet_there_is(tmp_path: Path) -> None:
    assert read_sheet(two_sheets(tmp_path / "second.xlsx", 1)).name == "Plan"
    assert read_sheet(two_sheets(tmp_path / "past.xlsx", 2)).name == "Notes"
    assert read_sheet(two_sheets(tmp_path / "far.xlsx", 7)).name == "Notes"
    missing = two_sheets(tmp_path / "missing.xlsx", 0, first_part=False)
    assert (read_sheet(missing).name, values(read_sheet(missing).rows)) == ("Plan", [(1, ("Plan row",))])


def test_a_workbook_too_large_or_empty_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl.reader.excel import ExcelReader

    empty = workbook_file(tmp_path / "empty.xlsx", None)
    assert refusal(empty) == f"{empty}: the workbook has no sheets"
    broken = workbook_file(tmp_path / "broken.xlsx", SHEET_START + f"<worksheet {NS}><sheetData><row")
    assert refusal(broken) == (
        f"{broken}: cannot read sheet 'Plan' (unclosed token: line 2, column 88); open it in Excel and save it again"
    )
    path = raw_workbook(tmp_path / "plan.xlsx", HEADER)

    def no_memory(*_: Any) -> None:
        raise MemoryError

    with monkeypatch.context() as patched:
        patched.setattr(reading._SheetStream, "rows", no_memory)
        assert refusal(path) == f"{path}: too large to read in memory; save the action plan on its own"
    with monkeypatch.context() as patched:
        patched.setattr(ExcelReader, "read_strings", no_memory)
        assert refusal(path) == f"{path}: too large to read in memory; save the action plan on its own"
    monkeypatch.setattr(bounds, "MAX_UNPACKED", 100)
    assert refusal(path).startswith(f"{path}: the workbook unpacks to more than 100 bytes, the limit yotplan reads")


def test_a_delimiter_given_is_the_delimiter_and_blank_lines_at_the_end_are_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("Ref;Action,Lead\n1;Meet,Board\n \n\n", encoding="utf-8")
    assert values(read_sheet(path).rows) == [(1, ("Ref;Action", "Lead")), (2, ("1;Meet", "Board"))]
    assert values(read_sheet(path, delimiter=";").rows) == [(1, ("Ref", "Action,Lead")), (2, ("1", "Meet,Board"))]


def test_lower_case_references_merges_after_unused_ones_and_every_indexed_colour(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="a1"><v>1</v></c><c r="z1"><v>1e-3</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="Z2"><v>26</v></c><c r="ab2" t="b"><v>1</v></c></row>'
        '<row r="3"><c r="A3"><v>3</v></c></row>'
    )
    merges = '<mergeCell ref="AC1:AC2"/><mergeCell ref="A4:A5"/><mergeCell ref="AB1:AB2"/><mergeCell ref="Z1:Z3"/>'
    read = read_sheet(raw_workbook(tmp_path / "lower.xlsx", rows, after=f"<mergeCells>{merges}</mergeCells>"))
    assert [(row.number, row.values[0], row.values[25]) for row in read.rows] == [
        (1, 1, 0.001),
        (2, 2, 26),
        (3, 3, 0.001),
    ]
    assert (read.rows[1].values[27], type(read.rows[1].values[27])) == (True, bool)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["black", "out of range", "last", "gradient"])
    for cell, index in (("A1", 0), ("B1", 64), ("C1", 63)):
        sheet[cell].fill = PatternFill("solid", fgColor=Color(indexed=index))
    sheet["D1"].fill = GradientFill(stop=("FFC00000", "FF00B050"))
    book.save(tmp_path / "indexed.xlsx")
    assert read_sheet(tmp_path / "indexed.xlsx").rows[0].colours == ("000000", None, "333333", None)


def test_a_workbook_dated_from_1904_gives_the_same_dates(tmp_path: Path) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = Workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    assert sheet is not None
    sheet.append([datetime(2023, 3, 31)])
    book.save(tmp_path / "mac.xlsx")
    assert values(read_sheet(tmp_path / "mac.xlsx").rows) == [(1, (datetime(2023, 3, 31),))]


@pytest.mark.parametrize(
    ("size", "shown"),
    [(1_048_575, "1,048,575 bytes"), (1_048_576, "1 MB"), (52_428_800, "50 MB"), (52_000_000_000, "49,591 MB")],
)
def test_a_size_in_a_refusal_is_in_bytes_below_a_megabyte_and_whole_megabytes_above(size: int, shown: str) -> None:
    assert bounds.megabytes(size) == shown


def test_a_workbook_that_is_no_zip_or_unpacks_past_the_limit_is_refused_from_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Ref,Action\n", encoding="utf-8")
    assert refusal(fake) == (
        f"{fake}: cannot read this workbook (not a zip archive: File is not a zip file); is it password-protected, "
        "or not really .xlsx?"
    )
    path = raw_workbook(tmp_path / "plan.xlsx", HEADER)
    with zipfile.ZipFile(path) as archive:
        total = sum(member.file_size for member in archive.infolist())
    monkeypatch.setattr(bounds, "MAX_UNPACKED", total)
    assert read_sheet(path).rows[0].values == ("Recommendation", "Action", "Lead", "Target date")
    monkeypatch.setattr(bounds, "MAX_UNPACKED", total - 1)
    assert "the workbook unpacks to more than" in refusal(path)


def test_a_part_compressed_past_any_real_ratio_is_refused_and_one_at_the_floor_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook_file(tmp_path / "dense.xlsx", sheet_xml(HEADER) + "<!--" + " " * (2 * 1024 * 1024) + "-->")
    with zipfile.ZipFile(path) as archive:
        part = archive.getinfo("xl/worksheets/sheet1.xml")
    assert refusal(path) == (
        f"{path}: 'xl/worksheets/sheet1.xml' is compressed {part.file_size // part.compress_size:,} to 1, more than "
        "the 100 to 1 yotplan accepts (real workbooks are under 20 to 1); this file is not an action plan"
    )
    monkeypatch.setattr(bounds, "RATIO_FLOOR", part.file_size)
    assert read_sheet(path).rows[0].values[0] == "Recommendation"
    monkeypatch.setattr(bounds, "RATIO_FLOOR", 0)  # every part checked: a real workbook is far under 100 to 1
    assert read_sheet(raw_workbook(tmp_path / "plan.xlsx", HEADER)).rows[0].values[0] == "Recommendation"
    csv = tmp_path / "plan.csv"
    csv.write_text("Ref,Action\n1,Meet\n", encoding="utf-8")
    monkeypatch.setattr(bounds, "MAX_UNPACKED", 18)
    assert len(read_sheet(csv).rows) == 2
