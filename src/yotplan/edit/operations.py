"""What the editing commands do to a plan: update, log, add action / recommendation / owner.

Each function makes its change in the round-trip tree of one file of an open
`EditSession` and returns a one-line summary; `apply_edit` runs one of them in a session
and writes the result only if the plans stay valid (see `yotplan.edit.session`).

Choices where the plan format leaves room:
- `completed` belongs to done actions only: setting any other status removes it (git
  keeps the old date). `--status done` without `--completed` records today.
- Moving a due date later, and dropping or blocking an action, need a reason, which is logged
  as an update ("Due date moved from X to Y: reason"), so slippage is never silent; any other
  change takes an optional reason, logged the same way. Setting a dropped or done action to
  another status (an undo) is always logged, with or without a reason. An update cannot be dated after today.
- Recommendations have no `updates` in the plan format: progress is logged on actions, and
  `log` on a recommendation id says which actions it has.
- Ids: a new action is `<recommendation id>.<n+1>` after the highest number used; a new
  recommendation continues its source's pattern (HMIP-8 -> HMIP-9, LGA-j -> LGA-k), and
  needs an explicit id when the existing ids follow no single pattern.
- A recommendation without actions is an error (YP102), so `add recommendation` adds its
  first action too.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from yotplan.edit.roundtrip import add_entry, append_item, new_list, new_mapping, remove_key, scalar, set_value
from yotplan.edit.session import EditSession, session_for_item
from yotplan.errors import EditRefused, FileChangedOnDisk, UnknownId, UnknownOwner
from yotplan.plans.loader import NO_CACHE, LoadSettings
from yotplan.plans.models import (
    ID_PATTERN,
    Action,
    Board,
    Indicator,
    Owner,
    PlanFile,
    Reading,
    Recommendation,
    is_action_id_of,
)
from yotplan.plans.planset import ActionRef, Document, RecommendationRef, find_board, find_meeting, meeting_id
from yotplan.problems import Problem
from yotplan.views.queries import find_item

NEEDS_A_REASON = frozenset({"dropped", "blocked"})
"""Statuses that stop an action: setting one needs --reason, logged as an update."""

REOPENING = frozenset({"dropped", "done"})
"""Statuses whose undoing is always logged as an update (with the reason, if given), so the
latest update never still says why an action that is open again was dropped or done."""

ACTION_KEYS = tuple(f.name for f in fields(Action))
RECOMMENDATION_KEYS = tuple(f.name for f in fields(Recommendation))
PLAN_KEYS = tuple(f.name for f in fields(PlanFile))
OWNER_KEYS = tuple(f.name for f in fields(Owner))
INDICATOR_KEYS = tuple(f.name for f in fields(Indicator))
BOARD_KEYS = tuple(f.name for f in fields(Board))
READING_KEYS = tuple(f.name for f in fields(Reading))


@dataclass(frozen=True, slots=True)
class EditOutcome:
    summary: str
    written: list[str]
    warnings: list[Problem]
    """What the edit brought that `check` warns about: text that looks like personal data."""
    notes: list[str] = field(default_factory=list)
    """What reading the plans said about itself (a cache folder refused)."""


@dataclass(frozen=True, slots=True)
class ActionChanges:
    """What `yotplan update` asks for; None leaves a field as it is."""

    status: str | None = None
    due: date | None = None
    undated: str | None = None
    """Instead of `due`: the action has no fixed date (`TBC`, `ongoing`), which removes its due date."""
    owner: str | None = None
    completed: date | None = None
    measure: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class NewAction:
    title: str
    owner: str
    due: date
    measure: str | None = None
    status: str = "not-started"
    id: str | None = None


def apply_edit(
    folders: Sequence[Path],
    item_id: str,
    today: date,
    edit: Callable[[EditSession, str], str],
    *,
    settings: LoadSettings = NO_CACHE,
    on_wait: Callable[[str], None] | None = None,
) -> EditOutcome:
    """Run `edit` (given the session and `item_id` without its `SERVICE:` prefix; "" for an edit
    of no item) on the plans folder that holds the item (`session_for_item`), under its lock;
    write only if the plans stay valid. `on_wait` hears, once, that the edit is waiting for
    another one to finish."""
    with session_for_item(folders, item_id, today, settings=settings, on_wait=on_wait) as (session, bare):
        summary = edit(session, bare)
        written = session.commit() + session.created
    return EditOutcome(summary, written, session.new_warnings, session.notes)


# update --------------------------------------------------------------------------------


def update_action(session: EditSession, action_id: str, changes: ActionChanges) -> str:
    """Change an action's fields; see the module docstring for the rules on dates and reasons."""
    ref = _find_action(session, action_id, command="update")
    action = ref.action
    node = _action_node(session, ref)
    done: list[str] = []  # what changed, for the summary and the logged reason
    status = changes.status or action.status

    if changes.status and changes.status != action.status:
        if changes.status in NEEDS_A_REASON and not changes.reason:
            raise EditRefused(
                f'marking {action.id} {changes.status} needs --reason "why"; the reason is logged as an update, '
                "so the Board can see why it stopped"
            )
        set_value(node, "status", changes.status, ACTION_KEYS)
        remove_key(node, "basis")  # the status is now what the user says, no longer an assumption
        done.append(f"status changed from {action.status} to {changes.status}")
    if status == "done":
        completed = changes.completed or action.completed or session.today
        if completed != action.completed:
            set_value(node, "completed", completed, ACTION_KEYS)
            remove_key(node, "completed_basis")
            done.append(f"completed on {completed}")
    elif changes.completed:
        raise EditRefused(f"{action.id} is {status}: --completed records when an action was done; add --status done")
    elif action.completed is not None and "completed" in node:
        remove_key(node, "completed")
        remove_key(node, "completed_basis")
        done.append("completion date removed")

    if changes.due and changes.due != action.due:
        if action.due is not None and changes.due > action.due and not changes.reason:
            raise EditRefused(
                f"moving the due date of {action.id} later ({action.due} -> {changes.due}) needs "
                '--reason "why"; the reason is logged as an update, so slippage is never silent'
            )
        set_value(node, "due", changes.due, ACTION_KEYS)
        if "undated" in node:  # a date set for an action that had none (`undated: to-be-confirmed`)
            remove_key(node, "undated")
        done.insert(0, f"due date moved from {action.due} to {changes.due}" if action.due else f"due {changes.due}")
    if changes.undated and (action.due is not None or changes.undated != action.undated):
        if action.due is not None and not changes.reason:
            raise EditRefused(
                f"taking the due date of {action.id} away ({action.due} -> {changes.undated}) needs "
                '--reason "why"; the reason is logged as an update, so slippage is never silent'
            )
        if "due" in node:
            remove_key(node, "due")
        set_value(node, "undated", changes.undated, ACTION_KEYS)
        was = f"due date {action.due} removed" if action.due else f"undated kind changed from {action.undated}"
        done.insert(0, f"{was}: undated ({changes.undated})")
    if changes.owner and changes.owner != action.owner:
        _require_owner(session, changes.owner)
        set_value(node, "owner", changes.owner, ACTION_KEYS)
        done.append(f"owner changed from {action.owner} to {changes.owner}")
    if changes.measure is not None and changes.measure != (action.measure or ""):
        if changes.measure:
            set_value(node, "measure", changes.measure, ACTION_KEYS)
        else:
            remove_key(node, "measure")
        done.append("measure changed")

    if not done:
        return f"{action.id}: nothing to change"
    reopened = action.status in REOPENING and status != action.status
    if changes.reason or reopened:
        note = _capital("; ".join(done)) + (f": {changes.reason}" if changes.reason else "")
        append_item(node, "updates", new_mapping([("date", session.today), ("note", note)]), ACTION_KEYS)
    logged = " (reason logged)" if changes.reason else " (logged)" if reopened else ""
    return f"updated {action.id} in {ref.rec.doc.path}: {'; '.join(done)}{logged}"


