"""A cache of validated plan files, so a file that has not changed is not parsed and validated again.

Where: a folder the caller names (`LoadSettings.cache_dir`), never the repository. The command
line chooses it (`yotplan.cli.settings`): `$YOTPLAN_CACHE_DIR` if set, else
`$XDG_CACHE_HOME/yotplan` or `~/.cache/yotplan` (`~/Library/Caches/yotplan` on macOS,
`%LOCALAPPDATA%\\yotplan\\Cache` on Windows). Entries live in its subfolder `entries/`, and
yotplan reads, writes and deletes nothing else there. This module reads no environment variable.

The cache holds data, not code, and trusts no entry it did not write itself:

- An entry is plain values (tuples, lists, text, numbers) written with `marshal`: the model's
  fields in order, dates as day numbers. Nothing in it names a class or a function, so
  reading it can run nothing; the models are rebuilt from the values without validation
  (only files that validated are stored) and without importing pydantic.
- Each entry carries a MAC: a keyed BLAKE2b of its key and payload, under a random key of
  this user's kept outside the cache folder (`LoadSettings.cache_key_file`, mode 0600). An entry that
  someone else wrote (a folder committed to a repository, copied from another machine, or
  planted by another local user) fails it and is ignored. The payload is unmarshalled only
  after the MAC holds: marshal is not safe against crafted bytes.
- A cache folder inside a git work tree is refused with a warning: anyone could commit it.
- `entries/` is created 0700 and opened once per run without following links; the check
  (owned by this user, writable by no one else) is made on that open descriptor, and every
  entry is opened relative to it, so a folder swapped in after the check is never read.
  Entries are opened without blocking and read only if they are regular files, so a FIFO or
  a device planted there cannot hang a run.
- Pruning deletes only files in `entries/` that start with yotplan's header.

Key: each entry is named by a hash of the file's bytes (its content, not its modification
time), the kind of entry, and everything that could change the result: yotplan's version,
the source of the modules that read and validate plans, and the Python, pydantic and
pydantic-core versions. So an edited file, an upgrade or a local code change simply misses;
nothing is ever invalidated in place.

Positions (the lines and columns that problems point at) are a second kind of entry, the
file's marked data flattened into one list, written only for a file that has had a problem:
a run that finds no problem in a file never reads them. The first run that needs them
parses the file again (`Document.lazy`) and stores them; later runs read them back in a
sixth of the parse time. Storing them for every file on the first load would cost every
cold run 120 ms per 10,000 actions for positions most files never need.

A run over many plans folders (`loader.load_folders`) keeps each small folder (512 kB at most:
a service's plans are 20 to 70 kB) as one entry, named by a hash of its files' names and
entry keys (`folder_key`), holding what each file's entry would hold. Creating a file costs
0.05 to 1.7 ms here whatever its size (775 entries took 0.84-0.95 s of a 2.0 s cold load of
155 services, about as long as PyYAML takes to read them), and a warm run opens 155 entries,
not 775. An edit to one file of such a folder reads the folder again (a few milliseconds for
a service's 100 actions). One folder on its own keeps an entry per file, as before.

Safe to delete at any time, even while yotplan runs: `rm -rf ~/.cache/yotplan`.
The command line turns it off with `YOTPLAN_NO_CACHE=1` or `yotplan --no-cache ...`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import operator
import os
import secrets
import stat
import sys
import time
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from yotplan import __version__
from yotplan.problems import Problem

FORMAT = b"3"
"""Bumped when the entry layout changes."""

HEADER = b"yotplan-cache\n"
"""Every file yotplan writes in `entries/` starts with this; pruning deletes nothing else."""
MAGIC = HEADER + FORMAT + b"\n"
KEY_BYTES = 20
MAC_BYTES = 32
HEADER_BYTES = len(MAGIC) + KEY_BYTES + MAC_BYTES
SUBFOLDER = "entries"
TEMP_PREFIX = ".tmp-"
USER_KEY_BYTES = 32

MAX_ENTRY_BYTES = 256 * 2**20
"""Larger files in `entries/` are not read (a plan file is at most 10 MB)."""
MAX_ENTRIES = 2000
MAX_TOTAL_BYTES = 256 * 2**20
"""Past either limit, the oldest entries are deleted until the cache is at three quarters of it."""

_KEYED_MODULES = ("cache.py", "loader.py", "models.py", "strict_yaml.py", "validation.py")
"""The modules whose code decides what a cached model is; their source is part of every key."""

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _environment_key() -> bytes:
    """What, besides a file's bytes, decides its cached model."""
    here = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=KEY_BYTES)
    for part in (FORMAT, __version__, sys.version, *_library_versions()):
        digest.update(str(part).encode() + b"\0")
    for name in _KEYED_MODULES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # installed without sources: the version alone has to do
            digest.update(b"?" + name.encode())
    return digest.digest()


