"""Shared pieces of the update-cycle tests: a git repository of the shipped plans with owners'
mailboxes, forms made through the real CLI, filled by openpyxl, and saved through LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from gitrepo import Repo
from yotplan.updates.forms import COLUMNS, FIRST_ROW, SHEET

from conftest import SHIPPED_PLANS, Invoke

MADE = "2022-06-01"
RETURNED = "2022-06-20"
CAMHS_EMAIL = "camhs.lead@nhs.example"
MANAGER_EMAIL = "yot@torbay.example"
SOFFICE = shutil.which("soffice")


def plans_repo(root: Path) -> Repo:
    """The shipped plans in a git repository, CAMHS with a role mailbox, committed."""
    repo = Repo(root, SHIPPED_PLANS)
    repo.edit("owners.yaml", "    agency: NHS (CAMHS)\n", f"    agency: NHS (CAMHS)\n    email: {CAMHS_EMAIL}\n")
    repo.commit("Start", "2022-06-01T09:00:00+01:00")
    return repo


def request(
    cli: Invoke,
    repo: Repo,
    out: Path,
    *owners: str,
    today: str = MADE,
    meeting: str = "yot-board@2022-07-12",
    extra: tuple[str, ...] = (),
) -> Any:
    args = [a for owner in owners for a in ("--owner", owner)]
    result = cli(
        "request-updates", "--plans", repo.plans, "--today", today, "--meeting", meeting,
        "--from", MANAGER_EMAIL, "-o", out, *args, *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return result


def fill(form: Path, dest: Path, rows: dict[str, dict[str, Any]], cells: dict[str, Any] | None = None) -> Path:
    """Fill the form as an owner would (by action id and column name) and save it as `dest`."""
    book = load_workbook(form)
    sheet = book[SHEET]
    by_id = {sheet.cell(r, 1).value: r for r in range(FIRST_ROW, sheet.max_row + 1)}
    for action_id, values in rows.items():
        for name, value in values.items():
            sheet.cell(by_id[action_id], COLUMNS.index(name) + 1, value)
    for coordinate, value in (cells or {}).items():
        sheet[coordinate] = value
    dest.parent.mkdir(parents=True, exist_ok=True)
    book.save(dest)
    return dest


def row_of(form: Path, action_id: str) -> int:
    book = load_workbook(form, read_only=True)
    try:
        rows = book[SHEET].iter_rows(min_row=FIRST_ROW, max_col=1, values_only=True)
        for number, row in enumerate(rows, start=FIRST_ROW):
            if row[0] == action_id:
                return number
    finally:
        book.close()
    raise AssertionError(f"{action_id} is not on {form}")


def saved_by_libreoffice(form: Path, out: Path, profile: Path) -> Path:
    """The form opened and saved again as .xlsx by LibreOffice (headless), standing in for Excel."""
    assert SOFFICE is not None
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out), str(form)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    saved = out / form.name
    assert saved.exists()
    return saved


def diff_lines(repo: Repo) -> tuple[list[str], list[str]]:
    """The removed and added lines of the working tree's git diff (without the file headers)."""
    diff = repo.git("diff", "--unified=0").splitlines()
    removed = [ln[1:] for ln in diff if ln.startswith("-") and not ln.startswith("---")]
    added = [ln[1:] for ln in diff if ln.startswith("+") and not ln.startswith("+++")]
    return removed, added
