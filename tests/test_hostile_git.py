"""Issue 17, cases 1 and 7, through the real `yotplan` process: git is a tool yotplan drives, never one a
repository configures, and no byte of a commit can forge or crash `history` or `calendar`.

Each attack is first shown to work against git itself (the positive control: the planted program
really runs when git is used the way yotplan used it), then every command that reads git history
runs and the program's marker file must not appear.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from gitrepo import Repo, git_env
from hostile_support import TODAY, run

from conftest import SHIPPED_PLANS

MEETING = "2022-05-20"
BOARDS_WITH_A_MEETING = (
    "    meetings: []\n\n  # \"the Children's",
    f"    meetings:\n      - date: {MEETING}\n\n  # \"the Children's",
)


def evil_script(where: Path, marker: Path) -> Path:
    """A program that records each run by appending a line to `marker` (and, as a diff or textconv
    program, prints nothing)."""
    where.write_text(f'#!/bin/sh\necho ran "$@" >> {marker}\n', encoding="utf-8")
    where.chmod(0o755)
    return where


def plans_repo(root: Path) -> Repo:
    """The shipped plans, with one board meeting before TODAY (so `status` reads git history)."""
    repo = Repo(root, SHIPPED_PLANS)
    boards = repo.plans / "boards.yaml"
    text = boards.read_text(encoding="utf-8")
    assert text.count(BOARDS_WITH_A_MEETING[0]) == 1
    boards.write_text(text.replace(*BOARDS_WITH_A_MEETING), encoding="utf-8")
    repo.commit("Plans as reviewed", "2022-05-06T09:00:00+01:00")
    return repo


def signed_commit(repo: Repo, parent: str | None = None) -> str:
    """A commit object with a (fake) PGP signature on the index's tree: a signature check runs gpg.program."""
    repo.git("add", "--all")
    tree = repo.git("write-tree")
    lines = [f"tree {tree}"]
    if parent:
        lines.append(f"parent {parent}")
    lines += [
        "author Alex Analyst <team@example.org> 1653000000 +0100",
        "committer Alex Analyst <team@example.org> 1653000000 +0100",
        "gpgsig -----BEGIN PGP SIGNATURE-----",
        " ",
        " iQEzBAABCAAdFiEE",
        " -----END PGP SIGNATURE-----",
        "",
        "Signed plans",
        "",
    ]
    return hash_object(repo, "\n".join(lines).encode())


def hash_object(repo: Repo, body: bytes) -> str:
    done = subprocess.run(
        ["git", "hash-object", "--literally", "-t", "commit", "-w", "--stdin"],
        cwd=repo.root,
        env=git_env(),
        input=body,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().strip()


def clone(source: Path, target: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(source), str(target)], env=git_env(), check=True)
    return target


def plain_git(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """git as a person (or yotplan before issue 17) runs it: discovery from the folder, the repo's config."""
    env = {k: v for k, v in git_env().items() if k not in ("GIT_CONFIG_NOSYSTEM",)}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, check=False)


def history_commands(plans: Path) -> list[list[str | Path]]:
    """Every command that reads the plans' git history."""
    return [
        ["history", "HMIP-1.1", "--plans", plans],
        ["calendar", "--plans", plans, "--today", TODAY],
        ["status", "--plans", plans, "--today", TODAY],
        ["status", "--since-meeting", "yot-board", "--plans", plans, "--today", TODAY],
        ["report", "--meeting", f"yot-board@{MEETING}", "--plans", plans, "--today", TODAY],
        ["diff", "HEAD", "--plans", plans],
    ]


