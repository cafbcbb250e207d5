"""Read-only views: status, overdue, upcoming, owners, show.

Each shows what loaded (one service or many), names on stderr what it could not show, and
exits 1 when the plans have errors: a colleague's broken file does not hide the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer

from yotplan.choices import RAGS
from yotplan.cli.app import app
from yotplan.cli.completion import complete_item_ids
from yotplan.cli.options import (
    Format,
    ListFormat,
    OwnerFilter,
    PlansDirs,
    PlansList,
    SourceFilter,
    Today,
    check_choices,
    choice_type,
    resolve_today,
    usage_error,
)
from yotplan.cli.output import print_renderable, print_text
from yotplan.cli.reading import finish, read_plans

if TYPE_CHECKING:
    from datetime import date

    from yotplan.history.meetings import MeetingState
    from yotplan.plans.planset import PlanSet
    from yotplan.render.columns import Column
    from yotplan.rules.checker import Judged
    from yotplan.views.queries import Filters


if TYPE_CHECKING:
    RagChoice = str
else:
    RagChoice = choice_type("RagChoice", RAGS)  # `--rag`'s choices: the RAGs of yotplan.choices


Soon = Annotated[
    int,
    typer.Option("--soon", metavar="DAYS", help="Not-started actions due within this many days are amber."),
]


def filters_for(
    plan_sets: Sequence[PlanSet], sources: list[str] | None, owners: list[str] | None, rags: Sequence[str] = ()
) -> Filters:
    """The filters of a command's --source/--owner/--rag options, each value known in the plans
    (a usage error, with "did you mean", otherwise)."""
    from yotplan.views.queries import Filters, known_owners, known_sources

    return Filters(
        sources=check_choices(sources, known_sources(plan_sets), "--source", fold=True),
        owners=check_choices(owners, known_owners(plan_sets), "--owner"),
        rags=tuple(rags),
    )


def with_problems(data: dict[str, Any], judged: Judged) -> dict[str, Any]:
    """A command's json with the problems found while reading the plans."""
    from yotplan.render.problems import problem_json

    return {**data, "problems": [problem_json(p) for p in judged.problems]}


def emit(
    fmt: ListFormat,
    columns: Sequence[Column],
    rows: Sequence[Any],
    json_data: dict[str, Any],
    judged: Judged,
    *,
    count: str,
    empty: str,
    markdown_foot: str = "",
) -> None:
    """Print rows in the chosen format. A table ends with its count line and says what it could
    not show; with no rows it says so in words. Markdown ends with `markdown_foot`."""
    from yotplan.render.columns import with_service

    columns = with_service(list(columns), len(judged.results))
    if fmt is ListFormat.json:
        from yotplan.render.data import render_json

        print_text(render_json(with_problems(json_data, judged)))
    elif fmt is ListFormat.csv:
        from yotplan.render.data import render_csv

        print_text(render_csv(columns, rows))
    elif fmt is ListFormat.markdown:
        from yotplan.render.data import render_markdown

        print_text(render_markdown(columns, rows) + markdown_foot)
    elif not rows:
        from yotplan.render.problems import left_out_line

        print_text("".join(f"{line}\n" for line in (empty, left_out_line(judged.files_left_out)) if line))
    else:
        from yotplan.render.problems import left_out_line
        from yotplan.render.tables import list_renderable

        foot = [left_out_line(judged.files_left_out)]
        print_renderable(lambda width: list_renderable(columns, rows, width, count=count, foot=foot))


def previous_meeting(plan_sets: Sequence[PlanSet], day: date, board: str | None) -> dict[str, MeetingState]:
    """The RAGs at the last meeting of `board` (or of the board that met last) before `day`;
    a usage error naming `--since-meeting` when there is no such board."""
    from yotplan.cli.settings import load_settings
    from yotplan.errors import UnknownId
    from yotplan.history.meetings import previous_states

    try:
        return previous_states(plan_sets, day, board, load_settings())
    except UnknownId as exc:
        usage_error(str(exc), "--since-meeting")


@app.command()
def status(
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    rag: Annotated[
        list[RagChoice] | None,
        typer.Option(
            "--rag",
            "-r",
            metavar="RAG",
            help=f"Only this RAG ({', '.join(RAGS)}); repeatable.",
        ),
    ] = None,
    soon: Soon = 14,
    since_meeting: Annotated[
        str | None,
        typer.Option(
            "--since-meeting",
            metavar="BOARD",
            help="Compare with this board's last meeting (default: the board that met last).",
        ),
    ] = None,
    fmt: Format = ListFormat.table,
) -> None:
    """One row per recommendation: owner, progress, next due, RAG, stage, and RAG since the last Board.

    Example: yotplan status --source HMIP --rag red --today 2022-06-01
    """
    from yotplan.render.columns import STATUS_COLUMNS, TRAVEL_COLUMN, with_service
    from yotplan.render.problems import left_out_line
    from yotplan.rules.plan_rules import STALE_DAYS
    from yotplan.views.queries import status_view

    if soon < 0:
        usage_error("must be 0 or more days", "--soon")
    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    filters = filters_for(judged.plan_sets, source, owner, [str(r) for r in rag or ()])
    previous = previous_meeting(judged.plan_sets, day, since_meeting)
    view = status_view(judged.plan_sets, day, soon, filters, previous)
    status_columns = STATUS_COLUMNS + ([TRAVEL_COLUMN] if previous else [])
    if fmt is ListFormat.table:
        from yotplan.render.tables import status_renderable

        columns = with_service(status_columns, len(judged.results))
        foot = [left_out_line(judged.files_left_out)]
        print_renderable(lambda width: status_renderable(view, columns, width, stale_days=STALE_DAYS, foot=foot))
    else:
        from yotplan.render.data import service_counts_markdown

        foot_md = service_counts_markdown(view.by_service)
        emit(
            fmt, status_columns, view.recommendations, view.as_json(), judged, count="", empty="", markdown_foot=foot_md
        )
    finish(judged)


