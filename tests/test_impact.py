"""Has it made a difference: indicators, readings, stages, boards, sign-off and the direction of
travel since the last Board meeting, through the CLI at fixed dates, in real git repositories."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from gitrepo import Repo
from yotplan.plans.models import Indicator, Measurement, Reading
from yotplan.rules.impact import expected_value, indicator_status

from conftest import SHIPPED_PLANS, Invoke

HMIP = "hmip-inspection.yaml"
BOARDS = """\
boards:
  yot-board:
    name: YOT Management Board
    chair: yot-board-chair
    meetings:
      - date: 2022-06-14
      - date: 2022-09-13
"""


def indicator(*readings: tuple[str, float], baseline: float | None = 40, better: str = "higher") -> Indicator:
    return Indicator(
        id="I-1",
        name="CAMHS attendance",
        unit="%",
        better=better,  # type: ignore[arg-type]
        target=Measurement(date(2023, 3, 31), 100),
        baseline=Measurement(date(2022, 3, 31), baseline) if baseline is not None else None,
        readings=[Reading(date.fromisoformat(d), v) for d, v in readings],
    )


# The judgement, directly ---------------------------------------------------------------------


def test_the_line_runs_from_baseline_to_target() -> None:
    ind = indicator()
    assert expected_value(ind, date(2022, 3, 31)) == 40
    assert expected_value(ind, date(2023, 3, 31)) == 100
    assert expected_value(ind, date(2024, 1, 1)) == 100
    assert expected_value(ind, date(2022, 9, 29)) == pytest.approx(40 + 60 * 182 / 365)


@pytest.mark.parametrize(
    ("readings", "on_track", "rag", "met"),
    [
        ((), None, "red", False),  # no reading at all, two months past the target date
        ((("2022-09-29", 75),), True, "green", False),
        ((("2022-09-29", 60),), False, "amber", False),
        ((("2022-09-29", 30),), False, "red", False),
        ((("2023-04-02", 100),), True, "green", True),
        ((("2022-06-01", 50), ("2022-09-29", 75)), True, "green", False),
        ((("2023-03-01", 100), ("2023-04-02", 95)), False, "amber", True),  # met before the date, whatever came after
    ],
)
def test_on_track_rag_and_met(
    readings: tuple[tuple[str, float], ...], on_track: bool | None, rag: str, met: bool
) -> None:
    status = indicator_status(indicator(*readings), date(2023, 6, 1))
    assert (status.on_track, status.rag, status.met) == (on_track, rag, met)


def test_no_reading_is_amber_until_the_target_date_then_red() -> None:
    assert indicator_status(indicator(), date(2023, 3, 31)).rag == "amber"
    assert indicator_status(indicator(), date(2023, 4, 1)).rag == "red"


def test_change_is_since_the_baseline_and_since_previous_is_its_own() -> None:
    status = indicator_status(indicator(("2022-06-01", 20), ("2022-09-29", 25), baseline=30), date(2023, 1, 1))
    assert (status.change, status.change_since_previous, status.rag) == (-5, 5, "red")
    assert indicator_status(indicator(("2022-06-01", 92.1), baseline=90), date(2023, 1, 1)).change == 2.1
    no_baseline = indicator_status(indicator(("2022-06-01", 20), baseline=None), date(2023, 1, 1))
    assert (no_baseline.change, no_baseline.change_since_previous) == (None, None)


def test_lower_is_better_and_no_baseline() -> None:
    lower = Indicator(
        "I", "Reoffending", "%", "lower", Measurement(date(2023, 1, 1), 20), Measurement(date(2022, 1, 1), 40)
    )
    lower.readings = [Reading(date(2022, 7, 2), 29)]
    assert indicator_status(lower, date(2022, 8, 1)).on_track is True
    flat = indicator(("2022-09-29", 99), baseline=None)
    assert indicator_status(flat, date(2022, 10, 1)).on_track is False  # no baseline: the line is the target
    assert indicator_status(flat, date(2023, 6, 1)).rag == "red"  # past the target date without meeting it


# Indicators through the CLI ------------------------------------------------------------------


def add_indicator(cli: Invoke, plans: Path, *extra: str) -> None:
    result = cli(
        "add", "indicator", "HMIP-1", "--id", "HMIP-1-camhs-meetings", "--name", "CAMHS attendance at Board meetings",
        "--unit", "%", "--better", "higher", "--target", "100", "--target-date", "2023-03-31", *extra,
        "--plans", plans, "--today", "2022-06-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def test_add_record_and_list_an_indicator(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_text(encoding="utf-8")
    add_indicator(cli, plans, "--baseline", "25", "--baseline-date", "2022-05-06")
    recorded = cli(
        "record", "hmip-1-camhs-meetings", "75", "--date", "2022-09-13", "--note", "3 of 4 meetings",
        "--plans", plans, "--today", "2022-10-01",
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.stderr
    assert recorded.stdout == f"recorded 75% for HMIP-1-camhs-meetings in {plans / HMIP} (2022-09-13)\n"
    after = (plans / HMIP).read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert "        readings:" in added
    assert "            value: 75" in added  # a whole number stays whole
    data = json.loads(cli("indicators", "-f", "json", "--plans", plans, "--today", "2022-10-01").stdout)
    assert [i for i in data["indicators"] if i["id"] == "HMIP-1-camhs-meetings"] == [
        {
            "id": "HMIP-1-camhs-meetings",
            "recommendation": "HMIP-1",
            "name": "CAMHS attendance at Board meetings",
            "unit": "%",
            "better": "higher",
            "baseline": {"date": "2022-05-06", "value": 25},
            "target": {"date": "2023-03-31", "value": 100},
            "latest": {"date": "2022-09-13", "value": 75},
            "change": 50,
            "change_since_previous": None,
            "on_track": True,
            "rag": "green",
            "source": "HMIP",
            "service": "torbay",
        }
    ]
    shown = cli("show", "HMIP-1", "--plans", plans, "--today", "2022-10-01").stdout
    assert (
        "indicator HMIP-1-camhs-meetings green CAMHS attendance at Board meetings: baseline 25% on 2022-05-06, "
        "target 100% by 2023-03-31; latest 75% on 2022-09-13 (+50 since the baseline), on track"
    ) in " ".join(shown.split())
    table = cli("indicators", "--plans", plans, "--today", "2022-10-01").stdout
    assert "HMIP-1-camhs-meetings" in table
    assert table.splitlines()[-1] == "3 indicators, 1 on track (as at 2022-10-01)"  # and the shipped two


def test_a_reading_cannot_be_in_the_future_and_a_worse_one_is_kept_with_a_warning(cli: Invoke, plans: Path) -> None:
    add_indicator(cli, plans, "--baseline", "25", "--baseline-date", "2022-05-06")
    future = cli(
        "record", "HMIP-1-camhs-meetings", "80", "--date", "2030-01-01", "--plans", plans, "--today", "2022-10-01"
    )
    assert future.exit_code == 1
    assert "cannot be dated 2030-01-01, after today" in future.stderr
    worse = cli("record", "HMIP-1-camhs-meetings", "10", "--plans", plans, "--today", "2022-10-01")
    assert worse.exit_code == 0
    check = cli("check", "--plans", plans, "--today", "2022-10-01")
    assert "warning YP203 indicator HMIP-1-camhs-meetings is worse than its baseline: 10% on 2022-10-01" in check.stdout


def test_record_refuses_a_reading_before_the_baseline_or_twice_on_a_day(cli: Invoke, plans: Path) -> None:
    add_indicator(cli, plans, "--baseline", "25", "--baseline-date", "2022-05-06")

    def record(*args: str) -> tuple[int, str]:
        result = cli("record", "HMIP-1-camhs-meetings", *args, "--plans", plans, "--today", "2022-10-01")
        return result.exit_code, result.stdout + result.stderr

    code, said = record("30", "--date", "2022-05-05")
    assert code == 1
    assert (
        "HMIP-1-camhs-meetings starts at its baseline on 2022-05-06, so a reading cannot be dated 2022-05-05, "
        "before it; check the date, or correct the baseline in the plan file"
    ) in said
    assert record("60%", "--date", "2022-09-13") == (
        0,
        f"recorded 60% for HMIP-1-camhs-meetings in {plans / HMIP} (2022-09-13)\n",
    )
    code, said = record("70", "--date", "2022-09-13")
    assert code == 1
    assert "already has a reading on 2022-09-13 (60%); one day has one reading, so pass --replace" in said
    code, said = record("70", "--date", "2022-09-13", "--replace", "--note", "recounted")
    assert code == 0, said
    assert said.startswith("replaced the reading of HMIP-1-camhs-meetings on 2022-09-13 (60%) with 70%")
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert "          - date: 2022-09-13\n            value: 70\n            note: recounted\n" in text
    assert text.count("date: 2022-09-13") == 1
    code, said = record("sixty")
    assert (code, said.count("\n")) == (1, 1)
    assert "'sixty' is not a number: give the value measured, e.g. 75 or 12.5" in said
    assert "pydantic" not in said.lower()
    assert "unable to parse" not in said


def test_a_percentage_is_refused_for_an_indicator_that_counts_something_else(cli: Invoke, plans: Path) -> None:
    result = cli(
        "add", "indicator", "HMIP-1", "--id", "HMIP-1-meetings", "--name", "Board meetings held",
        "--unit", "meetings", "--better", "higher", "--target", "4", "--target-date", "2023-03-31",
        "--plans", plans, "--today", "2022-06-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    refused = cli("record", "HMIP-1-meetings", "60%", "--plans", plans, "--today", "2022-10-01")
    assert refused.exit_code == 1
    assert "'60%' is a percentage, but HMIP-1-meetings counts 'meetings'; give the number alone" in refused.stderr


def test_an_indicator_id_must_be_new_and_of_the_pattern(cli: Invoke, plans: Path) -> None:
    shipped = "hmip-1-camhs-attendance"  # the shipped plan's own indicator, in another case
    for bad, words in [
        ("HMIP-1.1", "already used"),
        (shipped, f"id {shipped!r} is already used in {plans / HMIP}"),
        ("camhs attendance", "is not an id"),
    ]:
        result = cli(
            "add", "indicator", "HMIP-1", "--id", bad, "--name", "n", "--unit", "%", "--better", "higher",
            "--target", "1", "--target-date", "2023-01-01", "--plans", plans, "--today", "2022-06-01",
        )  # fmt: skip
        assert result.exit_code == 1
        assert words in result.stderr


# Boards, meetings and sign-off ---------------------------------------------------------------


def test_add_meeting_and_sign_off_with_and_without_evidence(cli: Invoke, plans: Path) -> None:
    (plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    meeting = cli(
        "add",
        "meeting",
        "yot-board",
        "--date",
        "2022-12-13",
        "--ref",
        "Item 5",
        "--plans",
        plans,
        "--today",
        "2022-10-01",
    )
    assert meeting.exit_code == 0, meeting.stderr
    assert "      - date: 2022-12-13\n        ref: Item 5\n" in (plans / "boards.yaml").read_text(encoding="utf-8")
    assert cli("update", "HMIP-3.2", "--status", "done", "--plans", plans, "--today", "2022-09-01").exit_code == 0
    refused = cli("signoff", "HMIP-3", "--meeting", "yot-board@2022-09-13", "--plans", plans, "--today", "2022-10-01")
    assert refused.exit_code == 1
    assert (
        "HMIP-3 cannot be signed off on its evidence at yot-board@2022-09-13: no evidence yet that it made a "
        "difference: no indicator, and no impact recorded."
    ) in refused.stderr
    future = cli(
        "signoff", "HMIP-3", "-m", "yot-board@2022-12-13", "--reason", "r", "--plans", plans, "--today", "2022-10-01"
    )
    assert "has not been held yet" in future.stderr
    unknown = cli(
        "signoff", "HMIP-3", "-m", "yot-board@2022-09-14", "--reason", "r", "--plans", plans, "--today", "2022-10-01"
    )
    assert "yot-board has no meeting on 2022-09-14" in unknown.stderr
    signed = cli(
        "signoff", "HMIP-3", "--meeting", "yot-board@2022-09-13", "--reason", "The new structure is in place",
        "--note", "Agreed", "--plans", plans, "--today", "2022-10-01",
    )  # fmt: skip
    assert signed.exit_code == 0, signed.stderr
    assert "closure:\n      meeting: yot-board@2022-09-13\n      date: 2022-09-13\n      note: Agreed\n" in (
        plans / HMIP
    ).read_text(encoding="utf-8")
    data = json.loads(cli("status", "-f", "json", "--plans", plans, "--today", "2022-10-01").stdout)
    hmip3 = next(r for r in data["recommendations"] if r["id"] == "HMIP-3")
    assert (hmip3["rag"], hmip3["stage"]) == ("closed", "closed")
    assert cli("check", "--plans", plans, "--today", "2022-10-01").exit_code == 0
    shown = cli("show", "HMIP-3", "--plans", plans, "--today", "2022-10-01").stdout
    assert "stage: closed\n" in shown
    assert "signed off: yot-board@2022-09-13 (2022-09-13); Agreed; The new structure is in place\n" in shown


def test_a_refused_sign_off_names_the_open_actions_and_the_indicator_reading(cli: Invoke, plans: Path) -> None:
    (plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    add_indicator(cli, plans, "--baseline", "25", "--baseline-date", "2022-05-06")
    assert cli("record", "HMIP-1-camhs-meetings", "75", "--plans", plans, "--today", "2022-09-01").exit_code == 0
    refused = cli("signoff", "HMIP-1", "-m", "yot-board@2022-09-13", "--plans", plans, "--today", "2022-10-01")
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1
    assert "open actions HMIP-1.1 (not-started), HMIP-1.2 (in-progress), HMIP-1.3 (not-started);" in refused.stderr
    assert (
        "CAMHS attendance at Board meetings (HMIP-1-camhs-meetings): no reading has reached the target 100% by "
        "2023-03-31; the best is 75% on 2022-09-01"
    ) in refused.stderr


def test_impact_evidence_makes_a_delivered_recommendation_ready_for_sign_off(cli: Invoke, plans: Path) -> None:
    (plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    path = plans / HMIP
    text = path.read_text(encoding="utf-8").replace(
        "        measure: The Board has considered a written review of management capacity and agreed any changes.\n",
        "        measure: The Board has considered a written review of management capacity and agreed any changes.\n"
        "    impact:\n      - 'Board minutes, 13 September: caseloads within the agreed limit for three months'\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    assert cli("update", "HMIP-3.2", "--status", "done", "--plans", plans, "--today", "2022-09-01").exit_code == 0
    data = json.loads(cli("status", "-f", "json", "--plans", plans, "--today", "2022-10-01").stdout)
    assert next(r for r in data["recommendations"] if r["id"] == "HMIP-3")["stage"] == "impact-evidenced"
    shown = cli("show", "HMIP-3", "--plans", plans, "--today", "2022-10-01").stdout
    assert "impact Board minutes, 13 September: caseloads within the agreed limit for three months\n" in shown
    signed = cli("signoff", "HMIP-3", "--meeting", "yot-board@2022-09-13", "--plans", plans, "--today", "2022-10-01")
    assert signed.exit_code == 0, signed.stderr
    assert "reason" not in path.read_text(encoding="utf-8").split("closure:")[1].split("\n  - id:")[0]


def test_add_impact_records_evidence_with_a_minimal_diff_and_allows_the_sign_off(cli: Invoke, plans: Path) -> None:
    (plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    assert cli("update", "HMIP-3.2", "--status", "done", "--plans", plans, "--today", "2022-09-01").exit_code == 0
    before = (plans / HMIP).read_text(encoding="utf-8").splitlines()
    added = cli(
        "add", "impact", "hmip-3", "--date", "2022-09-10", "--text", "Caseloads within the agreed limit for 3 months",
        "--evidence", "Board minutes, 13 September", "-e", "Caseload report Q2",
        "--plans", plans, "--today", "2022-10-01",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert added.stdout == f"added impact evidence to HMIP-3 in {plans / HMIP} (2022-09-10)\n"
    after = (plans / HMIP).read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before] == [
        "    impact:",
        "      - >-",
        "        2022-09-10: Caseloads within the agreed limit for 3 months (evidence: Board minutes, 13 September;",
        "        Caseload report Q2)",
    ]
    assert len(after) == len(before) + 4
    signed = cli("signoff", "HMIP-3", "--meeting", "yot-board@2022-09-13", "--plans", plans, "--today", "2022-10-01")
    assert signed.exit_code == 0, signed.stderr
    future = cli(
        "add", "impact", "HMIP-1", "--date", "2023-01-01", "--text", "t", "--plans", plans, "--today", "2022-10-01"
    )
    assert future.exit_code == 1
    assert "cannot be dated 2023-01-01, after today" in future.stderr
    on_action = cli("add", "impact", "HMIP-1.1", "--text", "t", "--plans", plans, "--today", "2022-10-01")
    assert "HMIP-1.1 is an action; impact belongs to its recommendation HMIP-1" in on_action.stderr


def test_status_prints_the_key(cli: Invoke) -> None:
    out = cli("status", "--plans", SHIPPED_PLANS, "--today", "2022-10-01").stdout
    assert "Key: red: an open action is overdue;" in " ".join(out.split())
    assert "delivered: every action is done or dropped (blue)" in " ".join(out.split())


# Direction of travel, from git --------------------------------------------------------------


@pytest.fixture
def board_repo(tmp_path: Path) -> Repo:
    """The shipped plans in git with a board that met on 2022-06-14 and 2022-09-13. At the second
    meeting HMIP-1 was red (HMIP-1.1 overdue since July); on 2022-09-20, after it, HMIP-1.1 and
    HMIP-1.2 were done, so on 2022-10-01 HMIP-1 is green (HMIP-1.3 is due at the end of October)."""
    repo = Repo(tmp_path / "repo", SHIPPED_PLANS)
    (repo.plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    repo.commit("Plans as reviewed", "2022-05-06T09:00:00+01:00")
    repo.edit(
        HMIP,
        "        status: not-started\n        measure: CAMHS attends",
        "        status: done\n        completed: 2022-09-20\n        measure: CAMHS attends",
    )
    repo.edit(
        HMIP,
        "        status: in-progress\n        measure: A full-time psychologist",
        "        status: done\n        completed: 2022-09-20\n        measure: A full-time psychologist",
    )
    repo.commit("HMIP-1.1 and HMIP-1.2 done, after the Board", "2022-09-20T09:00:00+01:00")
    return repo


def test_status_shows_each_rag_then_and_now(cli: Invoke, board_repo: Repo) -> None:
    data = json.loads(cli("status", "-f", "json", "--plans", board_repo.plans, "--today", "2022-10-01").stdout)
    assert data["since_meeting"] == "yot-board@2022-09-13"
    by_id = {r["id"]: r for r in data["recommendations"]}
    assert by_id["HMIP-1"]["previous"] == {"meeting": "yot-board@2022-09-13", "rag": "red", "stage": "open"}
    assert by_id["HMIP-1"]["rag"] == "green"
    # HMIP-6.1, due 2022-09-30 and not started, was green at the meeting and is red now
    assert (by_id["HMIP-6"]["previous"]["rag"], by_id["HMIP-6"]["rag"]) == ("green", "red")
    table = cli("status", "--plans", board_repo.plans, "--today", "2022-10-01").stdout
    assert "then → now" in table
    assert "red → green ↑" in table
    assert "green → red ↓" in table
    assert "green → green =" in table


def test_since_meeting_picks_the_board_and_unknown_boards_are_usage_errors(cli: Invoke, board_repo: Repo) -> None:
    ok = cli(
        "status", "-f", "json", "--since-meeting", "YOT-BOARD", "--plans", board_repo.plans, "--today", "2022-09-13"
    )
    assert json.loads(ok.stdout)["since_meeting"] == "yot-board@2022-06-14"  # a meeting on the day is this one
    bad = cli("status", "--since-meeting", "yot-bord", "--plans", board_repo.plans, "--today", "2022-10-01")
    assert bad.exit_code == 2
    assert "no board 'yot-bord' in boards.yaml" in bad.stderr


def test_no_previous_outside_git_or_before_any_meeting(cli: Invoke, plans: Path, board_repo: Repo) -> None:
    (plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    outside = json.loads(cli("status", "-f", "json", "--plans", plans, "--today", "2022-10-01").stdout)
    assert outside["since_meeting"] is None
    assert all(r["previous"] is None for r in outside["recommendations"])
    early = json.loads(cli("status", "-f", "json", "--plans", board_repo.plans, "--today", "2022-06-01").stdout)
    assert early["since_meeting"] is None


def test_a_reading_on_the_baseline_date_is_kept_and_a_target_on_it_is_refused(cli: Invoke, plans: Path) -> None:
    same_day = cli(
        "add", "indicator", "HMIP-1", "--id", "HMIP-1-x", "--name", "X", "--unit", "%", "--better", "higher",
        "--target", "100", "--target-date", "2022-05-06", "--baseline", "25", "--baseline-date", "2022-05-06",
        "--plans", plans, "--today", "2022-06-01",
    )  # fmt: skip
    assert same_day.exit_code == 1
    assert same_day.stderr == (
        "yotplan: error: the target date 2022-05-06 must come after the baseline date 2022-05-06\n"
    )
    add_indicator(cli, plans, "--baseline", "25", "--baseline-date", "2022-05-06")
    on_baseline = cli("record", "HMIP-1-camhs-meetings", "30", "--date", "2022-05-06", "--plans", plans,
                      "--today", "2022-06-01")  # fmt: skip
    assert (on_baseline.exit_code, on_baseline.stderr) == (0, "")
    assert "          - date: 2022-05-06\n            value: 30\n" in (plans / HMIP).read_text(encoding="utf-8")


def test_record_reading_through_the_python_api_takes_a_number_and_refuses_a_second_on_a_day(
    cli: Invoke, plans: Path
) -> None:
    """The CLI always passes text and `--replace` or not; the function's own defaults hold too."""
    from yotplan.edit.operations import record_reading
    from yotplan.edit.session import EditSession
    from yotplan.errors import EditRefused

    add_indicator(cli, plans)
    day = date(2022, 10, 1)
    with EditSession(plans, day) as session:
        said = record_reading(session, "HMIP-1-camhs-meetings", 62.5, on=date(2022, 9, 13))
        session.commit()
    assert said == f"recorded 62.5% for HMIP-1-camhs-meetings in {plans / HMIP} (2022-09-13)"
    assert "          - date: 2022-09-13\n            value: 62.5\n" in (plans / HMIP).read_text(encoding="utf-8")
    with EditSession(plans, day) as session, pytest.raises(EditRefused, match="already has a reading on 2022-09-13"):
        record_reading(session, "HMIP-1-camhs-meetings", 70, on=date(2022, 9, 13))


