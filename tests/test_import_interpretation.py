"""How the import reads a sheet's rows as a plan: ids, the as-of date, statuses and what it flags.

Each sheet here is built in memory (the rows `read_sheet` would give) and read with
`plan_from_sheet`, so a test says exactly which rows go in and what plan comes out.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from yotplan.spreadsheet.columns import find_header, parse_override
from yotplan.spreadsheet.errors import BadOption, SpreadsheetError
from yotplan.spreadsheet.interpretation import (
    ImportedPlan,
    ImportOptions,
    check_source_id,
    default_source_id,
    plan_from_sheet,
    source_kind,
    status_sentence,
)
from yotplan.spreadsheet.reading import Row, Sheet

TODAY = date(2023, 6, 1)


def sheet_of(*rows: list[Any], name: str = "plan.csv", hidden: tuple[int, ...] = ()) -> Sheet:
    """Rows 1, 2, ... of a sheet, each cell as written (None when empty); `hidden` are row numbers."""
    return Sheet(
        Path(name),
        name,
        None,
        [
            Row(number, tuple(values), sum(v is not None for v in values), number in hidden, (None,) * len(values))
            for number, values in enumerate(rows, start=1)
        ],
    )


def plan_of(*rows: list[Any], **options: Any) -> ImportedPlan:
    return plan_from_sheet(sheet_of(*rows), ImportOptions(today=TODAY, source_id="S", **options))


def ids(plan: ImportedPlan) -> list[tuple[str, str, list[str]]]:
    return [(rec.id, rec.text, [a.id for a in rec.actions]) for rec in plan.recommendations]


def messages(plan: ImportedPlan, kind: str) -> list[str]:
    return [message for k, _, message in plan.flags if k == kind]


def test_a_file_name_with_no_letter_or_digit_gives_the_source_id_import() -> None:
    assert default_source_id(Path("??? .xlsx")) == "IMPORT"
    assert default_source_id(Path("Torbay action plan.xlsx")) == "TORBAY-ACTION-PLAN"


def test_a_recommendation_with_no_ref_takes_the_first_number_no_ref_of_the_sheet_uses() -> None:
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due"],
        [None, "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["1", "Review capacity", "Agree the structure", "YOT Manager", "31/03/2023"],
        ["3", "Train the staff", "Run the course", "YOT Manager", "31/03/2023"],
        [None, "Publish the plan", "Publish it", "YOT Manager", "31/03/2023"],
    )
    assert ids(plan) == [
        ("S-2", "Improve the Board", ["S-2.1"]),
        ("S-1", "Review capacity", ["S-1.1"]),
        ("S-3", "Train the staff", ["S-3.1"]),
        ("S-4", "Publish the plan", ["S-4.1"]),
    ]
    assert messages(plan, "recommendation") == [
        "a new recommendation with no 'Ref'; numbered S-2",
        "a new recommendation with no 'Ref'; numbered S-4",
    ]


def test_the_date_a_title_block_gives_in_the_next_cell_is_the_as_of_date() -> None:
    plan = plan_of(
        ["Youth Justice Improvement Plan"],
        ["Last updated:", datetime(2023, 3, 14)],
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
    )
    assert (plan.as_at, plan.as_at_reason) == (date(2023, 3, 14), "the date the sheet says it was updated (row 2)")
    assert plan.source_title == "Youth Justice Improvement Plan"


def test_a_progress_column_of_rag_words_is_read_as_the_status() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due", "Progress"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023", "Orange"],
        ["Improve the Board", "Brief members", "YOT Manager", "31/03/2023", "Orange"],
        ["Improve the Board", "Report to the Board", "YOT Manager", "31/03/2023", "Blue"],
    )
    assert messages(plan, "column") == ["column 'Progress' holds status words, so it is read as the status"]
    assert plan.status_source == "status"
    assert [(a.status, a.updates) for a in plan.actions] == [
        ("in-progress", []),
        ("in-progress", []),
        ("done", []),
    ]


LONG = "We have talked to partners about this and will come back to it at the next Board meeting"


def test_status_text_quoted_in_a_flag_is_cut_at_50_characters_and_in_a_comment_at_120() -> None:
    exactly_50 = "Partners were asked and will come back to us later"
    assert len(exactly_50) == 50
    space_at_49 = "Partners have been asked about it and will reply as soon as they can"
    assert space_at_49[48] == " "
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due", "Status"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023", LONG],
        ["Improve the Board", "Brief members", "YOT Manager", "31/03/2023", exactly_50],
        ["Improve the Board", "Report to the Board", "YOT Manager", "31/03/2023", space_at_49],
        ["Improve the Board", "Train members", "YOT Manager", "31/03/2023", LONG + " " + LONG],
        *[["Review capacity", f"Step {n}", "YOT Manager", "31/03/2023", "On track"] for n in (1, 2, 3)],
    )
    assert messages(plan, "status-unclear") == [
        "'We have talked to partners about this and will co…': not-started until checked",
        f"{exactly_50!r}: not-started until checked",
        "'Partners have been asked about it and will reply…': not-started until checked",
        "'We have talked to partners about this and will co…': not-started until checked",
    ]
    assert plan.actions[3].comments == [
        "status: the spreadsheet says 'We have talked to partners about this and will come back to it at the next "
        "Board meeting We have talked to partners abo…'"
    ]


def test_a_title_block_date_that_is_no_date_is_passed_over_for_the_next_and_the_first_real_one_wins() -> None:
    plan = plan_of(
        ["Action plan, last updated: 31/02/2023, corrected 14/03/2023, first draft 02/01/2023"],
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
    )
    assert (plan.as_at, plan.as_at_reason) == (date(2023, 3, 14), "the date the sheet says it was updated (row 1)")
    assert plan.source_title == "Action plan"


def test_a_month_or_quarter_due_date_is_its_last_day_and_says_so() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "Q3 2023/24"],
        ["Improve the Board", "Brief members", "YOT Manager", "Sept 2023"],
    )
    assert [(a.due, a.comments) for a in plan.actions] == [
        (date(2023, 12, 31), ["due: the spreadsheet says 'Q3 2023/24', the last day of that quarter"]),
        (date(2023, 9, 30), ["due: the spreadsheet says 'Sept 2023', the last day of that month"]),
    ]


def test_a_sub_ref_reserves_its_recommendations_number() -> None:
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due"],
        [None, "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["1.1", "Review capacity", "Agree the structure", "YOT Manager", "31/03/2023"],
    )
    assert ids(plan) == [("S-2", "Improve the Board", ["S-2.1"]), ("S-1", "Review capacity", ["S-1.1"])]


def test_an_action_text_starting_with_its_sub_ref_stays_under_a_ref_with_that_number() -> None:
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due"],
        ["Rec 1", "Improve the Board", "(1a) Meet monthly", "YOT Manager", "31/03/2023"],
        [None, None, "(1b) Brief members", "YOT Manager", "31/03/2023"],
        [None, None, "(2a) Review capacity", "YOT Manager", "31/03/2023"],
    )
    assert ids(plan) == [
        ("S-Rec-1", "Improve the Board", ["S-Rec-1.1", "S-Rec-1.2"]),
        ("S-2", "Recommendation 2 (the spreadsheet gives no text)", ["S-2.1"]),
    ]
    assert [a.comments for a in plan.actions] == [
        [],
        ["the spreadsheet's ref: (1b)"],
        ["the spreadsheet's ref: (2a)"],
    ]


def test_an_action_text_starting_with_a_sub_ref_under_a_ref_with_no_number_starts_that_recommendation() -> None:
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due"],
        ["A", "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        [None, None, "(1a) Review capacity", "YOT Manager", "31/03/2023"],
    )
    assert ids(plan) == [
        ("S-A", "Improve the Board", ["S-A.1"]),
        ("S-1", "Recommendation 1 (the spreadsheet gives no text)", ["S-1.1"]),
    ]


@pytest.mark.parametrize("source_id", ["owners", "OWNERS", "Owners.yaml", "../x", "-x"])
def test_a_source_id_that_would_name_the_owners_file_or_no_file_is_refused_as_an_option(source_id: str) -> None:
    with pytest.raises(BadOption) as refused:
        check_source_id(source_id)
    assert str(refused.value) == f"{source_id!r} cannot be a source id: use letters, digits and '-', e.g. HMIP"
    assert refused.value.param == "--source-id"
    assert check_source_id("HMIP.2023_a-1") == "HMIP.2023_a-1"


def test_a_ref_becomes_an_id_with_its_spaces_as_dashes_and_its_other_punctuation_dropped() -> None:
    refs = ["1.", "2)", "b", "X3", "Rec 4", "?", "(5)."]
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due"],
        *[[ref, f"Recommendation {n}", "Meet", "YOT Manager", "31/03/2023"] for n, ref in enumerate(refs, start=1)],
    )
    assert [rec.id for rec in plan.recommendations] == ["S-1", "S-2", "S-b", "S-X3", "S-Rec-4", "S-6", "S-5"]
    assert messages(plan, "recommendation") == ["ref '?' has no letter or digit; numbered S-6"]
    assert plan.recommendations[5].actions[0].review == [
        "recommendation: its ref '?' has no letter or digit; numbered S-6"
    ]


FREE_TEXT = (
    "; text that is not a status word becomes a dated progress update, and the status comes from clear words in it "
    "(action completed, not yet started, in progress), else it is not started and flagged"
)


def test_the_status_sentence_names_the_column_the_statuses_came_from_and_says_a_blank_is_not_started() -> None:
    rows = [["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023", "Complete"]]
    blank = [["Improve the Board", "Brief members", "YOT Manager", "31/03/2023", None]]
    header = ["Recommendation", "Action", "Lead", "Due", "Current status"]
    assert status_sentence(plan_of(header, *rows)) == f"Status: from the 'Current status' column{FREE_TEXT}."
    assert status_sentence(plan_of(header, *rows, *blank)) == (
        f"Status: from the 'Current status' column{FREE_TEXT}; a blank status is not started."
    )
    rag = plan_of(["Recommendation", "Action", "Lead", "Due", "BRAG rating"], *rows)
    assert status_sentence(rag) == (
        "Status: the sheet has no status column, so it comes from the 'BRAG rating' column: blue (complete) is done; "
        "red, amber and green are in progress; status words (not started, on track) are read as such; blank is not "
        f"started{FREE_TEXT}. A RAG is a judgement, not a status: check each one."
    )
    none = plan_of(["Recommendation", "Action", "Lead", "Due"], rows[0][:4])
    assert status_sentence(none) == (
        "Status: the sheet has no status or RAG column: an action is done when it has a completed date "
        "(action completed, not yet started, in progress), else not started."
    )
    notes = plan_of(["Recommendation", "Action", "Lead", "Due", "Comments"], [*rows[0][:4], "Meeting in May"])
    assert status_sentence(notes) == (
        "Status: the sheet has no status or RAG column: an action is done when it has a completed date or from "
        "clear words in the 'Comments' column (action completed, not yet started, in progress), else not started."
    )


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("HMIP Peer-Review action plan", "peer-review"),
        ("Improvement Review: actions", "improvement-review"),
        ("YJB self-assessment 2023", "self-assessment"),
        ("Inspection of youth justice services in Torbay", "inspection"),
        ("Peer review following the inspection", "peer-review"),
        ("Board development plan", "other"),
    ],
)
def test_the_source_kind_is_the_kind_its_title_names(title: str, kind: str) -> None:
    assert source_kind(title) == kind


def rows_dated(updated: str | None) -> list[list[Any]]:
    return [
        [f"Action plan, last updated {updated}" if updated else "Action plan"],
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
    ]


def test_the_as_of_date_is_as_of_else_the_title_blocks_else_the_files_else_today_and_never_after_today() -> None:
    def as_at(updated: str | None, modified: date | None = None, **options: Any) -> tuple[date, str]:
        sheet = sheet_of(*rows_dated(updated))
        plan = plan_from_sheet(sheet, ImportOptions(today=TODAY, source_id="S", **options), modified)
        return plan.as_at, plan.as_at_reason

    assert as_at("14/03/2023", date(2023, 4, 1), as_of=date(2023, 2, 1)) == (date(2023, 2, 1), "the --as-of date")
    assert as_at("14/03/2023", date(2023, 4, 1)) == (
        date(2023, 3, 14),
        "the date the sheet says it was updated (row 1)",
    )
    assert as_at(None, date(2023, 4, 1)) == (
        date(2023, 4, 1),
        "the spreadsheet file's modified date (give --as-of to say when the sheet was true)",
    )
    assert as_at(None) == (TODAY, "the import's --today (the sheet states no date; give --as-of)")
    assert as_at(None, TODAY) == (
        TODAY,
        "the spreadsheet file's modified date (give --as-of to say when the sheet was true)",
    )
    assert as_at("02/06/2023") == (
        TODAY,
        "--today (2023-06-01), as the date the sheet says it was updated (row 1), 2023-06-02, is later",
    )


def test_only_blank_hidden_note_and_repeated_header_rows_are_left_out_and_counted_by_kind() -> None:
    header = ["Recommendation", "Action", "Lead", "Due"]
    sheet = sheet_of(
        header,
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        [None, None, None, None],
        ["Note: the Board meets in the spring"],
        ["Improve the Board", "An action deleted last year", "YOT Manager", "31/03/2022"],
        ["recommendation", "ACTION", "Lead", "Due date"],
        ["Improve the Board", "Brief members", "YOT Manager", "30/04/2023"],
        ["Note", "Agree the terms", "YOT Manager", "31/05/2023"],  # a full row: placed, whatever its first word
        ["Review capacity", "Recruit an analyst", None, None],
        ["* the dates are the Board's"],
        ["Key: Red = off track"],
        ["Source: the Board's minutes"],
        hidden=(5,),
    )
    plan = plan_from_sheet(sheet, ImportOptions(today=TODAY, source_id="S"))
    assert [a.title for a in plan.actions] == ["Meet monthly", "Brief members", "Agree the terms", "Recruit an analyst"]
    assert plan.skipped == {"blank": 1, "hidden": 1, "notes": 4, "header": 1}
    assert plan.skipped_text == "1 blank, 1 hidden, 4 notes or keys, 1 repeated header"
    assert plan.counts == (
        "3 recommendations, 4 actions, 2 owners; 7 rows skipped (1 blank, 1 hidden, 4 notes or keys, "
        "1 repeated header); 1 flagged for review"
    )


def test_a_row_that_repeats_all_but_one_header_is_a_header_and_one_that_repeats_one_is_not() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["Recommendation", "Action", "Lead", "30/04/2023"],
        ["Recommendation", "Brief members", "YOT Manager", "30/04/2023"],
    )
    assert plan.skipped == {"header": 1}
    assert [(a.title, a.row) for a in plan.actions] == [("Meet monthly", 2), ("Brief members", 4)]


PARAGRAPHS = ["Met in May", "Board agreed the terms", "Waiting for the police", "Draft shared", "Asked CAMHS"]


def read_column(header: str, words: int, *, more: tuple[str, list[Any]] | None = None, **options: Any) -> ImportedPlan:
    """Five rows whose `header` column holds `words` status words and then paragraphs."""
    values = ["Complete", "On track", "Not started", "Delayed", "Complete"][:words] + PARAGRAPHS[words:]
    extra_header, extra = more if more else (None, [])
    return plan_of(
        ["Recommendation", "Action", "Lead", "Due", header, *([extra_header] if extra_header else [])],
        *[
            ["Improve the Board", f"Step {n}", "YOT Manager", "31/03/2023", value, *extra[n : n + 1]]
            for n, value in enumerate(values)
        ],
        **options,
    )


def test_a_progress_column_of_status_words_is_the_status_from_three_in_five() -> None:
    three = read_column("Progress", 3)
    assert messages(three, "column") == ["column 'Progress' holds status words, so it is read as the status"]
    assert [a.status for a in three.actions][:3] == ["done", "in-progress", "not-started"]
    two = read_column("Progress", 2)
    assert messages(two, "column") == []
    assert (two.status_source, two.actions[0].updates) == ("none", ["Complete"])


def test_a_status_column_of_paragraphs_is_progress_notes_below_two_in_five() -> None:
    two = read_column("Status", 2)
    assert (messages(two, "column"), two.status_source) == ([], "status")
    assert [a.status for a in two.actions][:2] == ["done", "in-progress"]
    one = read_column("Status", 1)
    assert messages(one, "column") == ["column 'Status' holds text, not status words, so it is read as progress notes"]
    assert one.status_source == "none"
    assert [a.updates for a in one.actions] == [[value] for value in ["Complete", *PARAGRAPHS[1:]]]


def test_with_both_columns_or_a_column_mapped_each_is_read_as_its_header_says() -> None:
    both = read_column("Status", 0, more=("Progress", ["Complete"] * 5))
    assert (messages(both, "column"), both.status_source) == ([], "status")
    assert [(a.status, a.updates) for a in both.actions][:1] == [("not-started", ["Met in May", "Complete"])]
    mapped = read_column("Status", 0, overrides=(("status", "status"),))
    assert (messages(mapped, "column"), mapped.status_source) == ([], "status")
    progress = read_column("Progress", 5, overrides=(("progress", "update"),))
    assert (messages(progress, "column"), progress.status_source) == ([], "none")


def test_a_recommendations_lead_is_the_first_lead_with_a_letter_or_digit_its_column_gives() -> None:
    plan = plan_of(
        ["Recommendation", "Recommendation lead", "Action", "Lead", "Due"],
        ["Improve the Board", "???", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["Improve the Board", "Head of Service", "Brief members", "YOT Manager", "31/03/2023"],
        ["Improve the Board", "Chair of the Board", "Report to the Board", "YOT Manager", "31/03/2023"],
    )
    rec = plan.recommendations[0]
    assert (rec.lead, rec.lead_row) == ("Head of Service", 3)
    assert sorted(plan.owners) == ["head-of-service", "yot-manager"]


def test_a_recommendations_own_row_is_a_comment_and_a_row_with_a_lead_or_sub_ref_but_no_action_is_an_action() -> None:
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due", "Status", "Progress"],
        ["1", "Improve the Board", None, None, None, "Amber", "Terms agreed"],
        ["1", None, None, "Chair of the Board", None, None, None],
        ["1.2", None, None, None, None, None, None],
        ["1", None, "Meet monthly", "YOT Manager", "31/03/2023", None, None],
    )
    rec = plan.recommendations[0]
    assert rec.comments == ["row 2 of the spreadsheet also says: Status 'Amber'; Progress 'Terms agreed'"]
    assert messages(plan, "rec-row") == ["Status 'Amber'; Progress 'Terms agreed'"]
    assert [(a.row, a.title, a.lead) for a in rec.actions] == [
        (3, "Improve the Board", "Chair of the Board"),
        (4, "Improve the Board", "Lead not recorded in the spreadsheet"),
        (5, "Meet monthly", "YOT Manager"),
    ]
    assert messages(plan, "no-action-text") == [
        "no action text; titled 'Improve the Board'",
        "no action text; titled 'Improve the Board'",
    ]


def test_the_title_is_the_first_text_above_the_header_and_the_updated_label_may_stand_first() -> None:
    plan = plan_of(
        ["Last updated: 14/03/2023", "Torbay YJS Action Plan"],
        ["Draft for the Board"],
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
    )
    assert (plan.source_title, plan.as_at) == ("Torbay YJS Action Plan", date(2023, 3, 14))
    plan = plan_of(
        [None, "Torbay YJS Action Plan", "Last updated:"],
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
    )
    assert (plan.source_title, plan.as_at) == ("Torbay YJS Action Plan", TODAY)
    plan = plan_of(
        ["Action plan", "Updated:", datetime(2023, 3, 14), "Draft"],
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
    )
    assert (plan.source_title, plan.as_at) == ("Action plan", date(2023, 3, 14))


def test_a_header_mapped_by_hand_is_read_as_mapped_and_flags_name_the_file_and_row() -> None:
    sheet = sheet_of(
        ["Recommendation", "Action", "Lead", "Due", "Remarks", "Progress"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023", "Board minutes", "Complete"],
        ["Improve the Board", "Brief members", "YOT Manager", "31/03/2023", None, "Complete"],
        name="HMIP inspection plan.csv",
    )
    plan = plan_from_sheet(sheet, ImportOptions(today=TODAY, overrides=(("remarks", "evidence"),)))
    assert (plan.source_id, plan.kind, plan.actions[0].evidence) == (
        "HMIP-INSPECTION-PLAN",
        "inspection",
        "Board minutes",
    )
    assert plan.grouped() == [
        (
            "columns read by what they hold",
            ["HMIP inspection plan.csv:1: column 'Progress' holds status words, so it is read as the status"],
        )
    ]


def test_a_sheet_with_no_action_text_still_places_its_rows_with_a_lead() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", None, "YOT Manager", "31/03/2023"],
        ["Review capacity", None, "YOT Manager", None],
    )
    assert [(rec.text, [a.title for a in rec.actions]) for rec in plan.recommendations] == [
        ("Improve the Board", ["Improve the Board"]),
        ("Review capacity", ["Review capacity"]),
    ]


def test_the_last_action_row_is_placed_even_with_one_cell_and_each_row_left_out_is_counted() -> None:
    plan = plan_from_sheet(
        sheet_of(
            ["Recommendation", "Action", "Lead", "Due"],
            ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
            [None, None, None, None],
            [None, None, None, None],
            ["Improve the Board", "Hidden one", "YOT Manager", "31/03/2023"],
            ["Improve the Board", "Hidden two", "YOT Manager", "31/03/2023"],
            ["Recommendation", "Action", "Lead", "Due"],
            ["Recommendation", "Action", None, None],
            [None, "Publish the plan", None, None],
            hidden=(5, 6),
        ),
        ImportOptions(today=TODAY, source_id="S"),
    )
    assert [a.title for a in plan.actions] == ["Meet monthly", "Publish the plan"]
    assert plan.skipped == {"blank": 2, "hidden": 2, "header": 2}


def test_a_row_with_one_header_word_is_a_row_and_one_with_two_of_two_is_a_header() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["Recommendation", "Brief members", "YOT Manager", None],
        ["Recommendation", "Action", "YOT Manager", "30/04/2023"],
    )
    assert plan.skipped == {}
    assert [a.title for a in plan.actions] == ["Meet monthly", "Brief members", "Action"]


def test_the_counts_say_one_of_each_in_the_singular() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        [None, None, None, None],
    )
    assert plan.counts == "1 recommendation, 1 action, 1 owner; 1 row skipped (1 blank); 0 flagged for review"


def test_a_map_splits_at_its_last_equals_sign_and_needs_a_header_and_a_field() -> None:
    assert parse_override(" RAG (G=on track) = RAG ") == ("rag (g=on track)", "rag")
    for text, message in (
        ("=owner", "'=owner' is not HEADER=field (for example 'Lead Officer=owner')"),
        ("Lead Officer", "'Lead Officer' is not HEADER=field (for example 'Lead Officer=owner')"),
        ("Lead Officer=boss", "'boss' is not a field; the fields are: "),
    ):
        with pytest.raises(BadOption, match="field") as refused:
            parse_override(text)
        assert str(refused.value).startswith(message)
        assert refused.value.param == "--map"


def test_a_header_row_names_two_fields_or_more_and_a_map_must_name_one_of_its_headers() -> None:
    two = sheet_of(["Recommendation", "Action", "Widget"], ["Improve the Board", "Meet", None])
    with pytest.raises(SpreadsheetError) as refused:
        find_header(two)
    assert str(refused.value) == (
        "plan.csv:1: no owner column among the headers ('Recommendation', 'Action', 'Widget'); "
        "name it with --map 'HEADER=owner'"
    )
    with pytest.raises(SpreadsheetError) as refused:
        find_header(sheet_of(["Recommendation", "Widget"], ["Improve the Board", None]))
    assert str(refused.value) == (
        "plan.csv: no header row in the first 10 rows (a row with columns such as Recommendation, Action, Lead, "
        "Target date); name the columns with --map 'HEADER=field'"
    )
    four = sheet_of(["Recommendation", "Action", "Lead", "Due"])
    with pytest.raises(BadOption) as wrong:
        find_header(four, [("owner name", "owner")])
    assert wrong.value.param == "--map"
    assert str(wrong.value).startswith("plan.csv:1: no column headed 'owner name' in the header row")
    header = find_header(four)
    assert (header.title("owner"), header.title("rag")) == ("Lead", "rag")


def drafts(plan: ImportedPlan) -> list[tuple[Any, ...]]:
    """Each action's row, status, due or undated kind, completed date, review notes and comments."""
    return [(a.row, a.status, a.due or a.undated, a.completed, a.review, a.comments) for a in plan.actions]


