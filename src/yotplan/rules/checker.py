"""Loading plans folders and judging them: loading problems, rule problems and the file checks'
findings together, for `check` and for every command that reads plans.

`check` runs every rule. A command that reads plans (`status`, `report`, ...) runs the error
rules and the personal-data guard only: errors decide its exit code and name what it could not
show; overdue and stale warnings are what its tables show already, and belong to `check`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from yotplan.plans.loader import NO_CACHE, PLAN_SUFFIXES, LoadResult, LoadSettings, display_path, load_folders
from yotplan.plans.planset import PlanSet
from yotplan.problems import Problem, has_errors
from yotplan.rules.file_checks import PERSONAL_DATA_CHECKS
from yotplan.rules.plan_rules import check_plans
from yotplan.rules.services import service_problems


@dataclass
class Judged:
    """The plans folders as loaded (one PlanSet per service) and every problem found in them."""

    results: list[LoadResult]
    problems: list[Problem] = field(default_factory=list)

    @property
    def plan_sets(self) -> list[PlanSet]:
        return [result.plans for result in self.results]

    @property
    def files(self) -> int:
        return sum(result.files for result in self.results)

    @property
    def notes(self) -> list[str]:
        return list(dict.fromkeys(note for result in self.results for note in result.notes))

    @property
    def has_errors(self) -> bool:
        return has_errors(self.problems)

    @property
    def files_left_out(self) -> list[str]:
        """Files that exist but did not load: what a reading command could not show."""
        left_out = {
            p.path
            for result in self.results
            for p in result.problems
            if p.severity == "error" and p.code not in ("YP008", "YP011")
        }
        return sorted(left_out - {doc.path for result in self.results for doc in result.plans.documents})


def judge(
    folders: Iterable[Path], today: date, *, every_rule: bool = True, settings: LoadSettings = NO_CACHE
) -> Judged:
    """Load the plans folders (`load_folders`, reading them as `settings` say) and judge them: all
    rules (`check`), or with `every_rule` false the error rules and the personal-data guard (the
    commands that read plans)."""
    loaded = load_folders(
        list(folders),
        settings=settings,
        checks=PERSONAL_DATA_CHECKS,
        judge=partial(judge_folder, today=today, warnings=every_rule),
    )
    judged = Judged([result for result, _ in loaded])
    for result, found in loaded:
        judged.problems.extend(result.problems)
        judged.problems.extend(found)
    judged.problems.extend(service_problems(judged.plan_sets))  # slugs, and unique across the folders
    judged.problems.sort(key=lambda p: p.sort_key)
    return judged


def judge_folder(result: LoadResult, *, today: date, warnings: bool) -> list[Problem]:
    """The rules' problems (and the file checks' findings) of one loaded folder."""
    return check_plans(result.plans, today, every_file_loaded=not result.problems, warnings=warnings)


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


def check_folders(folders: Iterable[Path], today: date, settings: LoadSettings = NO_CACHE) -> tuple[list[Problem], int]:
    """Every problem in the given plans folders, and how many files were read."""
    judged = judge(folders, today, settings=settings)
    return judged.problems, judged.files
