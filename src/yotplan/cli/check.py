"""`yotplan check`: validate plans for people, editors, pre-commit and CI."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from yotplan.cli.app import app
from yotplan.cli.exit_codes import end_run
from yotplan.cli.options import PlansDirs, PlansList, Today, resolve_today
from yotplan.cli.output import print_notes, print_text, print_workflow_commands
from yotplan.cli.reading import judge_plans, plans_folders


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command()
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[FILES]...",
            help="Plan files (as pre-commit passes them): check the plans folders they belong to.",
        ),
    ] = None,
    plans_dirs: PlansDirs = None,
    plans_list: PlansList = None,
    today: Today = None,
    strict: Annotated[bool, typer.Option("--strict", metavar="", help="Treat warnings as errors.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", metavar="", help="Print errors only, and a count of the warnings.")
    ] = False,
    fmt: Annotated[
        CheckFormat,
        typer.Option("--format", "-f", metavar="[text|json|github]", help="text, json, or GitHub annotations."),
    ] = CheckFormat.text,
) -> None:
    """Validate the plans; exit 1 on errors (warnings allowed).

    Each problem is one line: path:line:col: severity code message. Errors come first.

    Example: yotplan check --strict --format github
    """
    from yotplan.problems import as_errors, has_errors
    from yotplan.render import problems as render
    from yotplan.rules.checker import plans_folders_of

    if files:
        folders, path_problems = plans_folders_of(files)
    else:
        folders, path_problems = plans_folders(plans_dirs, plans_list), []
    judged = judge_plans(folders, resolve_today(today))
    print_notes(judged.notes)
    problems = path_problems + judged.problems
    if strict:
        problems = as_errors(problems)
    problems = sorted(problems, key=lambda p: (p.severity != "error", p.sort_key))
    shown = [p for p in problems if p.severity == "error"] if quiet else problems
    if fmt is CheckFormat.json:
        print_text(render.problems_json(shown))
    elif fmt is CheckFormat.github:
        print_workflow_commands(render.problems_github(render.capped(shown)))
    else:
        print_text(render.problems_text(render.capped(shown)))
    if fmt is not CheckFormat.json:
        sys.stderr.write(render.problems_summary(problems, judged.files) + "\n")
    end_run(problems=has_errors(problems))
