"""Text from plans, git and the command line made safe to show: no control character goes out raw.

A plan is data from anyone who can open a pull request. A title holding `ESC [2J` would clear
the terminal of whoever runs `yotplan show`; `ESC ] 0;` sets the window title; a newline in an
id would forge a second line in `check` output, and in a CI log a line that starts with `::`
is a GitHub workflow command. So every string that reaches an output passes through here:

- `visible` writes C0 controls (except newline and tab), DEL, C1 controls, Unicode's line and
  paragraph separators and the bidi controls (U+202A-U+202E, U+2066-U+2069) as `\\x1b`-style
  escapes, for multi-line text (tables, show, csv, markdown, reports);
- `one_line` does the same and escapes newline and tab too, for formats where a value must
  stay on its line (problem lines, messages, GitHub annotations);
- `json_safe` escapes the same characters inside JSON text the way JSON does (`\\u001b`), so
  the data stays exact for a program and harmless on a terminal.

`visible` is idempotent: what it returns has no control characters left.
"""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_MULTI_LINE = re.compile(f"[{_CONTROLS}]")
_ONE_LINE = re.compile(f"[{_CONTROLS}\t\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x09:
        return "\\t"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character but newline and tab written as an escape."""
    return _MULTI_LINE.sub(_escape, text) if _MULTI_LINE.search(text) else text


def one_line(text: str) -> str:
    """`text` with every control character, newline and tab included, written as an escape."""
    return _ONE_LINE.sub(_escape, text) if _ONE_LINE.search(text) else text


def json_safe(text: str) -> str:
    """JSON text (from `json.dumps`) with the controls that JSON leaves raw (DEL, C1, separators,
    bidi) written as `\\uXXXX` escapes: the same data for a parser, nothing raw for a terminal."""
    if not _MULTI_LINE.search(text):
        return text
    return _MULTI_LINE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SGR = r"\x1b\[[0-9;]*m"
_TERMINAL = re.compile(f"({_SGR})|[{_CONTROLS}]")


def terminal_safe(text: str) -> str:
    """`visible`, except that colour and style codes (SGR: `ESC [ ... m`) pass: what yotplan's
    own streams let through, so that rich's and Typer's colours work and nothing else does.
    Plan text never relies on this: renderers make it visible before it gets here."""
    if not _MULTI_LINE.search(text):
        return text
    return _TERMINAL.sub(lambda m: m.group(1) or _escape(m), text)


_WORKFLOW_COMMAND = re.compile(r"^([ \t]*)(::|##\[)", re.MULTILINE)


def not_a_workflow_command(text: str) -> str:
    """`text` with no line that a GitHub runner reads as a workflow command (`::name ...`, or the
    older `##[name]`, at the start of any line of the log, stdout or stderr): their `:` and `#`
    are written as `%3A` and `%23`."""
    if "::" not in text and "##[" not in text:
        return text
    return _WORKFLOW_COMMAND.sub(lambda m: m.group(1) + m.group(2).replace(":", "%3A").replace("#", "%23"), text)
