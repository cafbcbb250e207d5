"""One edit of a plans folder from start to finish: lock, load, change, validate, write.

    with EditSession(Path("plans"), today) as session:
        tree = session.editable(doc).data   # change it with yotplan.edit.roundtrip's helpers
        session.commit()                    # validates the whole plan set, then writes

Nothing is written unless the plan set as it would be after the edit has no error that
it did not have before. Errors already in the plans (in any file, including a file that
does not load at all) do not block an edit that leaves them as they were: an edit that
fixes one problem must not be refused because of another. Problems are compared by file,
code and message (line numbers in messages ignored, as an edit shifts lines); warnings
never block.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Self

from yotplan.edit.locking import LOCK_TIMEOUT, plans_lock
from yotplan.edit.roundtrip import EditError, RoundTripDocument
from yotplan.edit.safe_write import digest, read_settled, remove_stale_temp_files, replace_file
from yotplan.errors import EditRefused, EditWouldBreakPlans, FileChangedOnDisk
from yotplan.plans.links import leads_outside
from yotplan.plans.loader import NO_CACHE, LoadSettings, display_path, load_plans
from yotplan.plans.models import BoardsFile, Model, OwnersFile, PlanFile
from yotplan.plans.planset import Document, PlanSet
from yotplan.plans.strict_yaml import YamlProblem, parse_yaml
from yotplan.plans.validation import validate_document
from yotplan.problems import Problem
from yotplan.rules.file_checks import PERSONAL_DATA_CHECKS
from yotplan.rules.plan_rules import check_plans

_LINE_REF = re.compile(r"(\.ya?ml):\d+")


@dataclass
class _OpenFile:
    doc: Document
    path: Path
    raw: bytes
    editable: RoundTripDocument


class EditSession:
    """The plans folder `root`, locked and loaded, ready for one file's edit."""

    def __init__(
        self,
        root: Path,
        today: date,
        *,
        settings: LoadSettings = NO_CACHE,
        lock_timeout: float = LOCK_TIMEOUT,
        on_wait: Callable[[str], None] | None = None,
        lock_held: bool = False,
    ) -> None:
        self.root = root
        self.today = today
        self._settings = settings
        self._lock_held = lock_held  # the caller holds the folder's lock already (`session_for_item`)
        self._lock_timeout = lock_timeout
        self._on_wait = on_wait
        self._stack = ExitStack()
        self._locked = False
        self._open: dict[str, _OpenFile] = {}
        self.plans = PlanSet(display_path(root))
        self.load_problems: list[Problem] = []
        self.notes: list[str] = []
        """What the reading said about itself (a cache refused): the CLI shows them."""
        self.created: list[str] = []
        """New files an edit made itself (a new plan file, a first boards.yaml): written too."""
        self.new_warnings: list[Problem] = []
        """Warnings the written edit brought (text that looks like personal data): the CLI shows them."""

    def __enter__(self) -> Self:
        shown = display_path(self.root)
        if not self.root.is_dir():
            what = "not a folder" if self.root.exists() else "no such folder"
            raise EditRefused(f"{shown}: {what}; pass --plans DIR (or set YOTPLAN_PLANS), or run `yotplan init`")
        self._locked = self._lock_held or self._stack.enter_context(
            plans_lock(self.root, timeout=self._lock_timeout, shown=shown, on_wait=self._on_wait)
        )
        try:
            result = load_plans(self.root, settings=self._settings, checks=PERSONAL_DATA_CHECKS)
        except BaseException:
            self._stack.close()
            raise
        self.plans = result.plans
        self.load_problems = result.problems
        self.notes = result.notes
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stack.close()

    def editable(self, doc: Document) -> RoundTripDocument:
        """The round-trip tree of a loaded document's file, read now and checked against the load."""
        opened = self._open.get(doc.path)
        if opened is not None:
            return opened.editable
        path = Path(doc.path)
        outside = leads_outside(path)  # loading refused it already; a link swapped in since is refused too
        if outside is not None:
            raise EditRefused(f"{doc.path}: not edited: {outside}")
        raw = read_settled(path, doc.path)
        if not _same_as_loaded(raw, doc):
            raise FileChangedOnDisk(f"{doc.path} changed on disk while it was being read; run the command again")
        try:
            editable = RoundTripDocument(raw)
        except EditError as exc:
            raise EditRefused(f"{doc.path}: cannot be edited safely: {exc}") from None
        self._open[doc.path] = _OpenFile(doc, path, raw, editable)
        return editable

    def checkpoint(self, doc: Document) -> Callable[[], None]:
        """An undo for one file: calling it puts the file's tree back as it is now, so that one
        part of a larger edit (a row of `apply-updates`) can be taken back alone."""
        editable = self.editable(doc)
        saved = copy.deepcopy(editable.data)

        def undo() -> None:
            editable.data = saved

        return undo

    def changes(self) -> dict[str, tuple[str, str]]:
        """{path: (text as read, text as it would be written)} of every file the edit changes."""
        changed = {}
        for shown, opened in self._open.items():
            text = opened.editable.render()
            if text != opened.editable.original:
                changed[shown] = (opened.editable.original, text)
        return changed

    def validate(self) -> None:
        """Raise EditWouldBreakPlans when the changes so far add an error; writes nothing."""
        texts = {shown: new for shown, (_, new) in self.changes().items()}
        if texts:
            self._refuse_new_errors(texts)

    def commit(self) -> list[str]:
        """Validate the plans as they would be and write the changed files; returns their paths.

        Raises EditWouldBreakPlans (nothing written) when the edit adds errors.
        """
        changed: dict[str, tuple[_OpenFile, str]] = {}
        for shown, (_, text) in self.changes().items():
            changed[shown] = (self._open[shown], text)
        if not changed:
            return []
        self._refuse_new_errors({shown: text for shown, (_, text) in changed.items()})
        for shown, (opened, text) in changed.items():
            if self._locked:  # no other edit can be writing one now
                remove_stale_temp_files(opened.path)
            replace_file(opened.path, opened.editable.encode(text), expected_digest=digest(opened.raw), shown=shown)
        return list(changed)

    def _refuse_new_errors(self, texts: dict[str, str]) -> None:
        before = [*self.load_problems, *check_plans(self.plans, self.today)]
        after_set = dataclasses.replace(self.plans, plans=list(self.plans.plans))
        after_load = [p for p in self.load_problems if p.path not in texts]
        for shown, text in texts.items():
            old = self._open[shown].doc
            kind = (
                "owners_doc" if old is self.plans.owners_doc else "boards_doc" if old is self.plans.boards_doc else ""
            )
            new, problems = _document_from_text(shown, text, _MODELS[kind])
            after_load.extend(problems)
            if kind:
                setattr(after_set, kind, new)
            else:
                index = next(i for i, doc in enumerate(after_set.plans) if doc is old)
                if new is None:
                    del after_set.plans[index]
                else:
                    after_set.plans[index] = new
        after = [*after_load, *check_plans(after_set, self.today)]
        self.new_warnings = [p for p in _new_problems(before, after, "warning") if p.code.startswith("YP3")]
        new_errors = _new_problems(before, after, "error")
        if new_errors:
            # The edited file's own problems first: they are the cause of any in other files.
            raise EditWouldBreakPlans(sorted(new_errors, key=lambda p: (p.path not in texts, p.sort_key)))