# log -----------------------------------------------------------------------------------


def log_progress(
    session: EditSession, item_id: str, note: str, on: date | None = None, evidence: Sequence[str] = ()
) -> str:
    """Append `{date, note}` to an action's updates (dated today unless `on` is given), and any
    `evidence` (quotes or links) to its evidence. An update cannot be dated after today."""
    ref = _find_action(session, item_id, command="log")
    day = on or session.today
    if day > session.today:
        raise EditRefused(
            f"an update records what happened, so it cannot be dated {day}, after today ({session.today}); "
            "plan future work as an action with a due date"
        )
    node = _action_node(session, ref)
    append_item(node, "updates", new_mapping([("date", day), ("note", note)]), ACTION_KEYS)
    for quote in evidence:
        append_item(node, "evidence", scalar(quote), ACTION_KEYS)
    attached = f", with {len(evidence)} piece{'s' * (len(evidence) != 1)} of evidence" if evidence else ""
    return f"logged an update on {ref.action.id} in {ref.rec.doc.path} ({day}){attached}"


# add -----------------------------------------------------------------------------------


def add_action(session: EditSession, rec_id: str, new: NewAction) -> str:
    """Append an action to a recommendation, with the next free id unless `new.id` is given."""
    ref = _find(session, rec_id)
    if isinstance(ref, ActionRef):
        raise EditRefused(
            f"{ref.action.id} is an action; add actions to its recommendation {ref.rec.recommendation.id}"
        )
    _require_owner(session, new.owner)
    next_id = next_action_id(ref.recommendation, _all_ids(session))
    action_id = _new_id(session, new.id, under=(ref.recommendation.id, next_id)) if new.id else next_id
    rec_node = _recommendation_node(session, ref)
    append_item(rec_node, "actions", _action_mapping(action_id, new, session.today), RECOMMENDATION_KEYS)
    return f"added action {action_id} to {ref.recommendation.id} in {ref.doc.path}"


