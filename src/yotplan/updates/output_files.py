"""Writing a round's files (forms, messages, requests.yaml) into the output folder.

Each is written to a temporary file in the same folder and renamed over the old one, so a
reader never sees half a file; a symbolic link at the name is replaced, never followed, so a
link planted in the folder cannot make yotplan write somewhere else.
"""

from __future__ import annotations

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
    """Write `data` to `path` atomically, replacing (never following) whatever is there: the one
    writer of every command's output files (`yotplan.edit.safe_write.write_output`)."""
    from yotplan.edit.safe_write import write_output as write_whole
    from yotplan.errors import WriteFailed

    if path.is_dir() and not path.is_symlink():
        raise OutputRefused(f"{path} is a folder; move it away and run the command again")
    try:
        write_whole(path, data, str(path))
    except WriteFailed as exc:
        raise OutputRefused(str(exc)) from None
