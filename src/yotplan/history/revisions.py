"""The plans across git history: a diff between two revisions, and the timeline of one item.

Plan files at a revision are read with git (see `yotplan.history.git`) and parsed by the same strict
loader as files on disk. A file that fails to parse or validate at one side is reported as
a Problem and its items are left out of that comparison on both sides, so a broken file
never shows up as "every action removed"; the other files are still compared.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yotplan.errors import UnknownId
from yotplan.history.compare import Change, compare_plans
from yotplan.history.git import (
    SHALLOW_FIX,
    Commit,
    GitRepo,
    default_base,
    git,
    has_commits,
    log_plan_changes,
    open_repo,
    plan_blobs,
    read_blobs,
    resolve_commit,
    shallow_boundary,
    short_hash,
)
from yotplan.plans.limits import MAX_FILE_BYTES
from yotplan.plans.loader import NO_CACHE, LoadSettings, is_plan_file_name, load_plans, opened_cache, registry_model
from yotplan.plans.models import BoardsFile, PlanFile
from yotplan.plans.planset import Document, PlanSet, RecommendationRef
from yotplan.problems import Problem

WORKING_TREE = "working tree"


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: the revision as the user named it, and the commit (None for the disk)."""

    rev: str
    commit: str | None
    short: str | None
    day: str | None = None
    """The commit's date, YYYY-MM-DD (its committer date); None for the disk."""

    @property
    def label(self) -> str:
        if self.commit is None:
            return self.rev
        return self.rev if self.short and self.rev.startswith(self.short) else f"{self.rev} ({self.short})"

    @property
    def paper_label(self) -> str:
        """The side as a Board paper names it: by meeting and date, never by hash
        (`yot-board@2023-03-14`, `the plans as committed on 2023-03-14`, `the plans as they are now`)."""
        if self.commit is None:
            return "the plans as they are now"
        if "@" in self.rev:
            return self.rev
        dated = f"the plans as committed on {self.day}" if self.day else "the plans as committed then"
        if _HASH_LIKE.fullmatch(self.rev) or any(mark in self.rev for mark in ("HEAD", "~", "^")):
            return dated
        return f"{self.rev}, {dated}"  # a tag or branch: a name its readers may know


_HASH_LIKE = re.compile(r"[0-9a-fA-F]{4,64}")


def commit_date(repo: GitRepo, commit: str) -> str:
    """The committer date of `commit`, YYYY-MM-DD in its own time zone."""
    return git(repo, "show", "-s", "--format=%cs", commit).decode("ascii").strip()


@dataclass(frozen=True, slots=True)
class Comparison:
    """What `diff` shows: the changes from one side to the other, and the files left out."""

    base: Side
    target: Side
    changes: list[Change]
    problems: list[Problem] = field(default_factory=list)
    skipped: tuple[str, ...] = ()
    """Plan files that could not be read on one side; their items were not compared."""

    def as_json(self) -> dict[str, object]:
        return {
            "from": {"rev": self.base.rev, "commit": self.base.commit},
            "to": {"rev": self.target.rev, "commit": self.target.commit},
            "changes": [c.as_json() for c in self.changes],
            "skipped_files": list(self.skipped),
        }


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    commit: Commit
    changes: list[Change]

    def as_json(self) -> dict[str, object]:
        return {
            "commit": self.commit.hash,
            "short": self.commit.short,
            "date": self.commit.date,
            "author": self.commit.author,
            "subject": self.commit.subject,
            "changes": [c.as_json() for c in self.changes],
        }


