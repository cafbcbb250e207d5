"""Reading YAML strictly: the one module that knows PyYAML's quirks.

- YAML 1.2 scalars: only `true`/`false` are booleans, so `owner: no` is the string "no";
  dates stay strings for the models to type, so an impossible date gets a line number.
- Duplicate keys, anchors, aliases, merge keys, tags and non-string keys are refused:
  plans need none of them, and expanding aliases can hang anything that walks the data.
- Every mapping and list remembers where its keys and items were, so a problem found
  later (by pydantic or a rule) can be reported at `path:line:col` without walking the
  node tree again. It keeps the parser's own position objects and turns them into
  (line, col) only when a problem asks: valid plans never pay for the conversion.

Speed: libyaml (C) scans, parses and composes the node tree; everything after that is
Python, so it is one direct walk over the nodes (`_build`) instead of PyYAML's generic
constructor with its generators and per-node bookkeeping. For 10,000 actions (4.3 MB)
that walk takes about 0.1 s against 0.3 s for PyYAML's own construction.
"""

from __future__ import annotations

import gc
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's scanner and parser are C: about 4x faster than the pure-Python ones
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from yotplan.plans.limits import MAX_DEPTH as MAX_DEPTH
from yotplan.plans.limits import MAX_FILE_BYTES as MAX_FILE_BYTES
from yotplan.plans.limits import MAX_NUMBER_CHARACTERS

Mark = tuple[int, int]  # 1-based line and column


def _position(mark: Any) -> Mark:
    """A parser position (0-based `.line`/`.column`) or an already 1-based tuple, as 1-based (line, col)."""
    if mark.__class__ is tuple:
        return mark
    return (mark.line + 1, mark.column + 1)


class MarkedDict(dict[str, Any]):
    """A mapping from YAML that knows where it starts and where each key and value was.

    `start`, `key_marks` and `value_marks` are 1-based (line, col); they are stored as the
    parser's position objects and converted when read (see the module docstring).
    """

    __slots__ = ("_key_marks", "_start", "_value_marks")

    _start: Any
    _key_marks: dict[str, Any]
    _value_marks: dict[str, Any]

    @property
    def start(self) -> Mark:
        return _position(self._start)

    @start.setter
    def start(self, value: Mark) -> None:
        self._start = value

    @property
    def key_marks(self) -> dict[str, Mark]:
        return {key: _position(mark) for key, mark in self._key_marks.items()}

    @key_marks.setter
    def key_marks(self, value: dict[str, Mark]) -> None:
        self._key_marks = value

    @property
    def value_marks(self) -> dict[str, Mark]:
        return {key: _position(mark) for key, mark in self._value_marks.items()}

    @value_marks.setter
    def value_marks(self, value: dict[str, Mark]) -> None:
        self._value_marks = value


class MarkedList(list[Any]):
    """A sequence from YAML that knows where it starts and where each item was (1-based, as MarkedDict)."""

    __slots__ = ("_item_marks", "_start")

    _start: Any
    _item_marks: list[Any]

    @property
    def start(self) -> Mark:
        return _position(self._start)

    @start.setter
    def start(self, value: Mark) -> None:
        self._start = value

    @property
    def item_marks(self) -> list[Mark]:
        return [_position(mark) for mark in self._item_marks]

    @item_marks.setter
    def item_marks(self, value: list[Mark]) -> None:
        self._item_marks = value


class YamlProblem(Exception):
    """A file that is not acceptable YAML for a plan. `code` is a stable YP0xx code."""

    def __init__(self, code: str, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)


def _has_conflict_marker(text: str) -> bool:
    # Three substring searches run at C speed; the line-anchored regex only when one hits.
    return ("<<<<<<<" in text or "=======" in text or ">>>>>>>" in text) and _CONFLICT.search(text) is not None


def _may_have_anchor(text: str) -> bool:
    """Whether `&name` or `*name` occurs where YAML could read an anchor or alias.

    That is after whitespace, a line start, `[`, `{` or `,`; a plan text like "Q&A" never
    matches, so the extra event scan is rare. Plain `str.find` keeps the common case (no `&`
    or `*` at all) at C speed: a regex over every position cost 2 ms per 100 kB.
    """
    end = len(text) - 1
    for sigil in "&*":
        at = text.find(sigil)
        while at != -1:
            if at < end and not text[at + 1].isspace() and (at == 0 or text[at - 1] in "[{," or text[at - 1].isspace()):
                return True
            at = text.find(sigil, at + 1)
    return False


