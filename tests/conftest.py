"""Shared fixtures: a pinned terminal and date, the CLI runner, copies of plans on disk."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from yotplan.cli import app

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLANS = REPO / "plans"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = "2022-06-01"
"""A fixed 'today' for CLI tests: after the review (2022-05-06), before most due dates."""


@pytest.fixture(autouse=True)
def pinned_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same output everywhere: fixed width, no colour, not CI, no date or plans from the env."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    for name in ("CI", "GITHUB_ACTIONS", "FORCE_COLOR", "YOTPLAN_TODAY", "YOTPLAN_PLANS", "YOTPLAN_TRACEBACK"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A copy of the shipped plans in a temporary folder, safe to break or edit."""
    target = tmp_path / "plans"
    shutil.copytree(SHIPPED_PLANS, target)
    return target


Invoke = Callable[..., Result]


@pytest.fixture
def cli() -> Invoke:
    """Run `yotplan ARGS` in process; stdout and stderr kept apart."""
    runner = CliRunner()

    def invoke(*args: str | Path, input: str | None = None) -> Result:
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
