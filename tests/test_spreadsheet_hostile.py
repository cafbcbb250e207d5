"""Hostile spreadsheets (issue 17.5): workbooks of a few KB built to hang or exhaust `import`.

Each file is made here, part by part, as an attacker would write it, and run through the real
`yotplan import` in its own process under a 1.5 GB address-space cap. Each must end with exit 1 and
one line naming the file and what is wrong, and never a traceback. The 60 s timeout is only a hang
guard: a correct run ends in a second or two.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl.utils import get_column_letter

from hostile_support import yotplan_env

MEMORY_CAP = 1536 * 1024 * 1024
HANG_GUARD = 60.0

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
</Relationships>"""
SHEET_START = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Recommendation</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Action</t></is></c><c r="C1" t="inlineStr"><is><t>Lead</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>Target date</t></is></c></row>'
)


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: str, after: str = "", dimension: str = "A1:D2") -> str:
    return (
        f'{SHEET_START}<worksheet {NS}><dimension ref="{dimension}"/><sheetData>{rows}</sheetData>{after}</worksheet>'
    )


def workbook_file(path: Path, sheet: str | bytes | None, extra: dict[str, bytes] | None = None) -> Path:
    """An .xlsx written part by part; `sheet` None leaves the sheet part out."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        if sheet is not None:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def one_row(number: int = 2) -> str:
    return (
        f'<row r="{number}">{text_cell(f"A{number}", "Improve the Board")}{text_cell(f"B{number}", "Meet")}'
        f"{text_cell(f'C{number}', 'YOT Manager')}{text_cell(f'D{number}', '31/03/2023')}</row>"
    )


def capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def import_capped(workbook: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yotplan", "import", str(workbook), "-o", str(out), "--today", "2023-06-01"],
        capture_output=True,
        text=True,
        env=yotplan_env(),
        preexec_fn=capped,
        timeout=HANG_GUARD,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], out: Path, *expected: str) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("yotplan: error: "), line
    for part in expected:
        assert part in line, line
    assert "Traceback" not in result.stderr
    assert not out.exists()
    return line


def test_a_valid_hand_made_workbook_imports(tmp_path: Path) -> None:
    """The parts below are a real workbook: only the hostile part of each case makes it fail."""
    path = workbook_file(tmp_path / "plan.xlsx", sheet_xml(HEADER + one_row()))
    result = import_capped(path, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "1 recommendation, 1 action" in result.stdout


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("A1048576", "a value in row 1,048,576, past the 50,000 rows yotplan reads"),
        ("XFD1048576", "a value in row 1,048,576, past the 50,000 rows"),
        ("XFD2", "a value in column 16,384, past the 200 columns yotplan reads"),
    ],
)
def test_a_cell_far_away_is_refused_without_building_the_grid(tmp_path: Path, cell: str, expected: str) -> None:
    far = f'<row r="{cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">{text_cell(cell, "x")}</row>'
    path = workbook_file(tmp_path / "far.xlsx", sheet_xml(HEADER + one_row(2) + far, dimension=f"A1:{cell}"))
    assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", "far.xlsx, sheet 'Plan'", expected)


def test_a_styled_empty_cell_far_away_is_no_row(tmp_path: Path) -> None:
    """Formatting far below a table (no value) is what real sheets have: the grid ends at the last value."""
    far = '<row r="1048576" ht="20" customHeight="1"><c r="XFD1048576" s="0"/></row>'
    path = workbook_file(tmp_path / "plan.xlsx", sheet_xml(HEADER + one_row() + far, dimension="A1:XFD1048576"))
    result = import_capped(path, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "1 recommendation, 1 action" in result.stdout


def test_a_merge_down_the_whole_sheet_is_clipped_to_the_rows_in_use(tmp_path: Path) -> None:
    merge = '<mergeCells count="1"><mergeCell ref="A2:A1048576"/></mergeCells>'
    rows = HEADER + one_row(2) + f'<row r="3">{text_cell("B3", "Brief")}{text_cell("C3", "Lead")}'
    rows += f"{text_cell('D3', '30/04/2023')}</row>"
    path = workbook_file(tmp_path / "merged.xlsx", sheet_xml(rows, merge, dimension="A1:D1048576"))
    result = import_capped(path, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "1 recommendation, 2 actions" in result.stdout  # the merge reached row 3, and stopped there


def test_a_column_merge_across_the_sheet_is_clipped(tmp_path: Path) -> None:
    merge = '<mergeCells count="1"><mergeCell ref="B2:XFD1048576"/></mergeCells>'
    path = workbook_file(tmp_path / "wide.xlsx", sheet_xml(HEADER + one_row(), merge, dimension="A1:XFD1048576"))
    result = import_capped(path, tmp_path / "out")
    assert result.returncode == 0, result.stderr


def test_a_zip_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    bomb = b"<!--" + b" " * (60 * 1024 * 1024) + b"-->"
    path = workbook_file(tmp_path / "bomb.xlsx", sheet_xml(HEADER + one_row()), {"xl/media/padding.xml": bomb})
    assert path.stat().st_size < 200_000
    assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", "bomb.xlsx", "more than 50 MB, the limit")


def test_a_part_compressed_past_any_real_ratio_is_refused(tmp_path: Path) -> None:
    padding = "<!--" + " " * (4 * 1024 * 1024) + "-->"
    path = workbook_file(tmp_path / "dense.xlsx", sheet_xml(HEADER + one_row()) + padding)
    assert path.stat().st_size < 20_000
    assert_refused(
        import_capped(path, tmp_path / "out"),
        tmp_path / "out",
        "dense.xlsx: 'xl/worksheets/sheet1.xml' is compressed",
        "more than the 100 to 1 yotplan accepts",
    )


def test_a_sheet_of_300_thousand_rows_stops_at_the_row_limit(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 300_002))
    path = workbook_file(tmp_path / "long.xlsx", sheet_xml(HEADER + rows, dimension="A1:D300001"))
    assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", "a value in row 50,001, past the 50,000")


def test_too_many_values_within_the_rows_and_columns_is_refused(tmp_path: Path) -> None:
    columns = [get_column_letter(c) for c in range(5, 31)]  # E to AD: 26 values a row, 10,000 rows
    rows = "".join(
        f'<row r="{n}">' + "".join(f'<c r="{c}{n}"><v>{n * 31 + i}</v></c>' for i, c in enumerate(columns)) + "</row>"
        for n in range(2, 10_002)
    )
    path = workbook_file(tmp_path / "dense.xlsx", sheet_xml(HEADER + rows, dimension="A1:AD10001"))
    assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", "more than 250,000 cells hold a value")


@pytest.mark.parametrize(
    ("name", "sheet", "expected"),
    [
        ("truncated", sheet_xml(HEADER + one_row())[:-40], "cannot read sheet 'Plan'"),
        ("not-xml", "this is not XML at all", "cannot read sheet 'Plan' (syntax error"),
        ("missing-part", None, "the workbook has no sheets"),
    ],
)
def test_broken_xml_and_missing_parts_are_one_line(tmp_path: Path, name: str, sheet: str | None, expected: str) -> None:
    path = workbook_file(tmp_path / f"{name}.xlsx", sheet)
    assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", f"{name}.xlsx", expected)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + f']><worksheet {NS}><sheetData><row r="1">{text_cell("A1", "&lol9;")}</row></sheetData></worksheet>'
)


@pytest.mark.parametrize("part", ["sheet", "shared-strings", "workbook"])
def test_entity_expansion_is_refused_by_defusedxml(tmp_path: Path, part: str) -> None:
    if part == "sheet":
        path = workbook_file(tmp_path / "laughs.xlsx", BILLION_LAUGHS)
    elif part == "shared-strings":
        strings = BILLION_LAUGHS.replace("worksheet", "sst").replace("<sheetData>", "").replace("</sheetData>", "")
        path = workbook_file(tmp_path / "laughs.xlsx", sheet_xml(HEADER), {"xl/sharedStrings.xml": strings.encode()})
    else:
        path = tmp_path / "laughs.xlsx"
        workbook_file(path, sheet_xml(HEADER))
        with zipfile.ZipFile(path) as archive:
            parts = {i.filename: archive.read(i) for i in archive.infolist()}
        parts["xl/workbook.xml"] = BILLION_LAUGHS.replace("worksheet", "workbook").encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    line = assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", "laughs.xlsx")
    assert "lol" not in line.split("laughs.xlsx", 1)[1]  # the file's text is never echoed


def test_an_oversized_csv_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as out:
        out.write(b"Recommendation,Action,Lead,Target date\n")
        out.truncate(51 * 1024 * 1024)  # sparse: no disk used
    assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", "big.csv: 51 MB, more than the 50 MB")


def test_a_csv_past_the_row_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Recommendation,Action,Lead,Target date\n" + "x,y,z,31/03/2023\n" * 50_001, encoding="utf-8")
    assert_refused(import_capped(path, tmp_path / "out"), tmp_path / "out", "long.csv: a value in row 50,001")
