"""Service ids across the plans folders of one run: each a slug (YP013), no two the same (YP014).

A service's id names it in `SERVICE:ID`, in regional views and in calendar UIDs, so it must be a
plain slug (letters and digits joined by `-`, `.` or `_`: never a `:` or a space), and two folders
read together must not share one: `show same:HMIP-1` would have to pick a folder, and two calendars
would hold the same event UIDs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from yotplan.plans.loader import display_path
from yotplan.plans.models import ID_PATTERN
from yotplan.plans.planset import PlanSet
from yotplan.problems import Problem

SERVICE_ID_PATTERN = ID_PATTERN
_ID_LINE = re.compile(r"^id\s*:", re.MULTILINE)


def service_file(root: Path) -> Path | None:
    """The folder's service.yaml (or service.yml), if it has one."""
    return next((p for p in (root / "service.yaml", root / "service.yml") if p.is_file()), None)


def _where(plans: PlanSet) -> tuple[str, int, int]:
    """path, line, column of a folder's service id: the `id:` line of service.yaml, else the folder."""
    path = service_file(Path(plans.root))
    if path is None:
        return plans.root, 0, 0
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return display_path(path), 0, 0
    found = _ID_LINE.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found else 0
    return display_path(path), line, 1 if found else 0


def service_problems(plan_sets: Sequence[PlanSet]) -> list[Problem]:
    """YP013 for a service.yaml id that is not a slug; YP014, on each folder, for an id two folders share."""
    problems = []
    for plans in plan_sets:
        if not SERVICE_ID_PATTERN.fullmatch(plans.service) and service_file(Path(plans.root)) is not None:
            problems.append(
                _at_id(
                    plans,
                    "YP013",
                    f"service id {plans.service!r} is not a slug: use letters and digits joined by '-', '.' or "
                    "'_', e.g. torbay",
                )
            )
    by_id: dict[str, list[PlanSet]] = {}
    for plans in plan_sets:
        by_id.setdefault(plans.service.casefold(), []).append(plans)
    for same in by_id.values():
        if len(same) < 2:
            continue
        folders = " and ".join(p.root for p in same)
        for plans in same:
            problems.append(
                _at_id(
                    plans,
                    "YP014",
                    f"service id {plans.service!r} is used by {len(same)} plans folders ({folders}); give each "
                    "service its own id in its service.yaml",
                )
            )
    return problems


def _at_id(plans: PlanSet, code: str, message: str) -> Problem:
    """An error at the `id:` of the folder's service.yaml (or at the folder, without one)."""
    path, line, col = _where(plans)
    return Problem(path, line, col, "error", code, message)