def test_a_completed_date_is_kept_when_done_by_the_as_of_date_and_else_flagged_for_review() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due", "Status", "Date completed"],
        ["Improve the Board", "Meet", "YOT Manager", "31/03/2023", "Complete", "14/03/2023"],
        ["Improve the Board", "Brief", "YOT Manager", "31/03/2023", "Complete", None],
        ["Improve the Board", "Report", "YOT Manager", "31/03/2023", "Complete", "soon"],
        ["Improve the Board", "Train", "YOT Manager", "31/03/2023", "Complete", "20/05/2023"],
        ["Improve the Board", "Recruit", "YOT Manager", "31/03/2023", "In progress", "soon"],
        ["Improve the Board", "Agree", "YOT Manager", "31/03/2023", "In progress", "01/03/2023"],
        ["Improve the Board", "Publish", "YOT Manager", "31/03/2023", "Complete", "01/05/2023"],
        ["Improve the Board", "Review", "YOT Manager", "31/03/2023", "Not started", "01/03/2023"],
        as_of=date(2023, 5, 1),
    )
    due, as_of = date(2023, 3, 31), date(2023, 5, 1)
    assert drafts(plan) == [
        (2, "done", due, date(2023, 3, 14), [], []),
        (3, "done", due, as_of, [], []),
        (
            4,
            "done",
            due,
            as_of,
            ["completed: the spreadsheet's completed date is not a date"],
            ["completed: the spreadsheet says 'soon'"],
        ),
        (
            5,
            "done",
            due,
            as_of,
            ["completed: the spreadsheet says 2023-05-20, after the as-of date 2023-05-01"],
            ["completed: the spreadsheet says 2023-05-20, after the as-of date"],
        ),
        (6, "in-progress", due, None, [], ["completed: the spreadsheet says 'soon'"]),
        (7, "in-progress", due, None, [], []),
        (8, "done", due, as_of, [], []),
        (9, "not-started", due, None, [], []),
    ]
    assert plan.flags == [
        ("completed-unreadable", 4, "'soon' is not a date"),
        ("completed-late", 5, "2023-05-20 is after 2023-05-01"),
    ]
    assert plan.done_without_date == 2