def _yaml12_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """PyYAML's implicit resolvers with YAML 1.1 bool/int/float/timestamp replaced by 1.2 core."""
    dropped = {
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:merge",
    }
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = {
        first: [(tag, rx) for tag, rx in pairs if tag not in dropped]
        for first, pairs in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
    }
    core: list[tuple[str, str, str]] = [
        ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        (
            "tag:yaml.org,2002:float",
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            "-+.0123456789",
        ),
    ]
    for tag, pattern, firsts in core:
        rx = re.compile(pattern)
        for first in firsts:
            table.setdefault(first, []).append((tag, rx))
    return {first: pairs for first, pairs in table.items() if pairs}


def _mark(node: Any) -> Mark:
    """The 1-based position of a node or event."""
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_YAML_TAGS = "tag:yaml.org,2002:"


def _yaml12_float(text: str) -> float:
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered[0] == "-" else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


def _yaml12_int(text: str) -> int:
    digits = text.lstrip("+-")
    sign = -1 if text[:1] == "-" else 1
    if digits[:2] == "0o":
        return sign * int(digits[2:], 8)
    if digits[:2] == "0x":
        return sign * int(digits[2:], 16)
    return int(text)  # YAML 1.2: leading zeros are decimal, so 0777 is 777 (YAML 1.1 read 511)


_BOOLS = {"true": True, "false": False}

_SCALARS: dict[str, Any] = {
    "tag:yaml.org,2002:null": lambda text: None,
    "tag:yaml.org,2002:bool": lambda text: _BOOLS[text.lower()],
    "tag:yaml.org,2002:int": _yaml12_int,
    "tag:yaml.org,2002:float": _yaml12_float,
}
"""How to read each non-text scalar the YAML 1.2 resolvers (or an explicit `!!int`-style tag) name."""


def _refuse_tag(node: Node) -> YamlProblem:
    line, col = _mark(node)
    tag = str(node.tag).replace(_YAML_TAGS, "!!")
    return YamlProblem("YP005", f"YAML tag {tag!r} is not allowed in plans; remove it", line, col)


def _scalar(node: Node) -> Any:
    """A scalar that is not plain text: null, a boolean or a number, or a refused tag."""
    convert = _SCALARS.get(node.tag)
    if convert is None:
        raise _refuse_tag(node)
    if len(node.value) > MAX_NUMBER_CHARACTERS:  # only numbers can be long here; int() refuses 4,300+ digits
        line, col = _mark(node)
        raise YamlProblem(
            "YP002",
            f"a number {len(node.value)} characters long is not a plan value; put it in quotes if it is text",
            line,
            col,
        )
    try:
        return convert(node.value)
    except (ValueError, KeyError):  # only an explicit tag can disagree with its value: `!!int ten`
        raise _refuse_tag(node) from None


def _refuse_key(key_node: Any) -> YamlProblem:
    """The problem with a key that is not plain text (checked only when a key is not)."""
    line, col = _mark(key_node)
    if key_node.value == "<<" and not key_node.style:  # a plain `<<` is a merge key in YAML 1.1
        return YamlProblem("YP004", "YAML merge keys (<<) are not allowed in plans; write the keys out", line, col)
    if key_node.__class__ is not ScalarNode:
        kind = "list" if key_node.__class__ is SequenceNode else "mapping"
        return YamlProblem("YP002", f"a key must be text, not a {kind}; write it as a plain word", line, col)
    _scalar(key_node)  # raises for a refused tag
    return YamlProblem("YP002", f"key {key_node.value!r} must be text; put it in quotes", line, col)


