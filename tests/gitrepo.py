"""Build real git repositories in a temporary folder, with fixed names and dates per commit.

Git runs with no global or system configuration (no signing hooks or aliases from the
machine), so commits, hashes and `git log` output are the same on every run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

AUTHOR = "Alex Analyst"


def git_env(when: str = "2022-06-01T10:00:00+01:00", author: str = AUTHOR) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME=author,
        GIT_AUTHOR_EMAIL="team@example.org",
        GIT_COMMITTER_NAME=author,
        GIT_COMMITTER_EMAIL="team@example.org",
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
    )
    return env


class Repo:
    """A git repository whose `plans/` folder starts as a copy of `plans_source`."""

    def __init__(self, root: Path, plans_source: Path | None = None) -> None:
        self.root = root
        self.plans = root / "plans"
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "--quiet", "--initial-branch=main")
        if plans_source is not None:
            shutil.copytree(plans_source, self.plans)

    def git(self, *args: str, when: str = "2022-06-01T10:00:00+01:00", author: str = AUTHOR) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, env=git_env(when, author), capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def commit(self, message: str, when: str, author: str = AUTHOR) -> str:
        """Commit everything in the working tree; return the full hash."""
        self.git("add", "--all")
        self.git("commit", "--quiet", "--no-verify", "-m", message, when=when, author=author)
        return self.git("rev-parse", "HEAD")

    def tag(self, name: str) -> None:
        self.git("tag", name)

    def edit(self, name: str, old: str, new: str) -> None:
        """Replace exactly one occurrence of `old` in plans/NAME: a failed edit fails the test, not silently."""
        path = self.plans / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def short(self, commit: str) -> str:
        return self.git("rev-parse", "--short", commit)


REPORT_PLANS = Path(__file__).resolve().parent / "fixtures" / "report" / "plans"

NEW_ACTION = """      - id: A-1.3
        title: Write the Board's terms of reference
        owner: board-chair
        due: 2022-07-31
        status: not-started
"""


def plan_history(root: Path) -> tuple[Repo, dict[str, str]]:
    """The report fixture plans through three commits, the first tagged v1:

    1. "Start the plan" (2022-05-01, Alex Analyst): the fixture as it is.
    2. "June review" (2022-06-10, Sam Secretary): A-2.2 in-progress -> blocked; B-1.1 due
       2022-06-20 -> 2022-07-20 (slipped 30 days); new action A-1.3; an update on A-1.1.
    3. "Bring A-2.2 forward" (2022-06-20, Alex Analyst): A-2.2 due 2022-12-31 -> 2022-11-30.

    Returns the repo and the commit hashes by name ("start", "june", "forward").
    """
    repo = Repo(root, REPORT_PLANS)
    commits = {"start": repo.commit("Start the plan", "2022-05-01T09:00:00+01:00")}
    repo.tag("v1")
    repo.edit(
        "alpha.yaml",
        "        due: 2022-12-31\n        status: in-progress",
        "        due: 2022-12-31\n        status: blocked",
    )
    repo.edit("beta.yaml", "due: 2022-06-20", "due: 2022-07-20")
    repo.edit("alpha.yaml", "        completed: 2022-04-01\n", "        completed: 2022-04-01\n" + NEW_ACTION)
    latest = "            note: Latest note about the briefing.\n"
    repo.edit(
        "alpha.yaml", latest, latest + "          - date: 2022-06-09\n            note: Second briefing booked.\n"
    )
    commits["june"] = repo.commit("June review", "2022-06-10T14:30:00+01:00", author="Sam Secretary")
    repo.edit("alpha.yaml", "due: 2022-12-31", "due: 2022-11-30")
    commits["forward"] = repo.commit("Bring A-2.2 forward", "2022-06-20T11:00:00+01:00")
    return repo, commits
