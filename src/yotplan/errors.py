"""Exceptions that stop an operation. Findings about plans are `Problem`s, not exceptions."""

from __future__ import annotations

from yotplan.problems import Problem


class YotplanError(Exception):
    """Base of every expected failure; the CLI prints it as one line and exits 1."""


class PlansInvalid(YotplanError):
    """The plans could not be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the plans")
        self.problems = problems


class UnknownId(YotplanError):
    """No recommendation or action has this id."""


class GitError(YotplanError):
    """A git operation failed: git is missing, the folder is not in a repository, or git refused."""


class NotAGitRepo(GitError):
    """The plans folder is not inside a git repository."""


class UnknownRevision(GitError):
    """A revision (commit, tag, branch) that the repository does not have."""
