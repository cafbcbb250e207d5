"""Shared fixtures: a pinned terminal and date, the CLI runner, copies of plans on disk."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from yotplan.cli import app

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLANS = REPO / "plans"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = "2022-06-01"
"""A fixed 'today' for CLI tests: after the review (2022-05-06), before most due dates."""

settings.register_profile(
    "yotplan",
    derandomize=True,  # the same examples on every run and every machine: a red run is reproducible
    database=None,  # nothing learnt on one machine changes what another tries
    max_examples=100,  # tests that need more or fewer say so
    deadline=None,  # no wall-clock assertion: a busy machine must not fail a property
    # too_slow measures how long generating the data took, which also depends on the machine's load.
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("yotplan")

EVERY_PART_REQUIRED = os.environ.get("CI", "").lower() not in ("", "0", "false", "no") and not os.environ.get(
    "YOTPLAN_TOOLS_OPTIONAL"
)
"""In CI (`CI=true`, as GitHub Actions and .ci/run set it) a test may not skip for a missing tool
(chromium, LibreOffice, zsh, fish, the console script): CI tries every part or fails. The
workflow's Windows and macOS jobs, which test what differs there, set YOTPLAN_TOOLS_OPTIONAL
(the tools are tried by the Linux jobs). Read once, at start-up: the `pinned_terminal` fixture
removes CI from each test's environment."""


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, object, object]:
    """In CI, a skip because something `is not installed` is a failure, saying what is missing."""
    report = yield
    if EVERY_PART_REQUIRED and isinstance(report, pytest.TestReport) and report.skipped:
        reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
        if "not installed" in reason:
            report.outcome = "failed"
            report.longrepr = f"CI must try every part, and this test could not run: {reason}"
    return report


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The plan cache and its key in temporary folders for the whole run (module-scoped fixtures
    and subprocesses included), never the user's ~/.cache or ~/.local/state."""
    folder = tmp_path_factory.mktemp("yotplan-cache")
    state = tmp_path_factory.mktemp("yotplan-state")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YOTPLAN_CACHE_DIR", str(folder))
        patch.setenv("XDG_STATE_HOME", str(state))
        yield folder


@pytest.fixture(autouse=True)
def pinned_terminal(monkeypatch: pytest.MonkeyPatch, cache_folder: Path) -> None:
    """Same output everywhere: fixed width, no colour, not CI, no date or plans from the env,
    and the plan cache in a temporary folder rather than the user's ~/.cache."""
    monkeypatch.setenv("YOTPLAN_CACHE_DIR", str(cache_folder))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("YOTPLAN_SETTLE_SECONDS", "0")  # tests write a file and edit it at once
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


GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare output with tests/golden/NAME; YOTPLAN_UPDATE_GOLDEN=1 rewrites it (then review the diff)."""
    import os

    def compare(name: str, actual: str) -> None:
        path = GOLDEN / name
        if os.environ.get("YOTPLAN_UPDATE_GOLDEN"):
            path.write_text(actual, encoding="utf-8")
        assert path.exists(), f"no golden file {path}; run with YOTPLAN_UPDATE_GOLDEN=1 and review it"
        assert actual == path.read_text(encoding="utf-8")

    return compare