def test_without_a_status_column_a_completed_date_makes_an_action_done() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due", "Date completed"],
        ["Improve the Board", "Meet", "YOT Manager", "31/03/2023", "14/03/2023"],
        ["Improve the Board", "Brief", "YOT Manager", "31/03/2023", None],
        ["Improve the Board", "Report", "YOT Manager", "31/03/2023", "soon"],
        as_of=date(2023, 5, 1),
    )
    due = date(2023, 3, 31)
    assert drafts(plan) == [
        (2, "done", due, date(2023, 3, 14), [], []),
        (3, "not-started", due, None, [], []),
        (4, "not-started", due, None, [], ["completed: the spreadsheet says 'soon'"]),
    ]
    assert (plan.flags, plan.done_without_date) == ([], 0)


def test_a_due_date_that_is_no_date_or_no_day_is_kept_as_written_and_flagged() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Target date"],
        ["Improve the Board", "Meet", "YOT Manager", "31/02/2023"],
        ["Improve the Board", "Brief", "YOT Manager", "TBC"],
        ["Improve the Board", "Report", "YOT Manager", None],
        ["Improve the Board", "Train", "YOT Manager", "Ongoing"],
        ["Improve the Board", "Recruit", "YOT Manager", "March 2023"],
        ["Improve the Board", "Agree", "YOT Manager", "1/9/22"],
    )
    assert drafts(plan) == [
        (
            2,
            "not-started",
            "to-be-confirmed",
            None,
            ["due: the spreadsheet says '31/02/2023', which is not a date; set the date"],
            ["due: the spreadsheet says '31/02/2023'"],
        ),
        (3, "not-started", "to-be-confirmed", None, [], ["due: the spreadsheet says 'TBC': to-be-confirmed"]),
        (4, "not-started", "to-be-confirmed", None, [], ["due: the spreadsheet leaves it blank: to-be-confirmed"]),
        (5, "not-started", "ongoing", None, [], ["due: the spreadsheet says 'Ongoing': ongoing"]),
        (
            6,
            "not-started",
            date(2023, 3, 31),
            None,
            [],
            ["due: the spreadsheet says 'March 2023', the last day of that month"],
        ),
        (7, "not-started", date(2022, 9, 1), None, [], []),
    ]
    assert plan.flags == [
        (
            "date-unreadable",
            2,
            "Target date '31/02/2023' is not a real calendar date (dates are read day first: dd/mm/yyyy)",
        ),
        ("undated", 3, "Target date 'TBC': undated, to-be-confirmed"),
        ("undated", 4, "Target date blank: undated, to-be-confirmed"),
        ("undated", 5, "Target date 'Ongoing': undated, ongoing"),
        ("date-words", 6, "'March 2023' read as 2023-03-31, the last day of that month"),
    ]


