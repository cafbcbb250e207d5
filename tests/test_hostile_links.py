"""Issue 17, cases 2, 3 and 9, through the real `yotplan` process against a real clone: links are
data, not doors, and an output file is always either the old one or the new one.

- An output path (`export -o`, `report -o`, `calendar -o`) that is a committed link is replaced by
  the output; the file it pointed to is never written.
- A plan, owners, boards or service file, or a `--plans-list`, that is a link leading outside the
  repository is refused with one line naming the link, and nothing of its target is ever shown.
- On a full disk the previous output stays whole, and no temporary file is left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitrepo import Repo, git_env
from hostile_support import TODAY, run

from conftest import SHIPPED_PLANS

TOKEN = "https://x-access-token:ghs_TESTTOKEN@github.com"
SECRET = "ghs_TESTTOKEN"
VICTIM = b"precious bytes that are not yotplan's\n"


def clone_of(repo: Repo, target: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(repo.root), str(target)], env=git_env(), check=True)
    return target


OUTPUTS = [
    pytest.param(["export", "--today", TODAY], "board-pack.xlsx", b"PK\x03\x04", id="export"),
    pytest.param(["report", "--today", TODAY], "board-report.html", b"<!DOCTYPE html>", id="report"),
    pytest.param(["calendar", "--today", TODAY], "due.ics", b"BEGIN:VCALENDAR", id="calendar"),
]


@pytest.mark.parametrize(("command", "name", "starts"), OUTPUTS)
def test_a_committed_output_link_is_replaced_never_followed(
    tmp_path: Path, command: list[str], name: str, starts: bytes
) -> None:
    """Case 2: `board-pack.xlsx -> ../victim` (the README's own names), committed and cloned."""
    repo = Repo(tmp_path / "origin", SHIPPED_PLANS)
    (repo.root / name).symlink_to(Path("..") / "victim")
    repo.commit("Add the outputs", "2022-05-06T09:00:00+01:00")
    clone = clone_of(repo, tmp_path / "clone")
    assert (clone / name).is_symlink()
    victim = tmp_path / "victim"
    victim.write_bytes(VICTIM)

    ran = run(*command, "--plans", "plans", "-o", name, cwd=clone)

    assert ran.code == 0, ran.stderr
    assert victim.read_bytes() == VICTIM, f"yotplan {command[0]} -o wrote through the link"
    assert not (clone / name).is_symlink()
    assert (clone / name).read_bytes().startswith(starts)
    assert not [p for p in clone.iterdir() if p.name.endswith(".yotplan-tmp")]


def test_a_dangling_output_link_creates_nothing_at_its_target(tmp_path: Path) -> None:
    """A link to a file that does not exist yet: yotplan must not create the target either."""
    (tmp_path / "due.ics").symlink_to(tmp_path / "created-elsewhere.ics")
    ran = run("calendar", "--plans", SHIPPED_PLANS, "--today", TODAY, "-o", "due.ics", cwd=tmp_path)
    assert ran.code == 0, ran.stderr
    assert not (tmp_path / "created-elsewhere.ics").exists()
    assert (tmp_path / "due.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


@contextlib.contextmanager
def tiny_disk(where: Path, size: str = "1m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` (the test runs as root in CI's container); skips when the
    mount is refused."""
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.parametrize(("command", "name", "starts"), OUTPUTS)
def test_on_a_full_disk_the_previous_output_stays_whole(
    tmp_path: Path, command: list[str], name: str, starts: bytes
) -> None:
    """Case 9: `report -o` on a full disk destroyed the previous file and left a 12 KB fragment."""
    with tiny_disk(tmp_path / "disk") as disk:
        previous = b"the previous output, whole\n" * 40
        (disk / name).write_bytes(previous)
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
        try:  # fill the disk to the last block
            while True:
                os.write(fd, b"\0" * 512)
        except OSError:
            pass
        finally:
            os.close(fd)
        ran = run(*command, "--plans", SHIPPED_PLANS, "-o", disk / name)
        assert ran.code == 1, ran.stderr
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1, ran.stderr
        assert "No space left on device" in lines[0]
        assert name in lines[0]
        assert (disk / name).read_bytes() == previous
        assert sorted(p.name for p in disk.iterdir()) == sorted([name, "filler"])
        # With room again, the same command writes the whole new file.
        filler.unlink()
        ran = run(*command, "--plans", SHIPPED_PLANS, "-o", disk / name)
        assert ran.code == 0, ran.stderr
        assert (disk / name).read_bytes().startswith(starts)


# Case 3: links into the plans that lead out of the repository.

LINKED_FILES = ["stolen.yaml", "owners.yaml", "boards.yaml", "service.yaml"]


def repo_with_link(tmp_path: Path, name: str) -> Path:
    """A clone whose plans/NAME is a committed link to a credentials file outside the repository."""
    secret = tmp_path / ".git-credentials"
    secret.write_text(TOKEN + "\n", encoding="utf-8")
    repo = Repo(tmp_path / "origin", SHIPPED_PLANS)
    link = repo.plans / name
    link.unlink(missing_ok=True)
    link.symlink_to(Path("..") / ".." / ".git-credentials")  # from origin/plans, and from clone/plans
    repo.commit("Link", "2022-05-06T09:00:00+01:00")
    clone = clone_of(repo, tmp_path / "clone")
    target = (clone / "plans" / name).resolve()
    assert target == secret.resolve(), f"the committed link should lead to {secret}, not {target}"
    return clone / "plans"


@pytest.mark.parametrize("name", LINKED_FILES)
def test_a_linked_file_outside_the_repository_is_refused_and_never_shown(tmp_path: Path, name: str) -> None:
    plans = repo_with_link(tmp_path, name)
    outputs = []
    for fmt in ("text", "json", "github"):
        ran = run("check", "--plans", plans, "--today", TODAY, "--format", fmt, env={"GITHUB_ACTIONS": "true"})
        assert ran.code == 1, ran.stderr
        outputs.append(ran.stdout + ran.stderr)
        both = ran.stdout + ran.stderr
        assert f"plans/{name}" in both, f"no line names the link plans/{name}:\n{both}"
        assert "it is a link that leads outside the repository" in both
    for args in (
        ["status"],
        ["overdue"],
        ["owners"],
        ["show", "HMIP-1.1"],
        ["search", "github"],
        ["calendar"],
        ["report"],
        ["report", "--format", "markdown"],
    ):
        ran = run(*args, "--plans", plans, "--today", TODAY)
        outputs.append(ran.stdout + ran.stderr)
    for output in outputs:
        assert SECRET not in output
        assert "x-access-token" not in output


def test_a_plans_list_linked_to_the_environment_does_not_print_it(tmp_path: Path) -> None:
    """Case 3: a --plans-list file linked to /proc/self/environ printed the whole environment."""
    repo = Repo(tmp_path / "repo", SHIPPED_PLANS)
    (repo.root / "services.txt").symlink_to("/proc/self/environ")
    repo.commit("List", "2022-05-06T09:00:00+01:00")
    env = {"SOME_SECRET": SECRET}
    for args in (
        ["status", "--plans-list", repo.root / "services.txt"],
        ["status", "--plans-list", "/proc/self/environ"],  # named outright: still never quoted
    ):
        ran = run(*args, "--today", TODAY, env=env)
        assert ran.code == 1, ran.stderr
        assert SECRET not in ran.stdout + ran.stderr
        assert "PATH=" not in ran.stdout + ran.stderr
        assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr
    assert (
        "link that leads outside the repository"
        in run("status", "--plans-list", repo.root / "services.txt", "--today", TODAY, env=env).stderr
    )


def test_a_file_that_is_not_a_mapping_is_described_not_quoted(tmp_path: Path) -> None:
    """No error quotes more than a parsed scalar: a whole file of text is "a text of N lines"."""
    plans = tmp_path / "plans"
    shutil.copytree(SHIPPED_PLANS, plans)
    (plans / "copied.yaml").write_text(TOKEN + "\n", encoding="utf-8")
    (plans / "long.yaml").write_text(f"{SECRET} one\n  two\n  three\n", encoding="utf-8")
    for fmt in ("text", "json", "github"):
        ran = run("check", "--plans", plans, "--today", TODAY, "--format", fmt)
        assert ran.code == 1
        assert SECRET not in ran.stdout + ran.stderr
    ran = run("check", "--plans", plans, "--today", TODAY)
    assert (
        "copied.yaml:1:1: error YP010 a plan file should be a mapping of `key: value` lines, got a text of 1 line"
        in (ran.stdout)
    )


def test_an_edit_never_writes_through_a_link_out_of_the_repository(tmp_path: Path) -> None:
    """Case 2: `update` wrote through a committed plan file that links outside the repository."""
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SHIPPED_PLANS / "hmip-inspection.yaml", outside / "hmip-inspection.yaml")
    before = (outside / "hmip-inspection.yaml").read_bytes()
    repo = Repo(tmp_path / "repo", SHIPPED_PLANS)
    (repo.plans / "hmip-inspection.yaml").unlink()
    (repo.plans / "hmip-inspection.yaml").symlink_to(outside / "hmip-inspection.yaml")
    repo.commit("Link the plan", "2022-05-06T09:00:00+01:00")
    ran = run("update", "HMIP-1.1", "--status", "done", "--plans", repo.plans, "--today", TODAY)
    assert ran.code != 0
    assert (outside / "hmip-inspection.yaml").read_bytes() == before
    assert "did not load" in ran.stderr
    ran = run("check", "--plans", repo.plans, "--today", TODAY)
    assert "hmip-inspection.yaml:0:0: error YP001 it is a link that leads outside the repository" in ran.stdout


def test_a_link_that_stays_inside_the_repository_is_read(tmp_path: Path) -> None:
    """Links are not refused as such: one to a file inside the repository reads as before."""
    repo = Repo(tmp_path / "repo", SHIPPED_PLANS)
    archive = repo.root / "archive"
    archive.mkdir()
    (repo.plans / "hmip-inspection.yaml").rename(archive / "hmip-inspection.yaml")
    (repo.plans / "hmip-inspection.yaml").symlink_to(Path("..") / "archive" / "hmip-inspection.yaml")
    ran = run("show", "HMIP-1.1", "--plans", repo.plans, "--today", TODAY)
    assert ran.code == 0, ran.stderr
    assert "HMIP-1.1" in ran.stdout
