"""`yotplan export`: the Board pack as an .xlsx workbook, opened again with openpyxl and read as XML."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yotplan.plans.loader import load_plans
from yotplan.report.charts import RAG_COLOURS as REPORT_COLOURS
from yotplan.spreadsheet.workbook import LONG_ACROSS, RAG_COLOURS, WIDEST_SHEET, build_workbook, fit_widths
from yotplan.views.queries import Filters, overdue_actions, status_view

from conftest import SHIPPED_PLANS, Invoke

AS_AT = "2022-10-01"  # a mix of red, amber, green and delivered in the shipped plans
DAY = date(2022, 10, 1)
SOFFICE = shutil.which("soffice")


def flat(text: str) -> str:
    return " ".join(re.sub("[│╭╮╰╯─]", " ", text).split())


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from yotplan.cli import app

    path = tmp_path_factory.mktemp("export") / "board-pack.xlsx"
    result = CliRunner().invoke(app, ["export", "-o", str(path), "--plans", str(SHIPPED_PLANS), "--today", AS_AT])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {path}: 23 recommendations, 53 actions, 18 overdue (as at {AS_AT})\n"
    return path


def test_sheets_and_row_counts_match_the_views(pack: Path) -> None:
    plans = load_plans(SHIPPED_PLANS).plans
    view = status_view(plans, DAY)
    overdue = overdue_actions(plans, DAY)
    book = load_workbook(pack)
    assert book.sheetnames == ["Summary", "Recommendations", "Actions", "Overdue", "Indicators"]
    recs, actions, late = book["Recommendations"], book["Actions"], book["Overdue"]
    assert recs.max_row - 1 == len(view.recommendations) == 23
    assert actions.max_row - 1 == sum(r.total for r in view.recommendations)
    assert late.max_row - 1 == len(overdue) == 18
    assert [c.value for c in recs[1]] == [
        "Rec ref", "Source", "Recommendation", "To", "Owner", "Done", "Actions", "Next due", "RAG", "Stage", "Related"
    ]  # fmt: skip
    assert [recs.cell(r, 10).value for r in range(2, 25)] == [r.stage for r in view.recommendations]
    assert [recs.cell(r, 1).value for r in range(2, 25)] == [r.id for r in view.recommendations]
    assert [late.cell(r, 1).value for r in range(2, 20)] == [a.id for a in overdue]
    assert [late.cell(r, 5).value for r in range(2, 20)] == [a.days_overdue for a in overdue]


def test_the_summary_counts_by_source_and_rag(pack: Path) -> None:
    view = status_view(load_plans(SHIPPED_PLANS).plans, DAY)
    summary = load_workbook(pack)["Summary"]
    assert summary["A2"].value == "As at"
    assert summary["B2"].value == datetime(2022, 10, 1)
    assert [c.value for c in summary[5]] == [
        "Source", "Title", "Recommendations", "Red", "Amber", "Green", "Delivered", "Closed", "Dropped",
        "Overdue actions",
    ]  # fmt: skip
    assert [summary.cell(r, 1).value for r in (6, 7, 8)] == ["HMIP", "IR", "LGA"]
    totals = [summary.cell(9, c).value for c in range(3, 10)]
    assert summary["A9"].value == "Total"
    assert totals == [23, *view.summary.values()]
    assert summary.freeze_panes == "A6"
    assert summary.auto_filter.ref == "A5:J8"


def test_dates_are_real_dates_with_a_date_format(pack: Path) -> None:
    book = load_workbook(pack)
    columns = {"Recommendations": ["H"], "Actions": ["H", "J"], "Overdue": ["D"]}
    seen = 0
    for name, letters in columns.items():
        sheet = book[name]
        for letter in letters:
            assert sheet[f"{letter}1"].value in ("Next due", "Due", "Completed")
            for cell in sheet[letter][1:]:
                if cell.value is None:
                    continue
                assert isinstance(cell.value, (datetime, date)), (name, cell.coordinate, cell.value)
                assert cell.number_format == "d mmm yyyy"
                seen += 1
    assert seen > 60


def test_rag_cells_are_filled_in_the_reports_colours(pack: Path) -> None:
    assert RAG_COLOURS == REPORT_COLOURS
    sheet = load_workbook(pack)["Actions"]
    rag_column = [c.value for c in sheet[1]].index("RAG") + 1
    rags = set()
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, rag_column)
        fill, ink = RAG_COLOURS[cell.value]
        assert cell.fill.fill_type == "solid"
        assert cell.fill.fgColor.rgb[-6:] == fill.lstrip("#").upper()
        assert cell.font.color.rgb[-6:] == ink.lstrip("#").upper()
        rags.add(cell.value)
    assert rags == {"red", "green", "delivered"}  # no action is amber on that day


def test_headers_are_frozen_filtered_and_columns_sized(pack: Path) -> None:
    book = load_workbook(pack)
    for name in ("Recommendations", "Actions", "Overdue"):
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(8 <= w <= 46 for w in widths), (name, widths)
    text = book["Actions"]["C2"]
    assert text.alignment.wrap_text
    assert book["Overdue"].column_dimensions["B"].width == 42  # long text: capped, wrapped
    # Recommendations' long text gives way so that the sheet prints one page wide at 8 pt.
    recs = [book["Recommendations"].column_dimensions[c.column_letter].width for c in book["Recommendations"][1]]
    assert sum(recs) <= WIDEST_SHEET
    assert recs[2] < 42
    # Actions cannot fit one page wide: its long texts are LONG_ACROSS, its id printed on every page.
    assert book["Actions"].column_dimensions["D"].width == LONG_ACROSS + 2
    assert book["Actions"].print_title_cols == "$A:$A"


def test_the_pack_prints_on_a4_landscape_with_the_service_and_page_numbers(pack: Path) -> None:
    book = load_workbook(pack)
    assert book["Summary"]["A1"].value == "Torbay Youth Offending Service: Board pack, improvement action plans"
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
        assert 73 <= setup.scale <= 100  # Calibri 11 never prints under 8 pt
        assert not sheet.sheet_properties.pageSetUpPr or not sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.oddFooter.left.text == "Torbay Youth Offending Service · as at 1 October 2022"
        assert sheet.oddFooter.right.text == "Page &P of &N"
        assert sheet.oddHeader.left.text == f"Torbay Youth Offending Service Board pack: {sheet.title}"
    assert book["Summary"].page_setup.scale > book["Actions"].page_setup.scale  # the narrower, the larger


def test_fit_widths_narrows_the_widest_text_first_and_never_a_date() -> None:
    assert fit_widths([10, 40], ["text", "long"]) == [10, 40]  # fits: unchanged
    wide = [12, 60, 60, 11, 30]
    fitted = fit_widths(wide, ["text", "long", "long", "date", "text"])
    assert sum(w + 2 for w in fitted) <= WIDEST_SHEET
    assert fitted[3] == 11  # a date is never narrowed
    assert fitted[1] == fitted[2] < 60  # the two long texts gave way alike
    assert fitted[4] == 30  # the short ones kept their width
    assert fitted[0] == 12
    # Too wide whatever gives way: it prints on to pages across, long text at LONG_ACROSS.
    assert fit_widths([11] * 20 + [40, 20], ["date"] * 20 + ["long", "text"]) == [11] * 20 + [LONG_ACROSS, 20]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc)")
def test_the_pack_prints_through_libreoffice_one_page_wide_and_never_under_8_pt(pack: Path, tmp_path: Path) -> None:
    """Printed as a Board member's office would print it, each page is checked: its smallest text
    is at least 8/11 of the height of Calibri 11 printed at 100% (a one-cell reference workbook,
    printed in the same run, so that whatever font stands in for Calibri the measure is its own);
    its sheet's first column (the id) is on it; and a sheet that fits one page wide has its last
    column on every page too (none ran on to a page across)."""
    from openpyxl import Workbook

    reference = tmp_path / "reference.xlsx"
    book = Workbook()
    book.active["A1"] = "Reference"  # type: ignore[index]
    book.save(reference)
    out = tmp_path / "pdf"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(pack), str(reference)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    [full_size] = [h for word, h in printed_words(out / "reference.pdf")[0] if word == "Reference"]
    sheets = load_workbook(pack)
    seen: dict[str, int] = {}
    for number, words in enumerate(printed_words(out / "board-pack.pdf"), 1):
        text = " ".join(word for word, _ in words)
        [name] = [n for n in sheets.sheetnames if f"Board pack: {n} " in text + " "]
        seen[name] = seen.get(name, 0) + 1
        # 2 % for LibreOffice's rounding of a scaled size: 73 % of 11 pt measured 0.7267 of it
        # here, where 8 pt is 0.7273; a sheet at 65 % (7.2 pt) is still well under.
        assert min(h for _, h in words) >= full_size * 8 / 11 * 0.98, (number, name)
        if name != "Summary":
            sheet = sheets[name]
            first, last = sheet.cell(1, 1).value, sheet.cell(1, sheet.max_column).value
            assert f" {first} " in f" {text} ", (number, name, first)
            widths = sum(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
            if name != "Actions" and name != "Indicators":
                assert widths <= WIDEST_SHEET
                assert f" {last.split()[0]} " in f" {text} ", (number, name, last)
    assert seen.keys() == set(sheets.sheetnames)
    assert seen["Summary"] == 1
    assert seen["Actions"] % 2 == 0  # two pages across, the ids repeated on the second


def printed_words(pdf: Path) -> list[list[tuple[str, float]]]:
    """Each page's words and their heights in points, as poppler's pdftotext reads them."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    pages = html.split("<page ")[1:]
    word = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
    return [[(unescape(w), float(y1) - float(y0)) for y0, y1, w in word.findall(page)] for page in pages]