def test_a_status_is_a_status_word_a_rag_word_or_clear_words_in_the_progress_else_not_started_for_review() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due", "Status", "Progress"],
        ["Improve the Board", "A2", "YOT Manager", "31/03/2023", "Complete", None],
        ["Improve the Board", "A3", "YOT Manager", "31/03/2023", None, None],
        ["Improve the Board", "A4", "YOT Manager", "31/03/2023", "Orange", None],
        ["Improve the Board", "A5", "YOT Manager", "31/03/2023", "Waiting", "Action completed in May"],
        ["Improve the Board", "A6", "YOT Manager", "31/03/2023", "Waiting for the police to reply", None],
        ["Improve the Board", "A7", "Sarah Jones", "31/03/2023", "In progress", "Met twice"],
        ["Improve the Board", "A8", "yot  manager", "31/03/2023", "On track", None],
        ["Improve the Board", "A9", None, "31/03/2023", "On track", None],
        ["Improve the Board", "A10", "???", "31/03/2023", "On track", None],
    )
    unclear = "status: nothing in the spreadsheet's words is a clear status; read as not-started"
    assert [(a.row, a.status, a.updates, a.review, a.comments) for a in plan.actions] == [
        (2, "done", [], [], []),
        (3, "not-started", [], [], []),
        (4, "in-progress", [], [], []),
        (5, "done", ["Waiting", "Action completed in May"], [], []),
        (
            6,
            "not-started",
            ["Waiting for the police to reply"],
            [unclear],
            ["status: the spreadsheet says 'Waiting for the police to reply'"],
        ),
        (7, "in-progress", ["Met twice"], [], []),
        (8, "in-progress", [], [], []),
        (9, "in-progress", [], ["owner: the spreadsheet names no lead; set the role that leads it"], []),
        (
            10,
            "in-progress",
            [],
            ["owner: the spreadsheet says '???', which names no lead; set the role that leads it"],
            [],
        ),
    ]
    assert plan.flags == [
        ("status-text", 5, "done from 'Waiting Action completed in May'"),
        ("status-unclear", 6, "'Waiting for the police to reply': not-started until checked"),
        ("no-lead", 9, "no lead in the 'Lead' column"),
        ("no-lead", 10, "no lead in the 'Lead' column"),
        (
            "person",
            7,
            "lead 'Sarah Jones' looks like a person's name; owners are roles and owners.yaml must hold no personal "
            "data: replace owner 'sarah-jones' with the role",
        ),
        ("same-owner", 8, "lead 'yot manager' is the same owner as 'YOT Manager' (row 2)"),
    ]
    assert plan.blank_status == 1
    assert sorted((key, owner.role, owner.row, owner.person) for key, owner in plan.owners.items()) == [
        ("lead-not-recorded", "Lead not recorded in the spreadsheet", 9, False),
        ("sarah-jones", "Sarah Jones", 7, True),
        ("yot-manager", "YOT Manager", 2, False),
    ]


