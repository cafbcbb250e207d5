"""A cache of validated plan files, so a file that has not changed is not parsed and validated again.

Where: the user's cache folder, never the repository: `$YOTPLAN_CACHE_DIR` if set, else
`$XDG_CACHE_HOME/yotplan` or `~/.cache/yotplan` (`~/Library/Caches/yotplan` on macOS,
`%LOCALAPPDATA%\\yotplan\\Cache` on Windows). Entries are pickles, and unpickling runs code
named in the file, so the folder must be as private as the home folder: one kept in the
repository could be committed by anyone (a `.gitignore` does not stop `git add -f`), and a
folder that other users can write to is not used at all.

Key: each entry is named by a hash of the file's bytes (its content, not its modification
time), the model it was validated against, and everything that could change the result:
yotplan's version, the source of the modules that read and validate plans, and the Python,
pydantic and pydantic-core versions. So an edited file, an upgrade or a local code change
simply misses; nothing is ever invalidated in place.

Entry: a header (magic, the full key, a hash of the payload) and the pickled pydantic model.
An entry that is truncated, corrupt or from another key is ignored and rewritten; entries
are written to a temporary file and renamed into place, so a reader never sees half of one.

Positions (the lines and columns that problems point at) are a second kind of entry, the
file's marked data flattened into one marshalled list, written only for a file that has had
a problem: a run that finds no problem in a file never reads them. The first run that needs
them parses the file again (`Document.lazy`) and stores them; later runs read them back in a
sixth of the parse time. Storing them for every file on the first load would cost every
cold run 120 ms per 10,000 actions for positions most files never need.

Safe to delete at any time, even while yotplan runs: `rm -rf ~/.cache/yotplan`.
Disabled by `YOTPLAN_NO_CACHE=1` or `yotplan --no-cache ...`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from yotplan import __version__

FORMAT = b"1"
"""Bumped when the entry layout changes."""

MAGIC = b"yotplan-cache\n"
KEY_BYTES = 20
HEADER_BYTES = len(MAGIC) + 2 * KEY_BYTES

MAX_ENTRIES = 2000
MAX_TOTAL_BYTES = 256 * 2**20
"""Past either limit, the oldest entries are deleted until the cache is at three quarters of it."""

_KEYED_MODULES = ("cache.py", "loader.py", "models.py", "strict_yaml.py", "validation.py")
"""The modules whose code decides what a cached model is; their source is part of every key."""

_disabled_for_run = False


def disable_for_run(disabled: bool) -> None:
    """Set by `yotplan --no-cache` for the current command (the CLI sets it on every run)."""
    global _disabled_for_run
    _disabled_for_run = disabled


def cache_folder() -> Path:
    """The folder the cache lives in (which may not exist yet)."""
    explicit = os.environ.get("YOTPLAN_CACHE_DIR")
    if explicit:
        return Path(explicit).absolute()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "yotplan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "yotplan"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yotplan"


def _environment_key() -> bytes:
    """What, besides a file's bytes, decides its cached model."""
    import pydantic
    import pydantic_core

    here = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=KEY_BYTES)
    for part in (FORMAT, __version__, sys.version, pydantic.VERSION, pydantic_core.__version__):
        digest.update(str(part).encode() + b"\0")
    for name in _KEYED_MODULES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # installed without sources: the version alone has to do
            digest.update(b"?" + name.encode())
    return digest.digest()


class PlanCache:
    """Validated models of plan files, found by their bytes. Every method fails quietly: a
    cache that cannot be read or written only makes yotplan slower, never wrong."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._environment = _environment_key()
        self.writes = 0
        self.hits = 0

    def key(self, raw: bytes, kind: type | str) -> bytes:
        """The entry key of a file's bytes read as `kind` (a model class, or "positions")."""
        digest = hashlib.blake2b(self._environment, digest_size=KEY_BYTES)
        digest.update((kind if isinstance(kind, str) else kind.__qualname__).encode() + b"\0")
        digest.update(raw)
        return digest.digest()

    def _entry(self, key: bytes) -> Path:
        return self.folder / key.hex()

    def _read(self, key: bytes) -> memoryview | None:
        """The payload of the entry `key`, if it is whole and really that entry."""
        try:
            blob = self._entry(key).read_bytes()
        except OSError:
            return None
        if blob[: len(MAGIC)] != MAGIC or blob[len(MAGIC) : len(MAGIC) + KEY_BYTES] != key:
            return None
        payload = memoryview(blob)[HEADER_BYTES:]
        if hashlib.blake2b(payload, digest_size=KEY_BYTES).digest() != blob[len(MAGIC) + KEY_BYTES : HEADER_BYTES]:
            return None
        return payload

    def _write(self, key: bytes, payload: bytes) -> None:
        header = MAGIC + key + hashlib.blake2b(payload, digest_size=KEY_BYTES).digest()
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(header)
                    out.write(payload)
                os.replace(temporary, self._entry(key))
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return
        self.writes += 1

    def get(self, raw: bytes, model: type) -> Any | None:
        """The model validated from exactly these bytes before, or None."""
        payload = self._read(self.key(raw, model))
        if payload is None:
            return None
        try:
            value = pickle.loads(payload)
        except Exception:  # a damaged entry is a miss; the next write replaces it
            return None
        if not isinstance(value, model):
            return None
        self.hits += 1
        return value

    def put(self, raw: bytes, model: type, value: Any) -> None:
        """Remember `value` as the model of these bytes."""
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # pragma: no cover - our models always pickle; never fail a load for it
            return
        self._write(self.key(raw, model), payload)

    def get_positions(self, raw: bytes) -> Any | None:
        """The marked data (with positions) parsed from exactly these bytes before, or None."""
        from yotplan.plans.strict_yaml import unflatten

        payload = self._read(self.key(raw, "positions"))
        if payload is None:
            return None
        try:
            return unflatten(marshal.loads(payload))
        except Exception:
            return None

    def put_positions(self, raw: bytes, data: Any) -> None:
        """Remember the marked data of these bytes: written only for files that had a problem."""
        from yotplan.plans.strict_yaml import flatten

        self._write(self.key(raw, "positions"), marshal.dumps(flatten(data)))

    def prune(self) -> None:
        """Delete the oldest entries when there are too many or they take too much space."""
        try:
            entries = []
            for entry in os.scandir(self.folder):
                if not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
                if len(entry.name) == 2 * KEY_BYTES:
                    entries.append((info.st_mtime, info.st_size, entry.path))
                elif entry.name.startswith(".tmp-") and info.st_mtime < time.time() - 3600:
                    os.unlink(entry.path)  # left by a process killed while writing
        except OSError:
            return
        count, total = len(entries), sum(size for _, size, _ in entries)
        if count <= MAX_ENTRIES and total <= MAX_TOTAL_BYTES:
            return
        for _, size, path in sorted(entries):  # oldest first
            if count <= MAX_ENTRIES * 3 // 4 and total <= MAX_TOTAL_BYTES * 3 // 4:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            count, total = count - 1, total - size


def _private(folder: Path) -> bool:
    """Whether only this user can put files in `folder` (always true where there are no modes)."""
    try:
        info = folder.stat()
    except FileNotFoundError:
        return True  # created private by the first write
    except OSError:
        return False
    if not hasattr(os, "getuid"):  # Windows: per-user profile folders
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def open_cache() -> PlanCache | None:
    """The cache for this run, or None when it is disabled or its folder is not private."""
    if _disabled_for_run or os.environ.get("YOTPLAN_NO_CACHE", "") not in ("", "0"):
        return None
    folder = cache_folder()
    if not _private(folder):
        return None
    return PlanCache(folder)
