"""`yotplan search`: every recommendation and action whose text holds all the given words."""

from __future__ import annotations

from typing import Annotated

import typer

from yotplan.cli.app import app
from yotplan.cli.options import (
    Format,
    ListFormat,
    OwnerFilter,
    PlansDirs,
    PlansList,
    SourceFilter,
    Today,
    resolve_today,
    usage_error,
)
from yotplan.cli.output import print_renderable
from yotplan.cli.reading import finish, read_plans
from yotplan.cli.views import emit, filters_for


@app.command()
def search(
    text: Annotated[
        list[str],
        typer.Argument(
            metavar="TEXT",
            show_default=False,
            help="Words that must all occur in an item (any case, in any of its fields, inside words too).",
        ),
    ],
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    fmt: Format = ListFormat.table,
) -> None:
    """Recommendations and actions holding all the given words, anywhere.

    Any case, inside words too: ids, text, titles, measures, updates, evidence, owners and their roles.

    Example: yotplan search camhs board --source HMIP
    """
    from yotplan.render.columns import SEARCH_COLUMNS, search_json, with_service
    from yotplan.views.search import query_words, search_plans

    if not query_words(text):
        usage_error("give at least one word to search for", "TEXT")
    judged = read_plans(plans_dirs, plans_list, resolve_today(today))
    result = search_plans(judged.plan_sets, text, filters_for(judged.plan_sets, source, owner))
    typed = " ".join(" ".join(text).split())
    if fmt is ListFormat.table and result.hits:
        from yotplan.render.search import search_renderable

        columns = with_service(SEARCH_COLUMNS, len(judged.results))
        print_renderable(lambda width: search_renderable(result, columns, width))
    else:
        data = {"query": typed, "matches": search_json(result.hits)}
        emit(fmt, SEARCH_COLUMNS, result.hits, data, judged, count="", empty=f"no matches for {typed!r}")
    finish(judged)