def test_a_committed_git_directory_in_the_plans_folder_is_never_adopted(tmp_path: Path) -> None:
    """Case 1 as written: plans/ holds HEAD, objects/, refs/ and a config with core.worktree = .,
    log.showSignature = true and gpg.program = ./evil.sh; the clone's own history is read instead."""
    marker = tmp_path / "ran"
    repo = plans_repo(tmp_path / "origin")
    signed = signed_commit(repo, repo.git("rev-parse", "HEAD"))
    embedded = repo.plans
    for obj in repo.git("rev-list", "--objects", signed).split("\n"):
        name = obj.split()[0]
        (embedded / "objects" / name[:2]).mkdir(parents=True, exist_ok=True)
        shutil.copy(repo.root / ".git" / "objects" / name[:2] / name[2:], embedded / "objects" / name[:2])
    (embedded / "refs" / "heads").mkdir(parents=True)
    (embedded / "refs" / "heads" / "main").write_text(f"{signed}\n", encoding="ascii")
    (embedded / "HEAD").write_text("ref: refs/heads/main\n", encoding="ascii")
    (embedded / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n"
        "[log]\n\tshowSignature = true\n[gpg]\n\tprogram = ./evil.sh\n",
        encoding="utf-8",
    )
    evil_script(embedded / "evil.sh", marker)
    repo.commit("Add the plans' git folder", "2022-05-07T09:00:00+01:00")
    plans = clone(repo.root, tmp_path / "clone") / "plans"

    # Positive control: git's own discovery adopts plans/ and runs the committed program.
    assert plain_git("rev-parse", "--show-toplevel", cwd=plans).stdout.decode().strip() == str(plans)
    plain_git("log", "-1", cwd=plans)
    assert marker.exists(), "the planted git directory did not fire: the test proves nothing"
    marker.unlink()

    for args in history_commands(plans):
        ran = run(*args)
        assert ran.code == 0, (args, ran.stderr)
        assert not marker.exists(), f"yotplan {args[0]} ran the committed program"
    # It read the clone's history, not the planted one: the signed commit is nowhere.
    ran = run("history", "HMIP-1.1", "--plans", plans, "--format", "json")
    assert signed not in ran.stdout
    assert "Plans as reviewed" in ran.stdout


@pytest.fixture
def configured_clone(tmp_path: Path) -> tuple[Path, Path]:
    """A repository that arrived as files (an archive, a shared drive), with a `.git/config` that
    names a program for every door: a signed commit on HEAD, and a .gitattributes textconv."""
    marker = tmp_path / "ran"
    repo = plans_repo(tmp_path / "repo")
    (repo.root / ".gitattributes").write_text("*.yaml diff=evil\n", encoding="utf-8")
    repo.commit("Attributes", "2022-05-08T09:00:00+01:00")
    repo.edit("owners.yaml", "owners:", "owners:  ")
    signed = signed_commit(repo, repo.git("rev-parse", "HEAD"))
    repo.git("update-ref", "HEAD", signed)
    evil = str(evil_script(tmp_path / "evil.sh", marker))
    for key, value in (
        ("log.showSignature", "true"),
        ("gpg.program", evil),
        ("gpg.ssh.program", evil),
        ("core.fsmonitor", evil),
        ("diff.external", evil),
        ("diff.evil.textconv", evil),
        ("diff.evil.command", evil),
        ("core.pager", evil),
        ("pager.log", evil),
        ("core.hooksPath", str(tmp_path)),
        ("core.sshCommand", evil),
        ("credential.helper", f"!{evil}"),
    ):
        repo.git("config", key, value)
    for hook in ("post-checkout", "reference-transaction", "post-index-change"):
        evil_script(tmp_path / hook, marker)
    return repo.plans, marker


@pytest.mark.parametrize(
    "door",
    [
        pytest.param(["log", "-1"], id="log.showSignature-gpg.program"),
        pytest.param(["status"], id="core.fsmonitor"),
        pytest.param(["diff", "HEAD~1"], id="diff.external"),
        pytest.param(["log", "-p", "--no-ext-diff", "--no-show-signature", "-1", "HEAD"], id="textconv"),
    ],
)
def test_each_door_is_open_to_plain_git(configured_clone: tuple[Path, Path], door: list[str]) -> None:
    """Positive controls: each planted setting really runs the program when git is run plainly."""
    plans, marker = configured_clone
    if door[0] == "diff":
        (plans / "owners.yaml").write_text("owners: {}\n", encoding="utf-8")
    plain_git(*door, cwd=plans)
    assert marker.exists(), f"git {door} did not run the planted program: the next test proves nothing for it"


