"""The one vocabulary of statuses and dates (yotplan.plans.vocabulary), as import and the edit commands read it."""

from __future__ import annotations

from datetime import date

import pytest

from yotplan.plans.vocabulary import parse_date_text, parse_status_word, status_in_free_text


@pytest.mark.parametrize(
    ("text", "day", "form"),
    [
        ("31/03/23", date(2023, 3, 31), "day-first"),
        ("31.03.2024", date(2024, 3, 31), "day-first"),
        ("2024-03-31", date(2024, 3, 31), "iso"),
        ("31 Jul 22", date(2022, 7, 31), "day-month-year"),
        ("31-Jul-22", date(2022, 7, 31), "day-month-year"),
        ("1st Sept 2022", date(2022, 9, 1), "day-month-year"),
        ("March 2023", date(2023, 3, 31), "month-year"),
        ("Sept 23", date(2023, 9, 30), "month-year"),
        ("Jul-22", date(2022, 7, 31), "month-year"),
        ("end of March 2024", date(2024, 3, 31), "month-year"),
        ("End of Feb 2024", date(2024, 2, 29), "month-year"),
        ("Q1 2023/24", date(2023, 6, 30), "quarter"),
        ("Q2 2023/24", date(2023, 9, 30), "quarter"),
        ("Q3 2023-24", date(2023, 12, 31), "quarter"),
        ("Q4 23/24", date(2024, 3, 31), "quarter"),
    ],
)
def test_every_date_form_reads_as_its_day(text: str, day: date, form: str) -> None:
    read = parse_date_text(text)
    assert (read.day, read.form, read.undated) == (day, form, None)


def test_a_month_or_quarter_says_how_it_was_read() -> None:
    assert parse_date_text("Sept 23").how == "'Sept 23' read as 2023-09-30, the last day of that month"
    assert parse_date_text("Q2 2023/24").how == (
        "'Q2 2023/24' read as 2023-09-30, the last day of that financial-year quarter"
    )
    assert parse_date_text("31/03/2024").how == ""


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        *[("ongoing", "ongoing"), ("On-going", "ongoing"), ("TBC", "to-be-confirmed"), ("tbc", "to-be-confirmed")],
        *[("n/a", "to-be-confirmed"), ("", "to-be-confirmed"), ("To be confirmed", "to-be-confirmed")],
    ],
)
def test_words_that_are_not_a_date_make_an_undated_action(text: str, kind: str) -> None:
    read = parse_date_text(text)
    assert (read.day, read.form, read.undated) == (None, "no-date", kind)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "'soon' is not a date; write it as dd/mm/yyyy"),
        ("31/02/2023", "'31/02/2023' is not a real calendar date"),
        ("Q2 2023/25", "'Q2 2023/25' is not a financial year"),
        ("March 1900", "not a plausible date"),
    ],
)
def test_text_that_is_no_date_is_refused_with_how_to_write_one(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="not") as raised:
        parse_date_text(text)
    assert message in str(raised.value)


@pytest.mark.parametrize(
    ("word", "status"),
    [
        *[(w, "done") for w in ("Complete", "Completed", "Done", "Blue", "B", "Closed")],
        *[(w, "in-progress") for w in ("In progress", "On track", "G", "Green", "Amber", "A", "Red", "R")],
        ("Not started", "not-started"),
        ("not-started", "not-started"),
        ("Delayed", "blocked"),
        ("On hold", "blocked"),
        ("Dropped", "dropped"),
        ("Action completed. 53 assessments", None),
    ],
)
def test_status_and_rag_words(word: str, status: str | None) -> None:
    assert parse_status_word(word) == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Action completed. Update (July 2013) 53 assessments were audited.", "done"),
        ("Completed in August; minutes on file.", "done"),
        ("Not yet started: waiting for the new manager.", "not-started"),
        ("Work is in progress with health partners.", "in-progress"),
        ("Put on hold until the restructure.", "blocked"),
        ("The Board discussed this in July.", None),
    ],
)
def test_a_clear_status_in_free_text(text: str, status: str | None) -> None:
    assert status_in_free_text(text) == status
