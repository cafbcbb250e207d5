"""The one place where the outcome of a run becomes its exit code.

0: fine (warnings allowed); 1: problems in the plans, an expected failure (`YotplanError`: one
line, no traceback) or output that could not be written; 2: a usage error (Typer's own message);
3: a bug (one line, and a hint to re-run with `--traceback`); 130: interrupted (Ctrl-C).

Commands never pick a number: they end with `end_run(problems=...)`, raise an exception from
`yotplan.errors`, or a usage error (`yotplan.cli.options.usage_error`). The app's command group
(`yotplan.cli.app.GuardedGroup`) runs each command through `guarded`, and the entry point
(`yotplan.cli.entry`) maps what fails outside any command with the same `failure_code`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

import typer

from yotplan.cli.output import OUTPUT_ERRORS, OutputFailed, output_failed
from yotplan.cli.settings import RUN

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

T = TypeVar("T")


def end_run(*, problems: bool) -> NoReturn:
    """End a command: exit 1 when it found problems (errors in the plans, rows it could not place,
    overdue actions with `--fail`), else 0."""
    raise typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


def interrupted() -> NoReturn:
    """Ctrl-C: one line, exit 130."""
    sys.stderr.write("yotplan: interrupted\n")
    raise typer.Exit(EXIT_INTERRUPTED)


def traceback_wanted() -> bool:
    """Whether a bug should show its traceback (`--traceback`, or YOTPLAN_TRACEBACK set)."""
    return RUN.traceback or bool(os.environ.get("YOTPLAN_TRACEBACK")) or "--traceback" in sys.argv[1:]


def failure_code(exc: BaseException) -> int:
    """Say what failed in one line on stderr, and give the run's exit code. A bug shows its
    traceback instead when that is wanted (still exit 3)."""
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("yotplan: interrupted\n")
        return EXIT_INTERRUPTED
    if isinstance(exc, OSError) and exc.errno in OUTPUT_ERRORS:  # `--help` > /dev/full, say
        try:
            output_failed(exc)
        except OutputFailed as failed:
            exc = failed
    if isinstance(exc, OutputFailed):
        if not exc.quiet:
            sys.stderr.write(f"yotplan: error: {exc}\n")
        return EXIT_PROBLEMS
    from yotplan.errors import PlansInvalid, YotplanError
    from yotplan.safe_text import one_line

    if isinstance(exc, PlansInvalid):
        from yotplan.render.problems import problems_text

        sys.stderr.write(problems_text(exc.problems))
        return EXIT_PROBLEMS
    if isinstance(exc, YotplanError):
        sys.stderr.write(f"yotplan: error: {one_line(str(exc))}\n")
        return EXIT_PROBLEMS
    if traceback_wanted():
        import traceback

        # Written here, through the run's guarded stderr, not left to Python once the guard is
        # gone: a message can quote plan text (escape codes, a forged `::error::` in CI).
        sys.stderr.write("".join(traceback.format_exception(exc)))
        return EXIT_INTERNAL
    what = f"{type(exc).__name__}: {one_line(str(exc))}"
    sys.stderr.write(f"yotplan: internal error: {what} (re-run with --traceback and report it)\n")
    return EXIT_INTERNAL


def guarded(run: Callable[[], T]) -> T:
    """Run a command: its failures become one line and an exit code (`failure_code`); Typer's own
    signalling (usage errors, explicit exits) passes through."""
    try:
        import yotplan.errors  # noqa: F401  (imported here, where an interrupt is still handled)
    except KeyboardInterrupt:
        interrupted()
    try:
        return run()
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except (Exception, KeyboardInterrupt) as exc:
        raise typer.Exit(failure_code(exc)) from None
