"""An edit is written only if the plan set stays valid; errors that were already there do not block it."""

from __future__ import annotations

import fcntl
import os
from datetime import date
from pathlib import Path

import pytest

from edit_support import changes_since
from edit_support import snapshot as texts
from yotplan.edit.roundtrip import EditError, remove_key, set_value
from yotplan.edit.session import EditSession
from yotplan.errors import EditRefused, EditWouldBreakPlans, PlansLocked
from yotplan.problems import Problem

from conftest import SHIPPED_PLANS, TODAY, Invoke

DAY = date.fromisoformat(TODAY)
HMIP = "hmip-inspection.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def edit_tree(plans: Path, change: object) -> None:
    """Change the hmip plan's tree with `change(tree)` and commit, as a command would."""
    with EditSession(plans, DAY) as session:
        doc = next(d for d in session.plans.plans if d.path.endswith(HMIP))
        change(session.editable(doc).data)  # type: ignore[operator]
        session.commit()


def test_an_edit_that_adds_an_error_is_refused_and_writes_nothing(plans: Path) -> None:
    before = snapshot(plans)
    with pytest.raises(EditWouldBreakPlans) as caught:
        edit_tree(plans, lambda tree: remove_key(tree["recommendations"][0], "owner"))
    assert [p.code for p in caught.value.problems] == ["YP101"]
    line = (plans / HMIP).read_text(encoding="utf-8").splitlines().index("  - id: HMIP-1") + 1
    assert str(caught.value) == (
        f"edit refused, nothing written: it would make the plans invalid: {plans / HMIP}:{line}:5: error YP101 "
        "recommendation HMIP-1 has no owner; add `owner:` with a key from owners.yaml"
    )
    assert snapshot(plans) == before


def test_an_edit_that_breaks_the_format_is_refused(plans: Path) -> None:
    before = snapshot(plans)
    with pytest.raises(EditWouldBreakPlans) as caught:
        edit_tree(plans, lambda tree: set_value(tree["recommendations"][0]["actions"][0], "status", "finished"))
    # The file no longer loads, so its ids vanish and other files' `related:` break too: the cause comes first.
    assert caught.value.problems[0].code == "YP010"
    assert "'finished' is not a valid status" in str(caught.value)
    assert {p.code for p in caught.value.problems[1:]} == {"YP109"}
    assert snapshot(plans) == before


def test_several_new_errors_are_counted_in_one_line(plans: Path) -> None:
    def break_two(tree: dict[str, list[dict[str, object]]]) -> None:
        remove_key(tree["recommendations"][0], "owner")  # type: ignore[arg-type]
        remove_key(tree["recommendations"][1], "owner")  # type: ignore[arg-type]

    with pytest.raises(EditWouldBreakPlans) as caught:
        edit_tree(plans, break_two)
    assert str(caught.value).endswith("(and 1 more new problem)")
    assert "\n" not in str(caught.value)


def break_other_file(plans: Path) -> None:
    """An error in another plan file: an owner that owners.yaml does not have."""
    path = plans / "improvement-review.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("owner: council-chief-executive", "owner: ceo", 1))


