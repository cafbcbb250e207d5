"""Finding and loading a plans folder into a PlanSet, collecting every problem on the way."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yotplan.models import OwnersFile, PlanFile
from yotplan.planset import Document, PlanSet
from yotplan.problems import Problem
from yotplan.validation import validate_document
from yotplan.yamlio import MAX_FILE_BYTES, YamlProblem, parse_yaml

OWNERS_FILE = "owners.yaml"
PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    """The plans that loaded, and the problems that stopped others from loading."""

    plans: PlanSet
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    """How many files were read, loaded or not."""


def display_path(path: Path) -> str:
    """The path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


def find_plan_files(root: Path) -> tuple[Path | None, list[Path]]:
    """The owners file (if any) and the plan files of a plans folder, in name order."""
    owners: Path | None = None
    plans: list[Path] = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if not entry.name.endswith(PLAN_SUFFIXES) or entry.name.startswith(".") or entry.is_dir():
            continue
        if entry.name in (OWNERS_FILE, "owners.yml"):
            owners = root / entry.name
        else:
            plans.append(root / entry.name)
    return owners, plans


def read_yaml_file(path: Path) -> Any:
    """Read and strictly parse one file. Raises YamlProblem for anything a user must fix."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlProblem(
                "YP001",
                f"file is {size / 2**20:.1f} MB, over the 10 MB limit for one plan file; split it by source",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlProblem("YP001", f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem("YP001", "file is not UTF-8 text; save it with UTF-8 encoding", line, col) from None
    if "\x00" in text:
        raise YamlProblem("YP001", "file contains NUL bytes: it is binary, not a YAML plan", 1, 1)
    data = parse_yaml(text)
    if data is None:
        raise YamlProblem("YP007", "file is empty; a plan file needs `source:` and `recommendations:`", 1, 1)
    return data


def load_document(path: Path, model: type[PlanFile] | type[OwnersFile]) -> tuple[Document | None, list[Problem]]:
    """One file read, parsed and validated: a Document, or the problems that stop it."""
    shown = display_path(path)
    try:
        data = read_yaml_file(path)
    except YamlProblem as exc:
        return None, [Problem(shown, exc.line, exc.col, "error", exc.code, exc.message)]
    doc = Document(shown, data, None)
    problems = validate_document(doc, model)
    return (doc if not problems else None), problems


def load_plans(root: Path) -> LoadResult:
    """Load every plan file and the owners file of the folder `root`.

    Files that fail to read or validate are left out of the PlanSet and reported as problems;
    the rest load, so one run reports every broken file.
    """
    shown = display_path(root)
    result = LoadResult(PlanSet(shown))
    if not root.exists():
        result.problems.append(
            Problem(shown, 0, 0, "error", "YP008", "no such folder; pass --plans DIR or set YOTPLAN_PLANS")
        )
        return result
    if not root.is_dir():
        result.problems.append(Problem(shown, 0, 0, "error", "YP008", "not a folder; --plans takes the plans folder"))
        return result
    owners_path, plan_paths = find_plan_files(root)
    result.files = len(plan_paths) + (owners_path is not None)
    if not plan_paths:
        result.problems.append(
            Problem(shown, 0, 0, "error", "YP008", "no plan files (*.yaml) here; run `yotplan init` to start one")
        )
    if owners_path is None:
        result.problems.append(
            Problem(
                display_path(root / OWNERS_FILE),
                0,
                0,
                "error",
                "YP011",
                "owners file is missing; create it with `owners:` and one entry per owner role",
            )
        )
    else:
        doc, problems = load_document(owners_path, OwnersFile)
        result.plans.owners_doc = doc
        result.problems.extend(problems)
    for path in plan_paths:
        doc, problems = load_document(path, PlanFile)
        if doc is not None:
            result.plans.plans.append(doc)
        result.problems.extend(problems)
    return result
