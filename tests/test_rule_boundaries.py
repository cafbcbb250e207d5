"""The edges of the rules, where a `<` for a `<=` would change what a Board is told: an indicator
exactly at its target, a value and its unit, and `# yotplan: allow` comments around one without
its reason. Each was a surviving mutant (docs/mutation-testing.md)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from yotplan.plans.models import Action, Closure, Indicator, Measurement, Reading, Recommendation
from yotplan.rules.file_checks import allowed_codes
from yotplan.rules.impact import (
    at_least_as_good,
    best_reading,
    evidence_lacking,
    expected_value,
    indicator_status,
    recommendation_stage,
    with_unit,
)
from yotplan.rules.rag import DEFAULT_SOON_DAYS, recommendation_rag

from conftest import SHIPPED_PLANS, Invoke


@pytest.mark.parametrize(
    ("value", "than", "better", "expected"),
    [(5, 5, "lower", True), (5, 5, "higher", True), (4, 5, "lower", True), (6, 5, "lower", False)],
)
def test_equal_to_the_target_is_as_good_either_way(value: float, than: float, better: str, expected: bool) -> None:
    assert at_least_as_good(value, than, better) is expected


def test_a_lower_is_better_indicator_that_reaches_its_target_exactly_has_met_it() -> None:
    indicator = Indicator(
        id="I-1",
        name="Days from referral to assessment",
        unit="days",
        better="lower",
        target=Measurement(date(2023, 3, 31), 10),
        baseline=Measurement(date(2022, 3, 31), 30),
        readings=[Reading(date(2023, 3, 31), 10)],
    )
    status = indicator_status(indicator, date(2023, 4, 1))
    assert (status.met, status.on_track, status.rag) == (True, True, "green")


def test_a_baseline_and_a_target_on_the_same_day_expect_the_target() -> None:
    indicator = Indicator(
        id="I-1",
        name="n",
        unit="%",
        better="higher",
        target=Measurement(date(2023, 3, 31), 90),
        baseline=Measurement(date(2023, 3, 31), 40),
    )
    assert expected_value(indicator, date(2023, 1, 1)) == 90


@pytest.mark.parametrize(
    ("better", "best"),
    [("higher", Reading(date(2023, 2, 28), 60)), ("lower", Reading(date(2023, 1, 31), 40))],
)
def test_the_best_reading_is_the_best_for_the_way_the_indicator_is_better(better: str, best: Reading) -> None:
    """What a refused sign-off quotes as "the best is ...": neither the first nor the latest reading."""
    readings = [Reading(date(2023, 1, 31), 40), Reading(date(2023, 2, 28), 60), Reading(date(2023, 3, 31), 50)]
    indicator = Indicator(
        id="I-1",
        name="n",
        unit="%",
        better=better,
        target=Measurement(date(2023, 12, 31), 90 if better == "higher" else 5),
    )
    assert best_reading(indicator, readings) == best


def test_of_equal_best_readings_the_latest_is_quoted() -> None:
    readings = [Reading(date(2023, 1, 31), 60), Reading(date(2023, 2, 28), 60), Reading(date(2023, 3, 31), 50)]
    indicator = Indicator(id="I-1", name="n", unit="%", better="higher", target=Measurement(date(2023, 12, 31), 90))
    assert best_reading(indicator, readings) == Reading(date(2023, 2, 28), 60)


def test_a_reading_taken_today_counts_towards_the_evidence() -> None:
    indicator = Indicator(
        id="I-1",
        name="Attendance",
        unit="%",
        better="higher",
        target=Measurement(date(2023, 12, 31), 90),
        readings=[Reading(date(2023, 3, 31), 60)],
    )
    action = Action(id="R-1.1", title="t", owner="o", due=date(2023, 1, 31), status="done")
    rec = Recommendation(id="R-1", text="t", owner="o", actions=[action], indicators=[indicator])
    assert evidence_lacking(rec, date(2023, 3, 31)) == [
        "Attendance (I-1): no reading has reached the target 90% by 2023-12-31; the best is 60% on 2023-03-31"
    ]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(75, "%", "75%"), (4, "meetings", "4 meetings"), (12.5, "days", "12.5 days"), (3, "", "3")],
)
def test_a_value_with_its_unit(value: float, unit: str, shown: str) -> None:
    assert with_unit(value, unit) == shown


def test_an_allow_without_its_reason_does_not_stop_the_next_one() -> None:
    text = "a: 1  # yotplan: allow YP304\nb: 2  # yotplan: allow YP305 the office switchboard\n"
    assert allowed_codes(text) == {2: {"YP305"}}


def test_an_allow_on_the_second_line_after_a_blank_first_line() -> None:
    assert allowed_codes("\nb: 2  # yotplan: allow YP305 the office switchboard\n") == {2: {"YP305"}}


def recommendation(due: date, closure: Closure | None = None) -> Recommendation:
    action = Action(id="R-1.1", title="t", owner="o", due=due, status="not-started")
    return Recommendation(id="R-1", text="t", owner="o", actions=[action], closure=closure)


def test_a_recommendation_signed_off_today_is_closed_today() -> None:
    closure = Closure(meeting="yot-board@2022-06-01", date=date(2022, 6, 1))
    assert recommendation_rag(recommendation(date(2022, 5, 1), closure), date(2022, 6, 1)) == "closed"
    assert recommendation_rag(recommendation(date(2022, 5, 1), closure), date(2022, 5, 31)) == "red"


def test_a_recommendation_passes_soon_on_to_its_actions() -> None:
    rec = recommendation(date(2022, 6, 1) + timedelta(days=DEFAULT_SOON_DAYS + 5))
    assert recommendation_rag(rec, date(2022, 6, 1)) == "green"
    assert recommendation_rag(rec, date(2022, 6, 1), soon=DEFAULT_SOON_DAYS + 5) == "amber"


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("owners.yaml", "role: YOT Manager\n", "role: YOT Manager (ring 07700 900123)\n", "role of owner yot-manager"),
        (
            "boards.yaml",
            "name: YOT Management Board\n",
            "name: YOT Board (ring 07700 900123)\n",
            "name of board yot-board",
        ),
    ],
)
def test_personal_data_in_an_owner_or_a_board_is_found_on_its_line(
    cli: Invoke, plans: Path, file: str, old: str, new: str, field: str
) -> None:
    path = plans / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    rows = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(rows, 1) if "07700" in row)
    column = rows[line - 1].index(new.split(": ", 1)[1].strip()) + 1  # where the value starts
    result = cli("check", "--plans", plans, "--today", "2022-06-01")
    found = [row for row in result.stdout.splitlines() if " YP305 " in row]
    assert len(found) == 1
    assert found[0].startswith(
        f"{path}:{line}:{column}: warning YP305 {field} looks like a phone number (07••••••••23)"
    )


def test_the_stage_of_a_recommendation_signed_off_today_or_delivered_without_evidence() -> None:
    done = Action(id="R-1.1", title="t", owner="o", due=date(2022, 5, 1), status="done")
    signed = Recommendation(
        id="R-1",
        text="t",
        owner="o",
        actions=[done],
        closure=Closure(meeting="yot-board@2022-06-01", date=date(2022, 6, 1)),
    )
    assert recommendation_stage(signed, date(2022, 6, 1)) == "closed"
    assert (
        recommendation_stage(Recommendation(id="R-1", text="t", owner="o", actions=[done]), date(2022, 6, 1))
        == "delivered"
    )


def test_an_indicator_without_a_reading_keeps_its_baseline_and_is_not_worse() -> None:
    baseline = Measurement(date(2022, 3, 31), 40)
    indicator = Indicator(
        id="I-1", name="n", unit="%", better="higher", target=Measurement(date(2023, 3, 31), 90), baseline=baseline
    )
    status = indicator_status(indicator, date(2022, 6, 1))
    assert (status.latest, status.on_track, status.met, status.rag, status.worse_than_baseline, status.baseline) == (
        None,
        None,
        False,
        "amber",
        False,
        baseline,
    )


def test_an_indicator_without_a_baseline_behind_its_target_is_amber_on_the_target_date_and_red_after() -> None:
    indicator = Indicator(
        id="I-1",
        name="n",
        unit="%",
        better="higher",
        target=Measurement(date(2023, 3, 31), 90),
        readings=[Reading(date(2023, 3, 1), 50)],
    )
    assert indicator_status(indicator, date(2023, 3, 31)).rag == "amber"
    assert indicator_status(indicator, date(2023, 4, 1)).rag == "red"


def test_the_reading_commands_judge_without_the_warning_rules() -> None:
    """`status` and the other reading commands run the error rules only (`every_rule=False`):
    `check` shows the warnings, a colleague's `status` does not pay for them."""
    from yotplan.rules.checker import judge

    day = date(2022, 10, 1)
    every = [p.code for p in judge([SHIPPED_PLANS], day).problems if p.severity == "warning"]
    reading = [p.code for p in judge([SHIPPED_PLANS], day, every_rule=False).problems if p.severity == "warning"]
    assert "YP201" in every  # overdue actions, on that day
    assert reading == []