def test_the_pack_names_owners_by_role_and_gives_the_latest_update_and_evidence(pack: Path) -> None:
    book = load_workbook(pack)
    recs = book["Recommendations"]
    header = [c.value for c in recs[1]]
    owners = {row[header.index("Owner")] for row in recs.iter_rows(min_row=2, values_only=True)}
    assert "YOT Management Board Chair, Torbay YOT Management Board (multi-agency partnership)" in owners
    assert "yot-board-chair" not in owners
    actions = book["Actions"]
    header = [c.value for c in actions[1]]
    assert header[-2:] == ["Latest update", "Evidence"]
    rows = {row[header.index("Action ref")]: row for row in actions.iter_rows(min_row=2, values_only=True)}
    assert rows["HMIP-3.1"][header.index("Latest update")].startswith("2022-05-06: The review found")
    assert rows["HMIP-3.1"][header.index("Evidence")].startswith("It was against this backcloth")


def test_the_same_plans_give_the_same_bytes(tmp_path: Path, cli: Invoke) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (first, second):
        assert cli("export", "-o", path, "--plans", SHIPPED_PLANS, "--today", AS_AT).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    book = load_workbook(first)
    assert book.properties.created == book.properties.modified == datetime(2022, 10, 1)
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2022, 10, 1, 0, 0, 0)}


