"""The plain-text table layout is character for character what rich prints without colour."""

from __future__ import annotations

import io
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from yotplan.render.columns import OVERDUE_COLUMNS, OWNER_COLUMNS, STATUS_COLUMNS, UPCOMING_COLUMNS
from yotplan.render.plaintable import plain_text
from yotplan.render.tables import list_table
from yotplan.views.queries import ActionView, OwnerView, RecommendationView

BOUNDED = settings(max_examples=150)  # derandomized, no deadline: tests/conftest.py's profile
WORDS = st.sampled_from(
    ["a", "ab", "policy", "dashboard", "supercalifragilistic", "x" * 30, "é", "日本語", "Q&A", "—", "end.", "…", "[b]"]
)
SPACES = st.sampled_from([" ", " ", " ", "  ", "\n", "   "])
TEXTS = st.lists(st.tuples(WORDS, SPACES), max_size=12).map(lambda parts: "".join(w + s for w, s in parts).strip(" "))


def consoles(width: int) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=width, highlight=False, soft_wrap=False), out


def assert_same_as_rich(renderable: object, width: int) -> None:
    rich_console, rich_out = consoles(width)
    rich_console.print(renderable)
    console, _ = consoles(width)
    text = plain_text(console, renderable)
    assert text is not None
    assert text == rich_out.getvalue()


@st.composite
def tables(draw: st.DrawFn) -> Table:
    table = Table(header_style="bold")
    count = draw(st.integers(1, 7))
    for _ in range(count):
        header = draw(st.sampled_from(["id", "title", "owner", "due", "days overdue", "rag", "due ≤30d", "x"]))
        justify = draw(st.sampled_from(["left", "right"]))
        if draw(st.booleans()):
            table.add_column(header, justify=justify, min_width=draw(st.sampled_from([None, 4, 20])))
        else:
            max_width = draw(st.sampled_from([None, 5, 20, 24]))
            table.add_column(header, justify=justify, no_wrap=True, overflow="ellipsis", max_width=max_width)
    for _ in range(draw(st.integers(0, 6))):
        table.add_row(*(Text(draw(TEXTS)) for _ in range(count)))
    return table


@BOUNDED
@given(table=tables(), width=st.integers(12, 160))
def test_random_tables_match_rich(table: Table, width: int) -> None:
    rich_console, rich_out = consoles(width)
    rich_console.print(table)
    console, _ = consoles(width)
    text = plain_text(console, table)
    if text is not None:  # too narrow for padding: left to rich
        assert text == rich_out.getvalue()


@BOUNDED
@given(table=tables(), width=st.integers(12, 160))
def test_a_table_with_a_summary_line_matches_rich(table: Table, width: int) -> None:
    group = Group(table, Text("23 recommendations: 5 red, 3 amber, 15 green  (as at 2022-06-01)"))
    rich_console, rich_out = consoles(width)
    rich_console.print(group)
    text = plain_text(consoles(width)[0], group)
    if text is not None:
        assert text == rich_out.getvalue()


@st.composite
def action_views(draw: st.DrawFn) -> ActionView:
    due = date(2022, 6, 1) + timedelta(days=draw(st.integers(-400, 400)))
    return ActionView(
        id=draw(st.sampled_from(["HMIP-1.1", "LGA-d.12", "IR-5.3", "SRC001-17.8"])),
        title=draw(TEXTS),
        owner=draw(st.sampled_from(["yot-manager", "camhs-lead", "a-very-long-owner-key-for-a-role", ""])),
        due=due,
        status=draw(st.sampled_from(["not-started", "in-progress", "blocked"])),
        completed=None,
        rag=draw(st.sampled_from(["red", "amber", "green"])),
        days_left=draw(st.integers(-400, 400)),
        recommendation=draw(st.sampled_from(["HMIP-1", "LGA-d", "SRC001-17"])),
        source=draw(st.sampled_from(["HMIP", "LGA", "SRC001"])),
    )


@BOUNDED
@given(rows=st.lists(action_views(), max_size=8), width=st.sampled_from([40, 60, 80, 100, 120, 200]))
def test_the_overdue_and_upcoming_tables_match_rich(rows: list[ActionView], width: int) -> None:
    for columns in (OVERDUE_COLUMNS, UPCOMING_COLUMNS):
        assert_same_as_rich(list_table(columns, rows, width), width)


@BOUNDED
@given(texts=st.lists(TEXTS, max_size=6), width=st.sampled_from([40, 60, 80, 120, 200]))
def test_the_status_and_owners_tables_match_rich(texts: list[str], width: int) -> None:
    recommendations = [
        RecommendationView(f"R-{i}", "SRC", text, None, "yot-manager", (), "red", ()) for i, text in enumerate(texts)
    ]
    assert_same_as_rich(list_table(STATUS_COLUMNS, recommendations, width), width)
    owners = [OwnerView(f"owner-{i}", text, text[:10], i, i % 3, 1) for i, text in enumerate(texts)]
    assert_same_as_rich(list_table(OWNER_COLUMNS, owners, width), width)


def test_tables_it_does_not_know_are_left_to_rich() -> None:
    console, _ = consoles(80)
    titled = Table("a", title="A title")
    titled.add_row("x")
    assert plain_text(console, titled) is None
    markup_header = Table("[bold]a[/bold]")
    assert plain_text(console, markup_header) is None
    plain_string_cell = Table("a")
    plain_string_cell.add_row("[red]x[/red]")  # a str cell is markup
    assert plain_text(console, plain_string_cell) is None
    lines = Table("a", show_lines=True)
    assert plain_text(console, lines) is None
    assert plain_text(console, Text("just text")) == "just text\n"


def test_colour_is_left_to_rich() -> None:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=True, color_system="truecolor")
    table = Table("a")
    table.add_row(Text("x"))
    assert plain_text(console, table) is None


def test_an_ascii_only_console_gets_rich_s_ascii_box() -> None:
    table = Table("id", "title", box=box.HEAVY_HEAD)
    table.add_row(Text("A-1"), Text("Agree the plan"))
    out = io.BytesIO()
    wrapper = io.TextIOWrapper(out, encoding="ascii")
    rich_console = Console(file=wrapper, width=40)
    rich_console.print(table)
    wrapper.flush()
    console = Console(file=io.TextIOWrapper(io.BytesIO(), encoding="ascii"), width=40)
    assert plain_text(console, table) == out.getvalue().decode("ascii")
