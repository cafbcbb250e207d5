"""Shell completion values: ids, owner keys, source ids and folders, read from the plans.

These run on every Tab press, so they scan the YAML text with a few regular expressions
instead of loading it (no PyYAML, no pydantic: only the standard library is imported),
and they never raise: whatever goes wrong, the answer is just fewer completions. The
plans folder is the one on the command line so far (`--plans`), else $YOTPLAN_PLANS,
else `plans`. Plans written in flow style (`- {id: X}`) are not scanned; nothing else
about them needs completing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

_MAX_BYTES = 20 * 1024 * 1024
# Patterns, not compiled objects: `re` compiles and caches them on first use, which keeps
# compiling off the start-up of every other command.
_TOP_KEY = r"^([A-Za-z_][\w-]*)\s*:"
_ID_LINE = r"^(?P<lead> *(?:- +)?)id\s*:\s*(?P<value>\S.*?)(?:\s+#.*)?\s*$"
_KEY_LINE = r"^( +)([^\s#'\"][^:#]*?|\"[^\"]+\"|'[^']+')\s*:(?:\s|$)"


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _plans_dir(ctx: Any) -> Path:
    params = getattr(ctx, "params", {})
    value = params.get("plans_dir") or (params.get("plans_dirs") or [None])[0]
    return Path(value or os.environ.get("YOTPLAN_PLANS") or "plans")


def _read(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_BYTES:
            return ""
        return path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return ""


def _plan_files(folder: Path) -> list[Path]:
    try:
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.stem != "owners" and p.is_file()
        )
    except OSError:
        return []


def scan_plan_ids(text: str) -> tuple[list[str], list[str], list[str]]:
    """(source ids, recommendation ids, action ids) of one plan file's text.

    Under `source:` the first `id:` is the source's; under `recommendations:` the least
    indented `id:` keys are recommendations' and deeper ones actions'.
    """
    sources: list[str] = []
    found: list[tuple[int, str]] = []
    section = ""
    for line in text.splitlines():
        top = re.match(_TOP_KEY, line)
        if top:
            section = top.group(1)
            continue
        match = re.match(_ID_LINE, line)
        if not match:
            continue
        value = _unquote(match["value"])
        column = len(match["lead"])
        if section == "source" and not sources:
            sources.append(value)
        elif section == "recommendations":
            found.append((column, value))
    if not found:
        return sources, [], []
    top_column = min(column for column, _ in found)
    recs = [value for column, value in found if column == top_column]
    actions = [value for column, value in found if column > top_column]
    return sources, recs, actions


def scan_owner_keys(text: str) -> list[str]:
    """The keys of the `owners:` mapping of an owners file's text."""
    keys: list[str] = []
    column = -1
    inside = False
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        top = re.match(_TOP_KEY, line)
        if top:
            inside = top.group(1) == "owners"
            continue
        match = re.match(_KEY_LINE, line)
        if not inside or not match:
            continue
        indent = len(match.group(1))
        if column < 0:
            column = indent
        if indent == column:
            keys.append(_unquote(match.group(2).strip()))
    return keys


def _ids(ctx: Any, which: int) -> list[str]:
    values: list[str] = []
    for path in _plan_files(_plans_dir(ctx)):
        values.extend(scan_plan_ids(_read(path))[which])
    return values


def _matching(values: list[str], incomplete: str) -> list[str]:
    folded = incomplete.casefold()
    return list(dict.fromkeys(v for v in values if v.casefold().startswith(folded)))


def _safely(find: Callable[[Any], list[str]]) -> Callable[[Any, str], list[str]]:
    def complete(ctx: Any, incomplete: str) -> list[str]:
        try:
            return _matching(find(ctx), incomplete or "")
        except Exception:  # completion must never break the shell
            return []

    complete.__name__ = find.__name__
    return complete


@_safely
def complete_action_ids(ctx: Any) -> list[str]:
    return _ids(ctx, 2)


@_safely
def complete_recommendation_ids(ctx: Any) -> list[str]:
    return _ids(ctx, 1)


@_safely
def complete_item_ids(ctx: Any) -> list[str]:
    return _ids(ctx, 1) + _ids(ctx, 2)


@_safely
def complete_source_ids(ctx: Any) -> list[str]:
    return _ids(ctx, 0)


@_safely
def complete_owner_keys(ctx: Any) -> list[str]:
    folder = _plans_dir(ctx)
    for name in ("owners.yaml", "owners.yml"):
        if (folder / name).is_file():
            return scan_owner_keys(_read(folder / name))
    return []


def complete_folders(incomplete: str) -> list[str]:
    """Folders whose path starts with `incomplete`, each with a trailing slash."""
    try:
        head, slash, prefix = incomplete.rpartition("/")
        shown = head + slash
        base = Path(shown or ".")
        return sorted(
            f"{shown}{entry.name}/"
            for entry in os.scandir(base)
            if entry.name.startswith(prefix) and not entry.name.startswith(".") and entry.is_dir()
        )
    except (OSError, ValueError):
        return []
