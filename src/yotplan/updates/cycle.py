"""One round of update requests: which owners are asked about which actions, and by when.

Choices where the issue leaves room:
- The return-by date of a round that feeds a board meeting is 10 working days (Monday to
  Friday; bank holidays are not counted out) before the meeting, so the manager has two weeks
  to chase and prepare the papers. Without a meeting or a date, owners get 10 working days.
- "Due soon" in the message means due within 30 days of the request, as in `owners`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from yotplan.errors import YotplanError
from yotplan.plans.models import OWNER_KEY_PATTERN
from yotplan.plans.planset import ActionRef, PlanSet, find_board, parse_meeting_id
from yotplan.rules.rag import is_overdue

WORKING_DAYS_BEFORE_MEETING = 10
WORKING_DAYS_TO_REPLY = 10
DUE_SOON_DAYS = 30


class RequestRefused(YotplanError):
    """A round that cannot be made as asked (an unknown board, a return date already past)."""


@dataclass(frozen=True, slots=True)
class FormAction:
    """One open action as the owner sees it on the form, and the version it was made from."""

    id: str
    recommendation: str
    title: str
    due: date | None
    status: str
    latest_update: str
    plan_file: str
    fingerprint: str
    overdue: bool
    days_left: int | None

    @property
    def due_soon(self) -> bool:
        return not self.overdue and self.days_left is not None and self.days_left <= DUE_SOON_DAYS


@dataclass(frozen=True, slots=True)
class OwnerRequest:
    key: str
    role: str
    agency: str
    email: str | None
    actions: list[FormAction]


@dataclass(frozen=True, slots=True)
class Round:
    """What one `request-updates` run asks of everyone."""

    service: str
    made: date
    return_by: date
    meeting: str | None
    """BOARD@YYYY-MM-DD, when the round feeds a board meeting."""
    meeting_name: str | None
    """"YOT Management Board meeting on 14 March 2023", for the forms and messages."""
    reply_to: str | None
    requests: list[OwnerRequest]
    unaskable: list[str] = field(default_factory=list)
    """Owners named in the plans by something that is not an owner key (`check` says YP113): their
    name would become a file name, so no form is made for them."""


def working_days_before(day: date, count: int) -> date:
    """The day `count` working days (Monday to Friday) before `day`."""
    while count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def working_days_after(day: date, count: int) -> date:
    """The day `count` working days (Monday to Friday) after `day`."""
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def fingerprint(data: Any) -> str:
    """A short hash of an action's data as YAML holds it (dates as YYYY-MM-DD, keys in any order):
    the same for the loaded plan and for the edited round-trip tree, so that a form can tell
    whether the action changed since it was made. Comments and layout do not count."""
    text = json.dumps(_plain(data), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _plain(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    if isinstance(data, date):
        return data.isoformat()
    if isinstance(data, str):
        return str(data)
    return data


def latest_update_text(updates: list[Any]) -> str:
    """The newest update as 'YYYY-MM-DD: note' (the last one listed among those of the latest date)."""
    if not updates:
        return ""
    newest = max(updates, key=lambda u: str(u["date"] if isinstance(u, dict) else u.date))
    day, note = (newest["date"], newest["note"]) if isinstance(newest, dict) else (newest.date, newest.note)
    day = day.isoformat() if isinstance(day, date) else str(day)
    return f"{day}: {' '.join(str(note).split())}"


def action_data(ref: ActionRef) -> Any:
    """The action's data as read from its file."""
    return ref.rec.doc.data["recommendations"][ref.rec.index]["actions"][ref.index]


def form_action(ref: ActionRef, today: date) -> FormAction:
    action = ref.action
    overdue = is_overdue(action, today)
    return FormAction(
        id=action.id,
        recommendation=f"{ref.rec.recommendation.id}: {' '.join(ref.rec.recommendation.text.split())}",
        title=" ".join(action.title.split()),
        due=action.due,
        status=action.status,
        latest_update=latest_update_text(action.updates),
        plan_file=Path(ref.rec.doc.path).name,
        fingerprint=fingerprint(action_data(ref)),
        overdue=overdue,
        days_left=(action.due - today).days if action.due is not None else None,
    )


def return_by_date(plans: PlanSet, today: date, return_by: date | None, meeting: str | None) -> tuple[date, str | None]:
    """The return-by date (given, else from the meeting, else 10 working days on) and the meeting's name."""
    name = None
    if meeting is not None:
        parsed = parse_meeting_id(meeting)
        if parsed is None:
            raise RequestRefused(f"{meeting!r} is not a meeting: write BOARD@YYYY-MM-DD, e.g. yot-board@2023-03-14")
        board_key, day = parsed
        key = find_board(plans.boards, board_key)
        name = f"{plans.boards[key].name} meeting on {day.day} {day:%B %Y}"
        if return_by is None:
            return_by = working_days_before(day, WORKING_DAYS_BEFORE_MEETING)
    if return_by is None:
        return_by = working_days_after(today, WORKING_DAYS_TO_REPLY)
    if return_by < today:
        raise RequestRefused(
            f"the return-by date {return_by} is before today ({today}); give a later --return-by or --meeting"
        )
    return return_by, name


def plan_round(
    plans: PlanSet,
    today: date,
    owners: list[str],
    *,
    return_by: date | None = None,
    meeting: str | None = None,
    reply_to: str | None = None,
) -> Round:
    """Every owner with open actions (or the `owners` named), with those actions, soonest due first."""
    by_owner: dict[str, list[ActionRef]] = {}
    for ref in plans.actions():
        if ref.action.is_open and ref.action.owner:
            by_owner.setdefault(ref.action.owner, []).append(ref)
    keys = owners or sorted(by_owner)
    day, meeting_name = return_by_date(plans, today, return_by, meeting)
    requests = []
    unaskable = []
    for key in keys:
        if not OWNER_KEY_PATTERN.fullmatch(key):
            unaskable.append(key)
            continue
        owner = plans.owners.get(key)
        refs = sorted(by_owner.get(key, []), key=lambda r: (r.action.due or date.max, r.action.id))
        requests.append(
            OwnerRequest(
                key=key,
                role=owner.role if owner else key,
                agency=owner.agency if owner else "",
                email=owner.email if owner else None,
                actions=[form_action(ref, today) for ref in refs],
            )
        )
    name = plans.service_name or plans.service
    return Round(name, today, day, meeting, meeting_name, reply_to, requests, unaskable)