def _library_versions() -> tuple[str, str]:
    """Which pydantic and pydantic-core validated the entries, found without importing them (a
    warm run never imports pydantic): where each is installed, and when and how big its first
    file is, which any upgrade or reinstall changes."""
    import importlib.util

    found = []
    for name in ("pydantic", "pydantic_core"):
        try:
            spec = importlib.util.find_spec(name)
            origin = spec.origin if spec is not None else None
            info = os.stat(origin) if origin else None
        except (ImportError, ValueError, OSError):
            origin, info = None, None
        found.append(f"{origin}:{info.st_mtime_ns}:{info.st_size}" if origin and info else "?")
    return found[0], found[1]


# Plain data <-> models ------------------------------------------------------------------
#
# A model is stored as the tuple of its field values in field order, a date as its day
# number, a list or a dict as a list or a dict. The decoders are built once per model class
# from its type hints, so a new field needs no change here (and its source change misses the
# old entries: models.py is part of every key).


def to_plain(value: Any) -> Any:
    """A model (or anything inside one) as values that marshal can store."""
    cls = value.__class__
    if dataclasses.is_dataclass(cls):
        encode = _encoder(cls)
        assert encode is not None
        return encode(value)
    return _generic_plain(value)


def _generic_plain(value: Any) -> Any:
    """`to_plain` for a value whose type hint says nothing useful (a field typed Any)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_plain(value)
    if isinstance(value, list):
        return [_generic_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _generic_plain(item) for key, item in value.items()}
    if isinstance(value, date):
        return value.toordinal()
    return value


_ENCODERS: dict[Any, Callable[[Any], Any] | None] = {}
_AS_IS = (str, int, float, bool, type(None))


def _encoder(hint: Any) -> Callable[[Any], Any] | None:
    """A function that makes a value of type `hint` plain (None: it is plain already). Built once
    per type from the type hints, as the decoders are: walking a model by its class costs a
    third of asking every value what it is (`dataclasses.is_dataclass`, `fields`) at every step."""
    if hint in _ENCODERS:
        return _ENCODERS[hint]
    _ENCODERS[hint] = encoder = _build_encoder(hint)
    return encoder


def _build_encoder(hint: Any) -> Callable[[Any], Any] | None:
    if hint is date:
        return date.toordinal
    if hint in _AS_IS:
        return None
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        names = [f.name for f in dataclasses.fields(hint)]
        steps = [(i, step) for i, name in enumerate(names) if (step := _encoder(hints[name])) is not None]
        if not names:
            return lambda value: ()
        get = operator.attrgetter(*names)
        if len(names) == 1:
            only = steps[0][1] if steps else None
            return lambda value: (None if (v := get(value)) is None else only(v) if only else v,)

        def encode(value: Any) -> Any:
            if not steps:
                return get(value)
            values = list(get(value))
            for i, step in steps:
                if values[i] is not None:
                    values[i] = step(values[i])
            return tuple(values)

        return encode
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return None
    if origin in (list, dict):
        item = _encoder(args[-1])
        if origin is list:
            return list if item is None else lambda values: [item(v) for v in values]
        return dict if item is None else lambda values: {k: item(v) for k, v in values.items()}
    if origin in (typing.Union, types.UnionType):  # X | None: None is kept as it is
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _encoder(inner[0])
        if all(a in _AS_IS for a in inner):
            return None
    return _generic_plain  # anything else: ask the value itself


_DECODERS: dict[Any, Callable[[Any], Any] | None] = {}


def from_plain(model: type, plain: Any) -> Any:
    """The model that `to_plain` made `plain` from."""
    decode = _decoder(model)
    assert decode is not None
    return decode(plain)


def _decoder(hint: Any) -> Callable[[Any], Any] | None:
    """A function that rebuilds a value of type `hint` from its plain form (None: it is its own)."""
    if hint in _DECODERS:
        return _DECODERS[hint]
    _DECODERS[hint] = decoder = _build_decoder(hint)
    return decoder


def _build_decoder(hint: Any) -> Callable[[Any], Any] | None:
    if hint is date:
        return date.fromordinal
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        steps = [
            (i, step) for i, f in enumerate(dataclasses.fields(hint)) if (step := _decoder(hints[f.name])) is not None
        ]
        cls: Any = hint

        def rebuild(values: Any) -> Any:
            if steps:
                values = list(values)
                for i, step in steps:
                    if values[i] is not None:
                        values[i] = step(values[i])
            return cls(*values)

        return rebuild
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (list, dict):
        item = _decoder(args[-1])
        if item is None:
            return None
        if origin is list:
            return lambda values: [item(v) for v in values]
        return lambda values: {k: item(v) for k, v in values.items()}
    if origin in (typing.Union, types.UnionType):  # X | None: None is kept as it is
        inner = [a for a in args if a is not type(None)]
        return _decoder(inner[0]) if len(inner) == 1 else None
    return None  # text, numbers, booleans and Literal choices are stored as they are


def plain_findings(findings: Sequence[Problem]) -> list[tuple[int, int, str, str, str]]:
    """File checks' findings as stored: without their path (an entry is a file's content)."""
    return [(p.line, p.col, p.severity, p.code, p.message) for p in findings]


# The folder ----------------------------------------------------------------------------


class _Folder:
    """`entries/`, opened once and checked through its descriptor; entries opened relative to it."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd  # None where the platform cannot open files relative to a folder

    def _open(self, name: str, flags: int, mode: int = 0o600) -> int:
        if self.fd is not None:
            return os.open(name, flags | _NOFOLLOW | _BINARY, mode, dir_fd=self.fd)
        return os.open(self.path / name, flags | _NOFOLLOW | _BINARY, mode)

    def read(self, name: str, limit: int = MAX_ENTRY_BYTES, *, head: bool = False) -> bytes | None:
        """A regular file's bytes (with `head`, only its first `limit` bytes), or None: missing, a
        link, a FIFO or a device, larger than `limit`, or unreadable."""
        try:
            fd = self._open(name, os.O_RDONLY | _NONBLOCK)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or (info.st_size > limit and not head):
                return None
            with os.fdopen(fd, "rb", closefd=False) as stream:
                return stream.read(limit)
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, name: str, data: bytes) -> bool:
        """Write `name` whole (a temporary file renamed into place); False if it could not be."""
        temporary = f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        try:
            fd = self._open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return False
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            if self.fd is not None:
                os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
            else:
                os.replace(self.path / temporary, self.path / name)
        except BaseException as exc:
            self.unlink(temporary)
            if isinstance(exc, OSError):
                return False
            raise
        return True

    def unlink(self, name: str) -> None:
        try:
            if self.fd is not None:
                os.unlink(name, dir_fd=self.fd)
            else:
                os.unlink(self.path / name)
        except OSError:
            pass

    def names(self) -> list[str]:
        try:
            return os.listdir(self.fd if self.fd is not None else self.path)
        except OSError:
            return []

    def stat(self, name: str) -> os.stat_result | None:
        try:
            if self.fd is not None:
                return os.stat(name, dir_fd=self.fd, follow_symlinks=False)
            return os.stat(self.path / name, follow_symlinks=False)
        except OSError:
            return None

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class CacheRefused(Exception):
    """The cache cannot be used safely; the message says why, for a one-line warning."""


