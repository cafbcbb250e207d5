"""The Typer app, its shared options, and the one place where failures become exit codes.

Start-up matters (people run this dozens of times a day), so this module imports only
typer and the standard library; each command imports what it needs when it runs.
"""

from __future__ import annotations

import errno
import gc
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from yotplan import __version__
from yotplan.cli.completion import complete_folders, complete_owner_keys, complete_source_ids

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from yotplan.problems import Problem
    from yotplan.rules.checker import Judged

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def _wordless_flags(params: list[Any]) -> list[Any]:
    """Help that reads as words, not type names: flags (--help, --fail, --install-completion)
    without Typer's `<bool>`, and arguments (ID, NOTE) without `<str>`: their metavar says it."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif param.param_type_name == "argument":
            param.display_type_rich = _no_type
    return params


def _no_type(ctx: Any) -> None:
    return None


class YotplanCommand(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _wordless_flags(super().get_params(ctx))


class YotplanTyper(typer.Typer):
    """A Typer app whose commands are YotplanCommands."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or YotplanCommand, **kwargs)


class GuardedGroup(TyperGroup):
    """Maps every failure of a command to one line on stderr and an exit code.

    Expected failures (YotplanError) exit 1; a bug exits 3 with a hint to re-run with
    --traceback; Ctrl-C exits 130. Usage errors keep Typer's message and exit 2.
    """

    def get_params(self, ctx: Any) -> list[Any]:
        return _wordless_flags(super().get_params(ctx))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:  # Typer turns it into exit 130 without a word
            sys.stderr.write("yotplan: interrupted\n")
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            from yotplan.errors import PlansInvalid, YotplanError
        except KeyboardInterrupt:
            typer.echo("yotplan: interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        try:
            result = super().invoke(ctx)
            flush_stdout()
            return result
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # Typer's own signalling: usage errors (2), explicit exits
        except OutputFailed as exc:
            typer.echo(f"yotplan: error: {exc}", err=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except PlansInvalid as exc:
            from yotplan.render.problems import problems_text

            sys.stderr.write(problems_text(exc.problems))
            raise typer.Exit(EXIT_PROBLEMS) from None
        except YotplanError as exc:
            from yotplan.safe_text import one_line

            typer.echo(f"yotplan: error: {one_line(str(exc))}", err=True)
            raise typer.Exit(EXIT_PROBLEMS) from None
        except KeyboardInterrupt:
            typer.echo("yotplan: interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRORS:  # `--help` > /dev/full, say
                try:
                    _output_failed(exc)
                except OutputFailed as failed:
                    typer.echo(f"yotplan: error: {failed}", err=True)
                    raise typer.Exit(EXIT_PROBLEMS) from None
            if _traceback_wanted(ctx):
                raise
            from yotplan.safe_text import one_line

            typer.echo(
                f"yotplan: internal error: {type(exc).__name__}: {one_line(str(exc))} "
                "(re-run with --traceback and report it)",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        if "_YOTPLAN_COMPLETE" not in os.environ:
            super()._main_shell_completion(ctx_args, prog_name, complete_var)
            return
        from yotplan.cli.completion import yotplan_shells

        with yotplan_shells():  # a Tab press: answered through the shell classes of cli/completion.py
            super()._main_shell_completion(ctx_args, prog_name, complete_var)


def _traceback_wanted(ctx: Any) -> bool:
    return bool(ctx.obj and ctx.obj.get("traceback")) or bool(os.environ.get("YOTPLAN_TRACEBACK"))


app = YotplanTyper(
    cls=GuardedGroup,
    help="Track improvement action plans kept as YAML files in git.",
    epilog="Example: yotplan status --plans plans/    Docs: https://github.com/yotplan/yotplan#readme",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"yotplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", metavar="", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    traceback: Annotated[
        bool, typer.Option("--traceback", hidden=True, help="Show the Python traceback of an internal error.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", metavar="", help="Read every file afresh (or set YOTPLAN_NO_CACHE=1)."),
    ] = False,
) -> None:
    ctx.obj = {"traceback": traceback}
    if no_cache or "yotplan.plans.cache" in sys.modules:  # set, or reset for this run, without importing it needlessly
        from yotplan.plans.cache import disable_for_run

        disable_for_run(no_cache)


# Shared options -------------------------------------------------------------------------


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
    return value if value is not None else date.today()


def plans_folders(dirs: list[Path] | Path | None, plans_list: Path | None = None) -> list[Path]:
    """The plans folders of a run: `--plans` (repeatable) and `--plans-list`, else the plans
    folder found from here (raises YotplanError saying where yotplan looked)."""
    from yotplan.plans.loader import discover_plans_folder, read_plans_list

    folders = [dirs] if isinstance(dirs, Path) else list(dirs or [])
    if plans_list is not None:
        folders += read_plans_list(plans_list)
    if folders:
        return list(dict.fromkeys(folders))
    found, looked = discover_plans_folder(Path.cwd())
    if found is None:
        from yotplan.errors import YotplanError

        places = ", ".join(os.path.relpath(p) for p in looked)
        raise YotplanError(f"no plans folder found (looked for {places}); pass --plans DIR, or run `yotplan init`")
    return [found]


def plans_folder(plans_dir: Path | None) -> Path:
    """The one plans folder an edit works on: `--plans`, else the one found from here."""
    return plans_folders(plans_dir)[0]


def read_plans(dirs: list[Path] | None, plans_list: Path | None, today: date) -> Judged:
    """Load and judge the plans of a reading command, and name on stderr, one line each, every
    problem found (errors first) and every file left out. The command shows what loaded, then
    `finish`es: exit 1 when there were errors."""
    from yotplan.rules.checker import judge

    judged = judge(plans_folders(dirs, plans_list), today, every_rule=False)
    print_notes(judged.notes)
    print_problems(judged.problems)
    return judged


def print_problems(problems: list[Problem]) -> None:
    """Problems on stderr, errors before warnings, one line each."""
    from yotplan.render.problems import capped, problems_text

    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.sort_key))
    sys.stderr.write(problems_text(capped(ordered)))


def finish(judged: Judged, *, fail: bool = False) -> None:
    """End a reading command: exit 1 when the plans have errors, or when `fail` holds."""
    if judged.has_errors or fail:
        raise typer.Exit(EXIT_PROBLEMS)


def left_out_line(judged: Judged) -> str:
    """The foot of a table when files did not load: what it could not show, and why."""
    left_out = judged.files_left_out
    if not left_out:
        return ""
    files = f"{len(left_out)} file{'s' * (len(left_out) != 1)}"
    return f"Not shown: {files} that did not load ({', '.join(left_out)}); the errors above say why."


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


def make_console(*, stderr: bool = False) -> Console:
    """A console per invocation; rich honours NO_COLOR, FORCE_COLOR, COLUMNS and pipes itself."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def print_renderable(build: Callable[[int], RenderableType]) -> None:
    """Print what `build` makes for the console's width (tables choose their columns by it)."""
    console = make_console()
    renderable = build(console.width)
    if console.color_system is None:  # no colour (a pipe, a file): lay tables out as plain text, 20x faster
        from yotplan.render.plaintable import plain_text

        try:  # rich's capture flushes the console's stream as it ends
            text = plain_text(console, renderable)
        except OSError as exc:
            _output_failed(exc)
        if text is not None:
            write_stdout(text)
            return
    try:
        console.print(renderable)
    except OSError as exc:
        _output_failed(exc)


class OutputFailed(Exception):
    """Writing to stdout failed (a full disk, a closed pipe); turned into one line by GuardedGroup."""


def write_stdout(data: str | bytes) -> None:
    """Text (control characters made visible; renderers already do it) or bytes to stdout."""
    try:
        if isinstance(data, str):
            from yotplan.safe_text import visible

            sys.stdout.write(visible(data))
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
    except OSError as exc:
        _output_failed(exc)


def flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        _output_failed(exc)


_OUTPUT_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})
"""What writing to stdout fails with when the reader or the disk is gone, not yotplan."""