def _build(node: Node, depth: int, seen: set[int]) -> Any:
    """The data of a composed node tree: MarkedDict/MarkedList/str/int/float/bool/None.

    Refuses (raising YamlProblem at the node) what plans must not contain. `seen` holds the
    ids of the collection nodes built so far: the composer shares one node between an anchor
    and its aliases, so meeting one twice means an alias. Stop there, before anything can
    expand it (a "billion laughs" file).
    """
    kind = node.__class__
    tag = node.tag
    if kind is ScalarNode:
        return node.value if tag == _STR else _scalar(node)
    if depth >= MAX_DEPTH:
        line, col = _mark(node)
        raise YamlProblem(
            "YP002", f"YAML nested more than {MAX_DEPTH} levels deep; plans need only a few levels", line, col
        )
    if id(node) in seen:
        line, col = _mark(node)
        raise YamlProblem("YP004", "YAML aliases are not allowed in plans; write the value out", line, col)
    seen.add(id(node))
    if kind is MappingNode and tag == _MAP:
        data = MarkedDict()
        data._start = node.start_mark
        key_marks: dict[str, Any] = {}
        value_marks: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if (
                key_node.__class__ is not ScalarNode
                or key_node.tag != _STR
                or (key_node.value == "<<" and not key_node.style)  # a quoted '<<' is just text
            ):
                raise _refuse_key(key_node)
            key = key_node.value
            if key in data:
                line, col = _mark(key_node)
                first = _position(key_marks[key])[0]
                raise YamlProblem(
                    "YP003", f"duplicate key {key!r} (first at line {first}); keep one of them", line, col
                )
            data[key] = _build(value_node, depth + 1, seen)
            key_marks[key] = key_node.start_mark
            value_marks[key] = value_node.start_mark
        data._key_marks = key_marks
        data._value_marks = value_marks
        return data
    if kind is SequenceNode and tag == _SEQ:
        children = node.value
        items = MarkedList([_build(child, depth + 1, seen) for child in children])
        items._start = node.start_mark
        items._item_marks = [child.start_mark for child in children]
        return items
    raise _refuse_tag(node)  # !!set, !!omap, a custom tag, or !!map on a list


class StrictLoader(_BaseLoader):
    """CSafeLoader with YAML 1.2 scalars that builds MarkedDict/MarkedList and refuses surprises."""

    yaml_implicit_resolvers = _yaml12_resolvers()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # The C composer calls this for every node; PyYAML's generic version also walks path
        # resolvers and wildcard tables that plans never use. Same answers, about 20 % of the time.
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def construct_document(self, node: Any) -> Any:
        return _build(node, 0, set())


def _refuse_anchors(text: str) -> None:
    """Report the first anchor or alias; parsing events is cheap and never expands anything."""
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line, col = _mark(event)
                kind = "aliases" if isinstance(event, yaml.AliasEvent) else "anchors"
                raise YamlProblem("YP004", f"YAML {kind} are not allowed in plans; write the value out", line, col)
    except yaml.YAMLError:
        return  # the real load reports the syntax error with its own message