@contextmanager
def session_for_item(
    folders: Sequence[Path],
    item_id: str,
    today: date,
    *,
    settings: LoadSettings = NO_CACHE,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[tuple[EditSession, str]]:
    """The edit session of the plans folder that holds `item_id`, and the id without its
    `SERVICE:` prefix.

    With one folder (the usual case) that is the folder. With several, the one whose service
    holds the item (`SERVICE:ID` when more than one does: `views.queries.find_in_services`);
    every folder is locked first, in one order (so two edits never wait on each other), and only
    then read, so the item is found, as well as changed, under the lock.
    """
    if len(folders) == 1 and ":" not in item_id:
        with EditSession(folders[0], today, settings=settings, on_wait=on_wait) as session:
            yield session, item_id
        return
    from yotplan.views.queries import find_in_services

    with ExitStack() as locks:
        for folder in sorted(dict.fromkeys(f for f in folders if f.is_dir()), key=lambda f: str(f.absolute())):
            locks.enter_context(plans_lock(folder, shown=display_path(folder), on_wait=on_wait))
        sets = [load_plans(folder, settings=settings).plans for folder in folders]
        plans, _ = find_in_services(sets, item_id)
        chosen = next(folder for folder, found in zip(folders, sets, strict=True) if found is plans)
        with EditSession(chosen, today, settings=settings, lock_held=True) as session:
            yield session, item_id.rpartition(":")[2]


_MODELS: dict[str, type[Model]] = {"owners_doc": OwnersFile, "boards_doc": BoardsFile, "": PlanFile}
"""What an edited file is read as, by the PlanSet attribute that holds it ("" for a plan file)."""


def _same_as_loaded(raw: bytes, doc: Document) -> bool:
    try:
        return bool(parse_yaml(raw.decode("utf-8-sig")) == doc.data)
    except (UnicodeDecodeError, YamlProblem):
        return False


def _document_from_text(shown: str, text: str, model: type[Model]) -> tuple[Document | None, list[Problem]]:
    """A file's would-be text parsed and validated as the loader would do it."""
    try:
        data = parse_yaml(text)
    except YamlProblem as exc:
        return None, [Problem(shown, exc.line, exc.col, "error", exc.code, exc.message)]
    if data is None:
        return None, [Problem(shown, 1, 1, "error", "YP007", "file is empty")]
    doc = Document(shown, data, None)
    problems = validate_document(doc, model)
    if problems:
        return None, problems
    doc.findings = [replace(p, path=shown) for p in PERSONAL_DATA_CHECKS.check(doc, text)]
    return doc, []


def _key(problem: Problem) -> tuple[str, str, str]:
    return (problem.path, problem.code, _LINE_REF.sub(r"\1", problem.message))


def _new_problems(before: list[Problem], after: list[Problem], severity: str) -> list[Problem]:
    """The problems of `severity` in `after` that `before` did not have (as a multiset: a second
    copy is new)."""
    remaining = Counter(_key(p) for p in before if p.severity == severity)
    new: list[Problem] = []
    for problem in sorted((p for p in after if p.severity == severity), key=lambda p: p.sort_key):
        key = _key(problem)
        if remaining[key]:
            remaining[key] -= 1
        else:
            new.append(problem)
    return new
