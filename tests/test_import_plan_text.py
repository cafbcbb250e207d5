"""The text an import writes: the plan file and owners.yaml as a person reviews them in git.

The files are what the import promises a reviewer: every value, every comment quoting what the
sheet said, the header saying how each column was read, exactly. So these tests compare whole
texts, built from sheets made in memory (the rows `read_sheet` would give).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from yotplan.spreadsheet.interpretation import ImportedPlan, ImportOptions, OwnerDraft, plan_from_sheet
from yotplan.spreadsheet.plan_text import dump_yaml, render_owners, render_plan, same_data, schema_files
from yotplan.spreadsheet.reading import Row, Sheet

TODAY = date(2023, 6, 1)
HEADER = ["Ref", "Recommendation", "Rec owner", "Action no", "Action", "Lead", "Due", "Status", "Completed"]
HEADER += ["Progress update", "Evidence", "Measure"]
# Its line in the plan ends at column 101, one past the emitter's width: YAML folds it there.
MEASURE = "Far fewer children wait more than ten days for a first appointment with the health team, measured each "
MEASURE += "quarter by the board and its partners"


def plan_of(
    *rows: list[Any], file: str = "board.xlsx", sheet: str | None = "Actions", source_id: str = "BOARD"
) -> ImportedPlan:
    cells = [Row(n, tuple(v), sum(x is not None for x in v), False, (None,) * len(v)) for n, v in enumerate(rows, 1)]
    return plan_from_sheet(Sheet(Path(file), file, sheet, cells), ImportOptions(today=TODAY, source_id=source_id))


def board_plan() -> ImportedPlan:
    return plan_of(
        ["Board action plan, updated 1 May 2023"],
        HEADER,
        [None, None, None, None, "Orphan action", "YOT Manager", "31/03/2023", None, None, None, None, None],
        [None, None, None, None, "Another orphan", "YOT Manager", "31/03/2023", None, None, None, None, None],
        [],
        [
            "1",
            "Improve the Board",
            "Board Chair",
            "1.1",
            "Meet monthly",
            "YOT Manager",
            "31/03/2023",
            "Complete",
            "01/03/2023",
            "Met  in\tMarch",
            "Minutes",
            MEASURE,
        ],
        [
            "1",
            "Improve\x01 the Board's work",
            None,
            "1.2",
            "0o17",
            "Jane Smith",
            "TBC",
            "in progress",
            None,
            "Drafting",
            None,
            None,
        ],
        [
            "2",
            "Train the staff",
            None,
            None,
            "1e3",
            None,
            "Q3 2023/24",
            "amber\x07ish",
            None,
            "Venue booked",
            None,
            None,
        ],
        [
            "2",
            None,
            None,
            None,
            "Publish the café's menu",
            "YOT Manager",
            "ongoing",
            "not started",
            None,
            None,
            None,
            None,
        ],
    )


BOARD_PLAN = """\
# yaml-language-server: $schema=schema/plan.schema.json
# Imported by `yotplan import` from board.xlsx, sheet "Actions" (header on row 2). Columns read: 'Ref'
# -> ref, 'Recommendation' -> recommendation, 'Rec owner' -> rec-owner, 'Action no' -> action-ref,
# 'Action' -> action, 'Lead' -> owner, 'Due' -> due, 'Status' -> status, 'Completed' -> completed,
# 'Progress update' -> update, 'Evidence' -> evidence, 'Measure' -> measure. Review it before use.
# Text is as the spreadsheet has it, with runs of spaces and line breaks made single spaces. Where the
# spreadsheet's words were read as something else, a comment at the action quotes them; `review:` notes
# say what a person should check (`yotplan check` warns until each is removed).
# Ids: recommendations are the source id and the 'Ref' column; actions are numbered within their
# recommendation unless the 'Action no' column gives an id. A recommendation's owner is in the 'Rec
# owner' column, else the lead of its first action.
# Status: from the 'Status' column; text that is not a status word becomes a dated progress update, and
# the status comes from clear words in it (action completed, not yet started, in progress), else it is
# not started and flagged.
# Dates: a month (March 2023) or a financial quarter (Q2 2023/24) is its last day. An action whose date
# is ongoing, TBC, n/a or blank has no `due:` but `undated: ongoing` or `undated: to-be-confirmed`.
# As-of date: 2023-05-01, the date the sheet says it was updated (row 1). Progress notes are dated with
# it, and a done action whose completion date the spreadsheet does not give is `completed:` then,
# meaning done by then; no date here is later.
# Rows skipped: 1 blank.
# Not imported (the import listed why): rows 3, 4.
source:
  id: BOARD
  title: Board action plan
  kind: other
