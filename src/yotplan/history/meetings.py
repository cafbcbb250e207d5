"""The plans as they stood at board meetings: direction of travel, from git.

A Board asks what moved since it last met. The plans as committed on a meeting's day are the
plans at the last commit that changed the plans folder at or before the end of that day (its
committer date, in the machine's time zone); each recommendation's RAG and stage are judged
as on that day. One `git log` finds the commit of every meeting, one `git cat-file` reads
their trees and one their files; a file whose bytes the plan cache has is not parsed again.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from yotplan.errors import GitError
from yotplan.plans.loader import NO_CACHE, LoadSettings, is_plan_file_name
from yotplan.plans.models import PlanFile
from yotplan.plans.planset import PlanSet, find_board, find_meeting, meeting_id
from yotplan.problems import Problem
from yotplan.rules.impact import Stage, recommendation_stage
from yotplan.rules.rag import Rag, recommendation_rag

if TYPE_CHECKING:
    from collections.abc import Sequence

    from yotplan.history.git import GitRepo
    from yotplan.history.revisions import Comparison

# git and the revisions are imported where they are used: `status` asks `previous_states` on
# every run, and most runs have no board meeting behind them to read from git.


@dataclass(frozen=True, slots=True)
class MeetingState:
    """Each recommendation's RAG and stage at one meeting (keyed by the id, case-folded)."""

    meeting: str
    """`BOARD@YYYY-MM-DD`."""
    day: date
    commit: str | None
    """The commit the plans stood at; None when no commit had the plans folder by then."""
    states: dict[str, tuple[Rag, Stage]] = field(default_factory=dict)

    def rag_counts(self, rags: tuple[Rag, ...]) -> dict[Rag, int]:
        counts = dict.fromkeys(rags, 0)
        for rag, _ in self.states.values():
            counts[rag] += 1
        return counts


TREND_MEETINGS = 12
"""Meetings in a report's trend: the one reported on and up to 11 before it."""


@dataclass(frozen=True, slots=True)
class MeetingHistory:
    """A meeting and how the plans stood at it and at the board's meetings before it."""

    meeting: str
    day: date
    board: str
    board_name: str
    states: list[MeetingState]
    """Up to TREND_MEETINGS, oldest first; the last is the meeting itself."""
    note: str | None = None
    """Why the earlier meetings could not be read from git, if they could not."""

    @property
    def previous(self) -> MeetingState | None:
        """The board's meeting before this one, when there was one."""
        return self.states[-2] if len(self.states) > 1 else None

    @property
    def commit(self) -> str | None:
        """The commit the plans stood at on the meeting's day, for a meeting already held; None
        when the plans at hand are the meeting's (it is today or ahead, or there is no history)."""
        return self.states[-1].commit


def meeting_history(plans: PlanSet, meeting: str, today: date, settings: LoadSettings = NO_CACHE) -> MeetingHistory:
    """The meeting `BOARD@YYYY-MM-DD` (any case) and the board's meetings before it, from the git
    history of the plans folder. A meeting held before `today` is the plans as last committed
    on its day, like the earlier ones; a meeting today or ahead is `plans`, the files at hand.
    Raises UnknownId for a meeting boards.yaml does not have.
    """
    board, day = find_meeting(plans.boards, meeting)
    name = meeting_id(board, day)
    held = sorted(m.date for m in plans.boards[board].meetings if m.date < day)[-(TREND_MEETINGS - 1) :]
    from_git = [*held, day] if day < today else held
    note = None
    states: list[MeetingState] = []
    if from_git:
        try:
            states = states_at_meetings(Path(plans.root), [(meeting_id(board, d), d) for d in from_git], settings)
        except GitError as exc:  # not a repository, or git missing: no history, and say so
            note = f"the plans at {board}'s meetings come from git history, which is not there: {exc}"
    if len(states) < len(held) + 1 or states[-1].commit is None:
        states = [*states[: len(held)], state_now(plans, name, day)]
    return MeetingHistory(name, day, board, plans.boards[board].name, states, note)