def test_without_a_status_column_the_rag_gives_the_status_from_its_word_or_its_fill() -> None:
    rows = [
        ["Recommendation", "Action", "Lead", "Due", "RAG"],
        ["Improve the Board", "A2", "YOT Manager", "31/03/2023", None],
        ["Improve the Board", "A3", "YOT Manager", "31/03/2023", None],
        ["Improve the Board", "A4", "YOT Manager", "31/03/2023", "Blue"],
        ["Improve the Board", "A5", "YOT Manager", "31/03/2023", "Pending"],
    ]
    fills = {2: (None, None, None, None, "FF0000")}
    sheet = Sheet(
        Path("plan.csv"),
        "plan.csv",
        None,
        [
            Row(n, tuple(r), sum(v is not None for v in r), False, fills.get(n, (None,) * 5))
            for n, r in enumerate(rows, start=1)
        ],
    )
    plan = plan_from_sheet(sheet, ImportOptions(today=TODAY, source_id="S"))
    assert [(a.row, a.status, a.updates, a.comments) for a in plan.actions] == [
        (2, "in-progress", [], ["status: from the RAG cell's colour, red"]),
        (3, "not-started", [], []),
        (4, "done", [], []),
        (5, "not-started", ["Pending"], ["status: the spreadsheet says 'Pending'"]),
    ]
    assert plan.flags == [
        ("rag-colour", 2, "RAG read from the cell's fill colour: red"),
        ("status-unclear", 5, "'Pending': not-started until checked"),
    ]


