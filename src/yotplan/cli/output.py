"""Output: the streams a run writes to, made safe, and what to do when writing fails.

Data goes to stdout, diagnostics to stderr, one line each. Every text passes through
`TerminalSafe` (control characters made visible, GitHub workflow commands neutralised in
Actions), and a failed write (a full disk, a closed pipe) becomes `OutputFailed`, which the
exit-code map (`yotplan.cli.exit_codes`) turns into one line and exit 1.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from yotplan.problems import Problem


class OutputFailed(Exception):
    """Writing to stdout failed (a full disk, a closed pipe). `quiet` when the reader went away
    (`yotplan overdue | head -1`): the run ends without a word."""

    def __init__(self, message: str, *, quiet: bool = False) -> None:
        super().__init__(message)
        self.quiet = quiet


OUTPUT_ERRORS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})
"""What writing to stdout fails with when the reader or the disk is gone, not yotplan."""


def output_failed(exc: OSError) -> NoReturn:
    """Raise OutputFailed for a failed write to stdout: quiet when the reader went away, one line
    otherwise (`> /dev/full`): the output is incomplete, which a script must know."""
    try:  # whatever is still buffered must not fail again when Python exits
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    raise OutputFailed(f"cannot write output: {exc.strerror or exc}", quiet=isinstance(exc, BrokenPipeError)) from None


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
            output_failed(exc)
        if text is not None:
            write_stdout(text)
            return
    try:
        console.print(renderable)
    except OSError as exc:
        output_failed(exc)


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
        output_failed(exc)


def flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        output_failed(exc)


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


def print_problems(problems: list[Problem]) -> None:
    """Problems on stderr, errors before warnings, one line each."""
    from yotplan.render.problems import capped, problems_text

    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.sort_key))
    sys.stderr.write(problems_text(capped(ordered)))


def print_workflow_commands(text: str) -> None:
    """Print GitHub workflow commands, which yotplan's stdout otherwise neutralises in Actions."""
    try:
        getattr(sys.stdout, "write_workflow_commands", sys.stdout.write)(text)
    except OSError as exc:
        output_failed(exc)


@contextmanager
def terminal_safe_streams() -> Iterator[None]:
    """stdout and stderr wrapped in `TerminalSafe` for the run, and restored after it."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(sys.stdout), TerminalSafe(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


class TerminalSafe:
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

    def __init__(self, text: TerminalSafe) -> None:
        self._text = text

    def write(self, data: bytes) -> int:
        self._text._stream.flush()
        self._text._stream.buffer.write(self._text._guard.bytes(bytes(data)))
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._text._stream.buffer, name)
