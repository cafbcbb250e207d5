"""Helpers for the hostile tests (issue 9): the real `yotplan` in a real process, on a pipe or a
terminal, and the checks that no control sequence or workflow command gets out of it.

The attacks run `python -m yotplan`, the same entry point as the console script. To see an
attack succeed against another install of yotplan (an older release, say), point
`YOTPLAN_HOSTILE_PYTHON` at that install's interpreter; by default it is the test run's own.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PYTHON = os.environ.get("YOTPLAN_HOSTILE_PYTHON") or sys.executable
TIMEOUT = 120.0
"""Only a safety net, never what a test asserts: how long to wait for a process that should end."""
TODAY = "2022-06-01"


def yotplan_env(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The test run's environment (its cache folder and key, pinned terminal) without any other
    YOTPLAN_ setting, plus `extra` (a None value removes the variable)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("YOTPLAN_", "_YOTPLAN_"))
        or k in ("YOTPLAN_CACHE_DIR", "YOTPLAN_SETTLE_SECONDS", "YOTPLAN_HOSTILE_PYTHON")
    }
    env.pop("YOTPLAN_HOSTILE_PYTHON", None)
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@dataclass
class Ran:
    code: int
    out: bytes
    err: bytes

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", "replace")


def argv(*args: str | Path) -> list[str]:
    return [PYTHON, "-m", "yotplan", *map(str, args)]


def run(
    *args: str | Path,
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
    stdout: int | None = None,
    timeout: float = TIMEOUT,
) -> Ran:
    """`yotplan ARGS` in its own process, stdout on a pipe (or the given descriptor)."""
    done = subprocess.run(
        argv(*args),
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=yotplan_env(env),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    return Ran(done.returncode, done.stdout or b"", done.stderr)


def start(
    *args: str | Path, env: Mapping[str, str | None] | None = None, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        argv(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=yotplan_env(env),
        cwd=cwd,
    )


def finish(process: subprocess.Popen[bytes], timeout: float = TIMEOUT) -> Ran:
    out, err = process.communicate(timeout=timeout)
    return Ran(process.returncode, out, err)


def run_all(
    *commands: tuple[str | Path, ...],
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
    timeout: float = TIMEOUT,
) -> list[Ran]:
    """Several independent `yotplan` runs at once (each in its own process), in order."""
    processes = [start(*args, env=env, cwd=cwd) for args in commands]
    try:
        return [finish(process, timeout) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


COLOUR_TERMINAL = {"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "250"}


def run_on_terminal(
    *args: str | Path,
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
    timeout: float = TIMEOUT,
) -> tuple[int, bytes]:
    """`yotplan ARGS` with stdin, stdout and stderr on a pseudo-terminal 250 columns wide, in
    colour; returns the exit code and every byte it sent to the terminal."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 250, 0, 0))
    try:
        process = subprocess.Popen(
            argv(*args),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=yotplan_env({**COLOUR_TERMINAL, **(env or {})}),
            cwd=cwd,
        )
    finally:
        os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            assert time.monotonic() < deadline, f"yotplan {args} did not finish on the terminal"
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the process closed the terminal's last descriptor
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=timeout)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    return code, b"".join(chunks)


# What may reach a terminal or a CI log ------------------------------------------------------

_SGR = re.compile(rb"\x1b\[[0-9;]*m")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_C1 = re.compile("[\x80-\x9f]")
_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # every C0 but tab, newline and carriage return


def unsafe_bytes(data: bytes) -> list[str]:
    """Everything in `data` that a terminal would act on beyond colour: ESC outside an SGR
    sequence, C0 and DEL, C1 (as characters or as UTF-8 bytes), bidi controls, undecodable bytes."""
    found = []
    without_sgr = _SGR.sub(b"", data)
    if b"\x1b" in without_sgr:
        at = without_sgr.index(b"\x1b")
        found.append(f"ESC outside SGR: {without_sgr[max(0, at - 20) : at + 20]!r}")
    try:
        text = without_sgr.decode("utf-8")
    except UnicodeDecodeError as exc:
        found.append(f"not UTF-8 ({exc}): raw C1 bytes?")
        text = without_sgr.decode("utf-8", "replace")
    for name, pattern in (("C0/DEL", _C0), ("C1", _C1), ("bidi", _BIDI)):
        match = pattern.search(text.replace("\x1b", ""))
        if match:
            found.append(f"{name} {match.group()!r} in {text[max(0, match.start() - 20) : match.end() + 20]!r}")
    return found


def assert_terminal_safe(*outputs: bytes) -> None:
    for data in outputs:
        problems = unsafe_bytes(data)
        assert not problems, problems


_OWN_ANNOTATION = re.compile(
    r"^::(error|warning) file=[^:,\n]*(,line=\d+)?(,col=\d+)?,title=YP\d{3}::[^\n]*$"
    r"|^::notice::\d+ more (error|warning)s not annotated; run `yotplan check` to see them all$"
)


def workflow_commands(text: str) -> list[str]:
    """Lines a GitHub runner would read as workflow commands (it trims a line before looking for
    `::` or `##[`) that are not one of yotplan's own annotations."""
    found = []
    for line in re.split(r"\r\n|\r|\n", text):
        stripped = line.strip()
        if stripped.startswith("##[") or (stripped.startswith("::") and not _OWN_ANNOTATION.match(line)):
            found.append(line)
    return found


def assert_no_workflow_commands(*outputs: str) -> None:
    for text in outputs:
        forged = workflow_commands(text)
        assert not forged, forged


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace exactly one occurrence of `old` in the file (a failed replacement fails the test)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def lines_of(data: bytes) -> list[str]:
    return data.decode("utf-8", "replace").splitlines()


def files_under(folder: Path) -> dict[str, bytes]:
    """Every regular file under `folder` with its bytes (for "nothing changed" assertions)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def all_absent(paths: Iterable[Path]) -> bool:
    return not any(os.path.lexists(p) for p in paths)


def _shipped_files() -> int:
    from conftest import SHIPPED_PLANS

    return sum(1 for p in SHIPPED_PLANS.iterdir() if p.suffix in (".yaml", ".yml"))


SHIPPED_FILES = _shipped_files()
"""How many files `check` reads in a copy of the shipped plans."""
