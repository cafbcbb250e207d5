"""`yotplan import`: an action-plan spreadsheet turned into a new plans folder.

Three steps, each in its own module: reading the sheet (`reading`, within `bounds`), reading its
rows as a plan (`interpretation`), and writing that plan as commented YAML (`plan_text`); the
folder is then made whole or not at all (`new_folder`). The files depend only on the
spreadsheet, the options and the as-at date: never on the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from yotplan.plans.loader import OWNERS_FILE, display_path
from yotplan.spreadsheet.errors import ImportRefused, SpreadsheetError
from yotplan.spreadsheet.interpretation import ImportedPlan, ImportOptions, plan_from_sheet
from yotplan.spreadsheet.new_folder import create_folder
from yotplan.spreadsheet.plan_text import render_owners, render_plan
from yotplan.spreadsheet.reading import read_sheet


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: ImportedPlan
    plan_path: Path
    owners_path: Path


def import_spreadsheet(path: Path, out_dir: Path, options: ImportOptions) -> ImportResult:
    """Read `path` and create the folder `out_dir` holding `<source id>.yaml` and `owners.yaml`.

    The folder appears whole or not at all (`yotplan.spreadsheet.new_folder`); it must be new or
    empty, so nothing is ever overwritten. Raises ImportRefused when no action could be placed.
    The files pass `yotplan check` (warnings allowed): they are checked before they are placed.
    """
    plan = plan_from_sheet(read_sheet(path, options.sheet), options)
    plan_path = out_dir / f"{plan.source_id.lower()}.yaml"
    owners_path = out_dir / OWNERS_FILE
    if out_dir.exists() and not out_dir.is_dir():
        raise ImportRefused(f"{display_path(out_dir)} is a file; -o names the folder for the new plan files")
    for target in (plan_path, owners_path, out_dir / "owners.yml"):
        if target.exists() or target.is_symlink():
            raise ImportRefused(
                f"{display_path(target)} already exists; nothing written: import into a new folder "
                "(yotplan import never overwrites a file)"
            )
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise ImportRefused(
            f"{display_path(out_dir)} already holds files; nothing written: import into a new folder "
            "(the plan and owners.yaml are made together)"
        )
    if not plan.recommendations:
        raise ImportRefused(
            f"{plan.sheet.shown}: no action could be placed; nothing written", tuple(plan.lines("not_placed"))
        )
    files = {plan_path.name: render_plan(plan), owners_path.name: render_owners(plan)}
    create_folder(out_dir, files, lambda folder: _check_before_placing(folder, options.today))
    return ImportResult(plan, plan_path, owners_path)


def _check_before_placing(folder: Path, today: date) -> None:
    """The promise that the import passes `yotplan check`, kept: the complete folder is checked before it is placed."""
    from yotplan.rules.checker import check_folders

    problems, _ = check_folders([folder], today)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        raise SpreadsheetError(
            f"the imported plan would not pass `yotplan check` ({first.code} {first.message}); nothing written. "
            "This is a bug in yotplan: please report it with the spreadsheet"
        )
