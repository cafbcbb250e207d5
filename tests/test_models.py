"""The date type and model shapes that the plan format promises."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from yotplan.plans.models import Action, OwnersFile, PlanFile, Update, parse_iso_date
from yotplan.plans.validation import validate


@pytest.mark.parametrize("value", ["2024-06-30", date(2024, 6, 30)])
def test_iso_dates_are_accepted(value: object) -> None:
    assert parse_iso_date(value) == date(2024, 6, 30)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1719705600, "expected a date written as YYYY-MM-DD, got 1719705600"),  # lax pydantic: a timestamp
        ("30/06/2024", "got '30/06/2024'"),
        ("2024-6-30", "got '2024-6-30'"),
        ("2024-02-30", "'2024-02-30' is not a real calendar date"),
        (True, "got True"),
        (None, "got None"),
    ],
)
def test_anything_else_is_refused_with_a_plain_message(value: object, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate(Update, {"date": value, "note": "n"})
    assert words in info.value.errors()[0]["msg"]


def test_unknown_keys_are_refused_everywhere() -> None:
    with pytest.raises(ValidationError, match=r"Unexpected keyword argument"):
        validate(Action, {"id": "A-1.1", "title": "t", "colour": "red"})
    with pytest.raises(ValidationError):
        validate(OwnersFile, {"owners": {"x": {"role": "r", "agency": "a", "name": "A Person"}}})


def test_owner_due_and_actions_are_judged_by_rules_not_the_schema() -> None:
    plan = validate(
        PlanFile,
        {"source": {"id": "S", "title": "t", "kind": "other"}, "recommendations": [{"id": "S-1", "text": "x"}]},
    )
    rec = plan.recommendations[0]
    assert (rec.owner, rec.actions) == (None, [])
    action = validate(Action, {"id": "S-1.1", "title": "t"})
    assert (action.owner, action.due, action.status) == (None, None, "not-started")


def test_last_update_is_the_latest_date_not_the_last_item() -> None:
    action = validate(
        Action,
        {
            "id": "A.1",
            "title": "t",
            "updates": [{"date": "2022-05-06", "note": "b"}, {"date": "2022-01-01", "note": "a"}],
        },
    )
    assert action.last_update == date(2022, 5, 6)
