"""Queries over a plan set: the view models every output format renders from.

All functions take `today` as a parameter; nothing here reads the clock or prints.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from yotplan.errors import UnknownId
from yotplan.plans.models import ID_PATTERN, Action
from yotplan.plans.planset import ActionRef, PlanSet, RecommendationRef
from yotplan.rules.impact import Stage, recommendation_stage
from yotplan.rules.rag import (
    CLOSED_RAGS,
    DEFAULT_SOON_DAYS,
    RAGS,
    Rag,
    action_rag,
    days_until,
    is_overdue,
    recommendation_rag,
)


@dataclass(frozen=True, slots=True)
class ActionView:
    id: str
    title: str
    owner: str
    due: date | None
    status: str
    completed: date | None
    rag: Rag
    days_left: int | None
    """Days until due: negative when overdue, None when closed or undated."""
    recommendation: str
    source: str
    service: str = ""
    basis: str | None = None
    """evidenced or assumed (`Action.status_basis`); None when the plan does not say."""
    completed_basis: str | None = None
    """assumed when the completion date is the plan's, not the source's."""
    undated: str | None = None
    """`to-be-confirmed` or `ongoing` for an action with no date (see `due_text`)."""

    @property
    def due_text(self) -> str:
        """The due date as shown: the date, or why there is none ("to be confirmed", "ongoing")."""
        if self.due is not None:
            return self.due.isoformat()
        return (self.undated or "").replace("-", " ")

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "due": _iso(self.due),
            "undated": self.undated,
            "status": self.status,
            "basis": self.basis,
            "completed": _iso(self.completed),
            "completed_basis": self.completed_basis,
            "rag": self.rag,
            "days_left": self.days_left,
            "recommendation": self.recommendation,
            "source": self.source,
            "service": self.service,
        }


@dataclass(frozen=True, slots=True)
class Previous:
    """A recommendation as it stood at a board's previous meeting (from git)."""

    meeting: str
    rag: Rag
    stage: Stage

    def as_json(self) -> dict[str, Any]:
        return {"meeting": self.meeting, "rag": self.rag, "stage": self.stage}


DIRECTION_ORDER: dict[Rag, int] = {"red": 0, "amber": 1, "green": 2, "delivered": 3, "dropped": 3, "closed": 4}
"""Worse to better, for the direction of travel; dropped counts as delivered (the work stopped)."""


@dataclass(frozen=True, slots=True)
class RecommendationView:
    id: str
    source: str
    text: str
    to: str | None
    owner: str
    related: tuple[str, ...]
    rag: Rag
    actions: tuple[ActionView, ...]
    service: str = ""
    stage: Stage = "open"
    previous: Previous | None = None

    @property
    def direction(self) -> str:
        """↑ better, ↓ worse, = the same RAG as at the previous meeting; "new" when it did not
        exist then; "" with no previous meeting."""
        if self.previous is None:
            return ""
        then, now = DIRECTION_ORDER[self.previous.rag], DIRECTION_ORDER[self.rag]
        return "↑" if now > then else "↓" if now < then else "="

    @property
    def travel(self) -> str:
        """`red → amber ↑`, for tables."""
        return f"{self.previous.rag} → {self.rag} {self.direction}" if self.previous else ""

    @property
    def done(self) -> int:
        return sum(a.status == "done" for a in self.actions)

    @property
    def total(self) -> int:
        return len(self.actions)

    @property
    def next_due(self) -> date | None:
        return min((a.due for a in self.actions if a.due and a.rag not in CLOSED_RAGS), default=None)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "text": self.text,
            "to": self.to,
            "owner": self.owner,
            "related": list(self.related),
            "rag": self.rag,
            "done": self.done,
            "total": self.total,
            "next_due": _iso(self.next_due),
            "stage": self.stage,
            "previous": self.previous.as_json() if self.previous else None,
            "service": self.service,
            "actions": [a.as_json() for a in self.actions],
        }


