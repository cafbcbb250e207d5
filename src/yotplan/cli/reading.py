"""What every command that reads plans does first and last: find the plans folders, load and
judge them as this run's settings say, name on stderr what could not be read, and end with exit 1
when the plans have errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from yotplan.cli.exit_codes import end_run
from yotplan.cli.output import print_notes, print_problems

if TYPE_CHECKING:
    from yotplan.rules.checker import Judged


def plans_folders(dirs: list[Path] | Path | None, plans_list: Path | None = None) -> list[Path]:
    """The plans folders of a run: `--plans` (repeatable) and `--plans-list`, else the plans
    folder found from here (raises YotplanError saying where yotplan looked)."""
    from yotplan.plans.loader import choose_plans_folders

    given = [dirs] if isinstance(dirs, Path) else list(dirs or [])
    return choose_plans_folders(given, plans_list, Path.cwd())


def plans_folder(plans_dir: Path | None) -> Path:
    """The one plans folder an edit works on: `--plans`, else the one found from here."""
    return plans_folders(plans_dir)[0]


def judge_plans(folders: list[Path], today: date, *, every_rule: bool = True) -> Judged:
    """Load and judge plans folders with this run's settings (`yotplan.cli.settings`)."""
    from yotplan.cli.settings import load_settings
    from yotplan.rules.checker import judge

    return judge(folders, today, every_rule=every_rule, settings=load_settings())


def read_plans(dirs: list[Path] | None, plans_list: Path | None, today: date) -> Judged:
    """Load and judge the plans of a reading command, and name on stderr, one line each, every
    problem found (errors first) and every file left out. The command shows what loaded, then
    `finish`es: exit 1 when there were errors."""
    judged = judge_plans(plans_folders(dirs, plans_list), today, every_rule=False)
    print_notes(judged.notes)
    print_problems(judged.problems)
    return judged


def finish(judged: Judged, *, fail: bool = False) -> None:
    """End a reading command: exit 1 when the plans have errors, or when `fail` holds."""
    if judged.has_errors or fail:
        end_run(problems=True)
