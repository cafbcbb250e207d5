"""Read-only views: status, overdue, upcoming, owners, show."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from yotplan.cli.app import (
    DEFAULT_PLANS,
    Format,
    ListFormat,
    OwnerFilter,
    PlansDir,
    SourceFilter,
    Today,
    app,
    check_choices,
    load_or_fail,
    print_renderable,
    print_text,
    resolve_today,
)
from yotplan.cli.completion import complete_item_ids

if TYPE_CHECKING:
    from yotplan.plans.planset import PlanSet
    from yotplan.render.columns import Column
    from yotplan.views.queries import Filters


class RagChoice(StrEnum):
    red = "red"
    amber = "amber"
    green = "green"
    complete = "complete"
    dropped = "dropped"


def _filters(plans: PlanSet, sources: list[str] | None, owners: list[str] | None, rags: Sequence[str] = ()) -> Filters:
    from yotplan.views.queries import Filters

    known_sources = [doc.model.source.id for doc in plans.plans]
    known_owners = sorted({*plans.owners, *(a.action.owner for a in plans.actions() if a.action.owner)})
    return Filters(
        sources=check_choices(sources, known_sources, "--source", fold=True),
        owners=check_choices(owners, known_owners, "--owner"),
        rags=tuple(rags),
    )


def _emit(fmt: ListFormat, columns: Sequence[Column], rows: Sequence[Any], json_data: Any, empty: str) -> None:
    """Print rows in the chosen format; the table says so in words when there are none."""
    if fmt is ListFormat.json:
        from yotplan.render.data import render_json

        print_text(render_json(json_data))
    elif fmt is ListFormat.csv:
        from yotplan.render.data import render_csv

        print_text(render_csv(columns, rows))
    elif fmt is ListFormat.markdown:
        from yotplan.render.data import render_markdown

        print_text(render_markdown(columns, rows))
    elif not rows:
        print_text(empty + "\n")
    else:
        from yotplan.render.tables import list_table

        print_renderable(lambda width: list_table(columns, rows, width))


@app.command()
def status(
    plans_dir: PlansDir = DEFAULT_PLANS,
    today: Today = None,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    rag: Annotated[list[RagChoice] | None, typer.Option("--rag", "-r", help="Only this RAG; repeatable.")] = None,
    soon: Annotated[int, typer.Option(min=0, help="Not-started actions due within this many days are amber.")] = 14,
    fmt: Format = ListFormat.table,
) -> None:
    """One row per recommendation: owner, progress, next due, RAG.

    Example: yotplan status --source HMIP --rag red --today 2022-06-01
    """
    from yotplan.render.columns import STATUS_COLUMNS
    from yotplan.views.queries import status_view

    plans = load_or_fail(plans_dir)
    filters = _filters(plans, source, owner, [r.value for r in rag or ()])
    view = status_view(plans, resolve_today(today), soon, filters)
    if fmt is ListFormat.table:
        from yotplan.render.tables import status_renderable

        print_renderable(lambda width: status_renderable(view, STATUS_COLUMNS, width))
    else:
        _emit(fmt, STATUS_COLUMNS, view.recommendations, view.as_json(), "")


@app.command()
def overdue(
    plans_dir: PlansDir = DEFAULT_PLANS,
    today: Today = None,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    fail: Annotated[bool, typer.Option("--fail", help="Exit 1 when any action is overdue (for CI).")] = False,
    fmt: Format = ListFormat.table,
) -> None:
    """Open actions past their due date, most overdue first.

    Example: yotplan overdue --owner yot-manager --fail
    """
    from yotplan.render.columns import OVERDUE_COLUMNS, actions_json
    from yotplan.views.queries import overdue_actions

    plans = load_or_fail(plans_dir)
    actions = overdue_actions(plans, resolve_today(today), _filters(plans, source, owner))
    _emit(fmt, OVERDUE_COLUMNS, actions, actions_json(actions, "days_overdue"), "No overdue actions.")
    if fail and actions:
        raise typer.Exit(1)


@app.command()
def upcoming(
    plans_dir: PlansDir = DEFAULT_PLANS,
    today: Today = None,
    within: Annotated[int, typer.Option("--within", "-w", min=0, help="Days ahead to look.")] = 30,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    fmt: Format = ListFormat.table,
) -> None:
    """Open actions due in the next N days, soonest first.

    Example: yotplan upcoming --within 14 --format markdown
    """
    from yotplan.render.columns import UPCOMING_COLUMNS, actions_json
    from yotplan.views.queries import upcoming_actions

    plans = load_or_fail(plans_dir)
    actions = upcoming_actions(plans, resolve_today(today), within, _filters(plans, source, owner))
    _emit(
        fmt, UPCOMING_COLUMNS, actions, actions_json(actions, "days_left"), f"No open actions due within {within} days."
    )


@app.command()
def owners(
    plans_dir: PlansDir = DEFAULT_PLANS,
    today: Today = None,
    fmt: Format = ListFormat.table,
) -> None:
    """Per owner: open actions, overdue, and due within 30 days.

    Example: yotplan owners --format csv > owners.csv
    """
    from yotplan.render.columns import OWNER_COLUMNS, owners_json
    from yotplan.views.queries import owner_workload

    plans = load_or_fail(plans_dir)
    rows = owner_workload(plans, resolve_today(today))
    _emit(fmt, OWNER_COLUMNS, rows, owners_json(rows), "No owners.")


@app.command()
def show(
    item_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="A recommendation or action id, any case.", autocompletion=complete_item_ids),
    ],
    plans_dir: PlansDir = DEFAULT_PLANS,
    today: Today = None,
) -> None:
    """One recommendation or action in full, with updates and evidence.

    Example: yotplan show hmip-3
    """
    from yotplan.plans.planset import RecommendationRef
    from yotplan.render import tables
    from yotplan.views.queries import action_view, find_item, recommendation_view

    plans = load_or_fail(plans_dir)
    day = resolve_today(today)
    ref = find_item(plans, item_id)
    if isinstance(ref, RecommendationRef):
        print_renderable(lambda _: tables.show_recommendation(plans, ref, recommendation_view(plans, ref, day)))
    else:
        print_renderable(lambda _: tables.show_action(plans, ref, action_view(ref, day)))
