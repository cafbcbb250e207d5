"""The rules that judge a loaded plan set. Each is a plain function that returns problems.

Codes are stable: tools and people grep for them. YP0xx are loading problems (see
`yotplan.plans.strict_yaml`, `yotplan.plans.loader`, `yotplan.plans.validation`); YP1xx are errors found here;
YP2xx are warnings, which `check --strict` turns into errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date

from yotplan.plans.models import ID_PATTERN, OWNER_KEY_PATTERN, PlanFile, is_action_id_of
from yotplan.plans.planset import ActionRef, Document, PlanSet, meeting_id
from yotplan.problems import Problem
from yotplan.rules.impact import impact_shown, indicator_status, with_unit
from yotplan.rules.rag import ONGOING_QUIET_DAYS, is_overdue

STALE_DAYS = 90
"""An open action with no update for longer than this is flagged (YP202)."""

Rule = Callable[[PlanSet, date], Iterator[Problem]]
Where = tuple[str | int, ...]


def recommendation_without_owner(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP101: every recommendation needs an owner, the rule CI relies on most.

    passes: `owner: yot-manager`; fails: no `owner:` key, or `owner:` left empty.
    """
    for ref in plans.recommendations():
        if not ref.recommendation.owner:
            yield ref.doc.problem(
                (*ref.where, "owner"),
                "error",
                "YP101",
                f"recommendation {ref.recommendation.id} has no owner; add `owner:` with a key from owners.yaml",
            )