def add_recommendation(
    session: EditSession,
    source_id: str,
    text: str,
    owner: str,
    first_action: NewAction,
    *,
    to: str | None = None,
    rec_id: str | None = None,
) -> str:
    """Append a recommendation (with its first action) to the plan file of `source_id`."""
    doc = _find_source(session, source_id)
    _require_owner(session, owner)
    _require_owner(session, first_action.owner)
    plan: PlanFile = doc.model
    if rec_id:
        rec_id = _new_id(session, rec_id)
    else:
        inferred = next_recommendation_id(plan.source.id, [r.id for r in plan.recommendations])
        if inferred is None or inferred.casefold() in _all_ids(session):
            existing = ", ".join(r.id for r in plan.recommendations[-3:])
            raise EditRefused(
                f"cannot tell the next recommendation id of {plan.source.id} from its ids ({existing}); pass --id"
            )
        rec_id = inferred
    first_id = f"{rec_id}.1"
    action_id = _new_id(session, first_action.id, under=(rec_id, first_id)) if first_action.id else first_id
    rec = new_mapping(
        [
            ("id", rec_id),
            ("text", text),
            ("to", to),
            ("owner", owner),
            ("actions", new_list([_action_mapping(action_id, first_action, session.today)])),
        ]
    )
    append_item(session.editable(doc).data, "recommendations", rec, PLAN_KEYS)
    return f"added recommendation {rec_id} (first action {action_id}) to {doc.path}"


def add_owner(session: EditSession, key: str, role: str, agency: str, contact: str | None = None) -> str:
    """Add an owner to owners.yaml; the key must be new."""
    owners_doc = session.plans.owners_doc
    if owners_doc is None:
        raise EditRefused(
            "the owners file is missing or does not load; fix it first (`yotplan check` says how), "
            "or start a plans folder with `yotplan init`"
        )
    for known in session.plans.owners:
        if known.casefold() == key.casefold():
            raise EditRefused(f"owner {known!r} already exists in {owners_doc.path}")
    data = session.editable(owners_doc).data
    entry = new_mapping([("role", role), ("agency", agency), ("contact", contact)])
    add_entry(data, "owners", key, entry)
    return f"added owner {key} to {owners_doc.path}"


# indicators, sign-off, meetings -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewIndicator:
    id: str
    name: str
    unit: str
    better: str
    target: tuple[date, float]
    baseline: tuple[date, float] | None = None


