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
from datetime import date, datetime
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
    PlainScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from yotplan.plans.strict_yaml import YamlProblem, parse_yaml

FOLD_WIDTH = 100
"""New texts longer than this are written as folded blocks with lines of at most this many characters."""

_STR_TAG = "tag:yaml.org,2002:str"
# A text that YAML 1.1 or 1.2 would resolve to a bool, null, number or date must be quoted.
_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))
_BLOCK_SCALARS = (FoldedScalarString, LiteralScalarString)
# Characters that YAML does not allow as they are, or reads as line breaks (NEL, U+2028, U+2029).
_TAB_INDENTED_LINE = re.compile(r"(?:^|\n)[ ]*\t")
"""A line starting with a tab (after any spaces): a block scalar (`>-`, `|`) cannot hold it, as
YAML readers take the tab for indentation and refuse it."""
_UNPRINTABLE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
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
        self.original = text.removeprefix("\ufeff")
        """The file's text as it is, every line with its own line ending."""
        crlf = self.original.count("\r\n")
        self.newline = "\r\n" if crlf and crlf >= self.original.count("\n") - crlf else "\n"
        """The ending of lines the edit adds: the one most of the file's lines have."""
        self._normalized = self.original.replace("\r\n", "\n")
        content = [ln.rstrip() for ln in self._normalized.split("\n") if ln.strip() and not ln.startswith("#")]
        explicit_start = bool(content) and (content[0] == "---" or content[0].startswith("--- "))
        explicit_end = bool(content) and content[-1] == "..."
        self.indentation = detect_indentation(self._normalized)
        self._yaml = _make_yaml(self.indentation, explicit_start, explicit_end)
        try:
            self.data: Any = self._yaml.load(_tabs_before_comments_as_spaces(self._normalized))
        except Exception as exc:  # YAMLError, or anything else ruamel trips on: refuse, never crash
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EditError(f"the round-trip YAML reader cannot read this file ({first})") from None
        self._baseline = self._dump()

    def _dump(self) -> str:
        out = io.StringIO()
        try:
            self._yaml.dump(self.data, out)
        except YAMLError as exc:  # pragma: no cover - ruamel renders what it read
            raise EditError(f"cannot render the edited file: {exc}") from None
        return out.getvalue()

    def render(self) -> str:
        """The file's new text: the original, with only the edit's lines changed. Lines kept from
        the original keep their own line endings; new lines get the file's usual one."""
        edited = self._dump()
        if edited == self._baseline:
            return self.original
        lines = _transplant(
            self._normalized.splitlines(keepends=True),
            self._baseline.splitlines(keepends=True),
            edited.splitlines(keepends=True),
        )
        merged = "".join(line for line, _ in lines)
        if merged != edited and not _same_data(merged, edited):
            return _with_newline(edited, self.newline)  # the carried-over hunks did not fit: ruamel's own is right
        originals = self.original.splitlines(keepends=True)
        like = _replaced_lines(lines, len(originals))
        out = []
        for n, (line, index) in enumerate(lines):
            if index is not None:
                out.append(originals[index])
            elif n in like and line.endswith("\n"):  # a line changed in place keeps its own ending
                kept = originals[like[n]]
                out.append(line[:-1] + kept[len(kept.rstrip("\r\n")) :])
            else:
                out.append(_with_newline(line, self.newline))
        return "".join(out)

    def encode(self, text: str) -> bytes:
        """`text` (from render) as the file's bytes, with its byte-order mark if it had one."""
        return (("\ufeff" if self.bom else "") + text).encode("utf-8")


def _replaced_lines(lines: list[tuple[str, int | None]], size: int) -> dict[int, int]:
    """For each new line that takes the place of exactly one original line (a run of new lines
    as long as the run of original lines it replaces), the index of that original line."""
    found: dict[int, int] = {}
    previous = -1
    run: list[int] = []
    for n, (_, index) in enumerate([*lines, ("", size)]):
        if index is None:
            run.append(n)
            continue
        if run and index - previous - 1 == len(run):
            found.update({m: previous + 1 + k for k, m in enumerate(run)})
        run, previous = [], index
    return found


def _with_newline(text: str, newline: str) -> str:
    return text if newline == "\n" else text.replace("\n", newline)


