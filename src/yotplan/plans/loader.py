"""Finding and loading plans folders into PlanSets, collecting every problem on the way.

The one way plans are read: `load_folders` reads, validates and caches each folder the same way,
and `load_plans` is `load_folders` of one folder. How (the cache's folder and key, or none) is
the caller's `LoadSettings`.

A file whose bytes were loaded before comes from the cache (`yotplan.plans.cache`) without being
parsed or validated; PyYAML and the validation code are imported only when a file is not.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yotplan.plans.limits import MAX_FILE_BYTES
from yotplan.plans.links import folder_leads_outside, link_leads_outside
from yotplan.plans.models import BoardsFile, Model, OwnersFile, PlanFile, ServiceFile
from yotplan.plans.planset import Document, PlanSet
from yotplan.problems import Problem

if TYPE_CHECKING:
    from yotplan.plans.cache import PlanCache


@dataclass(frozen=True)
class FileChecks:
    """Checks that judge one file by itself (the personal-data guard), run when a file is parsed.

    They depend only on the file's bytes, so their problems are kept in the cache with the file's
    model: a warm run neither parses the file nor runs them again. `version` must change whenever
    the checks' code does (it is part of the cache key). The checks get the file's document and
    its text (for comments that allow a finding) and return problems with an empty path.
    """

    check: Callable[[Document, str], list[Problem]]
    version: str


@dataclass(frozen=True)
class LoadSettings:
    """How this run reads plans, decided by the caller (the command line reads its options and
    the environment into it: `yotplan.cli.settings`). Nothing in the core reads the environment.

    The default reads every file afresh: no cache."""

    cache_dir: Path | None = None
    """The cache folder (`yotplan.plans.cache`); None: no cache."""
    cache_key_file: Path | None = None
    """This user's secret key for the cache's entries, kept outside `cache_dir`; the cache is used
    only when both are given."""


NO_CACHE = LoadSettings()


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
REGISTRIES: dict[str, type[Model]] = {"owners": OwnersFile, "boards": BoardsFile, "service": ServiceFile}
"""The files of a plans folder that are not plans, by name (`owners.yaml` or `owners.yml`, ...)."""
REGISTRY_FILES = frozenset(f"{name}{suffix}" for name in REGISTRIES for suffix in PLAN_SUFFIXES)


def registry_model(name: str) -> type[Model] | None:
    """The model of a plans folder's registry file (`owners.yaml`, `boards.yml`, ...), or None."""
    stem, dot, suffix = name.rpartition(".")
    return REGISTRIES.get(stem) if dot and f".{suffix}" in PLAN_SUFFIXES and stem != "service" else None


def is_plan_file_name(name: str) -> bool:
    """Whether a file of a plans folder is read as a plan (not hidden, not owners/boards/service)."""
    return name.endswith(PLAN_SUFFIXES) and not name.startswith(".") and name not in REGISTRY_FILES


def find_plan_files(root: Path) -> tuple[dict[str, list[Path]], list[Path]]:
    """The registry files by kind ("owners": [owners.yaml], normally one each) and the plan
    files of a plans folder, in name order."""
    registries: dict[str, list[Path]] = {name: [] for name in REGISTRIES}
    plans: list[Path] = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if not entry.name.endswith(PLAN_SUFFIXES) or entry.name.startswith(".") or entry.is_dir():
            continue
        if entry.name in REGISTRY_FILES:
            registries[entry.name.rsplit(".", 1)[0]].append(root / entry.name)
        else:
            plans.append(root / entry.name)
    return registries, plans


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class _TooBig(Exception):
    def __init__(self, size: int) -> None:
        self.size = size


