"""`yotplan update`: what changes, what is recorded, and what is refused (nothing written)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from edit_support import changes_since, snapshot

from conftest import SHIPPED_PLANS as SHIPPED
from conftest import TODAY, Invoke

HMIP = "hmip-inspection.yaml"


def diff(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two texts."""
    removed: list[str] = []
    added: list[str] = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def run_update(cli: Invoke, plans: Path, *args: str) -> tuple[int, str, str, tuple[list[str], list[str]]]:
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli("update", *args, "--plans", plans, "--today", TODAY)
    return result.exit_code, result.stdout, result.stderr, diff(before, (plans / HMIP).read_text(encoding="utf-8"))


def test_status_change_is_one_line(cli: Invoke, plans: Path) -> None:
    code, out, err, changes = run_update(cli, plans, "HMIP-1.1", "--status", "in-progress")
    assert (code, err) == (0, "")
    assert changes == (["        status: not-started"], ["        status: in-progress"])
    assert out == f"updated HMIP-1.1 in {plans / HMIP}: status changed from not-started to in-progress\n"


def test_ids_match_in_any_case(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(cli, plans, "hmip-1.1", "--status", "in-progress")
    assert code == 0
    assert changes == (["        status: not-started"], ["        status: in-progress"])


@pytest.mark.parametrize("status", ["blocked", "dropped"])
def test_blocking_or_dropping_needs_a_reason_which_is_logged(cli: Invoke, plans: Path, status: str) -> None:
    before = (plans / HMIP).read_bytes()
    code, _, err, _ = run_update(cli, plans, "HMIP-1.1", "--status", status)
    assert code == 1
    assert err == (
        f'yotplan: error: marking HMIP-1.1 {status} needs --reason "why"; the reason is logged as an update, '
        "so the Board can see why it stopped\n"
    )
    assert (plans / HMIP).read_bytes() == before
    code, out, _, changes = run_update(cli, plans, "HMIP-1.1", "--status", status, "--reason", "CAMHS post vacant")
    assert code == 0
    assert out.endswith("(reason logged)\n")
    assert f"        status: {status}" in changes[1]
    assert f"            note: 'Status changed from not-started to {status}: CAMHS post vacant'" in changes[1]


def test_done_records_today_as_the_completion_date(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(cli, plans, "HMIP-1.2", "--status", "done")
    assert code == 0
    assert changes == (["        status: in-progress"], ["        status: done", "        completed: 2022-06-01"])


def test_done_takes_the_completion_date_given(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(cli, plans, "HMIP-1.2", "--status", "done", "--completed", "2022-05-20")
    assert code == 0
    assert changes == (["        status: in-progress"], ["        status: done", "        completed: 2022-05-20"])


def test_the_completion_date_of_a_done_action_can_be_corrected(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(cli, plans, "HMIP-3.1", "--completed", "2022-05-01")
    assert code == 0
    assert changes == (
        [
            "        completed: 2022-05-06",
            "        completed_basis: assumed  # the review gives no date: done by the review date",
        ],
        ["        completed: 2022-05-01"],
    )  # the date given is the user's, no longer the plan's assumption


def test_reopening_a_done_action_removes_its_completion_date(cli: Invoke, plans: Path) -> None:
    code, out, _, changes = run_update(cli, plans, "HMIP-3.1", "--status", "in-progress")
    assert code == 0
    assert changes == (
        [
            "        status: done",
            "        completed: 2022-05-06",
            "        completed_basis: assumed  # the review gives no date: done by the review date",
        ],
        [
            "        status: in-progress",
            "          - date: 2022-06-01",
            "            note: Status changed from done to in-progress; completion date removed",
        ],
    )
    assert "completion date removed" in out
    assert out.endswith("(logged)\n")


def test_undoing_a_drop_is_logged_and_is_the_latest_update_everywhere(cli: Invoke, plans: Path, tmp_path: Path) -> None:
    from gitrepo import Repo

    repo = Repo(tmp_path / "repo", plans)
    repo.commit("Plans", "2022-05-06T09:00:00+01:00")
    code, _, _, _ = run_update(cli, repo.plans, "HMIP-1.2", "--status", "dropped", "--reason", "No longer needed")
    assert code == 0
    code, out, _, changes = run_update(cli, repo.plans, "HMIP-1.2", "--status", "in-progress")
    assert code == 0, out
    assert changes[1] == [
        "        status: in-progress",
        "          - date: 2022-06-01",
        "            note: Status changed from dropped to in-progress",
    ]
    report = cli("report", "--format", "markdown", "--plans", repo.plans, "--today", TODAY).stdout
    block = report[report.index("HMIP-1.2") :]
    latest = block[block.index("Latest update") :].splitlines()[0]
    assert latest == "Latest update (2022-06-01): Status changed from dropped to in-progress"
    shown = cli("show", "HMIP-1.2", "--plans", repo.plans, "--today", TODAY).stdout
    assert shown.index("to dropped: No longer needed") < shown.index("Status changed from dropped to in-progress")
    diffed = cli("diff", "HEAD", "--format", "json", "--plans", repo.plans).stdout
    assert "No longer needed" in diffed  # the drop and its undo are both in the record
    assert '"summary": "update added: 2022-06-01: Status changed from dropped to in-progress"' in diffed


def test_moving_due_later_logs_the_reason_as_an_update(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(cli, plans, "HMIP-3.2", "--due", "2023-03-31", "--reason", "Waiting for the plan")
    assert code == 0
    assert changes == (
        ["        due: 2022-12-31"],
        [
            "        due: 2023-03-31",
            "        updates:",
            "          - date: 2022-06-01",
            "            note: 'Due date moved from 2022-12-31 to 2023-03-31: Waiting for the plan'",
        ],
    )


def test_moving_due_later_without_a_reason_is_refused(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli("update", "HMIP-3.2", "--due", "2023-03-31", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        'yotplan: error: moving the due date of HMIP-3.2 later (2022-12-31 -> 2023-03-31) needs --reason "why"; '
        "the reason is logged as an update, so slippage is never silent\n"
    )
    assert (plans / HMIP).read_bytes() == before


def test_moving_due_earlier_needs_no_reason(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(cli, plans, "HMIP-3.2", "--due", "2022-10-31")
    assert code == 0
    assert changes == (["        due: 2022-12-31"], ["        due: 2022-10-31"])


def test_a_new_due_date_is_said_first_then_the_status(cli: Invoke, plans: Path) -> None:
    code, out, err, _ = run_update(cli, plans, "HMIP-3.2", "--status", "in-progress", "--due", "2022-10-31")
    assert (code, err) == (0, "")
    assert out == (
        f"updated HMIP-3.2 in {plans / HMIP}: due date moved from 2022-12-31 to 2022-10-31; "
        "status changed from not-started to in-progress\n"
    )


def test_a_due_date_taken_away_is_said_first_then_the_status(cli: Invoke, plans: Path) -> None:
    code, out, err, _ = run_update(
        cli, plans, "HMIP-3.2", "--status", "in-progress", "--due", "TBC", "--reason", "Awaiting the budget"
    )
    assert (code, err) == (0, "")
    assert out == (
        f"updated HMIP-3.2 in {plans / HMIP}: due date 2022-12-31 removed: undated (to-be-confirmed); "
        "status changed from not-started to in-progress (reason logged)\n"
    )


def test_any_change_can_carry_a_reason(cli: Invoke, plans: Path) -> None:
    code, _, _, (removed, added) = run_update(
        cli, plans, "HMIP-3.2", "--status", "blocked", "--reason", "No budget until April"
    )
    assert code == 0
    assert removed == ["        status: not-started", "        basis: assumed  # the review is silent on this action"]
    assert added[-1] == "            note: 'Status changed from not-started to blocked: No budget until April'"


def test_owner_and_measure_change_in_place(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(
        cli, plans, "HMIP-3.2", "--owner", "yot-manager", "--measure", "A written review is agreed."
    )
    assert code == 0
    assert changes == (
        [
            "        owner: director-childrens-services",
            "        measure: The Board has considered a written review of management capacity and agreed any changes.",
        ],
        ["        owner: yot-manager", "        measure: A written review is agreed."],
    )


def test_a_measure_added_goes_to_its_place_and_the_same_or_no_measure_is_nothing_to_change(
    cli: Invoke, plans: Path
) -> None:
    code, out, err, changes = run_update(cli, plans, "HMIP-3.1", "--measure", "The manager is in post.")
    assert (code, err) == (0, "")
    assert out == f"updated HMIP-3.1 in {plans / HMIP}: measure changed\n"
    assert changes == ([], ["        measure: The manager is in post."])
    placed = "        completed_basis: assumed  # the review gives no date: done by the review date\n"
    placed += "        measure: The manager is in post.\n        updates:\n"
    assert placed in (plans / HMIP).read_text(encoding="utf-8")
    assert run_update(cli, plans, "HMIP-3.1", "--measure", "")[:3] == (
        0,
        f"updated HMIP-3.1 in {plans / HMIP}: measure changed\n",
        "",
    )
    same = "The Board has considered a written review of management capacity and agreed any changes."
    for action, measure in (("HMIP-3.2", same), ("HMIP-3.1", "")):  # the measure it has; none for none
        nothing = (0, f"{action}: nothing to change (nothing written)\n", "", ([], []))
        assert run_update(cli, plans, action, "--measure", measure) == nothing


def test_an_owner_given_to_an_action_that_had_none_goes_after_its_title(cli: Invoke, plans: Path) -> None:
    title = "        title: Review management capacity against the revised structure in the Youth Justice Plan\n"
    text = (plans / HMIP).read_text(encoding="utf-8")
    (plans / HMIP).write_text(text.replace(f"{title}        owner: director-childrens-services\n", title), "utf-8")
    code, _, err, changes = run_update(cli, plans, "HMIP-3.2", "--owner", "yot-manager")
    assert (code, err) == (0, "")
    assert changes == ([], ["        owner: yot-manager"])
    assert f"{title}        owner: yot-manager\n        due: 2022-12-31\n" in (plans / HMIP).read_text(encoding="utf-8")


def test_the_first_logged_reason_of_an_action_with_evidence_goes_before_the_evidence(cli: Invoke, plans: Path) -> None:
    first = (
        "        updates:\n          - date: 2022-05-06\n            note: The review found the YOT Manager recently "
    )
    first += "appointed and leading the changes with the new Board Chair.\n"
    text = (plans / HMIP).read_text(encoding="utf-8")
    (plans / HMIP).write_text(text.replace(first, ""), "utf-8")  # HMIP-3.1: evidence, no updates
    code, _, err, _ = run_update(cli, plans, "HMIP-3.1", "--owner", "yot-manager", "--reason", "New structure")
    assert (code, err) == (0, "")
    logged = "        updates:\n          - date: 2022-06-01\n"
    logged += "            note: 'Owner changed from director-childrens-services to yot-manager: New structure'\n"
    logged += "        evidence:\n          - >-\n            It was against this"
    assert logged in (plans / HMIP).read_text(encoding="utf-8")


def test_an_unchanged_value_writes_nothing(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).stat().st_mtime_ns
    result = cli("update", "HMIP-1.1", "--status", "not-started", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout == "HMIP-1.1: nothing to change (nothing written)\n"
    assert (plans / HMIP).stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["HMIP-1.9", "--status", "done"],
            "no recommendation or action has id 'HMIP-1.9'; did you mean HMIP-1.3, HMIP-1.2, HMIP-1.1?",
        ),
        (
            ["HMIP-1", "--status", "done"],
            "HMIP-1 is a recommendation; `update` changes its actions: HMIP-1.1, HMIP-1.2, HMIP-1.3 "
            "(e.g. `yotplan update HMIP-1.1 ...`)",
        ),
        (
            ["HMIP-1.1", "--owner", "yot-manger"],
            "owner 'yot-manger' is not in {plans}/owners.yaml (did you mean 'yot-manager'?)",
        ),
        (
            ["HMIP-1.1", "--owner", "nobody"],
            "owner 'nobody' is not in {plans}/owners.yaml "
            "(add it first: yotplan add owner nobody --role ... --agency ...)",
        ),
        (
            ["HMIP-1.1", "--completed", "2022-05-01"],
            "HMIP-1.1 is not-started: --completed records when an action was done; add --status done",
        ),
    ],
)
def test_mistakes_are_one_line_and_write_nothing(cli: Invoke, plans: Path, args: list[str], message: str) -> None:
    before = {p.name: p.read_bytes() for p in plans.iterdir()}
    result = cli("update", *args, "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == f"yotplan: error: {message.format(plans=plans)}\n"
    assert {p.name: p.read_bytes() for p in plans.iterdir()} == before


@pytest.mark.parametrize(
    "args",
    [
        ["HMIP-1.1", "--due", "2022-13-01"],
        ["HMIP-1.1", "--due", "31/13/2022"],  # 31/07/2022 and --status finished are read as import reads them
        ["HMIP-1.1", "--completed", "yesterday"],
        ["HMIP-1.1", "--status", "finsihed"],
        ["HMIP-1.1"],
        ["HMIP-1.1", "--status", "blocked", "--reason", "  "],
    ],
)
def test_bad_command_lines_are_usage_errors(cli: Invoke, plans: Path, args: list[str]) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli("update", *args, "--plans", plans, "--today", TODAY)
    assert result.exit_code == 2
    assert (plans / HMIP).read_bytes() == before


def test_an_impossible_completion_is_refused_by_validation(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli(
        "update", "HMIP-1.3", "--status", "done", "--completed", "2030-01-01", "--plans", plans, "--today", TODAY
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("yotplan: error: edit refused, nothing written: it would make the plans invalid: ")
    assert "error YP107 action HMIP-1.3 is completed on 2030-01-01, after today (2022-06-01)" in result.stderr
    assert result.stderr.count("\n") == 1
    assert (plans / HMIP).read_bytes() == before


def test_the_date_comes_from_yotplan_today(cli: Invoke, plans: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTPLAN_TODAY", "2022-05-30")
    result = cli("update", "HMIP-1.2", "--status", "done", "--plans", plans)
    assert result.exit_code == 0
    assert "        completed: 2022-05-30\n" in (plans / HMIP).read_text(encoding="utf-8")


def test_the_edited_plans_still_pass_check(cli: Invoke, plans: Path) -> None:
    before = snapshot(plans)
    assert cli("update", "HMIP-1.2", "--status", "done", "--plans", plans, "--today", TODAY).exit_code == 0
    assert (
        cli("update", "HMIP-3.2", "--due", "2023-01-31", "--reason", "x", "--plans", plans, "--today", TODAY).exit_code
        == 0
    )
    assert changes_since(before, plans) == {
        HMIP: (
            ["        status: in-progress", "        due: 2022-12-31"],
            [
                "        status: done",
                "        completed: 2022-06-01",
                "        due: 2023-01-31",
                "        updates:",
                "          - date: 2022-06-01",
                "            note: 'Due date moved from 2022-12-31 to 2023-01-31: x'",
            ],
        )
    }
    result = cli("check", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stdout


def test_a_folded_measure_replaced_by_a_short_one_stays_folded(cli: Invoke, plans: Path) -> None:
    code, _, _, changes = run_update(cli, plans, "HMIP-1.3", "--measure", "Every member is briefed.")
    assert code == 0
    assert changes == (
        [
            "          Each Board member has had a briefing on the YOT cohort's needs and names the advocacy steps "
            "taken in",
            "          their own agency.",
        ],
        ["          Every member is briefed."],
    )
    # the folded style stays, and so does what follows (HMIP-1's indicators)
    assert "        measure: >-\n          Every member is briefed.\n    indicators:\n" in (plans / HMIP).read_text(
        encoding="utf-8"
    )


def test_a_plain_measure_replaced_by_a_long_one_is_folded_and_keeps_the_blank_line(cli: Invoke, plans: Path) -> None:
    long = "The Board has considered a written review of management capacity, " * 2 + "and agreed the changes."
    code, _, _, (removed, added) = run_update(cli, plans, "HMIP-3.2", "--measure", long)
    assert code == 0
    assert removed == [
        "        measure: The Board has considered a written review of management capacity and agreed any changes."
    ]
    assert added[0] == "        measure: >-"
    assert len(added) == 3
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert f"{added[-1]}\n\n  - id: HMIP-4\n" in text


def test_done_with_a_reason_writes_todays_date_twice_without_an_anchor(cli: Invoke, plans: Path) -> None:
    """Today is both `completed:` and the logged update's `date:`: one date object in two places,
    which ruamel would write as `&id001` and `*id001` unless each place gets its own."""
    code, _, stderr, (removed, added) = run_update(cli, plans, "HMIP-1.2", "--status", "done", "--reason", "In post")
    assert code == 0, stderr
    assert removed == ["        status: in-progress"]
    assert added[:2] == ["        status: done", f"        completed: {TODAY}"]
    assert f"          - date: {TODAY}" in added
    assert not [line for line in added if "&" in line or "*" in line]


def test_a_checkpoint_takes_back_one_part_of_an_edit(plans: Path) -> None:
    """What `apply-updates` does with a row the plans' rules refuse: undo it, keep the rest."""
    from datetime import date

    from yotplan.edit.session import EditSession
    from yotplan.errors import EditWouldBreakPlans

    with EditSession(plans, date(2022, 6, 1)) as session:
        doc = next(d for d in session.plans.plans if d.path.endswith(HMIP))
        actions = session.editable(doc).data["recommendations"][0]["actions"]
        actions[0]["status"] = "in-progress"
        session.validate()
        undo = session.checkpoint(doc)
        actions = session.editable(doc).data["recommendations"][0]["actions"]
        actions[1]["owner"] = "nobody-known"
        with pytest.raises(EditWouldBreakPlans, match="YP104"):
            session.validate()
        undo()
        session.validate()
        written = session.commit()
    assert written == [doc.path]
    removed, added = diff((SHIPPED / HMIP).read_text(encoding="utf-8"), (plans / HMIP).read_text(encoding="utf-8"))
    assert (removed, added) == (["        status: not-started"], ["        status: in-progress"])


def test_an_owner_cannot_be_checked_without_the_owners_file(cli: Invoke, plans: Path) -> None:
    (plans / "owners.yaml").unlink()
    before = (plans / HMIP).read_bytes()
    result = cli("update", "HMIP-1.1", "--owner", "yot-manager", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: owner 'yot-manager' cannot be checked: the owners file is missing or does not load\n"
    )
    assert (plans / HMIP).read_bytes() == before


def test_an_empty_completion_date_of_an_open_action_is_left_alone(cli: Invoke, plans: Path) -> None:
    """`completed:` with no value is no completion date: there is nothing to remove."""
    path = plans / HMIP
    text = path.read_text(encoding="utf-8")
    marked = "        due: 2022-09-30\n        status: in-progress\n"
    assert text.count(marked) >= 1
    path.write_text(text.replace(marked, marked + "        completed:\n", 1), encoding="utf-8")
    code, out, err, (removed, added) = run_update(cli, plans, "HMIP-1.2", "--status", "in-progress")
    assert (code, out, err, removed, added) == (0, "HMIP-1.2: nothing to change (nothing written)\n", "", [], [])
