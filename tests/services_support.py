"""The three fixture services whose ids collide (`tests/fixtures/services/`), for the tests of
many services in one command: where they are, and `--plans` for each."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

SERVICES = FIXTURES / "services"
NAMES = ("north", "south", "west")
FOLDERS = tuple(SERVICES / name / "plans" for name in NAMES)
TODAY = "2023-03-01"
"""The day the fixtures are judged on (their README says what is late then)."""


def three(*folders: Path) -> list[str | Path]:
    """`--plans A --plans B --plans C`: the fixture services, or the folders given."""
    args: list[str | Path] = []
    for folder in folders or FOLDERS:
        args += ["--plans", folder]
    return args
