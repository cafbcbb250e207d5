"""The Typer app: its command classes, its root options, and which commands a run registers.

Start-up matters (people run this dozens of times a day), so this module imports only
typer and the standard library; each command imports what it needs when it runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from yotplan import __version__
from yotplan.cli.exit_codes import guarded
from yotplan.cli.output import flush_stdout
from yotplan.cli.settings import RUN


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
    """Runs every command through the exit-code map (`yotplan.cli.exit_codes.guarded`): a failure
    is one line on stderr and an exit code."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _wordless_flags(super().get_params(ctx))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except KeyboardInterrupt:  # Typer turns it into exit 130 without a word
            import sys

            sys.stderr.write("yotplan: interrupted\n")
            raise

    def invoke(self, ctx: Any) -> Any:
        def run() -> Any:
            result = super(GuardedGroup, self).invoke(ctx)
            flush_stdout()
            return result

        return guarded(run)

    def _main_shell_completion(self, ctx_args: Any, prog_name: str, complete_var: str | None = None) -> None:
        if "_YOTPLAN_COMPLETE" not in os.environ:
            super()._main_shell_completion(ctx_args, prog_name, complete_var)
            return
        from yotplan.cli.completion import yotplan_shells

        with yotplan_shells():  # a Tab press: answered through the shell classes of cli/completion.py
            super()._main_shell_completion(ctx_args, prog_name, complete_var)


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
    RUN.traceback, RUN.no_cache = traceback, no_cache  # set, or reset, for this run


# Registration ---------------------------------------------------------------------------

_ROOT_HELP = ("--help", "-h")


def register_only_what_runs(args: list[str]) -> None:
    """Leave on `app` only the command this run invokes.

    Before it runs anything, Typer turns the signature of every registered command into click
    options: about half a millisecond per command (there are 25, with `add`'s), the largest part of
    yotplan's start-up above a one-command Typer app. A run invokes one command, and the
    top-level help shows only each command's name and docstring, so: the invoked command alone,
    or for the top-level help every command with its parameters left out. Anything else (an
    unknown command, so that Typer can suggest a close one; shell completion) keeps them all.
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
