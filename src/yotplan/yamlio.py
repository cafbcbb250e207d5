"""Reading YAML strictly: the one module that knows PyYAML's quirks.

- YAML 1.2 scalars: only `true`/`false` are booleans, so `owner: no` is the string "no";
  dates stay strings for the models to type, so an impossible date gets a line number.
- Duplicate keys, anchors, aliases, merge keys, tags and non-string keys are refused:
  plans need none of them, and expanding aliases can hang anything that walks the data.
- Every mapping and list remembers where its keys and items were, so a problem found
  later (by pydantic or a rule) can be reported at `path:line:col` without walking the
  node tree again.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml

try:  # libyaml's scanner and parser are C: about 4x faster than the pure-Python ones
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Plan files larger than this are refused before parsing (a plan of 20,000 actions is ~8 MB)."""

Mark = tuple[int, int]  # 1-based line and column


class MarkedDict(dict[str, Any]):
    """A mapping from YAML that knows where it starts and where each key and value was."""

    __slots__ = ("key_marks", "start", "value_marks")

    start: Mark
    key_marks: dict[str, Mark]
    value_marks: dict[str, Mark]


class MarkedList(list[Any]):
    """A sequence from YAML that knows where it starts and where each item was."""

    __slots__ = ("item_marks", "start")

    start: Mark
    item_marks: list[Mark]


class YamlProblem(Exception):
    """A file that is not acceptable YAML for a plan. `code` is a stable YP0xx code."""

    def __init__(self, code: str, message: str, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.col = col


_CONFLICT = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
# `&a`/`*a` can only be an anchor or alias after a space, a flow bracket, a comma or a dash
# at line start; a plan text like "Q&A" never matches, so the extra event scan is rare.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s]", re.MULTILINE)


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


class StrictLoader(_BaseLoader):
    """CSafeLoader with YAML 1.2 scalars that builds MarkedDict/MarkedList and refuses surprises."""

    yaml_implicit_resolvers = _yaml12_resolvers()
    yaml_constructors: ClassVar[dict[Any, Any]] = dict(_BaseLoader.yaml_constructors)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            # The composer shares one node between an anchor and its aliases; seeing it twice
            # means an alias. Stop here, before anything can expand it.
            line, col = _mark(node)
            raise YamlProblem("YP004", "YAML aliases are not allowed in plans; write the value out", line, col)
        return super().construct_object(node, deep=deep)

    def construct_yaml_map(self, node: yaml.MappingNode) -> Any:
        data = MarkedDict()
        data.start = _mark(node)
        yield data
        key_marks: dict[str, Mark] = {}
        value_marks: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.value == "<<" and not key_node.style:  # a plain `<<` is a merge key in YAML 1.1
                line, col = _mark(key_node)
                raise YamlProblem(
                    "YP004", "YAML merge keys (<<) are not allowed in plans; write the keys out", line, col
                )
            key = self.construct_object(key_node)
            if not isinstance(key, str):
                line, col = _mark(key_node)
                raise YamlProblem(
                    "YP002",
                    f"key {key_node.value!r} must be text; put it in quotes",
                    line,
                    col,
                )
            if key in data:
                line, col = _mark(key_node)
                first = key_marks[key][0]
                raise YamlProblem(
                    "YP003",
                    f"duplicate key {key!r} (first at line {first}); keep one of them",
                    line,
                    col,
                )
            data[key] = self.construct_object(value_node)
            key_marks[key] = _mark(key_node)
            value_marks[key] = _mark(value_node)
        data.key_marks = key_marks
        data.value_marks = value_marks

    def construct_yaml_seq(self, node: yaml.SequenceNode) -> Any:
        data = MarkedList()
        data.start = _mark(node)
        yield data
        data.extend(self.construct_object(child) for child in node.value)
        data.item_marks = [_mark(child) for child in node.value]

    def construct_undefined(self, node: yaml.Node) -> Any:
        line, col = _mark(node)
        tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
        raise YamlProblem("YP005", f"YAML tag {tag!r} is not allowed in plans; remove it", line, col)


StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)
StrictLoader.add_constructor("tag:yaml.org,2002:seq", StrictLoader.construct_yaml_seq)
for _tag in (
    "tag:yaml.org,2002:set",
    "tag:yaml.org,2002:omap",
    "tag:yaml.org,2002:pairs",
    "tag:yaml.org,2002:binary",
    "tag:yaml.org,2002:timestamp",
):
    StrictLoader.add_constructor(_tag, StrictLoader.construct_undefined)
StrictLoader.add_constructor(None, StrictLoader.construct_undefined)


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
    conflict = _CONFLICT.search(text)
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        raise YamlProblem("YP006", "unresolved git merge conflict; keep one side and delete the markers", line, 1)
    if _MAYBE_ANCHOR.search(text):
        _refuse_anchors(text)
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
    except yaml.YAMLError as exc:
        raise YamlProblem("YP002", f"YAML syntax error: {exc}") from None
    except RecursionError:
        raise YamlProblem("YP002", "YAML nested too deeply; plans need only a few levels") from None
    finally:
        loader.dispose()


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


def locate(data: Any, path: tuple[str | int, ...], *, at_key: bool = False) -> Mark:
    """The line and column of `path` inside marked data, or of its closest marked ancestor.

    A missing key points at its enclosing mapping, which is where it has to be added.
    `at_key` points at a key rather than its value (for an unknown key).
    """
    here: Mark = getattr(data, "start", (1, 1))
    node = data
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, MarkedDict) and isinstance(step, str) and step in node:
            here = node.key_marks[step] if (last and at_key) else node.value_marks[step]
            node = node[step]
        elif isinstance(node, MarkedList) and isinstance(step, int) and 0 <= step < len(node):
            here = node.item_marks[step]
            node = node[step]
        else:
            break
    return here
