"""One edit at a time per plans folder: an exclusive lock held from reading to writing.

An edit reads the plans, validates the result and writes one file. Two `yotplan` edits
of the same folder at once would each start from the same old text, and the second write
would silently undo the first. The lock serialises them: the second waits, then reads
what the first wrote, so both changes apply.

The lock is an advisory `flock` on the plans folder itself, so there is no lock file to
leave behind, commit by mistake or clean up after a crash (the kernel drops the lock when
the process ends, however it ends). Where `fcntl` does not exist (Windows) there is no
lock; the re-check of the file's bytes before the rename (`yotplan.edit.safe_write`) still
refuses an edit whose file changed underneath it.
"""

from __future__ import annotations

import os
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


@contextmanager
def plans_lock(
    folder: Path,
    *,
    timeout: float = LOCK_TIMEOUT,
    shown: str | None = None,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[bool]:
    """Hold the exclusive edit lock of `folder`; yields whether a real lock is held.

    `on_wait` is called once, with a sentence, if the lock is not free within WAIT_NOTICE_AFTER
    seconds. Raises PlansLocked after `timeout` seconds of waiting.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield False
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        start = time.monotonic()
        deadline = start + timeout
        told = on_wait is None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                now = time.monotonic()
                if not told and now - start >= WAIT_NOTICE_AFTER and on_wait is not None:
                    on_wait(
                        f"waiting for another yotplan edit of {shown or folder} to finish (for up to {timeout:g} s)"
                    )
                    told = True
                if now >= deadline:
                    raise PlansLocked(
                        f"{shown or folder} is being edited by another yotplan process (still busy after "
                        f"{timeout:g} s); nothing was written: try again in a moment"
                    ) from None
                time.sleep(_POLL)
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock
