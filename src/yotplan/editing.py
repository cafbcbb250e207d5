"""Round-trip editing of YAML files: the one module that owns ruamel.yaml.

Every change to a plan is reviewed in git, so an edit must change only the lines it means
to change. How this module gets there:

- ruamel.yaml's round-trip mode keeps comments, key order, quoting and blank lines. The
  indentation is detected from the file itself; the line width is unlimited; a leading
  `---`, the file's line endings (LF or CRLF) and a byte-order mark are kept.
- What ruamel cannot reproduce (a plain text wrapped over several lines, `key:   value`,
  spaces inside `[ a, b ]`, a closing `...`, a second indentation style) stays as the file
  had it: the edit is the diff between ruamel's rendering before and after the change,
  and only that diff's hunks are carried over onto the original text. The result must
  parse to exactly what ruamel rendered, or ruamel's rendering is used as it is.
- Comment lines and blank lines after the last item of a list or mapping belong, for a
  reader, to what comes next; ruamel hangs them on the node before. When something is
  inserted after that node they move along, so they stay above what came next.
- New texts are quoted when another YAML reader would take them for something else
  (`no`, `on`, `1.10`, `2024-06-30`: YAML 1.1 readers such as PyYAML's default loader);
  dates are written as dates; texts longer than FOLD_WIDTH are folded (`>-`), as in the
  shipped plans.
"""

from __future__ import annotations

import difflib
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from yotplan.yamlio import YamlProblem, parse_yaml

FOLD_WIDTH = 100
"""New texts longer than this are written as folded blocks with lines of at most this many characters."""

_STR_TAG = "tag:yaml.org,2002:str"
# A text that YAML 1.1 or 1.2 would resolve to a bool, null, number or date must be quoted.
_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))
_BLOCK_SCALARS = (FoldedScalarString, LiteralScalarString)
_QUOTED_SCALARS = (SingleQuotedScalarString, DoubleQuotedScalarString)


class EditError(Exception):
    """ruamel could not read or render a file that the strict loader accepted."""