def _output_failed(exc: OSError) -> NoReturn:
    """A reader that went away (`yotplan overdue | head -1`) ends the run quietly; anything else
    (`> /dev/full`) is one line: the output is incomplete, which a script must know."""
    try:  # whatever is still buffered must not fail again when Python exits
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    if isinstance(exc, BrokenPipeError):
        raise typer.Exit(EXIT_PROBLEMS) from None
    raise OutputFailed(f"cannot write output: {exc.strerror or exc}") from None


def print_text(text: str) -> None:
    write_stdout(text)


def print_notice(sentence: str) -> None:
    """A progress notice on stderr (`yotplan: waiting for ...`), flushed at once."""
    from yotplan.safe_text import one_line

    sys.stderr.write(f"yotplan: {one_line(sentence)}\n")
    sys.stderr.flush()


def print_notes(notes: list[str]) -> None:
    """Warnings about the run itself (not the plans), one line each on stderr."""
    from yotplan.safe_text import one_line

    for note in notes:
        sys.stderr.write(f"yotplan: warning: {one_line(note)}\n")


def print_workflow_commands(text: str) -> None:
    """Print GitHub workflow commands, which yotplan's stdout otherwise neutralises in Actions."""
    try:
        getattr(sys.stdout, "write_workflow_commands", sys.stdout.write)(text)
    except OSError as exc:
        _output_failed(exc)


