"""rich renderables for the terminal. User text always goes in as `Text`, never as markup."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yotplan.plans.models import Action, Owner
from yotplan.plans.planset import ActionRef, PlanSet, RecommendationRef
from yotplan.render.columns import ALWAYS, Column, shorten
from yotplan.rules.rag import RAGS
from yotplan.safe_text import visible
from yotplan.views.queries import ActionView, RecommendationView, StatusView

MIN_WRAP_WIDTH = 20

RAG_STYLES = {"red": "bold red", "amber": "bold yellow", "green": "green", "complete": "blue", "dropped": "dim"}


def rag_text(rag: str) -> Text:
    return Text(visible(rag), style=RAG_STYLES.get(rag, ""))


def fit_columns(columns: Sequence[Column], rows: Sequence[Any], width: int) -> list[Column]:
    """The columns that fit `width`, dropping the least needed first.

    rich would rather squeeze a wrapping column to nothing than drop one; choosing here
    keeps ids, dates and owner keys whole and long text readable at 40, 80 or 120 columns.
    """

    def need(c: Column) -> int:
        longest = max([len(c.header), *(len(c.value(r)) for r in rows)])
        if c.wraps:
            return min(longest, max(MIN_WRAP_WIDTH, len(c.header)))
        return min(longest, c.max_width) if c.max_width else longest

    kept = list(columns)
    while sum(need(c) for c in kept) + 3 * len(kept) + 1 > width:
        droppable = [c for c in kept if c.keep < ALWAYS]
        if not droppable:
            break  # what is left must show; rich cuts the widest with an ellipsis
        kept.remove(min(droppable, key=lambda c: c.keep))
    return kept


def list_table(columns: Sequence[Column], rows: Sequence[Any], width: int) -> Table:
    """A table of rows in the columns that fit `width`; a `rag` column is coloured."""
    table = Table(header_style="bold")
    shown = fit_columns(columns, rows, width)
    for c in shown:
        justify: Any = c.justify
        if c.wraps:
            table.add_column(c.header, justify=justify, min_width=min(MIN_WRAP_WIDTH, len(c.header)))
        else:
            table.add_column(c.header, justify=justify, no_wrap=True, overflow="ellipsis", max_width=c.max_width)
    for row in rows:
        table.add_row(*(rag_text(c.value(row)) if c.header == "rag" else Text(visible(c.value(row))) for c in shown))
    return table


def summary_line(view: StatusView) -> Text:
    """`23 recommendations: 5 red, 3 amber, ...` with each count in its colour."""
    counts = view.summary
    line = Text(f"{len(view.recommendations)} recommendations: ")
    parts = [(f"{counts[rag]} {rag}", RAG_STYLES[rag]) for rag in RAGS if counts[rag]]
    for i, (part, style) in enumerate(parts):
        if i:
            line.append(", ")
        line.append(part, style=style)
    if not parts:
        line.append("none")
    line.append(f"  (as at {view.today.isoformat()})", style="dim")
    return line


def status_renderable(view: StatusView, columns: Sequence[Column], width: int) -> RenderableType:
    return Group(list_table(columns, view.recommendations, width), summary_line(view))


def _field(label: str, value: str | None) -> Text:
    text = Text(f"{label}: ", style="bold")
    text.append(visible(value or "-"))
    return text


def show_recommendation(plans: PlanSet, ref: RecommendationRef, view: RecommendationView) -> RenderableType:
    rec = ref.recommendation
    parts: list[RenderableType] = [
        Text.assemble((visible(rec.id), "bold"), "  ", rag_text(view.rag), "  ", (visible(ref.doc.path), "dim")),
        Text(visible(" ".join(rec.text.split()))),
        _field("source", f"{ref.source_id}: {ref.doc.model.source.title}"),
        _field("to", rec.to),
        _field("owner", _owner_label(plans, rec.owner)),
        _field("related", ", ".join(rec.related)),
        _field("actions", f"{view.done}/{view.total} done"),
    ]
    for action_ref, action_view in zip(plans.actions_of(ref), view.actions, strict=True):
        parts.append(Text(""))
        parts.append(_action_block(plans, action_ref.action, action_view))
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


def _action_block(plans: PlanSet, action: Action, view: ActionView, path: str | None = None) -> RenderableType:
    title = Text.assemble((visible(action.id), "bold"), "  ", rag_text(view.rag), "  ")
    title.append(visible(action.title))
    if path:
        title.append(f"  {visible(path)}", style="dim")
    lines: list[RenderableType] = [
        title,
        _field("  owner", _owner_label(plans, action.owner)),
        _field("  due", action.due.isoformat() + _days(view) if action.due else None),
        _field("  status", action.status + (f" (completed {action.completed})" if action.completed else "")),
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
