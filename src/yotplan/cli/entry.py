"""The console-script entry point: the run's streams, the one command registered, the app run,
and any failure outside a command mapped to its exit code as inside one."""

from __future__ import annotations

import sys

from yotplan.cli.app import app, register_only_what_runs
from yotplan.cli.exit_codes import failure_code
from yotplan.cli.output import terminal_safe_streams


def main() -> None:
    """Run `yotplan` with the command line in `sys.argv`."""
    saved = app.registered_commands, app.registered_groups
    try:
        with terminal_safe_streams():
            try:
                register_only_what_runs(sys.argv[1:])
                app(prog_name="yotplan")
            except (Exception, KeyboardInterrupt) as exc:  # before or after a command runs (inside, it is guarded)
                raise SystemExit(failure_code(exc)) from None
    finally:
        app.registered_commands, app.registered_groups = saved
