"""The update cycle through the real CLI: forms made by `request-updates`, filled by openpyxl or
saved through LibreOffice, applied by `apply-updates` as minimal diffs in a real git repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitrepo import Repo
from updates_support import (
    CAMHS_EMAIL,
    RETURNED,
    SOFFICE,
    diff_lines,
    fill,
    plans_repo,
    request,
    row_of,
    saved_by_libreoffice,
)

from conftest import Invoke

CAMHS_ROWS = {
    "HMIP-1.1": {
        "New status": "In progress",
        "Progress update": "CAMHS attended the June Board and will send a deputy when absent",
        "Evidence": "Board minutes, 14 June 2022\nCAMHS attendance log",
    },
    "HMIP-1.2": {
        "New due date": "31/12/2022",
        "Reason for a new date": "Recruitment reopened after no suitable applicant",
        "Progress update": "Interviews in July",
    },
}
DIRECTOR_ROWS = {
    "LGA-c.1": {"Progress update": "Draft structure shared with the YOT team"},
    "HMIP-3.2": {"New status": "done", "Progress update": "Structure agreed at the June management team"},
}


def apply(cli: Invoke, repo: Repo, *forms: Path, today: str = RETURNED, extra: tuple[str, ...] = ()) -> object:
    return cli("apply-updates", *forms, "--plans", repo.plans, "--today", today, *extra)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return plans_repo(tmp_path / "repo")


def test_a_form_filled_by_a_script_lands_as_a_minimal_diff(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead")
    before = {p.name: p.read_text(encoding="utf-8") for p in repo.plans.glob("*.yaml")}
    returned = fill(out / "camhs-lead.xlsx", tmp_path / "camhs-returned.xlsx", CAMHS_ROWS)

    result = apply(cli, repo, returned)

    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    role = "CAMHS representative on the YOT Management Board"
    assert result.stdout.splitlines()[-2:] == [
        f"camhs-lead ({role}): 2 applied, 0 unchanged, 0 refused",
        "wrote " + str(repo.plans / "hmip-inspection.yaml"),
    ]
    assert repo.git("diff", "--name-only") == "plans/hmip-inspection.yaml"
    removed, added = diff_lines(repo)
    assert removed == ["        status: not-started", "        due: 2022-09-30"]
    stamp = f"(returned by {role}, {RETURNED})"
    text = (repo.plans / "hmip-inspection.yaml").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert "        status: in-progress" in added
    assert "        due: 2022-12-31" in added
    assert "          - Board minutes, 14 June 2022" in added
    assert "          - CAMHS attendance log" in added
    assert (
        "Status changed from not-started to in-progress. "
        f"CAMHS attended the June Board and will send a deputy when absent {stamp}" in flat
    )
    assert (
        f"Due date moved from 2022-09-30 to 2022-12-31: Recruitment reopened after no suitable applicant {stamp}"
        in flat
    )
    assert f"Interviews in July {stamp}" in flat
    # Every comment and every line of the other actions is kept: only lines were added around the two.
    for name, old in before.items():
        new = (repo.plans / name).read_text(encoding="utf-8")
        assert [ln for ln in old.splitlines() if ln.lstrip().startswith("#")] == [
            ln for ln in new.splitlines() if ln.lstrip().startswith("#")
        ]
    assert cli("check", "--plans", repo.plans, "--today", RETURNED).exit_code == 0
    shown = " ".join(cli("show", "HMIP-1.1", "--plans", repo.plans, "--today", RETURNED).stdout.split())
    assert "in-progress" in shown
    assert "CAMHS attended the June Board" in shown
    assert "CAMHS attendance log" in shown
    shown = " ".join(cli("show", "HMIP-1.2", "--plans", repo.plans, "--today", RETURNED).stdout.split())
    assert "2022-12-31" in shown
    assert "Interviews in July" in shown
    assert "Recruitment reopened" in shown


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc)")
def test_forms_saved_by_libreoffice_and_by_a_script_give_one_commit(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead", "director-childrens-services")
    scripted = fill(out / "camhs-lead.xlsx", tmp_path / "camhs-lead.xlsx", CAMHS_ROWS)
    filled = fill(out / "director-childrens-services.xlsx", tmp_path / "filled" / "dcs.xlsx", DIRECTOR_ROWS)
    saved = saved_by_libreoffice(filled, tmp_path / "saved", tmp_path / "lo-profile")
    assert saved.read_bytes() != filled.read_bytes()

    result = apply(cli, repo, scripted, saved)

    assert result.exit_code == 0, result.stderr
    assert "director-childrens-services (Director of Children's Services): 2 applied, 0 unchanged, 0 refused" in (
        result.stdout
    )
    assert sorted(repo.git("diff", "--name-only").splitlines()) == [
        "plans/hmip-inspection.yaml",
        "plans/lga-peer-review.yaml",
    ]
    removed, _ = diff_lines(repo)
    # HMIP-3.2's status was assumed; now it is the owner's word, and its `basis: assumed` line goes
    assumed = "        basis: assumed  # the review is silent on this action"
    assert sorted(removed) == sorted(["        status: not-started"] * 2 + ["        due: 2022-09-30", assumed])
    repo.commit("Updates returned for the July Board", "2022-06-20T12:00:00+01:00")
    assert cli("check", "--plans", repo.plans, "--today", RETURNED).exit_code == 0
    shown = " ".join(cli("show", "HMIP-3.2", "--plans", repo.plans, "--today", RETURNED).stdout.split())
    assert f"status: done (evidenced; completed {RETURNED})" in shown
    assert "Structure agreed at the June management team" in shown
    shown = " ".join(cli("show", "LGA-c.1", "--plans", repo.plans, "--today", RETURNED).stdout.split())
    assert "Draft structure shared with the YOT team" in shown


def test_dry_run_prints_the_diff_and_writes_nothing(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead")
    returned = fill(out / "camhs-lead.xlsx", tmp_path / "r.xlsx", CAMHS_ROWS)

    result = apply(cli, repo, returned, extra=("--dry-run",))

    assert result.exit_code == 0, result.stderr
    assert "--- a/" in result.stdout
    assert "-        status: not-started" in result.stdout
    assert "+        status: in-progress" in result.stdout
    assert result.stdout.rstrip().endswith("dry run: nothing written")
    assert repo.git("status", "--porcelain") == ""


def test_applying_the_same_form_twice_changes_nothing_the_second_time(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead")
    returned = fill(out / "camhs-lead.xlsx", tmp_path / "r.xlsx", CAMHS_ROWS)
    assert apply(cli, repo, returned).exit_code == 0
    repo.commit("First", "2022-06-20T12:00:00+01:00")

    again = apply(cli, repo, returned, today="2022-06-21")

    assert again.exit_code == 0, again.stderr
    assert repo.git("status", "--porcelain") == ""
    assert "0 applied, 2 unchanged, 0 refused" in again.stdout
    assert "nothing to change" in again.stdout


def test_an_action_changed_since_the_form_was_made_is_refused_naming_both(
    cli: Invoke, repo: Repo, tmp_path: Path
) -> None:
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead")
    edited = cli(
        "update", "HMIP-1.1", "--status", "blocked", "--reason", "CAMHS post vacant",
        "--plans", repo.plans, "--today", "2022-06-10",
    )  # fmt: skip
    assert edited.exit_code == 0, edited.stderr
    repo.commit("Someone else's update", "2022-06-10T12:00:00+01:00")
    returned = fill(out / "camhs-lead.xlsx", tmp_path / "r.xlsx", CAMHS_ROWS)
    row = row_of(returned, "HMIP-1.1")

    result = apply(cli, repo, returned)

    assert result.exit_code == 1
    refusal = [ln for ln in result.stderr.splitlines() if ln.startswith(f"{returned}:{row}: ")]
    assert len(refusal) == 1
    assert "HMIP-1.1 changed in the plans after the form was made on 2022-06-01" in refusal[0]
    assert "the form showed status not-started, due 2022-07-31" in refusal[0]
    assert "the plans now have status blocked, due 2022-07-31" in refusal[0]
    assert "CAMHS post vacant" in refusal[0]
    assert "1 applied, 0 unchanged, 1 refused" in result.stdout
    removed, _ = diff_lines(repo)
    assert removed == ["        due: 2022-09-30"]  # HMIP-1.2, the other row, applied; HMIP-1.1 untouched

    forced = apply(cli, repo, returned, extra=("--force",))
    assert forced.exit_code == 0, forced.stderr
    assert "+        status: in-progress" in repo.git("diff")


def test_status_lists_returned_and_outstanding_owners(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead", "director-childrens-services", "yot-board-chair")
    assert apply(cli, repo, fill(out / "camhs-lead.xlsx", tmp_path / "r.xlsx", CAMHS_ROWS)).exit_code == 0

    early = cli("request-updates", "--status", out, "--plans", repo.plans, "--today", RETURNED)
    late = cli("request-updates", "--status", out, "--plans", repo.plans, "--today", "2022-07-01")

    assert early.exit_code == 0, early.stderr
    lines = [" ".join(ln.split()) for ln in early.stdout.splitlines()]
    assert lines[0] == "requested 2022-06-01, return by 2022-06-28 for yot-board@2022-07-12 (as at 2022-06-20)"
    assert lines[1].startswith("camhs-lead returned 2022-06-20 (")
    assert lines[2].startswith("director-childrens-services outstanding (")
    assert lines[3].startswith("yot-board-chair outstanding (")
    assert lines[-1] == "1 returned, 2 outstanding"
    lines = [" ".join(ln.split()) for ln in late.stdout.splitlines()]
    assert lines[1].startswith("camhs-lead returned 2022-06-20 (")
    assert lines[2].startswith("director-childrens-services outstanding, 3 days overdue (")


def test_request_writes_a_form_per_owner_with_locked_cells_and_a_status_list(
    cli: Invoke, repo: Repo, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "round"
    result = request(cli, repo, out)
    owners = sorted(p.stem for p in out.glob("*.xlsx"))
    assert owners == sorted(p.stem for p in out.glob("*.eml"))
    assert "camhs-lead" in owners
    assert "yot-manager" in owners
    assert "return by 2022-06-28, for yot-board@2022-07-12" in result.stdout  # 10 working days before 12 July
    book = load_workbook(out / "camhs-lead.xlsx")
    sheet = book["Updates"]
    assert (
        sheet["A1"].value
        == "Action plan update: CAMHS representative on the YOT Management Board, Torbay Youth Offending Service"
    )
    assert "Tuesday 28 June 2022 to yot@torbay.example" in sheet["A3"].value
    assert sheet.protection.sheet
    assert book.security.lockStructure
    assert book["yotplan"].sheet_state == "hidden"
    row = row_of(out / "camhs-lead.xlsx", "HMIP-1.1")
    assert [sheet.cell(row, c).protection.locked for c in range(1, 12)] == [True] * 6 + [False] * 5
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"not-started,in-progress,blocked,done,dropped"'
    assert str(validation.sqref) == f"G{row}:G{row + 1}"
    cells = [c for ws in book.worksheets for r in ws.iter_rows() for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    requests = (out / "requests.yaml").read_text(encoding="utf-8")
    assert "return_by: 2022-06-28" in requests
    assert "  camhs-lead:\n" in requests
    assert "      - HMIP-1.1\n" in requests


def test_an_owner_email_is_a_work_contact_not_personal_data(cli: Invoke, repo: Repo) -> None:
    result = cli("check", "--plans", repo.plans, "--today", RETURNED, "--format", "json")
    assert "owners.yaml" not in result.stdout.split('"problems"')[-1]
    repo.edit("owners.yaml", f"    email: {CAMHS_EMAIL}\n", "    email: not an address\n")
    broken = cli("check", "--plans", repo.plans, "--today", RETURNED, "--quiet")
    assert broken.exit_code == 1
    assert "'email': expected one email address such as team@agency.example, got 'not an address'" in broken.stdout


def test_blocked_takes_the_progress_update_as_its_reason_in_one_note(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    out = tmp_path / "round"
    request(cli, repo, out, "camhs-lead")
    rows = {"HMIP-1.1": {"New status": "blocked", "Progress update": "CAMHS post vacant until September"}}
    returned = fill(out / "camhs-lead.xlsx", tmp_path / "r.xlsx", rows)

    assert apply(cli, repo, returned).exit_code == 0
    removed, added = diff_lines(repo)

    assert removed == ["        status: not-started"]
    assert added[:2] == ["        status: blocked", f"          - date: {RETURNED}"]
    assert len([line for line in added if "- date:" in line]) == 1
    assert "Status changed from not-started to blocked: CAMHS post vacant until September" in " ".join(added)
    repo.commit("Blocked", "2022-06-20T12:00:00+01:00")
    assert "0 applied, 1 unchanged, 0 refused" in apply(cli, repo, returned, today="2022-06-22").stdout
    assert repo.git("status", "--porcelain") == ""
