"""`yotplan add board | source | meeting | impact`, and ids given to new actions: the exact text
written, and each refusal's one line (nothing written)."""

from __future__ import annotations

import errno
import shutil
from datetime import date
from pathlib import Path

import pytest

from yotplan.edit.operations import (
    NewAction,
    NewSource,
    add_board,
    add_recommendation,
    add_source,
    apply_edit,
)
from yotplan.errors import EditRefused

from conftest import TODAY, Invoke

HMIP = "hmip-inspection.yaml"
DAY = date.fromisoformat(TODAY)

NEW_BOARDS_HEADER = (
    "# yaml-language-server: $schema=schema/boards.schema.json\n"
    "# The boards that oversee the plan, keyed by a short slug. A board signs recommendations off at a\n"
    "# meeting, named BOARD@YYYY-MM-DD: add one with `yotplan add meeting BOARD --date YYYY-MM-DD`.\n"
)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def refused(cli: Invoke, plans: Path, *args: str | Path, today: str = TODAY) -> str:
    """The error line of a command that must be refused and write nothing."""
    before = files(plans)
    result = cli(*args, "--plans", plans, "--today", today)
    assert result.exit_code == 1, result.stdout
    assert files(plans) == before
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.removeprefix("yotplan: error: ").removesuffix("\n")


# add board -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chair", "entry"),
    [
        (["--chair", "yot-manager"], "  csp:\n    name: Community Safety Partnership\n    chair: yot-manager\n"),
        ([], "  csp:\n    name: Community Safety Partnership\n"),
    ],
)
def test_add_board_creates_boards_yaml_when_the_folder_has_none(
    cli: Invoke, plans: Path, chair: list[str], entry: str
) -> None:
    (plans / "boards.yaml").unlink()
    result = cli("add", "board", "csp", "--name", "Community Safety Partnership", *chair, "--plans", plans,
                 "--today", TODAY)  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"added board csp to {plans / 'boards.yaml'} (created)\n"
    assert (plans / "boards.yaml").read_text(encoding="utf-8") == NEW_BOARDS_HEADER + "boards:\n" + entry
    assert cli("check", "--plans", plans, "--today", TODAY).exit_code == 0


def test_a_created_boards_file_is_reported_as_written(plans: Path) -> None:
    (plans / "boards.yaml").unlink()
    outcome = apply_edit([plans], "", DAY, lambda session, _: add_board(session, "csp", "CSP"))
    assert outcome.written == [str(plans / "boards.yaml")]


def test_add_board_refusals(cli: Invoke, plans: Path) -> None:
    assert refused(cli, plans, "add", "board", "Not a slug", "--name", "x") == (
        "'Not a slug' is not a board key: use a short slug such as yot-board"
    )
    (plans / "boards.yaml").write_text("boards: [not, a, mapping]\n", encoding="utf-8")
    assert refused(cli, plans, "add", "board", "csp", "--name", "x") == (
        f"{plans / 'boards.yaml'} does not load; fix it first (`yotplan check` says how)"
    )


# add source ----------------------------------------------------------------------------


def test_add_source_writes_its_header_and_every_field_given(cli: Invoke, plans: Path) -> None:
    result = cli("add", "source", "OFSTED", "--title", "Focused visit", "--kind", "inspection", "--date", "2022-05-20",
                 "--url", "https://example.org/visit", "--file", "visit.yaml", "--plans", plans,
                 "--today", TODAY)  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert (plans / "visit.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=schema/plan.schema.json\n"
        "# One plan file per report. Quote each recommendation in the report's own words, with:\n"
        '#   yotplan add recommendation --source OFSTED --text "..." --owner OWNER \\\n'
        '#       --action-title "..." --action-due YYYY-MM-DD\n'
        "source:\n  id: OFSTED\n  title: Focused visit\n  kind: inspection\n  date: 2022-05-20\n"
        "  url: https://example.org/visit\nrecommendations: []\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NEW ONE"], "'NEW ONE' is not a source id: use letters and digits joined by '-', e.g. HMIP or LGA"),
        *(
            (
                ["NEW", "--file", name],
                f"{name!r} cannot be a plan file: give a file name ending .yaml, not owners/boards/service",
            )
            for name in ("sub/new.yaml", "sub\\new.yaml", "new.txt", "owners.yaml")
        ),
        (["NEW", "--file", HMIP], "{plans}/hmip-inspection.yaml already exists; give another --file"),
    ],
)
def test_add_source_refusals(cli: Invoke, plans: Path, args: list[str], message: str) -> None:
    got = refused(cli, plans, "add", "source", *args, "--title", "t", "--kind", "other")
    assert got == message.format(plans=plans)


