"""rich renderables for the terminal. User text always goes in as `Text`, never as markup."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yotplan.plans.models import Action, Owner
from yotplan.plans.planset import ActionRef, PlanSet, RecommendationRef
from yotplan.render.columns import ALWAYS, Column, measurement, shorten
from yotplan.render.data import plural
from yotplan.rules.rag import RAG_KEY, RAGS, Rag
from yotplan.safe_text import visible
from yotplan.views.indicators import IndicatorView, describe_change, describe_indicator
from yotplan.views.queries import ActionView, RecommendationView, StatusView

MIN_WRAP_WIDTH = 20

RAG_STYLES = {
    "red": "bold red",
    "amber": "bold yellow",
    "green": "green",
    "delivered": "blue",
    "closed": "magenta",
    "dropped": "dim",
}


def rag_text(rag: str) -> Text:
    return Text(visible(rag), style=RAG_STYLES.get(rag, ""))


def fit_columns(columns: Sequence[Column], rows: Sequence[Any], width: int) -> list[Column]:
    """The columns that fit `width`, dropping the least needed first.

    rich would rather squeeze a wrapping column to nothing than drop one; choosing here
    keeps ids, dates and owner keys whole and long text readable at 40, 80 or 120 columns.
    A column fits when its text can wrap at MIN_WRAP_WIDTH and its keys break after hyphens.
    """
    kept = [c for c in columns if c.in_table]
    while sum(_need(c, rows, least=True) for c in kept) + 3 * len(kept) + 1 > width:
        droppable = [c for c in kept if c.keep < ALWAYS]
        if not droppable:
            break  # what is left must show; rich cuts the widest with an ellipsis
        kept.remove(min(droppable, key=lambda c: c.keep))
    return kept


def _need(column: Column, rows: Sequence[Any], *, least: bool = False) -> int:
    """How wide `column` wants to be: its longest value (or, with `least`, the narrowest it can
    go: a key's longest part between hyphens), and at most MIN_WRAP_WIDTH for text that wraps."""
    values = [column.header, *(column.value(r) for r in rows)]
    if column.wraps:
        return min(max(map(len, values)), max(MIN_WRAP_WIDTH, len(column.header)))
    if least and column.breaks:
        return max(len(part) for value in values for part in _key_parts(value))
    return max(map(len, values))


def _key_parts(key: str) -> list[str]:
    """`director-childrens-services` → `director-`, `childrens-`, `services`."""
    return re.findall(r"[^-]*-+|[^-]+$", key) or [key]


def _shared_widths(shown: Sequence[Column], rows: Sequence[Any], width: int) -> dict[str, int]:
    """How wide each wrapping text and breaking key column is, from what the others leave.

    A key column takes the widest of its keys that leaves the text beside it MIN_WRAP_WIDTH
    (all of them when there is room), and breaks the longer keys after hyphens; so at 80
    columns `status` shows the recommendation and its owner, and no third of the screen is empty.
    """
    wrapping = [c for c in shown if c.wraps]
    breaking = [c for c in shown if c.breaks]
    room = width - sum(_need(c, rows) for c in shown if not (c.wraps or c.breaks)) - 3 * len(shown) - 1
    widths: dict[str, int] = {}
    if breaking:
        budget = (room - sum(_need(c, rows) for c in wrapping)) // len(breaking)
        for c in breaking:
            fitting = [len(v) for v in (c.header, *(c.value(r) for r in rows)) if len(v) <= budget]
            widths[c.header] = max([_need(c, rows, least=True), *fitting])
    rest = room - sum(widths.values())
    for c in wrapping:
        widths[c.header] = max(MIN_WRAP_WIDTH, rest // len(wrapping))
    return widths


def _broken(key: str, width: int) -> str:
    """`key` over lines of at most `width`, broken only after a hyphen (one line when it fits)."""
    lines = [""]
    for part in _key_parts(key):
        if lines[-1] and len(lines[-1]) + len(part) > width:
            lines.append("")
        lines[-1] += part
    return "\n".join(lines)


def _cut(text: str, width: int, lines: int) -> str:
    """`text` cut at a word so that it wraps into at most `lines` lines of `width`."""
    room = width * lines - lines  # words do not fill every line to the end
    if len(text) <= room:
        return text
    cut = text[: room - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > room // 2 else cut).rstrip(" ,;:") + "…"


def list_table(columns: Sequence[Column], rows: Sequence[Any], width: int) -> Table:
    """A table of rows in the columns that fit `width`; a `rag` column is coloured. Ids, owner
    keys and dates are never cut; long text wraps, in full when there is room for it."""
    table = Table(header_style="bold")
    shown = fit_columns(columns, rows, width)
    widths = _shared_widths(shown, rows, width)
    for c in shown:
        justify: Any = c.justify
        if c.wraps:
            table.add_column(c.header, justify=justify, min_width=min(MIN_WRAP_WIDTH, len(c.header)))
        else:
            table.add_column(c.header, justify=justify, no_wrap=True, overflow="ellipsis")
    for row in rows:
        cells = []
        for c in shown:
            value = c.value(row)
            if c.header == "rag":
                cells.append(rag_text(value))
                continue
            if c.wraps:
                value = _cut(value, widths[c.header], c.max_lines)
            elif c.breaks:
                value = _broken(value, widths[c.header])
            cells.append(Text(visible(value)))
        table.add_row(*cells)
    return table


def summary_line(view: StatusView) -> Text:
    """`23 recommendations: 5 red, 3 amber, ...` with each count in its colour."""
    line = rag_counts(view.summary, len(view.recommendations))
    line.append(f"  (as at {view.today.isoformat()})", style="dim")
    return line


def rag_counts(counts: dict[Rag, int], total: int) -> Text:
    """`23 recommendations: 5 red, 3 amber, ...` (the RAGs there are), each count in its colour."""
    line = Text(f"{plural(total, 'recommendation')}: ")
    parts = [(f"{counts[rag]} {rag}", RAG_STYLES[rag]) for rag in RAGS if counts[rag]]
    for i, (part, style) in enumerate(parts):
        if i:
            line.append(", ")
        line.append(part, style=style)
    if not parts:
        line.append("none")
    return line


def service_lines(view: StatusView) -> list[Text]:
    """Over several services, a line each: `north: 3 recommendations: 2 red, 1 amber; 2 overdue
    actions`, so a regional meeting reads each service's count without adding up rows."""
    counts = view.by_service
    if not counts:
        return []
    lines = [Text("By service:", style="bold")]
    for count in counts:
        line = Text(f"  {visible(count.service)}: ")
        line.append_text(rag_counts(count.recommendations, count.total))
        line.append(f"; {plural(count.overdue, 'overdue action')}", style="bold red" if count.overdue else "")
        lines.append(line)
    return lines


def time_lines(view: StatusView, stale_days: int) -> list[Text]:
    """How current the plans are: the latest update and, when it is older than `stale_days`, what
    to do about it. A Board reading 22 red rows deserves to know they were last touched years ago."""
    latest = view.latest_update
    if latest is None:
        return [Text('No progress has been recorded yet: record it with `yotplan log ID "what happened"`.')]
    age = (view.today - latest).days
    when = "today" if age == 0 else plural(abs(age), "day") + (" ago" if age > 0 else " ahead")
    lines = [Text(f"Latest update {latest.isoformat()}, {when}.", style="dim")]
    if age > stale_days:
        lines.append(
            Text(
                f"Nothing has been recorded for {plural(age, 'day')}: record progress with "
                f'`yotplan log ID "what happened"`, or see the plans as they stood with --today {latest.isoformat()}.',
                style="yellow",
            )
        )
    return lines


def key_line(view: StatusView) -> Text:
    """How each RAG shown is reached, and the stages, under the status table (docs/plan-format.md)."""
    shown = {r.rag for r in view.recommendations}
    line = Text("Key: ", style="dim")
    for i, rag in enumerate(r for r in RAGS if r in shown):
        line.append(("; " if i else "") + rag, style=RAG_STYLES[rag])
        line.append(f": {RAG_KEY[rag]}", style="dim")
    line.append(
        ". Stages: open → delivered → impact-evidenced → closed "
        "(https://github.com/yotplan/yotplan/blob/main/docs/plan-format.md).",
        style="dim",
    )
    if view.since:
        line.append(f" then → now: since {view.since} (↑ better, ↓ worse, = the same).", style="dim")
    return line


def status_renderable(
    view: StatusView, columns: Sequence[Column], width: int, *, stale_days: int, foot: Sequence[str] = ()
) -> RenderableType:
    return Group(
        list_table(columns, view.recommendations, width),
        summary_line(view),
        *service_lines(view),
        key_line(view),
        *time_lines(view, stale_days),
        *(Text(visible(line), style="bold") for line in foot if line),
    )


def list_renderable(
    columns: Sequence[Column], rows: Sequence[Any], width: int, *, count: str, foot: Sequence[str] = ()
) -> RenderableType:
    """A list table with its count line (`18 overdue actions`) and any foot lines under it."""
    return Group(
        list_table(columns, rows, width), Text(count), *(Text(visible(line), style="bold") for line in foot if line)
    )


def _field(label: str, value: str | None) -> Text:
    text = Text(f"{label}: ", style="bold")
    text.append(visible(value or "-"))
    return text


def show_recommendation(
    plans: PlanSet, ref: RecommendationRef, view: RecommendationView, indicators: Sequence[IndicatorView] = ()
) -> RenderableType:
    """A recommendation in full: what it asks, who owns it, its stage, its indicators, impact
    evidence and sign-off, then each action."""
    rec = ref.recommendation
    parts: list[RenderableType] = [
        Text.assemble((visible(rec.id), "bold"), "  ", rag_text(view.rag), "  ", (visible(ref.doc.path), "dim")),
        Text(visible(" ".join(rec.text.split()))),
        _field("source", f"{ref.source_id}: {ref.doc.model.source.title}"),
        _field("to", rec.to),
        _field("owner", _owner_label(plans, rec.owner)),
        _field("related", ", ".join(rec.related)),
        _field("actions", f"{view.done}/{view.total} done"),
        _field("stage", view.stage),
    ]
    for indicator in indicators:
        parts.append(
            Text.assemble(("indicator ", "bold"), (visible(indicator.id), "bold"), "  ", rag_text(indicator.rag), "  ")
            + Text(visible(describe_indicator(indicator)))
        )
    for quote in rec.impact:
        parts.append(Text.assemble(("impact ", "bold"), visible(quote)))
    if rec.closure is not None:
        closure = rec.closure
        said = "".join(f"; {visible(text)}" for text in (closure.note, closure.reason) if text)
        parts.append(_field("signed off", f"{closure.meeting} ({closure.date}){said}"))
    for action_ref, action_view in zip(plans.actions_of(ref), view.actions, strict=True):
        parts.append(Text(""))
        parts.append(_action_block(plans, action_ref.action, action_view))
    return Group(*parts)


def show_indicator(indicator: IndicatorView) -> RenderableType:
    """An indicator in full: what it counts, baseline and target, every reading, and the two changes."""
    unit = indicator.unit
    on_track = {True: "yes", False: "no", None: "no reading yet"}[indicator.on_track]
    parts: list[RenderableType] = [
        Text.assemble((visible(indicator.id), "bold"), "  ", rag_text(indicator.rag)),
        Text(visible(indicator.name)),
        _field("recommendation", indicator.recommendation),
        _field("unit", unit),
        _field("better", indicator.better),
        _field("baseline", measurement(indicator.baseline, unit) or "not measured"),
        _field("target", measurement(indicator.target, unit, by=True)),
        _field("on track", on_track),
        _field("change", describe_change(indicator)),
    ]
    for reading in indicator.readings:
        said = f" ({visible(reading.note)})" if reading.note else ""
        parts.append(_field("reading", f"{measurement(reading, unit)}{said}"))
    return Group(*parts)


def show_action(plans: PlanSet, ref: ActionRef, view: ActionView) -> RenderableType:
    rec = ref.rec.recommendation
    head = Text.assemble(
        ("recommendation: ", "bold"), visible(rec.id), " ", Text(visible(shorten(rec.text)), style="dim")
    )
    return Group(_action_block(plans, ref.action, view, path=ref.rec.doc.path), head)


def _days(view: ActionView) -> str:
    if view.days_left is None:
        return ""
    if view.days_left < 0:
        return f" ({-view.days_left} day{'s' * (view.days_left != -1)} overdue)"
    return f" ({view.days_left} day{'s' * (view.days_left != 1)} left)"


def _status_line(action: Action) -> str:
    """`not-started (assumed: the source is silent)`, `done (evidenced; completed 2022-05-06)`."""
    notes = []
    if action.status_basis is not None:
        notes.append("assumed: the source is silent" if action.status_basis == "assumed" else "evidenced")
    if action.completed:
        mark = ", the plan's date: the source gives none" if action.completed_basis == "assumed" else ""
        notes.append(f"completed {action.completed}{mark}")
    return action.status + (f" ({'; '.join(notes)})" if notes else "")


def _action_block(plans: PlanSet, action: Action, view: ActionView, path: str | None = None) -> RenderableType:
    title = Text.assemble((visible(action.id), "bold"), "  ", rag_text(view.rag), "  ")
    title.append(visible(action.title))
    if path:
        title.append(f"  {visible(path)}", style="dim")
    lines: list[RenderableType] = [
        title,
        _field("  owner", _owner_label(plans, action.owner)),
        _field("  due", action.due.isoformat() + _days(view) if action.due else view.due_text or None),
        _field("  status", _status_line(action)),
    ]
    if action.measure:
        lines.append(_field("  measure", action.measure))
    for update in sorted(action.updates, key=lambda u: u.date):
        lines.append(Text.assemble(("  update ", "bold"), (update.date.isoformat(), "cyan"), " ", visible(update.note)))
    for quote in action.evidence:
        lines.append(Text.assemble(("  evidence ", "bold"), ("“", "dim"), visible(quote), ("”", "dim")))
    return Group(*lines)


def _owner_label(plans: PlanSet, key: str | None) -> str | None:
    if not key:
        return None
    owner: Owner | None = plans.owners.get(key)
    return f"{key} ({owner.role}, {owner.agency})" if owner else f"{key} (not in owners.yaml)"
