"""Checking whole plans folders: loading problems and rule problems together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from yotplan.plans.loader import PLAN_SUFFIXES, load_plans
from yotplan.problems import Problem
from yotplan.rules.plan_rules import check_plans


def plans_folders_of(files: Iterable[Path]) -> list[Path]:
    """The distinct plans folders that the given files (or folders) belong to, in order.

    pre-commit passes the changed files; a change to one file can break another (an owner
    removed from owners.yaml), so the whole folder is checked. Non-YAML paths are ignored.
    """
    folders: dict[Path, None] = {}
    for path in files:
        if path.is_dir():
            folders[path] = None
        elif path.suffix in PLAN_SUFFIXES:
            folders[path.parent] = None
    return list(folders)


def check_folders(folders: Iterable[Path], today: date) -> tuple[list[Problem], int]:
    """Every problem in the given plans folders, and how many files were read."""
    problems: list[Problem] = []
    files = 0
    for folder in folders:
        result = load_plans(folder)
        files += result.files
        problems.extend(result.problems)
        problems.extend(check_plans(result.plans, today, every_file_loaded=not result.problems))
    return sorted(problems, key=lambda p: p.sort_key), files
