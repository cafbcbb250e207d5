"""Shell completion: ids, owner keys, source ids and folders read from the plans, and the
shells' side of Typer's completion.

These run on every Tab press, so they scan the YAML text with a few regular expressions
instead of loading it (no PyYAML, no pydantic: only the standard library is imported),
and they never raise: whatever goes wrong, the answer is just fewer completions. The
plans folder is the one on the command line so far (`--plans`), else $YOTPLAN_PLANS,
else `plans`. Plans written in flow style (`- {id: X}`) are not scanned; nothing else
about them needs completing.

Matching ignores case, and each candidate keeps the case of what was typed for the part
that was typed (`hmip-1.` gives `hmip-1.1`, not `HMIP-1.1`): Typer drops any candidate
that does not start with the typed text exactly, and so do zsh and fish, and ids match in
any case anyway.

`yotplan_shells` adapts Typer's bash, zsh and fish completion while a Tab press is answered
(Typer registers its own classes each time it builds the app, so `GuardedGroup` sets them
just before Typer answers):

- `--owner=yot` completes in every shell. bash splits it into `--owner`, `=`, `yot`
  (`=` is in COMP_WORDBREAKS), which Typer reads as `--owner` with the value `=`: the
  words are joined again. zsh and fish keep it as one word and match candidates against
  all of it: each value gets `--owner=` in front. bash replaces only the text after the
  `=`, so its values stay bare.
- Parameters are left as typed while completing: Typer converts each value through
  pydantic (a third of a Tab press) and completion needs none of the conversions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Any

_MAX_BYTES = 20 * 1024 * 1024
# Patterns, not compiled objects: `re` compiles and caches them on first use, which keeps
# compiling off the start-up of every other command.
_TOP_KEY = r"^([A-Za-z_][\w-]*)\s*:"
_LIST_KEY = r"^ +(actions|indicators)\s*:\s*(?:#.*)?$"
"""The lists under a recommendation whose items carry ids."""
_ID_LINE = r"^(?P<lead> *(?:- +)?)id\s*:\s*(?P<value>\S.*?)(?:\s+#.*)?\s*$"
_KEY_LINE = r"^( +)([^\s#'\"][^:#]*?|\"[^\"]+\"|'[^']+')\s*:(?:\s|$)"


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _plans_dirs(ctx: Any) -> list[Path]:
    """The plans folders on the command line so far (`--plans` may be given more than once), else
    $YOTPLAN_PLANS, else `plans`."""
    params = getattr(ctx, "params", {})
    value = params.get("plans_dirs") or params.get("plans_dir")
    values = [v for v in value if v] if isinstance(value, (list, tuple)) else [value] if value else []
    return [Path(v) for v in values] or [Path(os.environ.get("YOTPLAN_PLANS") or "plans")]


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


def scan_plan_ids(text: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """(source ids, recommendation ids, action ids, indicator ids) of one plan file's text.

    Under `source:` the first `id:` is the source's; under `recommendations:` the least
    indented `id:` keys are recommendations', and deeper ones are actions' or indicators',
    by the list (`actions:` or `indicators:`) they follow.
    """
    sources: list[str] = []
    found: list[tuple[int, str, str]] = []
    section = ""
    inside = ""
    for line in text.splitlines():
        top = re.match(_TOP_KEY, line)
        if top:
            section = top.group(1)
            continue
        listed = re.match(_LIST_KEY, line)
        if listed:
            inside = listed.group(1)
            continue
        match = re.match(_ID_LINE, line)
        if not match:
            continue
        value = _unquote(match["value"])
        column = len(match["lead"])
        if section == "source" and not sources:
            sources.append(value)
        elif section == "recommendations":
            found.append((column, value, inside))
    if not found:
        return sources, [], [], []
    top_column = min(column for column, _, _ in found)
    recs = [value for column, value, _ in found if column == top_column]
    actions = [value for column, value, inside in found if column > top_column and inside != "indicators"]
    indicators = [value for column, value, inside in found if column > top_column and inside == "indicators"]
    return sources, recs, actions, indicators


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
    for folder in _plans_dirs(ctx):
        for path in _plan_files(folder):
            values.extend(scan_plan_ids(_read(path))[which])
    return values


def in_typed_case(value: str, typed: str) -> str | None:
    """`value` spelt as it was typed, when it starts with `typed` in any case; else None.

    The typed part keeps the typed case, so that shells that match candidates against what
    was typed show it; when that was all lower case the rest is too (`hm` gives `hmip-1.1`,
    not `hmIP-1.1`), otherwise the rest is as written (`LGA-` gives `LGA-a`).
    """
    if value.startswith(typed):
        return value
    if not value.casefold().startswith(typed.casefold()):
        return None
    for end in range(len(value) + 1):  # casefold can change a length ("ß" is "ss"): find the typed part
        if value[:end].casefold() == typed.casefold():
            rest = value[end:]
            return typed + (rest.lower() if typed.islower() else rest)
    return None  # the typed text ends inside one letter's folding: no candidate can start with it


def _matching(values: list[str], incomplete: str, any_case: bool) -> list[str]:
    if any_case:
        cased = (in_typed_case(v, incomplete) for v in values)
        return list(dict.fromkeys(v for v in cased if v is not None))
    return list(dict.fromkeys(v for v in values if v.startswith(incomplete)))


def _safely(find: Callable[[Any], list[str]], *, any_case: bool = True) -> Callable[[Any, str], list[str]]:
    def complete(ctx: Any, incomplete: str) -> list[str]:
        try:
            return _matching(find(ctx), incomplete or "", any_case)
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
def complete_indicator_ids(ctx: Any) -> list[str]:
    return _ids(ctx, 3)


@_safely
def complete_source_ids(ctx: Any) -> list[str]:
    return _ids(ctx, 0)


def _owner_keys(ctx: Any) -> list[str]:
    keys: list[str] = []
    for folder in _plans_dirs(ctx):
        for name in ("owners.yaml", "owners.yml"):
            if (folder / name).is_file():
                keys.extend(scan_owner_keys(_read(folder / name)))
                break
    return keys


# Owner keys are matched exactly wherever they are used (`--owner YOT-Manager` is not `yot-manager`),
# so they complete only in the case they are written in.
complete_owner_keys = _safely(_owner_keys, any_case=False)


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


# The shells' side ---------------------------------------------------------------------------


def join_split_options(words: list[str]) -> list[str]:
    """bash's words with each `--name`, `=`, `value` put back together as `--name=value`.

    `=` is one of bash's COMP_WORDBREAKS, so `--owner=yot` reaches Typer as three words, and
    `--owner=` (the cursor after `=`) as two. A `=` that ends the list stays glued to its
    option (`--owner=`), which Click reads as the option with an empty value still to come.
    """
    joined: list[str] = []
    glue = False
    for word in words:
        if glue:
            joined[-1] += word
            glue = False
        elif word == "=" and joined and _is_long_option(joined[-1]):
            joined[-1] += "="
            glue = True
        else:
            joined.append(word)
    return joined


def _is_long_option(word: str) -> bool:
    return word.startswith("--") and len(word) > 2 and "=" not in word


def option_head(incomplete: str) -> str:
    """`--owner=` for `--owner=yot`: what each value needs in front for a shell that completes
    the whole word; "" when the word is not a long option with a value."""
    name, equals, _ = incomplete.partition("=")
    return name + equals if equals and _is_long_option(name) else ""


class _AsTyped:
    """A Typer runtime parameter (its duck type) that keeps the value as typed."""

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        return value


_AS_TYPED = _AsTyped()


@contextmanager
def yotplan_shells() -> Iterator[None]:
    """While Typer answers a Tab press: yotplan's bash, zsh and fish classes, and every parameter
    left as typed (completion reads only strings and paths; Typer would convert each value
    through pydantic, a third of the time of a Tab press). Typer's own are put back after.
    Never raises: if Typer's internals have moved, its own completion answers as before."""
    undo: list[Callable[[], object]] = []
    with suppress(Exception):  # only when Typer's internals change
        undo = _adapt_typer()
    try:
        yield
    finally:
        for step in undo:
            step()