recommendations:
# row 7 of the spreadsheet gives this text: Improve\\x01 the Board's work
- id: BOARD-1
  text: Improve the Board
  owner: board-chair
  actions:
  - id: BOARD-1.1
    title: Meet monthly
    owner: yot-manager
    due: 2023-03-31
    status: done
    completed: 2023-03-01
    measure: Far fewer children wait more than ten days for a first appointment with the health team,
      measured each quarter by the board and its partners
    updates:
    - date: 2023-05-01
      note: Met in March
    evidence:
    - Minutes
  # due: the spreadsheet says 'TBC': to-be-confirmed
  - id: BOARD-1.2
    title: '0o17'
    owner: jane-smith
    undated: to-be-confirmed
    status: in-progress
    updates:
    - date: 2023-05-01
      note: Drafting
    review:
    - 'recommendation: this row gives it another text: "Improve\\x01 the Board''s work"'

- id: BOARD-2
  text: Train the staff
  owner: lead-not-recorded
  actions:
  # due: the spreadsheet says 'Q3 2023/24', the last day of that quarter
  # status: the spreadsheet says 'amber\\x07ish'
  - id: BOARD-2.1
    title: '1e3'
    owner: lead-not-recorded
    due: 2023-12-31
    status: not-started
    updates:
    - date: 2023-05-01
      note: "amber\\aish Venue booked"
    review:
    - 'owner: the spreadsheet names no lead; set the role that leads it'
    - 'status: nothing in the spreadsheet''s words is a clear status; read as not-started'
  # due: the spreadsheet says 'ongoing': ongoing
  - id: BOARD-2.2
    title: Publish the café's menu
    owner: yot-manager
    undated: ongoing
    status: not-started
"""

BOARD_OWNERS = """\
# yaml-language-server: $schema=schema/owners.schema.json
# Owners imported by `yotplan import` from board.xlsx: one for each lead in the 'Lead' column, keyed by
# its text; leads that differ only in case, spacing or punctuation are one owner. The spreadsheet does
# not say which agency a lead belongs to, so each agency is "Not recorded in the spreadsheet" until
# someone fills it in.
# Owners are roles, never named people or children: owners.yaml must hold no personal data.
owners:
  board-chair:
    role: Board Chair
    agency: Not recorded in the spreadsheet

  yot-manager:
    role: YOT Manager
    agency: Not recorded in the spreadsheet

  # This lead looks like a person's name: replace it with the role (no personal data here).
  jane-smith:
    role: Jane Smith
    agency: Not recorded in the spreadsheet

  # Actions whose row names no lead: give each its real owner, then remove this one.
  lead-not-recorded:
    role: Lead not recorded in the spreadsheet
    agency: Not recorded in the spreadsheet
"""

CSV_PLAN = """\
# yaml-language-server: $schema=schema/plan.schema.json
# Imported by `yotplan import` from plan.csv (header on row 1). Columns read: 'Recommendation' ->
# recommendation, 'Action' -> action, 'Owner' -> owner, 'Due' -> due. Review it before use.
# Text is as the spreadsheet has it, with runs of spaces and line breaks made single spaces. Where the
# spreadsheet's words were read as something else, a comment at the action quotes them; `review:` notes
# say what a person should check (`yotplan check` warns until each is removed).
# Ids: recommendations are the source id and their number in sheet order (the sheet has no ref column);
# actions are numbered within their recommendation. A recommendation's owner is the lead of its first
# action.
# Status: the sheet has no status or RAG column: an action is done when it has a completed date (action
# completed, not yet started, in progress), else not started.
# Dates: a month (March 2023) or a financial quarter (Q2 2023/24) is its last day. An action whose date
# is ongoing, TBC, n/a or blank has no `due:` but `undated: ongoing` or `undated: to-be-confirmed`.
# As-of date: 2023-06-01, the import's --today (the sheet states no date; give --as-of). Progress notes
# are dated with it, and a done action whose completion date the spreadsheet does not give is
# `completed:` then, meaning done by then; no date here is later.
source:
  id: S
  title: plan.csv
  kind: other
recommendations:
- id: S-1
  text: Train the staff
  owner: yot-manager
  actions:
  - id: S-1.1
    title: Run the course
    owner: yot-manager
    due: 2023-03-31
    status: not-started