FORMULAS = ['=HYPERLINK("http://e.x","click")', "+1", "-2", "@SUM(A1)", "#N/A", "=1+1"]


def formula_plans(folder: Path) -> Path:
    folder.mkdir()
    (folder / "owners.yaml").write_text(
        "owners:\n  cmd:\n    role: '=HYPERLINK(\"http://e.x\",\"click\")'\n    agency: '@SUM(A1)'\n", "utf-8"
    )
    actions = "".join(
        f"      - id: X-1.{i}\n        title: '{t.replace(chr(39), chr(39) * 2)}'\n        owner: cmd\n"
        f"        due: 2022-01-31\n"
        for i, t in enumerate(FORMULAS, 1)
    )
    (folder / "x.yaml").write_text(
        'source:\n  id: X\n  title: \'=HYPERLINK("http://e.x","click")\'\n  kind: other\n'
        "recommendations:\n  - id: X-1\n    text: '+1'\n    to: '-2'\n    owner: cmd\n    actions:\n" + actions,
        "utf-8",
    )
    return folder


def test_no_cell_is_ever_a_formula(tmp_path: Path, cli: Invoke) -> None:
    plans = formula_plans(tmp_path / "plans")
    assert cli("check", "--plans", plans, "--today", AS_AT).exit_code == 0
    path = tmp_path / "pack.xlsx"
    result = cli("export", "-o", path, "--plans", plans, "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    book = load_workbook(path)  # data_only=False: a formula would come back as a formula
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.data_type != "e", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)
                    texts.append(cell.value)
    assert set(FORMULAS) - {"#N/A"} <= set(texts)
    actions = book["Actions"]
    assert [actions.cell(r, 6).value for r in range(2, 8)] == FORMULAS
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[ >/]", xml), name
                assert 't="inlineStr"' in xml


