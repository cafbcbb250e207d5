"""Helpers for the editing tests: fixture plans folders, real git repositories, real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, SHIPPED_PLANS

EDIT_FIXTURES = FIXTURES / "edit"
FIXTURE_FILES = sorted(p.name for p in EDIT_FIXTURES.glob("*.yaml") if p.name != "owners.yaml")
SHIPPED_FILES = sorted(p.name for p in SHIPPED_PLANS.glob("*.yaml"))

# One action per fixture whose `status: not-started` line the minimal-diff tests change.
TARGET_ACTION = {
    "comments.yaml": "CMT-1.1",
    "crlf.yaml": "CRLF-1.1",
    "explicit-start.yaml": "START-1.1",
    "flush.yaml": "FLUSH-1.1",
    "folded.yaml": "FOLD-1.1",
    "indent4.yaml": "IND4-a.1",
    "messy.yaml": "MESSY-1.1",
    "notepad.yaml": "BOM-1.1",
    "quoted.yaml": "QUOTE-1.1",
}


def fixture_folder(tmp_path: Path, *names: str) -> Path:
    """A plans folder in tmp_path holding the fixtures' owners.yaml and the named plan files."""
    folder = tmp_path / "plans"
    folder.mkdir(exist_ok=True)
    for name in ("owners.yaml", *names):
        shutil.copyfile(EDIT_FIXTURES / name, folder / name)
    return folder


def line_index(lines: list[bytes], action_id: str, key: bytes) -> int:
    """Index of the first `key:` line after the line `id: <action_id>` (quoted or not)."""
    start = next(
        i
        for i, line in enumerate(lines)
        if b"id:" in line and action_id.encode() in line.translate(None, b"'\"").split()
    )
    return next(i for i, line in enumerate(lines) if i > start and line.lstrip().startswith(key + b":"))


def git(repo: Path, *args: str, when: str = "2022-06-01T09:00:00") -> str:
    """Run git in `repo` with a fixed identity and dates; returns stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Plan Keeper",
        "GIT_AUTHOR_EMAIL": "keeper@example.org",
        "GIT_COMMITTER_NAME": "Plan Keeper",
        "GIT_COMMITTER_EMAIL": "keeper@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def yotplan_process(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start `python -m yotplan ARGS` as a real process (same interpreter as the tests)."""
    # A clean yotplan environment, except the test run's cache folder (conftest), not ~/.cache.
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("YOTPLAN_", "_YOTPLAN_")) or k == "YOTPLAN_CACHE_DIR"
    }
    full_env.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "yotplan", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
    )


def snapshot(folder: Path) -> dict[str, str]:
    """The text of every file in `folder`, by name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()) if p.is_file()}


def changes_since(before: dict[str, str], folder: Path) -> dict[str, tuple[list[str], list[str]]]:
    """{file: (removed lines, added lines)} for each file of `folder` that differs from `before`
    (a file that is new has every line added), as `git diff` would show them."""
    import difflib

    found: dict[str, tuple[list[str], list[str]]] = {}
    for name, text in snapshot(folder).items():
        old = before.get(name, "")
        if text == old:
            continue
        lines = list(difflib.unified_diff(old.splitlines(), text.splitlines(), n=0, lineterm=""))[2:]
        found[name] = ([x[1:] for x in lines if x[:1] == "-"], [x[1:] for x in lines if x[:1] == "+"])
    return found
