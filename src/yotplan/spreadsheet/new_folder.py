"""A new plans folder made whole or not at all: what `yotplan import` writes.

The plan file and owners.yaml only make sense together, so they are written into a hidden
temporary folder beside the target (`.<name>.yotplan-import-<pid>-<random>`), each file fsynced,
checked by the caller, and the folder renamed into place. A process killed at any moment leaves
either no output folder or the complete one; a temporary folder left by a killed import (its pid
no longer running) is removed by the next import into the same target.

The target must not exist, or be an empty folder (renamed over on POSIX, removed first elsewhere).

Test hook: when the environment variable `_YOTPLAN_TEST_PAUSE_BEFORE_PLACING` holds the absolute
path of an existing folder, `create_folder` writes the file `paused` (holding its pid) there once
the temporary folder is complete and before the rename, then waits (up to 60 s) until a file named
`resume` appears there. The tests use it to kill the real process at that point. It does nothing
unless the variable names an existing folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from yotplan.edit.safe_write import fsync_folder, pause_for_tests
from yotplan.plans.loader import display_path
from yotplan.spreadsheet.errors import ImportRefused, SpreadsheetError

TEST_PAUSE_ENV = "_YOTPLAN_TEST_PAUSE_BEFORE_PLACING"
_MARK = ".yotplan-import-"


def create_folder(target: Path, files: Mapping[str, str], check: Callable[[Path], None] | None = None) -> None:
    """Create `target` holding `files` (path relative to it -> text), all at once.

    `check(folder)` runs on the complete temporary folder before it is placed, and may raise to
    stop; nothing is left behind then. Raises ImportRefused when `target` exists and is not an
    empty folder, SpreadsheetError when it cannot be written.
    """
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SpreadsheetError(f"cannot create {display_path(parent)}: {exc.strerror or exc}") from None
    remove_stale_folders(target)
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}{_MARK}{os.getpid()}-", dir=parent))
    except OSError as exc:
        raise SpreadsheetError(f"cannot write in {display_path(parent)}: {exc.strerror or exc}") from None
    try:
        for name, text in files.items():
            (temp / name).parent.mkdir(parents=True, exist_ok=True)
            with open(temp / name, "xb") as handle:
                handle.write(text.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(temp, 0o777 & ~_umask())
        fsync_folder(temp)
        if check is not None:
            check(temp)
        pause_for_tests(env=TEST_PAUSE_ENV)
        _rename_into_place(temp, target)
        fsync_folder(parent)
    except BaseException as exc:
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise SpreadsheetError(
                f"cannot create {display_path(target)}: {exc.strerror or exc}; nothing written"
            ) from None
        raise


def _rename_into_place(temp: Path, target: Path) -> None:
    try:
        os.rename(temp, target)  # POSIX: atomic, and replaces only an empty folder
    except OSError:
        if not target.is_dir() or target.is_symlink() or any(target.iterdir()):
            raise ImportRefused(
                f"{display_path(target)} appeared while importing; nothing written: import into a new folder"
            ) from None
        target.rmdir()  # an empty folder where rename cannot replace one (Windows)
        os.rename(temp, target)


def remove_stale_folders(target: Path) -> list[Path]:
    """Remove the temporary folders that killed imports into `target` left behind; returns them."""
    pattern = re.compile(re.escape(f".{target.name}{_MARK}") + r"(\d+)-[^/\\]*")
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            match = pattern.fullmatch(entry.name)
            if match and entry.is_dir() and not entry.is_symlink() and not _running(int(match[1])):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C there: keep the folder, to be safe
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