def test_no_repository_setting_makes_yotplan_run_a_program(configured_clone: tuple[Path, Path]) -> None:
    plans, marker = configured_clone
    (plans / "owners.yaml").write_text((plans / "owners.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    for args in history_commands(plans):
        ran = run(*args)
        assert ran.code == 0, (args, ran.stderr)
        assert not marker.exists(), f"yotplan {args[0]} ran a program the repository configured: {marker.read_text()}"


def test_yotplan_passes_the_repository_to_git_explicitly(tmp_path: Path) -> None:
    """GIT_DIR in the environment (a git hook running yotplan, say) does not redirect it to another repository."""
    repo = plans_repo(tmp_path / "repo")
    other = Repo(tmp_path / "other")
    (other.root / "x.txt").write_text("x\n", encoding="utf-8")
    other.commit("Another repository's commit", "2022-05-09T09:00:00+01:00")
    ran = run("history", "HMIP-1.1", "--plans", repo.plans, env={"GIT_DIR": str(other.root / ".git")})
    assert ran.code == 0, ran.stderr
    assert "Plans as reviewed" in ran.stdout
    assert "Another repository" not in ran.stdout


# Case 7: commit subjects, authors and dates.

FORGED = "Fake\x1e" + "f" * 40 + "\x1f\x1fMallory\x1f2020-01-01T00:00:00+00:00\x1fforged\x1f"


def rewrite_head(repo: Repo, author_line: str | None = None) -> str:
    """HEAD again, by hand, with another author line (what `git commit` would never write)."""
    body = subprocess.run(
        ["git", "cat-file", "commit", "HEAD"], cwd=repo.root, env=git_env(), capture_output=True, check=True
    ).stdout
    lines = body.split(b"\n")
    if author_line is not None:
        lines = [f"author {author_line}".encode() if line.startswith(b"author ") else line for line in lines]
    commit = hash_object(repo, b"\n".join(lines))
    repo.git("update-ref", "HEAD", commit)
    return commit


@pytest.mark.parametrize(
    "author_line",
    [
        pytest.param(None, id="separators-in-subject"),
        pytest.param("Ev\x1fil <team@example.org> notadate", id="no-date"),
        pytest.param("Ev\x1fil <team@example.org> 1653000000 +9999", id="offset-99-99"),
        pytest.param("Ev\x1fil <team@example.org> 253402300800 +0000", id="year-10000"),
        pytest.param("Ev\x1fil <team@example.org>", id="no-timestamp"),
    ],
)
def test_a_commit_cannot_forge_or_crash_history(tmp_path: Path, author_line: str | None) -> None:
    repo = plans_repo(tmp_path / "repo")
    text = (repo.plans / "hmip-inspection.yaml").read_text(encoding="utf-8")
    assert "status: in-progress" in text
    (repo.plans / "hmip-inspection.yaml").write_text(text.replace("status: in-progress", "status: blocked", 1))
    repo.git("add", "--all")
    repo.git("commit", "--quiet", "--no-verify", "-m", FORGED, author="Ev\x1fil")
    rewrite_head(repo, author_line)
    head = repo.git("rev-parse", "HEAD")
    for args in (
        ["history", "HMIP-1.2", "--plans", repo.plans],
        ["calendar", "--plans", repo.plans, "--today", TODAY],
        ["status", "--plans", repo.plans, "--today", TODAY],
    ):
        ran = run(*args)
        assert ran.code == 0, (args, ran.stderr)
        assert "\x1e" not in ran.stdout
        assert "\x1f" not in ran.stdout
    ran = run("history", "HMIP-1.2", "--plans", repo.plans, "--format", "json")
    assert ran.code == 0, ran.stderr
    latest = json.loads(ran.stdout)["commits"][-1]
    assert latest["commit"] == head, "a subject forged a commit hash"
    assert latest["author"] == "Ev\x1fil", "a subject forged an author"
    assert latest["subject"] == FORGED, "the subject is not shown whole, as one subject"
    assert latest["date"] != "2020-01-01T00:00:00+00:00"
    datetime.fromisoformat(latest["date"])


def test_git_is_found_without_gits_own_discovery(tmp_path: Path) -> None:
    """Outside any repository, history says so in one line (no `.git` anywhere above)."""
    plans = tmp_path / "plans"
    shutil.copytree(SHIPPED_PLANS, plans)
    ran = run("history", "HMIP-1.1", "--plans", plans)
    assert ran.code == 1
    assert "is not inside a git repository" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    assert os.path.exists(plans)
