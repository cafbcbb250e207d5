"""Atomic replacement: the old file or the new one, never a torn one, and no stray temporary files."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from yotplan.edit import safe_write
from yotplan.edit.safe_write import TEMP_SUFFIX, create_file, digest, remove_stale_temp_files, replace_file
from yotplan.errors import EditRefused, FileChangedOnDisk, WriteFailed

from conftest import TODAY, Invoke

OLD = b"owners:\n  a:\n    role: r\n    agency: x\n"
NEW = b"owners:\n  a:\n    role: r\n    agency: y\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "owners.yaml"
    path.write_bytes(OLD)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


def test_replace_writes_the_new_bytes_and_leaves_nothing_else(target: Path) -> None:
    replace_file(target, NEW, expected_digest=digest(OLD))
    assert target.read_bytes() == NEW
    assert sorted(p.name for p in target.parent.iterdir()) == ["owners.yaml"]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_replace_keeps_the_permissions(target: Path, mode: int) -> None:
    target.chmod(mode)
    replace_file(target, NEW, expected_digest=digest(OLD))
    assert target.stat().st_mode & 0o777 == mode


def test_a_symlinked_plan_stays_a_symlink(tmp_path: Path, target: Path) -> None:
    link = tmp_path / "linked.yaml"
    link.symlink_to(target)
    replace_file(link, NEW, expected_digest=digest(OLD))
    assert link.is_symlink()
    assert target.read_bytes() == NEW


CHANGED_WHILE_EDITING = (
    "plans/owners.yaml changed on disk while this edit was being made (saved by an editor or another "
    "program?); nothing was written: run the command again"
)


def test_a_file_changed_on_disk_is_not_overwritten(target: Path) -> None:
    target.write_bytes(b"owners: {}\n")  # someone saved it after we read OLD
    with pytest.raises(FileChangedOnDisk) as refused:
        replace_file(target, NEW, expected_digest=digest(OLD), shown="plans/owners.yaml")
    assert str(refused.value) == CHANGED_WHILE_EDITING
    assert target.read_bytes() == b"owners: {}\n"
    assert leftovers(target.parent) == []


def test_a_failing_rename_leaves_the_original(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_rename(*args: Any) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(safe_write.os, "replace", no_rename)
    with pytest.raises(
        WriteFailed, match=r"cannot write .*owners\.yaml: Invalid cross-device link; the file is unchanged"
    ):
        replace_file(target, NEW, expected_digest=digest(OLD))
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


class HalfWriter:
    """A file whose disk fills up half-way through the write."""

    def __init__(self, fd: int, mode: str) -> None:
        self.fd = fd

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)

    def write(self, data: bytes) -> int:
        os.write(self.fd, data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_write_that_fails_part_way_leaves_the_original(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_write.os, "fdopen", HalfWriter)
    with pytest.raises(WriteFailed, match="No space left on device; the file is unchanged"):
        replace_file(target, NEW, expected_digest=digest(OLD))
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_an_interrupt_inside_the_write_leaves_the_original(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(safe_write.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        replace_file(target, NEW, expected_digest=digest(OLD))
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_a_failed_write_through_the_cli_is_one_line(cli: Invoke, plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (plans / "hmip-inspection.yaml").read_bytes()

    real_replace = os.replace

    def no_rename(source: Any, target: Any, **kwargs: Any) -> None:
        # Only the plan file's rename fails: the plan cache (cold in a fresh pytest-xdist worker)
        # renames its own entries through the same os.replace.
        if str(target).endswith("hmip-inspection.yaml"):
            raise OSError(errno.EROFS, "Read-only file system")
        real_replace(source, target, **kwargs)

    monkeypatch.setattr(safe_write.os, "replace", no_rename)
    result = cli("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.stderr == (
        f"yotplan: error: cannot write {plans}/hmip-inspection.yaml: Read-only file system; the file is unchanged\n"
    )
    assert (plans / "hmip-inspection.yaml").read_bytes() == before
    assert leftovers(plans) == []


def test_temporary_files_are_never_read_as_plans(cli: Invoke, plans: Path) -> None:
    stray = plans / f".hmip-inspection.yaml.k3j4h5{TEMP_SUFFIX}"
    stray.write_bytes(b"half a pla")
    result = cli("check", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stderr == "6 files checked: no problems\n"


def test_an_edit_clears_the_temporary_files_a_killed_edit_left(cli: Invoke, plans: Path) -> None:
    stray = plans / f".hmip-inspection.yaml.k3j4h5{TEMP_SUFFIX}"
    other = plans / f".owners.yaml.zz{TEMP_SUFFIX}"
    stray.write_bytes(b"half a pla")
    other.write_bytes(b"x")
    assert cli("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY).exit_code == 0
    assert not stray.exists()
    assert other.exists()  # another file's leftovers are that file's edit's business
    assert remove_stale_temp_files(plans / "owners.yaml") == [other]


def test_create_file_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    create_file(path, b"a: 1\n")
    assert path.read_bytes() == b"a: 1\n"
    with pytest.raises(FileExistsError):
        create_file(path, b"b: 2\n")
    assert path.read_bytes() == b"a: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]


def test_the_test_hook_is_off_unless_it_names_an_existing_folder(
    target: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for value in ("1", "yes", "relative/folder", str(tmp_path / "missing")):
        monkeypatch.setenv(safe_write.TEST_PAUSE_ENV, value)
        replace_file(target, NEW, expected_digest=digest(target.read_bytes()))
    assert not (tmp_path / "paused").exists()


def test_an_output_file_keeps_its_permissions_and_a_new_one_gets_the_umasks(tmp_path: Path) -> None:
    kept = tmp_path / "due.ics"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    safe_write.write_output(kept, b"new")
    assert kept.read_bytes() == b"new"
    assert kept.stat().st_mode & 0o777 == 0o640
    old_umask = os.umask(0o027)
    try:
        safe_write.write_output(tmp_path / "report.md", b"# report\n")
    finally:
        os.umask(old_umask)
    assert (tmp_path / "report.md").read_bytes() == b"# report\n"
    assert (tmp_path / "report.md").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["due.ics", "report.md"]


def test_an_output_path_that_is_a_link_is_replaced_and_its_target_left_alone(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    victim.chmod(0o600)
    link = tmp_path / "due.ics"
    link.symlink_to(victim)
    old_umask = os.umask(0o022)
    try:
        safe_write.write_output(link, b"BEGIN:VCALENDAR\n")
    finally:
        os.umask(old_umask)
    assert not link.is_symlink()
    assert link.read_bytes() == b"BEGIN:VCALENDAR\n"
    assert link.stat().st_mode & 0o777 == 0o644  # a new file's mode, not the victim's
    assert victim.read_bytes() == b"precious"


def test_an_output_path_that_is_a_folder_or_cannot_be_looked_at_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(WriteFailed) as refused:
        safe_write.write_output(tmp_path / "out", b"x", shown="out")
    assert str(refused.value) == "cannot write out: it is a folder; give a file name"
    with pytest.raises(WriteFailed) as refused:
        safe_write.write_output(tmp_path / "no" / "such" / "x.md", b"x")
    assert str(refused.value) == f"cannot write {tmp_path}/no/such/x.md: No such file or directory; nothing was changed"
    (tmp_path / "plain").write_bytes(b"")
    with pytest.raises(WriteFailed) as refused:
        safe_write.write_output(tmp_path / "plain" / "x.md", b"x", shown="plain/x.md")
    assert str(refused.value) == "cannot write plain/x.md: Not a directory; nothing was changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "plain"]


def test_a_failing_rename_of_an_output_leaves_what_was_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "due.ics"
    path.write_bytes(b"old")

    def no_rename(*args: Any) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(safe_write.os, "replace", no_rename)
    with pytest.raises(WriteFailed) as refused:
        safe_write.write_output(path, b"new", shown="due.ics")
    monkeypatch.undo()
    assert str(refused.value) == "cannot write due.ics: Read-only file system; nothing was changed"
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["due.ics"]


def test_a_created_file_has_the_mode_less_the_umask(tmp_path: Path) -> None:
    old_umask = os.umask(0o027)
    try:
        create_file(tmp_path / "b.yaml", b"b: 2\n", mode=0o666)
        os.umask(0o002)
        create_file(tmp_path / "a.yaml", b"a: 1\n")
    finally:
        os.umask(old_umask)
    assert (tmp_path / "a.yaml").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.yaml").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "b.yaml").read_bytes() == b"b: 2\n"


def test_a_file_system_without_hard_links_still_gets_the_whole_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(safe_write.os, "link", no_links)
    create_file(tmp_path / "new.yaml", b"a: 1\n")
    with pytest.raises(FileExistsError):
        create_file(tmp_path / "new.yaml", b"b: 2\n")
    monkeypatch.undo()
    assert (tmp_path / "new.yaml").read_bytes() == b"a: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]


def test_stale_temporary_files_of_a_name_with_glob_characters_are_its_own(tmp_path: Path) -> None:
    mine = tmp_path / f".plan[1]*.yaml.abc{TEMP_SUFFIX}"
    other = tmp_path / f".plan1x.yaml.abc{TEMP_SUFFIX}"
    unrelated = tmp_path / ".plan[1]*.yaml.abc"
    for path in (mine, other, unrelated):
        path.write_bytes(b"x")
    assert remove_stale_temp_files(tmp_path / "plan[1]*.yaml") == [mine]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([other.name, unrelated.name])


@pytest.mark.parametrize(("value", "seconds"), [(None, 1.0), ("2.5", 2.5), ("-3", 0.0), ("soon", 1.0), ("0", 0.0)])
def test_the_settle_time_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, seconds: float
) -> None:
    if value is None:
        monkeypatch.delenv(safe_write.SETTLE_ENV, raising=False)
    else:
        monkeypatch.setenv(safe_write.SETTLE_ENV, value)
    assert safe_write._settle_seconds() == seconds


def test_a_file_that_cannot_be_read_settled_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(EditRefused) as refused:
        safe_write.read_settled(tmp_path / "missing.yaml", "plans/missing.yaml")
    assert str(refused.value) == "cannot read plans/missing.yaml: No such file or directory"
    with pytest.raises(EditRefused) as refused:
        safe_write.read_settled(tmp_path, "plans")
    assert str(refused.value) == "plans is not an ordinary file; nothing was written"


def test_a_settled_file_is_read_whole(target: Path) -> None:
    big = b"x" * 100_000 + b"\n"
    target.write_bytes(big)
    assert safe_write.read_settled(target, "owners.yaml") == big
    target.write_bytes(b"")
    assert safe_write.read_settled(target, "owners.yaml") == b""


def test_a_file_the_system_hands_over_in_pieces_is_read_whole(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, size: real_read(fd, min(size, 7)))  # a short read is allowed
    assert safe_write.read_settled(target, "owners.yaml") == OLD


class FakeClock:
    """`time` for safe_write: both clocks move only in `sleep`. The wall clock starts at a whole second,
    and a test stamps its file's time from it (`stamp`), so a loaded machine's stall between the
    write and the read cannot age the file."""

    def __init__(self, on_sleep: Any = None) -> None:
        import time

        self.wall = int(time.time())
        self.now = 1000.0
        self.slept: list[float] = []
        self.on_sleep = on_sleep

    def time(self) -> float:
        return self.wall + (self.now - 1000.0)

    def stamp(self, path: Path, seconds_ago: float) -> None:
        ns = self.wall * 10**9 - round(seconds_ago * 10**9)
        os.utime(path, ns=(ns, ns))

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        if self.on_sleep is not None:
            self.on_sleep(len(self.slept))


def test_a_file_changed_less_than_the_settle_time_ago_is_read_once_it_has_settled(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(safe_write, "time", clock)
    monkeypatch.setenv(safe_write.SETTLE_ENV, "1")
    target.write_bytes(NEW)
    clock.stamp(target, 0.0625)  # a sixteenth of a second ago: exact in a float, unlike 0.05
    assert safe_write.read_settled(target, "owners.yaml") == NEW
    assert all(0 < step <= 0.05 for step in clock.slept)
    assert 0.9 < sum(clock.slept) <= 1.0  # waited until it was a second old, and no longer
    assert len(clock.slept) >= 18


@pytest.mark.parametrize(("seconds_ago", "points", "waited"), [(0, ["settling"], 1.0), (1, [], 0)], ids=["now", "1s"])
def test_a_file_changed_this_instant_waits_the_whole_settle_time_and_one_that_old_not_at_all(
    target: Path, monkeypatch: pytest.MonkeyPatch, seconds_ago: float, points: list[str], waited: float
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(safe_write, "time", clock)
    monkeypatch.setenv(safe_write.SETTLE_ENV, "1")
    seen: list[str] = []
    monkeypatch.setattr(safe_write, "pause_for_tests", seen.append)  # the test hook: only a waiting read calls it
    target.write_bytes(NEW)
    clock.stamp(target, seconds_ago)
    assert safe_write.read_settled(target, "owners.yaml") == NEW
    assert seen == points
    assert sum(clock.slept) == pytest.approx(waited)


def test_a_file_that_changes_while_it_settles_is_refused_at_once(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def save(sleeps: int) -> None:
        if sleeps == 3:
            with open(target, "ab") as handle:
                handle.write(b"# saved meanwhile\n")

    clock = FakeClock(save)
    monkeypatch.setattr(safe_write, "time", clock)
    monkeypatch.setenv(safe_write.SETTLE_ENV, "1")
    target.write_bytes(NEW)
    clock.stamp(target, 0.0625)
    with pytest.raises(FileChangedOnDisk) as refused:
        safe_write.read_settled(target, "plans/owners.yaml")
    assert str(refused.value) == (
        "plans/owners.yaml changed on disk while this edit was reading it (another program saving it?); "
        "nothing was written: try again when it has finished"
    )
    assert len(clock.slept) == 3


def test_a_file_older_than_the_settle_time_is_read_without_waiting(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(safe_write, "time", clock)
    monkeypatch.setenv(safe_write.SETTLE_ENV, "1")
    old = clock.time() - 5
    os.utime(target, (old, old))
    assert safe_write.read_settled(target, "owners.yaml") == OLD
    assert clock.slept == []


def test_the_test_hook_writes_its_point_with_the_pid_and_waits_for_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()

    def resume(sleeps: int) -> None:
        if sleeps == 3:
            (hook / "resume").write_text("")

    clock = FakeClock(resume)
    monkeypatch.setattr(safe_write, "time", clock)
    monkeypatch.setenv(safe_write.TEST_PAUSE_ENV, str(hook))
    safe_write.pause_for_tests()
    assert (hook / "paused").read_text(encoding="utf-8") == str(os.getpid())
    assert clock.slept == [0.01, 0.01, 0.01]
    safe_write.pause_for_tests("settling")
    assert sorted(p.name for p in hook.iterdir()) == ["paused", "resume", "settling"]
    assert clock.slept == [0.01, 0.01, 0.01]  # resume is there: no wait


def test_the_test_hook_gives_up_after_its_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(safe_write, "time", clock)
    monkeypatch.setenv(safe_write.TEST_PAUSE_ENV, str(tmp_path))
    safe_write.pause_for_tests()
    assert 59.99 <= sum(clock.slept) <= 60.02


def test_a_leftover_that_cannot_be_removed_is_passed_over(tmp_path: Path) -> None:
    stuck = tmp_path / f".plan.yaml.abc{TEMP_SUFFIX}"
    stuck.mkdir()  # unlink fails on a folder
    gone = tmp_path / f".plan.yaml.def{TEMP_SUFFIX}"
    gone.write_bytes(b"x")
    assert remove_stale_temp_files(tmp_path / "plan.yaml") == [stuck, gone]
    assert sorted(p.name for p in tmp_path.iterdir()) == [stuck.name]


def test_a_file_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(WriteFailed) as refused:
        create_file(tmp_path / "missing" / "new.yaml", b"a: 1\n")
    assert (
        str(refused.value)
        == f"cannot write {tmp_path}/missing/new.yaml: No such file or directory; nothing was changed"
    )


def test_a_plan_that_cannot_be_replaced_says_why_in_one_line(
    tmp_path: Path, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(WriteFailed) as refused:
        replace_file(tmp_path / "gone.yaml", NEW, expected_digest=digest(OLD), shown="plans/gone.yaml")
    assert str(refused.value) == "cannot write plans/gone.yaml: No such file or directory; nothing was changed"
    for error, said in (
        (OSError(errno.EACCES, "Permission denied"), "Permission denied"),
        (OSError("no temp"), "no temp"),
    ):

        def no_temp(*args: Any, error: OSError = error, **kwargs: Any) -> None:
            raise error

        monkeypatch.setattr(safe_write.tempfile, "mkstemp", no_temp)
        with pytest.raises(WriteFailed) as refused:
            replace_file(target, NEW, expected_digest=digest(OLD), shown="plans/owners.yaml")
        assert str(refused.value) == f"cannot write plans/owners.yaml: {said}; nothing was changed"
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["owners.yaml"]


def test_a_file_removed_while_the_edit_was_being_made_is_not_written_back(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(safe_write, "pause_for_tests", target.unlink)  # removed just before the re-check
    with pytest.raises(FileChangedOnDisk) as refused:
        replace_file(target, NEW, expected_digest=digest(OLD), shown="plans/owners.yaml")
    assert str(refused.value) == CHANGED_WHILE_EDITING
    assert sorted(p.name for p in target.parent.iterdir()) == []


def test_a_file_open_for_writing_or_read_only_is_not_read_for_an_edit(target: Path) -> None:
    with open(target, "ab"), pytest.raises(FileChangedOnDisk) as refused:
        safe_write.read_settled(target, "plans/owners.yaml")
    assert str(refused.value) == (
        "plans/owners.yaml is open for writing by another program (an editor saving it?); nothing was "
        "written: try again when it has finished"
    )
    assert safe_write.read_settled(target, "plans/owners.yaml") == OLD  # closed: read, and the lease let go
    assert safe_write.read_settled(target, "plans/owners.yaml") == OLD
    target.chmod(0o444)
    with pytest.raises(EditRefused) as read_only:
        safe_write.read_settled(target, "plans/owners.yaml")
    assert str(read_only.value) == (
        "plans/owners.yaml is read-only (mode 444); nothing was written: "
        "make it writable (chmod u+w plans/owners.yaml) if it is meant to be edited"
    )


def test_the_temporary_file_is_hidden_named_after_the_plan_and_complete_before_the_rename(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target.chmod(0o640)
    seen: list[tuple[str, bytes, int]] = []

    def look() -> None:
        seen.extend((p.name, p.read_bytes(), p.stat().st_mode & 0o777) for p in target.parent.iterdir() if p != target)

    monkeypatch.setattr(safe_write, "pause_for_tests", look)
    replace_file(target, NEW, expected_digest=digest(OLD))
    [(name, data, mode)] = seen
    assert name.startswith(".owners.yaml.")
    assert name.endswith(TEMP_SUFFIX)
    assert (data, mode) == (NEW, 0o640)


def test_a_write_failing_without_an_error_text_still_says_what_failed(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_sync(fd: int) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr(safe_write.os, "fsync", no_sync)
    with pytest.raises(WriteFailed) as refused:
        replace_file(target, NEW, expected_digest=digest(OLD), shown="plans/owners.yaml")
    monkeypatch.undo()
    assert str(refused.value) == "cannot write plans/owners.yaml: the disk went away; the file is unchanged"
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_a_plan_that_is_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "plan.yaml")
    with pytest.raises(EditRefused) as refused:
        safe_write.read_settled(tmp_path / "plan.yaml", "plans/plan.yaml")
    assert str(refused.value) == "plans/plan.yaml is not an ordinary file; nothing was written"


def test_a_file_gone_from_its_path_after_the_read_is_refused(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def gone(*args: Any, **kwargs: Any) -> None:
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    monkeypatch.setattr(safe_write.os, "stat", gone)
    with pytest.raises(FileChangedOnDisk) as refused:
        safe_write.read_settled(target, "plans/owners.yaml")
    monkeypatch.undo()
    assert str(refused.value) == (
        "plans/owners.yaml changed on disk while this edit was reading it (another program saving it?); "
        "nothing was written: try again when it has finished"
    )


@pytest.mark.parametrize("saving", ["in-place-same-size", "replaced-by-rename"])
def test_a_file_saved_while_it_is_being_read_is_refused(
    target: Path, monkeypatch: pytest.MonkeyPatch, saving: str
) -> None:
    real_read = os.read

    def read_while_saved(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        if data and saving == "in-place-same-size":  # same bytes count, a new modification time
            os.utime(target, ns=(1_000_000_000, 1_000_000_000))
        elif data:  # another program's save: a new file renamed over the path
            (target.parent / "saved").write_bytes(NEW)
            os.replace(target.parent / "saved", target)
        return data

    monkeypatch.setattr(os, "read", read_while_saved)
    with pytest.raises(FileChangedOnDisk) as refused:
        safe_write.read_settled(target, "plans/owners.yaml")
    monkeypatch.undo()
    assert str(refused.value) == (
        "plans/owners.yaml changed on disk while this edit was reading it (another program saving it?); "
        "nothing was written: try again when it has finished"
    )


@pytest.mark.parametrize("refusal", [errno.EACCES, errno.EINVAL], ids=["another-owners-file", "no-leases"])
def test_a_file_whose_lease_cannot_be_asked_for_is_still_read(
    target: Path, monkeypatch: pytest.MonkeyPatch, refusal: int
) -> None:
    # A lease is refused to anyone but the file's owner (EACCES) and on file systems without
    # leases (EINVAL, e.g. some network mounts): that says nothing about a writer, so the
    # other checks decide and the file is read.
    fcntl = pytest.importorskip("fcntl")
    setlease = getattr(fcntl, "F_SETLEASE", None)
    if setlease is None:
        pytest.skip("leases are Linux's")
    real = fcntl.fcntl

    def refuse_leases(fd: int, cmd: int, arg: int = 0) -> Any:
        if cmd == setlease:
            raise OSError(refusal, os.strerror(refusal))
        return real(fd, cmd, arg)

    monkeypatch.setattr(fcntl, "fcntl", refuse_leases)
    assert safe_write.read_settled(target, "plans/owners.yaml") == OLD
