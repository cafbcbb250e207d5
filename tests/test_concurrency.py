"""Concurrent and interrupted edits, with real processes: no change is lost silently, no file is torn.

The pause inside the write uses the documented test hook of yotplan.edit.safe_write: the
process stops after its temporary file is complete and before the re-check and rename,
holding the plans folder's lock, until the test lets it go (or kills it).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from datetime import date
from pathlib import Path
from typing import IO

import pytest

from edit_support import yotplan_process
from yotplan.edit.safe_write import TEMP_SUFFIX, TEST_PAUSE_ENV
from yotplan.edit.session import EditSession
from yotplan.errors import PlansLocked

from conftest import TODAY, Invoke

HMIP = "hmip-inspection.yaml"
WAIT = 120.0  # only a safety net: how long to wait for a process that should end


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + WAIT
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"process ended before pausing: {process.communicate()}")
        assert time.monotonic() < deadline, "the process never reached the pause"
        time.sleep(0.01)


def paused_update(plans: Path, hook: Path, *args: str) -> subprocess.Popen[str]:
    """An `update` process stopped inside its write (lock held, temporary file written)."""
    hook.mkdir()
    process = yotplan_process("update", *args, "--plans", plans, "--today", TODAY, env={TEST_PAUSE_ENV: str(hook)})
    wait_for(hook / "paused", process)
    return process


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=WAIT)
    return process.returncode, out, err


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{TEMP_SUFFIX}"))


def first_line(stream: IO[str], process: subprocess.Popen[str]) -> str:
    """The next line `process` writes to `stream` (a pipe), waiting for it; the deadline is only a
    safety net. A thread reads, so that this works where `select` takes no pipes (Windows)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=WAIT)
    except queue.Empty:
        raise AssertionError(f"the process wrote nothing in {WAIT:g} s (running: {process.poll() is None})") from None


def test_a_second_edit_waits_for_the_first_and_both_apply(plans: Path, tmp_path: Path) -> None:
    first = paused_update(plans, tmp_path / "hook", "HMIP-1.1", "--status", "blocked", "--reason", "Waiting for CAMHS")
    second = yotplan_process("update", "HMIP-1.3", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert second.stderr is not None
    notice = first_line(second.stderr, second)  # the second edit has reached the lock and says it waits
    assert notice == f"yotplan: waiting for another yotplan edit of {plans} to finish (for up to 60 s)\n"
    assert second.poll() is None, "the second edit did not wait for the lock"
    (tmp_path / "hook" / "resume").touch()
    assert finish(first)[0] == 0
    code, out, err = finish(second)
    assert (code, err) == (0, "")
    assert out.startswith("updated HMIP-1.3")
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert "      - id: HMIP-1.1\n" in text
    statuses = [line.strip() for line in text.splitlines() if line.strip().startswith("status:")][:3]
    assert statuses == ["status: blocked", "status: in-progress", "status: in-progress"]


def test_many_edits_at_once_all_apply(cli: Invoke, plans: Path) -> None:
    ids = ["HMIP-1.1", "HMIP-1.3", "HMIP-2.1", "HMIP-3.2", "HMIP-4.1", "HMIP-4.2"]
    processes = [
        yotplan_process("log", action_id, f"Note for {action_id}.", "--plans", plans, "--today", TODAY)
        for action_id in ids
    ]
    results = [finish(p) for p in processes]
    assert [code for code, _, _ in results] == [0] * len(ids), results
    text = (plans / HMIP).read_text(encoding="utf-8")
    for action_id in ids:
        assert f"note: Note for {action_id}." in text
    assert cli("check", "--plans", plans, "--today", TODAY).exit_code == 0
    assert temp_files(plans) == []


def test_an_edit_that_cannot_get_the_lock_in_time_is_refused(plans: Path, tmp_path: Path) -> None:
    holder = paused_update(plans, tmp_path / "hook", "HMIP-1.1", "--status", "blocked", "--reason", "Waiting for CAMHS")
    try:
        with (
            pytest.raises(PlansLocked, match="is being edited by another yotplan process"),
            EditSession(plans, date.fromisoformat(TODAY), lock_timeout=0.3),
        ):
            pass
    finally:
        (tmp_path / "hook" / "resume").touch()
        finish(holder)


def test_a_file_saved_by_an_editor_during_an_edit_is_not_overwritten(plans: Path, tmp_path: Path) -> None:
    editing = paused_update(
        plans, tmp_path / "hook", "HMIP-1.1", "--status", "blocked", "--reason", "Waiting for CAMHS"
    )
    saved_by_editor = (plans / HMIP).read_text(encoding="utf-8").replace("owner: camhs-lead", "owner: yot-manager", 1)
    (plans / HMIP).write_text(saved_by_editor, encoding="utf-8")
    (tmp_path / "hook" / "resume").touch()
    code, out, err = finish(editing)
    assert (code, out) == (1, "")
    assert err == (
        f"yotplan: error: {plans / HMIP} changed on disk while this edit was being made (saved by an editor or "
        "another program?); nothing was written: run the command again\n"
    )
    assert (plans / HMIP).read_text(encoding="utf-8") == saved_by_editor
    assert temp_files(plans) == []


def test_a_process_killed_inside_the_write_leaves_the_old_file(cli: Invoke, plans: Path, tmp_path: Path) -> None:
    before = (plans / HMIP).read_bytes()
    victim = paused_update(plans, tmp_path / "hook", "HMIP-1.1", "--status", "blocked", "--reason", "Waiting for CAMHS")
    victim.kill()  # SIGKILL; TerminateProcess on Windows
    assert finish(victim)[0] == (-signal.SIGKILL if os.name == "posix" else 1)
    assert (plans / HMIP).read_bytes() == before
    [leftover] = temp_files(plans)
    assert leftover.name.startswith(".hmip-inspection.yaml.")
    assert not leftover.name.endswith((".yaml", ".yml"))
    check = cli("check", "--plans", plans, "--today", TODAY)
    assert (check.exit_code, check.stderr) == (0, "6 files checked: no problems\n")
    # The next edit takes the lock, so no edit can be writing: it clears the leftover.
    assert cli("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY).exit_code == 0
    assert temp_files(plans) == []


def test_killed_at_any_moment_the_file_is_the_old_one_or_the_new_one(plans: Path, tmp_path: Path) -> None:
    """SIGKILL at three known moments, reached through the test hook rather than guessed with sleeps:
    as the process starts, inside the write (temporary file complete, lock held), and as the write
    is let go on (before, during or after the rename)."""
    path = plans / HMIP
    old = path.read_bytes()
    args = ("log", "HMIP-1.1", "Killed or not.", "--plans", plans, "--today", TODAY)
    assert finish(yotplan_process(*args))[0] == 0
    new = path.read_bytes()
    assert new != old
    outcomes = {}
    for moment in ("as it starts", "inside the write", "as the write goes on"):
        path.write_bytes(old)
        hook = tmp_path / moment.replace(" ", "-")
        hook.mkdir()
        process = yotplan_process(*args, env={TEST_PAUSE_ENV: str(hook)})
        if moment != "as it starts":
            wait_for(hook / "paused", process)
        if moment == "as the write goes on":
            (hook / "resume").touch()
        process.kill()
        process.communicate(timeout=WAIT)
        now = path.read_bytes()
        assert now in (old, new), moment
        outcomes[moment] = now == new
        for leftover in temp_files(plans):
            assert not leftover.name.endswith((".yaml", ".yml"))
            leftover.unlink()
    assert outcomes["inside the write"] is False  # the rename had not happened: the old file, whole