@dataclass(frozen=True, slots=True)
class MeetingPaper:
    """What the report for a meeting is made of."""

    plans: PlanSet
    """The plans as they stood at the meeting (held), or the files at hand (today or ahead)."""
    history: MeetingHistory
    changes: Comparison | None
    """Since the board's previous meeting, labelled with the two meetings; None without one."""
    problems: list[Problem]
    """Files that could not be read at either meeting's commit."""


def for_meeting(plans: PlanSet, meeting: str, today: date, settings: LoadSettings = NO_CACHE) -> MeetingPaper:
    """The report's plans for a meeting, the plans at the board's meetings up to it, and the
    changes since the previous one. A meeting already held is the plans as they stood on its
    day (as last committed then); a meeting today or ahead, the files at hand."""
    from yotplan.history.revisions import Side, compare_revisions, plans_at

    history = meeting_history(plans, meeting, today, settings)
    folder = Path(plans.root)
    problems: list[Problem] = []
    if history.commit is not None:
        plans, problems = plans_at(folder, history.commit, plans, settings)
    previous = history.previous
    if previous is None or previous.commit is None:
        return MeetingPaper(plans, history, None, problems)
    changes = compare_revisions(folder, previous.commit, history.commit, plans=plans, settings=settings)
    base = Side(previous.meeting, changes.base.commit, changes.base.short, changes.base.day)
    target = (
        changes.target
        if history.commit is None
        else Side(history.meeting, history.commit, changes.target.short, changes.target.day)
    )
    changes = dataclasses.replace(changes, base=base, target=target)
    return MeetingPaper(plans, history, changes, problems + changes.problems)


def state_now(plans: PlanSet, meeting: str, day: date) -> MeetingState:
    """Each recommendation's RAG and stage in `plans`, judged on `day`."""
    states: dict[str, tuple[Rag, Stage]] = {}
    for ref in plans.recommendations():
        rec = ref.recommendation
        states[rec.id.casefold()] = (recommendation_rag(rec, day), recommendation_stage(rec, day))
    return MeetingState(meeting, day, None, states)


def meetings_before(plans: PlanSet, today: date, board: str | None = None) -> list[tuple[str, date]]:
    """The (meeting id, day) of a board's meetings held before `today`, oldest first: `board`'s
    (any case), else the board with the latest such meeting. Raises UnknownId for a board that
    boards.yaml does not have."""
    held = plans.meetings_held(before=today)
    if board is not None:
        chosen = find_board(plans.boards, board)
        held = [(day, key) for day, key in held if key == chosen]
    if not held:
        return []
    latest_board = held[-1][1]
    return [(meeting_id(key, day), day) for day, key in held if key == latest_board]


def previous_meeting_state(
    plans: PlanSet, today: date, board: str | None = None, settings: LoadSettings = NO_CACHE
) -> MeetingState | None:
    """The plans as they stood at the board's last meeting before `today` (see `meetings_before`),
    or None when there is none, or no git history to read it from."""
    meetings = meetings_before(plans, today, board)
    if not meetings:
        return None
    try:
        return states_at_meetings(Path(plans.root), meetings[-1:], settings)[0]
    except GitError:
        return None


def previous_states(
    plan_sets: Sequence[PlanSet], today: date, board: str | None = None, settings: LoadSettings = NO_CACHE
) -> dict[str, MeetingState]:
    """Each service's state at its board's last meeting before `today` (`board`'s, when given),
    by service; services without such a meeting, or without git history, are left out. Git is
    read only when some board has met. Raises UnknownId when `board` is no service's board."""
    if board is None and not any(plans.meetings_held(before=today) for plans in plan_sets):
        return {}
    previous = {}
    for plans in plan_sets:
        state = previous_meeting_state(plans, today, board, settings)
        if state is not None:
            previous[plans.service] = state
    return previous