def main() -> None:
    """The console-script entry point."""
    # One command allocates about 100 objects per plan action and frees them all at exit.
    # Python's cyclic collector would walk them again and again (40 % of `check` on 10,000
    # actions); a run makes next to no cyclic garbage, so it is switched off for the process.
    gc.disable()
    saved = app.registered_commands, app.registered_groups
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(sys.stdout), _TerminalSafe(sys.stderr)
    try:
        _register_only_what_runs(sys.argv[1:])
        app(prog_name="yotplan")
    except KeyboardInterrupt:  # before or after a command runs (inside, GuardedGroup catches it)
        sys.stderr.write("yotplan: interrupted\n")
        raise SystemExit(EXIT_INTERRUPTED) from None
    except Exception as exc:  # a bug outside any command (Typer building the app): one line, as inside
        if isinstance(exc, OSError) and exc.errno in _OUTPUT_ERRORS:  # Typer's --help or --version > /dev/full
            try:
                _output_failed(exc)
            except OutputFailed as failed:
                sys.stderr.write(f"yotplan: error: {failed}\n")
                raise SystemExit(EXIT_PROBLEMS) from None
            except typer.Exit as done:
                raise SystemExit(done.exit_code) from None
        if os.environ.get("YOTPLAN_TRACEBACK") or "--traceback" in sys.argv:
            raise
        from yotplan.safe_text import one_line

        what = f"{type(exc).__name__}: {one_line(str(exc))}"
        sys.stderr.write(f"yotplan: internal error: {what} (re-run with --traceback and report it)\n")
        raise SystemExit(EXIT_INTERNAL) from None
    finally:
        app.registered_commands, app.registered_groups = saved
        sys.stdout, sys.stderr = streams


class _TerminalSafe:
    """stdout or stderr, letting through only colour codes among control characters.

    The last line of defence: renderers make plan and git text visible themselves, but Typer's
    own messages quote what was typed on the command line (`--source $'\\e]0;x\\a'`) as it is."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        # In a GitHub Actions log a line can be a command to the runner (`::add-mask::`,
        # `::error file=...`, `##[error]` anywhere): plan text may never make one (SECURITY.md).
        self._guard: Any = None
        if os.environ.get("GITHUB_ACTIONS") == "true":
            from yotplan.safe_text import WorkflowCommandGuard

            self._guard = WorkflowCommandGuard()

    def write(self, text: str) -> int:
        from yotplan.safe_text import terminal_safe

        text = terminal_safe(text)
        if self._guard is not None and text:
            text = self._guard.text(text)
        return int(self._stream.write(text))

    def write_workflow_commands(self, text: str) -> int:
        """`check --format github`'s annotations: the one output meant to be read by the runner."""
        from yotplan.safe_text import WorkflowCommandGuard, terminal_safe

        written = int(self._stream.write(terminal_safe(text)))
        if self._guard is not None and text.endswith("\n"):
            self._guard = WorkflowCommandGuard()
        return written

    @property
    def buffer(self) -> Any:
        """The binary stream under this one, escaped the same way in a GitHub Actions log."""
        return self._stream.buffer if self._guard is None else _GuardedBinary(self)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _GuardedBinary:
    """`sys.stdout.buffer` in a GitHub Actions log: bytes (the calendar) pass the same guard as
    text, after what the text stream holds is flushed, so that the order stays as written."""

    def __init__(self, text: _TerminalSafe) -> None:
        self._text = text

    def write(self, data: bytes) -> int:
        self._text._stream.flush()
        self._text._stream.buffer.write(self._text._guard.bytes(bytes(data)))
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._text._stream.buffer, name)


_ROOT_HELP = ("--help", "-h")


def _register_only_what_runs(args: list[str]) -> None:
    """Leave on `app` only the command this run invokes.

    Before it runs anything, Typer turns the signature of every registered command into click
    options: 13 ms for our 17 commands, the largest part of yotplan's start-up above a
    one-command Typer app. A run invokes one command, and the top-level help shows only each
    command's name and docstring, so: the invoked command alone, or for the top-level help
    every command with its parameters left out. Anything else (an unknown command, so that
    Typer can suggest a close one; shell completion) keeps them all.
    """
    if "_YOTPLAN_COMPLETE" in os.environ:  # Typer's shell completion: it completes command names too
        return
    commands = {
        info.name or typer.main.get_command_name(info.callback.__name__): info
        for info in app.registered_commands
        if info.callback
    }
    groups = {info.name: info for info in app.registered_groups}
    for arg in args:
        if arg in _ROOT_HELP:
            break
        if arg == "--":
            return
        if arg.startswith("-"):
            continue
        if arg in commands:
            app.registered_commands, app.registered_groups = [commands[arg]], []
        elif arg in groups:
            app.registered_commands, app.registered_groups = [], [groups[arg]]
        return
    app.registered_commands = [_for_help_only(name, info) for name, info in commands.items()]


def _for_help_only(name: str, info: Any) -> Any:
    """A copy of a command's registration without its parameters, for the top-level help."""
    import copy

    def listed() -> None:  # pragma: no cover - never run: only its name and docstring are shown
        """"""

    listed.__doc__ = info.callback.__doc__
    light = copy.copy(info)
    light.name, light.callback = name, listed
    return light
