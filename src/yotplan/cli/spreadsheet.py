"""Spreadsheets: import (an action-plan workbook or CSV -> plan files) and export (the Board pack as .xlsx).

openpyxl is imported only when one of these commands runs; see docs/spreadsheets.md.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from yotplan.cli.app import app
from yotplan.cli.completion import complete_owner_keys
from yotplan.cli.exit_codes import end_run
from yotplan.cli.options import (
    PlansDirs,
    PlansList,
    SourceFilter,
    Today,
    date_option,
    resolve_today,
    usage_error,
)
from yotplan.cli.output import print_problems, print_text
from yotplan.cli.reading import finish, read_plans


@app.command("import")
def import_plan(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The action plan: .xlsx or .csv.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="New (or empty) plans folder for the plan and owners.yaml.",
            file_okay=False,
        ),
    ],
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="Source id, e.g. HMIP (default: from the file name).")
    ] = None,
    source_title: Annotated[
        str | None, typer.Option("--source-title", help="The report's title (default: the sheet's title cell).")
    ] = None,
    sheet: Annotated[
        list[str] | None,
        typer.Option("--sheet", help="A sheet to read, as its own source; repeatable (default: the one that opens)."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="HEADER=FIELD", help="Read this column as this field; repeatable."),
    ] = None,
    as_of: Annotated[
        date | None,
        date_option(
            "--as-of",
            help="The day the sheet was last true: progress notes and completions are dated with it "
            "(default: a date the sheet's title block states, else the file's modified date).",
        ),
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option("--delimiter", metavar="CHAR", help="A CSV's delimiter: , ; or tab (default: found).")
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", metavar="NAME", help="A CSV's encoding (default: UTF-8, with or without BOM, else cp1252)."
        ),
    ] = None,
    today: Annotated[
        date | None,
        date_option("--today", help="The day the result is checked on (default: today).", envvar="YOTPLAN_TODAY"),
    ] = None,
) -> None:
    """Turn an action-plan spreadsheet into a plan file and owners.yaml.

    Finds the header row (a title block may come first) and the columns by their words; reads merged
    and repeated recommendations and sub-refs, dates as UK plans write them (31/03/23, Sept 23,
    Q2 2023/24; ongoing and TBC make undated actions), statuses from words, RAG or progress text, and
    leads as owners. Every row that holds an action is placed; what needed a guess is listed by kind
    as FILE:ROW, quoted in the plan and left for `check` to warn about. Exits 1 only when a row could
    not be placed. Never overwrites: -o must be a new or empty folder. Fields for --map: ref,
    recommendation, rec-owner, action-ref, action, owner, due, status, rag, completed, update,
    evidence, measure, none.

    Example: yotplan import action-plan.xlsx -o imported --source-id HMIP --as-of 2024-02-14
    """
    from yotplan.plans.loader import display_path
    from yotplan.spreadsheet.columns import parse_override
    from yotplan.spreadsheet.errors import BadOption, ImportRefused
    from yotplan.spreadsheet.interpretation import ImportOptions, check_source_id
    from yotplan.spreadsheet.plan_import import import_spreadsheet

    delimiter, encoding = _csv_options(delimiter, encoding)
    try:
        options = ImportOptions(
            today=resolve_today(today),
            as_of=as_of,
            source_id=check_source_id(source_id.strip()) if source_id is not None else None,
            source_title=(" ".join(source_title.split()) or None) if source_title is not None else None,
            sheets=tuple(sheet or ()),
            overrides=tuple(parse_override(m) for m in mapping or ()),
            delimiter=delimiter,
            encoding=encoding,
        )
        result = import_spreadsheet(file, output, options)
    except BadOption as exc:
        usage_error(str(exc), exc.param)
    except ImportRefused as exc:
        sys.stderr.write("".join(f"{line}\n" for line in exc.details))
        raise
    print_text("".join(f"{line}\n" for plan in result.plans for line in _what_was_read(plan)))
    left_out = [line for plan in result.plans for line in plan.not_placed_lines()]
    if left_out:
        sys.stderr.write("rows not placed:\n" + "".join(f"  {line}\n" for line in left_out))
    created = [*result.plan_paths, result.owners_path]
    print_text("".join(f"created {display_path(path)}\n" for path in created))
    print_text("".join(f"{plan.counts}\n" for plan in result.plans))
    # What the guard found in the written files, as `check` would say it: a progress column
    # often holds a child's name or date of birth, and the file is about to be committed.
    print_problems(result.problems)
    end_run(problems=bool(result.not_placed) or any(p.severity == "error" for p in result.problems))


def _csv_options(delimiter: str | None, encoding: str | None) -> tuple[str | None, str | None]:
    """`--delimiter` (a word or one character) and `--encoding` checked: usage errors otherwise."""
    import codecs

    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(delimiter.casefold(), delimiter)
        if len(delimiter) != 1 or delimiter in '"\r\n':
            usage_error(f"{delimiter!r} is not a delimiter: give one character, such as , ; or tab", "--delimiter")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            usage_error(f"{encoding!r} is not an encoding Python knows, such as utf-8 or cp1252", "--encoding")
    return delimiter, encoding


def _what_was_read(plan: Any) -> list[str]:
    """What import says of one sheet: its columns, its status, its as-of date, and its guesses."""
    from yotplan.spreadsheet.interpretation import status_sentence

    where = f'sheet "{plan.sheet.name}", ' if plan.sheet.name else ""
    lines = [f"columns ({where}header on row {plan.header.row.number}):"]
    for column in plan.header.columns:
        lines.append(f"  {column.header} -> {column.field or '(not used: ' + column.why_unused + ')'}")
    lines.append(status_sentence(plan))
    lines.append(f"As of {plan.as_at}: {plan.as_at_reason}.")
    for heading, found in plan.grouped():
        lines.append(f"{heading}:")
        lines.extend(f"  {line}" for line in found)
    return lines


@app.command("export")
def export_workbook(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE.xlsx", help="The workbook to write.", dir_okay=False)
    ],
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    source: SourceFilter = None,
    owner: Annotated[
        list[str] | None,
        typer.Option(
            "--owner", metavar="OWNER", help="Only this owner key; repeatable.", autocompletion=complete_owner_keys
        ),
    ] = None,
) -> None:
    """The Board pack as an .xlsx workbook: Summary, Recommendations, Actions, Overdue, Indicators.

    Over several plans folders, a regional workbook instead: Services, Overdue, and Indicators
    not on track (by exception). Real dates, RAG cells in colour, frozen headers and filters;
    no cell is ever a formula. The same plans on the same --today give the same file. Written
    atomically, never to stdout.

    Example: yotplan export -o board-pack.xlsx --today 2022-10-01
    """
    if str(output) == "-":
        usage_error("a workbook is a binary file; give a file name ending in .xlsx", "--output")
    if output.suffix.lower() != ".xlsx":
        usage_error(f"{str(output)!r}: the Board pack is an .xlsx workbook; give a name ending in .xlsx", "--output")
    from yotplan.cli.views import filters_for
    from yotplan.plans.loader import display_path
    from yotplan.spreadsheet.workbook import build_regional_workbook, build_workbook, write_workbook

    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    if len(judged.results) > 1:
        if source or owner:
            usage_error("narrows one service's Board pack; a regional workbook covers every one", "--source/--owner")
        data, summary = build_regional_workbook(judged.plan_sets, day)
    else:
        plans = judged.plan_sets[0]
        data, summary = build_workbook(plans, day, filters_for([plans], source, owner))
    write_workbook(output, data)
    print_text(f"wrote {display_path(output)}: {summary.describe()}\n")
    finish(judged)
