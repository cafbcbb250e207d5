"""`yotplan log`: dated progress notes on actions."""

from __future__ import annotations

from pathlib import Path

from yotplan.plans.strict_yaml import parse_yaml

from conftest import TODAY, Invoke

HMIP = "hmip-inspection.yaml"


def updates_of(plans: Path, rec: int, action: int) -> list[dict[str, str]]:
    data = parse_yaml((plans / HMIP).read_text(encoding="utf-8"))
    return [dict(u) for u in data["recommendations"][rec]["actions"][action].get("updates", [])]


def test_log_appends_after_the_existing_updates(cli: Invoke, plans: Path) -> None:
    result = cli("log", "HMIP-1.1", "CAMHS attended the June Board.", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"logged an update on HMIP-1.1 in {plans / HMIP} (2022-06-01)\n"
    assert updates_of(plans, 0, 0)[-1] == {"date": "2022-06-01", "note": "CAMHS attended the June Board."}
    assert len(updates_of(plans, 0, 0)) == 2


def test_log_takes_a_date(cli: Invoke, plans: Path) -> None:
    result = cli("log", "HMIP-1.1", "Board met.", "--date", "2022-05-20", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0
    assert updates_of(plans, 0, 0)[-1] == {"date": "2022-05-20", "note": "Board met."}


def test_the_first_log_creates_updates_before_evidence(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli("log", "HMIP-3.2", "Review started.", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0
    after = (plans / HMIP).read_text(encoding="utf-8")
    anchor = (
        "        measure: The Board has considered a written review of management capacity and agreed any changes.\n"
    )
    assert after == before.replace(
        anchor, anchor + "        updates:\n          - date: 2022-06-01\n            note: Review started.\n"
    )


def test_a_long_note_is_folded_like_the_others(cli: Invoke, plans: Path) -> None:
    note = "The Board agreed the terms of reference, " * 5 + "and the Chair will report back in July."
    result = cli("log", "HMIP-1.1", note, "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0
    assert updates_of(plans, 0, 0)[-1]["note"] == note
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert "            note: >-\n              The Board agreed" in text
    assert max(len(line) for line in text.splitlines()) <= 120


def test_logging_on_a_recommendation_names_its_actions(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli("log", "HMIP-3", "Progress.", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: HMIP-3 is a recommendation; progress is logged on its actions: HMIP-3.1, HMIP-3.2 "
        "(e.g. `yotplan log HMIP-3.1 ...`)\n"
    )
    assert (plans / HMIP).read_bytes() == before


def test_an_unknown_id_suggests_the_closest(cli: Invoke, plans: Path) -> None:
    result = cli("log", "HMIP-31", "x", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr.startswith("yotplan: error: no recommendation or action has id 'HMIP-31'; did you mean HMIP-3")


def test_an_empty_note_or_bad_date_is_a_usage_error(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_bytes()
    assert cli("log", "HMIP-1.1", "   ", "--plans", plans, "--today", TODAY).exit_code == 2
    assert cli("log", "HMIP-1.1", "x", "--date", "2022-02-30", "--plans", plans, "--today", TODAY).exit_code == 2
    assert (plans / HMIP).read_bytes() == before


def test_log_with_evidence_writes_each_piece_before_any_review_note(cli: Invoke, plans: Path) -> None:
    anchor = (
        "        measure: The Board has considered a written review of management capacity and agreed any changes.\n"
    )
    review = "        review:\n          - 'the sheet said: ask the Director'\n"
    (plans / HMIP).write_text((plans / HMIP).read_text(encoding="utf-8").replace(anchor, anchor + review), "utf-8")
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli("log", "HMIP-3.2", "Review started.", "-e", "Board minutes, 14 June", "-e", "Terms of reference",
                 "--plans", plans, "--today", TODAY)  # fmt: skip
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"logged an update on HMIP-3.2 in {plans / HMIP} (2022-06-01), with 2 pieces of evidence\n"
    )
    assert (plans / HMIP).read_text(encoding="utf-8") == before.replace(
        anchor + review,
        anchor + "        updates:\n          - date: 2022-06-01\n            note: Review started.\n"
        "        evidence:\n          - Board minutes, 14 June\n          - Terms of reference\n" + review,
    )
    one = cli("log", "HMIP-3.2", "Drafted.", "-e", "Draft v1", "--plans", plans, "--today", TODAY)
    assert one.stdout == f"logged an update on HMIP-3.2 in {plans / HMIP} (2022-06-01), with 1 piece of evidence\n"


def test_an_update_dated_after_today_is_refused(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli("log", "HMIP-1.1", "x", "--date", "2022-06-02", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: an update records what happened, so it cannot be dated 2022-06-02, after today (2022-06-01); "
        "plan future work as an action with a due date\n"
    )
    assert (plans / HMIP).read_bytes() == before