@dataclass(frozen=True, slots=True)
class StatusView:
    today: date
    recommendations: list[RecommendationView]
    latest_update: date | None = None
    """The newest progress note or completion date in the plans shown: how current they are."""
    services: int = 1
    since: str | None = None
    """The meeting whose RAGs `previous` holds (`BOARD@YYYY-MM-DD`), when there is one."""
    service_ids: tuple[str, ...] = ()
    """The services shown, in the order of their folders (one count each, even with no row)."""

    @property
    def by_service(self) -> list[ServiceCount]:
        """The rows counted per service, when they come from several (empty for one)."""
        if self.services < 2:
            return []
        counts = {service: ServiceCount(service, dict.fromkeys(RAGS, 0)) for service in self.service_ids}
        for rec in self.recommendations:
            count = counts.setdefault(rec.service, ServiceCount(rec.service, dict.fromkeys(RAGS, 0)))
            count.recommendations[rec.rag] += 1
            count.overdue += sum(1 for a in rec.actions if a.days_overdue > 0)
        return list(counts.values())

    @property
    def summary(self) -> dict[Rag, int]:
        counts = dict.fromkeys(RAGS, 0)
        for rec in self.recommendations:
            counts[rec.rag] += 1
        return counts

    @property
    def assumed(self) -> tuple[int, int]:
        """(statuses assumed, statuses in all): how much of the picture the source is silent on."""
        actions = [a for rec in self.recommendations for a in rec.actions]
        return sum(a.basis == "assumed" for a in actions), len(actions)

    def as_json(self) -> dict[str, Any]:
        assumed, total = self.assumed
        return {
            "today": self.today.isoformat(),
            "latest_update": _iso(self.latest_update),
            "since_meeting": self.since,
            "summary": self.summary,
            "statuses": {"assumed": assumed, "total": total},
            "recommendations": [r.as_json() for r in self.recommendations],
            # Only over several services, so the json of one service keeps its shape.
            **({"services": [count.as_json() for count in self.by_service]} if self.services > 1 else {}),
        }


@dataclass(slots=True)
class ServiceCount:
    """One service's rows in `status` over several: its recommendations by RAG and its overdue actions."""

    service: str
    recommendations: dict[Rag, int]
    """Every RAG, 0 when none."""
    overdue: int = 0
    """Overdue actions of the recommendations shown."""

    @property
    def total(self) -> int:
        return sum(self.recommendations.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "recommendations": self.total,
            "summary": self.recommendations,
            "overdue_actions": self.overdue,
        }


@dataclass(frozen=True, slots=True)
class OwnerView:
    key: str
    role: str
    agency: str
    open: int
    overdue: int
    due_soon: int
    """Open actions due within the window (30 days by default), not counting overdue ones."""
    service: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "owner": self.key,
            "role": self.role,
            "agency": self.agency,
            "open": self.open,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "service": self.service,
        }


class MeetingStates(Protocol):
    """Each recommendation's (RAG, stage) at a meeting, by id case-folded (`history.meetings`)."""

    @property
    def meeting(self) -> str: ...

    @property
    def states(self) -> Mapping[str, tuple[Rag, Stage]]: ...


Plans = PlanSet | Sequence[PlanSet]
"""One plans folder, or several (one per service): every query takes either."""


def plan_sets(plans: Plans) -> Sequence[PlanSet]:
    return [plans] if isinstance(plans, PlanSet) else plans


@dataclass(frozen=True, slots=True)
class Filters:
    """Which recommendations a view shows. Empty means everything."""

    sources: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    rags: tuple[str, ...] = ()

    def matches_source(self, ref: RecommendationRef) -> bool:
        if not self.sources:
            return True
        wanted = {s.casefold() for s in self.sources}
        return ref.source_id.casefold() in wanted

    def matches_owner(self, owner: str | None) -> bool:
        return not self.owners or owner in self.owners


def known_sources(plan_sets: Sequence[PlanSet]) -> list[str]:
    """Every source id of the plans, as first spelled, in order: what `--source` may name."""
    return list(dict.fromkeys(doc.model.source.id for plans in plan_sets for doc in plans.plans))


def known_owners(plan_sets: Sequence[PlanSet]) -> list[str]:
    """Every owner key of the plans (in owners.yaml, or named by an action), sorted: what `--owner`
    may name."""
    return sorted(
        {key for plans in plan_sets for key in plans.owners}
        | {a.action.owner for plans in plan_sets for a in plans.actions() if a.action.owner}
    )