def add_indicator(session: EditSession, rec_id: str, new: NewIndicator) -> str:
    """Add an indicator (no readings yet) to a recommendation; its id follows the id pattern and is new."""
    ref = _find(session, rec_id)
    if isinstance(ref, ActionRef):
        raise EditRefused(
            f"{ref.action.id} is an action; indicators belong to recommendations, e.g. {ref.rec.recommendation.id}"
        )
    indicator_id = _new_id(session, new.id)
    if new.baseline is not None and new.target[0] <= new.baseline[0]:
        raise EditRefused(f"the target date {new.target[0]} must come after the baseline date {new.baseline[0]}")

    def measurement(at: tuple[date, float]) -> Any:
        return new_mapping([("date", at[0]), ("value", at[1])])

    indicator = new_mapping(
        [
            ("id", indicator_id),
            ("name", new.name),
            ("unit", new.unit),
            ("better", new.better),
            ("target", measurement(new.target)),
            ("baseline", measurement(new.baseline) if new.baseline else None),
        ]
    )
    append_item(_recommendation_node(session, ref), "indicators", indicator, RECOMMENDATION_KEYS)
    return f"added indicator {indicator_id} to {ref.recommendation.id} in {ref.doc.path}"


def record_reading(
    session: EditSession,
    indicator_id: str,
    value: float | str,
    on: date | None = None,
    note: str | None = None,
    *,
    replace: bool = False,
) -> str:
    """Append a reading to an indicator (dated today unless `on` is given, never later). A value
    worse than the baseline is recorded as it is: that is the truth, and `check` warns.

    `value` may be text as a person types it (`60`, `12.5`, `60%` for a `%` indicator). Refused:
    a reading dated before the baseline (the baseline is where the indicator starts), and a second
    reading on a day that has one, unless `replace` (the earlier one's value and note are replaced).
    """
    from yotplan.rules.impact import with_unit

    ref, index = _find_indicator(session, indicator_id)
    indicator = ref.recommendation.indicators[index]
    number = reading_value(value, indicator) if isinstance(value, str) else value
    day = on or session.today
    if day > session.today:
        raise EditRefused(f"a reading records what was measured, so it cannot be dated {day}, after today")
    baseline = indicator.baseline
    if baseline is not None and day < baseline.date:
        raise EditRefused(
            f"{indicator.id} starts at its baseline on {baseline.date}, so a reading cannot be dated {day}, before it; "
            "check the date, or correct the baseline in the plan file"
        )
    node = _recommendation_node(session, ref)["indicators"][index]
    if str(node.get("id", "")).strip().casefold() != indicator.id.casefold():
        raise FileChangedOnDisk(f"{ref.doc.path} changed on disk while it was being read; run the command again")
    shown = with_unit(number, indicator.unit)
    same_day = [j for j, r in enumerate(indicator.readings) if r.date == day]
    if same_day and not replace:
        earlier = indicator.readings[same_day[0]]
        raise EditRefused(
            f"{indicator.id} already has a reading on {day} ({with_unit(earlier.value, indicator.unit)}); "
            "one day has one reading, so pass --replace to replace it with this one"
        )
    if same_day:
        reading = node["readings"][same_day[0]]
        before = with_unit(indicator.readings[same_day[0]].value, indicator.unit)
        set_value(reading, "value", number, READING_KEYS)
        if note is not None:
            set_value(reading, "note", note, READING_KEYS)
        return f"replaced the reading of {indicator.id} on {day} ({before}) with {shown} in {ref.doc.path}"
    append_item(node, "readings", new_mapping([("date", day), ("value", number), ("note", note)]), INDICATOR_KEYS)
    return f"recorded {shown} for {indicator.id} in {ref.doc.path} ({day})"


def reading_value(text: str, indicator: Indicator) -> float:
    """A value as a person types it, for `indicator`: `75`, `12.5`, `-3`, or `60%` when its unit is
    `%`. A whole number stays whole (75, not 75.0). Refused with a line that says what a value is."""
    raw = text.strip()
    if raw.endswith("%"):
        if indicator.unit.strip() != "%":
            raise EditRefused(
                f"{text!r} is a percentage, but {indicator.id} counts {indicator.unit!r}; give the number alone"
            )
        raw = raw[:-1].strip()
    try:
        number = float(raw)
    except ValueError:
        raise EditRefused(f"{text!r} is not a number: give the value measured, e.g. 75 or 12.5") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise EditRefused(f"{text!r} is not a number: give the value measured, e.g. 75 or 12.5")
    return int(number) if number.is_integer() else number


