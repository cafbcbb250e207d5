"""How often each action's calendar event has changed, from git: iCalendar SEQUENCE and LAST-MODIFIED.

A calendar app (Outlook in particular) keeps the event it has when a re-imported one carries
the same UID and no higher SEQUENCE, so a moved due date must raise it. What an event shows of
an action is its due date, title, owner and status: SEQUENCE counts the commits that changed
any of them since the action was added, and LAST-MODIFIED is the (author) date of the last
such commit, else of the commit that added it, in UTC.

One `git log` for the plans folder and one `git cat-file` for the versions of its files, each
parsed once (as `item_history` walks history; a version that is the file as it is on disk is
not parsed at all), and each commit compared with its own parent, so commits of branches
merged into HEAD count once each. A commit that leaves a file unreadable is skipped for that
file; its change counts at the next commit that makes it readable, compared with its last
readable version.

The plans on disk are compared with HEAD: an action whose shown fields differ from HEAD's has
SEQUENCE one more than its history, and an action never committed has 0; both have
LAST-MODIFIED `today` at midnight UTC (or the last commit's date, if that is later), so the
calendar stays byte-stable for a given tree and date. Outside git, in a shallow clone (its
history cut off, so the counts would be wrong) or when git fails, there is no history: every
action gets 0 and `today` at midnight, and `warning` says why unless it is simply not in git.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from yotplan.errors import GitError, NotAGitRepo
from yotplan.history.compare import file_name
from yotplan.history.git import GitRepo, is_shallow, log_plan_changes, open_repo, plan_blobs
from yotplan.plans.loader import NO_CACHE, LoadSettings, is_plan_file_name

if TYPE_CHECKING:
    from collections.abc import Sequence

    from yotplan.plans.models import Action
    from yotplan.plans.planset import Document, PlanSet

Shown = tuple[str | None, str, str | None, str]
"""What a calendar event shows of an action: due date, title (spaces as shown), owner, status."""

Revision = tuple[int, datetime]
"""(SEQUENCE, LAST-MODIFIED in UTC) of one action's event."""

SHALLOW_WARNING = (
    "the plans' repository is a shallow clone, so how often each due date moved cannot be counted: "
    "calendar events have SEQUENCE 0 and may not update in Outlook; run `git fetch --unshallow` "
    "(in GitHub Actions: `fetch-depth: 0` for actions/checkout)"
)


@dataclass(frozen=True, slots=True)
class EventRevisions:
    """SEQUENCE and LAST-MODIFIED per action id, for every action of the plans given."""

    by_action: dict[str, Revision] = field(default_factory=dict)
    warning: str | None = None
    """Why there is no history (a shallow clone, git failing); None when there is, or outside git."""


def shown(action: Action) -> Shown:
    return (action.due.isoformat() if action.due else None, " ".join(action.title.split()), action.owner, action.status)


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def services_event_revisions(
    plan_sets: Sequence[PlanSet], today: date, settings: LoadSettings = NO_CACHE
) -> tuple[dict[tuple[str, str], Revision], list[str]]:
    """`event_revisions` of every service's plans folder, keyed by (service, action id), and the
    warnings (one per folder without a countable history)."""
    revisions: dict[tuple[str, str], Revision] = {}
    warnings: list[str] = []
    for plans in plan_sets:
        found = event_revisions(Path(plans.root), plans, today, settings)
        warnings.extend([found.warning] if found.warning else [])
        revisions.update({(plans.service, action_id): value for action_id, value in found.by_action.items()})
    return revisions, warnings


def event_revisions(folder: Path, plans: PlanSet, today: date, settings: LoadSettings = NO_CACHE) -> EventRevisions:
    """SEQUENCE and LAST-MODIFIED of each action in `plans` (the plans folder `folder` as read
    from disk), from the folder's git history. Never raises for git: see the module's docstring."""
    fallback = {ref.action.id: (0, midnight(today)) for ref in plans.actions()}
    try:
        repo = open_repo(folder)
        if is_shallow(repo):
            return EventRevisions(fallback, SHALLOW_WARNING)
        history = _walk(repo, _on_disk(folder, plans), settings)
    except NotAGitRepo:
        return EventRevisions(fallback)
    except GitError as exc:
        return EventRevisions(fallback, f"{exc}; calendar events have SEQUENCE 0")
    uncommitted = max(midnight(today), history.latest or midnight(today))
    by_action: dict[str, Revision] = {}
    for ref in plans.actions():
        action_id = ref.action.id
        committed = history.at_head.get(action_id, history.last_seen.get(action_id))
        count = history.counts.get(action_id, 0)
        if committed is None:  # never committed
            by_action[action_id] = (0, midnight(today))
        elif shown(ref.action) != committed:  # changed in the working tree
            by_action[action_id] = (count + 1, uncommitted)
        else:
            by_action[action_id] = (count, history.last_changed.get(action_id, uncommitted))
    return EventRevisions(by_action)


