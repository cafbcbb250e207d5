"""`yotplan import` of a .csv as Excel and other tools save it: UTF-8 with a BOM, Windows-1252,
semicolons or tabs between cells, line breaks inside a quoted cell; and a file that is not text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yotplan.plans.strict_yaml import parse_yaml

from conftest import Invoke

AS_AT = "2022-10-01"
HEADER = ["Recommendation", "Action", "Lead", "Target date"]
ROW = ["Children’s needs known to the Board", "Brief the Board – £2k budget", "YOT Manager", "31/07/2022"]


def imported(cli: Invoke, path: Path) -> Any:
    out = path.parent / "out"
    result = cli("import", path, "-o", out, "--source-id", "IR", "--today", AS_AT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:5] == [
        "columns (header on row 1):",
        "  Recommendation -> recommendation",
        "  Action -> action",
        "  Lead -> owner",
        "  Target date -> due",
    ]
    return parse_yaml((out / "ir.yaml").read_text(encoding="utf-8"))["recommendations"]


EXPECTED = parse_yaml(
    "  - id: IR-1\n"
    "    text: Children’s needs known to the Board\n"
    "    owner: yot-manager\n"
    "    actions:\n"
    "      - id: IR-1.1\n"
    "        title: Brief the Board – £2k budget\n"
    "        owner: yot-manager\n"
    "        due: 2022-07-31\n"
    "        status: not-started\n"
)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8", "\t")],
    ids=["utf-8-with-bom", "windows-1252", "semicolons", "tabs"],
)
def test_the_csv_excel_saves_is_read_as_written(cli: Invoke, tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes("".join(delimiter.join(line) + "\r\n" for line in (HEADER, ROW)).encode(encoding))
    assert imported(cli, path) == EXPECTED


def test_a_line_break_inside_a_quoted_cell_stays_in_its_cell(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    text = ",".join(HEADER) + "\r\n" + '"Children’s needs\r\nknown to the Board","Brief the Board – £2k budget",'
    path.write_bytes((text + "YOT Manager,31/07/2022\r\n").encode("utf-8"))
    assert imported(cli, path) == EXPECTED


def test_a_file_with_nul_bytes_is_not_a_csv(cli: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes(b"Recommendation,Action\r\n\x00\x01\x02,x\r\n")
    result = cli("import", path, "-o", tmp_path / "out", "--today", AS_AT)
    assert result.exit_code == 1
    assert result.stderr == (
        f"yotplan: error: {path}: not a text file (it holds NUL bytes); save the action plan as .csv or .xlsx\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_row_shorter_than_the_header_has_no_rag(cli: Invoke, tmp_path: Path) -> None:
    """Spreadsheets drop empty cells at the end of a row: the missing RAG cell is blank."""
    path = tmp_path / "plan.csv"
    path.write_text(",".join([*HEADER, "RAG"]) + "\n" + ",".join(ROW) + "\n", encoding="utf-8")
    assert imported(cli, path) == EXPECTED
