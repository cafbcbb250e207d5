"""What one cell of an imported sheet means: its text, date, RAG and owner key, at the edges."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest

from yotplan.plans.vocabulary import EARLIEST_YEAR, DateText
from yotplan.spreadsheet.cells import clean_text, owner_key, rag_of_colour, read_date, read_rag, read_status


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "TRUE"),
        (False, "FALSE"),
        (datetime(2023, 3, 31), "2023-03-31"),
        (datetime(2023, 3, 31, 9, 30), "2023-03-31 09:30:00"),
        (date(2023, 3, 31), "2023-03-31"),
        (3.0, "3"),
        (3.5, "3.5"),
        (0, "0"),
        ("  Head of\nService \t(YOT) ", "Head of Service (YOT)"),
    ],
)
def test_a_cell_as_text_is_verbatim_but_for_whitespace(value: Any, text: str) -> None:
    assert clean_text(value) == text


def test_a_date_cell_reads_as_a_real_date_and_a_number_or_a_flag_is_refused_with_what_it_holds() -> None:
    assert read_date(datetime(2023, 3, 31, 9, 30)) == DateText("2023-03-31 09:30:00", date(2023, 3, 31), "iso")
    assert read_date(date(2023, 3, 31)) == DateText("2023-03-31", date(2023, 3, 31), "iso")
    for early in (datetime(1899, 12, 31), date(1899, 12, 31)):
        with pytest.raises(ValueError, match="plausible") as refused:
            read_date(early)
        assert str(refused.value) == f"'1899-12-31' is not a plausible date (before {EARLIEST_YEAR}); correct it"
    for number, shown in ((44773, "44773"), (44773.0, "44773"), (44773.5, "44773.5")):
        with pytest.raises(ValueError, match="is a number") as refused:
            read_date(number)
        assert str(refused.value) == f"{shown!r} is a number, not a date; format the cell as a date (dd/mm/yyyy)"
    with pytest.raises(ValueError, match=re.escape("'TRUE' is not a date")):
        read_date(True)
    assert read_date("  31/03/2023 ").day == date(2023, 3, 31)
    assert read_status("  Not\nstarted ") == "not-started"


@pytest.mark.parametrize(
    ("text", "rag"),
    [
        ("R", "red"),
        ("Orange", "amber"),
        ("YELLOW", "amber"),
        ("g", "green"),
        ("Complete and embedded", "blue"),
        ("complete - and embedded!", "blue"),
        ("C", "blue"),
        ("Done", "blue"),
    ],
)
def test_a_rag_word_is_read_whatever_its_case_and_punctuation(text: str, rag: str) -> None:
    assert read_rag(text, "FF0000" if rag != "red" else "0070C0") == rag


def test_a_rag_cell_with_no_text_is_read_by_its_colour_and_text_that_is_no_rag_is_refused() -> None:
    assert read_rag("", "FF0000") == "red"
    assert read_rag("  ", None) is None
    assert read_rag(None, "") is None
    with pytest.raises(ValueError, match="Purple") as refused:
        read_rag("Purple", None)
    assert str(refused.value) == "RAG 'Purple' is not red, amber, green or blue (complete); write one of those"


@pytest.mark.parametrize(
    ("colour", "rag"),
    [
        ("FF0000", "red"),
        ("C00000", "red"),
        ("FF0040", "red"),
        ("FFC000", "amber"),
        ("FFFF00", "amber"),
        ("92D050", "green"),
        ("00B050", "green"),
        ("00B0F0", "blue"),
        ("0070C0", "blue"),
        ("7030A0", None),
        ("FFFFFF", None),
        ("808080", None),
        ("000000", None),
        ("1A0000", None),
        ("zzzzzz", None),
        ("theme1", None),
    ],
)
def test_a_fill_colour_is_read_by_its_hue_and_white_grey_black_or_no_colour_is_none(
    colour: str, rag: str | None
) -> None:
    assert rag_of_colour(colour) == rag


def test_an_owner_key_is_cut_at_a_word_boundary_within_60_characters() -> None:
    lead = "Head of Service for Youth Justice and Early Help and Targeted Youth Support"
    assert owner_key(lead) == "head-of-service-for-youth-justice-and-early-help-and"
    assert len(owner_key(lead)) <= 60
    exactly_60 = "a" * 55 + " bcde"
    assert owner_key(exactly_60) == "a" * 55 + "-bcde"
    assert owner_key("Café Lead") == "cafe-lead"