class _NotAFile(Exception):
    def __init__(self, what: str, why: str | None = None) -> None:
        self.what = what
        self.why = why or f"this is {what}, not a file; plans are ordinary files"

    def __str__(self) -> str:
        return self.why


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; raises _TooBig past the size limit without reading more than it, and
    _NotAFile for a FIFO, a device or a socket, which it never reads (a FIFO would hang), and
    for a link leading outside the repository, which it never opens (`yotplan.plans.links`)."""
    outside = folder_leads_outside(path)
    if outside is not None:
        raise _NotAFile("a link", outside)
    if not _NOFOLLOW and os.path.islink(path):  # pragma: no cover - Windows has no O_NOFOLLOW
        outside = link_leads_outside(path)
        if outside is not None:
            raise _NotAFile("a link", outside)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | _NOFOLLOW)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        outside = link_leads_outside(path)  # a link: followed only if it stays inside
        if outside is not None:
            raise _NotAFile("a link", outside) from None
        fd = os.open(path, flags)
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
        raise YamlProblem("YP001", odd.why) from None
    except OSError as exc:
        raise YamlProblem("YP001", f"cannot read file: {exc.strerror or exc}") from None
    return _parse_bytes(raw)


def _positions(raw: bytes, cache: PlanCache | None) -> Any:
    """The marked data of a file whose model was not parsed here (served from the cache, or loaded
    by another process), asked for by a problem that needs a line: from the cache if that file
    had a problem before, else parsed again (and then cached)."""
    from yotplan.plans.strict_yaml import YamlProblem

    data = cache.get_positions(raw) if cache is not None else None
    if data is not None:
        return data
    try:
        data = _parse_bytes(raw)
    except YamlProblem:  # cannot happen for bytes that loaded before; without data, problems point at 1:1
        return None
    if cache is not None:
        cache.put_positions(raw, data)
    return data


def lazy_document(shown: str, model: Any, findings: list[Problem], raw: bytes, cache: PlanCache | None) -> Document:
    """The Document of a file that validated before (`findings` with an empty path): its data, with
    positions, is read only if a problem asks for a line."""
    doc = Document.lazy(shown, model, lambda: _positions(raw, cache))
    doc.findings = [replace(p, path=shown) for p in findings]
    return doc


CacheHit = tuple[Any, list[Problem]]
"""A file's model from the cache and its file checks' findings (with an empty path)."""


def read_for_load(
    path: Path, model: type[Model], cache: PlanCache | None, checks: FileChecks | None
) -> tuple[bytes, CacheHit | None]:
    """A file's bytes (empty when it cannot be read: loading it says why) and its cache hit, if any."""
    try:
        raw = _read_bytes(path)
    except (_TooBig, _NotAFile, OSError):
        return b"", None
    if raw and cache is not None:
        return raw, cache.get(raw, model, checks.version if checks else "")
    return raw, None


def load_document(
    path: Path,
    model: type[Model],
    cache: PlanCache | None = None,
    checks: FileChecks | None = None,
    read: tuple[bytes, CacheHit | None] | None = None,
    *,
    store: bool = True,
) -> tuple[Document | None, list[Problem]]:
    """One file read, parsed and validated: a Document, or the problems that stop it.

    With a cache, a file whose exact bytes validated before is not parsed again, and its
    `checks` findings come back with it; a file that validates is stored in it, unless `store`
    is false (its folder is stored as one entry). `read` is what `read_for_load` gave for this
    file, when the file was read already.
    """
    shown = display_path(path)
    raw, hit = read if read is not None else read_for_load(path, model, cache, checks)
    version = checks.version if checks else ""
    if hit is not None:
        return lazy_document(shown, hit[0], hit[1], raw, cache), []

    from yotplan.plans.strict_yaml import YamlProblem
    from yotplan.plans.validation import validate_document

    try:
        data = _parse_bytes(raw) if raw else read_yaml_file(path)  # no bytes: say why, from the file
    except YamlProblem as exc:
        return None, [Problem(shown, exc.line, exc.col, "error", exc.code, exc.message)]
    doc = Document(shown, data, None)
    problems = validate_document(doc, model)
    if problems:
        return None, problems
    if checks is not None:
        findings = checks.check(doc, raw.decode("utf-8-sig"))
        doc.findings = [replace(p, path=shown) for p in findings]
    if cache is not None and raw and store:
        cache.put(raw, model, doc.model, version, [replace(p, path="") for p in doc.findings])
    return doc, []


