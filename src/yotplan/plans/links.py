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
echoed. The check costs one `lstat` per file, and one walk up per folder (remembered).
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path


@functools.lru_cache(maxsize=1024)
def _bounds(folder: str) -> tuple[str, str, bool]:
    """(the folder's real path, the real path a file in it must stay inside, whether that is a
    repository). `folder` is absolute; the repository is found by name, as written, so that a
    plans folder which is itself a link out of the repository is caught."""
    top = next((f for f in (folder, *map(str, Path(folder).parents)) if os.path.lexists(os.path.join(f, ".git"))), None)
    return os.path.realpath(folder), os.path.realpath(top or folder), top is not None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def leads_outside(path: Path) -> str | None:
    """Why `path` must not be read (a link, or a folder on its way, leading outside the repository or,
    outside a repository, outside its own folder), as the end of a sentence; None when it may be.

    A path that does not exist is None: reading it says so.
    """
    folder, root, in_repo = _bounds(os.path.dirname(os.path.abspath(path)))
    where = "the repository" if in_repo else "its folder"
    if not _inside(folder, root):
        return f"its folder is a link that leads outside {where}; yotplan reads only files inside it"
    try:
        if not stat.S_ISLNK(os.lstat(path).st_mode):
            return None
    except OSError:
        return None
    if _inside(os.path.realpath(path), root):
        return None
    return f"it is a link that leads outside {where}; yotplan reads only files inside it"
