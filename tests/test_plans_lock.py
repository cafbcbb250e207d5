"""How the plans folder's edit lock is taken: the folder itself on POSIX, a lock file on Windows.

The tests run on Linux. The Windows branch is still run here, with `sys.platform` said to be
"win32" to the lock module only and a fake `msvcrt` that records what it is asked: what is
checked is what yotplan asks of Windows (which file, which byte, which mode), not Windows itself.
Two edits at once through real processes are in test_concurrency.py.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from yotplan.edit import locking
from yotplan.edit.locking import plans_lock
from yotplan.errors import PlansLocked

# The stand-in for Windows below stands in for msvcrt, not for the real thing: on Windows these
# tests are skipped, and the real lock is taken by test_concurrency.py's processes.
fcntl = pytest.importorskip("fcntl", reason="the POSIX lock and the stand-in for Windows run on POSIX")


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's temporary folder, where the Windows lock files go: empty, and the test's own."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def plans_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "owners.yaml").write_text("owners: {}\n", encoding="utf-8")
    return folder


def held_by_another(folder: Path) -> bool:
    """Whether another open file description holds an exclusive lock on `folder`."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_on_posix_the_lock_is_on_the_folder_itself_and_leaves_no_file(plans_folder: Path, temp_folder: Path) -> None:
    with plans_lock(plans_folder, timeout=0) as locked:
        assert locked is True
        assert held_by_another(plans_folder)
        assert sorted(p.name for p in plans_folder.iterdir()) == ["owners.yaml"]
        assert list(temp_folder.iterdir()) == []
    assert not held_by_another(plans_folder)


def test_a_lock_held_elsewhere_is_not_taken_and_says_so(plans_folder: Path) -> None:
    other = os.open(plans_folder, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(PlansLocked) as caught, plans_lock(plans_folder, timeout=0, shown="plans"):
            pass
    finally:
        os.close(other)
    assert str(caught.value) == (
        "plans is being edited by another yotplan process (still busy after 0 s); nothing was written: "
        "try again in a moment"
    )


@pytest.fixture
def on_windows(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int, int]]:
    """The lock module believes it runs on Windows; `msvcrt.locking` records (what, fd, bytes, position)."""
    calls: list[tuple[str, int, int, int]] = []
    fake = SimpleNamespace(LK_NBLCK=2, LK_UNLCK=0, busy=False)

    def locking_call(fd: int, mode: int, nbytes: int) -> None:
        what = {fake.LK_NBLCK: "lock", fake.LK_UNLCK: "unlock"}[mode]
        calls.append((what, fd, nbytes, os.lseek(fd, 0, os.SEEK_CUR)))
        if fake.busy:
            raise PermissionError(13, "Permission denied")

    fake.locking = locking_call
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(locking, "sys", SimpleNamespace(platform="win32"))
    return calls


O_BINARY = 0x4000_0000
"""A stand-in for Windows' O_BINARY flag, taken out again before the real open."""


@pytest.mark.parametrize("has_o_binary", [False, True])
def test_on_windows_the_lock_is_a_file_named_after_the_folder_in_the_temporary_folder(
    plans_folder: Path,
    temp_folder: Path,
    on_windows: list[tuple[str, int, int, int]],
    monkeypatch: pytest.MonkeyPatch,
    has_o_binary: bool,
) -> None:
    if has_o_binary:
        monkeypatch.setattr(os, "O_BINARY", O_BINARY, raising=False)
    opened: list[tuple[Path, int, int]] = []
    real_open = os.open

    def recording_open(path: Path, flags: int, mode: int = 0o777) -> int:
        opened.append((Path(path), flags, mode))
        return real_open(path, flags & ~O_BINARY, mode)

    other_folder = plans_folder.parent / "other"
    other_folder.mkdir()
    with monkeypatch.context() as patched:
        patched.setattr(os, "open", recording_open)
        fds = [locking._open_lock(plans_folder), locking._open_lock(other_folder), locking._open_lock(plans_folder)]
    for fd in fds:
        os.close(fd)

    def lock_file(folder: Path) -> Path:
        name = hashlib.sha256(os.path.normcase(os.path.abspath(folder)).encode("utf-8")).hexdigest()[:32]
        return temp_folder / "yotplan-locks" / f"{name}.lock"

    flags = os.O_RDWR | os.O_CREAT | (O_BINARY if has_o_binary else 0)
    assert opened == [
        (lock_file(plans_folder), flags, 0o600),
        (lock_file(other_folder), flags, 0o600),
        (lock_file(plans_folder), flags, 0o600),
    ]
    assert sorted(p.name for p in (temp_folder / "yotplan-locks").iterdir()) == sorted(
        {lock_file(plans_folder).name, lock_file(other_folder).name}
    )
    assert sorted(p.name for p in plans_folder.iterdir()) == ["owners.yaml"]  # nothing in the plans folder


def test_on_windows_the_first_byte_is_locked_without_waiting_and_let_go(
    tmp_path: Path, on_windows: list[tuple[str, int, int, int]]
) -> None:
    path = tmp_path / "x.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.lseek(fd, 5, os.SEEK_SET)
        assert locking._try_lock(fd) is True
        os.lseek(fd, 5, os.SEEK_SET)
        locking._unlock(fd)
        assert on_windows == [("lock", fd, 1, 0), ("unlock", fd, 1, 0)]
        on_windows.clear()
        sys.modules["msvcrt"].busy = True  # type: ignore[attr-defined]  # locked by another process
        assert locking._try_lock(fd) is False
        locking._unlock(fd)  # a lock that was not held: nothing to let go, no error
        assert on_windows == [("lock", fd, 1, 0), ("unlock", fd, 1, 0)]
    finally:
        os.close(fd)