def parse_yaml(text: str) -> Any:
    """Parse one YAML document strictly into MarkedDict/MarkedList/str/int/float/bool/None.

    Raises YamlProblem (with a 1-based line and column) for anything a plan must not contain.
    """
    if _has_conflict_marker(text):
        conflict = _CONFLICT.search(text)
        line = text.count("\n", 0, conflict.start()) + 1 if conflict else 1
        raise YamlProblem("YP006", "unresolved git merge conflict; keep one side and delete the markers", line, 1)
    if _may_have_anchor(text):
        _refuse_anchors(text)
    # The node tree and the data are millions of objects for a large file and none of them is
    # garbage yet: the cyclic collector would walk them over and over (half the parse time).
    collecting = gc.isenabled()
    gc.disable()
    loader = StrictLoader(text)
    try:
        if not loader.check_node():
            return None
        node = loader.get_node()
        if loader.check_node():
            extra = loader.get_node()
            line, col = _mark(extra)
            raise YamlProblem("YP002", "more than one YAML document; a plan file holds one", line, col)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc, text) from None
    except yaml.reader.ReaderError as exc:
        line, col = _reader_position(text, exc.position)
        char = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise YamlProblem("YP002", f"unacceptable character {char}: {exc.reason}; delete it", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlProblem("YP002", f"YAML syntax error: {exc}", 1, 1) from None
    except RecursionError:  # only the pure-Python composer recurses; libyaml stops at 1,000 levels
        raise YamlProblem("YP002", "YAML nested too deeply; plans need only a few levels", 1, 1) from None
    finally:
        loader.dispose()
        if collecting:
            gc.enable()


def _reader_position(text: str, position: int) -> Mark:
    """Line and column of a character the reader refused; libyaml counts UTF-8 bytes."""
    before = (
        text.encode("utf-8")[:position].decode("utf-8", "ignore")
        if _BaseLoader is yaml.CSafeLoader
        else text[:position]
    )
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    what = exc.problem or "invalid YAML"
    hint = _SYNTAX_HINTS.get(what, "check the indentation and quoting on this line and the one above")
    lines = text.splitlines()
    indent = lines[line - 1][: len(lines[line - 1]) - len(lines[line - 1].lstrip())] if 0 < line <= len(lines) else ""
    if "\t" in indent or "tab" in what:
        hint = "indent with spaces, not tabs"
    context = f" ({exc.context})" if exc.context else ""
    return YamlProblem("YP002", f"YAML syntax error: {what}{context}; {hint}", line, col)


_SYNTAX_HINTS = {
    "could not find expected ':'": "a key needs a colon and a space after it, or a text needs quotes",
    "mapping values are not allowed here": "put text that contains ': ' in quotes",
    "found character '\\t' that cannot start any token": "indent with spaces, not tabs",
    "found undefined alias": "YAML aliases are not allowed in plans; write the value out",
    "expected <block end>, but found '-'": "a list item is indented differently from the ones before it",
    "expected <block end>, but found '<block mapping start>'": "this key is indented differently from its siblings",
    "found unexpected end of stream": "a quoted text is not closed",
}


_SCALAR, _MAPPING, _SEQUENCE = -3, -1, -2


def flatten(data: Any) -> list[Any]:
    """Marked data as one flat list of plain values and 1-based positions (marshal can store it).

    Pre-order: a mapping is `-1, size, start, (key, key position, value position, value)...`,
    a list `-2, size, start, (item position, item)...`, a scalar `-3, value`.
    """
    out: list[Any] = []
    add = out.append

    def walk(node: Any) -> None:
        if node.__class__ is MarkedDict:
            add(_MAPPING)
            add(len(node))
            add(_position(node._start))
            key_marks, value_marks = node._key_marks, node._value_marks
            for key, value in node.items():
                add(key)
                add(_position(key_marks[key]))
                add(_position(value_marks[key]))
                walk(value)
        elif node.__class__ is MarkedList:
            add(_SEQUENCE)
            add(len(node))
            add(_position(node._start))
            for mark, value in zip(node._item_marks, node, strict=True):
                add(_position(mark))
                walk(value)
        else:
            add(_SCALAR)
            add(node)

    walk(data)
    return out


def unflatten(flat: list[Any]) -> Any:
    """The marked data `flatten` made `flat` from."""
    take = iter(flat).__next__

    def read() -> Any:
        kind = take()
        if kind == _SCALAR:
            return take()
        size = take()
        if kind == _MAPPING:
            mapping = MarkedDict()
            mapping._start = take()
            key_marks: dict[str, Any] = {}
            value_marks: dict[str, Any] = {}
            for _ in range(size):
                key = take()
                key_marks[key] = take()
                value_marks[key] = take()
                mapping[key] = read()
            mapping._key_marks, mapping._value_marks = key_marks, value_marks
            return mapping
        if kind != _SEQUENCE:
            raise ValueError(f"not flattened marked data: {kind!r}")
        items = MarkedList()
        items._start = take()
        item_marks = []
        for _ in range(size):
            item_marks.append(take())
            items.append(read())
        items._item_marks = item_marks
        return items

    return read()


def locate(data: Any, path: tuple[str | int, ...], *, at_key: bool = False) -> Mark:
    """The line and column of `path` inside marked data, or of its closest marked ancestor.

    A missing key points at its enclosing mapping, which is where it has to be added.
    `at_key` points at a key rather than its value (for an unknown key).
    """
    here: Any = getattr(data, "_start", (1, 1))
    node = data
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, MarkedDict) and isinstance(step, str) and step in node:
            here = node._key_marks[step] if (last and at_key) else node._value_marks[step]
            node = node[step]
        elif isinstance(node, MarkedList) and isinstance(step, int) and 0 <= step < len(node):
            here = node._item_marks[step]
            node = node[step]
        else:
            break
    return _position(here)