@dataclass(frozen=True, slots=True)
class ItemHistory:
    id: str
    kind: str
    entries: list[HistoryEntry]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the history cannot show, in a sentence each: a shallow clone, an item not committed yet."""

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "commits": [e.as_json() for e in self.entries]}


class RevisionReader:
    """Reads plan files from git, parsing each distinct blob once however many commits share it,
    and not at all when the plan cache has its bytes (a version seen before, by any run)."""

    def __init__(self, repo: GitRepo, settings: LoadSettings = NO_CACHE) -> None:
        self.repo = repo
        self.settings = settings
        self._parsed: dict[str, tuple[Document | None, list[Problem]]] = {}

    def documents(self, files: list[tuple[str, str]], label: str) -> tuple[list[Document], list[Problem], set[str]]:
        """Documents of the (name, blob) plan files, problems shown as `label:folder/name`, and
        the names of files that did not load."""
        self.parse([blob for _, blob in files])
        docs: list[Document] = []
        problems: list[Problem] = []
        broken: set[str] = set()
        for name, blob in files:
            shown = f"{label}:{self.repo.path_of(name)}"
            doc, found = self._parsed[blob]
            problems.extend(dataclasses.replace(p, path=shown) for p in found)
            if doc is None:
                broken.add(name)
            else:
                docs.append(doc.at(shown))
        return docs, problems, broken

    def parse(self, blobs: list[str]) -> None:
        missing = [blob for blob in blobs if blob not in self._parsed]
        if not missing:
            return
        with opened_cache(self.settings) as (cache, _):
            for blob, raw in read_blobs(self.repo, missing).items():
                hit = cache.get(raw, PlanFile) if cache is not None else None
                if hit is not None:
                    self._parsed[blob] = Document.lazy("", hit[0], _data_of(raw)), []
                    continue
                self._parsed[blob] = parsed = _parse_plan(raw)
                if cache is not None and parsed[0] is not None:
                    cache.put(raw, PlanFile, parsed[0].model)

    def readable(self, blob: str) -> bool:
        self.parse([blob])
        return self._parsed[blob][0] is not None

    def at_commit(self, commit: str, label: str) -> tuple[list[Document], list[Problem], set[str]]:
        files = [(name, blob) for name, blob in plan_blobs(self.repo, commit) if is_plan_file_name(name)]
        return self.documents(files, label)


def _data_of(raw: bytes) -> Callable[[], Any]:
    """How a cached version reads its marked data when a problem needs a position: parse it."""

    def read() -> Any:
        doc, _ = _parse_plan(raw)
        return doc.data if doc is not None else None

    return read


def _parse_plan(raw: bytes, model: type[Any] = PlanFile) -> tuple[Document | None, list[Problem]]:
    """Parse and validate one plan file's bytes (or an owners or boards file's, as `model`) like
    `loader.load_document` does a file on disk.

    Problems carry an empty path; the caller stamps in where the file came from. PyYAML and
    the validation code are imported here, for a version the cache does not have.
    """
    from yotplan.plans.strict_yaml import YamlProblem, parse_yaml
    from yotplan.plans.validation import validate_document

    try:
        if len(raw) > MAX_FILE_BYTES:
            raise YamlProblem("YP001", f"file is {len(raw) / 2**20:.1f} MB, over the 10 MB limit for one plan file")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise YamlProblem("YP001", "file is not UTF-8 text") from None
        if "\x00" in text:
            raise YamlProblem("YP001", "file contains NUL bytes: it is binary, not a YAML plan", 1, 1)
        data = parse_yaml(text)
        if data is None:
            raise YamlProblem("YP007", "file is empty", 1, 1)
    except YamlProblem as exc:
        return None, [Problem("", exc.line, exc.col, "error", exc.code, exc.message)]
    doc = Document("", data, None)
    problems = validate_document(doc, model)
    return (None if problems else doc), problems


def plans_at(
    folder: Path, commit: str, current: PlanSet, settings: LoadSettings = NO_CACHE
) -> tuple[PlanSet, list[Problem]]:
    """The plans folder as committed at `commit`: its plan files, owners and boards (and the
    service `current` is). A file that does not load there is left out, with its problems.
    Raises NotAGitRepo or GitError."""
    repo = open_repo(folder)
    label = short_hash(repo, commit)
    files = plan_blobs(repo, commit)
    reader = RevisionReader(repo, settings)
    docs, problems, _ = reader.documents([(n, b) for n, b in files if is_plan_file_name(n)], label)
    registries = {name: model for name, model in ((n, registry_model(n)) for n, _ in files) if model}
    raw = read_blobs(repo, [b for n, b in files if n in registries])
    found: dict[str, Document] = {}
    for name, blob in files:
        if name not in registries:
            continue
        doc, trouble = _parse_plan(raw[blob], registries[name])
        shown = f"{label}:{repo.path_of(name)}"
        problems.extend(dataclasses.replace(p, path=shown) for p in trouble)
        if doc is not None:
            found.setdefault(name.rsplit(".", 1)[0], doc.at(shown))
    plans = PlanSet(current.root, docs, found.get("owners"), found.get("boards"))
    return dataclasses.replace(
        plans, service=current.service, service_name=current.service_name, region=current.region
    ), problems


def _working_tree(folder: Path, settings: LoadSettings) -> tuple[PlanSet, list[Problem], set[str]]:
    result = load_plans(folder, settings=settings)
    problems = [p for p in result.problems if is_plan_file_name(Path(p.path).name)]
    return result.plans, problems, {Path(p.path).name for p in problems}


def _boards_of(plans: PlanSet) -> BoardsFile | None:
    return plans.boards_doc.model if plans.boards_doc is not None else None


def boards_at(repo: GitRepo, commit: str) -> BoardsFile | None:
    """The boards file as committed at `commit`; None when there is none or it does not load."""
    for name, blob in plan_blobs(repo, commit):
        if registry_model(name) is BoardsFile:
            doc, _ = _parse_plan(read_blobs(repo, [blob])[blob], BoardsFile)
            return doc.model if doc is not None else None
    return None


def compare_revisions(
    folder: Path,
    base: str | None = None,
    to: str | None = None,
    plans: PlanSet | None = None,
    settings: LoadSettings = NO_CACHE,
) -> Comparison:
    """Changes in the plans folder from `base` (default: the last tag, else HEAD~1) to `to`
    (default: the working tree, i.e. `plans` when given, else the folder read from disk).

    Raises NotAGitRepo, UnknownRevision or GitError.
    """
    repo = open_repo(folder)
    base_rev = base or default_base(repo)
    base_commit = resolve_commit(repo, base_rev)
    reader = RevisionReader(repo, settings)
    old_docs, problems, broken = reader.at_commit(base_commit, base_rev)
    if to is None:
        target = Side(WORKING_TREE, None, None)
        on_disk, new_problems, new_broken = (plans, [], set()) if plans is not None else _working_tree(folder, settings)
        new_docs, new_boards = on_disk.plans, _boards_of(on_disk)
    else:
        to_commit = resolve_commit(repo, to)
        target = Side(to, to_commit, short_hash(repo, to_commit), commit_date(repo, to_commit))
        new_docs, new_problems, new_broken = reader.at_commit(to_commit, to)
        new_boards = boards_at(repo, to_commit)
    skipped = frozenset(broken | new_broken)
    boards = (boards_at(repo, base_commit), new_boards)
    return Comparison(
        base=Side(base_rev, base_commit, short_hash(repo, base_commit), commit_date(repo, base_commit)),
        target=target,
        changes=compare_plans(old_docs, new_docs, skipped, boards),
        problems=problems + new_problems,
        skipped=tuple(sorted(skipped)),
    )


def item_history(folder: Path, item_id: str, settings: LoadSettings = NO_CACHE) -> ItemHistory:
    """Every commit (oldest first) that changed the recommendation, action or indicator `item_id`
    (any case), with what it changed. A recommendation's history includes changes to its actions
    and indicators.

    A commit that leaves a plan file unreadable is reported as a problem; what changed in that
    file shows at the next commit that makes it readable again, compared with its last readable
    version. Raises UnknownId when no commit ever had that id, NotAGitRepo or GitError.
    """
    repo = open_repo(folder)
    reader = RevisionReader(repo, settings)
    wanted = item_id.strip().casefold()
    entries: list[HistoryEntry] = []
    problems: list[Problem] = []
    known: dict[str, tuple[str, str]] = {}  # casefolded id -> (id as last written, kind)
    last_readable: dict[str, str] = {}  # file name -> blob
    log = log_plan_changes(repo)
    notes: list[str] = []
    boundary = shallow_boundary(repo)
    if boundary:
        cut = [commit for commit, _ in log if commit.hash in boundary]
        when = f" (before {cut[0].short}, {cut[0].date[:10]})" if cut else ""
        notes.append(f"this is a shallow clone, so the history{when} is missing; {SHALLOW_FIX}")
    # Every version of every plan file, read by one git process rather than one per commit.
    reader.parse(
        [b for _, files in log for f in files if is_plan_file_name(f.name) for b in (f.old_blob, f.new_blob) if b]
    )
    for commit, files in log:
        old_files, new_files = [], []
        for file in files:
            if not is_plan_file_name(file.name):
                continue
            old_blob = file.old_blob
            if old_blob and not reader.readable(old_blob):
                old_blob = last_readable.get(file.name)
            if old_blob:
                old_files.append((file.name, old_blob))
            if file.new_blob:
                new_files.append((file.name, file.new_blob))
                if reader.readable(file.new_blob):
                    last_readable[file.name] = file.new_blob
        old_docs, _, old_broken = reader.documents(old_files, f"{commit.short}^")
        new_docs, new_problems, new_broken = reader.documents(new_files, commit.short)
        problems.extend(new_problems)
        for doc in new_docs:
            for rec in doc.model.recommendations:
                known[rec.id.casefold()] = (rec.id, "recommendation")
                known.update({a.id.casefold(): (a.id, "action") for a in rec.actions})
                known.update({i.id.casefold(): (i.id, "indicator") for i in rec.indicators})
        if commit.hash in boundary:
            continue  # its parent is not in this clone: git shows every file as added
        changes = compare_plans(old_docs, new_docs, frozenset(old_broken | new_broken))
        mine = [c for c in changes if _concerns(c, wanted)]
        for change in mine:
            known.setdefault(change.id.casefold(), (change.id, change.kind))
        if mine:
            entries.append(HistoryEntry(commit, mine))
    if wanted not in known:
        uncommitted = _uncommitted_item(folder, item_id, settings)
        if uncommitted is None:
            from yotplan.views.queries import unknown_id_message

            raise UnknownId(unknown_id_message(item_id, sorted({shown for shown, _ in known.values()})))
        shown_id, kind = uncommitted
        why = "the repository has no commits yet" if not has_commits(repo) else "it has not been committed yet"
        notes.append(f"{shown_id} has no history: {why}")
        return ItemHistory(shown_id, kind, [], problems, notes)
    shown_id, kind = known[wanted]
    return ItemHistory(shown_id, kind, entries, problems, notes)


def _uncommitted_item(folder: Path, item_id: str, settings: LoadSettings) -> tuple[str, str] | None:
    """(id, kind) of an item that is in the plans on disk (but in no commit), or None."""
    from yotplan.views.queries import find_item

    plans = load_plans(folder, settings=settings).plans
    try:
        ref = find_item(plans, item_id)
    except UnknownId:
        wanted = item_id.strip().casefold()
        found = [i.id for r in plans.recommendations() for i in r.recommendation.indicators]
        return next(((i, "indicator") for i in found if i.casefold() == wanted), None)
    if isinstance(ref, RecommendationRef):
        return ref.recommendation.id, "recommendation"
    return ref.action.id, "action"


def _concerns(change: Change, wanted: str) -> bool:
    """The change is to the item, or (for a recommendation) to one of its actions, moving ones included."""
    return wanted in (change.id.casefold(), change.recommendation.casefold()) or (
        change.field == "moved" and (change.old or "").casefold() == wanted
    )
