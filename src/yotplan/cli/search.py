"""`yotplan search`: every recommendation and action whose text holds all the given words."""

from __future__ import annotations

from typing import Annotated

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
    load_or_fail,
    print_renderable,
    usage_error,
)
from yotplan.cli.views import _emit, _filters


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
    plans_dir: PlansDir = DEFAULT_PLANS,
    today: Today = None,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    fmt: Format = ListFormat.table,
) -> None:
    """Recommendations and actions holding all the given words, anywhere.

    Any case, inside words too: ids, text, titles, measures, updates, evidence, owners and their roles.

    Example: yotplan search camhs board --source HMIP
    """
    from yotplan.render.columns import SEARCH_COLUMNS, search_json
    from yotplan.views.search import query_words, search_plans

    if not query_words(text):
        usage_error("give at least one word to search for", "TEXT")
    plans = load_or_fail(plans_dir)
    result = search_plans(plans, text, _filters(plans, source, owner))
    if fmt is ListFormat.table and result.hits:
        from yotplan.render.search import search_renderable

        print_renderable(lambda width: search_renderable(result, SEARCH_COLUMNS, width))
    else:
        typed = " ".join(" ".join(text).split())
        _emit(fmt, SEARCH_COLUMNS, result.hits, search_json(result.hits), f"no matches for {typed!r}")