@pytest.mark.parametrize(("text", "expected"), [("75", 75), (" 12.5 ", 12.5), ("60 %", 60), ("-3", -3)])
def test_a_value_as_a_person_types_it_is_the_number_it_says(text: str, expected: float) -> None:
    """A whole number stays whole (75, not 75.0), a decimal stays a decimal."""
    from yotplan.edit.operations import reading_value

    value = reading_value(text, indicator())
    assert (value, type(value)) == (expected, type(expected))


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "Infinity"])
def test_a_value_that_is_not_a_finite_number_is_refused(text: str) -> None:
    from yotplan.edit.operations import reading_value
    from yotplan.errors import EditRefused

    with pytest.raises(EditRefused) as refused:
        reading_value(text, indicator())
    assert str(refused.value) == f"{text!r} is not a number: give the value measured, e.g. 75 or 12.5"


def test_an_unknown_indicator_id_suggests_the_three_closest_or_says_where_they_are_listed(
    cli: Invoke, plans: Path
) -> None:
    def record(indicator_id: str) -> str:
        refused = cli("record", indicator_id, "60", "--plans", plans, "--today", "2022-06-01")
        assert refused.exit_code == 1
        return str(refused.stderr)

    # the shipped plans' two indicators: HMIP-1-camhs-attendance (0.61 like this) and HMIP-6-ocd-assessed (0.55)
    assert record("HMIP-camhs") == (
        "yotplan: error: no indicator has id 'HMIP-camhs'; did you mean HMIP-1-camhs-attendance, HMIP-6-ocd-assessed?\n"
    )
    assert record("waiting-times") == (
        "yotplan: error: no indicator has id 'waiting-times'; `yotplan indicators` lists them\n"
    )
    for n in (1, 2, 3):
        add_indicator_args = ("--id", f"HMIP-{n}-camhs-meetings", "--name", f"Meetings {n}", "--unit", "meetings")
        added = cli(
            "add", "indicator", f"HMIP-{n}", *add_indicator_args, "--better", "higher", "--target", "10",
            "--target-date", "2023-03-31", "--plans", plans, "--today", "2022-06-01",
        )  # fmt: skip
        assert added.exit_code == 0, added.stderr
    # five indicators are alike enough; the three closest are named
    assert record("HMIP-9-camhs-meetings") == (
        "yotplan: error: no indicator has id 'HMIP-9-camhs-meetings'; "
        "did you mean HMIP-3-camhs-meetings, HMIP-2-camhs-meetings, HMIP-1-camhs-meetings?\n"
    )
