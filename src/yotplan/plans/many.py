"""Loading many plans folders in one run: a region, or England's 155 services.

Three things make 155 folders cost about what one folder of the same actions costs:

- **One cache for the run.** The cache is opened (its key read, its folder checked, the key of
  the code hashed) once, not once per folder, and pruned once at the end.
- **One cache entry per small folder** (`loader.look_up`): 155 files to create on a cold run
  and to open on a warm one, not 775.
- **Cold folders on a process pool.** Every folder's files are first read and looked up in the
  cache (`loader.read_folder`), which a warm run needs anyway. When the files the cache does not
  have come to `PARALLEL_MIN_BYTES` or more, in two folders or more, on two cores or more, the
  folders that hold them are loaded by worker processes
  (`concurrent.futures.ProcessPoolExecutor`, one fewer than the cores: this process is one
  more worker). A worker parses, validates and runs the file checks as a sequential run would,
  writes the cache entries, and runs the caller's `judge` on each folder (the rules, which
  need the files' positions: only the worker that parsed a file has them), then sends back
  plain data: the models as the cache stores them (`cache.to_plain`) and the problems. This
  process rebuilds the models from it without pydantic, as a warm run does. Meanwhile it loads
  the folders the cache had, then works through the chunks from the end while the workers work
  from the start, keeping two chunks per worker sent, until they meet.

The results are the same as loading each folder in turn (`tests/test_many.py` compares them):
the same problems in the same order, equal models, the same documents; a document that a worker
loaded reads its positions again from its bytes only if a problem asks for a line.

Where `fork` is the way to start processes (Linux), a worker starts in a few milliseconds with
everything this process has imported; elsewhere (`spawn`: macOS, Windows) it starts a new
interpreter and imports yotplan and pydantic again, so the pool waits for more work
(`PARALLEL_MIN_BYTES_SPAWN`). The thresholds are measured in `docs/benchmark.md`.

A worker needs a core to itself to pay, so no pool is started on a machine that the 1-minute load
average says is saturated (`saturated`). `YOTPLAN_JOBS=N` sets the processes to N instead, this
one included, whatever the load: `YOTPLAN_JOBS=1` never starts a pool.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yotplan.plans.loader import (
    FileChecks,
    FolderFiles,
    LoadResult,
    collector_paused,
    display_path,
    load_folder,
    look_up,
    opened_cache,
    read_folder,
)
from yotplan.plans.models import BoardsFile, OwnersFile, PlanFile, ServiceFile
from yotplan.plans.planset import Document, PlanSet
from yotplan.problems import Problem

if TYPE_CHECKING:
    from concurrent.futures import Future

    from yotplan.plans.cache import PlanCache

Judge = Callable[[LoadResult], list[Problem]]
"""What to find in each folder once it is loaded (the rules), run where the folder was loaded."""

PARALLEL_MIN_BYTES = 2_000_000
"""Files to parse (not in the cache) from which a process pool pays, where workers are forked:
about 4,300 actions. Below 1.5 MB it costs more than it saves; at 2.8 MB it saves 5-20 %, at
7 MB 15-25 % (`bench/pool_threshold.py`, docs/benchmark.md)."""
PARALLEL_MIN_BYTES_SPAWN = 4_000_000
"""The same where a worker is a new interpreter (spawn), which imports yotplan and pydantic first:
170 ms more, so the pool breaks even at about 3 MB."""
MAX_WORKERS = 7
CHUNKS_PER_PROCESS = 24
"""Each process's share of the folders goes in about this many chunks (for 155 services, about
25 ms of work each): small enough that this process and the workers finish close together (at
the end this process waits for at most the two chunks each worker holds), large enough that a
chunk's round trip (under a millisecond) is a small part of its work."""


@dataclass
class Loaded:
    """The folders as loaded, each with what `judge` found in it, in the order they were given."""

    results: list[tuple[LoadResult, list[Problem]]]
    by_workers: int = 0
    """How many of the folders worker processes loaded (0: all were loaded here)."""
    workers: int = 0
    """How many worker processes the pool had (0: no pool)."""


def load_many(
    folders: Sequence[Path],
    *,
    use_cache: bool = True,
    checks: FileChecks | None = None,
    judge: Judge | None = None,
    parallel: bool | None = None,
) -> Loaded:
    """Load the plans folders (as `load_plans` loads one) with one cache for the run, and run
    `judge` on each. `parallel`: None decides by the work to do (see the module's doc); True
    uses the pool whenever two folders or more have files to parse; False never does. `judge`
    must be a module-level function (or a `functools.partial` of one) for the pool to use it."""
    with opened_cache(use_cache) as (cache, warning), collector_paused():
        whole = len(folders) > 1  # small folders kept as one cache entry each (loader.look_up)
        files = [read_folder(folder, cache, checks, whole=whole) for folder in folders]
        cold = [i for i, found in enumerate(files) if found is not None and found.cold_bytes]
        cold_bytes = sum(found.cold_bytes for found in files if found is not None)
        method = start_method()
        workers = workers_for(parallel, len(cold), cold_bytes, method)
        if workers:
            loaded = _load_in_parallel(folders, files, cold, cache, checks, judge, workers, method)
        else:
            pairs = zip(folders, files, strict=True)
            loaded = Loaded([_load_here(folder, found, cache, checks, judge) for folder, found in pairs])
    if warning:
        for result, _ in loaded.results:
            result.notes.append(warning)
    return loaded