def test_a_kind_that_is_not_a_kind_of_report_is_refused_with_the_kinds(plans: Path) -> None:
    from yotplan.plans.models import SOURCE_KINDS

    with pytest.raises(EditRefused) as refusal:
        apply_edit([plans], "", DAY, lambda session, _: add_source(session, NewSource("NEW", "t", "novel")))
    assert str(refusal.value) == f"'novel' is not a kind of report; use one of {', '.join(SOURCE_KINDS)}"
    assert len(SOURCE_KINDS) > 1  # so the separator shows


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            FileExistsError(errno.EEXIST, "File exists"),
            "{path} appeared while the edit was running; it was left as it is",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "cannot create {path}: No space left on device"),
        (OSError("disk gone"), "cannot create {path}: disk gone"),
    ],
)
def test_a_new_file_that_cannot_be_created_is_one_line(
    plans: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, message: str
) -> None:
    import yotplan.edit.safe_write

    def fail(path: Path, data: bytes) -> None:
        raise error

    monkeypatch.setattr(yotplan.edit.safe_write, "create_file", fail)
    with pytest.raises(EditRefused) as refusal:
        apply_edit([plans], "", DAY, lambda session, _: add_source(session, NewSource("NEW", "t", "other")))
    assert str(refusal.value) == message.format(path=plans / "new.yaml")
    assert not (plans / "new.yaml").exists()


def test_an_unknown_source_lists_the_known_ones(cli: Invoke, plans: Path, tmp_path: Path) -> None:
    args = ("add", "recommendation", "-s", "ZZZ", "--text", "t", "-o", "yot-manager", "--action-title", "t",
            "--action-due", "2022-09-30")  # fmt: skip
    assert refused(cli, plans, *args) == "no plan file has source 'ZZZ' (known: HMIP, IR, LGA)"
    empty = tmp_path / "empty"
    empty.mkdir()
    shutil.copyfile(plans / "owners.yaml", empty / "owners.yaml")
    assert refused(cli, empty, *args) == "no plan file has source 'ZZZ' (known: none)"


def test_a_source_half_like_a_known_one_is_suggested(cli: Invoke, plans: Path) -> None:
    """`HMZZ` shares half of `HMIP` (difflib's ratio 0.5): close enough to ask "did you mean"."""
    args = ("add", "recommendation", "-s", "HMZZ", "--text", "t", "-o", "yot-manager", "--action-title", "t",
            "--action-due", "2022-09-30")  # fmt: skip
    assert refused(cli, plans, *args) == "no plan file has source 'HMZZ' (did you mean 'HMIP'?)"


# add meeting ---------------------------------------------------------------------------


def test_add_meeting_refusals(cli: Invoke, plans: Path) -> None:
    assert refused(cli, plans, "add", "meeting", "no-such-board", "--date", "2022-06-14") == (
        "no board 'no-such-board' in boards.yaml (did you mean 'yot-board'?)"
    )
    assert cli("add", "meeting", "yot-board", "--date", "2022-06-14", "--plans", plans, "--today", TODAY).exit_code == 0
    assert refused(cli, plans, "add", "meeting", "yot-board", "--date", "2022-06-14") == (
        "yot-board already has a meeting on 2022-06-14"
    )
    (plans / "boards.yaml").unlink()
    assert refused(cli, plans, "add", "meeting", "yot-board", "--date", "2022-06-14") == (
        "there is no boards.yaml (or it does not load): create it with the board, "
        "`boards: {yot-board: {name: YOT Management Board, chair: OWNER}}` "
        "(https://github.com/yotplan/yotplan/blob/main/docs/plan-format.md)"
    )


# add impact ----------------------------------------------------------------------------


def test_impact_dated_today_without_evidence_is_one_plain_line(cli: Invoke, plans: Path) -> None:
    result = cli("add", "impact", "HMIP-1", "--text", "Caseloads fell", "--plans", plans, "--today", TODAY)
    assert (result.exit_code, result.stderr) == (0, "")
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert "    impact:\n      - '2022-06-01: Caseloads fell'\n" in text


