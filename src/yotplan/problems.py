"""The `Problem` value: one finding about a plan, with where it is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from yotplan.safe_text import one_line

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding about one place in one file. Lines and columns are 1-based (0 when unknown)."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        """`path:line:col: severity code message`, always one line whatever the path or message holds."""
        return f"{one_line(self.path)}:{self.line}:{self.col}: {self.severity} {self.code} {one_line(self.message)}"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.code)


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def as_errors(problems: list[Problem]) -> list[Problem]:
    """Every problem as an error: what `check --strict` reports."""
    return [
        p if p.severity == "error" else Problem(p.path, p.line, p.col, "error", p.code, p.message) for p in problems
    ]