def test_a_measure_is_kept_and_a_column_mapped_to_none_is_never_read_as_the_status() -> None:
    plan = plan_from_sheet(
        sheet_of(
            ["Recommendation", "Action", "Lead", "Due", "Measure of success", "Remarks"],
            ["Improve the Board", "Meet", "YOT Manager", "31/03/2023", "Attendance above 80%", "Complete"],
        ),
        ImportOptions(today=TODAY, source_id="S", overrides=(("remarks", "none"),)),
    )
    assert [(a.measure, a.status, a.updates) for a in plan.actions] == [("Attendance above 80%", "not-started", [])]


def test_each_column_not_read_says_why() -> None:
    header = find_header(
        sheet_of(
            ["Recommendation", "Action", "Lead", "Owner", "Due", "Widget", "Notes", "Responsible officer", "RAG"],
            ["Improve the Board", "Meet", "YOT Manager", "Head of Service", "31/03/2023", "x", "y", "z", "Red"],
        ),
        [("responsible officer", "owner"), ("rag", "none")],
    )
    assert [(c.index, c.header, c.field, c.why_unused) for c in header.columns] == [
        (0, "Recommendation", "recommendation", ""),
        (1, "Action", "action", ""),
        (2, "Lead", None, "--map gives owner to another column"),
        (3, "Owner", None, "--map gives owner to another column"),
        (4, "Due", "due", ""),
        (5, "Widget", None, "not a field yotplan knows; --map 'HEADER=field' to use it"),
        (6, "Notes", "update", ""),
        (7, "Responsible officer", "owner", ""),
        (8, "RAG", None, "--map leaves it out"),
    ]
    twice = find_header(sheet_of(["Recommendation", "Action", "Lead", "Owner", "Due"]))
    assert [(c.index, c.header, c.field, c.why_unused) for c in twice.columns][2:4] == [
        (2, "Lead", "owner", ""),
        (3, "Owner", None, "'Lead' is already the owner column"),
    ]


