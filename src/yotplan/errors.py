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