def recommendation_without_actions(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP102: a recommendation with no actions has no plan.

    passes: `actions:` with one item; fails: `actions: []` or no `actions:` key.
    """
    for ref in plans.recommendations():
        if not ref.recommendation.actions:
            yield ref.doc.problem(
                ref.where,
                "error",
                "YP102",
                f"recommendation {ref.recommendation.id} has no actions; add at least one under `actions:`",
            )


def action_without_owner(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP103: every action needs an owner.

    passes: `owner: camhs`; fails: no `owner:` key on the action.
    """
    for ref in plans.actions_where(lambda a: not a.owner):
        yield ref.rec.doc.problem(
            (*ref.where, "owner"),
            "error",
            "YP103",
            f"action {ref.action.id} has no owner; add `owner:` with a key from owners.yaml",
        )


def unknown_owner(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP104: an owner must be a key of owners.yaml.

    passes: `owner: yot-manager` with `yot-manager:` in owners.yaml; fails: `owner: yot-manger`.
    Silent when owners.yaml itself is missing or broken: that is reported once, elsewhere.
    """
    if plans.owners_doc is None:
        return
    known = sorted(plans.owners)
    owners = plans.owners
    for rec in plans.recommendations():
        key = rec.recommendation.owner
        if key and key not in owners:
            yield rec.doc.problem((*rec.where, "owner"), "error", "YP104", _unknown_owner_message(key, known))
    for ref in plans.actions_where(lambda a: bool(a.owner) and a.owner not in owners):
        message = _unknown_owner_message(ref.action.owner or "", known)
        yield ref.rec.doc.problem((*ref.where, "owner"), "error", "YP104", message)


def _unknown_owner_message(key: str, known: list[str]) -> str:
    from yotplan.rules.personal_data import masked_personal_data as masked

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    fix = (
        f"did you mean {masked(close[0])!r}?"
        if close
        else f"add it with `yotplan add owner {masked(key)} --role ... --agency ...`"
    )
    return f"owner {masked(key)!r} is not in owners.yaml ({fix})"


def action_without_due_date(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP105: every action needs a due date, or says why it has none (`undated:`), but not both.

    passes: `due: 2022-09-30`, or `undated: ongoing`; fails: neither key on the action, or both.
    """
    for ref in plans.actions_where(lambda a: (a.due is None) == (a.undated is None)):
        both = ref.action.due is not None
        yield ref.rec.doc.problem(
            (*ref.where, "undated" if both else "due"),
            "error",
            "YP105",
            f"action {ref.action.id} has both `due:` and `undated:`; keep one"
            if both
            else f"action {ref.action.id} has no due date; add `due: YYYY-MM-DD` "
            "(or `undated: to-be-confirmed` or `undated: ongoing`)",
        )


def done_without_completed(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP106: a done action records when it was completed.

    passes: `status: done` with `completed: 2022-05-06`; fails: `status: done` alone.
    """
    for ref in plans.actions_where(lambda a: a.status == "done" and a.completed is None):
        yield ref.rec.doc.problem(
            (*ref.where, "status"),
            "error",
            "YP106",
            f"action {ref.action.id} is done but has no completion date; add `completed: YYYY-MM-DD`",
        )


def completed_in_future(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP107: nothing was completed after today.

    passes: `completed: 2022-05-06` (today 2022-06-01); fails: `completed: 2030-01-01`.
    """
    for ref in plans.actions_where(lambda a: a.completed is not None and a.completed > today):
        completed = ref.action.completed
        yield ref.rec.doc.problem(
            (*ref.where, "completed"),
            "error",
            "YP107",
            f"action {ref.action.id} is completed on {completed}, after today ({today}); "
            "use the date it was actually completed",
        )


def duplicate_id(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP108: recommendation and action ids are unique across all plan files (case-insensitive,
    as `show` matches them).

    passes: HMIP-3 and HMIP-3.1; fails: two recommendations with id HMIP-3, in any files.
    """
    # Positions are looked up only for ids seen twice: locating all 10,000 ids of a large plan
    # cost more than every other rule together. Until then an item is its document and indexes.
    seen: dict[str, tuple[Document, int, int]] = {}
    for doc in plans.plans:
        plan: PlanFile = doc.model
        for r, rec in enumerate(plan.recommendations):
            items = [(-1, rec.id), *((a, action.id) for a, action in enumerate(rec.actions))]
            for a, item_id in items:
                place = (doc, r, a)
                first = seen.setdefault(item_id.casefold(), place)
                if first is place:
                    continue
                there = first[0].problem((*_where(first[1], first[2]), "id"), "error", "YP108", "")
                here = doc.problem((*_where(r, a), "id"), "error", "YP108", "")
                at = f"{there.path}:{there.line}"
                if at != f"{here.path}:{here.line}":
                    yield replace(here, message=f"id {item_id!r} is already used at {at}; ids must be unique")


def _where(rec: int, action: int) -> Where:
    """A recommendation's path in its file, or with `action` >= 0 one of its actions'."""
    return ("recommendations", rec) if action < 0 else ("recommendations", rec, "actions", action)


def unknown_related(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP109: `related` names recommendations that exist.

    passes: `related: [LGA-c]` with LGA-c defined; fails: `related: [LGA-z]`.
    """
    ids = {ref.recommendation.id.casefold(): ref.recommendation.id for ref in plans.recommendations()}
    for ref in plans.recommendations():
        for i, other in enumerate(ref.recommendation.related):
            if other.casefold() not in ids:
                close = difflib.get_close_matches(other, list(ids.values()), n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else "; remove it or fix the id"
                yield ref.doc.problem(
                    (*ref.where, "related", i),
                    "error",
                    "YP109",
                    f"related recommendation {other!r} does not exist{hint}",
                )


def duplicate_source(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP110: each plan file answers its own source, so `--source` names one file.

    passes: HMIP in one file, LGA in another; fails: `source: {id: HMIP}` in two files.
    """
    seen: dict[str, str] = {}
    for doc in plans.plans:
        source_id = doc.model.source.id
        first = seen.setdefault(source_id.casefold(), doc.path)
        if first != doc.path:
            yield doc.problem(
                ("source", "id"),
                "error",
                "YP110",
                f"source {source_id!r} is already the source of {first}; give each report its own id",
            )


def malformed_id(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP111: ids are letters and digits joined by single `-`, `.` or `_`, so that they can be
    typed, matched and shown safely (no spaces, no control characters).

    passes: `id: HMIP-3.1`; fails: `id: HMIP 3.1`, `id: "HMIP-3\x1b[2J"`.
    """
    for doc in plans.plans:
        source_id = doc.model.source.id
        if not ID_PATTERN.fullmatch(source_id):
            yield doc.problem(("source", "id"), "error", "YP111", _malformed_id_message("source", source_id))
    for rec in plans.recommendations():
        if not ID_PATTERN.fullmatch(rec.recommendation.id):
            message = _malformed_id_message("recommendation", rec.recommendation.id)
            yield rec.doc.problem((*rec.where, "id"), "error", "YP111", message)
    for ref in plans.actions_where(lambda a: not ID_PATTERN.fullmatch(a.id)):
        yield ref.rec.doc.problem((*ref.where, "id"), "error", "YP111", _malformed_id_message("action", ref.action.id))


def _malformed_id_message(kind: str, item_id: str) -> str:
    return f"{kind} id {item_id!r} is not an id: use letters and digits joined by '-', '.' or '_', e.g. HMIP-3.1"


def action_id_outside_its_recommendation(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP112: an action's id starts with its recommendation's id and a dot, so that the id alone
    says where the action belongs.

    passes: HMIP-1.4 under HMIP-1; fails: HMIP-2.9 under HMIP-1.
    """
    for rec in plans.recommendations():
        rec_id = rec.recommendation.id
        if not ID_PATTERN.fullmatch(rec_id):
            continue  # YP111 says so
        prefix = rec_id.casefold() + "."
        for a, action in enumerate(rec.recommendation.actions):
            if action.id.casefold().startswith(prefix):
                continue  # the common case, decided without a regex
            ref = ActionRef(rec, a, action)
            action_id = action.id
            if ID_PATTERN.fullmatch(action_id) and not is_action_id_of(action_id, rec_id):
                yield rec.doc.problem(
                    (*ref.where, "id"),
                    "error",
                    "YP112",
                    f"action id {action_id!r} does not start with its recommendation's id {rec_id!r}: "
                    f"name it {rec_id}.<n>, or move it under the recommendation it belongs to",
                )


def malformed_owner_key(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP113: owner keys in owners.yaml are short slugs, so plans can name them safely.

    passes: `yot-manager:`; fails: `YOT Manager:`.
    """
    owners_doc = plans.owners_doc
    if owners_doc is None:
        return
    for key in plans.owners:
        if not OWNER_KEY_PATTERN.fullmatch(key):
            from yotplan.rules.personal_data import masked_personal_data

            # A key that is not a slug may be a child's details typed as a name: never quoted whole.
            shown = masked_personal_data(key)
            yield owners_doc.problem(
                ("owners", key),
                "error",
                "YP113",
                f"owner key {shown!r} is not a key: use letters, digits, '-', '_' or '.', e.g. yot-manager",
                at_key=True,
            )


def owner_named_as_a_person(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP206 (warning): an owner whose role reads as a person's name. Owners are roles: people
    move on, and a name is personal data (docs/domain.md).

    passes: `role: YOT Manager`; fails: `role: Sarah Jones`.
    """
    owners_doc = plans.owners_doc
    if owners_doc is None:
        return
    from yotplan.rules.owner_names import looks_like_person

    for key, owner in plans.owners.items():
        if looks_like_person(owner.role):
            yield owners_doc.problem(
                ("owners", key, "role"),
                "warning",
                "YP206",
                f"owner {key!r} reads as a person's name, not a role; name the role (e.g. YOT Manager) "
                "and keep people's names out of the plans",
            )


def unknown_meeting(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP114: a sign-off names a meeting of a board in boards.yaml, on or before today, on the
    closure's own date.

    passes: `closure: {meeting: yot-board@2023-03-14, date: 2023-03-14}` with that meeting in
    boards.yaml; fails: a board or a meeting boards.yaml does not have, or a meeting after today.
    """
    meetings = {meeting_id(key, m.date): m.date for key, board in plans.boards.items() for m in board.meetings}
    for ref in plans.recommendations():
        closure = ref.recommendation.closure
        if closure is None:
            continue
        where = (*ref.where, "closure", "meeting")
        rec_id = ref.recommendation.id
        held = meetings.get(closure.meeting)
        if held is None:
            close = difflib.get_close_matches(closure.meeting, list(meetings), n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "add the meeting with `yotplan add meeting BOARD --date YYYY-MM-DD`"
            )
            message = f"{rec_id} is signed off at {closure.meeting!r}, a meeting boards.yaml does not have ({hint})"
            yield ref.doc.problem(where, "error", "YP114", message)
        elif held > today:
            message = f"{rec_id} is signed off at {closure.meeting}, after today ({today}); sign off at a meeting held"
            yield ref.doc.problem(where, "error", "YP114", message)
        elif closure.date != held:
            message = f"{rec_id}'s closure is dated {closure.date}, not the date of its meeting {closure.meeting}"
            yield ref.doc.problem((*ref.where, "closure", "date"), "error", "YP114", message)


def board_problems(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP115: a board's key is a slug, its chair is an owner in owners.yaml, and no two of its
    meetings fall on one day (a meeting is named by its board and date).

    passes: `yot-board: {name: ..., chair: yot-board-chair}`; fails: `chair: the chair`.
    """
    doc = plans.boards_doc
    if doc is None:
        return
    for key, board in plans.boards.items():
        if not OWNER_KEY_PATTERN.fullmatch(key):
            message = f"board key {key!r} is not a key: use letters, digits, '-', '_' or '.', e.g. yot-board"
            yield doc.problem(("boards", key), "error", "YP115", message, at_key=True)
        if board.chair and plans.owners_doc is not None and board.chair not in plans.owners:
            message = f"the chair of board {key}: {_unknown_owner_message(board.chair, sorted(plans.owners))}"
            yield doc.problem(("boards", key, "chair"), "error", "YP115", message)
        seen: set[date] = set()
        for i, meeting in enumerate(board.meetings):
            if meeting.date in seen:
                message = f"{key} has two meetings on {meeting.date}; a meeting is named by its board and date"
                yield doc.problem(("boards", key, "meetings", i, "date"), "error", "YP115", message)
            seen.add(meeting.date)


def indicator_problems(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP116: indicators have ids of the id pattern, unique across the plans (and apart from
    recommendation and action ids), a target after the baseline, and no reading after today.

    passes: `id: HMIP-1-camhs-attendance`, baseline 2022-05-06, target 2023-03-31; fails: the same
    id twice, a target dated before its baseline, a reading dated next year.
    """
    if not any(rec.indicators for doc in plans.plans for rec in doc.model.recommendations):
        return
    taken = {rec.id.casefold() for doc in plans.plans for rec in doc.model.recommendations}
    taken |= {a.id.casefold() for doc in plans.plans for rec in doc.model.recommendations for a in rec.actions}
    seen: dict[str, str] = {}
    for ref in plans.recommendations():
        for i, indicator in enumerate(ref.recommendation.indicators):
            where = (*ref.where, "indicators", i)
            folded = indicator.id.casefold()
            if not ID_PATTERN.fullmatch(indicator.id):
                yield ref.doc.problem(
                    (*where, "id"), "error", "YP116", _malformed_id_message("indicator", indicator.id)
                )
            elif folded in taken or folded in seen:
                first = seen.get(folded, "a recommendation or action")
                message = f"indicator id {indicator.id!r} is already used by {first}; ids must be unique"
                yield ref.doc.problem((*where, "id"), "error", "YP116", message)
            seen.setdefault(folded, f"an indicator of {ref.recommendation.id}")
            baseline, target = indicator.baseline, indicator.target
            if baseline is not None and target.date <= baseline.date:
                message = (
                    f"indicator {indicator.id}'s target date {target.date} is not after its baseline date "
                    f"{baseline.date}"
                )
                yield ref.doc.problem((*where, "target", "date"), "error", "YP116", message)
            for j, reading in enumerate(indicator.readings):
                if reading.date > today:
                    message = (
                        f"indicator {indicator.id} has a reading dated {reading.date}, after today ({today}); "
                        "a reading records what was measured"
                    )
                    yield ref.doc.problem((*where, "readings", j, "date"), "error", "YP116", message)


def closed_without_evidence(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP117: a recommendation signed off without its impact shown says why (`closure.reason`),
    as `yotplan signoff --reason` writes it.

    passes: a closure of an impact-evidenced recommendation, or one with a reason; fails: a
    closure of a recommendation whose indicators have not met their targets, with no reason.
    """
    for ref in plans.recommendations():
        rec = ref.recommendation
        closure = rec.closure
        if closure is None or closure.reason or impact_shown(rec, closure.date):
            continue
        message = (
            f"{rec.id} is signed off at {closure.meeting} without its impact shown; "
            "add `reason:` to the closure saying why the board closed it"
        )
        yield ref.doc.problem((*ref.where, "closure"), "error", "YP117", message)


def overdue_action(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP201 (warning): an open action whose due date has passed.

    passes: `due: 2022-09-30, status: done`; fails: `due: 2022-09-30, status: in-progress` on 2022-10-01.
    """
    for ref in plans.actions():
        action = ref.action
        if is_overdue(action, today) and action.due is not None:
            days = (today - action.due).days
            yield ref.rec.doc.problem(
                (*ref.where, "due"),
                "warning",
                "YP201",
                f"action {action.id} is {days} day{'s' * (days != 1)} overdue (due {action.due}); "
                "finish it, or move `due:` with a reason (`yotplan update --due ... --reason ...`)",
            )


def stale_action(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP202 (warning): an open action not updated for more than 90 days. A not-started action
    with no updates at all is not stale; a started one (in-progress or blocked) is.

    passes: in-progress with an update 10 days ago; fails: in-progress, last update 120 days ago.
    """
    for ref in plans.actions():
        action = ref.action
        if not action.is_open:
            continue
        last = action.last_update
        if last is None and action.status == "not-started":
            continue
        if last is None:
            message = f"action {action.id} is {action.status} but has no updates; log progress with `yotplan log`"
        elif (today - last).days > STALE_DAYS:
            message = (
                f"action {action.id} has had no update for {(today - last).days} days (last {last}); "
                "log progress with `yotplan log`"
            )
        else:
            continue
        yield ref.rec.doc.problem(ref.where, "warning", "YP202", message)


def undated_action(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP204 (warning): an open action with no date: to be confirmed, or ongoing with nothing
    recorded for more than 90 days.

    passes: `undated: ongoing` with an update 10 days ago; fails: `undated: to-be-confirmed`.
    """
    for ref in plans.actions_where(lambda a: a.undated is not None and a.due is None and a.is_open):
        action = ref.action
        last = action.last_update
        if action.undated == "to-be-confirmed":
            message = f"action {action.id}'s date is to be confirmed; set it with `yotplan update {action.id} --due`"
        elif last is None or (today - last).days > ONGOING_QUIET_DAYS:
            since = "no update at all" if last is None else f"no update for {(today - last).days} days"
            message = f"action {action.id} is ongoing with {since}; log progress with `yotplan log`"
        else:
            continue
        yield ref.rec.doc.problem((*ref.where, "undated"), "warning", "YP204", message)


def action_to_review(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP205 (warning): an action holding `review:` notes, left by `import` where the sheet could
    not be read for sure; delete each note once a person has checked it.

    passes: no `review:` key; fails: `review: ["status: the sheet says 'see notes'"]`.
    """
    for ref in plans.actions_where(lambda a: bool(a.review)):
        for i, note in enumerate(ref.action.review):
            yield ref.rec.doc.problem(
                (*ref.where, "review", i),
                "warning",
                "YP205",
                f"action {ref.action.id} needs review: {note}; correct it, then delete this `review:` note",
            )


def indicator_worse_than_baseline(plans: PlanSet, today: date) -> Iterator[Problem]:
    """YP203 (warning): an indicator's latest reading is worse than its baseline. The reading
    stands (it is the truth); the warning asks the Board to look.

    passes: baseline 40 %, latest 55 % (higher is better); fails: baseline 40 %, latest 30 %.
    """
    for ref in plans.recommendations():
        for i, indicator in enumerate(ref.recommendation.indicators):
            status = indicator_status(indicator, today)
            if not status.worse_than_baseline or status.latest is None or indicator.baseline is None:
                continue
            j = indicator.readings.index(status.latest)
            latest, baseline = status.latest, indicator.baseline
            message = (
                f"indicator {indicator.id} is worse than its baseline: {with_unit(latest.value, indicator.unit)} "
                f"on {latest.date}, against {with_unit(baseline.value, indicator.unit)} on {baseline.date} "
                f"({indicator.better} is better)"
            )
            yield ref.doc.problem((*ref.where, "indicators", i, "readings", j, "value"), "warning", "YP203", message)


RULES: dict[str, Rule] = {
    "YP101": recommendation_without_owner,
    "YP102": recommendation_without_actions,
    "YP103": action_without_owner,
    "YP104": unknown_owner,
    "YP105": action_without_due_date,
    "YP106": done_without_completed,
    "YP107": completed_in_future,
    "YP108": duplicate_id,
    "YP109": unknown_related,
    "YP110": duplicate_source,
    "YP111": malformed_id,
    "YP112": action_id_outside_its_recommendation,
    "YP113": malformed_owner_key,
    "YP114": unknown_meeting,
    "YP115": board_problems,
    "YP116": indicator_problems,
    "YP117": closed_without_evidence,
    "YP201": overdue_action,
    "YP202": stale_action,
    "YP203": indicator_worse_than_baseline,
    "YP204": undated_action,
    "YP205": action_to_review,
    "YP206": owner_named_as_a_person,
}


WARNING_RULES = frozenset({"YP201", "YP202", "YP203", "YP204", "YP205", "YP206"})
"""Rules that find warnings: what `check` reports, and the commands that read plans leave out."""

NEEDS_EVERY_FILE = frozenset({"YP109"})
"""Rules that can only judge the whole set: when a plan file failed to load, the ids it holds
are unknown, and every `related` link to them would be reported as a second, false error."""


def check_plans(plans: PlanSet, today: date, *, every_file_loaded: bool = True, warnings: bool = True) -> list[Problem]:
    """Every rule's problems and the file checks' findings (`Document.findings`), in file and line
    order. Without `warnings`, only the rules that find errors run (the findings are kept)."""
    rules = [
        rule
        for code, rule in RULES.items()
        if (every_file_loaded or code not in NEEDS_EVERY_FILE) and (warnings or code not in WARNING_RULES)
    ]
    problems = [p for rule in rules for p in rule(plans, today)]
    problems += [p for doc in plans.documents for p in doc.findings]
    return sorted(problems, key=lambda p: p.sort_key)
