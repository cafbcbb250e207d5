"""One edit at a time per plans folder: an exclusive lock held from reading to writing.

An edit reads the plans, validates the result and writes one file. Two `yotplan` edits
of the same folder at once would each start from the same old text, and the second write
would silently undo the first. The lock serialises them: the second waits, then reads
what the first wrote, so both changes apply.

- POSIX (Linux, macOS): an advisory `flock` on the plans folder itself, so there is no lock
  file to leave behind, commit by mistake or clean up after a crash (the kernel drops the
  lock when the process ends, however it ends).
- Windows, where a folder cannot be locked: `msvcrt.locking` on the first byte of a lock
  file named after the folder's full path, in the user's temporary folder (never in the
  plans folder or the repository). Windows too drops the lock when the process ends; the
  file stays, empty, for the next edit. Two users of one shared folder have two temporary
  folders, so their edits are not serialised; the re-check of the file's bytes before the
  rename (`yotplan.edit.safe_write`) still refuses an edit whose file changed underneath it.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from yotplan.errors import PlansLocked

LOCK_TIMEOUT = 60.0
"""Seconds to wait for another edit of the same folder to finish before giving up: an edit of a
plan file of several megabytes takes a few seconds, and several may be queued."""

WAIT_NOTICE_AFTER = 0.5
"""After this long, a waiting edit says what it waits for (`on_wait`)."""

_POLL = 0.02


def _open_lock(folder: Path) -> int:
    """A descriptor to lock for `folder`: the folder itself on POSIX, a lock file on Windows."""
    if sys.platform != "win32":
        return os.open(folder, os.O_RDONLY)
    name = hashlib.sha256(os.path.normcase(os.path.abspath(folder)).encode("utf-8")).hexdigest()[:32]
    locks = Path(tempfile.gettempdir()) / "yotplan-locks"
    locks.mkdir(exist_ok=True)
    return os.open(locks / f"{name}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock on `fd` without waiting; whether it was free."""
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:  # locked by another process (EACCES/EDEADLOCK)
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    """Let the lock go before the descriptor closes (POSIX's close does it by itself)."""
    if sys.platform == "win32":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass


@contextmanager
def plans_lock(
    folder: Path,
    *,
    timeout: float = LOCK_TIMEOUT,
    shown: str | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[bool]:
    """Hold the exclusive edit lock of `folder`; yields True once it is held.

    `on_wait` is called once, with a sentence, if the lock is not free within WAIT_NOTICE_AFTER
    seconds. Raises PlansLocked after `timeout` seconds of waiting.
    """
    fd = _open_lock(folder)
    locked = False
    try:
        start = time.monotonic()
        deadline = start + timeout
        told = on_wait is None
        while not (locked := _try_lock(fd)):
            now = time.monotonic()
            if not told and now - start >= WAIT_NOTICE_AFTER and on_wait is not None:
                on_wait(f"waiting for another yotplan edit of {shown or folder} to finish (for up to {timeout:g} s)")
                told = True
            if now >= deadline:
                raise PlansLocked(
                    f"{shown or folder} is being edited by another yotplan process (still busy after "
                    f"{timeout:g} s); nothing was written: try again in a moment"
                ) from None
            time.sleep(_POLL)
        yield True
    finally:
        if locked:
            _unlock(fd)
        os.close(fd)  # closing the descriptor releases the lock