def test_filters_as_status_has_them(tmp_path: Path, cli: Invoke) -> None:
    path = tmp_path / "hmip.xlsx"
    result = cli("export", "-o", path, "--plans", SHIPPED_PLANS, "--today", AS_AT, "--source", "hmip")
    assert result.exit_code == 0, result.stderr
    book = load_workbook(path)
    assert {c.value for c in book["Recommendations"]["B"][1:]} == {"HMIP"}
    assert {c.value for c in book["Overdue"]["H"][1:]} == {"HMIP"}
    assert book["Summary"]["B3"].value == "source hmip"
    plans = load_plans(SHIPPED_PLANS).plans
    _, stats = build_workbook(plans, DAY, Filters(owners=("camhs-lead",)))
    assert stats.actions == sum(
        a.owner == "camhs-lead" for r in status_view(plans, DAY).recommendations for a in r.actions
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--source", "HMPI"), "'HMPI' is not known (did you mean 'HMIP'?)"),
        (("--owner", "yot-manger"), "did you mean 'yot-manager'?"),
    ],
)
def test_unknown_filters_are_usage_errors(tmp_path: Path, cli: Invoke, args: tuple[str, ...], words: str) -> None:
    result = cli("export", "-o", tmp_path / "p.xlsx", "--plans", SHIPPED_PLANS, "--today", AS_AT, *args)
    assert result.exit_code == 2
    assert words in flat(result.stderr)
    assert not (tmp_path / "p.xlsx").exists()