def test_impact_added_to_a_signed_off_recommendation_goes_before_its_closure(cli: Invoke, plans: Path) -> None:
    assert cli("add", "meeting", "yot-board", "--date", "2022-05-31", "--plans", plans, "--today", TODAY).exit_code == 0
    signed = cli("signoff", "HMIP-3", "-m", "yot-board@2022-05-31", "--reason", "Agreed", "--plans", plans,
                 "--today", TODAY)  # fmt: skip
    assert signed.exit_code == 0, signed.stderr
    result = cli("add", "impact", "HMIP-3", "--text", "Caseloads fell", "--plans", plans, "--today", TODAY)
    assert (result.exit_code, result.stderr) == (0, "")
    text = (plans / HMIP).read_text(encoding="utf-8")
    closure = "    closure:\n      meeting: yot-board@2022-05-31\n"
    assert "    impact:\n      - '2022-06-01: Caseloads fell'\n" + closure in text


# ids given to new actions ------------------------------------------------------------------


def test_an_action_id_given_must_start_with_its_recommendation_id(cli: Invoke, plans: Path) -> None:
    args = ("add", "action", "HMIP-3", "--title", "t", "--owner", "yot-manager", "--due", "2022-09-30", "--id", "X-1")
    assert refused(cli, plans, *args) == (
        "an action of HMIP-3 has an id that starts with 'HMIP-3.' (the next free one is HMIP-3.3), not 'X-1'"
    )


def test_the_first_action_of_a_new_recommendation_takes_the_id_and_status_given(plans: Path) -> None:
    def add(action_id: str, status: str = "not-started") -> object:
        first = NewAction("Recruit", "yot-manager", date(2022, 9, 30), status=status, id=action_id)
        return apply_edit(
            [plans], "", DAY, lambda session, _: add_recommendation(session, "LGA", "Appoint", "yot-manager", first)
        )

    with pytest.raises(EditRefused) as refusal:
        add("X-1")
    assert str(refusal.value) == (
        "an action of LGA-k has an id that starts with 'LGA-k.' (the next free one is LGA-k.1), not 'X-1'"
    )
    outcome = add("LGA-k.5", status="done")
    assert outcome.summary == f"added recommendation LGA-k (first action LGA-k.5) to {plans / 'lga-peer-review.yaml'}"
    text = (plans / "lga-peer-review.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "  - id: LGA-k\n    text: Appoint\n    owner: yot-manager\n    actions:\n      - id: LGA-k.5\n"
        "        title: Recruit\n        owner: yot-manager\n        due: 2022-09-30\n        status: done\n"
        "        completed: 2022-06-01\n"
    )


def test_a_recommendation_id_given_that_is_used_says_where(cli: Invoke, plans: Path) -> None:
    args = ("add", "recommendation", "-s", "LGA", "--id", "hmip-1", "--text", "t", "-o", "yot-manager",
            "--action-title", "t", "--action-due", "2022-09-30")  # fmt: skip
    assert refused(cli, plans, *args) == f"id 'hmip-1' is already used in {plans / HMIP}; ids must be unique"


def test_an_indicator_goes_on_a_recommendation_before_its_closure(cli: Invoke, plans: Path) -> None:
    indicator = ("--name", "X", "--unit", "%", "--better", "higher", "--target", "100", "--target-date", "2023-03-31")
    assert refused(cli, plans, "add", "indicator", "HMIP-3.2", "--id", "HMIP-3-x", *indicator) == (
        "HMIP-3.2 is an action; indicators belong to recommendations, e.g. HMIP-3"
    )
    assert cli("add", "meeting", "yot-board", "--date", "2022-05-31", "--plans", plans, "--today", TODAY).exit_code == 0
    signed = cli("signoff", "HMIP-3", "-m", "yot-board@2022-05-31", "--reason", "Agreed", "--plans", plans,
                 "--today", TODAY)  # fmt: skip
    assert signed.exit_code == 0, signed.stderr
    added = cli("add", "indicator", "HMIP-3", "--id", "HMIP-3-x", *indicator, "--plans", plans, "--today", TODAY)
    assert (added.exit_code, added.stderr) == (0, "")
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert text.index("      - id: HMIP-3-x\n") < text.index("    closure:\n      meeting: yot-board@2022-05-31\n")
