"""Hostile returned forms: each refused as described, with nothing written for the refused rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from gitrepo import Repo
from updates_support import MADE, MANAGER_EMAIL, RETURNED, diff_lines, fill, plans_repo, request, row_of
from yotplan.updates.forms import SHEET

from conftest import Invoke

GOOD_ROW = {"HMIP-1.2": {"Progress update": "Interviews in July"}}


@pytest.fixture
def form(cli: Invoke, tmp_path: Path) -> tuple[Repo, Path]:
    repo = plans_repo(tmp_path / "repo")
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead")
    return repo, out / "camhs-lead.xlsx"


def apply(cli: Invoke, repo: Repo, returned: Path) -> object:
    return cli("apply-updates", returned, "--plans", repo.plans, "--today", RETURNED)


def only_the_good_row_applied(repo: Repo) -> None:
    removed, added = diff_lines(repo)
    assert removed == []
    assert added == [
        f"          - date: {RETURNED}",
        "            note: Interviews in July "
        f"(returned by CAMHS representative on the YOT Management Board, {RETURNED})",
    ]
    assert repo.git("diff").count("@@ ") == 2  # one hunk, under HMIP-1.2's updates
    assert "HMIP-1.1" not in repo.git("diff")


def test_a_formula_refuses_its_row(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    row = row_of(made, "HMIP-1.1")
    returned = fill(made, tmp_path / "r.xlsx", GOOD_ROW, {f"H{row}": '=HYPERLINK("https://evil.example","minutes")'})

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    assert f"{returned}:{row}: cell H{row} holds a formula (=HYPERLINK(" in result.stderr
    assert "1 applied, 0 unchanged, 1 refused" in result.stdout
    only_the_good_row_applied(repo)


def test_personal_data_refuses_its_row_and_is_masked(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    row = row_of(made, "HMIP-1.1")
    pasted = {"HMIP-1.1": {"Progress update": "CAMHS saw the boy, NHS number 943 476 5919, on Monday"}}
    returned = fill(made, tmp_path / "r.xlsx", {**GOOD_ROW, **pasted})

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith(f"{returned}:{row}: ")]
    assert f"H{row} (Progress update) looks like an NHS number (94••••••••19)" in line
    assert "943 476 5919" not in result.stderr + result.stdout
    only_the_good_row_applied(repo)
    assert "943" not in repo.git("diff")


def test_an_id_changed_to_another_actions_touches_neither(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    row = row_of(made, "HMIP-1.1")
    returned = fill(made, tmp_path / "r.xlsx", {"HMIP-1.1": {"New status": "done"}}, {f"A{row}": "HMIP-1.2"})

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    assert f"{returned}:{row}: the id was changed from HMIP-1.1 to HMIP-1.2; ids are locked" in result.stderr
    assert repo.git("status", "--porcelain") == ""


def test_fifty_thousand_extra_rows_are_not_read(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    book = load_workbook(made)
    sheet = book[SHEET]
    sheet.cell(row_of(made, "HMIP-1.2"), 8, "Interviews in July")
    last = sheet.max_row
    for n in range(50_000):
        sheet.append(["HMIP-1.1", "", "", None, "", "", "done", f"row {n}"])
    returned = tmp_path / "big.xlsx"
    book.save(returned)

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{returned}:{last + 1}: 50+ filled rows below the form's last action (row {last}); ")
    assert f"the sheet runs to row {last + 50_000}" in line
    assert "1 applied, 0 unchanged, 1 refused" in result.stdout
    only_the_good_row_applied(repo)


def test_an_unknown_status_word_gets_did_you_mean(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    row = row_of(made, "HMIP-1.1")
    returned = fill(made, tmp_path / "r.xlsx", {**GOOD_ROW, "HMIP-1.1": {"New status": "finised"}})

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    assert f"{returned}:{row}: 'finised' in G{row} is not a status (did you mean 'done'?" in result.stderr
    only_the_good_row_applied(repo)


def test_a_later_due_date_without_a_reason_is_refused(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    row = row_of(made, "HMIP-1.1")
    returned = fill(made, tmp_path / "r.xlsx", {**GOOD_ROW, "HMIP-1.1": {"New due date": "30/09/2022"}})

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    assert f"{returned}:{row}: moving HMIP-1.1's due date later (2022-07-31 -> 2022-09-30) needs a reason" in (
        result.stderr
    )
    only_the_good_row_applied(repo)


@pytest.mark.parametrize(
    ("cells", "why"),
    [
        ({"New due date": "01/06/2022"}, "the new due date 2022-06-01 of HMIP-1.1 is in the past; it needs its reason"),
        ({"New status": "Blocked"}, "marking HMIP-1.1 blocked needs a reason"),
    ],
)
def test_a_past_due_date_or_a_stop_without_a_reason_is_refused(
    cli: Invoke, form: tuple[Repo, Path], tmp_path: Path, cells: dict[str, str], why: str
) -> None:
    repo, made = form
    row = row_of(made, "HMIP-1.1")
    returned = fill(made, tmp_path / "r.xlsx", {**GOOD_ROW, "HMIP-1.1": cells})

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    assert f"{returned}:{row}: {why}" in result.stderr
    only_the_good_row_applied(repo)


def test_an_edited_locked_cell_is_ignored_with_a_warning(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    row = row_of(made, "HMIP-1.2")
    returned = fill(made, tmp_path / "r.xlsx", GOOD_ROW, {f"D{row}": "31/12/2030"})

    result = apply(cli, repo, returned)

    assert result.exit_code == 0, result.stderr
    assert f"{returned}:{row}: warning: the locked cell D{row} (Due) was changed and is ignored" in result.stderr
    only_the_good_row_applied(repo)


def test_files_that_are_not_forms_are_refused_whole(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    macros = tmp_path / "macros.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(macros, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\0")

    result = cli("apply-updates", text, macros, "--plans", repo.plans, "--today", RETURNED)

    assert result.exit_code == 1
    assert f"{text}: is not an .xlsx workbook" in result.stderr
    assert f"{macros}: holds macros; yotplan never opens a form with macros" in result.stderr
    assert repo.git("status", "--porcelain") == ""


def test_a_link_planted_in_the_output_folder_is_replaced_not_followed(cli: Invoke, tmp_path: Path) -> None:
    repo = plans_repo(tmp_path / "repo")
    out = tmp_path / "round"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / "camhs-lead.xlsx").symlink_to(victim)

    request(cli, repo, out, "camhs-lead")

    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / "camhs-lead.xlsx").is_symlink()
    assert load_workbook(out / "camhs-lead.xlsx").sheetnames == ["Updates", "yotplan"]


def test_the_plans_folder_is_not_an_output_folder(cli: Invoke, tmp_path: Path) -> None:
    repo = plans_repo(tmp_path / "repo")
    result = cli("request-updates", "--plans", repo.plans, "--today", "2022-06-01", "-o", repo.plans)
    assert result.exit_code == 2
    assert repo.git("status", "--porcelain") == ""


def test_a_form_of_another_service_is_refused_whole(cli: Invoke, form: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, made = form
    returned = fill(made, tmp_path / "r.xlsx", GOOD_ROW)
    repo.edit("service.yaml", "name: Torbay Youth Offending Service", "name: Devon Youth Justice Service")

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    assert (
        f"{returned}: the form was made for Torbay Youth Offending Service, not Devon Youth Justice Service"
        in result.stderr
    )
    assert repo.git("diff", "--name-only") == "plans/service.yaml"


@pytest.mark.parametrize("owner", ["../../escaped", "a/b", "..", "{tmp}/abs"])
def test_an_owner_that_is_not_a_key_never_becomes_a_file_name(cli: Invoke, tmp_path: Path, owner: str) -> None:
    """An owner written as a path (YP113 in `check`) gets no form: its name would be written outside -o."""
    owner = owner.format(tmp=tmp_path)
    repo = plans_repo(tmp_path / "repo")
    text = (repo.plans / "hmip-inspection.yaml").read_text(encoding="utf-8")
    (repo.plans / "hmip-inspection.yaml").write_text(
        text.replace("        owner: camhs-lead\n", f"        owner: '{owner}'\n", 1), encoding="utf-8"
    )
    out = tmp_path / "deep" / "round"
    before = {p for p in tmp_path.rglob("*") if "repo" not in p.parts}

    result = cli(
        "request-updates", "--plans", repo.plans, "--today", MADE, "--meeting", "yot-board@2022-07-12",
        "--from", MANAGER_EMAIL, "-o", out,
    )  # fmt: skip

    assert result.exit_code == 1  # the plans have an error (YP113)
    assert f"no form for owner {owner!r}: not an owner key" in result.stderr
    made = {p for p in tmp_path.rglob("*") if "repo" not in p.parts} - before
    assert made, "the other owners' forms were still written"
    assert all(p in (out, out.parent) or out in p.parents for p in made), sorted(made)
