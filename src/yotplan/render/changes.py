"""`diff` and `history` as rich tables and Markdown. Slipped due dates are labelled, and red.

Every id comes with its title (an action's title, a recommendation's text), shortened to one
short line: "HMIP-1.2 status changed" alone makes the reader look the id up. json has it in full.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from yotplan.history.compare import Change
from yotplan.history.revisions import Comparison, ItemHistory
from yotplan.render.data import markdown_cell, plural
from yotplan.safe_text import visible

TITLE_WIDTH = 40
"""Characters of a title shown next to its id in a table: enough to recognise the item."""


def short_title(text: str, width: int = TITLE_WIDTH) -> str:
    """The title on one line, cut at a word boundary with "…" when longer than `width`.

    A word longer than half the width is cut inside, so one long word never leaves a stub.
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if space >= width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


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
    table.add_column("title", max_width=TITLE_WIDTH + 2)
    table.add_column("change", min_width=20)
    for change in comparison.changes:
        table.add_row(Text(visible(change.id)), Text(visible(short_title(change.title))), _change_text(change))
    return Group(title, table, Text(_count_line(comparison.changes), style="dim"))


def _count_line(changes: list[Change]) -> str:
    slipped = sum(c.slipped for c in changes)
    return f"{plural(len(changes), 'change')}, {plural(slipped, 'slipped due date')}"


def changes_markdown(comparison: Comparison) -> str:
    lines = [f"**{markdown_cell(comparison_title(comparison))}**", ""]
    if not comparison.changes:
        return "\n".join([*lines, "No changes to the plans.", ""])
    lines += ["| id | title | change |", "| --- | --- | --- |"]
    for change in comparison.changes:
        title = markdown_cell(short_title(change.title))
        lines.append(f"| {markdown_cell(change.id)} | {title} | {_change_markdown(change)} |")
    return "\n".join([*lines, "", _count_line(comparison.changes), ""])


def history_title(history: ItemHistory) -> str:
    """ "History of action B-1.1: Recruit an analyst", with the title as the item's latest change has it."""
    own = [c.title for entry in history.entries for c in entry.changes if c.id == history.id and c.title]
    name = f": {short_title(own[-1], 2 * TITLE_WIDTH)}" if own else ""
    return f"History of {history.kind} {history.id}{name}"


def _other_item(change: Change, history: ItemHistory, escape: Callable[[str], str] = str) -> str:
    """ "A-1.1 Brief the Board: " before a change to one of a recommendation's actions; "" for the item itself."""
    if change.id == history.id:
        return ""
    return escape(f"{change.id} {short_title(change.title)}".rstrip()) + ": "


def history_table(history: ItemHistory) -> RenderableType:
    title = Text(visible(history_title(history)), style="bold")
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
            what.append_text(Text(visible(_other_item(change, history))) + _change_text(change))
        commit = entry.commit
        table.add_row(Text(visible(commit.date[:10])), Text(visible(commit.short)), Text(visible(commit.author)), what)
    return Group(title, table)


def history_markdown(history: ItemHistory) -> str:
    lines = [f"**{markdown_cell(history_title(history))}**", ""]
    if not history.entries:
        return "\n".join([*lines, "No commit changed it.", ""])
    lines += ["| date | commit | author | subject | what changed |", "| --- | --- | --- | --- | --- |"]
    for entry in history.entries:
        changes = "<br>".join(_other_item(c, history, markdown_cell) + _change_markdown(c) for c in entry.changes)
        commit = entry.commit
        lines.append(
            f"| {commit.date} | {commit.short} | {markdown_cell(commit.author)} | {markdown_cell(commit.subject)} "
            f"| {changes} |"
        )
    return "\n".join([*lines, ""])