def sign_off(
    session: EditSession, rec_id: str, meeting: str, note: str | None = None, reason: str | None = None
) -> str:
    """Write `closure: {meeting, date, note, reason}` to a recommendation: refused unless its
    impact is shown, or `reason` says why the board closes it anyway (kept in the file)."""
    from yotplan.rules.impact import evidence_lacking, open_actions, recommendation_stage

    ref = _find(session, rec_id)
    if isinstance(ref, ActionRef):
        raise EditRefused(
            f"{ref.action.id} is an action; a board signs off recommendations, e.g. {ref.rec.recommendation.id}"
        )
    rec = ref.recommendation
    if rec.closure is not None:
        raise EditRefused(f"{rec.id} is already signed off, at {rec.closure.meeting}")
    board_key, held = _meeting(session, meeting)
    stage = recommendation_stage(rec, held)
    if stage != "impact-evidenced" and not reason:
        missing = []
        if stage == "open":
            still_open = open_actions(rec)
            plural = "s" * (len(still_open) != 1)
            missing.append(f"open action{plural} {', '.join(still_open)}" if still_open else "no actions")
        missing += evidence_lacking(rec, held)
        raise EditRefused(
            f"{rec.id} cannot be signed off on its evidence at {board_key}@{held}: {'; '.join(missing)}. "
            "A board signs off a recommendation whose actions are all done or dropped and whose every indicator "
            "has a reading at or better than its target (or, with no indicator, impact recorded with "
            f'`yotplan add impact {rec.id}`); or it gives --reason "why it closes it anyway", kept in the file'
        )
    closure = new_mapping(
        [("meeting", meeting_id(board_key, held)), ("date", held), ("note", note), ("reason", reason)]
    )
    set_value(_recommendation_node(session, ref), "closure", closure, RECOMMENDATION_KEYS)
    return f"signed off {rec.id} at {board_key}@{held} in {ref.doc.path}" + (" (reason kept)" if reason else "")


def add_impact(
    session: EditSession, rec_id: str, text: str, on: date | None = None, evidence: Sequence[str] = ()
) -> str:
    """Append impact evidence to a recommendation, as one line a Board reads:
    `YYYY-MM-DD: what changed for children (evidence: a; b)`. Dated today unless `on` is given,
    never later: it records what was seen."""
    ref = _find(session, rec_id)
    if isinstance(ref, ActionRef):
        raise EditRefused(
            f"{ref.action.id} is an action; impact belongs to its recommendation {ref.rec.recommendation.id} "
            f"(progress on an action is logged with `yotplan log {ref.action.id} ...`)"
        )
    day = on or session.today
    if day > session.today:
        raise EditRefused(
            f"impact evidence records what was seen, so it cannot be dated {day}, after today ({session.today})"
        )
    entry = f"{day}: {text}" + (f" (evidence: {'; '.join(evidence)})" if evidence else "")
    append_item(_recommendation_node(session, ref), "impact", scalar(entry), RECOMMENDATION_KEYS)
    return f"added impact evidence to {ref.recommendation.id} in {ref.doc.path} ({day})"


def add_meeting(session: EditSession, board_key: str, day: date, ref: str | None = None) -> str:
    """Add a meeting of a board to boards.yaml (its id is `BOARD@YYYY-MM-DD`)."""
    boards_doc = session.plans.boards_doc
    if boards_doc is None:
        raise EditRefused(
            "there is no boards.yaml (or it does not load): create it with the board, "
            "`boards: {yot-board: {name: YOT Management Board, chair: OWNER}}` "
            "(https://github.com/yotplan/yotplan/blob/main/docs/plan-format.md)"
        )
    board = _board(session, board_key)
    if any(m.date == day for m in session.plans.boards[board].meetings):
        raise EditRefused(f"{board} already has a meeting on {day}")
    node = session.editable(boards_doc).data["boards"][board]
    append_item(node, "meetings", new_mapping([("date", day), ("ref", ref)]), BOARD_KEYS)
    return f"added meeting {board}@{day} to {boards_doc.path}"