def as_spelled_in(filters: Filters, plans: PlanSet) -> Filters:
    """The filters with each source id as the plans spell it (`--source hmip` is HMIP), in the
    plans' order, and each owner once."""
    chosen = {s.casefold() for s in filters.sources}
    return dataclasses.replace(
        filters,
        sources=tuple(s for s in known_sources([plans]) if s.casefold() in chosen),
        owners=tuple(dict.fromkeys(filters.owners)),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def action_view(ref: ActionRef, today: date, soon: int = DEFAULT_SOON_DAYS, service: str = "") -> ActionView:
    action: Action = ref.action
    rag = action_rag(action, today, soon)
    return ActionView(
        id=action.id,
        title=action.title,
        owner=action.owner or "",
        due=action.due,
        status=action.status,
        completed=action.completed,
        rag=rag,
        days_left=days_until(action.due, today) if action.is_open else None,
        recommendation=ref.rec.recommendation.id,
        source=ref.rec.source_id,
        service=service,
        basis=action.status_basis,
        completed_basis=action.completed_basis if action.completed is not None else None,
        undated=action.undated if action.due is None else None,
    )


def recommendation_view(
    plans: PlanSet,
    ref: RecommendationRef,
    today: date,
    soon: int = DEFAULT_SOON_DAYS,
    then: MeetingStates | None = None,
) -> RecommendationView:
    """One recommendation as on `today`, with its state at a previous meeting when `then` has it."""
    rec = ref.recommendation
    was = then.states.get(rec.id.casefold()) if then is not None else None
    return RecommendationView(
        id=rec.id,
        source=ref.source_id,
        text=rec.text,
        to=rec.to,
        owner=rec.owner or "",
        related=tuple(rec.related),
        rag=recommendation_rag(rec, today, soon),
        actions=tuple(action_view(a, today, soon, plans.service) for a in plans.actions_of(ref)),
        service=plans.service,
        stage=recommendation_stage(rec, today),
        previous=Previous(then.meeting, *was) if then is not None and was is not None else None,
    )


def status_view(
    plans: Plans,
    today: date,
    soon: int = DEFAULT_SOON_DAYS,
    filters: Filters = Filters(),
    previous: Mapping[str, MeetingStates] | None = None,
) -> StatusView:
    """One row per recommendation, in file order (plan files are read in name order), service
    after service; with `previous` (per service), how each stood at that meeting.

    `--owner` keeps recommendations owned by that owner or with an action of theirs.
    """
    rows = []
    sets = plan_sets(plans)
    for plan_set in sets:
        then = (previous or {}).get(plan_set.service)
        for ref in plan_set.recommendations():
            if not filters.matches_source(ref):
                continue
            view = recommendation_view(plan_set, ref, today, soon, then)
            if filters.owners and not (
                filters.matches_owner(view.owner) or any(filters.matches_owner(a.owner) for a in view.actions)
            ):
                continue
            if filters.rags and view.rag not in filters.rags:
                continue
            rows.append(view)
    meetings = sorted({state.meeting for state in (previous or {}).values()})
    services = tuple(dict.fromkeys(plan_set.service for plan_set in sets))
    return StatusView(today, rows, latest_update(sets), len(sets), ", ".join(meetings) or None, services)


def latest_update(plans: Plans) -> date | None:
    """The newest progress note or completion date in the plans: how current they are."""
    days = [
        day
        for plan_set in plan_sets(plans)
        for ref in plan_set.actions()
        for day in (ref.action.last_update, ref.action.completed)
        if day is not None
    ]
    return max(days, default=None)


def overdue_actions(plans: Plans, today: date, filters: Filters = Filters()) -> list[ActionView]:
    """Open actions past their due date, most overdue first, then by service and id."""
    views = [
        action_view(ref, today, service=plan_set.service)
        for plan_set in plan_sets(plans)
        for ref in plan_set.actions()
        if is_overdue(ref.action, today) and filters.matches_source(ref.rec) and filters.matches_owner(ref.action.owner)
    ]
    return sorted(views, key=lambda v: (-v.days_overdue, v.service, v.id))


def upcoming_actions(plans: Plans, today: date, within: int = 30, filters: Filters = Filters()) -> list[ActionView]:
    """Open actions due from today to `within` days ahead, soonest first, then by service and id."""
    views = []
    for plan_set in plan_sets(plans):
        for ref in plan_set.actions():
            action = ref.action
            if not action.is_open or action.due is None:
                continue
            due_soon = 0 <= (action.due - today).days <= within
            if due_soon and filters.matches_source(ref.rec) and filters.matches_owner(action.owner):
                views.append(action_view(ref, today, service=plan_set.service))
    return sorted(views, key=lambda v: (v.due or today, v.service, v.id))


def owner_workload(plans: Plans, today: date, within: int = 30) -> list[OwnerView]:
    """Per owner in owners.yaml (and any unknown owner an action names), per service: open,
    overdue and due-soon actions."""
    views = []
    for plan_set in plan_sets(plans):
        counts: dict[str, list[int]] = {key: [0, 0, 0] for key in plan_set.owners}
        for ref in plan_set.actions():
            action = ref.action
            if not action.is_open or not action.owner:
                continue
            row = counts.setdefault(action.owner, [0, 0, 0])
            row[0] += 1
            if is_overdue(action, today):
                row[1] += 1
            elif action.due is not None and (action.due - today).days <= within:
                row[2] += 1
        for key, (open_, overdue, soon) in counts.items():
            owner = plan_set.owners.get(key)
            views.append(
                OwnerView(
                    key=key,
                    role=owner.role if owner else "(not in owners.yaml)",
                    agency=owner.agency if owner else "",
                    open=open_,
                    overdue=overdue,
                    due_soon=soon,
                    service=plan_set.service,
                )
            )
    return sorted(views, key=lambda v: (-v.overdue, -v.open, v.service, v.key))


def find_in_services(plans: Plans, item_id: str) -> tuple[PlanSet, RecommendationRef | ActionRef]:
    """The service and the item of `item_id`, or of `SERVICE:ID` when several services hold it.

    Raises UnknownId naming the closest ids, or the candidates when the id is ambiguous.
    """
    sets = plan_sets(plans)
    service, colon, bare = item_id.strip().rpartition(":")
    if colon:  # ids never hold a colon (YP111), so SERVICE:ID is never an id
        chosen = [s for s in sets if s.service.casefold() == service.casefold()]
        if not chosen:
            known = ", ".join(s.service for s in sets)
            raise UnknownId(f"no service is called {service!r} (the services are {known})")
        if len(chosen) > 1:  # YP014: never pick one silently
            folders = " and ".join(s.root for s in chosen)
            raise UnknownId(
                f"{len(chosen)} plans folders have the service id {service!r} ({folders}); give each service its "
                "own id in its service.yaml (`yotplan check` names them)"
            )
        return chosen[0], find_item(chosen[0], bare)
    if len(sets) == 1:
        return sets[0], find_item(sets[0], item_id)
    found: list[tuple[PlanSet, RecommendationRef | ActionRef]] = []
    for plan_set in sets:
        try:
            found.append((plan_set, find_item(plan_set, item_id)))
        except UnknownId:
            continue
    if len(found) == 1:
        return found[0]
    if found:
        candidates = ", ".join(f"{s.service}:{item_id.strip()}" for s, _ in found)
        raise UnknownId(f"{item_id.strip()!r} is in {len(found)} services; say which: {candidates}")
    all_ids = [
        i
        for s in sets
        for r in s.recommendations()
        for i in (r.recommendation.id, *(a.id for a in r.recommendation.actions))
    ]
    raise UnknownId(unknown_id_message(item_id, all_ids))


def find_item(plans: PlanSet, item_id: str) -> RecommendationRef | ActionRef:
    """The recommendation or action with this id, matched case-insensitively.

    Raises UnknownId naming the closest ids when there is none.
    """
    wanted = item_id.strip().casefold()
    all_ids: list[str] = []
    for ref in plans.recommendations():
        if ref.recommendation.id.casefold() == wanted:
            return ref
        all_ids.append(ref.recommendation.id)
        for action_ref in plans.actions_of(ref):
            if action_ref.action.id.casefold() == wanted:
                return action_ref
            all_ids.append(action_ref.action.id)
    raise UnknownId(unknown_id_message(item_id, all_ids))


def unknown_id_message(item_id: str, known: list[str]) -> str:
    import difflib  # only on the error path

    by_fold = {k.casefold(): k for k in known}
    close = [by_fold[c] for c in difflib.get_close_matches(item_id.casefold(), list(by_fold), n=3, cutoff=0.5)]
    hint = f"; did you mean {', '.join(close)}?" if close else "; `yotplan status` lists the ids"
    words = item_id.split()
    if words and not (ID_PATTERN.fullmatch(item_id.strip()) and any(c.isdigit() or c in "-._" for c in item_id)):
        search = f"search for it with `yotplan search {' '.join(words)}`"  # words (camhs), not a mistyped id
        hint += f" Or {search}" if close else f"; {search}"
    return f"no recommendation or action has id {item_id!r}{hint}"
