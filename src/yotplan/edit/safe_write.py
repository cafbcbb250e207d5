"""Writing a file so that it is always either the old file or the new one, never a torn mix.

`replace_file` writes a temporary file in the target's own folder (so the final rename
never crosses file systems), flushes and fsyncs it, gives it the target's permissions,
checks that the target still holds exactly the bytes the edit was made from, renames it
over the target and fsyncs the folder so the rename itself survives a power cut.

- Symlinks are followed: the file they point to is replaced, and the link stays a link. (A plan
  file that is a link leading outside its repository is never loaded, so never edited:
  `yotplan.plans.links`.)
- `write_output` writes a command's output file (`report -o`, `calendar -o`, `export -o`) the
  same way, but never follows a link: the rename replaces the path itself, so a committed
  `due.ics -> ../../victim` becomes a file and the victim is untouched.
- Temporary files are named `.<name>.<random>.yotplan-tmp`: hidden, and not `*.yaml`, so
  a process killed between writing and renaming never leaves a file that `yotplan check`
  or the loader would read. `remove_stale_temp_files` deletes such leftovers; call it only
  while holding the plans folder lock (`yotplan.edit.locking`), when no other edit can be
  writing one.
- The check-then-rename leaves a window of microseconds in which a program that does not
  take yotplan's lock (an editor) could save the file and lose that save; yotplan's own
  processes are serialised by the lock.

Test hook: when the environment variable `_YOTPLAN_TEST_PAUSE_BEFORE_REPLACE` holds the
absolute path of an existing folder, the edit stops at two named points and waits (up to
60 s) until a file named `resume` appears in that folder:

- `replace_file` writes the file `paused` (holding its pid) there after the temporary file
  is complete and before the re-check and rename;
- `read_settled` writes the file `settling` there when it is about to wait for a file that
  changed less than YOTPLAN_SETTLE_SECONDS ago to settle (never when that is 0).

The concurrency tests use it to kill or race a process at a known point, instead of
guessing with sleeps. It does nothing unless that variable names an existing folder, so it
cannot fire by accident.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

from yotplan.errors import EditRefused, FileChangedOnDisk, WriteFailed

TEMP_SUFFIX = ".yotplan-tmp"
TEST_PAUSE_ENV = "_YOTPLAN_TEST_PAUSE_BEFORE_REPLACE"
_TEST_PAUSE_LIMIT = 60.0

SETTLE_SECONDS = 1.0
"""An edit reads a file only once it has not changed for this long (see `read_settled`)."""
SETTLE_ENV = "YOTPLAN_SETTLE_SECONDS"


def digest(data: bytes) -> str:
    """The fingerprint of a file's bytes, used to notice that it changed on disk."""
    return hashlib.sha256(data).hexdigest()


def read_settled(path: Path, shown: str) -> bytes:
    """The bytes of a plan file that no other program is writing: the start of every edit.

    Another program may be saving the file in place (truncate, then write), and a save paused
    half-way can be a valid plan that has lost its second half; an edit made from it would
    write that loss back. So, before the bytes are used:

    - the file must be a regular file that its owner may write (a read-only plan is not
      edited: someone meant it to stay as it is);
    - on Linux, no process may have it open for writing: a read lease (`F_SETLEASE`) is granted
      only then, and is released at once;
    - it must not have changed in the last SETTLE_SECONDS (1 s, or $YOTPLAN_SETTLE_SECONDS): a
      file that changed more recently is watched until it is that old. One second covers the
      programs that write a file in several steps without holding it open between them, and
      costs a person nothing who runs one edit after another;
    - size, modification time and inode must be the same before and after the read.

    Any of these failing refuses the edit with one line (FileChangedOnDisk or EditRefused);
    nothing has been written.
    """
    settle = _settle_seconds()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise EditRefused(f"cannot read {shown}: {exc.strerror or exc}") from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise EditRefused(f"{shown} is not an ordinary file; nothing was written")
        if not before.st_mode & stat.S_IWUSR:
            raise EditRefused(
                f"{shown} is read-only (mode {stat.S_IMODE(before.st_mode):o}); nothing was written: "
                f"make it writable (chmod u+w {shown}) if it is meant to be edited"
            )
        if _open_for_writing(fd):
            raise FileChangedOnDisk(
                f"{shown} is open for writing by another program (an editor saving it?); nothing was "
                "written: try again when it has finished"
            )
        age = time.time() - before.st_mtime_ns / 1e9
        if 0 <= age < settle:
            pause_for_tests("settling")
            _wait_to_settle(fd, before, time.monotonic() + settle - age, shown)
        chunks = []
        remaining = before.st_size + 1  # one byte more: a file that grew is noticed
        while remaining > 0 and (chunk := os.read(fd, remaining)):
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        after = os.fstat(fd)
        try:
            now = os.stat(path)
        except OSError:
            now = None
    finally:
        os.close(fd)
    if (
        now is None
        or len(data) != before.st_size
        or _identity(before) != _identity(after)
        or _identity(after) != _identity(now)
    ):
        raise FileChangedOnDisk(
            f"{shown} changed on disk while this edit was reading it (another program saving it?); "
            "nothing was written: try again when it has finished"
        )
    return data