def add_board(session: EditSession, key: str, name: str, chair: str | None = None) -> str:
    """Add a board to boards.yaml (created, with its schema line, when the folder has none)."""
    from yotplan.plans.models import OWNER_KEY_PATTERN

    if not OWNER_KEY_PATTERN.fullmatch(key):
        raise EditRefused(f"{key!r} is not a board key: use a short slug such as yot-board")
    if chair is not None:
        _require_owner(session, chair)
    for known in session.plans.boards:
        if known.casefold() == key.casefold():
            raise EditRefused(f"board {known!r} already exists in boards.yaml")
    entry = new_mapping([("name", name), ("chair", chair)])
    boards_doc = session.plans.boards_doc
    if boards_doc is None:
        path = session.root / "boards.yaml"
        if path.exists():
            raise EditRefused(f"{path} does not load; fix it first (`yotplan check` says how)")
        from yotplan.edit.roundtrip import dump_new

        body = dump_new({"boards": {key: {k: v for k, v in (("name", name), ("chair", chair)) if v}}})
        _create(session, path, _NEW_BOARDS_HEADER + body)
        return f"added board {key} to {path} (created)"
    add_entry(session.editable(boards_doc).data, "boards", key, entry)
    return f"added board {key} to {boards_doc.path}"


_NEW_BOARDS_HEADER = """\
# yaml-language-server: $schema=schema/boards.schema.json
# The boards that oversee the plan, keyed by a short slug. A board signs recommendations off at a
# meeting, named BOARD@YYYY-MM-DD: add one with `yotplan add meeting BOARD --date YYYY-MM-DD`.
"""


@dataclass(frozen=True, slots=True)
class NewSource:
    id: str
    title: str
    kind: str
    date: date | None = None
    url: str | None = None
    file: str | None = None
    """The new plan file's name (default: the id in lower case, .yaml)."""


def add_source(session: EditSession, new: NewSource) -> str:
    """Start a plan file for a new report (a source with no recommendation yet); `yotplan add
    recommendation --source ID` then fills it. Its id must be new, and so must its file."""
    from yotplan.edit.roundtrip import dump_new
    from yotplan.plans.loader import PLAN_SUFFIXES, is_plan_file_name
    from yotplan.plans.models import SOURCE_KINDS

    source_id = new.id.strip()
    if not ID_PATTERN.fullmatch(source_id):
        raise EditRefused(f"{source_id!r} is not a source id: use letters and digits joined by '-', e.g. HMIP or LGA")
    for doc in session.plans.plans:
        if doc.model.source.id.casefold() == source_id.casefold():
            raise EditRefused(f"source {doc.model.source.id!r} already has a plan file, {doc.path}")
    if new.kind not in SOURCE_KINDS:
        raise EditRefused(f"{new.kind!r} is not a kind of report; use one of {', '.join(SOURCE_KINDS)}")
    name = new.file or f"{source_id.casefold()}.yaml"
    if "/" in name or "\\" in name or not name.endswith(PLAN_SUFFIXES) or not is_plan_file_name(name):
        raise EditRefused(f"{name!r} cannot be a plan file: give a file name ending .yaml, not owners/boards/service")
    path = session.root / name
    if path.exists():
        raise EditRefused(f"{path} already exists; give another --file")
    source = {"id": source_id, "title": new.title, "kind": new.kind, "date": new.date, "url": new.url}
    body = dump_new({"source": {k: v for k, v in source.items() if v is not None}, "recommendations": []})
    header = (
        "# yaml-language-server: $schema=schema/plan.schema.json\n"
        "# One plan file per report. Quote each recommendation in the report's own words, with:\n"
        f'#   yotplan add recommendation --source {source_id} --text "..." --owner OWNER \\\n'
        '#       --action-title "..." --action-due YYYY-MM-DD\n'
    )
    _create(session, path, header + body)
    return f"added source {source_id} in {path} (created); add its recommendations with `yotplan add recommendation`"