@app.command()
def overdue(
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    fail: Annotated[
        bool, typer.Option("--fail", metavar="", help="Exit 1 when any action is overdue (for CI).")
    ] = False,
    fmt: Format = ListFormat.table,
) -> None:
    """Open actions past their due date, most overdue first.

    Example: yotplan overdue --owner yot-manager --fail
    """
    from yotplan.render.columns import OVERDUE_COLUMNS, actions_json
    from yotplan.render.data import plural
    from yotplan.views.queries import overdue_actions

    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    actions = overdue_actions(judged.plan_sets, day, filters_for(judged.plan_sets, source, owner))
    data = {"today": day.isoformat(), "actions": actions_json(actions, "days_overdue")}
    count = f"{plural(len(actions), 'overdue action')} (as at {day.isoformat()})"
    emit(fmt, OVERDUE_COLUMNS, actions, data, judged, count=count, empty="No overdue actions.")
    finish(judged, fail=fail and bool(actions))


@app.command()
def upcoming(
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    within: Annotated[int, typer.Option("--within", "-w", metavar="DAYS", help="Days ahead to look.")] = 30,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    fmt: Format = ListFormat.table,
) -> None:
    """Open actions due in the next N days, soonest first.

    Example: yotplan upcoming --within 14 --format markdown
    """
    from yotplan.render.columns import UPCOMING_COLUMNS, actions_json
    from yotplan.render.data import plural
    from yotplan.views.queries import upcoming_actions

    if within < 0:
        usage_error("must be 0 or more days", "--within")
    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    actions = upcoming_actions(judged.plan_sets, day, within, filters_for(judged.plan_sets, source, owner))
    data = {"today": day.isoformat(), "within": within, "actions": actions_json(actions, "days_left")}
    count = f"{plural(len(actions), 'open action')} due in the next {plural(within, 'day')}"
    emit(fmt, UPCOMING_COLUMNS, actions, data, judged, count=count, empty=f"No open actions due within {within} days.")
    finish(judged)


@app.command()
def owners(
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    fmt: Format = ListFormat.table,
) -> None:
    """Per owner: open actions, overdue, and due within 30 days.

    Example: yotplan owners --format csv > owners.csv
    """
    from yotplan.render.columns import OWNER_COLUMNS, owners_json
    from yotplan.render.data import plural
    from yotplan.views.queries import owner_workload

    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    rows = owner_workload(judged.plan_sets, day)
    data = {"today": day.isoformat(), "owners": owners_json(rows)}
    emit(fmt, OWNER_COLUMNS, rows, data, judged, count=plural(len(rows), "owner"), empty="No owners.")
    finish(judged)


def _unknown(exc: Exception, judged: Judged) -> Exception:
    """An unknown id's error, saying how many files did not load (the id may be in one)."""
    from yotplan.errors import UnknownId

    left_out = judged.files_left_out
    if not left_out:
        return exc
    return UnknownId(f"{exc} ({len(left_out)} file{'s' * (len(left_out) > 1)} did not load: see above)")


@app.command()
def show(
    item_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="A recommendation, action or indicator id, any case (SERVICE:ID with several services).",
            autocompletion=complete_item_ids,
        ),
    ],
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """One recommendation, action or indicator in full, with updates, evidence or readings.

    Example: yotplan show hmip-3
    """
    from yotplan.errors import UnknownId
    from yotplan.plans.planset import RecommendationRef
    from yotplan.render import tables
    from yotplan.views.queries import action_view, find_in_services, recommendation_view

    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    try:
        plans, ref = find_in_services(judged.plan_sets, item_id)
    except UnknownId as exc:
        from yotplan.views.indicators import find_indicator

        indicator = find_indicator(judged.plan_sets, day, item_id)
        if indicator is not None:
            print_renderable(lambda _: tables.show_indicator(indicator))
            finish(judged)
            return
        raise _unknown(exc, judged) from None
    if isinstance(ref, RecommendationRef):
        from yotplan.views.indicators import indicators_view

        rec_id = ref.recommendation.id
        indicators = [i for i in indicators_view(plans, day) if i.recommendation == rec_id]
        view = recommendation_view(plans, ref, day)
        print_renderable(lambda _: tables.show_recommendation(plans, ref, view, indicators))
    else:
        print_renderable(lambda _: tables.show_action(plans, ref, action_view(ref, day, service=plans.service)))
    finish(judged)
