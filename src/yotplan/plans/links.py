"""Links are data, not doors: a file yotplan reads must lie inside the repository it was found in.

A clone can hold symbolic links. `plans/x.yaml -> ~/.git-credentials` would have yotplan read the
credentials and quote them in an error (or a CI annotation), and a plans folder that is itself a
link could lead anywhere. So before a plan, owners, boards or service file, or a `--plans-list`
file, is opened, `leads_outside` checks where it really is:

- inside a git repository (the nearest folder above it holding `.git`), the file's real path must
  lie inside the repository's real path;
- outside any repository, it must lie inside the real path of the folder that holds it.

A link that stays inside (`plans/current.yaml -> 2024.yaml`) is read as before. A link that leads
out is refused with one line naming the link; its target is never opened, so nothing of it can be
echoed. The loader opens every file with O_NOFOLLOW, so the check costs nothing for a file that is
not a link, and one walk up per folder (remembered).
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path


@functools.lru_cache(maxsize=4096)
def _top(folder: str) -> str | None:
    """The nearest folder at or above the absolute `folder` holding `.git`, by name, as written (not
    the real path), so that a plans folder which is itself a link out of the repository is caught.
    Remembered per folder: 155 services under one folder share the walk above them."""
    if os.path.lexists(os.path.join(folder, ".git")):
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _top(parent)


@functools.lru_cache(maxsize=64)
def _real(path: str) -> str:
    return os.path.realpath(path)


@functools.lru_cache(maxsize=1024)
def _bounds(folder: str) -> tuple[str, bool, bool]:
    """(the folder files in `folder` must stay inside, as written; whether it is a repository;
    whether `folder` itself leads out of it: a link between it and that folder)."""
    here = os.path.abspath(folder)
    top = _top(here)
    root = top or here
    step = here
    while step != root and _inside(step, root):
        if os.path.islink(step):
            return root, top is not None, not _inside(os.path.realpath(here), _real(root))
        step = os.path.dirname(step)
    return root, top is not None, False


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _where(in_repo: bool) -> str:
    return "the repository" if in_repo else "its folder"


def folder_leads_outside(path: Path) -> str | None:
    """Why no file in `path`'s folder may be read (the folder, or one above it inside the
    repository, is a link leading out), or None. Worked out once per folder and remembered."""
    _, in_repo, escapes = _bounds(os.path.dirname(os.fspath(path)) or ".")
    if not escapes:
        return None
    return f"its folder is a link that leads outside {_where(in_repo)}; yotplan reads only files inside it"


def link_leads_outside(path: Path) -> str | None:
    """Why the link `path` must not be followed (it leads outside the repository or, outside a
    repository, outside its folder), or None when it stays inside. Call it for a link only."""
    root, in_repo, _ = _bounds(os.path.dirname(os.fspath(path)) or ".")
    if _inside(os.path.realpath(path), _real(root)):
        return None
    return f"it is a link that leads outside {_where(in_repo)}; yotplan reads only files inside it"


def leads_outside(path: Path) -> str | None:
    """Why `path` must not be read (`folder_leads_outside`, else `link_leads_outside` when it is a
    link), as the end of a sentence; None when it may be. A path that does not exist is None:
    reading it says so."""
    outside = folder_leads_outside(path)
    if outside is not None:
        return outside
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            return None
    except OSError:
        return None
    return link_leads_outside(path)