_TAB = re.compile("\t")


def _tabs_before_comments_as_spaces(text: str) -> str:
    """`text` with a space for every tab that separates a value from its comment.

    YAML allows `status: done<TAB># note` and PyYAML reads it, but ruamel 0.19 refuses it. A
    tab outside every scalar can only be such a separator, so it becomes a space in what ruamel
    reads (the data is the same); the file keeps its tab wherever the edit does not touch it.
    """
    if "\t" not in text:
        return text
    import yaml

    inside: list[tuple[int, int]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                inside.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        return text  # ruamel will say what is wrong
    inside.sort()
    chars = list(text)
    for match in _TAB.finditer(text):
        at = match.start()
        if not any(start <= at < end for start, end in inside):
            chars[at] = " "
    return "".join(chars)


def _same_data(text: str, other: str) -> bool:
    try:
        return bool(parse_yaml(text) == parse_yaml(other))
    except YamlProblem:
        return False


def _opcodes(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from `a` to `b`, computed on the middle part only: the lines both share
    at the start and at the end are matched first, since an edit touches a few lines of a file.
    difflib alone grows with the square of a file's length (ten seconds for a 3 MB plan)."""
    size = min(len(a), len(b))
    head = 0
    while head < size and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < size - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    middle = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
    codes = [("equal", 0, head, 0, head)] if head else []
    codes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        codes.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return [code for code in codes if code[1] != code[2] or code[3] != code[4]]


def _line_map(a: Sequence[str], b: Sequence[str]) -> dict[int, int]:
    """Which line of `b` each line of `a` is, for the lines that the diff keeps."""
    return {i1 + k: j1 + k for tag, i1, i2, j1, _ in _opcodes(a, b) if tag == "equal" for k in range(i2 - i1)}


def _transplant(original: list[str], baseline: list[str], edited: list[str]) -> list[tuple[str, int | None]]:
    """`original` with the changes that turn `baseline` into `edited`: a three-way merge. Each
    line comes with its index in `original`, or None for a line the edit wrote.

    `baseline` is ruamel's rendering of `original` (the same data, maybe formatted
    differently in places). Each change of the edit is made on the original's own lines
    when those lines are ones ruamel rendered unchanged; a change that touches a line ruamel
    reformatted takes ruamel's rendering of just the stretch between the nearest lines that
    are the same in all three.
    """
    if baseline == original:
        to_edited_only = _line_map(baseline, edited)
        kept = set(to_edited_only.values())
        back = {e: b for b, e in to_edited_only.items()}
        return [(line, back[i] if i in kept else None) for i, line in enumerate(edited)]
    to_original = _line_map(baseline, original)
    to_edited = _line_map(baseline, edited)
    size = len(baseline)
    stable = [b for b in range(size) if b in to_original and b in to_edited]

    def in_original(b: int) -> int:  # -1 and `size` stand for the start and the end of the file
        return -1 if b < 0 else len(original) if b >= size else to_original[b]

    def in_edited(b: int) -> int:
        return -1 if b < 0 else len(edited) if b >= size else to_edited[b]

    direct: list[tuple[int, int, int, int, list[str]]] = []  # baseline range, original range, new lines
    windows: list[list[int]] = []  # [a, z]: stable lines around changes that touch reformatted lines
    for tag, i1, i2, j1, j2 in _opcodes(baseline, edited):
        if tag == "equal":
            continue
        span = _span_in_original(i1, i2, to_original, size)
        if span is not None:
            direct.append((i1, i2, *span, edited[j1:j2]))
            continue
        a = max((b for b in stable if b < i1), default=-1)
        z = min((b for b in stable if b >= i2), default=size)
        if windows and a < windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], z)
        else:
            windows.append([a, z])
    regions = [(in_original(a) + 1, in_original(z), edited[in_edited(a) + 1 : in_edited(z)]) for a, z in windows]
    regions += [(o1, o2, lines) for i1, i2, o1, o2, lines in direct if not any(a < i1 and i2 <= z for a, z in windows)]
    out: list[tuple[str, int | None]] = []
    position = 0
    for start, stop, lines in sorted(regions, key=lambda region: (region[0], region[1])):
        out.extend((original[i], i) for i in range(position, start))
        out.extend((line, None) for line in lines)
        position = stop
    out.extend((original[i], i) for i in range(position, len(original)))
    return out