def actions_of(plan: ImportedPlan) -> list[tuple[str, str, int, str, str, str | None, list[str]]]:
    return [
        (a.id, a.ref, a.row, a.title, a.owner, a.undated, a.review) for rec in plan.recommendations for a in rec.actions
    ]


def test_an_action_ref_that_extends_its_recommendations_id_is_kept_and_the_others_are_numbered_around_it() -> None:
    plan = plan_of(
        ["Ref", "Recommendation", "Rec owner", "Action no", "Action", "Lead", "Due"],
        ["1", "Improve the Board", "Board Chair", "1.5", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["1", None, None, "S-1.7", "Report", "yot manager", "31/03/2023"],
        ["1", None, None, "2.1", "Train", "Jane Smith", "31/03/2023"],
        ["1", None, None, "1.5", "Again", "YOT Manager", "31/03/2023"],
        ["1", None, None, "1.2 a", "Spaced", "YOT Manager", "31/03/2023"],
        ["1", None, None, None, "Plain", "YOT Manager", "31/03/2023"],
    )
    assert [(a.id, a.ref) for a in plan.recommendations[0].actions] == [
        ("S-1.5", "1.5"),
        ("S-1.7", "S-1.7"),
        ("S-1.1", "2.1"),  # another recommendation's number: numbered
        ("S-1.2", "1.5"),  # taken already
        ("S-1.3", "1.2 a"),  # a space: no id
        ("S-1.4", ""),
    ]
    clash = plan_of(
        ["Ref", "Recommendation", "Action no", "Action", "Lead", "Due"],
        ["1", "Improve the Board", "1.abc", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["1.abc", "Train the staff", None, "Run the course", "YOT Manager", "31/03/2023"],
    )
    after = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due"],
        ["1", "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["1.1", None, "Report", "YOT Manager", "31/03/2023"],
        ["1", None, "Publish", "YOT Manager", "31/03/2023"],
    )
    # A number a later row gives is kept; the others take the next numbers free.
    assert ids(after) == [("S-1", "Improve the Board", ["S-1.2", "S-1.1", "S-1.3"])]
    # A recommendation's id is never an action's too.
    assert ids(clash) == [("S-1", "Improve the Board", ["S-1.1"]), ("S-1.abc", "Train the staff", ["S-1.abc.1"])]
    # The recommendation's owner first, then each action's, as first met; the same owner written
    # differently, and a person's name, flagged at their rows.
    assert [(o.key, o.role, o.row, o.person) for o in plan.owners.values()] == [
        ("board-chair", "Board Chair", 2, False),
        ("yot-manager", "YOT Manager", 2, False),
        ("jane-smith", "Jane Smith", 4, True),
    ]
    assert [(kind, row) for kind, row, _ in plan.flags] == [("same-owner", 3), ("person", 4)]


def test_a_recommendation_without_action_rows_or_text_is_kept_whole_and_flagged_at_its_row() -> None:
    plan = plan_of(
        ["Ref", "Recommendation", "Rec owner", "Action", "Lead", "Due"],
        [
            "2",
            "A recommendation with no actions at all and a rather long text to be cut",
            "Health Lead",
            None,
            None,
            None,
        ],
        ["3", None, None, "Orphan text", "YOT Manager", "31/03/2023"],
        ["4", "No actions, no lead", None, None, None, None],
    )
    no_action = ["action: the spreadsheet gives this recommendation no action; plan one, with its lead"]
    long_text = "A recommendation with no actions at all and a rather long text to be cut"
    assert actions_of(plan) == [
        ("S-2.1", "", 2, long_text, "health-lead", "to-be-confirmed", no_action),
        (
            "S-3.1",
            "",
            3,
            "Orphan text",
            "yot-manager",
            None,
            ["recommendation: the spreadsheet gives its recommendation no text"],
        ),
        ("S-4.1", "", 4, "No actions, no lead", "lead-not-recorded", "to-be-confirmed", no_action),
    ]
    assert [(a.status, a.lead) for rec in plan.recommendations for a in rec.actions] == [
        ("not-started", "Health Lead"),
        ("not-started", "YOT Manager"),
        ("not-started", "Lead not recorded in the spreadsheet"),
    ]
    assert [(rec.text, rec.comments) for rec in plan.recommendations][1] == (
        "Recommendation 3 (the spreadsheet gives no text)",
        ["text: the spreadsheet gives no text for this recommendation"],
    )
    assert plan.flags == [
        ("recommendation", 2, "recommendation ref '2' has no action rows; given one, to be confirmed"),
        ("recommendation", 3, "ref '3' has no recommendation text"),
        ("recommendation", 4, "recommendation ref '4' has no action rows; given one, to be confirmed"),
    ]
    unnumbered = plan_of(
        ["Recommendation", "Rec owner", "Action", "Lead", "Due"],
        ["Improve the Board", None, "(2a) Meet monthly", "YOT Manager", "31/03/2023"],
        ["Publish a plan for the whole of the partnership, with its aims", "Comms Lead", None, None, None],
        ["Train", None, None, "YOT Manager", "31/03/2023"],
    )
    assert ids(unnumbered) == [
        ("S-1", "Improve the Board", ["S-1.1"]),  # a sub-ref in the action text makes no ref without a ref column
        ("S-2", "Publish a plan for the whole of the partnership, with its aims", ["S-2.1"]),
        ("S-3", "Train", ["S-3.1"]),
    ]
    assert unnumbered.recommendations[0].actions[0].comments == ["the spreadsheet's ref: (2a)"]
    assert unnumbered.recommendations[2].actions[0].review == [
        "title: the row has no action text, so its recommendation's text is the title"
    ]
    assert unnumbered.flags == [
        ("no-action-text", 4, "no action text; titled 'Train'"),
        (
            "recommendation",
            3,
            "recommendation 'Publish a plan for the whole of the partnership,…' has no action rows; "
            "given one, to be confirmed",
        ),
    ]


def test_what_a_recommendation_row_says_a_ref_with_no_digit_and_unclear_status_words_are_flagged_at_their_rows() -> (
    None
):
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due", "Status", "Progress update"],
        ["1", "Improve the Board", None, None, None, None, "Fewer delays"],
        ["1", None, "Meet monthly", "YOT Manager", "31/03/2023", "amber-ish", "Venue booked"],
        ["?", "Train the staff", "Run the course", "YOT Manager", "31/03/2023", "In progress", None],
        ["1", "Improve the Board's work", "Report", "YOT Manager", "31/03/2023", "In progress", None],
    )
    assert plan.flags == [
        ("rec-row", 2, "Progress update 'Fewer delays'"),
        ("status-unclear", 3, "'amber-ish': not-started until checked"),
        ("recommendation", 4, "ref '?' has no letter or digit; numbered S-2"),
        (
            "recommendation",
            5,
            "its recommendation text differs from that of ref '1' (row 2); placed under that ref, the text kept as a "
            "comment",
        ),
    ]
    assert plan.recommendations[0].comments == [
        "row 2 of the spreadsheet also says: Progress update 'Fewer delays'",
        "row 5 of the spreadsheet gives this text: Improve the Board's work",
    ]


def test_without_a_ref_column_a_sub_ref_in_the_action_text_makes_no_recommendation() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Lead", "Due"],
        [None, "(2a) Meet monthly", "YOT Manager", "31/03/2023"],
        ["Improve the Board", "(2b) Report", "YOT Manager", "31/03/2023"],
    )
    assert plan.not_placed == [(2, "no recommendation on or above this row; fill in its ref and recommendation")]
    assert ids(plan) == [("S-1", "Improve the Board", ["S-1.1"])]