def _open_entries(root: Path) -> _Folder:
    """`root/entries`, created 0700 if missing, opened and checked. Raises CacheRefused or OSError."""
    folder = root / SUBFOLDER
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700, parents=True)
    if os.open not in os.supports_dir_fd or not hasattr(os, "getuid"):
        return _Folder(folder, None)  # no descriptors relative to a folder (Windows): per-user profile folders
    fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
            raise CacheRefused(f"{folder} is not private (another user owns it or can write to it)")
    except BaseException:
        os.close(fd)
        raise
    return _Folder(folder, fd)


def inside_git_work_tree(folder: Path) -> Path | None:
    """The top of the git work tree that holds `folder`, if any (found by its `.git`)."""
    try:
        here = Path(os.path.realpath(folder))
    except (OSError, ValueError):
        return None
    for candidate in (here, *here.parents):
        if os.path.lexists(candidate / ".git"):
            return candidate
    return None


def _user_key(path: Path) -> bytes:
    """This user's secret cache key (kept in `path`), made on first use. Raises CacheRefused when
    the key file exists but others could read or change it, or OSError when it cannot be made."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        return _make_user_key(path)
    try:
        info = os.fstat(fd)
        private = not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o077)
        if not stat.S_ISREG(info.st_mode) or not private or info.st_size != USER_KEY_BYTES:
            raise CacheRefused(f"the cache key {path} is not a private {USER_KEY_BYTES}-byte file; delete it")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(USER_KEY_BYTES)
    finally:
        os.close(fd)


def _make_user_key(path: Path) -> bytes:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(USER_KEY_BYTES)
    temporary = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)  # atomic, and never replaces a key another run made meanwhile
        except FileExistsError:
            return _user_key(path)
    finally:
        os.unlink(temporary)
    return key


# The cache ------------------------------------------------------------------------------


class PlanCache:
    """Validated models of plan files, found by their bytes. Every method fails quietly: a
    cache that cannot be read or written only makes yotplan slower, never wrong."""

    def __init__(self, folder: _Folder, user_key: bytes) -> None:
        self.entries = folder
        self._user_key = user_key
        self._environment = _environment_key()
        self.writes = 0
        self.hits = 0

    def close(self) -> None:
        self.entries.close()

    def key(self, raw: bytes, kind: type | str, checks: str = "") -> bytes:
        """The entry key of a file's bytes read as `kind` (a model class, or "positions"), with the
        file checks of version `checks` (if any)."""
        digest = hashlib.blake2b(self._environment, digest_size=KEY_BYTES)
        digest.update((kind if isinstance(kind, str) else kind.__qualname__).encode() + b"\0")
        digest.update(checks.encode() + b"\0")
        digest.update(raw)
        return digest.digest()

    def _mac(self, key: bytes, payload: bytes | memoryview) -> bytes:
        digest = hashlib.blake2b(key, key=self._user_key, digest_size=MAC_BYTES)
        digest.update(payload)
        return digest.digest()

    def _read(self, key: bytes) -> Any | None:
        """The unmarshalled payload of the entry `key`, if this user's yotplan wrote it whole."""
        blob = self.entries.read(key.hex())
        if blob is None or blob[: len(MAGIC)] != MAGIC or blob[len(MAGIC) : len(MAGIC) + KEY_BYTES] != key:
            return None
        payload = memoryview(blob)[HEADER_BYTES:]
        mac = blob[len(MAGIC) + KEY_BYTES : HEADER_BYTES]
        if not secrets.compare_digest(self._mac(key, payload), mac):
            return None
        try:
            return marshal.loads(payload)
        except (ValueError, EOFError, TypeError):  # pragma: no cover - only our own bytes get here
            return None

    def _write(self, key: bytes, value: Any) -> None:
        try:
            payload = marshal.dumps(value)
        except ValueError:  # pragma: no cover - plain data always marshals
            return
        if self.entries.write(key.hex(), MAGIC + key + self._mac(key, payload) + payload):
            self.writes += 1

    def get(self, raw: bytes, model: type, checks: str = "") -> tuple[Any, list[Problem]] | None:
        """The model validated from exactly these bytes before, with what the file checks of
        version `checks` found in them (problems with an empty path), or None."""
        return self.get_entry(self.key(raw, model, checks), model)

    def get_entry(self, key: bytes, model: type) -> tuple[Any, list[Problem]] | None:
        """`get` by the entry's key (`key`), when it is known already."""
        plain = self._read(key)
        if plain is None:
            return None
        try:
            value = from_plain(model, plain[0])
            findings = [Problem("", *fields) for fields in plain[1]]
        except (TypeError, ValueError, IndexError, OverflowError):  # pragma: no cover - our own data
            return None
        self.hits += 1
        return value, findings

    def folder_key(self, files: Sequence[tuple[str, bytes]], checks: str = "") -> bytes:
        """The key of a folder's entry: each file's name and entry key (`key`; empty for a file
        that could not be read), in the order loading reads them."""
        digest = hashlib.blake2b(self._environment, digest_size=KEY_BYTES)
        digest.update(b"folder\0" + checks.encode() + b"\0")
        for name, key in files:
            digest.update(name.encode() + b"\0" + len(key).to_bytes(1, "big") + key)
        return digest.digest()

    def get_folder(self, key: bytes, models: Sequence[type]) -> list[tuple[Any, list[Problem]] | None] | None:
        """A folder's entry (`folder_key`): for each file, in order, what `get` would give (None
        for a file that did not validate), or None when there is no such entry."""
        plain = self._read(key)
        if plain is None or len(plain) != len(models):
            return None
        try:
            found = [
                None if item is None else (from_plain(model, item[0]), [Problem("", *fields) for fields in item[1]])
                for item, model in zip(plain, models, strict=True)
            ]
        except (TypeError, ValueError, IndexError, OverflowError):  # pragma: no cover - our own data
            return None
        self.hits += 1
        return found

    def put_folder(self, key: bytes, items: Sequence[tuple[Any, Sequence[Problem]] | None]) -> None:
        """Remember a folder's files in one entry: for each, its model as `to_plain` made it and its
        file checks' findings, or None for a file that did not validate."""
        self._write(key, [None if item is None else (item[0], plain_findings(item[1])) for item in items])

    def put(self, raw: bytes, model: type, value: Any, checks: str = "", findings: Sequence[Problem] = ()) -> None:
        """Remember `value` as the model of these bytes, and the findings of the file checks."""
        self._write(self.key(raw, model, checks), (to_plain(value), plain_findings(findings)))

    def get_positions(self, raw: bytes) -> Any | None:
        """The marked data (with positions) parsed from exactly these bytes before, or None."""
        from yotplan.plans.strict_yaml import unflatten

        flat = self._read(self.key(raw, "positions"))
        if flat is None:
            return None
        try:
            return unflatten(flat)
        except (ValueError, TypeError, StopIteration):  # pragma: no cover - our own data
            return None

    def put_positions(self, raw: bytes, data: Any) -> None:
        """Remember the marked data of these bytes: written only for files that had a problem."""
        from yotplan.plans.strict_yaml import flatten

        self._write(self.key(raw, "positions"), flatten(data))

    def prune(self) -> None:
        """Delete the oldest entries when there are too many or they take too much space, and
        temporary files left by a killed run; only files that carry yotplan's header."""
        entries = []
        for name in self.entries.names():
            info = self.entries.stat(name)
            if info is None or not stat.S_ISREG(info.st_mode):
                continue
            if len(name) == 2 * KEY_BYTES:
                entries.append((info.st_mtime, info.st_size, name))
            elif name.startswith(TEMP_PREFIX) and info.st_mtime < time.time() - 3600 and self._ours(name):
                self.entries.unlink(name)
        count, total = len(entries), sum(size for _, size, _ in entries)
        if count <= MAX_ENTRIES and total <= MAX_TOTAL_BYTES:
            return
        for _, size, name in sorted(entries):  # oldest first
            if count <= MAX_ENTRIES * 3 // 4 and total <= MAX_TOTAL_BYTES * 3 // 4:
                break
            if not self._ours(name):
                continue
            self.entries.unlink(name)
            count, total = count - 1, total - size

    def _ours(self, name: str) -> bool:
        return self.entries.read(name, len(HEADER), head=True) == HEADER


@dataclass
class CacheOpening:
    """The cache for a run (None when off or refused), and the warning to show when refused."""

    cache: PlanCache | None
    warning: str | None = None


def open_cache(root: Path, key_file: Path) -> CacheOpening:
    """The cache in the folder `root`, its entries keyed with this user's key in `key_file`;
    refused (with a warning) inside a git work tree or when its folder or key is not private;
    off (silently) when it cannot be made."""
    work_tree = inside_git_work_tree(root)
    if work_tree is not None:
        return CacheOpening(
            None,
            f"the cache folder {root} is inside the git work tree {work_tree}, where it could be committed; "
            "running without the cache (set YOTPLAN_CACHE_DIR to a folder outside it, or YOTPLAN_NO_CACHE=1)",
        )
    try:
        user_key = _user_key(key_file)
        folder = _open_entries(root)
    except CacheRefused as refused:
        return CacheOpening(None, f"{refused}; running without the cache")
    except (OSError, RuntimeError):
        return CacheOpening(None)
    return CacheOpening(PlanCache(folder, user_key))