def _span_in_original(i1: int, i2: int, to_original: dict[int, int], size: int) -> tuple[int, int] | None:
    """Where the baseline lines [i1, i2) are in the original, if ruamel rendered them unchanged
    (for an insertion, i1 == i2: the place after the line before it). None if not."""
    if i1 < i2:
        if all(b in to_original for b in range(i1, i2)) and to_original[i2 - 1] - to_original[i1] == i2 - 1 - i1:
            return to_original[i1], to_original[i2 - 1] + 1
        return None
    if i1 == 0:
        return 0, 0
    if i1 - 1 in to_original:
        return to_original[i1 - 1] + 1, to_original[i1 - 1] + 1
    if i1 < size and i1 in to_original:
        return to_original[i1], to_original[i1]
    return None


# Values --------------------------------------------------------------------------------


def needs_quotes(text: str) -> bool:
    """Whether a plain `text` would be read as something other than text by YAML 1.1 or 1.2."""
    return any(r.resolve(ScalarNode, text, (True, False)) != _STR_TAG for r in _RESOLVERS)


def scalar(value: Any, like: Any = None) -> Any:
    """A value ready to put in the tree. `like` is the value it replaces, whose style it keeps
    (quotes, or a `>-`/`|` block), so that a changed value changes as few lines as it can."""
    if isinstance(value, date) and isinstance(like, _QUOTED_SCALARS):
        return type(like)(value.isoformat())  # `due: '2022-07-31'` stays quoted
    if isinstance(value, date) and not isinstance(value, datetime):
        # A fresh object each time: ruamel writes one object put in two places (today's date as
        # `completed:` and as an update's `date:`) as an anchor and an alias, which plans refuse.
        return date.fromordinal(value.toordinal())
    if not isinstance(value, str):
        return value
    if _UNPRINTABLE.search(value) or ("\n" in value and not isinstance(like, LiteralScalarString)):
        return DoubleQuotedScalarString(value)  # the one style that escapes anything
    if len(value) > FOLD_WIDTH and "\n" not in value:
        folded = _folded(value)
        if folded is not None:
            return folded
    if isinstance(like, _BLOCK_SCALARS) and _TAB_INDENTED_LINE.search(value):
        return DoubleQuotedScalarString(value)  # a block would no longer parse: quoted, it reads back
    if isinstance(like, (*_QUOTED_SCALARS, *_BLOCK_SCALARS)):
        return type(like)(value)
    if needs_quotes(value):
        return SingleQuotedScalarString(value)
    return PlainScalarString(value) if isinstance(like, PlainScalarString) else value


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
        new = scalar(value, old)
        # What follows a value is stored differently after a block text, a plain one and a
        # list, so it is taken off and given back in the new value's way.
        following = _take_following(mapping, key)
        if isinstance(new, _BLOCK_SCALARS) and not isinstance(old, _BLOCK_SCALARS):
            slot = _slot(mapping, key)
            if slot:
                slot[2] = None  # an end-of-line comment cannot follow a block text
        mapping[key] = new
        _give_following(mapping, key, following)
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


# New files -----------------------------------------------------------------------------


def dump_new(data: dict[str, Any]) -> str:
    """New data (dicts, lists, texts, dates, numbers) as YAML text in the shipped plans' style.

    Two-space mappings, `  - ` list items, texts quoted where another YAML reader would take
    them for something else (`no`, `1.10`, `2024-06-30`), long texts folded (`>-`), dates as
    dates, keys in the given order, no anchors or aliases. For writing a file that does not exist yet (an import);
    edits of existing files go through RoundTripDocument.
    """

    def tree(value: Any) -> Any:
        if isinstance(value, dict):
            return new_mapping((scalar(str(key)), tree(item)) for key, item in value.items())
        if isinstance(value, (list, tuple)):
            return new_list([tree(item) for item in value])
        return scalar(value)

    yaml = _make_yaml(Indentation(), explicit_start=False, explicit_end=False)
    yaml.representer.ignore_aliases = lambda _: True  # one date used twice must not become an anchor (YP004)
    out = io.StringIO()
    yaml.dump(tree(data), out)
    return out.getvalue()
