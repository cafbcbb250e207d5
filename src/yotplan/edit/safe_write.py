"""Writing a file so that it is always either the old file or the new one, never a torn mix.

`replace_file` writes a temporary file in the target's own folder (so the final rename
never crosses file systems), flushes and fsyncs it, gives it the target's permissions,
checks that the target still holds exactly the bytes the edit was made from, renames it
over the target and fsyncs the folder so the rename itself survives a power cut.

- Symlinks are followed: the file they point to is replaced, and the link stays a link.
- Temporary files are named `.<name>.<random>.yotplan-tmp`: hidden, and not `*.yaml`, so
  a process killed between writing and renaming never leaves a file that `yotplan check`
  or the loader would read. `remove_stale_temp_files` deletes such leftovers; call it only
  while holding the plans folder lock (`yotplan.edit.locking`), when no other edit can be
  writing one.
- The check-then-rename leaves a window of microseconds in which a program that does not
  take yotplan's lock (an editor) could save the file and lose that save; yotplan's own
  processes are serialised by the lock.

Test hook: when the environment variable `_YOTPLAN_TEST_PAUSE_BEFORE_REPLACE` holds the
absolute path of an existing folder, `replace_file` writes the file `paused` (holding its
pid) into that folder after the temporary file is complete and before the re-check and
rename, then waits (up to 60 s) until a file named `resume` appears there. The
concurrency tests use it to kill or race a process inside the write. It does nothing
unless that variable names an existing folder, so it cannot fire by accident.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
import time
from pathlib import Path

from yotplan.errors import FileChangedOnDisk, WriteFailed

TEMP_SUFFIX = ".yotplan-tmp"
TEST_PAUSE_ENV = "_YOTPLAN_TEST_PAUSE_BEFORE_REPLACE"
_TEST_PAUSE_LIMIT = 60.0


def digest(data: bytes) -> str:
    """The fingerprint of a file's bytes, used to notice that it changed on disk."""
    return hashlib.sha256(data).hexdigest()


def replace_file(path: Path, data: bytes, *, expected_digest: str, shown: str | None = None) -> None:
    """Atomically replace the file at `path` (following symlinks) with `data`.

    Refuses with FileChangedOnDisk, writing nothing, when the file no longer has
    `expected_digest`. Raises WriteFailed when the file system refuses; the old file
    is then left as it was.
    """
    shown = shown or str(path)
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError as exc:
        raise WriteFailed(f"cannot write {shown}: {exc.strerror or exc}; nothing was changed") from None
    temp = _write_temp(target, data, mode, shown)
    try:
        _pause_for_tests()
        try:
            current = target.read_bytes()
        except OSError:
            current = b""
        if digest(current) != expected_digest:
            raise FileChangedOnDisk(
                f"{shown} changed on disk while this edit was being made (saved by an editor or another "
                "program?); nothing was written: run the command again"
            )
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise WriteFailed(f"cannot write {shown}: {exc.strerror or exc}; the file is unchanged") from None
        raise
    _fsync_folder(target.parent)


def create_file(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Create `path` with `data` atomically; raises FileExistsError if it already exists.

    The link from the finished temporary file is the atomic step: a crash leaves either no
    file or the whole file, and an existing file is never overwritten.
    """
    umask = os.umask(0)
    os.umask(umask)
    temp = _write_temp(path, data, mode & ~umask, str(path))
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: exclusive create, then write
        with open(path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _fsync_folder(path.parent)


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Delete temporary files that a killed edit of `path` left behind; returns them."""
    target = Path(os.path.realpath(path))
    stale = sorted(target.parent.glob(f".{_glob_escape(target.name)}.*{TEMP_SUFFIX}"))
    for leftover in stale:
        with contextlib.suppress(OSError):
            leftover.unlink()
    return stale


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def _write_temp(target: Path, data: bytes, mode: int, shown: str) -> str:
    """A complete, fsynced temporary copy of `data` next to `target`, with `mode`."""
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise WriteFailed(f"cannot write {shown}: {exc.strerror or exc}; nothing was changed") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)  # mkstemp makes it 0600; keep the target's permissions
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise WriteFailed(f"cannot write {shown}: {exc.strerror or exc}; the file is unchanged") from None
        raise
    return temp


def _fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable. Not every platform can open a folder; that is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _pause_for_tests() -> None:
    """The documented test hook (see the module docstring); does nothing in normal use."""
    folder = os.environ.get(TEST_PAUSE_ENV)
    if not folder or not os.path.isabs(folder) or not os.path.isdir(folder):
        return
    Path(folder, "paused").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + _TEST_PAUSE_LIMIT
    while not os.path.exists(os.path.join(folder, "resume")) and time.monotonic() < deadline:
        time.sleep(0.01)
