"""Spreadsheets: import (an action-plan workbook or CSV -> plan files) and export (the Board pack as .xlsx).

openpyxl is imported only when one of these commands runs; see docs/spreadsheets.md.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from yotplan.cli.app import app
from yotplan.cli.completion import complete_owner_keys
from yotplan.cli.exit_codes import end_run
from yotplan.cli.options import PlansDirs, PlansList, SourceFilter, Today, date_option, resolve_today, usage_error
from yotplan.cli.output import print_problems, print_text
from yotplan.cli.reading import finish, judge_plans, read_plans


@app.command("import")
def import_plan(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The action plan: .xlsx or .csv.")],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="DIR", help="New plans folder for the plan and owners.yaml.", file_okay=False
        ),
    ],
    source_id: Annotated[
        str | None, typer.Option("--source-id", help="Source id, e.g. HMIP (default: from the file name).")
    ] = None,
    source_title: Annotated[
        str | None, typer.Option("--source-title", help="The report's title (default: the sheet's title cell).")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="The sheet to read (default: the one that opens).")
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="HEADER=FIELD", help="Read this column as this field; repeatable."),
    ] = None,
    today: Annotated[
        date | None,
        date_option(
            "--today",
            help="As-at date for completions and notes when the sheet has no 'Last updated' date.",
            envvar="YOTPLAN_TODAY",
        ),
    ] = None,
) -> None:
    """Turn an action-plan spreadsheet into a plan file and owners.yaml.

    Finds the header row (a title block may come first) and guesses each column's field; reads merged
    and repeated recommendations, UK and Excel dates, statuses (or RAG colours), leads as owners.
    Rows it cannot place are listed as FILE:ROW: why, the rest is written, and it exits 1.
    Never overwrites a file. Fields for --map: ref, recommendation, rec-owner, action-ref, action,
    owner, due, status, rag, completed, update, evidence, measure, none.

    Example: yotplan import action-plan.xlsx -o imported --source-id HMIP --map "Lead Officer=owner"
    """
    from yotplan.plans.loader import display_path
    from yotplan.spreadsheet.columns import parse_override
    from yotplan.spreadsheet.errors import BadOption, ImportRefused
    from yotplan.spreadsheet.plan_import import ImportOptions, check_source_id, import_spreadsheet, status_sentence

    try:
        options = ImportOptions(
            today=resolve_today(today),
            source_id=check_source_id(source_id.strip()) if source_id is not None else None,
            source_title=(" ".join(source_title.split()) or None) if source_title is not None else None,
            sheet=sheet,
            overrides=tuple(parse_override(m) for m in mapping or ()),
        )
        result = import_spreadsheet(file, output, options)
    except BadOption as exc:
        usage_error(str(exc), exc.param)
    except ImportRefused as exc:
        sys.stderr.write("".join(f"{line}\n" for line in exc.details))
        raise
    plan = result.plan
    where = f'sheet "{plan.sheet.name}", ' if plan.sheet.name else ""
    lines = [f"columns ({where}header on row {plan.header.row.number}):"]
    for column in plan.header.columns:
        lines.append(f"  {column.header} -> {column.field or '(not used: ' + column.why_unused + ')'}")
    lines.append(status_sentence(plan))
    lines.extend(plan.lines("notes"))
    print_text("".join(f"{line}\n" for line in lines))
    sys.stderr.write("".join(f"{line}\n" for line in plan.lines("warnings") + plan.lines("not_placed")))
    print_text(f"created {display_path(result.plan_path)}\ncreated {display_path(result.owners_path)}\n")
    print_text(plan.counts + "\n")
    # What the guard finds in the written files, as `check` would say it: a progress column
    # often holds a child's name or date of birth, and the file is about to be committed.
    written = judge_plans([result.plan_path.parent], options.today, every_rule=False)
    print_problems(written.problems)
    end_run(problems=bool(plan.not_placed) or written.has_errors)


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

    Real dates, RAG cells in colour, frozen headers and filters; no cell is ever a formula.
    The same plans on the same --today give the same file. Written atomically, never to stdout.

    Example: yotplan export -o board-pack.xlsx --today 2022-10-01
    """
    if str(output) == "-":
        usage_error("a workbook is a binary file; give a file name ending in .xlsx", "--output")
    if output.suffix.lower() != ".xlsx":
        usage_error(f"{str(output)!r}: the Board pack is an .xlsx workbook; give a name ending in .xlsx", "--output")
    from yotplan.cli.views import filters_for
    from yotplan.plans.loader import display_path
    from yotplan.spreadsheet.workbook import build_workbook, write_workbook

    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    if len(judged.results) > 1:
        usage_error("the Board pack covers one plans folder", "--plans")
    plans = judged.plan_sets[0]
    data, summary = build_workbook(plans, day, filters_for([plans], source, owner))
    write_workbook(output, data)
    print_text(
        f"wrote {display_path(output)}: {summary.recommendations} recommendations, {summary.actions} actions, "
        f"{summary.overdue} overdue (as at {summary.today})\n"
    )
    finish(judged)
