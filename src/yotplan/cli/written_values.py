"""Status and date options written as `import` reads them (`Complete`, `31/12/2022`, `Q2 2023/24`).

Every edit command's `--status` and date options go through here, so the command line accepts the
words and date forms of plans/vocabulary.py and says on stderr how an approximate date was read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import typer

from yotplan.cli.output import print_notice

DATE_METAVAR = "DATE"
DATE_FORMS = "a date: 2022-12-31, 31/12/2022, March 2023 (its last day) or Q2 2023/24 (its last day)"


def parse_written_status(value: str) -> str:
    """A status option (`done`, `Complete`, `in progress`, `On track`) as a plan status, or a usage error."""
    from yotplan.plans.vocabulary import read_status_word

    try:
        return read_status_word(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def status_option(*names: str, help: str, statuses: list[str]) -> Any:
    """A status option that reads the words `import` reads; Tab completes the plan `statuses`."""

    def complete(incomplete: str) -> list[str]:
        return [status for status in statuses if status.startswith(incomplete.casefold())]

    return typer.Option(*names, parser=parse_written_status, metavar="STATUS", help=help, autocompletion=complete)


def read_written_date(value: str, param: str | None = None) -> tuple[date | None, str | None]:
    """A date option as (day, None), or (None, undated kind) for `TBC` or `ongoing`; a usage error otherwise.

    How an approximate form was read (`March 2023` -> 2023-03-31) is said on stderr.
    """
    from yotplan.plans.vocabulary import parse_date_text

    try:
        read = parse_date_text(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=f"'{param}'" if param else None) from None
    if read.day is not None and read.how:
        print_notice(read.how)
    return read.day, read.undated


def parse_written_day(value: str | date) -> date:
    """A date option that needs a day; `TBC` or `ongoing` is a usage error."""
    if isinstance(value, date):
        return value
    day, _ = read_written_date(value)
    if day is None:
        raise typer.BadParameter(f"{value.strip()!r} is not a date, and this option needs one ({DATE_FORMS})")
    return day


def written_date_option(*names: str, help: str) -> Any:
    """A date option that reads the date forms `import` reads."""
    return typer.Option(*names, parser=parse_written_day, metavar=DATE_METAVAR, help=help)


def parse_written_number(value: str | float) -> float:
    """A number option (`--target 90`, `--baseline 12.5`), or a usage error that says what a number is."""
    if isinstance(value, float | int):
        return float(value)
    try:
        number = float(value.strip())
    except ValueError:
        raise typer.BadParameter(f"{value.strip()!r} is not a number: give a value such as 90 or 12.5") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise typer.BadParameter(f"{value.strip()!r} is not a number: give a value such as 90 or 12.5")
    return number


def number_option(*names: str, help: str) -> Any:
    """A number option whose refusals are plain words."""
    return typer.Option(*names, parser=parse_written_number, metavar="VALUE", help=help)
