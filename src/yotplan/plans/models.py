"""The plan format as plain dataclasses: the contract for plan files and owners.yaml.

Models only describe shape and types. Whether a plan is *good* (every recommendation
owned, owners known, dates consistent) is judged by `yotplan.rules.plan_rules`, so that each
judgement gets its own stable code and message. That is why `owner`, `due` and
`actions` are optional here.

The classes are standard-library dataclasses, not pydantic models: pydantic validates a
file's data into them (`yotplan.plans.validation`, through the `__pydantic_config__` and the
`Annotated` markers below), but nothing here imports it. A file served from the cache is
rebuilt from plain data without validation (it was valid when it was stored), so a warm run
never imports pydantic at all: about 45 ms of every command's start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from yotplan.choices import STATUSES as STATUSES  # the statuses' words live in yotplan.choices
from yotplan.choices import Status as Status

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

ISO_DATE_SCHEMA_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
"""A date in the JSON Schemas: YYYY-MM-DD with a month and a day that can exist, so an editor
flags 2022-13-01 as `check` does (a schema pattern cannot know that 30 February never comes)."""

ID_PATTERN = re.compile(r"[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*")
"""Every id (source, recommendation, action): letters and digits, joined by single `-`, `.` or
`_` (HMIP, HMIP-3, LGA-c, HMIP-3.1). An action's id is its recommendation's id, a `.`, and more
of the same (HMIP-3.1, HMIP-3.1a). Checked by `check` (YP111, YP112) and by `add --id`."""

OWNER_KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""An owner key in owners.yaml: a short slug such as yot-manager (YP113)."""


def is_action_id_of(action_id: str, recommendation_id: str) -> bool:
    """Whether `action_id` follows the pattern for an action of `recommendation_id` (any case)."""
    prefix = f"{recommendation_id}.".casefold()
    return action_id.casefold().startswith(prefix) and ID_PATTERN.fullmatch(action_id[len(prefix) :]) is not None


_CONFIG: Any = {"extra": "forbid", "str_strip_whitespace": True, "use_attribute_docstrings": True}
"""pydantic's settings for every model: unknown keys are refused, text is stripped, and each
field's docstring becomes its description in the JSON Schema."""


def parse_iso_date(value: Any) -> date:
    """Accept a `date` or a `YYYY-MM-DD` string naming a real calendar day; nothing else.

    Lax pydantic would take the integer 1719705600 as a timestamp; strict pydantic
    refuses the string that YAML 1.2 gives us. This accepts exactly what a plan means.
    """
    if isinstance(value, date):
        return value
    from pydantic_core import PydanticCustomError  # only while validating

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


class _IsoDateSchema:
    """How pydantic validates and documents an `IsoDate` (looked up only while validating)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(parse_iso_date)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, str]:
        return {"type": "string", "format": "date", "pattern": ISO_DATE_SCHEMA_PATTERN}


class _NonEmpty:
    """Text of at least one character (after stripping)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["min_length"] = 1
        return schema


class _NumberSchema:
    """A number as YAML writes it (an integer or a decimal), never text or true/false."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.union_schema(
            [core_schema.int_schema(strict=True), core_schema.float_schema(strict=True, allow_inf_nan=False)],
            custom_error_type="number",
            custom_error_message="expected a number",
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, str]:
        return {"type": "number"}


class _EmailSchema:
    """An email address: something@somewhere.tld, no spaces (a role mailbox; see `Owner.email`)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(parse_email)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, str]:
        return {"type": "string", "pattern": EMAIL_PATTERN.pattern}


def parse_email(value: Any) -> str:
    """One email address such as camhs.lead@nhs.example, stripped; anything else is refused in words."""
    if isinstance(value, str) and EMAIL_PATTERN.fullmatch(value.strip()):
        return value.strip()
    from pydantic_core import PydanticCustomError  # only while validating

    raise PydanticCustomError(
        "email", "expected one email address such as team@agency.example, got {value}", {"value": repr(value)}
    )


EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
"""The shape of `email:` in owners.yaml: one address, no display name."""

IsoDate = Annotated[date, _IsoDateSchema]
Text = Annotated[str, _NonEmpty]
Number = Annotated[int | float, _NumberSchema]

Basis = Literal["evidenced", "assumed"]
BASES: tuple[str, ...] = Basis.__args__  # type: ignore[attr-defined]
UndatedKind = Literal["to-be-confirmed", "ongoing"]
"""An action with no fixed date: `to-be-confirmed` (a date will be set) or `ongoing` (continuous work)."""
UNDATED_KINDS: tuple[str, ...] = UndatedKind.__args__  # type: ignore[attr-defined]
SourceKind = Literal["inspection", "peer-review", "improvement-review", "self-assessment", "other"]
SOURCE_KINDS: tuple[str, ...] = SourceKind.__args__  # type: ignore[attr-defined]


@dataclass(slots=True)
class Update:
    """A dated progress note on an action."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    date: IsoDate
    note: Text


@dataclass(slots=True)
class Action:
    """One thing someone does by a date, with the proof that it happened."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    id: Text
    title: Text
    owner: str | None = None
    due: IsoDate | None = None
    undated: UndatedKind | None = None
    """Instead of `due`, for an action whose date is not fixed (see docs/plan-format.md)."""
    status: Status = "not-started"
    basis: Basis | None = None
    """What the status rests on: evidenced (a quote in `evidence`, or an update) or assumed (the
    source is silent, and the status is the plan's assumption). Unset: evidenced when the action
    has evidence or updates, else not said."""
    completed: IsoDate | None = None
    """Required when status is done."""
    completed_basis: Basis | None = None
    """assumed when the source gives no completion date and `completed` is the plan's (e.g. the
    source's own date, meaning "done by then")."""
    measure: str | None = None
    """How success will be judged."""
    updates: list[Update] = field(default_factory=list)
    evidence: list[Text] = field(default_factory=list)
    """Quotes or links that back the status."""
    review: list[Text] = field(default_factory=list)
    """What a person should check, left by `yotplan import` (the sheet's own words); `check` warns until removed."""

    @property
    def is_open(self) -> bool:
        return self.status not in ("done", "dropped")

    @property
    def status_basis(self) -> Basis | None:
        """`basis`, or evidenced when it is unset and the action has evidence or updates."""
        if self.basis is not None:
            return self.basis
        return "evidenced" if self.evidence or self.updates else None

    @property
    def last_update(self) -> date | None:
        return max((u.date for u in self.updates), default=None)

    @property
    def latest_update(self) -> Update | None:
        """The latest update: of those on the latest date, the one written last (an undo logged
        the same day as the drop it undoes is the latest, not the drop)."""
        latest = max(enumerate(self.updates), key=lambda pair: (pair[1].date, pair[0]), default=None)
        return latest[1] if latest is not None else None


Better = Literal["higher", "lower"]


@dataclass(slots=True)
class Measurement:
    """A value of an indicator on a day: its baseline or its target."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    date: IsoDate
    value: Number


@dataclass(slots=True)
class Reading:
    """A value of an indicator as measured on a day."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    date: IsoDate
    value: Number
    note: str | None = None


@dataclass(slots=True)
class Indicator:
    """A number that shows whether a recommendation has made a difference for children."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    id: Text
    """Unique across the plans, e.g. HMIP-1-camhs-attendance."""
    name: Text
    unit: Text
    """What a value counts, e.g. "% of Board meetings"."""
    better: Better
    """Whether a higher or a lower value is better."""
    target: Measurement
    """The value to reach, and by when."""
    baseline: Measurement | None = None
    """Where it started; null (with a comment) when the source gives no number."""
    readings: list[Reading] = field(default_factory=list)

    @property
    def latest(self) -> Reading | None:
        return max(self.readings, key=lambda r: r.date, default=None)


@dataclass(slots=True)
class Closure:
    """A recommendation signed off by a board at a meeting."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    meeting: Text
    """The meeting that signed it off: BOARD-ID@YYYY-MM-DD (boards.yaml)."""
    date: IsoDate
    note: str | None = None
    reason: str | None = None
    """Why the board closed it although the impact is not shown (required then)."""