def _adapt_typer() -> list[Callable[[], object]]:
    # Typer's completion modules, imported only on a Tab press. Typer registers its own shell
    # classes each time it builds the app, so this runs after that, just before it answers.
    from typer._click.shell_completion import CompletionItem, add_completion_class, get_completion_class
    from typer._completion_classes import BashComplete, FishComplete, ZshComplete
    from typer.core import _TyperParameter

    def with_head(items: list[CompletionItem], incomplete: str, args: list[str]) -> list[CompletionItem]:
        head = option_head(incomplete) if "--" not in args else ""
        if not head:
            return items
        return [CompletionItem(f"{head}{item.value}", type=item.type, help=item.help) for item in items]

    class Bash(BashComplete):
        def get_completion_args(self) -> tuple[list[str], str]:
            args, incomplete = super().get_completion_args()
            if incomplete:
                *args, incomplete = join_split_options([*args, incomplete])
            else:  # a space after `--owner=`: the empty value is complete, a new word starts
                args = join_split_options(args)
            return args, incomplete

    class Zsh(ZshComplete):
        def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
            return with_head(super().get_completions(list(args), incomplete), incomplete, args)

    class Fish(FishComplete):
        def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
            return with_head(super().get_completions(list(args), incomplete), incomplete, args)

    undo: list[Callable[[], object]] = []
    for name, cls in (("bash", Bash), ("zsh", Zsh), ("fish", Fish)):
        typers = get_completion_class(name)
        if typers is not None:
            undo.append(partial(add_completion_class, typers, name))
            add_completion_class(cls, name)
    get_runtime_param = _TyperParameter.get_runtime_param
    undo.append(lambda: setattr(_TyperParameter, "get_runtime_param", get_runtime_param))
    _TyperParameter.get_runtime_param = lambda self: _AS_TYPED  # type: ignore[assignment,method-assign,return-value]
    return undo
