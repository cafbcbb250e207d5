"""Board papers and history: report, diff, history, calendar."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yotplan.cli.app import app
from yotplan.cli.completion import complete_item_ids, complete_owner_keys
from yotplan.cli.options import PlansDir, PlansDirs, PlansList, SourceFilter, Today, resolve_today, usage_error
from yotplan.cli.output import print_notes, print_renderable, print_text, write_stdout
from yotplan.cli.reading import finish, plans_folder, plans_folders, read_plans
from yotplan.cli.settings import load_settings

if TYPE_CHECKING:
    from yotplan.plans.planset import PlanSet
    from yotplan.problems import Problem
    from yotplan.report.board import Report
    from yotplan.views.queries import Filters


class ReportFormat(StrEnum):
    html = "html"
    markdown = "markdown"


class ReportPages(StrEnum):
    """Which part of the report: all of it, or only what the meeting reads."""

    all = "all"
    meeting = "meeting"


class ChangesFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to this file instead of stdout.", dir_okay=False, writable=True
    ),
]
ChangesFormatOption = Annotated[
    ChangesFormat, typer.Option("--format", "-f", metavar="[table|json|markdown]", help="Output format.")
]
OwnerOnly = Annotated[
    list[str] | None,
    # No -o: here it is --output, as everywhere a command writes a file.
    typer.Option(
        "--owner", metavar="OWNER", help="Only this owner key; repeatable.", autocompletion=complete_owner_keys
    ),
]


def _filters(plans: PlanSet, sources: list[str] | None, owners: list[str] | None) -> Filters:
    """--source and --owner checked exactly as `status` checks them (an unknown value is a usage
    error naming the closest known one), with each source id as its plan spells it."""
    from yotplan.cli.views import filters_for
    from yotplan.views.queries import as_spelled_in

    return as_spelled_in(filters_for([plans], sources, owners), plans)


def _refuse_filters(*, since: str | None, source: list[str] | None, owner: list[str] | None) -> None:
    """The regional report shows every service whole: owner keys and source ids are each
    service's own (every inspected service has an HMIP, and its yot-manager is another
    service's), and each service's git history is its own."""
    if owner:
        usage_error("owners are each service's own: for one owner, report on that service's plans folder", "--owner")
    if source:
        usage_error(
            "the report over several services shows every source; for one source, report on one service's folder",
            "--source",
        )
    if since is not None:
        usage_error(
            "each service's history is its own: for the changes since REV, report on one service's folder", "--since"
        )


def _write(content: str | bytes, output: Path | None) -> None:
    """Content to the file (UTF-8, as is) or to stdout."""
    if output is None:
        write_stdout(content)
        return
    from yotplan.edit.safe_write import write_output

    data = content.encode("utf-8") if isinstance(content, str) else content
    write_output(output, data)  # atomic, and never through a link (SECURITY.md, "Outputs")


def _warn(problems: Sequence[Problem], skipped: Sequence[str] = ()) -> None:
    """Files that could not be read at a revision: their problems, and what was left out."""
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if skipped:
        sys.stderr.write(f"yotplan: note: not compared, unreadable at one side: {', '.join(skipped)}\n")


@app.command()
def report(
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    output: Output = None,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", metavar="[html|markdown]", help="html (one self-contained page) or markdown."),
    ] = ReportFormat.html,
    since: Annotated[
        str | None, typer.Option("--since", metavar="REV", help="Add the changes since this git revision.")
    ] = None,
    source: SourceFilter = None,
    owner: OwnerOnly = None,
    meeting: Annotated[
        str | None,
        typer.Option(
            "--meeting",
            "-m",
            metavar="BOARD@YYYY-MM-DD",
            help="Report for this meeting in boards.yaml: as at its date (one already held: the plans as "
            "committed that day), with the changes since the board's previous meeting and the RAG at each "
            "of its last 12 meetings (from git).",
        ),
    ] = None,
    pages: Annotated[
        ReportPages,
        typer.Option(
            "--pages", metavar="[all|meeting]", help="meeting: only the part for the meeting, for a Board pack."
        ),
    ] = ReportPages.all,
) -> None:
    """The Board report, as one HTML page or as Markdown.

    First what the meeting reads (at most two A4 pages): a summary, a chart and counts by
    source and RAG, the ten most overdue actions. Then the detail: with --since the changes
    since a revision, overdue and due-soon actions by recommendation, owners' workload, and
    every recommendation in full. --source and --owner narrow it, as for status.

    Over several services (--plans repeated, or --plans-list), a regional report: services by
    RAG, the services with the most overdue actions, the themes most often late, then a page
    per service. It shows every service whole: no --source, --owner or --since.

    With --meeting, for a meeting of a board: as at its date, the changes since the board's
    previous meeting, and a chart of the recommendations by RAG at each of its last 12 meetings.
    A meeting already held (before --today) is reported as the plans stood on its day.

    Printed, every page is A4 and numbered, with the service and the as-at date at its foot;
    --pages meeting prints only the part for the meeting (at most two pages), for the Board pack.

    Example: yotplan report --meeting yot-board@2022-09-13 -o board-report.html
    """
    import dataclasses

    from yotplan.report.board import render_report

    folders = plans_folders(plans_dirs, plans_list)
    day = resolve_today(today)
    as_at = _meeting_day(meeting, since=since, several=len(folders) > 1) if meeting is not None else day
    if len(folders) > 1:
        _refuse_filters(since=since, source=source, owner=owner)
    judged = read_plans(folders, None, day)
    if len(judged.results) > 1:
        from yotplan.report.regional import build_regional_report, render_regional_report

        regional = build_regional_report(judged.plan_sets, day)
        _write(render_regional_report(regional, fmt.value), output)
        finish(judged)
        return
    plans = judged.plan_sets[0]
    report = _service_report(plans, day, as_at, since, meeting, _filters(plans, source, owner))
    if pages is ReportPages.meeting:
        report = dataclasses.replace(report, meeting_part_only=True)
    _write(render_report(report, fmt.value), output)
    finish(judged)


def _service_report(
    plans: PlanSet, day: date, as_at: date, since: str | None, meeting: str | None, filters: Filters
) -> Report:
    """One service's Board report: with the changes since `since`, or for `meeting` (the plans as
    they stood then); what git could not read is named on stderr."""
    from yotplan.report.board import build_report

    changes = None
    history = None
    if since is not None:
        from yotplan.history.revisions import compare_revisions

        changes = compare_revisions(Path(plans.root), since, plans=plans, settings=load_settings())
        _warn(changes.problems, changes.skipped)
    if meeting is not None:
        from yotplan.history.meetings import for_meeting

        paper = for_meeting(plans, meeting, day, load_settings())
        print_notes([paper.history.note] if paper.history.note else [])
        _warn(paper.problems, paper.changes.skipped if paper.changes else ())
        plans, history, changes = paper.plans, paper.history, paper.changes
    return build_report(plans, as_at, changes=changes, filters=filters, meeting=history)


def _meeting_day(meeting: str, *, since: str | None, several: bool) -> date:
    """The date of `--meeting BOARD@YYYY-MM-DD`, which is the report's as-at date; a usage error
    for a malformed id or an option it replaces."""
    if since is not None:
        usage_error("--meeting takes the changes since the board's previous meeting; leave out --since", "--since")
    if several:
        usage_error("meetings are each service's own: report for a meeting on that service's folder", "--meeting")
    from yotplan.plans.planset import parse_meeting_id

    parsed = parse_meeting_id(meeting)
    if parsed is not None:
        return parsed[1]
    usage_error(f"{meeting!r} is not a meeting: write BOARD@YYYY-MM-DD, e.g. yot-board@2022-09-13", "--meeting")


@app.command()
def diff(
    rev: Annotated[
        str | None, typer.Argument(metavar="[REV]", help="Compare from this revision (default: last tag, else HEAD~1).")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="REV", help="Compare to this revision instead of the working tree.")
    ] = None,
    plans_dir: PlansDir = None,
    fmt: ChangesFormatOption = ChangesFormat.table,
) -> None:
    """What changed in the plans between two git revisions.

    Actions added or removed, status, completions, owners, updates, due dates moved (slipped ones first,
    with the reason logged), indicators and their readings, impact evidence, sign-offs and meetings added.

    Example: yotplan diff v1.0 --to HEAD --format markdown
    """
    from yotplan.history.revisions import compare_revisions
    from yotplan.render import changes as render

    comparison = compare_revisions(plans_folder(plans_dir), rev, to, settings=load_settings())
    _warn(comparison.problems, comparison.skipped)
    if fmt is ChangesFormat.json:
        from yotplan.render.data import render_json

        print_text(render_json(comparison.as_json()))
    elif fmt is ChangesFormat.markdown:
        print_text(render.changes_markdown(comparison))
    else:
        print_renderable(lambda _: render.changes_table(comparison))


@app.command()
def history(
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A recommendation, action or indicator id, any case.", autocompletion=complete_item_ids
        ),
    ],
    plans_dir: PlansDir = None,
    fmt: ChangesFormatOption = ChangesFormat.table,
) -> None:
    """Every commit that changed one action, recommendation or indicator.

    For each: date, author, commit and what changed (for a recommendation, its actions too).

    Example: yotplan history HMIP-1.1
    """
    from yotplan.history.revisions import item_history
    from yotplan.render import changes as render

    timeline = item_history(plans_folder(plans_dir), item_id, load_settings())
    _warn(timeline.problems)
    print_notes(timeline.notes)
    if fmt is ChangesFormat.json:
        from yotplan.render.data import render_json

        print_text(render_json(timeline.as_json()))
    elif fmt is ChangesFormat.markdown:
        print_text(render.history_markdown(timeline))
    else:
        print_renderable(lambda _: render.history_table(timeline))


@app.command()
def calendar(
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    output: Output = None,
    owner: OwnerOnly = None,
) -> None:
    """Open actions' due dates as an iCalendar (.ics) file.

    One all-day event each, for owners to import or subscribe to. Event ids are stable:
    re-importing updates the events, never duplicates them. Each event's SEQUENCE counts the
    commits that changed its date, title, owner or status, so calendars take the change.
    --owner keeps one owner's.

    Example: yotplan calendar --owner yot-manager -o due.ics
    """
    from yotplan.cli.views import filters_for
    from yotplan.history.sequence import services_event_revisions
    from yotplan.report.ics import build_calendar

    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    owners = tuple(dict.fromkeys(filters_for(judged.plan_sets, None, owner).owners))
    revisions, warnings = services_event_revisions(judged.plan_sets, day, load_settings())  # SEQUENCE, from git
    print_notes(warnings)
    calendar_file = build_calendar(judged.plan_sets, day, owners=owners, revisions=revisions)
    _write(calendar_file.ics, output)
    print_notes(calendar_file.left_out)
    finish(judged)