def start_method() -> str:
    """How worker processes start: forked where that is safe and the default (Linux)."""
    return "fork" if sys.platform.startswith("linux") else "spawn"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on macOS or Windows
        return os.cpu_count() or 1


def jobs_wanted() -> int | None:
    """`YOTPLAN_JOBS`: at most this many processes load plans (1: this one alone, no pool)."""
    value = os.environ.get("YOTPLAN_JOBS", "").strip()
    try:
        return max(1, int(value)) if value else None
    except ValueError:
        return None


def saturated(cores: int) -> bool:
    """Whether other work keeps every core busy: a 1-minute load average above the cores by more
    than one (as `make -l` judges it). The load average also counts this command's own earlier
    runs (a pre-commit hook, a benchmark: about one, or two with a worker), so anything less does
    not say that no core is free. False where there is no load average (Windows)."""
    try:
        return os.getloadavg()[0] > cores + 1
    except (AttributeError, OSError):
        return False


def workers_for(parallel: bool | None, cold_folders: int, cold_bytes: int, method: str) -> int:
    """How many worker processes to start (0: load everything here).

    A worker pays only with a core to itself: where other work keeps the cores busy, this
    process and a worker share one, and the pool's extra work (15 % more CPU time: a second
    process, and the results sent back) makes the run slower, not faster. So without
    YOTPLAN_JOBS, no worker is started on a machine whose load average says it is saturated."""
    if parallel is False or cold_folders < 2:
        return 0
    cores = usable_cores()
    jobs = jobs_wanted()
    if parallel is None:
        least = PARALLEL_MIN_BYTES if method == "fork" else PARALLEL_MIN_BYTES_SPAWN
        if cold_bytes < least:
            return 0
        if jobs is None and saturated(cores):
            return 0
        return max(0, min((jobs or cores) - 1, cold_folders - 1, MAX_WORKERS))
    return max(1, min((jobs or cores) - 1, cold_folders - 1, MAX_WORKERS))


def _load_here(
    folder: Path, files: FolderFiles | None, cache: PlanCache | None, checks: FileChecks | None, judge: Judge | None
) -> tuple[LoadResult, list[Problem]]:
    result = load_folder(folder, cache, checks, files)
    return result, judge(result) if judge is not None else []


def _chunks(cold: list[int], files: Sequence[FolderFiles | None], processes: int) -> list[list[int]]:
    """The cold folders in consecutive chunks of about equal bytes to parse."""
    sizes = [files[i].cold_bytes if files[i] is not None else 0 for i in cold]  # type: ignore[union-attr]
    target = max(1, sum(sizes) // (processes * CHUNKS_PER_PROCESS))
    chunks: list[list[int]] = [[]]
    filled = 0
    for i, size in zip(cold, sizes, strict=True):
        if filled >= target:
            chunks.append([])
            filled = 0
        chunks[-1].append(i)
        filled += size
    return chunks


def _load_in_parallel(
    folders: Sequence[Path],
    files: Sequence[FolderFiles | None],
    cold: list[int],
    cache: PlanCache | None,
    checks: FileChecks | None,
    judge: Judge | None,
    workers: int,
    method: str,
) -> Loaded:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from yotplan.plans.validation import adapter

    for model in (PlanFile, OwnersFile, BoardsFile):  # built once here, before the workers are forked from it
        adapter(model)
    for stream in (sys.stdout, sys.stderr):  # a forked worker flushes what it inherited when it ends
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stream.flush()
    results: list[tuple[LoadResult, list[Problem]] | None] = [None] * len(folders)
    chunks = _chunks(cold, files, workers + 1)
    cold_set = set(cold)
    by_workers = 0
    front, back = 0, len(chunks)  # the workers take chunks from the front, this process from the back
    sent: deque[tuple[list[int], Future[bytes]]] = deque()
    broken = False

    def here(chunk: list[int]) -> None:
        for i in chunk:
            results[i] = _load_here(folders[i], files[i], cache, checks, judge)

    def send() -> None:
        """Keep two chunks per worker sent and not yet taken back, so that no worker waits."""
        nonlocal front, broken
        while not broken and front < back and sum(not future.done() for _, future in sent) < 2 * workers:
            chunk = chunks[front]
            try:
                assert pool is not None
                sent.append((chunk, pool.submit(_load_chunk, [_task(folders[i], files[i]) for i in chunk])))
            except (BrokenProcessPool, OSError):  # no process could be started: this one does the rest
                broken = True
                return
            front += 1

    def take_back(*, wait: bool) -> None:
        nonlocal by_workers, broken
        while sent and (wait or sent[0][1].done()):
            chunk, future = sent.popleft()
            try:
                payload, writes = marshal.loads(future.result())
            except BrokenProcessPool:  # a worker died (killed, out of memory): its chunks are loaded here
                broken = True
                here(chunk)
                continue
            if cache is not None:
                cache.writes += writes
            for i, plain in zip(chunk, payload, strict=True):
                found = files[i]
                assert found is not None
                results[i] = _rebuild(plain, found, cache)
                by_workers += 1

    pool: ProcessPoolExecutor | None = None
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context(method),
            initializer=_start_worker,
            initargs=(cache is not None, checks, judge),
        )
    except (OSError, ImportError, NotImplementedError, ValueError):  # no working semaphores here, say
        broken = True
    try:
        send()
        for i, folder in enumerate(folders):  # the folders the cache had: only this process has their models
            if i not in cold_set:
                results[i] = _load_here(folder, files[i], cache, checks, judge)
        while front < back:
            take_back(wait=False)
            send()
            if front < back:
                back -= 1
                here(chunks[back])
        take_back(wait=True)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    done = [result for result in results if result is not None]
    assert len(done) == len(folders)
    return Loaded(done, by_workers, workers)


