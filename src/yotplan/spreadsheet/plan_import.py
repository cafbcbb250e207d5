"""`yotplan import`: an action-plan spreadsheet turned into a new plans folder.

Three steps, each in its own module: reading the sheet (`reading`, within `bounds`), reading its
rows as a plan (`interpretation`), and writing that plan as commented YAML (`plan_text`); the
folder is then made whole or not at all (`new_folder`). The files depend only on the
spreadsheet, the options and the as-at date: never on the clock.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from yotplan.plans.loader import OWNERS_FILE, display_path
from yotplan.problems import Problem
from yotplan.spreadsheet.cells import owner_key
from yotplan.spreadsheet.errors import ImportRefused, SpreadsheetError
from yotplan.spreadsheet.interpretation import (
    ImportedPlan,
    ImportOptions,
    OwnerDraft,
    default_source_id,
    plan_from_sheet,
)
from yotplan.spreadsheet.new_folder import create_folder
from yotplan.spreadsheet.plan_text import owners_data, plan_data, render_owners, render_plan, same_data, schema_files
from yotplan.spreadsheet.reading import read_sheet


@dataclass(frozen=True, slots=True)
class ImportResult:
    plans: list[ImportedPlan]
    """One per sheet read, each its own source and plan file."""
    plan_paths: list[Path]
    owners_path: Path
    problems: list[Problem] = dataclasses.field(default_factory=list)
    """What the personal-data guard (and any error rule) found in the files, at their final paths."""

    @property
    def not_placed(self) -> bool:
        return any(plan.not_placed for plan in self.plans)


def read_plans(path: Path, options: ImportOptions) -> list[ImportedPlan]:
    """Each sheet asked for (else the one that opens first) read as a plan of its own source."""
    modified = date.fromtimestamp(path.stat().st_mtime) if path.is_file() else None
    names: list[str | None] = list(dict.fromkeys(options.sheets)) or [None]
    plans: list[ImportedPlan] = []
    for name in names:
        sheet = read_sheet(path, name, delimiter=options.delimiter, encoding=options.encoding)
        sheet_options = options
        if len(names) > 1:
            base = options.source_id or default_source_id(path)
            suffix = owner_key(sheet.name or "").upper() or str(len(plans) + 1)
            sheet_options = dataclasses.replace(options, source_id=f"{base}-{suffix}")
        plans.append(plan_from_sheet(sheet, sheet_options, modified))
    return plans


def merged_owners(plans: list[ImportedPlan]) -> list[OwnerDraft]:
    """The owners of every sheet's plan, one per key, as first met."""
    owners: dict[str, OwnerDraft] = {}
    for plan in plans:
        for key, owner in plan.owners.items():
            owners.setdefault(key, owner)
    return list(owners.values())


def import_spreadsheet(path: Path, out_dir: Path, options: ImportOptions) -> ImportResult:
    """Read `path` and create the folder `out_dir` holding a `<source id>.yaml` per sheet, `owners.yaml`
    and the JSON Schemas the files' editor hints point at.

    The folder appears whole or not at all (`yotplan.spreadsheet.new_folder`); it must be new or
    empty, so nothing is ever overwritten. Raises ImportRefused when no action could be placed.
    The files pass `yotplan check` (warnings allowed): they are checked before they are placed.
    """
    plans = read_plans(path, options)
    plan_paths = [out_dir / f"{plan.source_id.lower()}.yaml" for plan in plans]
    owners_path = out_dir / OWNERS_FILE
    if out_dir.exists() and not out_dir.is_dir():
        raise ImportRefused(f"{display_path(out_dir)} is a file; -o names the folder for the new plan files")
    for target in (*plan_paths, owners_path, out_dir / "owners.yml"):
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
    if not any(plan.recommendations for plan in plans):
        details = tuple(line for plan in plans for line in plan.not_placed_lines())
        raise ImportRefused(f"{plans[0].sheet.shown}: no action could be placed; nothing written", details)
    placed = [(p, plan) for p, plan in zip(plan_paths, plans, strict=True) if plan.recommendations]
    owners = merged_owners(plans)
    files = {p.name: render_plan(plan) for p, plan in placed}
    sources = [plan.sheet.path.name + (f' (sheet "{plan.sheet.name}")' if plan.sheet.name else "") for plan in plans]
    files[owners_path.name] = render_owners(owners, sources, plans[0].header.title("owner"))
    files.update(schema_files())
    meant: dict[str, Any] = {p.name: plan_data(plan) for p, plan in placed}
    meant[owners_path.name] = owners_data(owners)
    found: list[Problem] = []
    create_folder(
        out_dir, files, lambda folder: found.extend(_check_before_placing(folder, out_dir, meant, options.today))
    )
    return ImportResult(plans, [p for p, _ in placed], owners_path, found)


def _check_before_placing(folder: Path, target: Path, meant: dict[str, Any], today: date) -> list[Problem]:
    """The promise that the import passes `yotplan check`, kept: the complete folder is loaded with
    yotplan's own loader, each file compared with what was meant, and judged by the error rules and
    the personal-data guard, before it is placed. Returns the findings, at their final paths."""
    from yotplan.rules.checker import judge

    judged = judge([folder], today, every_rule=False)
    errors = [p for p in judged.problems if p.severity == "error"]
    if errors:
        first = errors[0]
        raise SpreadsheetError(
            f"the imported plan would not pass `yotplan check` ({first.code} {first.message}); nothing written. "
            "This is a bug in yotplan: please report it with the spreadsheet"
        )
    for plans in judged.plan_sets:
        for doc in plans.documents:
            name = Path(doc.path).name
            if name in meant and not same_data(meant[name], dataclasses.asdict(doc.model)):
                raise SpreadsheetError(
                    f"{name} did not read back as it was written; nothing written. This is a bug in yotplan: "
                    "please report it with the spreadsheet"
                )
    shown, final = display_path(folder), display_path(target)
    return [
        dataclasses.replace(p, path=final + p.path[len(shown) :]) if p.path.startswith(shown) else p
        for p in judged.problems
    ]
