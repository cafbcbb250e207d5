"""Open actions' due dates as an iCalendar file that owners can subscribe to (e.g. in Outlook).

One all-day event per open action with a due date. The UID is built from the action id, its
source and its service, never from a counter or a random value, so a calendar that re-imports or
refreshes the file updates each event in place instead of adding a duplicate. DTSTAMP is
`today` at midnight UTC: the output is byte-stable for a given plan and date.

SEQUENCE and LAST-MODIFIED come from `revisions` (`yotplan.history.sequence.event_revisions`
counts, from git, the commits that changed what each event shows): a calendar app updates an
event it already has only when its SEQUENCE goes up. An action without one has SEQUENCE 0
and LAST-MODIFIED `today` at midnight UTC.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from yotplan import __version__
from yotplan.plans.planset import PlanSet
from yotplan.safe_text import one_line, visible

CALENDAR_NAME = "Action plan due dates"
_UNSAFE_UID = re.compile(r"[^A-Za-z0-9._-]+")


def event_uid(action_id: str, source_id: str, service: str = "") -> str:
    """`<action-id>@yotplan.<source-id>.<service>`, lower case, with anything outside [a-z0-9._-] as
    '-'. The service is always part of it, so that two services' HMIP-1.1 are two events in one
    calendar and also in two calendars each made on its own and subscribed to side by side (a
    service id is a slug, unique across the folders of a run: YP013, YP014).

    Stable while the action keeps its id and its source: moving the due date, the owner or
    the title keeps the same event.
    """
    uid = f"{_UNSAFE_UID.sub('-', action_id).lower()}@yotplan.{_UNSAFE_UID.sub('-', source_id).lower()}"
    return f"{uid}.{_UNSAFE_UID.sub('-', service).lower()}" if service else uid


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """The .ics bytes, and the actions that could not be put in it (one line each, why)."""

    ics: bytes
    left_out: list[str] = field(default_factory=list)


def build_calendar(
    plans: PlanSet | Sequence[PlanSet],
    today: date,
    name: str = CALENDAR_NAME,
    owners: Collection[str] = (),
    revisions: Mapping[tuple[str, str], tuple[int, datetime]] | None = None,
) -> CalendarFile:
    """The iCalendar (RFC 5545) text of every open action with a due date, in plan order.

    `revisions` gives (SEQUENCE, LAST-MODIFIED as an aware datetime) per (service, action id).

    `owners` keeps only the actions those owners hold, for an owner's own feed; the calendar's
    name then says whose it is, so it stands apart from the full feed in the same Outlook.
    An all-day event ends the day after it starts, so an action due on the last day a date can
    hold (9999-12-31) cannot be an event: it is left out and named in `left_out`.
    """
    if owners:
        name = f"{name}: {', '.join(owners)}"
    calendar = Calendar()
    calendar.add("prodid", f"-//yotplan//yotplan {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    left_out: list[str] = []
    sets = [plans] if isinstance(plans, PlanSet) else list(plans)
    for plan_set, ref in ((s, ref) for s in sets for ref in s.actions()):
        action = ref.action
        if not action.is_open or action.due is None or (owners and action.owner not in owners):
            continue
        if action.due >= date.max:
            left_out.append(f"{action.id} is due {action.due}, the last day a calendar can hold; left out")
            continue
        rec = ref.rec.recommendation
        owner = plan_set.owners.get(action.owner or "")
        owner_label = f"{owner.role}, {owner.agency}" if owner else (action.owner or "no owner")
        lines = [
            f"Owner: {owner_label}",
            f"Status: {action.status.replace('-', ' ')}",
            f"Recommendation {rec.id} ({ref.rec.source_id}): {' '.join(rec.text.split())}",
        ]
        if action.measure:
            lines.append(f"Measure: {' '.join(action.measure.split())}")
        event = Event()
        event.add("uid", event_uid(action.id, ref.rec.source_id, plan_set.service))
        sequence, modified = (revisions or {}).get((plan_set.service, action.id), (0, stamp))
        event.add("dtstamp", stamp)
        event.add("last-modified", modified.astimezone(UTC))
        event.add("sequence", sequence)
        event.add("dtstart", action.due)
        event.add("dtend", action.due + timedelta(days=1))
        event.add("summary", visible(f"{action.id}: {' '.join(action.title.split())}"))
        event.add("description", visible("\n".join(lines)))
        event.add("categories", [one_line(ref.rec.source_id)])
        event.add("transp", "TRANSPARENT")  # a due date is a reminder, not time blocked out
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return CalendarFile(ical, left_out)
