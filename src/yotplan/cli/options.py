"""The options that many commands share (`--plans`, `--today`, `--format`, `--source`, ...), and
how an option's value is checked: dates, choices, and usage errors in plain words (exit 2)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from yotplan.cli.completion import complete_folders, complete_owner_keys, complete_source_ids


def choice_type(name: str, words: Iterable[str]) -> type[StrEnum]:
    """A Typer choice made from a closed set of words (`yotplan.choices`), so that what the
    command line offers and what plans hold cannot drift apart. Typer takes an enum for a
    repeatable choice; the words are its values (`str(choice)` gives the word)."""
    return StrEnum(name, {word: word for word in words})  # type: ignore[return-value]


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


PlansDir = Annotated[
    Path | None,
    typer.Option(
        "--plans",
        "-p",
        envvar="YOTPLAN_PLANS",
        metavar="DIR",
        help="The plans folder (default: plans/ here, or in a folder above inside this repository).",
        show_envvar=True,
        show_default=False,
        file_okay=False,
        autocompletion=complete_folders,
    ),
]
PlansDirs = Annotated[
    list[Path] | None,
    typer.Option(
        "--plans",
        "-p",
        envvar="YOTPLAN_PLANS",
        metavar="DIR",
        help="A plans folder (default: plans/ here, or in a folder above inside this repository); "
        "repeat it for several services.",
        show_envvar=True,
        show_default=False,
        file_okay=False,
        autocompletion=complete_folders,
    ),
]
PlansList = Annotated[
    Path | None,
    typer.Option(
        "--plans-list",
        metavar="FILE",
        help="Read the plans folders from FILE: one per line, or a YAML list.",
        dir_okay=False,
        show_default=False,
    ),
]


def parse_day(value: str | date) -> date:
    """A YYYY-MM-DD date from the command line, or a usage error in plain words."""
    if isinstance(value, date):
        return value
    text = value.strip()
    try:
        if len(text) == 10 and text[4] == text[7] == "-":
            return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text} is not a date; use YYYY-MM-DD, e.g. 2022-06-30") from None
    raise typer.BadParameter(f"{text!r} is not a date written as YYYY-MM-DD, e.g. 2022-06-30")


def date_option(*names: str, help: str, envvar: str | None = None) -> Any:
    """A YYYY-MM-DD option; anything else is a usage error (exit 2) that says why in words."""
    return typer.Option(
        *names, parser=parse_day, metavar="YYYY-MM-DD", help=help, envvar=envvar, show_envvar=envvar is not None
    )


Today = Annotated[
    date | None,
    date_option("--today", help="Judge the plans as on this date instead of today.", envvar="YOTPLAN_TODAY"),
]
Format = Annotated[
    ListFormat, typer.Option("--format", "-f", metavar="[table|json|csv|markdown]", help="Output format.")
]
SourceFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        metavar="SOURCE",
        help="Only this source (its id, e.g. HMIP); repeatable.",
        autocompletion=complete_source_ids,
    ),
]
OwnerFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--owner", "-o", metavar="OWNER", help="Only this owner key; repeatable.", autocompletion=complete_owner_keys
    ),
]


def resolve_today(value: date | None) -> date:
    """`--today`, else the local date: the one place the clock is read."""
    return value if value is not None else date.today()


def usage_error(message: str, param: str) -> NoReturn:
    """A bad option value that is only known to be bad once the plans are loaded: exit 2."""
    raise typer.BadParameter(message, param_hint=f"'{param}'")


def check_choices(values: list[str] | None, known: list[str], param: str, *, fold: bool = False) -> tuple[str, ...]:
    """The values, or a usage error naming the closest known one."""
    if not values:
        return ()
    lookup = {k.casefold() if fold else k: k for k in known}
    for value in values:
        if (value.casefold() if fold else value) not in lookup:
            import difflib

            close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
            usage_error(f"{value!r} is not known ({hint})", param)
    return tuple(values)