def test_a_recommendation_is_found_again_by_its_text_and_one_without_a_ref_is_numbered_and_noted() -> None:
    unnumbered = plan_of(
        ["Recommendation", "Action", "Lead", "Due"],
        ["Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["Train the staff", "Run the course", "YOT Manager", "31/03/2023"],
        ["improve the board", "Report", "YOT Manager", "31/03/2023"],
    )
    assert ids(unnumbered) == [("S-1", "Improve the Board", ["S-1.1", "S-1.2"]), ("S-2", "Train the staff", ["S-2.1"])]
    other_text = "Improve the Board's work with partners across the county, its data and its report"
    assert len(other_text) == 81
    plan = plan_of(
        ["Ref", "Recommendation", "Action", "Lead", "Due"],
        ["1", "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"],
        ["1", other_text, "Report", "YOT Manager", "31/03/2023"],
        [None, "Train the staff", "Run the course", "YOT Manager", "31/03/2023"],
        [None, None, "(3a) Book a room", "YOT Manager", "31/03/2023"],
    )
    assert ids(plan) == [
        ("S-1", "Improve the Board", ["S-1.1", "S-1.2"]),
        ("S-2", "Train the staff", ["S-2.1"]),
        ("S-3", "Recommendation 3 (the spreadsheet gives no text)", ["S-3.1"]),
    ]
    assert [a.review for rec in plan.recommendations for a in rec.actions] == [
        [],
        [f"recommendation: this row gives it another text: {other_text[:79] + '…'!r}"],
        ["recommendation: the spreadsheet gives it no ref; numbered S-2"],
        ["recommendation: the spreadsheet gives its recommendation no text"],
    ]
    assert [(kind, row) for kind, row, _ in plan.flags] == [
        ("recommendation", 3),
        ("recommendation", 4),
        ("recommendation", 5),
    ]