def discover_plans_folder(start: Path) -> tuple[Path | None, list[Path]]:
    """The nearest `plans/` folder holding plan files, from `start` up to the repository root
    (the first folder with a `.git`), as git finds its repository from any subfolder; and the
    places looked at. Outside a repository only `start/plans` is looked at. The folder found
    is relative to `start` (`../plans` from `docs/`)."""
    here = Path(os.path.abspath(start))
    chain = [here, *here.parents]
    top = next((i for i, folder in enumerate(chain) if os.path.lexists(folder / ".git")), None)
    looked: list[Path] = []
    for folder in chain[: top + 1] if top is not None else chain[:1]:
        candidate = folder / "plans"
        looked.append(candidate)
        try:
            names = os.listdir(candidate) if candidate.is_dir() else []
        except OSError:
            names = []
        if any(is_plan_file_name(name) for name in names):
            return Path(os.path.relpath(candidate, here)), looked
    return None, looked


def read_plans_list(path: Path) -> list[Path]:
    """The plans folders a `--plans-list` file names: a YAML list (`.yaml`/`.yml`), or text with
    one folder per line (blank lines and `#` comments skipped). Relative folders are relative to
    the list file. Raises YotplanError with the line that is wrong."""
    from yotplan.errors import YotplanError

    shown = display_path(path)
    try:
        text = _read_bytes(path).decode("utf-8-sig")
    except _NotAFile as odd:
        raise YotplanError(f"{shown}: cannot read the list of plans folders: {odd.why}") from None
    except _TooBig:
        raise YotplanError(f"{shown}: the list of plans folders is over {MAX_FILE_BYTES // 2**20} MB") from None
    except OSError as exc:
        raise YotplanError(f"{shown}: cannot read the list of plans folders: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise YotplanError(f"{shown}: the list of plans folders is not UTF-8 text") from None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        # /proc/self/environ, a binary file: its lines are not folders, and are never quoted
        raise YotplanError(f"{shown}: not a list of plans folders (it holds control characters or NUL bytes)")
    if path.suffix in PLAN_SUFFIXES:
        from yotplan.plans.strict_yaml import YamlProblem, parse_yaml

        try:
            data = parse_yaml(text)
        except YamlProblem as problem:
            raise YotplanError(f"{shown}:{problem.line}:{problem.col}: {problem.message}") from None
        if not isinstance(data, list) or not all(isinstance(item, str) and item.strip() for item in data):
            raise YotplanError(f"{shown}: a YAML plans list is a list of folders, one `- path` per line")
        entries = [item.strip() for item in data]
    else:
        entries = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not entries:
        raise YotplanError(f"{shown}: the list of plans folders is empty")
    base = path.parent
    return [Path(entry) if Path(entry).is_absolute() else base / entry for entry in entries]


def choose_plans_folders(given: Sequence[Path], plans_list: Path | None, start: Path) -> list[Path]:
    """The plans folders of a run: those `given` (`--plans`, repeatable) and those a list file
    names (`--plans-list`), each once, in order; else the one found from `start`
    (`discover_plans_folder`). Raises YotplanError saying where it looked when there is none."""
    folders = list(given)
    if plans_list is not None:
        folders += read_plans_list(plans_list)
    if folders:
        return list(dict.fromkeys(folders))
    found, looked = discover_plans_folder(start)
    if found is None:
        from yotplan.errors import YotplanError

        places = ", ".join(os.path.relpath(p) for p in looked)
        raise YotplanError(f"no plans folder found (looked for {places}); pass --plans DIR, or run `yotplan init`")
    return [found]


def _folder_service_id(root: Path) -> str:
    """A plans folder's service without service.yaml: the folder that holds it (the repository)."""
    here = Path(os.path.abspath(root))
    return here.parent.name or here.name or "plans"


@contextmanager
def collector_paused() -> Iterator[None]:
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


def load_plans(root: Path, *, settings: LoadSettings = NO_CACHE, checks: FileChecks | None = None) -> LoadResult:
    """Load every plan file and the owners file of the folder `root`: `load_folders` of one folder.

    Files that fail to read or validate are left out of the PlanSet and reported as problems;
    the rest load, so one run reports every broken file. Unchanged files come from the cache
    when `settings` give one. `checks` run on each file that loads (their findings are in each
    document's `findings`).
    """
    return load_folders([root], settings=settings, checks=checks)[0][0]


Judge = Callable[[LoadResult], list[Problem]]
"""What to find in each folder once it is loaded (the rules)."""


def load_folders(
    folders: Sequence[Path],
    *,
    settings: LoadSettings = NO_CACHE,
    checks: FileChecks | None = None,
    judge: Judge | None = None,
) -> list[tuple[LoadResult, list[Problem]]]:
    """Load plans folders one after another, each as `load_plans` loads one, and run `judge` on
    each: the folders as loaded, with what `judge` found, in the order they were given.

    Many folders (a region, England's 155 services) cost about what one folder of the same
    actions costs: the cache is opened once for the run (its key read, its folder checked) and
    pruned once at the end, and each small folder is one cache entry (`look_up`): 155 files to
    create on a cold run and to open on a warm one, not 775.
    """
    results: list[tuple[LoadResult, list[Problem]]] = []
    with opened_cache(settings) as (cache, warning), collector_paused():
        whole = len(folders) > 1  # small folders kept as one cache entry each
        for folder in folders:
            result = load_folder(folder, cache, checks, read_folder(folder, cache, checks, whole=whole))
            results.append((result, judge(result) if judge is not None else []))
    if warning:
        for result, _ in results:
            result.notes.append(warning)
    return results


@contextmanager
def opened_cache(settings: LoadSettings) -> Iterator[tuple[PlanCache | None, str | None]]:
    """The cache for one run of loading (None when off or refused) and the warning to show when
    it was refused; pruned if anything was written, and closed, at the end."""
    cache = None
    warning = None
    if settings.cache_dir is not None and settings.cache_key_file is not None:
        from yotplan.plans.cache import open_cache

        opening = open_cache(settings.cache_dir, settings.cache_key_file)
        cache, warning = opening.cache, opening.warning
    try:
        yield cache, warning
        if cache is not None and cache.writes:
            cache.prune()
    finally:
        if cache is not None:
            cache.close()


FOLDER_ENTRY_MAX_BYTES = 512 * 1024
"""In a run over many folders, a folder of at most this many bytes (about 1,200 actions; a
service's plans are 20-70 kB) is kept in the cache as one entry rather than one per file."""


@dataclass
class FolderFiles:
    """The files of a plans folder, listed, read, and looked up in the cache: what loading the
    folder starts from."""

    registries: dict[str, list[Path]]
    """Registry files by kind (`find_plan_files`)."""
    plans: list[Path]
    read: dict[Path, tuple[bytes, CacheHit | None]] = field(default_factory=dict)
    """Each file's bytes and cache hit (`read_for_load`)."""
    key: bytes | None = None
    """The key of the folder's entry, when the folder is kept as one (`look_up(whole=True)`)."""
    whole_hit: bool = False
    """Whether the files came from the folder's entry (which then needs no writing)."""

    @property
    def count(self) -> int:
        return len(self.plans) + sum(map(len, self.registries.values()))

    def to_read(self) -> Iterator[tuple[Path, type[Model]]]:
        """Each file that loading reads (the registry files, one of each kind, and every plan
        file) and the model it is read as."""
        for kind, paths in self.registries.items():
            if len(paths) == 1:
                yield paths[0], REGISTRIES[kind]
        yield from ((path, PlanFile) for path in self.plans)


def read_folder(
    root: Path, cache: PlanCache | None, checks: FileChecks | None, *, whole: bool = False
) -> FolderFiles | None:
    """A plans folder's files, read and looked up in the cache (see `look_up`); None when `root`
    is not a folder (loading it says why)."""
    try:
        if not root.is_dir():
            return None
        registries, plans = find_plan_files(root)
    except OSError:
        return None
    files = FolderFiles(registries, plans)
    raws = {}
    for path, _ in files.to_read():
        try:
            raws[path] = _read_bytes(path)
        except (_TooBig, _NotAFile, OSError):
            raws[path] = b""
    look_up(files, raws, cache, checks, whole=whole)
    return files


def look_up(
    files: FolderFiles, raws: dict[Path, bytes], cache: PlanCache | None, checks: FileChecks | None, *, whole: bool
) -> None:
    """Fill `files.read` from the files' bytes (`raws`, empty for a file that could not be read)
    and the cache. With `whole`, a small folder (FOLDER_ENTRY_MAX_BYTES) is looked for as one
    entry, and stored as one when it is loaded: a run over 155 folders writes 155 entries, not
    775 (creating a file costs 0.05 to 1 ms, whatever its size)."""
    targets = list(files.to_read())
    if cache is None:
        files.read = {path: (raws.get(path, b""), None) for path, _ in targets}
        return
    version = checks.version if checks else ""
    keys = {path: cache.key(raw, model, version) for path, model in targets if (raw := raws.get(path, b""))}
    if whole and sum(len(raw) for raw in raws.values()) <= FOLDER_ENTRY_MAX_BYTES:
        files.key = cache.folder_key([(path.name, keys.get(path, b"")) for path, _ in targets], version)
        hits = cache.get_folder(files.key, [model for _, model in targets])
        if hits is not None:
            files.whole_hit = True
            files.read = {path: (raws.get(path, b""), hit) for (path, _), hit in zip(targets, hits, strict=True)}
            return
    files.read = {
        path: (raws.get(path, b""), cache.get_entry(keys[path], model) if path in keys else None)
        for path, model in targets
    }


def load_folder(
    root: Path,
    cache: PlanCache | None,
    checks: FileChecks | None,
    files: FolderFiles | None = None,
) -> LoadResult:
    """`load_plans` with the cache opened already, from the folder's `files` when they were read
    already (`read_folder`)."""
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
    if files is None:
        registries, plan_paths = find_plan_files(root)
        read: dict[Path, tuple[bytes, CacheHit | None]] = {}
    else:
        registries, plan_paths, read = files.registries, files.plans, files.read
    folder_key = files.key if cache is not None and files is not None and not files.whole_hit else None
    whole = folder_key is not None  # stored as one entry at the end, not file by file
    loaded: dict[Path, Document | None] = {}
    result.files = len(plan_paths) + sum(map(len, registries.values()))
    if not plan_paths:
        result.problems.append(
            Problem(shown, 0, 0, "error", "YP008", "no plan files (*.yaml) here; run `yotplan init` to start one")
        )
    for kind, paths in registries.items():
        if len(paths) > 1:
            first, second = (display_path(p) for p in paths[:2])
            result.problems.append(
                Problem(
                    second,
                    0,
                    0,
                    "error",
                    "YP012",
                    f"two {kind} files, {first} and {second}: yotplan would not know which to read; keep one",
                )
            )
            continue
        if not paths:
            if kind == "owners":
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
            continue
        doc, problems = load_document(paths[0], REGISTRIES[kind], cache, checks, read.get(paths[0]), store=not whole)
        loaded[paths[0]] = doc
        result.problems.extend(problems)
        if kind == "owners":
            result.plans.owners_doc = doc
        elif kind == "boards":
            result.plans.boards_doc = doc
        elif doc is not None:
            result.plans.service_doc = doc  # its findings (the personal-data guard) are reported too
            service: ServiceFile = doc.model
            result.plans.service, result.plans.service_name, result.plans.region = (
                service.id,
                service.name,
                service.region,
            )
    if not result.plans.service:
        result.plans.service = result.plans.service_name = _folder_service_id(root)
    for path in plan_paths:
        doc, problems = load_document(path, PlanFile, cache, checks, read.get(path), store=not whole)
        loaded[path] = doc
        if doc is not None:
            result.plans.plans.append(doc)
        result.problems.extend(problems)
    if cache is not None and files is not None and folder_key is not None:
        _store_folder(cache, folder_key, files, loaded)
    return result


def _store_folder(cache: PlanCache, key: bytes, files: FolderFiles, loaded: dict[Path, Document | None]) -> None:
    from yotplan.plans.cache import to_plain

    items: list[tuple[Any, list[Problem]] | None] = []
    for path, _ in files.to_read():
        doc = loaded.get(path)
        if doc is None:
            items.append(None)
            continue
        items.append((to_plain(doc.model), doc.findings))
    cache.put_folder(key, items)
