"""Has it made a difference: indicators, readings, and a board's sign-off."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from yotplan.cli.app import app
from yotplan.cli.completion import complete_indicator_ids, complete_recommendation_ids
from yotplan.cli.edit import apply_in, text_option
from yotplan.cli.options import (
    Format,
    ListFormat,
    OwnerFilter,
    PlansDirs,
    PlansList,
    SourceFilter,
    Today,
    resolve_today,
)
from yotplan.cli.reading import finish, read_plans
from yotplan.cli.written_values import written_date_option


@app.command()
def indicators(
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    source: SourceFilter = None,
    owner: OwnerFilter = None,
    fmt: Format = ListFormat.table,
) -> None:
    """The numbers that show impact: baseline, target, latest reading, on track or not.

    On track: the latest reading is at or better than the straight line from baseline to target on its date.
    "since baseline" is the latest reading minus the baseline; "since previous", minus the reading before.

    Example: yotplan indicators --format json
    """
    from yotplan.cli.views import emit, filters_for
    from yotplan.render.columns import INDICATOR_COLUMNS
    from yotplan.render.data import plural
    from yotplan.views.indicators import indicators_view

    day = resolve_today(today)
    judged = read_plans(plans_dirs, plans_list, day)
    rows = indicators_view(judged.plan_sets, day, filters_for(judged.plan_sets, source, owner))
    data = {"today": day.isoformat(), "indicators": [row.as_json() for row in rows]}
    on_track = sum(row.on_track is True for row in rows)
    count = f"{plural(len(rows), 'indicator')}, {on_track} on track (as at {day.isoformat()})"
    emit(
        fmt,
        INDICATOR_COLUMNS,
        rows,
        data,
        judged,
        count=count,
        empty="No indicators yet: add one with `yotplan add indicator`.",
    )
    finish(judged)


@app.command()
def record(
    indicator_id: Annotated[
        str,
        typer.Argument(metavar="INDICATOR_ID", help="The indicator, any case.", autocompletion=complete_indicator_ids),
    ],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The value measured, e.g. 75, 12.5 or 60%.")],
    on: Annotated[
        date | None,
        written_date_option(
            "--date", help="When it was measured (default: today; not later, nor before the baseline)."
        ),
    ] = None,
    note: Annotated[str | None, text_option("--note", help="Where the number comes from, or what it means.")] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the reading already recorded on that date.")
    ] = False,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Record a reading of an indicator.

    A value worse than the baseline is recorded as it is (check warns about it). A reading dated
    before the baseline is refused, and so is a second one on the same date unless --replace.

    Example: yotplan record HMIP-1-camhs-attendance 75% --date 2022-09-14 --note "3 of 4 meetings"
    """
    from yotplan.edit.operations import record_reading

    apply_in(
        plans_dirs,
        plans_list,
        today,
        lambda session, bare: record_reading(session, bare, value, on, note, replace=replace),
        indicator_id,
    )


@app.command()
def signoff(
    rec_id: Annotated[
        str,
        typer.Argument(
            metavar="RECOMMENDATION_ID",
            help="The recommendation the board signs off.",
            autocompletion=complete_recommendation_ids,
        ),
    ],
    meeting: Annotated[
        str, typer.Option("--meeting", "-m", metavar="BOARD@YYYY-MM-DD", help="The meeting that signed it off.")
    ],
    note: Annotated[str | None, text_option("--note", help="What the board said.")] = None,
    reason: Annotated[
        str | None, text_option("--reason", help="Why the board closes it although its impact is not shown.")
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
) -> None:
    """Record a board's sign-off of a recommendation (closure: meeting, date, note).

    The rule: a board can sign a recommendation off when every action is done or dropped and every
    indicator has a reading at or better than its target, whatever the reading's date (with no
    indicator, when impact evidence is recorded). Anything else is refused, naming what is missing,
    unless --reason says why the board closes it anyway; the reason is kept in the file.

    Example: yotplan signoff HMIP-3 --meeting yot-board@2023-03-14 --note "Evidence accepted"
    """
    from yotplan.edit.operations import sign_off

    apply_in(
        plans_dirs, plans_list, today, lambda session, bare: sign_off(session, bare, meeting, note, reason), rec_id
    )
