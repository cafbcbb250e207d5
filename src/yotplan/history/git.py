"""Reading plans from git history: the only module that runs git.

Every call passes an argument list to git (never a shell string), so a revision or path
from the user is never interpreted by a shell. Git failures become `GitError`s with one
plain line saying what to do.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from yotplan.errors import GitError, NotAGitRepo, UnknownRevision

# A NUL between records and a unit separator between fields: neither can occur in a subject line.
_FIELD = "\x1f"
_LOG_FORMAT = "%x1f".join(["%H", "%P", "%an", "%aI", "%s"])


@dataclass(frozen=True, slots=True)
class GitRepo:
    """A plans folder inside a git repository."""

    top: Path
    """The repository's top folder (`git rev-parse --show-toplevel`)."""
    folder: str
    """The plans folder relative to `top`, with `/` separators; "" when it is the top itself."""

    def path_of(self, name: str) -> str:
        """The repository path of a file in the plans folder."""
        return f"{self.folder}/{name}" if self.folder else name


@dataclass(frozen=True, slots=True)
class Commit:
    hash: str
    short: str
    parents: tuple[str, ...]
    author: str
    date: str
    """Author date, strict ISO 8601 with offset (git's %aI)."""
    subject: str


def git(top: Path, *args: str, input: bytes | None = None) -> bytes:
    """Run `git -C top ARGS`; raise GitError with git's own first line when it fails."""
    env = {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(["git", "-C", str(top), *args], input=input, capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); install git to compare plan revisions") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[0] if message else f'exit status {done.returncode}'}")
    return done.stdout


def open_repo(folder: Path) -> GitRepo:
    """The repository holding `folder`. Raises NotAGitRepo, or GitError when git is missing."""
    if not folder.is_dir():
        raise GitError(f"{folder}: no such folder; pass --plans DIR")
    try:
        out = git(folder, "rev-parse", "--show-toplevel")
    except GitError as exc:
        if "not a git repository" in str(exc):
            raise NotAGitRepo(
                f"{folder} is not inside a git repository; diff, history and --since read the plans' git history"
            ) from None
        raise
    top = Path(out.decode("utf-8").strip()).resolve()
    relative = folder.resolve().relative_to(top).as_posix()
    return GitRepo(top, "" if relative == "." else relative)