def states_at_meetings(
    folder: Path, meetings: list[tuple[str, date]], settings: LoadSettings = NO_CACHE
) -> list[MeetingState]:
    """The plans' state at each (meeting id, day), from the git history of `folder`.

    Raises NotAGitRepo or GitError (git missing, a broken repository): callers outside git show
    no direction of travel.
    """
    from yotplan.history.git import open_repo
    from yotplan.history.revisions import RevisionReader

    repo = open_repo(folder)
    commits = _commits_by_time(repo)
    times = [when for when, _ in commits]
    chosen: list[str | None] = []
    for _, day in meetings:
        end_of_day = datetime.combine(day, time(23, 59, 59)).astimezone().timestamp()
        at = bisect_right(times, end_of_day)
        chosen.append(commits[at - 1][1] if at else None)
    trees = _plan_files_at(repo, {c for c in chosen if c is not None})
    reader = RevisionReader(repo, settings)
    reader.parse([blob for files in trees.values() for _, blob in files])
    result = []
    for (meeting, day), commit in zip(meetings, chosen, strict=True):
        states: dict[str, tuple[Rag, Stage]] = {}
        if commit is not None:
            docs, _, _ = reader.documents(trees[commit], commit[:12])
            for doc in docs:
                plan: PlanFile = doc.model
                for rec in plan.recommendations:
                    states[rec.id.casefold()] = (recommendation_rag(rec, day), recommendation_stage(rec, day))
        result.append(MeetingState(meeting, day, commit, states))
    return result


def _commits_by_time(repo: GitRepo) -> list[tuple[float, str]]:
    """(committer time, hash) of each commit reachable from HEAD that changed the plans folder,
    oldest first. Empty in a repository with no commits."""
    from yotplan.history.git import READ_OPTIONS, git

    try:
        out = git(repo, "log", *READ_OPTIONS, "--format=%ct %H", "HEAD", "--", repo.folder or ".")
    except GitError:
        return []  # no HEAD yet
    commits = []
    for line in out.decode("ascii", "replace").splitlines():
        stamp, _, commit = line.partition(" ")
        try:
            when = float(stamp)
        except ValueError:
            when = 0.0  # a hand-made commit whose date git cannot read: as old as can be
        commits.append((when, commit))
    return sorted(commits)


def _plan_files_at(repo: GitRepo, commits: set[str]) -> dict[str, list[tuple[str, str]]]:
    """(file name, blob) of the plan files in the plans folder at each commit, by one git process."""
    if not commits:
        return {}
    ordered = sorted(commits)
    spec = "".join(f"{c}:{repo.folder}\n" if repo.folder else f"{c}:\n" for c in ordered)
    from yotplan.history.git import git

    out = git(repo, "cat-file", "--batch", input=spec.encode("ascii"))
    found: dict[str, list[tuple[str, str]]] = {}
    pos = 0
    for commit in ordered:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3 or header[1] != b"tree":  # "missing": the folder did not exist yet
            found[commit] = []
            continue
        size = int(header[2])
        found[commit] = _tree_entries(out[pos : pos + size])
        pos += size + 1
    return found


def _tree_entries(tree: bytes) -> list[tuple[str, str]]:
    """The plan files of a raw git tree object: entries `<mode> <name>\\0<20-byte id>`."""
    entries = []
    pos = 0
    while pos < len(tree):
        space = tree.index(b" ", pos)
        nul = tree.index(b"\0", space)
        mode = tree[pos:space]
        name = tree[space + 1 : nul].decode("utf-8", "surrogateescape")
        blob = tree[nul + 1 : nul + 21].hex()
        pos = nul + 21
        if not mode.startswith(b"4") and is_plan_file_name(name):  # 40000 is a folder
            entries.append((name, blob))
    return sorted(entries)
