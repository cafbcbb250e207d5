"""Reading plans from git history: the only module that runs git.

Every call passes an argument list to git (never a shell string), so a revision or path
from the user is never interpreted by a shell. Git failures become `GitError`s with one
plain line saying what to do.

git is a tool yotplan drives, never one a repository configures (SECURITY.md, "git"):

- The repository is found once, by yotplan, from the plans folder: the nearest folder upwards
  holding a `.git` folder or file, which a clone can never commit. git's own discovery would
  adopt a committed folder that merely looks like a git directory (HEAD, objects/, refs/ and a
  config naming programs). Every command then gets `--git-dir` and `--work-tree` explicitly.
- Every command runs with `SAFE_CONFIG` (command-line configuration outranks the repository's)
  and `SAFE_ENV`, so no configuration can make git run a program: no signature checks, no
  fsmonitor, no external diff or textconv, no hooks, no pager, no credential or ssh helper.
- `git log` is read with NUL-separated fields: no byte of a subject or an author can forge an
  entry, and a malformed date is replaced, not a crash.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from yotplan.errors import GitError, NotAGitRepo, UnknownRevision

SAFE_CONFIG: tuple[str, ...] = tuple(
    arg
    for setting in (
        "safe.bareRepository=explicit",  # never adopt a folder that only looks like a git directory
        "core.fsmonitor=false",  # a program run on every index refresh
        "core.hooksPath=/dev/null",  # no hook runs (read-only commands run none, but say so)
        "core.pager=cat",
        "pager.log=false",
        "diff.external=",  # an external diff program
        "log.showSignature=false",  # a signature check runs gpg.program / gpg.*.program
        "gpg.program=false",
        "gpg.openpgp.program=false",
        "gpg.x509.program=false",
        "gpg.ssh.program=false",
        "core.sshCommand=false",  # network helpers: yotplan never fetches, but none may run
        "core.gitProxy=",
        "credential.helper=",
        "core.askPass=",
        "protocol.allow=never",
        "core.alternateRefsCommand=",
        "core.editor=false",
        "sequence.editor=false",
        "gc.auto=0",  # no background gc or maintenance process
        "maintenance.auto=false",
        "submodule.recurse=false",
    )
    for arg in ("-c", setting)
)
"""`-c` settings on every git command. Command-line configuration outranks the repository's own, so
these hold whatever `.git/config` (or a file it includes) says."""

READ_OPTIONS = ("--no-ext-diff", "--no-textconv", "--no-show-signature")
"""Options of `git log` that refuse external diff programs, textconv filters and signature checks."""

_UNSAFE_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "PAGER",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "GIT_EDITOR",
    "GIT_PROXY_COMMAND",
    "GIT_CONFIG",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
)

NO_DATE = "1970-01-01T00:00:00+00:00"
"""The date shown for a commit whose date git cannot read (a hand-made commit object)."""


@dataclass(frozen=True, slots=True)
class GitRepo:
    """A plans folder inside a git repository."""

    top: Path
    """The repository's top folder: the nearest folder above the plans holding `.git`."""
    folder: str
    """The plans folder relative to `top`, with `/` separators; "" when it is the top itself."""
    git_dir: Path | None = None
    """`top/.git` (a folder, or a file naming one); None only for a bare GitRepo made in a test."""

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


def safe_env() -> dict[str, str]:
    """The environment of every git command: the user's, without the variables that name a program
    or another repository, in the C locale, never prompting."""
    env = {k: v for k, v in os.environ.items() if k not in _UNSAFE_ENV and not k.startswith("GIT_CONFIG_KEY_")}
    env.update(LC_ALL="C", GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0")
    return env


def git(repo: GitRepo, *args: str, input: bytes | None = None) -> bytes:
    """Run `git ARGS` on `repo` with SAFE_CONFIG and explicit --git-dir and --work-tree; raise
    GitError with git's own first line when it fails."""
    where = ["-C", str(repo.top)]
    if repo.git_dir is not None:
        where += [f"--git-dir={repo.git_dir}", f"--work-tree={repo.top}"]
    argv = ["git", "--no-pager", *SAFE_CONFIG, *where, *args]
    try:
        done = subprocess.run(argv, input=input, capture_output=True, env=safe_env(), check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); install git to compare plan revisions") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {message[0] if message else f'exit status {done.returncode}'}")
    return done.stdout


