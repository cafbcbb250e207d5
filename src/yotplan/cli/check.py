"""`yotplan check`: validate plans for people, editors, pre-commit and CI."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from yotplan.cli.app import DEFAULT_PLANS, EXIT_OK, EXIT_PROBLEMS, PlansDir, Today, app, print_text, resolve_today


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Plan files (as pre-commit passes them): check the plans folders they belong to."),
    ] = None,
    plans_dir: PlansDir = DEFAULT_PLANS,
    today: Today = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="text, json, or GitHub annotations.")] = (
        CheckFormat.text
    ),
) -> None:
    """Validate the plans; exit 1 on errors (warnings allowed).

    Each problem is one line: path:line:col: severity code message.

    Example: yotplan check --strict --format github
    """
    from yotplan.problems import as_errors, has_errors
    from yotplan.render import problems as render
    from yotplan.rules.checker import check_folders, plans_folders_of

    folders, path_problems = plans_folders_of(files) if files else ([plans_dir], [])
    problems, file_count = check_folders(folders, resolve_today(today))
    problems = path_problems + problems
    if strict:
        problems = as_errors(problems)
    if fmt is CheckFormat.json:
        print_text(render.problems_json(problems))
    elif fmt is CheckFormat.github:
        print_text(render.problems_github(problems))
    else:
        print_text(render.problems_text(problems))
        sys.stderr.write(render.problems_summary(problems, file_count) + "\n")
    raise typer.Exit(EXIT_PROBLEMS if has_errors(problems) else EXIT_OK)
