"""The plan format as pydantic models: the contract for plan files and owners.yaml.

Models only describe shape and types. Whether a plan is *good* (every recommendation
owned, owners known, dates consistent) is judged by `yotplan.rules.plan_rules`, so that each
judgement gets its own stable code and message. That is why `owner`, `due` and
`actions` are optional here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(value: Any) -> date:
    """Accept a `date` or a `YYYY-MM-DD` string naming a real calendar day; nothing else.

    Lax pydantic would take the integer 1719705600 as a timestamp; strict pydantic
    refuses the string that YAML 1.2 gives us. This accepts exactly what a plan means.
    """
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "iso_date", "{value} is not a real calendar date", {"value": repr(value)}
            ) from None
    raise PydanticCustomError(
        "iso_date",
        "expected a date written as YYYY-MM-DD, got {value}",
        {"value": repr(value)},
    )


IsoDate = Annotated[
    date,
    PlainValidator(parse_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]

Status = Literal["not-started", "in-progress", "blocked", "done", "dropped"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
SourceKind = Literal["inspection", "peer-review", "improvement-review", "self-assessment", "other"]
SOURCE_KINDS: tuple[str, ...] = SourceKind.__args__  # type: ignore[attr-defined]

Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    # defer_build: the validators are built on first validation, not at import. A run served
    # from the cache validates nothing, and building them also loads pydantic's plugin
    # machinery (importlib.metadata): 20 ms of start-up, 10 % of `yotplan status`.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Update(_Model):
    """A dated progress note on an action."""

    date: IsoDate
    note: Text


class Action(_Model):
    """One thing someone does by a date, with the proof that it happened."""

    id: Text
    title: Text
    owner: str | None = None
    due: IsoDate | None = None
    status: Status = "not-started"
    completed: IsoDate | None = Field(default=None, description="Required when status is done.")
    measure: str | None = Field(default=None, description="How success will be judged.")
    updates: list[Update] = []
    evidence: list[Text] = Field(default=[], description="Quotes or links that back the status.")

    @property
    def is_open(self) -> bool:
        return self.status not in ("done", "dropped")

    @property
    def last_update(self) -> date | None:
        return max((u.date for u in self.updates), default=None)


class Recommendation(_Model):
    """A recommendation from a report, in the report's own words, and the actions that answer it."""

    id: Text = Field(description="Unique across all plan files, e.g. HMIP-3, LGA-d, IR-5.")
    text: Text = Field(description="Verbatim from the report.")
    to: str | None = Field(default=None, description="To whom the report addressed it.")
    owner: str | None = None
    related: list[Text] = Field(default=[], description="Ids of recommendations asking the same.")
    actions: list[Action] = []


class Source(_Model):
    """The report a plan file answers."""

    id: Text
    title: Text
    kind: SourceKind
    date: IsoDate | None = None
    url: str | None = None


class PlanFile(_Model):
    """One YAML file per source report."""

    model_config = ConfigDict(title="yotplan plan file")

    source: Source
    recommendations: list[Recommendation] = []


class Owner(_Model):
    """An owner is a role in an agency, never a child or other personal data."""

    role: Text
    agency: Text
    contact: str | None = Field(default=None, description="A team mailbox or phone, not a person.")


class OwnersFile(_Model):
    """plans/owners.yaml: the registry of owners, keyed by a short slug such as yot-manager."""

    model_config = ConfigDict(title="yotplan owners file")

    owners: dict[str, Owner] = {}