@dataclass(slots=True)
class Recommendation:
    """A recommendation from a report, in the report's own words, and the actions that answer it."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    id: Text
    """Unique across all plan files, e.g. HMIP-3, LGA-d, IR-5."""
    text: Text
    """Verbatim from the report."""
    to: str | None = None
    """To whom the report addressed it."""
    owner: str | None = None
    theme: str | None = None
    """A short tag shared by recommendations about the same thing (e.g. board, health, data), for
    regional views of many services."""
    related: list[Text] = field(default_factory=list)
    """Ids of recommendations asking the same."""
    actions: list[Action] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    impact: list[Text] = field(default_factory=list)
    """Evidence that the change made a difference for children (quotes or links)."""
    closure: Closure | None = None
    """Set by `yotplan signoff`: the board meeting that signed the recommendation off."""


@dataclass(slots=True)
class Source:
    """The report a plan file answers."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    id: Text
    title: Text
    kind: SourceKind
    date: IsoDate | None = None
    url: str | None = None
    conclusion: str | None = None
    """The report's own verdict on the service, in its words (shown in the Board report)."""


@dataclass(slots=True)
class PlanFile:
    """One YAML file per source report."""

    __pydantic_config__: ClassVar[Any] = {**_CONFIG, "title": "yotplan plan file"}

    source: Source
    recommendations: list[Recommendation] = field(default_factory=list)


@dataclass(slots=True)
class Owner:
    """An owner is a role in an agency, never a child or other personal data."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    role: Text
    agency: Text
    contact: str | None = None
    """A team mailbox or phone, not a person."""
    email: Annotated[str, _EmailSchema] | None = None
    """The role's mailbox (e.g. camhs.lead@nhs.example), where `yotplan request-updates` sends
    update forms. A work contact field: the personal-data guard does not flag it."""


@dataclass(slots=True)
class OwnersFile:
    """plans/owners.yaml: the registry of owners, keyed by a short slug such as yot-manager."""

    __pydantic_config__: ClassVar[Any] = {**_CONFIG, "title": "yotplan owners file"}

    owners: dict[str, Owner] = field(default_factory=dict)


@dataclass(slots=True)
class Meeting:
    """A meeting of a board. Sign-offs name it `BOARD-ID@YYYY-MM-DD`."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    date: IsoDate
    ref: str | None = None
    """The board's own reference for the meeting (an agenda or paper number)."""
    minutes: str | None = None
    """Where its minutes are: a link or a document reference."""


@dataclass(slots=True)
class Board:
    """A board that oversees the plan and signs recommendations off, and its meetings."""

    __pydantic_config__: ClassVar[Any] = _CONFIG

    name: Text
    chair: str | None = None
    """An owner key: the chair is a role, like every owner."""
    meetings: list[Meeting] = field(default_factory=list)


@dataclass(slots=True)
class BoardsFile:
    """plans/boards.yaml: the boards that oversee the plan, keyed by a short slug such as yot-board."""

    __pydantic_config__: ClassVar[Any] = {**_CONFIG, "title": "yotplan boards file"}

    boards: dict[str, Board] = field(default_factory=dict)


@dataclass(slots=True)
class ServiceFile:
    """plans/service.yaml: which youth justice service the plans folder belongs to."""

    __pydantic_config__: ClassVar[Any] = {**_CONFIG, "title": "yotplan service file"}

    id: Text
    """A short slug, e.g. torbay; shown in regional views and used as SERVICE:ID."""
    name: Text
    region: str | None = None
    """The YJB region, e.g. South West."""


Model = PlanFile | OwnersFile | BoardsFile | ServiceFile
"""What a whole file is read as."""