def resolve_commit(repo: GitRepo, rev: str) -> str:
    """The full hash of the commit `rev` names. Raises UnknownRevision."""
    if rev.startswith("-"):
        raise UnknownRevision(f"{rev!r} is not a revision (it looks like an option)")
    try:
        out = git(repo.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except GitError:
        if shallow_boundary(repo):
            raise UnknownRevision(
                f"revision {rev!r} is not in this shallow clone, which has only the latest history; {SHALLOW_FIX}"
            ) from None
        raise UnknownRevision(
            f"revision {rev!r} does not exist in {repo.top}; `git log --oneline` lists commits, `git tag` tags"
        ) from None
    return out.decode("ascii").strip()


SHALLOW_FIX = (
    "fetch the whole history with `git fetch --unshallow` (in GitHub Actions, `fetch-depth: 0` in actions/checkout)"
)


def shallow_boundary(repo: GitRepo) -> set[str]:
    """The commits whose parents a shallow clone does not have (empty for a full clone). Their
    changes cannot be known: git would show every file as added."""
    try:
        path = git(repo.top, "rev-parse", "--git-path", "shallow").decode("utf-8").strip()
    except GitError:
        return set()
    shallow_file = Path(path) if Path(path).is_absolute() else repo.top / path
    try:
        return set(shallow_file.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        return set()


def has_commits(repo: GitRepo) -> bool:
    return _has_head(repo)


def default_base(repo: GitRepo) -> str:
    """What `diff` compares with by default: the last tag, else the previous commit."""
    try:
        return git(repo.top, "describe", "--tags", "--abbrev=0").decode("utf-8").strip()
    except GitError:
        pass
    try:
        resolve_commit(repo, "HEAD~1")
    except UnknownRevision:
        if shallow_boundary(repo):
            raise UnknownRevision(
                f"this is a shallow clone, so the previous commit is missing; {SHALLOW_FIX}"
            ) from None
        raise UnknownRevision(
            "there is no tag and no previous commit to compare with; name a revision, e.g. `yotplan diff HEAD`"
        ) from None
    return "HEAD~1"


def plan_blobs(repo: GitRepo, commit: str) -> list[tuple[str, str]]:
    """(file name, blob hash) of each file directly in the plans folder at `commit`, in name order.

    Empty when the folder did not exist at that commit.
    """
    tree = f"{commit}:{repo.folder}" if repo.folder else f"{commit}:"
    try:
        out = git(repo.top, "ls-tree", "-z", "--end-of-options", tree)
    except GitError:
        return []  # the folder does not exist at this commit
    entries = []
    for record in out.decode("utf-8", "surrogateescape").split("\0"):
        if not record:
            continue
        meta, name = record.split("\t", 1)
        _mode, kind, blob = meta.split()
        if kind == "blob":
            entries.append((name, blob))
    return sorted(entries)


def read_blobs(repo: GitRepo, hashes: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob, read by one `git cat-file --batch` process."""
    wanted = list(dict.fromkeys(hashes))
    if not wanted:
        return {}
    out = git(repo.top, "cat-file", "--batch", input="".join(f"{h}\n" for h in wanted).encode("ascii"))
    blobs: dict[str, bytes] = {}
    pos = 0
    for blob in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3:
            raise GitError(f"git cat-file could not read blob {blob}")
        size = int(header[2])
        blobs[blob] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1  # the content is followed by a newline
    return blobs


@dataclass(frozen=True, slots=True)
class FileChange:
    """One plan file a commit changed: its blob before and after (None when added or deleted)."""

    name: str
    old_blob: str | None
    new_blob: str | None


def log_plan_changes(repo: GitRepo) -> list[tuple[Commit, list[FileChange]]]:
    """Commits reachable from HEAD that changed files in the plans folder, oldest first, each with
    the files it changed (compared with its first parent; renames count as delete plus add)."""
    if not _has_head(repo):
        return []
    out = git(
        repo.top,
        "log",
        "-z",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        f"--format=%x1e{_LOG_FORMAT}",
        "HEAD",
        "--",
        repo.folder or ".",
    )
    prefix = f"{repo.folder}/" if repo.folder else ""
    # --no-abbrev (needed for the blob hashes) also lengthens %h: cut hashes to git's own short length.
    short_length = len(short_hash(repo, "HEAD"))
    history = []
    for record in out.decode("utf-8", "surrogateescape").split("\x1e"):
        if not record:
            continue
        header, _, raw = record.partition("\0")
        full, parents, author, when, subject = header.split(_FIELD, 4)
        fields = raw.lstrip("\n").split("\0")
        files = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            name = path.removeprefix(prefix)
            if not meta.startswith(":") or not path.startswith(prefix) or "/" in name:
                continue  # only files directly in the plans folder are plans
            old_blob, new_blob = meta.split()[2:4]
            files.append(FileChange(name, _blob_or_none(old_blob), _blob_or_none(new_blob)))
        history.append((Commit(full, full[:short_length], tuple(parents.split()), author, when, subject), files))
    return history


def _blob_or_none(blob: str) -> str | None:
    """git writes an all-zero hash for the missing side of an added or deleted file."""
    return None if not blob.strip("0") else blob


def is_shallow(repo: GitRepo) -> bool:
    """Whether the repository is a shallow clone, its history cut off (CI checkouts are, by default)."""
    return git(repo.top, "rev-parse", "--is-shallow-repository").decode("ascii").strip() == "true"


def short_hash(repo: GitRepo, commit: str) -> str:
    return git(repo.top, "rev-parse", "--short", commit).decode("ascii").strip()


def _has_head(repo: GitRepo) -> bool:
    try:
        resolve_commit(repo, "HEAD")
    except UnknownRevision:
        return False
    return True
