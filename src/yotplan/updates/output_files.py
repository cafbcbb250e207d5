"""Writing a round's files (forms, messages, requests.yaml) into the output folder.

Each is written to a temporary file in the same folder and renamed over the old one, so a
reader never sees half a file; a symbolic link at the name is replaced, never followed, so a
link planted in the folder cannot make yotplan write somewhere else.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from yotplan.errors import YotplanError


class OutputRefused(YotplanError):
    """The output folder or a file in it cannot be written."""


def prepare_folder(folder: Path) -> None:
    """Create the output folder if needed; refuse a file or a link where it should be."""
    if folder.is_symlink():
        raise OutputRefused(f"{folder} is a symbolic link; give -o a real folder")
    if folder.exists() and not folder.is_dir():
        raise OutputRefused(f"{folder} is a file; give -o a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputRefused(f"cannot create {folder}: {exc.strerror or exc}") from None


def write_output(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, replacing (never following) whatever is there."""
    if path.is_dir() and not path.is_symlink():
        raise OutputRefused(f"{path} is a folder; move it away and run the command again")
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".yotplan-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644 & ~_umask())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise OutputRefused(f"cannot write {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
