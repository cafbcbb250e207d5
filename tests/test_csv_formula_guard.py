"""Plan text that a spreadsheet would run as a formula (a cell starting with = + - @) is written to
csv with a leading apostrophe, by every command that writes csv; numbers are left as numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import Invoke

HMIP = "hmip-inspection.yaml"
TEXT = '=HYPERLINK("http://example.invalid","Board")'
TITLE = "+Secure regular CAMHS attendance"
NAME = "-CAMHS attendance at Board meetings"
ROLE = "@SUM(1,2) YOT Management Board Chair"
AGENCY = "=1+2"


@pytest.fixture
def hostile(plans: Path) -> Path:
    """The shipped plans with formulas in a recommendation's text, an action's title, an
    indicator's name and an owner's role and agency."""
    changes = {
        HMIP: [
            ("      make sure that Board members understand", f"      {TEXT} make sure that Board members understand"),
            ("title: Secure regular CAMHS attendance at the YOT Management Board", f"title: '{TITLE}'"),
            ("name: YOT Management Board meetings attended by CAMHS", f"name: '{NAME}'"),
        ],
        "owners.yaml": [
            ("role: YOT Management Board Chair", f"role: '{ROLE}'"),
            ("agency: Torbay YOT Management Board (multi-agency partnership)", f"agency: '{AGENCY}'"),
        ],
    }
    for name, pairs in changes.items():
        path = plans / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return plans


def rows(cli: Invoke, plans: Path, *args: str) -> dict[str, dict[str, str]]:
    """The csv of `yotplan ARGS --format csv`, each row by its first cell."""
    result = cli(*args, "--format", "csv", "--plans", plans)
    assert result.exit_code == 0, result.stderr
    return {row[next(iter(row))]: row for row in csv.DictReader(io.StringIO(result.stdout))}


def test_status(cli: Invoke, hostile: Path) -> None:
    row = rows(cli, hostile, "status", "--today", "2022-06-01")["HMIP-1"]
    assert row["recommendation"].startswith(f"'{TEXT} make sure that Board members understand")


def test_overdue(cli: Invoke, hostile: Path) -> None:
    row = rows(cli, hostile, "overdue", "--today", "2022-08-15")["HMIP-1.1"]
    assert row["title"] == f"'{TITLE}"
    assert row["days overdue"] == "15"


def test_upcoming(cli: Invoke, hostile: Path) -> None:
    row = rows(cli, hostile, "upcoming", "--within", "30", "--today", "2022-07-15")["HMIP-1.1"]
    assert row["title"] == f"'{TITLE}"


def test_owners(cli: Invoke, hostile: Path) -> None:
    row = rows(cli, hostile, "owners", "--today", "2022-06-01")["yot-board-chair"]
    assert (row["role"], row["agency"]) == (f"'{ROLE}", f"'{AGENCY}")


def test_search(cli: Invoke, hostile: Path) -> None:
    found = rows(cli, hostile, "search", "HYPERLINK", "--today", "2022-06-01")
    assert found["HMIP-1"]["snippet"].startswith(f"'{TEXT} make sure")


def test_indicators(cli: Invoke, hostile: Path) -> None:
    row = rows(cli, hostile, "indicators", "--today", "2022-06-01")["HMIP-1-camhs-attendance"]
    assert row["name"] == f"'{NAME}"


def test_numbers_keep_their_sign(cli: Invoke, plans: Path) -> None:
    """A reading below the baseline gives a negative change: a number, written as it is."""
    result = cli(
        "record", "HMIP-1-camhs-attendance", "25", "--date", "2022-05-20", "--plans", plans, "--today", "2022-06-01"
    )
    assert result.exit_code == 0, result.stderr
    result = cli(
        "record", "HMIP-1-camhs-attendance", "20", "--date", "2022-05-30", "--plans", plans, "--today", "2022-06-01"
    )
    assert result.exit_code == 0, result.stderr
    row = rows(cli, plans, "indicators", "--today", "2022-06-01")["HMIP-1-camhs-attendance"]
    assert row["change"] == "-5"
