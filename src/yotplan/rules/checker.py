"""Checking whole plans folders: loading problems and rule problems together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from yotplan.plans.loader import PLAN_SUFFIXES, display_path, load_plans
from yotplan.problems import Problem
from yotplan.rules.plan_rules import check_plans


def plans_folders_of(files: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The distinct plans folders that the given files (or folders) belong to, in order, and a
    problem for each path that is not a plan file or does not exist.

    pre-commit passes the changed files; a change to one file can break another (an owner
    removed from owners.yaml), so the whole folder is checked.
    """
    folders: dict[Path, None] = {}
    problems: list[Problem] = []
    for path in files:
        shown = display_path(path)
        if path.is_dir():
            folders[path] = None
        elif not path.exists():
            problems.append(Problem(shown, 0, 0, "error", "YP008", "no such file or folder"))
        elif path.suffix not in PLAN_SUFFIXES:
            problems.append(
                Problem(
                    shown, 0, 0, "error", "YP008", "not a plan file: plans are .yaml or .yml files in a plans folder"
                )
            )
        else:
            folders[path.parent] = None
    return list(folders), problems


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
