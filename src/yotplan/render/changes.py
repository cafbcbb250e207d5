"""`diff` and `history` as rich tables and Markdown. Slipped due dates are labelled, and red."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yotplan.history.compare import Change
from yotplan.history.revisions import Comparison, ItemHistory
from yotplan.render.data import markdown_cell
from yotplan.safe_text import visible


def _change_text(change: Change) -> Text:
    text = Text()
    if change.slipped:
        text.append(change.slip_label + ": ", style="bold red")
    text.append(visible(change.describe(how_far=False)))
    return text


def _change_markdown(change: Change) -> str:
    label = f"**{change.slip_label}:** " if change.slipped else ""
    return label + markdown_cell(change.describe(how_far=False))


def comparison_title(comparison: Comparison) -> str:
    return f"Changes from {comparison.base.label} to {comparison.target.label}"


def changes_table(comparison: Comparison) -> RenderableType:
    title = Text(visible(comparison_title(comparison)), style="bold")
    if not comparison.changes:
        return Group(title, Text("No changes to the plans."))
    table = Table(header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("change", min_width=20)
    for change in comparison.changes:
        table.add_row(Text(visible(change.id)), _change_text(change))
    return Group(title, table, Text(_count_line(comparison.changes), style="dim"))


def _count_line(changes: list[Change]) -> str:
    slipped = sum(c.slipped for c in changes)
    return f"{_plural(len(changes), 'change')}, {_plural(slipped, 'slipped due date')}"


def _plural(count: int, thing: str) -> str:
    return f"{count} {thing}{'s' if count != 1 else ''}"


def changes_markdown(comparison: Comparison) -> str:
    lines = [f"**{markdown_cell(comparison_title(comparison))}**", ""]
    if not comparison.changes:
        return "\n".join([*lines, "No changes to the plans.", ""])
    lines += ["| id | change |", "| --- | --- |"]
    for change in comparison.changes:
        lines.append(f"| {markdown_cell(change.id)} | {_change_markdown(change)} |")
    return "\n".join([*lines, "", _count_line(comparison.changes), ""])


def history_table(history: ItemHistory) -> RenderableType:
    title = Text(visible(f"History of {history.kind} {history.id}"), style="bold")
    if not history.entries:
        return Group(title, Text("No commit changed it."))
    table = Table(header_style="bold")
    table.add_column("date", no_wrap=True)
    table.add_column("commit", no_wrap=True)
    table.add_column("author", max_width=20)
    table.add_column("what changed", min_width=20)
    for entry in history.entries:
        what = Text(visible(entry.commit.subject), style="italic")
        for change in entry.changes:
            what.append("\n")
            prefix = f"{change.id}: " if change.id != history.id else ""
            what.append_text(Text(visible(prefix)) + _change_text(change))
        table.add_row(
            Text(visible(entry.commit.date[:10])),
            Text(visible(entry.commit.short)),
            Text(visible(entry.commit.author)),
            what,
        )
    return Group(title, table)


def history_markdown(history: ItemHistory) -> str:
    lines = [f"**History of {history.kind} {markdown_cell(history.id)}**", ""]
    if not history.entries:
        return "\n".join([*lines, "No commit changed it.", ""])
    lines += ["| date | commit | author | subject | what changed |", "| --- | --- | --- | --- | --- |"]
    for entry in history.entries:
        changes = "<br>".join(
            (f"{markdown_cell(c.id)}: " if c.id != history.id else "") + _change_markdown(c) for c in entry.changes
        )
        commit = entry.commit
        lines.append(
            f"| {commit.date} | {commit.short} | {markdown_cell(commit.author)} | {markdown_cell(commit.subject)} "
            f"| {changes} |"
        )
    return "\n".join([*lines, ""])