@pytest.mark.parametrize("name", ["-", "pack.csv", "pack.xls"])
def test_only_an_xlsx_file_never_stdout(tmp_path: Path, cli: Invoke, name: str) -> None:
    result = cli("export", "-o", name if name == "-" else tmp_path / name, "--plans", SHIPPED_PLANS)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_an_older_pack_is_replaced_atomically(tmp_path: Path, cli: Invoke) -> None:
    path = tmp_path / "pack.xlsx"
    path.write_bytes(b"last quarter's pack")
    assert cli("export", "-o", path, "--plans", SHIPPED_PLANS, "--today", AS_AT).exit_code == 0
    assert zipfile.is_zipfile(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.xlsx"]  # no temporary file left
    missing = cli("export", "-o", tmp_path / "no" / "pack.xlsx", "--plans", SHIPPED_PLANS)
    assert missing.exit_code == 1
    assert "does not exist; create it first" in missing.stderr


def test_round_trip_through_the_actions_sheet(pack: Path, tmp_path: Path, cli: Invoke) -> None:
    out = tmp_path / "back"
    result = cli("import", pack, "--sheet", "Actions", "-o", out, "--source-id", "BOARD", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    assert "  Days left -> (not used" in result.stdout

    def actions(folder: Path) -> list[tuple[object, ...]]:
        plans = load_plans(folder).plans
        return [
            (a.action.id, a.action.owner, a.action.due, a.action.status, a.action.completed, a.rec.recommendation.id)
            for a in plans.actions()
        ]

    def rec_owners(folder: Path) -> list[tuple[str, str | None]]:
        return [(r.recommendation.id, r.recommendation.owner) for r in load_plans(folder).plans.recommendations()]

    assert actions(out) == actions(SHIPPED_PLANS)
    assert rec_owners(out) == rec_owners(SHIPPED_PLANS)
    assert cli("check", "--plans", out, "--today", AS_AT).exit_code == 0


def test_help_and_status_do_not_import_openpyxl() -> None:
    code = (
        "import sys\n"
        "from yotplan.cli import app\n"
        "for args in (['--help'], ['status', '--plans', sys.argv[1], '--today', '2022-10-01']):\n"
        "    try:\n        app(args)\n    except SystemExit:\n        pass\n"
        "print('openpyxl' in sys.modules, 'yotplan.spreadsheet' in sys.modules)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", code, str(SHIPPED_PLANS)], capture_output=True, text=True, check=True
    )
    assert process.stdout.splitlines()[-1] == "False False"


def test_the_indicators_sheet_has_numbers_dates_and_the_impact_rag(tmp_path: Path, plans: Path, cli: Invoke) -> None:
    add = ["add", "indicator", "HMIP-1", "--id", "HMIP-1-camhs", "--name", "CAMHS at Board meetings", "--unit", "%"]
    add += ["--better", "higher", "--baseline", "50", "--baseline-date", "2022-05-06"]
    add += ["--target", "100", "--target-date", "2023-03-31", "--plans", str(plans), "--today", "2022-06-01"]
    assert cli(*add).exit_code == 0
    for value, day in (("60", "2022-06-14"), ("45", "2022-09-13")):
        assert cli("record", "HMIP-1-camhs", value, "--date", day, "--plans", plans, "--today", AS_AT).exit_code == 0
    path = tmp_path / "pack.xlsx"
    assert cli("export", "-o", path, "--plans", plans, "--today", AS_AT).exit_code == 0
    sheet = load_workbook(path)["Indicators"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in line], strict=True)) for line in sheet.iter_rows(min_row=2)]
    assert [r["Indicator"] for r in rows] == ["HMIP-1-camhs-attendance", "HMIP-1-camhs", "HMIP-6-ocd-assessed"]
    at = 3  # the sheet's row of the indicator added here
    row = rows[at - 2]
    assert row["Rec ref"] == "HMIP-1"
    assert (row["Baseline"], row["Target"], row["Latest"]) == (50, 100, 45)
    assert (row["Change since baseline"], row["Change since previous"]) == (-5, -15)
    assert row["Baseline date"] == datetime(2022, 5, 6)
    assert row["Latest date"] == datetime(2022, 9, 13)
    assert row["On track"] == "no"
    assert row["RAG"] == "red"  # worse than its baseline
    rag = sheet.cell(at, header.index("RAG") + 1)
    assert rag.fill.fgColor.rgb[-6:] == RAG_COLOURS["red"][0].lstrip("#").upper()
    assert sheet.freeze_panes == "A2"


def test_with_no_indicators_the_sheet_is_there_with_its_headers(tmp_path: Path, cli: Invoke) -> None:
    path = tmp_path / "pack.xlsx"
    plans = Path(__file__).parent / "corpus" / "YP201-overdue-action"
    assert cli("export", "-o", path, "--plans", plans, "--today", AS_AT).exit_code == 0
    sheet = load_workbook(path)["Indicators"]
    assert sheet.max_row == 1
    assert sheet["A1"].value == "Indicator"