# In the worker processes -----------------------------------------------------------------

_Task = tuple[Path, dict[str, list[Path]], list[Path], dict[Path, bytes]]
_worker: tuple[PlanCache | None, FileChecks | None, Judge | None] | None = None


def _task(folder: Path, files: FolderFiles | None) -> _Task:
    """What a worker needs to load a folder: the files as listed and read here (not the cache's
    hits: a worker looks them up again), so that both processes see the same bytes."""
    assert files is not None
    return folder, files.registries, files.plans, {path: raw for path, (raw, _) in files.read.items()}


def _start_worker(use_cache: bool, checks: FileChecks | None, judge: Judge | None) -> None:
    global _worker
    import gc
    import signal

    gc.disable()  # as in the command-line process: loading makes no cyclic garbage
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the pool
    cache = None
    if use_cache:
        from yotplan.plans.cache import open_cache

        cache = open_cache().cache
    _worker = (cache, checks, judge)


def _load_chunk(tasks: list[_Task]) -> bytes:
    """Load and judge some folders; their results as plain data (marshalled: nothing in it can
    run code, and marshal is the fastest way through the pipe), with the cache entries written."""
    assert _worker is not None
    cache, checks, judge = _worker
    before = cache.writes if cache is not None else 0
    out = []
    for folder, registries, plans, raws in tasks:
        files = FolderFiles(registries, plans)
        look_up(files, raws, cache, checks, whole=True)
        plains: dict[str, Any] = {}
        result = load_folder(folder, cache, checks, files, plains)
        found = judge(result) if judge is not None else []
        out.append(_plain_result(result, found, plains))
    return marshal.dumps((out, (cache.writes if cache is not None else 0) - before))


def _plain_problem(p: Problem) -> tuple[str, int, int, str, str, str]:
    return p.path, p.line, p.col, p.severity, p.code, p.message


def _plain_document(doc: Document | None, plains: dict[str, Any]) -> Any:
    """A document as its path, its model as the cache stores it (made already when its folder
    was stored as one entry), and its file checks' findings."""
    from yotplan.plans.cache import to_plain

    if doc is None:
        return None
    plain = plains[doc.path] if doc.path in plains else to_plain(doc.model)
    return doc.path, plain, [_plain_problem(p) for p in doc.findings]


def _plain_result(result: LoadResult, found: list[Problem], plains: dict[str, Any]) -> Any:
    plans = result.plans
    return (
        plans.root,
        result.files,
        [_plain_problem(p) for p in result.problems],
        result.notes,
        plans.service,
        plans.service_name,
        plans.region,
        _plain_document(plans.owners_doc, plains),
        _plain_document(plans.boards_doc, plains),
        [_plain_document(doc, plains) for doc in plans.plans],
        [_plain_problem(p) for p in found],
        _plain_document(plans.service_doc, plains),
    )


# Back in this process ------------------------------------------------------------------


def _rebuild(plain: Any, files: FolderFiles, cache: PlanCache | None) -> tuple[LoadResult, list[Problem]]:
    """A worker's folder as `load_folder` and `judge` would have given it here."""
    from yotplan.plans.cache import from_plain
    from yotplan.plans.loader import lazy_document

    root, count, problems, notes, service, service_name, region, owners, boards, plans, found, service_doc = plain
    raws = {display_path(path): raw for path, (raw, _) in files.read.items()}

    def document(item: Any, model: type) -> Document | None:
        if item is None:
            return None
        shown, value, findings = item
        doc = lazy_document(shown, from_plain(model, value), [], raws.get(shown, b""), cache)
        doc.findings = [Problem(*fields) for fields in findings]
        return doc

    plan_set = PlanSet(
        root,
        [doc for item in plans if (doc := document(item, PlanFile)) is not None],
        document(owners, OwnersFile),
        document(boards, BoardsFile),
        service,
        service_name,
        region,
        document(service_doc, ServiceFile),
    )
    result = LoadResult(plan_set, [Problem(*fields) for fields in problems], count, list(notes))
    return result, [Problem(*fields) for fields in found]