@dataclass(frozen=True, slots=True)
class Indentation:
    """ruamel's three indentation settings: `mapping` per level, and for lists the column of
    the item text (`sequence`) and of the dash (`offset`), both relative to the parent key."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


_KEY_ONLY = re.compile(r"^(?P<indent> *)(?P<dash>-\s+)?(?P<key>[^\s#'\"-][^:#]*?|\"[^\"]*\"|'[^']*')\s*:\s*(?:#.*)?$")
_CONTENT = re.compile(r"^(?P<indent> *)(?P<dash>-(?:\s+|$))?(?P<rest>.*)$")


def detect_indentation(text: str) -> Indentation:
    """The indentation most used by the file: mapping indent, sequence item and dash columns.

    Looks at each `key:` line with no value and the next line with content. Defaults to the
    shipped plans' style (2, 4, 2) for anything the file does not show.
    """
    lines = [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()
    for line, following in itertools.pairwise(lines):
        key_line = _KEY_ONLY.match(line)
        nxt = _CONTENT.match(following)
        if not key_line or not nxt:
            continue
        key_col = len(key_line["indent"]) + len(key_line["dash"] or "")
        next_col = len(nxt["indent"])
        if nxt["dash"] and next_col >= key_col:
            sequences[(next_col - key_col + len(nxt["dash"]), next_col - key_col)] += 1
        elif not nxt["dash"] and next_col > key_col:
            mappings[next_col - key_col] += 1
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    sequence, offset = sequences.most_common(1)[0][0] if sequences else (mapping + 2, mapping)
    return Indentation(mapping, max(sequence, offset + 2), offset)


def _make_yaml(indentation: Indentation, explicit_start: bool, explicit_end: bool) -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line that is already there
    yaml.indent(mapping=indentation.mapping, sequence=indentation.sequence, offset=indentation.offset)
    yaml.explicit_start = explicit_start
    yaml.explicit_end = explicit_end
    return yaml


class RoundTripDocument:
    """One YAML file's text and its ruamel round-trip tree, rendered back with the smallest diff.

    Change `data` with the helpers of this module (set_value, remove_key, append_item,
    add_entry), then call `render()`.
    """

    def __init__(self, raw: bytes) -> None:
        text = raw.decode("utf-8")
        self.bom = text.startswith("\ufeff")
        text = text.removeprefix("\ufeff")
        crlf = text.count("\r\n")
        self.newline = "\r\n" if crlf and crlf >= text.count("\n") - crlf else "\n"
        self.original = text.replace("\r\n", "\n")
        content = [ln.rstrip() for ln in self.original.split("\n") if ln.strip() and not ln.startswith("#")]
        explicit_start = bool(content) and (content[0] == "---" or content[0].startswith("--- "))
        explicit_end = bool(content) and content[-1] == "..."
        self.indentation = detect_indentation(self.original)
        self._yaml = _make_yaml(self.indentation, explicit_start, explicit_end)
        try:
            self.data: Any = self._yaml.load(self.original)
        except YAMLError as exc:
            raise EditError(f"the round-trip YAML reader cannot read this file: {exc}") from None
        self._baseline = self._dump()

    def _dump(self) -> str:
        out = io.StringIO()
        try:
            self._yaml.dump(self.data, out)
        except YAMLError as exc:  # pragma: no cover - ruamel renders what it read
            raise EditError(f"cannot render the edited file: {exc}") from None
        return out.getvalue()

    def render(self) -> str:
        """The file's new text with "\\n" line ends: the original, with only the edit's lines changed."""
        edited = self._dump()
        if edited == self._baseline:
            return self.original
        merged = "".join(
            _transplant(
                self.original.splitlines(keepends=True),
                self._baseline.splitlines(keepends=True),
                edited.splitlines(keepends=True),
            )
        )
        if merged != edited and not _same_data(merged, edited):
            return edited  # the carried-over hunks did not fit: ruamel's own rendering is right
        return merged

    def encode(self, text: str) -> bytes:
        """`text` (from render) as bytes with the file's own line endings and byte-order mark."""
        return (("\ufeff" if self.bom else "") + text.replace("\n", self.newline)).encode("utf-8")


def _same_data(text: str, other: str) -> bool:
    try:
        return bool(parse_yaml(text) == parse_yaml(other))
    except YamlProblem:
        return False


