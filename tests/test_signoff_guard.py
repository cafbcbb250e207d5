"""`yotplan signoff` refuses a recommendation that still has open actions, even with its impact
shown, unless the board gives a reason; and a refusal writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke

HMIP = "hmip-inspection.yaml"
BOARDS = """\
boards:
  yot-board:
    name: YOT Management Board
    chair: yot-board-chair
    meetings:
      - date: 2022-09-13
"""
IMPACT = "    impact:\n      - 'Board minutes, 13 September: caseloads within the agreed limit for three months'\n"
REFUSAL = "HMIP-3 cannot be signed off on its evidence at yot-board@2022-09-13: open action HMIP-3.2 (not-started)"
RULE = (
    "A board signs off a recommendation whose actions are all done or dropped and whose every indicator has a "
    "reading at or better than its target (or, with no indicator, impact recorded with `yotplan add impact {id}`); "
    'or it gives --reason "why it closes it anyway", kept in the file'
)


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def open_recommendation(plans: Path) -> Path:
    """HMIP-3 with one action done and HMIP-3.2 still not started; `with_impact` adds impact evidence."""
    (plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert "      - id: HMIP-3.2\n" in text
    return plans


@pytest.mark.parametrize("with_impact", [False, True], ids=["no-impact", "impact-shown"])
def test_an_open_recommendation_is_refused_and_nothing_is_written(
    cli: Invoke, open_recommendation: Path, with_impact: bool
) -> None:
    plans = open_recommendation
    if with_impact:  # impact evidence does not make the open actions done
        path = plans / HMIP
        text = path.read_text(encoding="utf-8")
        anchor = "  - id: HMIP-4\n"
        path.write_text(text.replace(anchor, IMPACT + anchor, 1), encoding="utf-8")
        assert cli("check", "--plans", plans, "--today", "2022-10-01").exit_code == 0
    before = folder_bytes(plans)
    result = cli("signoff", "HMIP-3", "--meeting", "yot-board@2022-09-13", "--plans", plans, "--today", "2022-10-01")
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    lacks = "" if with_impact else "; no evidence yet that it made a difference: no indicator, and no impact recorded"
    assert line == f"yotplan: error: {REFUSAL}{lacks}. {RULE.format(id='HMIP-3')}"
    assert folder_bytes(plans) == before


def test_with_a_reason_the_open_recommendation_is_signed_off(cli: Invoke, open_recommendation: Path) -> None:
    plans = open_recommendation
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli(
        "signoff", "HMIP-3", "--meeting", "yot-board@2022-09-13", "--reason", "Merged into IR-1",
        "--plans", plans, "--today", "2022-10-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "signed off HMIP-3 at yot-board@2022-09-13 in " + str(plans / HMIP) + " (reason kept)\n"
    last = "        measure: The Board has considered a written review of management capacity and agreed any changes.\n"
    closure = (
        "    closure:\n      meeting: yot-board@2022-09-13\n      date: 2022-09-13\n      reason: Merged into IR-1\n"
    )
    assert before.count(last) == 1
    assert (plans / HMIP).read_text(encoding="utf-8") == before.replace(last, last + closure)


def test_a_delivered_recommendation_is_refused_until_its_indicator_meets_its_target(
    cli: Invoke, open_recommendation: Path
) -> None:
    """What it lacks is named: no reading; a reading short of the target. A reading at the target
    meets it, whatever its date (before the target date too). Then it is signed off."""
    plans = open_recommendation
    (plans / "boards.yaml").write_text(BOARDS + "      - date: 2023-02-14\n", encoding="utf-8")
    for action in ("HMIP-6.1", "HMIP-6.2"):
        done = cli("update", action, "--status", "done", "--plans", plans, "--today", "2022-09-01")
        assert done.exit_code == 0, done.stderr
    name = "Children receiving an out-of-court disposal who have a completed assessment"
    outcomes = []
    steps = [(None, "2022-09-13"), (("80", "2022-09-05"), "2022-09-13"), (("100", "2022-09-12"), "2022-09-13")]
    for reading, meeting in steps:
        if reading is not None:
            value, day = reading
            recorded = cli(
                "record", "HMIP-6-ocd-assessed", value, "--date", day, "--plans", plans, "--today", "2023-03-01"
            )
            assert recorded.exit_code == 0, recorded.stderr
        before = folder_bytes(plans)
        result = cli("signoff", "HMIP-6", "-m", f"yot-board@{meeting}", "--plans", plans, "--today", "2023-03-01")
        outcomes.append(result.stderr.splitlines()[0] if result.exit_code else result.stdout)
        if result.exit_code:
            assert folder_bytes(plans) == before
    refused = "yotplan: error: HMIP-6 cannot be signed off on its evidence at yot-board@2022-09-13: "
    rule = RULE.format(id="HMIP-6")
    assert outcomes == [
        f"{refused}{name} (HMIP-6-ocd-assessed): no reading yet, target 100% by 2023-01-31. {rule}",
        f"{refused}{name} (HMIP-6-ocd-assessed): no reading has reached the target 100% by 2023-01-31; "
        f"the best is 80% on 2022-09-05. {rule}",
        f"signed off HMIP-6 at yot-board@2022-09-13 in {plans / HMIP}\n",
    ]


def test_an_action_or_a_second_sign_off_is_refused_with_its_line(cli: Invoke, open_recommendation: Path) -> None:
    plans = open_recommendation

    def signoff(item: str) -> tuple[int, str]:
        result = cli("signoff", item, "-m", "yot-board@2022-09-13", "--reason", "r", "--plans", plans,
                     "--today", "2022-10-01")  # fmt: skip
        return result.exit_code, result.stderr

    before = folder_bytes(plans)
    assert signoff("HMIP-3.2") == (
        1,
        "yotplan: error: HMIP-3.2 is an action; a board signs off recommendations, e.g. HMIP-3\n",
    )
    assert folder_bytes(plans) == before
    assert signoff("HMIP-3")[0] == 0
    signed = folder_bytes(plans)
    assert signoff("HMIP-3") == (1, "yotplan: error: HMIP-3 is already signed off, at yot-board@2022-09-13\n")
    assert folder_bytes(plans) == signed


def test_a_recommendation_with_no_actions_is_refused_saying_so(cli: Invoke, open_recommendation: Path) -> None:
    plans = open_recommendation
    with (plans / HMIP).open("a", encoding="utf-8") as plan:
        plan.write("\n  - id: HMIP-99\n    text: Keep a list\n    actions: []\n")
    before = folder_bytes(plans)
    result = cli("signoff", "HMIP-99", "-m", "yot-board@2022-09-13", "--plans", plans, "--today", "2022-10-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "yotplan: error: HMIP-99 cannot be signed off on its evidence at yot-board@2022-09-13: no actions; "
    )
    assert folder_bytes(plans) == before


def test_a_board_can_sign_off_at_a_meeting_held_today(cli: Invoke, open_recommendation: Path) -> None:
    plans = open_recommendation
    result = cli("signoff", "HMIP-3", "-m", "yot-board@2022-09-13", "--reason", "Merged into IR-1", "--plans", plans,
                 "--today", "2022-09-13")  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert "    closure:\n      meeting: yot-board@2022-09-13\n" in (plans / HMIP).read_text(encoding="utf-8")
