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


class EditRefused(YotplanError):
    """An edit that was not made: nothing was written. The message says why and what to do."""


class EditWouldBreakPlans(EditRefused):
    """The plans would have new errors after the edit; `problems` are those new errors."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more new problem{'s' * (len(problems) > 2)})" if len(problems) > 1 else ""
        super().__init__(f"edit refused, nothing written: it would make the plans invalid: {first}{more}")
        self.problems = problems


class UnknownOwner(EditRefused):
    """An owner key that is not in owners.yaml."""


class FileChangedOnDisk(EditRefused):
    """The file changed on disk between reading it and writing the edit; nothing was written."""


class PlansLocked(EditRefused):
    """Another yotplan process kept the plans folder locked for too long."""


class WriteFailed(YotplanError):
    """Writing a file failed (disk full, permissions); the file on disk is unchanged."""
