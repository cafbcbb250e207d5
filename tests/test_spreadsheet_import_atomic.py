"""`import` output appears whole or not at all (issue 17.9): the real process killed mid-import.

The import is paused by its documented test hook (yotplan.spreadsheet.new_folder) once the
temporary folder is complete and before it is renamed into place; the test waits for the hook's
`paused` file, kills the process with SIGKILL, and looks at what is left.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from hostile_support import yotplan_env
from yotplan.spreadsheet.new_folder import TEST_PAUSE_ENV

HANG_GUARD = 60.0


def small_plan(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ref", "Recommendation", "Action", "Lead", "Target date"])
    sheet.append(["1", "Improve the Board", "Meet monthly", "YOT Manager", "31/03/2023"])
    sheet.append(["1", "Improve the Board", "Report data", "Data Analyst", "30/06/2023"])
    workbook.save(path)
    return path


def command(workbook: Path, out: Path) -> list[str]:
    options = ["-o", str(out), "--source-id", "HMIP", "--today", "2023-01-01"]
    return [sys.executable, "-m", "yotplan", "import", str(workbook), *options]


def wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    """Wait until the process signals, by creating `path`; a hang guard, not a timing."""
    deadline = time.monotonic() + HANG_GUARD
    while not path.exists():
        assert process.poll() is None, f"the import ended with {process.returncode} before its pause"
        assert time.monotonic() < deadline, "the import never reached its pause"
        time.sleep(0.01)


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".yotplan-import-" in p.name or p.name.endswith("-tmp"))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and stale-folder cleaning are POSIX")
def test_a_kill_before_the_rename_leaves_no_folder_and_a_rerun_works(tmp_path: Path) -> None:
    workbook = small_plan(tmp_path / "plan.xlsx")
    parent = tmp_path / "service"
    parent.mkdir()
    out = parent / "plans"
    pause = tmp_path / "pause"
    pause.mkdir()
    process = subprocess.Popen(
        command(workbook, out),
        env=yotplan_env({TEST_PAUSE_ENV: str(pause)}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(pause / "paused", process)
        process.send_signal(signal.SIGKILL)
        process.wait(HANG_GUARD)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert not out.exists()  # no folder rather than half a plan
    [stale] = leftovers(parent)  # the complete temporary folder the kill stranded, hidden
    assert stale.startswith(".plans.yotplan-import-")

    rerun = subprocess.run(
        command(workbook, out), env=yotplan_env(), capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(p.name for p in out.iterdir()) == ["hmip.yaml", "owners.yaml", "schema"]
    assert "data-analyst:" in (out / "owners.yaml").read_text(encoding="utf-8")
    assert leftovers(parent) == []  # the re-run cleared what the killed run left


def test_a_finished_import_leaves_no_temporary_folder(tmp_path: Path) -> None:
    workbook = small_plan(tmp_path / "plan.xlsx")
    out = tmp_path / "plans"
    done = subprocess.run(
        command(workbook, out), env=yotplan_env(), capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["hmip.yaml", "owners.yaml", "schema"]
    assert leftovers(tmp_path) == []


def test_an_empty_folder_is_filled_and_a_folder_with_files_is_refused(tmp_path: Path) -> None:
    workbook = small_plan(tmp_path / "plan.xlsx")
    empty = tmp_path / "empty"
    empty.mkdir()
    filled = subprocess.run(
        command(workbook, empty), env=yotplan_env(), capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )
    assert filled.returncode == 0, filled.stderr
    assert sorted(p.name for p in empty.iterdir()) == ["hmip.yaml", "owners.yaml", "schema"]

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused = subprocess.run(
        command(workbook, busy), env=yotplan_env(), capture_output=True, text=True, timeout=HANG_GUARD, check=False
    )
    assert refused.returncode == 1
    assert refused.stderr == (
        f"yotplan: error: {busy} already holds files; nothing written: import into a new folder "
        "(the plan and owners.yaml are made together)\n"
    )
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    assert leftovers(tmp_path) == []
