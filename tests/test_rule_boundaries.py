"""The edges of the rules, where a `<` for a `<=` would change what a Board is told: an indicator
exactly at its target, a value and its unit, and `# yotplan: allow` comments around one without
its reason. Each was a surviving mutant (docs/mutation-testing.md)."""

from __future__ import annotations

from datetime import date

import pytest

from yotplan.plans.models import Indicator, Measurement, Reading
from yotplan.rules.file_checks import allowed_codes
from yotplan.rules.impact import at_least_as_good, expected_value, indicator_status, with_unit


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
