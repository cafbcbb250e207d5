"""Finding and loading a plans folder into a PlanSet, collecting every problem on the way.

A file whose bytes were loaded before comes from the cache (`yotplan.plans.cache`) without being
parsed or validated; PyYAML and the validation code are imported only when a file is not.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yotplan.plans.limits import MAX_FILE_BYTES
from yotplan.plans.models import OwnersFile, PlanFile
from yotplan.plans.planset import Document, PlanSet
from yotplan.problems import Problem

if TYPE_CHECKING:
    from yotplan.plans.cache import PlanCache

OWNERS_FILE = "owners.yaml"
PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    """The plans that loaded, and the problems that stopped others from loading."""

    plans: PlanSet
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    """How many files were read, loaded or not."""
    notes: list[str] = field(default_factory=list)
    """Warnings about the run rather than the plans (e.g. a cache folder that was refused)."""


def display_path(path: Path) -> str:
    """The path as the user would write it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


OWNERS_FILES = (OWNERS_FILE, "owners.yml")


def find_plan_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The owners files (normally one) and the plan files of a plans folder, in name order."""
    owners: list[Path] = []
    plans: list[Path] = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if not entry.name.endswith(PLAN_SUFFIXES) or entry.name.startswith(".") or entry.is_dir():
            continue
        (owners if entry.name in OWNERS_FILES else plans).append(root / entry.name)
    return owners, plans


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


class _NotAFile(Exception):
    def __init__(self, what: str) -> None:
        self.what = what


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; raises _TooBig past the size limit without reading more than it, and
    _NotAFile for a FIFO, a device or a socket, which it never reads (a FIFO would hang)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _NotAFile(_kind_of_file(mode))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
            if len(raw) > MAX_FILE_BYTES:
                raise _TooBig(os.fstat(fd).st_size)
    finally:
        os.close(fd)
    return raw


def _kind_of_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


def _parse_bytes(raw: bytes) -> Any:
    """Decode and strictly parse a plan file's bytes. Raises YamlProblem for anything a user must fix."""
    from yotplan.plans.strict_yaml import YamlProblem, parse_yaml

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem("YP001", "file is not UTF-8 text; save it with UTF-8 encoding", line, col) from None
    if "\x00" in text:
        raise YamlProblem("YP001", "file contains NUL bytes: it is binary, not a YAML plan", 1, 1)
    data = parse_yaml(text)
    if data is None:
        raise YamlProblem("YP007", "file is empty; a plan file needs `source:` and `recommendations:`", 1, 1)
    return data


def read_yaml_file(path: Path) -> Any:
    """Read and strictly parse one file. Raises YamlProblem for anything a user must fix."""
    from yotplan.plans.strict_yaml import YamlProblem

    try:
        raw = _read_bytes(path)
    except _TooBig as big:
        raise YamlProblem(
            "YP001", f"file is {big.size / 2**20:.1f} MB, over the 10 MB limit for one plan file; split it by source"
        ) from None
    except _NotAFile as odd:
        raise YamlProblem("YP001", f"this is {odd.what}, not a file; plans are ordinary files") from None
    except OSError as exc:
        raise YamlProblem("YP001", f"cannot read file: {exc.strerror or exc}") from None
    return _parse_bytes(raw)


def _positions(raw: bytes, cache: PlanCache) -> Any:
    """The marked data of a file served from the cache, asked for by a problem that needs a line:
    from the cache if that file had a problem before, else parsed again (and then cached)."""
    from yotplan.plans.strict_yaml import YamlProblem

    data = cache.get_positions(raw)
    if data is not None:
        return data
    try:
        data = _parse_bytes(raw)
    except YamlProblem:  # cannot happen for bytes that loaded before; without data, problems point at 1:1
        return None
    cache.put_positions(raw, data)
    return data


def load_document(
    path: Path, model: type[PlanFile] | type[OwnersFile], cache: PlanCache | None = None
) -> tuple[Document | None, list[Problem]]:
    """One file read, parsed and validated: a Document, or the problems that stop it.

    With a cache, a file whose exact bytes validated before is not parsed again.
    """
    shown = display_path(path)
    try:
        raw = _read_bytes(path)
    except (_TooBig, _NotAFile, OSError):
        raw = b""
    if raw and cache is not None:
        model_value = cache.get(raw, model)
        if model_value is not None:
            return Document.lazy(shown, model_value, lambda: _positions(raw, cache)), []

    from yotplan.plans.strict_yaml import YamlProblem
    from yotplan.plans.validation import validate_document

    try:
        data = _parse_bytes(raw) if raw else read_yaml_file(path)  # no bytes: say why, from the file
    except YamlProblem as exc:
        return None, [Problem(shown, exc.line, exc.col, "error", exc.code, exc.message)]
    doc = Document(shown, data, None)
    problems = validate_document(doc, model)
    if cache is not None and raw and not problems:
        cache.put(raw, model, doc.model)
    return (doc if not problems else None), problems


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while plans load.

    Loading allocates about 100 objects per action, none of them garbage; the collector would
    walk them all again every few thousand allocations (40 % of loading 10,000 actions).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_plans(root: Path, *, use_cache: bool = True) -> LoadResult:
    """Load every plan file and the owners file of the folder `root`.

    Files that fail to read or validate are left out of the PlanSet and reported as problems;
    the rest load, so one run reports every broken file. Unchanged files come from the cache
    unless `use_cache` is false (or YOTPLAN_NO_CACHE is set).
    """
    cache = None
    warning = None
    if use_cache:
        from yotplan.plans.cache import open_cache

        opening = open_cache()
        cache, warning = opening.cache, opening.warning
    try:
        with _collector_paused():
            result = _load_folder(root, cache)
        if cache is not None and cache.writes:
            cache.prune()
    finally:
        if cache is not None:
            cache.close()
    if warning:
        result.notes.append(warning)
    return result


def _load_folder(root: Path, cache: PlanCache | None) -> LoadResult:
    shown = display_path(root)
    result = LoadResult(PlanSet(shown))
    if not root.exists():
        result.problems.append(
            Problem(shown, 0, 0, "error", "YP008", "no such folder; pass --plans DIR or set YOTPLAN_PLANS")
        )
        return result
    if not root.is_dir():
        result.problems.append(Problem(shown, 0, 0, "error", "YP008", "not a folder; --plans takes the plans folder"))
        return result
    owners_paths, plan_paths = find_plan_files(root)
    result.files = len(plan_paths) + len(owners_paths)
    if not plan_paths:
        result.problems.append(
            Problem(shown, 0, 0, "error", "YP008", "no plan files (*.yaml) here; run `yotplan init` to start one")
        )
    if len(owners_paths) > 1:
        first, second = (display_path(p) for p in owners_paths[:2])
        result.problems.append(
            Problem(
                second,
                0,
                0,
                "error",
                "YP012",
                f"two owners files, {first} and {second}: yotplan would not know which to read; keep one",
            )
        )
    elif not owners_paths:
        result.problems.append(
            Problem(
                display_path(root / OWNERS_FILE),
                0,
                0,
                "error",
                "YP011",
                "owners file is missing; create it with `owners:` and one entry per owner role",
            )
        )
    else:
        doc, problems = load_document(owners_paths[0], OwnersFile, cache)
        result.plans.owners_doc = doc
        result.problems.extend(problems)
    for path in plan_paths:
        doc, problems = load_document(path, PlanFile, cache)
        if doc is not None:
            result.plans.plans.append(doc)
        result.problems.extend(problems)
    return result
