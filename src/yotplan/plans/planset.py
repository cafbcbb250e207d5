"""A loaded set of plans: the models, where they came from, and a way back to file positions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yotplan.errors import UnknownId
from yotplan.plans.models import Action, Board, BoardsFile, Owner, OwnersFile, PlanFile, Recommendation
from yotplan.problems import Problem, Severity

Path_ = tuple[str | int, ...]


class Document:
    """One file as read: its display path, its marked YAML data and its model.

    A document served from the cache (`Document.lazy`) has its model at once and reads its
    data (parsing the file's bytes again) only when something asks for it, which is usually
    a problem that needs a line number.
    """

    __slots__ = ("_data", "_read_data", "findings", "model", "path")

    def __init__(self, path: str, data: Any, model: Any) -> None:
        self.path = path
        self._data = data
        self.model = model
        self._read_data: Callable[[], Any] | None = None
        self.findings: list[Problem] = []
        """Problems that the file checks (`loader.FileChecks`) found in this file alone."""

    @classmethod
    def lazy(cls, path: str, model: Any, read_data: Callable[[], Any]) -> Document:
        doc = cls(path, None, model)
        doc._read_data = read_data
        return doc

    @property
    def data(self) -> Any:
        if self._read_data is not None:
            self._data, self._read_data = self._read_data(), None
        return self._data

    @data.setter
    def data(self, value: Any) -> None:
        self._data, self._read_data = value, None

    def at(self, path: str) -> Document:
        """The same file's document shown under another path (a revision's `REV:folder/name`),
        still parsing it only if something asks for a position."""
        doc = Document(path, self._data, self.model)
        doc._read_data = self._read_data
        doc.findings = self.findings
        return doc

    def __repr__(self) -> str:  # never forces a lazy document to parse its file
        return f"Document(path={self.path!r})"

    def problem(self, where: Path_, severity: Severity, code: str, message: str, *, at_key: bool = False) -> Problem:
        from yotplan.plans.strict_yaml import (
            locate,  # PyYAML is not imported at all when every file came from the cache
        )

        line, col = locate(self.data, where, at_key=at_key)
        return Problem(self.path, line, col, severity, code, message)


@dataclass(frozen=True, slots=True)
class RecommendationRef:
    doc: Document
    index: int
    recommendation: Recommendation

    @property
    def where(self) -> Path_:
        return ("recommendations", self.index)

    @property
    def source_id(self) -> str:
        return str(self.doc.model.source.id)


@dataclass(frozen=True, slots=True)
class ActionRef:
    rec: RecommendationRef
    index: int
    action: Action

    @property
    def where(self) -> Path_:
        return (*self.rec.where, "actions", self.index)


@dataclass(slots=True)
class PlanSet:
    """Every plan file of one plans folder (one service), with its owners and boards."""

    root: str
    plans: list[Document] = field(default_factory=list)
    owners_doc: Document | None = None
    boards_doc: Document | None = None
    service: str = ""
    """The service's id: from service.yaml, else the name of the folder that holds the plans folder."""
    service_name: str = ""
    region: str | None = None
    service_doc: Document | None = None

    @property
    def owners(self) -> dict[str, Owner]:
        if self.owners_doc is None:
            return {}
        model: OwnersFile = self.owners_doc.model
        return model.owners

    @property
    def boards(self) -> dict[str, Board]:
        if self.boards_doc is None:
            return {}
        model: BoardsFile = self.boards_doc.model
        return model.boards

    def meetings_held(self, before: date) -> list[tuple[date, str]]:
        """(day, board key) of every board's meetings held before `before`, oldest first."""
        return sorted((m.date, key) for key, board in self.boards.items() for m in board.meetings if m.date < before)

    @property
    def documents(self) -> list[Document]:
        """Every loaded file: owners, boards, service, then the plan files."""
        return [doc for doc in (self.owners_doc, self.boards_doc, self.service_doc) if doc is not None] + self.plans

    def recommendations(self) -> Iterator[RecommendationRef]:
        for doc in self.plans:
            plan: PlanFile = doc.model
            for i, rec in enumerate(plan.recommendations):
                yield RecommendationRef(doc, i, rec)

    def actions(self) -> Iterator[ActionRef]:
        for rec in self.recommendations():
            for i, action in enumerate(rec.recommendation.actions):
                yield ActionRef(rec, i, action)

    def actions_where(self, test: Callable[[Action], bool]) -> Iterator[ActionRef]:
        """The actions for which `test` holds. A rule looks at every action and reports a few:
        only those get a ref (10,000 refs cost a rule 4 ms)."""
        for doc in self.plans:
            plan: PlanFile = doc.model
            for i, rec in enumerate(plan.recommendations):
                for j, action in enumerate(rec.actions):
                    if test(action):
                        yield ActionRef(RecommendationRef(doc, i, rec), j, action)

    def actions_of(self, rec: RecommendationRef) -> list[ActionRef]:
        return [ActionRef(rec, i, a) for i, a in enumerate(rec.recommendation.actions)]


def find_board(boards: dict[str, Board], key: str) -> str:
    """The key of the board `key` names (any case). Raises UnknownId naming the closest one."""
    for known in boards:
        if known.casefold() == key.strip().casefold():
            return known
    import difflib

    close = difflib.get_close_matches(key, list(boards), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(boards)) or 'none'}"
    raise UnknownId(f"no board {key!r} in boards.yaml ({hint})")


def meeting_id(board: str, day: date) -> str:
    """A meeting's id, as sign-offs and `--meeting` name it: `BOARD@YYYY-MM-DD`."""
    return f"{board}@{day.isoformat()}"


def parse_meeting_id(meeting: str) -> tuple[str, date] | None:
    """The board key (as written) and day of `BOARD@YYYY-MM-DD`, or None when it is not one."""
    key, at, day_text = meeting.strip().partition("@")
    try:
        return (key, date.fromisoformat(day_text)) if at and len(day_text) == 10 else None
    except ValueError:
        return None


def find_meeting(boards: dict[str, Board], meeting: str) -> tuple[str, date]:
    """The board key and day of a meeting id `BOARD@YYYY-MM-DD` that boards.yaml has.

    Raises UnknownId: not a meeting id, no such board, or no meeting of it that day.
    """
    parsed = parse_meeting_id(meeting)
    if parsed is None:
        raise UnknownId(f"{meeting!r} is not a meeting id: write BOARD@YYYY-MM-DD, e.g. yot-board@2023-03-14")
    key, day = parsed
    board = find_board(boards, key)
    dates = sorted(m.date for m in boards[board].meetings)
    if day not in dates:
        known = ", ".join(d.isoformat() for d in dates) or "none"
        raise UnknownId(
            f"{board} has no meeting on {day} in boards.yaml (its meetings: {known}); "
            f"add it with `yotplan add meeting {board} --date {day}`"
        )
    return board, day