def _create(session: EditSession, path: Path, text: str) -> None:
    """Create the new file `path` (never over another), under the session's lock."""
    from yotplan.edit.safe_write import create_file

    try:
        create_file(path, text.encode("utf-8"))
        session.created.append(str(path))
    except FileExistsError:
        raise EditRefused(f"{path} appeared while the edit was running; it was left as it is") from None
    except OSError as exc:
        raise EditRefused(f"cannot create {path}: {exc.strerror or exc}") from None


def _board(session: EditSession, key: str) -> str:
    try:
        return find_board(session.plans.boards, key)
    except UnknownId as exc:
        raise EditRefused(str(exc)) from None


def _meeting(session: EditSession, meeting: str) -> tuple[str, date]:
    """The board and date of a meeting id `BOARD@YYYY-MM-DD` that boards.yaml has, held by today."""
    try:
        board, day = find_meeting(session.plans.boards, meeting)
    except UnknownId as exc:
        raise EditRefused(str(exc)) from None
    if day > session.today:
        raise EditRefused(f"the meeting {board}@{day} has not been held yet (today is {session.today})")
    return board, day


def _find_indicator(session: EditSession, indicator_id: str) -> tuple[RecommendationRef, int]:
    wanted = indicator_id.strip().casefold()
    known = []
    for ref in session.plans.recommendations():
        for i, indicator in enumerate(ref.recommendation.indicators):
            if indicator.id.casefold() == wanted:
                return ref, i
            known.append(indicator.id)
    close = difflib.get_close_matches(indicator_id, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "`yotplan indicators` lists them"
    raise UnknownId(f"no indicator has id {indicator_id!r}; {hint}")


# ids -----------------------------------------------------------------------------------


def next_action_id(rec: Recommendation, taken: set[str]) -> str:
    """`<rec id>.<n>` with n one more than the highest number after `<rec id>.`, and unused."""
    pattern = re.compile(re.escape(rec.id) + r"\.(\d+)", re.IGNORECASE)
    numbers = [int(m.group(1)) for a in rec.actions if (m := pattern.fullmatch(a.id))]
    n = max(numbers, default=0) + 1
    while f"{rec.id}.{n}".casefold() in taken:
        n += 1
    return f"{rec.id}.{n}"


_NUMBERED = re.compile(r"(.*?)(\d+)")
_LETTERED = re.compile(r"(.*[^A-Za-z])([A-Za-z])")


def next_recommendation_id(source_id: str, existing: list[str]) -> str | None:
    """The id after the source's existing ones (HMIP-8 -> HMIP-9, LGA-j -> LGA-k, none -> HMIP-1).

    None when the ids do not share one prefix and one kind of suffix, or the letters ran out.
    """
    if not existing:
        return f"{source_id}-1"
    numbered = [m for rid in existing if (m := _NUMBERED.fullmatch(rid))]
    if len(numbered) == len(existing) and len({m.group(1) for m in numbered}) == 1:
        digits = [m.group(2) for m in numbered]
        width = max(len(d) for d in digits) if any(len(d) > 1 and d.startswith("0") for d in digits) else 0
        return f"{numbered[0].group(1)}{max(int(d) for d in digits) + 1:0{width}d}"
    lettered = [m for rid in existing if (m := _LETTERED.fullmatch(rid))]
    if len(lettered) == len(existing) and len({m.group(1) for m in lettered}) == 1:
        letters = [m.group(2) for m in lettered]
        alphabet = string.ascii_lowercase if all(c.islower() for c in letters) else string.ascii_uppercase
        if not all(c in alphabet for c in letters):
            return None
        last = max(alphabet.index(c) for c in letters)
        return f"{lettered[0].group(1)}{alphabet[last + 1]}" if last + 1 < len(alphabet) else None
    return None


# helpers -------------------------------------------------------------------------------


def _find(session: EditSession, item_id: str) -> RecommendationRef | ActionRef:
    try:
        return find_item(session.plans, item_id)
    except UnknownId as exc:
        broken = {p.path for p in session.load_problems if p.severity == "error"}
        if broken:
            raise UnknownId(
                f"{exc} ({len(broken)} file{'s' * (len(broken) > 1)} did not load: `yotplan check` says why)"
            ) from None
        raise


def _find_action(session: EditSession, item_id: str, *, command: str) -> ActionRef:
    ref = _find(session, item_id)
    if isinstance(ref, ActionRef):
        return ref
    rec = ref.recommendation
    if not rec.actions:
        raise EditRefused(
            f"{rec.id} is a recommendation with no actions yet; add one with `yotplan add action {rec.id} ...`"
        )
    ids = ", ".join(a.id for a in rec.actions)
    what = "progress is logged on its actions" if command == "log" else "`update` changes its actions"
    example = f"`yotplan {command} {rec.actions[0].id} ...`"
    raise EditRefused(f"{rec.id} is a recommendation; {what}: {ids} (e.g. {example})")


def _find_source(session: EditSession, source_id: str) -> Document:
    known = [doc.model.source.id for doc in session.plans.plans]
    for doc in session.plans.plans:
        if doc.model.source.id.casefold() == source_id.strip().casefold():
            return doc
    close = difflib.get_close_matches(source_id, known, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known)) or 'none'}"
    raise EditRefused(f"no plan file has source {source_id!r} ({hint})")