def test_errors_already_in_another_file_do_not_block_an_edit(cli: Invoke, plans: Path) -> None:
    break_other_file(plans)
    assert cli("check", "--plans", plans, "--today", TODAY).exit_code == 1
    result = cli("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "status: in-progress" in (plans / HMIP).read_text(encoding="utf-8")


STATUS_LINE = (["        status: not-started"], ["        status: in-progress"])
"""The one line `update HMIP-1.1 --status in-progress` changes."""


def test_errors_already_in_the_same_file_do_not_block_an_unrelated_edit(cli: Invoke, plans: Path) -> None:
    path = plans / HMIP
    path.write_text(path.read_text(encoding="utf-8").replace("        completed: 2022-05-06\n", "", 1))  # YP106
    before = texts(plans)
    result = cli("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert changes_since(before, plans) == {HMIP: STATUS_LINE}  # the existing error stays as it was
    assert (
        "error YP106 action HMIP-3.1 is done but has no completion date"
        in cli("check", "--plans", plans, "--today", TODAY).stdout
    )


def test_an_edit_may_fix_an_existing_error(cli: Invoke, plans: Path) -> None:
    path = plans / HMIP
    path.write_text(path.read_text(encoding="utf-8").replace("        completed: 2022-05-06\n", "", 1))
    result = cli(
        "update", "HMIP-3.1", "--status", "done", "--completed", "2022-05-06", "--plans", plans, "--today", TODAY
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"updated HMIP-3.1 in {path}: completed on 2022-05-06\n"
    # The line is back where it was; the date is now the user's, so the plan's `completed_basis` goes.
    shipped = (SHIPPED_PLANS / HMIP).read_text(encoding="utf-8")
    basis = "        completed_basis: assumed  # the review gives no date: done by the review date\n"
    assert path.read_text(encoding="utf-8") == shipped.replace(basis, "", 1)
    assert cli("check", "--plans", plans, "--today", TODAY).exit_code == 0


def test_a_second_error_of_the_same_kind_is_new(plans: Path) -> None:
    path = plans / HMIP
    path.write_text(path.read_text(encoding="utf-8").replace("        completed: 2022-05-06\n", "", 1))  # YP106 on 3.1
    with pytest.raises(EditWouldBreakPlans) as caught:
        edit_tree(plans, lambda tree: set_value(tree["recommendations"][0]["actions"][0], "status", "done"))
    assert [p.message for p in caught.value.problems] == [
        "action HMIP-1.1 is done but has no completion date; add `completed: YYYY-MM-DD`"
    ]


def test_an_existing_error_that_moves_down_the_file_is_not_new(cli: Invoke, plans: Path) -> None:
    # A duplicate id: its message names the line of the first use, which an insertion above moves.
    path = plans / "improvement-review.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: IR-1.1\n", "- id: HMIP-3.1\n", 1))
    first = cli("check", "--plans", plans, "--today", TODAY).stdout
    assert "YP108 id 'HMIP-3.1' is already used at" in first
    result = cli("log", "HMIP-1.1", "A note that moves HMIP-3.1 down.", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert cli("check", "--plans", plans, "--today", TODAY).stdout != first  # the line number did move


def test_a_file_that_does_not_load_does_not_block_others(cli: Invoke, plans: Path) -> None:
    (plans / "lga-peer-review.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    before = texts(plans)
    result = cli("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert changes_since(before, plans) == {HMIP: STATUS_LINE}


def test_an_id_in_a_file_that_does_not_load_says_so(cli: Invoke, plans: Path) -> None:
    (plans / "lga-peer-review.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    result = cli("update", "LGA-a.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith("yotplan: error: no recommendation or action has id 'LGA-a.1'")
    assert result.stderr.endswith("(1 file did not load: `yotplan check` says why)\n")
    (plans / HMIP).write_text("source: [unclosed\n", encoding="utf-8")
    two = cli("update", "LGA-a.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert two.exit_code == 1
    assert two.stderr.endswith("(2 files did not load: `yotplan check` says why)\n")


def test_updating_or_logging_on_a_recommendation_with_no_actions_says_to_add_one(cli: Invoke, plans: Path) -> None:
    with (plans / HMIP).open("a", encoding="utf-8") as plan:
        plan.write("\n  - id: HMIP-99\n    text: Keep a list\n    actions: []\n")
    before = texts(plans)
    for command in (["update", "HMIP-99", "--status", "done"], ["log", "HMIP-99", "A note"]):
        result = cli(*command, "--plans", plans, "--today", TODAY)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (
            "yotplan: error: HMIP-99 is a recommendation with no actions yet; "
            "add one with `yotplan add action HMIP-99 ...`\n"
        )
    assert texts(plans) == before


def test_a_missing_plans_folder_is_one_line(cli: Invoke, tmp_path: Path) -> None:
    result = cli("update", "X-1.1", "--status", "done", "--plans", tmp_path / "nowhere", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        f"yotplan: error: {tmp_path / 'nowhere'}: no such folder; pass --plans DIR (or set YOTPLAN_PLANS), "
        "or run `yotplan init`\n"
    )


def test_the_session_refuses_a_file_that_changed_since_it_was_loaded(plans: Path) -> None:
    with EditSession(plans, DAY) as session:
        doc = next(d for d in session.plans.plans if d.path.endswith(HMIP))
        path = plans / HMIP
        path.write_text(path.read_text(encoding="utf-8").replace("status: not-started", "status: blocked", 1))
        with pytest.raises(EditRefused, match="changed on disk while it was being read"):
            session.editable(doc)


@pytest.mark.parametrize(
    "change",
    [
        ("recommendations:", "recommendations: [unclosed"),  # no longer YAML
        ("source:", "source: caf\xe9"),  # no longer UTF-8 (written as Latin-1)
    ],
)
def test_a_file_that_no_longer_reads_since_it_was_loaded_is_refused_as_changed(
    plans: Path, change: tuple[str, str]
) -> None:
    with EditSession(plans, DAY) as session:
        doc = next(d for d in session.plans.plans if d.path.endswith(HMIP))
        path = plans / HMIP
        path.write_bytes(path.read_text(encoding="utf-8").replace(*change, 1).encode("latin-1", "replace"))
        with pytest.raises(EditRefused) as caught:
            session.editable(doc)
    assert str(caught.value) == f"{path} changed on disk while it was being read; run the command again"


def test_a_plans_path_that_is_a_file_is_refused_in_one_line(tmp_path: Path) -> None:
    """The CLI refuses it as a usage error first; through the API, the session says it."""
    (tmp_path / "plans").write_text("owners: {}\n", encoding="utf-8")
    with pytest.raises(EditRefused) as caught, EditSession(tmp_path / "plans", DAY):
        pass
    assert str(caught.value) == (
        f"{tmp_path / 'plans'}: not a folder; pass --plans DIR (or set YOTPLAN_PLANS), or run `yotplan init`"
    )


def test_an_edit_of_a_folder_locked_elsewhere_gives_up_after_its_time(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another edit holds the folder's lock (here an flock of this process's own): the session says once
    that it waits (after half a second), waits `lock_timeout` seconds, then gives up, naming the folder
    as the user would write it and how long it waited."""
    monkeypatch.chdir(plans.parent)
    heard: list[str] = []
    other = os.open(plans, os.O_RDONLY)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(PlansLocked) as caught, EditSession(plans, DAY, lock_timeout=0.6, on_wait=heard.append):
            pass
    finally:
        os.close(other)
    assert heard == ["waiting for another yotplan edit of plans to finish (for up to 0.6 s)"]
    assert str(caught.value) == (
        "plans is being edited by another yotplan process (still busy after 0.6 s); nothing was written: "
        "try again in a moment"
    )


def test_an_edit_that_would_write_an_alias_is_refused_at_the_anchor(plans: Path) -> None:
    """One action's tree put in two places: ruamel would write an anchor and an alias, which a plan
    file may not hold. The file's YAML problem is the first new problem, where the anchor would be."""

    def alias(tree: dict[str, list[dict[str, list[dict[str, object]]]]]) -> None:
        tree["recommendations"][1]["actions"][0]["measure"] = tree["recommendations"][0]["actions"][0]

    before = snapshot(plans)
    with pytest.raises(EditWouldBreakPlans) as caught:
        edit_tree(plans, alias)
    line = (plans / HMIP).read_text(encoding="utf-8").splitlines().index("      - id: HMIP-1.1") + 1
    assert caught.value.problems[0] == Problem(
        str(plans / HMIP), line, 9, "error", "YP004", "YAML anchors are not allowed in plans; write the value out"
    )
    assert snapshot(plans) == before


def test_an_edit_that_empties_a_file_is_refused(plans: Path) -> None:
    before = snapshot(plans)
    with EditSession(plans, DAY) as session:
        doc = next(d for d in session.plans.plans if d.path.endswith(HMIP))
        session.editable(doc).data = None
        with pytest.raises(EditWouldBreakPlans) as caught:
            session.commit()
    assert caught.value.problems[0] == Problem(str(plans / HMIP), 1, 1, "error", "YP007", "file is empty")
    assert snapshot(plans) == before


def test_a_plan_swapped_for_a_link_out_of_its_folder_after_loading_is_not_edited(plans: Path, tmp_path: Path) -> None:
    """Loading refuses such a link; one put in place between the load and the edit is refused too."""
    outside = tmp_path / "outside"
    outside.mkdir()
    path = plans / HMIP
    (outside / HMIP).write_bytes(path.read_bytes())  # the same text: only where it is differs
    with EditSession(plans, DAY) as session:
        doc = next(d for d in session.plans.plans if d.path.endswith(HMIP))
        path.unlink()
        path.symlink_to(outside / HMIP)
        with pytest.raises(EditRefused) as caught:
            session.editable(doc)
    assert str(caught.value) == (
        f"{path}: not edited: it is a link that leads outside its folder; yotplan reads only files inside it"
    )


def test_a_file_the_round_trip_reader_cannot_read_is_refused_in_one_line(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The strict loader read it, but ruamel (the round-trip reader) trips: refused, never a crash.
    No such file is known, so ruamel's refusal is stood in for."""
    from yotplan.edit import session as session_module

    def refusing(raw: bytes) -> None:
        raise EditError("the round-trip YAML reader cannot read this file (a reason)")

    monkeypatch.setattr(session_module, "RoundTripDocument", refusing)
    with EditSession(plans, DAY) as session:
        doc = next(d for d in session.plans.plans if d.path.endswith(HMIP))
        with pytest.raises(EditRefused) as caught:
            session.editable(doc)
    assert str(caught.value) == (
        f"{plans / HMIP}: cannot be edited safely: the round-trip YAML reader cannot read this file (a reason)"
    )


def test_a_second_copy_of_an_existing_error_is_new(plans: Path) -> None:
    """HMIP-1.2 already reuses HMIP-1.1's id; an edit that makes HMIP-1.3 reuse it too brings the same
    problem a second time (same file, code and message): that copy is new, and refused."""
    path = plans / HMIP
    path.write_text(path.read_text(encoding="utf-8").replace("- id: HMIP-1.2\n", "- id: HMIP-1.1\n", 1))
    lines = path.read_text(encoding="utf-8").splitlines()
    first, third = lines.index("      - id: HMIP-1.1") + 1, lines.index("      - id: HMIP-1.3") + 1
    with pytest.raises(EditWouldBreakPlans) as caught:
        edit_tree(plans, lambda tree: set_value(tree["recommendations"][0]["actions"][2], "id", "HMIP-1.1"))
    assert [(p.code, p.line, p.message) for p in caught.value.problems] == [
        ("YP108", third, f"id 'HMIP-1.1' is already used at {path}:{first}; ids must be unique")
    ]