def find_top(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` that holds `.git` (a folder, or a file naming one, as
    in a worktree or a submodule); None when there is none.

    Only a `.git` entry counts: git refuses to commit a path named `.git`, so no clone can plant
    one, while git's own discovery would adopt any committed folder shaped like a git directory.
    """
    for candidate in (folder, *folder.parents):
        try:
            info = os.lstat(candidate / ".git")
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode):
            return candidate
    return None


def open_repo(folder: Path) -> GitRepo:
    """The repository holding `folder`. Raises NotAGitRepo, or GitError when git is missing."""
    if not folder.is_dir():
        raise GitError(f"{folder}: no such folder; pass --plans DIR")
    resolved = folder.resolve()
    top = find_top(resolved)
    not_a_repo = NotAGitRepo(
        f"{folder} is not inside a git repository; diff, history and --since read the plans' git history"
    )
    if top is None:
        raise not_a_repo
    repo = GitRepo(top, "", top / ".git")
    try:
        git(repo, "rev-parse", "--git-dir")  # a broken or foreign .git is refused here, by git
    except GitError as exc:
        if "not a git repository" in str(exc):
            raise not_a_repo from None
        raise
    relative = resolved.relative_to(top).as_posix()
    return GitRepo(top, "" if relative == "." else relative, top / ".git")


def resolve_commit(repo: GitRepo, rev: str) -> str:
    """The full hash of the commit `rev` names. Raises UnknownRevision."""
    if rev.startswith("-"):
        raise UnknownRevision(f"{rev!r} is not a revision (it looks like an option)")
    try:
        out = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
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
        path = git(repo, "rev-parse", "--git-path", "shallow").decode("utf-8").strip()
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
        return git(repo, "describe", "--tags", "--abbrev=0").decode("utf-8").strip()
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
        out = git(repo, "ls-tree", "-z", "--end-of-options", tree)
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
    out = git(repo, "cat-file", "--batch", input="".join(f"{h}\n" for h in wanted).encode("ascii"))
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
        repo,
        "log",
        "-z",
        "--reverse",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        *READ_OPTIONS,
        f"--format={_LOG_FORMAT}",
        "HEAD",
        "--",
        repo.folder or ".",
    )
    prefix = f"{repo.folder}/" if repo.folder else ""
    # --no-abbrev (needed for the blob hashes) also lengthens %h: cut hashes to git's own short length.
    short_length = len(short_hash(repo, "HEAD"))
    history = []
    for fields, raw in parse_log(out):
        full, parents, author, when, committed, subject = fields
        files = []
        for meta, path in raw:
            name = path.removeprefix(prefix)
            if not path.startswith(prefix) or "/" in name:
                continue  # only files directly in the plans folder are plans
            parts = meta.split()
            if len(parts) < 4:
                continue
            old_blob, new_blob = parts[2:4]
            files.append(FileChange(name, _blob_or_none(old_blob), _blob_or_none(new_blob)))
        commit = Commit(full, full[:short_length], tuple(parents.split()), author, iso_date(when, committed), subject)
        history.append((commit, files))
    return history


_LOG_FIELDS = ("%H", "%P", "%an", "%aI", "%cI", "%s")
_LOG_FORMAT = "%x00".join(_LOG_FIELDS)
"""Fields separated by NUL, which git never writes inside a field (it ends a subject at a NUL)."""


def parse_log(out: bytes) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """The commits of `git log -z --raw --format=_LOG_FORMAT`: each one's fields, and its raw
    (meta, path) entries. The stream is NUL-separated tokens: a commit's fields, then pairs whose
    meta starts with ":", then the next commit, whose hash never does."""
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    width = len(_LOG_FIELDS)
    commits: list[tuple[list[str], list[tuple[str, str]]]] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].strip("\n"):
            i += 1
            continue
        fields = [tokens[i].lstrip("\n"), *tokens[i + 1 : i + width]]
        i += width
        if len(fields) != width or not _is_hash(fields[0]):
            raise GitError("git log wrote something yotplan cannot read; is this git 2.20 or later?")
        raw = []
        while i + 1 < len(tokens) and tokens[i].lstrip("\n").startswith(":"):
            raw.append((tokens[i].lstrip("\n"), tokens[i + 1]))
            i += 2
        commits.append((fields, raw))
    return commits


def _is_hash(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def iso_date(author: str, committer: str = "") -> str:
    """The author date as strict ISO 8601, else the committer date, else NO_DATE: a hand-made
    commit can hold a date git prints as `%aI` literally, with an offset of +99:99, or in year
    10000, and no such text reaches a parser."""
    for text in (author, committer):
        try:
            datetime.fromisoformat(text)
        except ValueError:
            continue
        return text
    return NO_DATE


def _blob_or_none(blob: str) -> str | None:
    """git writes an all-zero hash for the missing side of an added or deleted file."""
    return None if not blob.strip("0") else blob


def is_shallow(repo: GitRepo) -> bool:
    """Whether the repository is a shallow clone, its history cut off (CI checkouts are, by default)."""
    return git(repo, "rev-parse", "--is-shallow-repository").decode("ascii").strip() == "true"


def short_hash(repo: GitRepo, commit: str) -> str:
    return git(repo, "rev-parse", "--short", commit).decode("ascii").strip()


def _has_head(repo: GitRepo) -> bool:
    try:
        resolve_commit(repo, "HEAD")
    except UnknownRevision:
        return False
    return True