"""


def test_the_plan_file_says_how_the_sheet_was_read_and_quotes_its_words_at_each_action() -> None:
    # The header names the file, its sheet, each column read, the as-of date and the rows left out;
    # a comment quotes the sheet wherever its words were read as something else (unprintable
    # characters made visible); a blank line parts the recommendations; YAML 1.2 numbers are quoted.
    assert render_plan(board_plan()) == BOARD_PLAN


def test_a_csv_without_ref_status_or_owner_columns_says_how_ids_owners_and_statuses_were_made() -> None:
    plan = plan_of(
        ["Recommendation", "Action", "Owner", "Due"],
        ["Train the staff", "Run the course", "YOT Manager", "31/03/2023"],
        file="plan.csv",
        sheet=None,
        source_id="S",
    )
    assert render_plan(plan) == CSV_PLAN


def test_owners_yaml_has_one_owner_per_lead_and_says_which_to_replace() -> None:
    plan = board_plan()
    assert render_owners(list(plan.owners.values()), ["board.xlsx"], plan.header.title("owner")) == BOARD_OWNERS


def test_a_comment_wraps_at_its_width_and_never_splits_a_word_or_a_hyphenated_header() -> None:
    owners = [OwnerDraft("yot-manager", "YOT Manager", 3, False)]
    hyphenated = render_owners(owners, ["board.xlsx"], "Lead officer (health-and-justice)")
    assert hyphenated.splitlines()[1:5] == [
        "# Owners imported by `yotplan import` from board.xlsx: one for each lead in the 'Lead officer",
        "# (health-and-justice)' column, keyed by its text; leads that differ only in case, spacing or",
        "# punctuation are one owner. The spreadsheet does not say which agency a lead belongs to, so each agency",
        '# is "Not recorded in the spreadsheet" until someone fills it in.',
    ]
    two = render_owners(owners, ["a.csv", 'b.xlsx (sheet "Actions")'], "Lead").splitlines()[1]
    assert two == (
        '# Owners imported by `yotplan import` from a.csv, b.xlsx (sheet "Actions"): one for each lead in the'
    )
    long_name = "x" * 110 + ".csv"
    assert render_owners(owners, [long_name], "Lead").splitlines()[1:4] == [
        "# Owners imported by `yotplan import` from",
        f"# {long_name}:",
        "# one for each lead in the 'Lead' column, keyed by its text; leads that differ only in case, spacing or",
    ]


def test_yaml_quotes_what_yaml_1_2_would_read_as_a_number_or_a_boolean_and_never_aliases() -> None:
    as_at = date(2023, 5, 1)
    data = {
        "kept": ["0o17", "-0x1F", "+.5", "1.", "1e3", "-2E-3", "TRUE", "false", "True", "Café", "0o8", "x1", "ab"],
        "updates": [{"date": as_at, "note": "one"}, {"date": as_at, "note": "two"}],
        "zulu": 1,
        "alpha": 2,
    }
    assert dump_yaml(data) == (
        "kept:\n"
        "- '0o17'\n- '-0x1F'\n- '+.5'\n- '1.'\n- '1e3'\n- '-2E-3'\n- 'TRUE'\n- 'false'\n- 'True'\n- Café\n"
        "- 0o8\n- x1\n- ab\n"
        "updates:\n- date: 2023-05-01\n  note: one\n- date: 2023-05-01\n  note: two\n"
        "zulu: 1\n"
        "alpha: 2\n"
    )
    assert yaml.safe_load(dump_yaml(data)) == data


def test_a_file_read_back_holds_what_was_meant_when_only_empty_fields_differ() -> None:
    meant = {"id": "S-1", "actions": [{"id": "S-1.1", "review": [], "measure": None}], "extra": {}}
    read = {"id": "S-1", "actions": ({"id": "S-1.1", "evidence": []},)}
    assert same_data(meant, read)
    assert not same_data(meant, {"id": "S-1", "actions": [{"id": "S-1.2"}]})
    assert not same_data({"id": "S-1"}, {"id": "S-2"})
    assert not same_data({"id": "S-1"}, {"id": "S-1", "title": "x"})
    assert not same_data({"a": {"b": 1}}, {"a": {"b": 2}})


def test_the_schemas_the_editor_hints_point_at_are_the_plan_and_owners_schemas() -> None:
    from yotplan.plans.json_schema import owners_schema, plan_schema, render_schema

    assert schema_files() == {
        "schema/plan.schema.json": render_schema(plan_schema()),
        "schema/owners.schema.json": render_schema(owners_schema()),
    }