def _require_owner(session: EditSession, key: str) -> None:
    owners = session.plans.owners
    if key in owners:
        return
    owners_doc = session.plans.owners_doc
    if owners_doc is None:
        raise UnknownOwner(f"owner {key!r} cannot be checked: the owners file is missing or does not load")
    close = difflib.get_close_matches(key, sorted(owners), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"add it first: yotplan add owner {key} --role ... --agency ..."
    raise UnknownOwner(f"owner {key!r} is not in {owners_doc.path} ({hint})")


def _all_ids(session: EditSession) -> set[str]:
    """Every id in use, recommendations', actions' and indicators', case-folded."""
    ids = {r.recommendation.id.casefold() for r in session.plans.recommendations()}
    ids |= {i.id.casefold() for r in session.plans.recommendations() for i in r.recommendation.indicators}
    return ids | {a.action.id.casefold() for a in session.plans.actions()}


def _new_id(session: EditSession, item_id: str, *, under: tuple[str, str] | None = None) -> str:
    """`item_id` for a new recommendation, or with `under` (its recommendation's id, the next free
    action id) for a new action; refused unless it follows the id pattern (docs/plan-format.md,
    "Ids") and is unused."""
    item_id = item_id.strip()
    if not ID_PATTERN.fullmatch(item_id):
        raise EditRefused(f"{item_id!r} is not an id: use letters and digits joined by '-', '.' or '_', e.g. HMIP-3.1")
    if item_id.casefold() in _all_ids(session):
        try:
            ref = find_item(session.plans, item_id)
            where = ref.doc.path if isinstance(ref, RecommendationRef) else ref.rec.doc.path
        except UnknownId:  # an indicator's id
            where = _find_indicator(session, item_id)[0].doc.path
        raise EditRefused(f"id {item_id!r} is already used in {where}; ids must be unique")
    if under is not None and not is_action_id_of(item_id, under[0]):
        rec_id, next_id = under
        raise EditRefused(
            f"an action of {rec_id} has an id that starts with '{rec_id}.' (the next free one is {next_id}), "
            f"not {item_id!r}"
        )
    return item_id


def _action_mapping(action_id: str, new: NewAction, today: date) -> Any:
    return new_mapping(
        [
            ("id", action_id),
            ("title", new.title),
            ("owner", new.owner),
            ("due", new.due),
            ("status", new.status),
            ("completed", today if new.status == "done" else None),
            ("measure", new.measure),
        ]
    )


def _recommendation_node(session: EditSession, ref: RecommendationRef) -> Any:
    node = session.editable(ref.doc).data["recommendations"][ref.index]
    if str(node.get("id", "")).strip().casefold() != ref.recommendation.id.casefold():
        raise FileChangedOnDisk(f"{ref.doc.path} changed on disk while it was being read; run the command again")
    return node


def _action_node(session: EditSession, ref: ActionRef) -> Any:
    node = _recommendation_node(session, ref.rec)["actions"][ref.index]
    if str(node.get("id", "")).strip().casefold() != ref.action.id.casefold():
        raise FileChangedOnDisk(f"{ref.rec.doc.path} changed on disk while it was being read; run the command again")
    return node


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