@dataclass(slots=True)
class _History:
    counts: dict[str, int] = field(default_factory=dict)
    """Per action id, the commits that changed what its event shows since it was added."""
    last_changed: dict[str, datetime] = field(default_factory=dict)
    """The date of the last of them, else of the commit that added the action."""
    last_seen: dict[str, Shown] = field(default_factory=dict)
    """What the last commit that had the action showed (for one that HEAD no longer has)."""
    at_head: dict[str, Shown] = field(default_factory=dict)
    latest: datetime | None = None
    """The date of the newest commit that changed the plans."""


def _on_disk(folder: Path, plans: PlanSet) -> dict[str, dict[str, Shown]]:
    """What each plan file on disk shows, by its git blob id: a version in history that is the
    file as it is now (usually HEAD's) is not parsed again."""
    found: dict[str, dict[str, Shown]] = {}
    for doc in plans.plans:
        try:
            raw = (folder / file_name(doc)).read_bytes()
        except OSError:
            continue
        found[hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()] = _shown_by_id([doc])
    return found


def _walk(repo: GitRepo, known: dict[str, dict[str, Shown]], settings: LoadSettings) -> _History:
    history = _History()
    log = [(c, [f for f in files if is_plan_file_name(f.name)]) for c, files in log_plan_changes(repo)]
    blobs = {b for _, files in log for f in files for b in (f.old_blob, f.new_blob) if b}
    shown_in: dict[str, dict[str, Shown] | None] = {b: known[b] for b in blobs if b in known}  # None: unreadable
    if blobs - shown_in.keys():
        # Reading plans at a revision needs the YAML parser and the models' validation, which a
        # run served from the cache never loads: only when a version differs from the disk.
        from yotplan.history.revisions import RevisionReader

        reader = RevisionReader(repo, settings)
        reader.parse(sorted(blobs - shown_in.keys()))
        for blob in blobs - shown_in.keys():
            docs = reader.documents([("plan.yaml", blob)], "")[0]
            shown_in[blob] = _shown_by_id(docs) if docs else None

    def shown_by_id(files: list[tuple[str, str]]) -> dict[str, Shown]:
        found: dict[str, Shown] = {}
        for _, blob in sorted(files):
            for action_id, now in (shown_in.get(blob) or {}).items():
                found.setdefault(action_id, now)
        return found

    last_readable: dict[str, str] = {}  # file name -> blob
    for commit, files in log:
        old_files, new_files = [], []
        for file in files:
            if file.new_blob and shown_in[file.new_blob] is None:
                continue  # unreadable: compared at the next commit that makes it readable
            old_blob = file.old_blob
            if old_blob and shown_in[old_blob] is None:
                old_blob = last_readable.get(file.name)
            if old_blob:
                old_files.append((file.name, old_blob))
            if file.new_blob:
                new_files.append((file.name, file.new_blob))
                last_readable[file.name] = file.new_blob
        when = datetime.fromisoformat(commit.date).astimezone(UTC)
        history.latest = max(history.latest or when, when)
        old = shown_by_id(old_files)
        for action_id, now in shown_by_id(new_files).items():
            before = old.get(action_id, history.last_seen.get(action_id))
            if before is None:  # added
                history.counts[action_id] = 0
                history.last_changed[action_id] = when
            elif now != before:
                history.counts[action_id] = history.counts.get(action_id, 0) + 1
                history.last_changed[action_id] = when
            history.last_seen[action_id] = now
    if log:
        head = [(name, blob) for name, blob in plan_blobs(repo, "HEAD") if is_plan_file_name(name)]
        history.at_head = shown_by_id([(name, blob) for name, blob in head if blob in shown_in])
    return history


def _shown_by_id(docs: list[Document]) -> dict[str, Shown]:
    found: dict[str, Shown] = {}
    for doc in docs:
        if doc.model is None:
            continue
        for rec in doc.model.recommendations:
            for action in rec.actions:
                found.setdefault(action.id, shown(action))
    return found