def _line_map(a: Sequence[str], b: Sequence[str]) -> dict[int, int]:
    """Which line of `b` each line of `a` is, for the lines that the diff keeps."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return {i + k: j + k for i, j, size in matcher.get_matching_blocks() for k in range(size)}


def _transplant(original: list[str], baseline: list[str], edited: list[str]) -> list[str]:
    """`original` with the changes that turn `baseline` into `edited` (a three-way merge).

    `baseline` is ruamel's rendering of `original` (the same data, maybe formatted
    differently). Lines found unchanged in all three are anchors; between two anchors,
    the original's lines are kept unless the edit changed something there.
    """
    if baseline == original:
        return edited
    to_original = _line_map(baseline, original)
    to_edited = _line_map(baseline, edited)
    anchors = [(b, to_original[b], to_edited[b]) for b in range(len(baseline)) if b in to_original and b in to_edited]
    anchors.append((len(baseline), len(original), len(edited)))
    out: list[str] = []
    prev_b = prev_o = prev_e = -1
    for b, o, e in anchors:
        if baseline[prev_b + 1 : b] == edited[prev_e + 1 : e]:
            out.extend(original[prev_o + 1 : o])
        else:
            out.extend(edited[prev_e + 1 : e])
        if b < len(baseline):
            out.append(original[o])
        prev_b, prev_o, prev_e = b, o, e
    return out


# Values --------------------------------------------------------------------------------


def needs_quotes(text: str) -> bool:
    """Whether a plain `text` would be read as something other than text by YAML 1.1 or 1.2."""
    return any(r.resolve(ScalarNode, text, (True, False)) != _STR_TAG for r in _RESOLVERS)


def scalar(value: Any, like: Any = None) -> Any:
    """A value ready to put in the tree. `like` is the value it replaces, whose style it keeps."""
    if isinstance(value, date) and isinstance(like, _QUOTED_SCALARS):
        return type(like)(value.isoformat())  # `due: '2022-07-31'` stays quoted
    if not isinstance(value, str):
        return value
    if "\n" not in value and len(value) > FOLD_WIDTH:
        folded = _folded(value)
        if folded is not None:
            return folded
    if isinstance(like, _QUOTED_SCALARS) and "\n" not in value:
        return type(like)(value)
    if needs_quotes(value):
        return SingleQuotedScalarString(value)
    return value


def _folded(text: str) -> FoldedScalarString | None:
    """`text` as a `>-` block folded into lines of at most FOLD_WIDTH characters, if it folds cleanly."""
    if text != text.strip() or "  " in text or "\t" in text:
        return None  # folding would change the spaces
    folds: list[int] = []
    line_start = 0
    last_space = -1
    for i, ch in enumerate(text):
        if ch == " ":
            if i - line_start > FOLD_WIDTH and last_space > line_start:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(text) - line_start > FOLD_WIDTH and last_space > line_start:
        folds.append(last_space)
    if not folds:
        return None
    result: FoldedScalarString = FoldedScalarString(text)
    result.fold_pos = folds  # type: ignore[attr-defined]  # a slot that ruamel does not declare
    return result


def new_mapping(pairs: Iterable[tuple[str, Any]]) -> CommentedMap:
    """A block mapping of the pairs whose value is not None, in the given order."""
    mapping = CommentedMap()
    for key, value in pairs:
        if value is not None:
            mapping[key] = scalar(value)
    return mapping


def new_list(items: Iterable[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_block_style()
    return seq


# Structure edits -----------------------------------------------------------------------
#
# ruamel keeps the comment lines after a node in a CommentToken on the deepest last entry
# of that node: for a mapping entry in `ca.items[key][2]`, for a list item in
# `ca.items[index][0]`. For a plain value the token starts with the rest of the value's
# line (an end-of-line comment, or just "\n"); after a block scalar it holds only the
# following lines. `_take_following` / `_give_following` move the following lines.


def _slot(container: Any, key: Any) -> list[Any] | None:
    items: dict[Any, list[Any]] = container.ca.items
    return items.get(key)


def _token_index(container: Any) -> int:
    return 0 if isinstance(container, CommentedSeq) else 2


def _is_block(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and len(node) > 0 and not node.fa.flow_style()


def _tail(container: Any, key: Any) -> tuple[list[tuple[Any, Any]], tuple[Any, Any]]:
    """The chain of (container, key) entries from `container[key]` down to its deepest last entry."""
    chain = [(container, key)]
    node = container[key]
    while _is_block(node):
        last = len(node) - 1 if isinstance(node, CommentedSeq) else next(reversed(node))
        chain.append((node, last))
        node = node[last]
    return chain, chain[-1]


def _split_token(container: Any, key: Any, value: str) -> tuple[str, str]:
    """(end-of-line part, following lines) of the comment token after `container[key]`."""
    if isinstance(container[key], _BLOCK_SCALARS):
        return "", value
    head, newline, rest = value.partition("\n")
    return head + newline, rest


def _take_following(container: Any, key: Any) -> str:
    """Remove and return the comment and blank lines that follow the entry `container[key]`."""
    chain, _ = _tail(container, key)
    for owner, entry in reversed(chain):
        slot = _slot(owner, entry)
        token = slot[_token_index(owner)] if slot else None
        if token is None:
            continue
        eol, following = _split_token(owner, entry, token.value)
        if not following:
            return ""
        if eol:
            token.value = eol
        else:
            slot[_token_index(owner)] = None  # type: ignore[index]
        return following
    return ""


def _peek_following(container: Any, key: Any) -> str:
    chain, _ = _tail(container, key)
    for owner, entry in reversed(chain):
        slot = _slot(owner, entry)
        token = slot[_token_index(owner)] if slot else None
        if token is not None:
            return _split_token(owner, entry, token.value)[1]
    return ""


def _give_following(container: Any, key: Any, following: str) -> None:
    """Put `following` (comment and blank lines) after the entry `container[key]`."""
    if not following:
        return
    _, (owner, entry) = _tail(container, key)
    index = _token_index(owner)
    slot = owner.ca.items.setdefault(entry, [None, None, None, None])
    token = slot[index]
    if token is not None:
        token.value = token.value + following
        return
    eol = "" if isinstance(owner[entry], _BLOCK_SCALARS) else "\n"
    slot[index] = CommentToken(eol + following, CommentMark(0), None)


def set_value(mapping: CommentedMap, key: str, value: Any, order: Sequence[str] = ()) -> None:
    """Set `mapping[key]`: replace its value in place, or insert the key after the last key
    that comes before it in `order` (at the end when none does)."""
    if key in mapping:
        old = mapping[key]
        if isinstance(old, (CommentedMap, CommentedSeq)) or isinstance(value, (CommentedMap, CommentedSeq)):
            following = _take_following(mapping, key)
            mapping[key] = scalar(value, old)
            _give_following(mapping, key, following)
        else:
            mapping[key] = scalar(value, old)
        return
    keys = list(mapping)
    rank = {name: i for i, name in enumerate(order)}
    position = len(keys)
    if key in rank:
        before = [i for i, k in enumerate(keys) if k in rank and rank[k] < rank[key]]
        position = before[-1] + 1 if before else 0
    if position == 0:
        mapping.insert(0, key, scalar(value))
        return
    previous = keys[position - 1]
    following = _take_following(mapping, previous)
    mapping.insert(position, key, scalar(value))
    _give_following(mapping, key, following)


def remove_key(mapping: CommentedMap, key: str) -> None:
    """Delete `mapping[key]`; the comment lines after it stay, after the entry before it."""
    if key not in mapping:
        return
    keys = list(mapping)
    following = _take_following(mapping, key)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    position = keys.index(key)
    if position > 0:
        _give_following(mapping, keys[position - 1], following)


def append_item(mapping: CommentedMap, key: str, item: Any, order: Sequence[str] = ()) -> None:
    """Append `item` to the list `mapping[key]`, creating the key (in `order`) when it is
    missing, empty or null. Blank lines between items are kept as the list has them."""
    seq = mapping.get(key)
    if not isinstance(seq, CommentedSeq) or not seq:
        set_value(mapping, key, new_list([item]), order)
        return
    if seq.fa.flow_style():
        seq.append(item)
        return
    _append_after(seq, len(seq) - 1, lambda: seq.append(item), len(seq))


def add_entry(mapping: CommentedMap, key: str, entry_key: str, value: Any) -> None:
    """Add `entry_key: value` at the end of the mapping `mapping[key]` (creating it when it is
    missing, empty or null), spaced like the entries before it."""
    inner = mapping.get(key)
    entry_key = scalar(entry_key)  # an owner key such as `no` must stay text for YAML 1.1 readers
    if not isinstance(inner, CommentedMap) or not inner:
        fresh = CommentedMap()
        fresh[entry_key] = value
        set_value(mapping, key, fresh)
        return
    if inner.fa.flow_style():
        inner[entry_key] = value
        return
    keys = list(inner)

    def add() -> None:
        inner[entry_key] = value

    _append_after(inner, keys[-1], add, entry_key, before_last=keys[-2] if len(keys) > 1 else None)


def _append_after(container: Any, last: Any, add: Any, new: Any, before_last: Any = None) -> None:
    """Run `add` (which puts `new` after `last`), moving what followed `last` to after `new`
    and keeping a blank line between entries when the entries before had one."""
    if before_last is None and isinstance(container, CommentedSeq) and last > 0:
        before_last = last - 1
    separated = before_last is not None and _peek_following(container, before_last).startswith("\n")
    following = _take_following(container, last)
    add()
    if separated:
        _give_following(container, last, "\n")
    _give_following(container, new, following)