_SETTLE_POLL = 0.05


def _wait_to_settle(fd: int, before: os.stat_result, until: float, shown: str) -> None:
    """Wait until the monotonic time `until`, refusing as soon as the file changes meanwhile."""
    while (left := until - time.monotonic()) > 0:
        time.sleep(min(_SETTLE_POLL, left))
        if _identity(os.fstat(fd)) != _identity(before):
            raise FileChangedOnDisk(
                f"{shown} changed on disk while this edit was reading it (another program saving it?); "
                "nothing was written: try again when it has finished"
            )


def _settle_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(SETTLE_ENV, SETTLE_SECONDS)))
    except ValueError:
        return SETTLE_SECONDS


def _identity(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns)


def _open_for_writing(fd: int) -> bool:
    """Whether another process has this file open for writing (Linux only; elsewhere, or where
    leases are not allowed, False: the other checks still apply)."""
    if sys.platform != "linux":  # pragma: no cover - leases are Linux's
        return False
    import fcntl

    setlease = getattr(fcntl, "F_SETLEASE", None)
    if setlease is None:  # pragma: no cover - not Linux
        return False
    try:
        fcntl.fcntl(fd, setlease, fcntl.F_RDLCK)
    except BlockingIOError:
        return True  # EAGAIN: someone holds it open for writing
    except OSError:
        return False  # not the owner, or a file system without leases
    fcntl.fcntl(fd, setlease, fcntl.F_UNLCK)
    return False


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
        pause_for_tests()
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
    fsync_folder(target.parent)


def write_output(path: Path, data: bytes, shown: str | None = None) -> None:
    """Write a command's output file atomically, replacing whatever is at `path` itself.

    A temporary file in the same folder is written in full and fsynced, then renamed over `path`:
    `os.replace` replaces a symbolic link, never its target, so a link is data, not a door. An
    existing file keeps its permissions; a new one gets the usual 0666 less the umask. On a full
    disk (or any failure) WriteFailed is raised, the temporary file is removed and whatever was at
    `path` is left whole.
    """
    shown = shown or str(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteFailed(f"cannot write {shown}: {exc.strerror or exc}; nothing was changed") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteFailed(f"cannot write {shown}: it is a folder; give a file name")
    if info is not None and stat.S_ISREG(info.st_mode):
        mode = stat.S_IMODE(info.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    temp = _write_temp(path, data, mode, shown)
    try:
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise WriteFailed(f"cannot write {shown}: {exc.strerror or exc}; nothing was changed") from None
        raise
    fsync_folder(path.parent)


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
    fsync_folder(path.parent)


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


def fsync_folder(folder: Path) -> None:
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


def pause_for_tests(point: str = "paused", env: str = TEST_PAUSE_ENV) -> None:
    """The documented test hook (see the module docstring; `import` has its own variable): when the
    variable `env` names a folder, write `point` there and wait for `resume`. Does nothing in normal use."""
    folder = os.environ.get(env)
    if not folder or not os.path.isabs(folder) or not os.path.isdir(folder):
        return
    Path(folder, point).write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + _TEST_PAUSE_LIMIT
    while not os.path.exists(os.path.join(folder, "resume")) and time.monotonic() < deadline:
        time.sleep(0.01)
