"""Text from plans, git and the command line made safe to show: no control character goes out raw.

A plan is data from anyone who can open a pull request. A title holding `ESC [2J` would clear
the terminal of whoever runs `yotplan show`; `ESC ] 0;` sets the window title; a newline in an
id would forge a second line in `check` output, and in a CI log a line that starts with `::`
(after any white space) or holds `##[` is a GitHub workflow command. So every string that
reaches an output passes through here:

- `visible` writes C0 controls (except newline and tab), DEL, C1 controls, Unicode's line and
  paragraph separators and the bidi controls (U+202A-U+202E, U+2066-U+2069) as `\\x1b`-style
  escapes, for multi-line text (tables, show, csv, markdown, reports);
- `one_line` does the same and escapes newline and tab too, for formats where a value must
  stay on its line (problem lines, messages, GitHub annotations);
- `json_safe` escapes the same characters inside JSON text the way JSON does (`\\u001b`), so
  the data stays exact for a program and harmless on a terminal.

`visible` is idempotent: what it returns has no control characters left.

`not_a_workflow_command` and `WorkflowCommandGuard` (for a stream, write by write) escape what the
GitHub Actions runner would read as a workflow command (SECURITY.md says why an escape rather than
`::stop-commands::`).
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


# The GitHub Actions runner reads each line of a step's stdout and stderr (split at "\r\n", "\r"
# or "\n") as a workflow command if, after .NET's `TrimStart()` of every white space character, it
# starts with `::`, or if it holds `##[` anywhere (actions/runner, ActionCommand.TryParseV2 and
# TryParse; ported in tests/actions_runner.py). Nothing is held back: the second `:` of a line's
# leading `::` and the `[` of any `##[` are written as `%3A` and `%5B`, so a stream can be escaped
# write by write, each escape depending only on what was already written before it.
WORKFLOW_WHITE_SPACE = "\t\v\f \x1c-\x1f\x85\xa0\u1680\u180e\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
"""Every character .NET's `Char.IsWhiteSpace` is true for (but the line breaks), and what older
.NET versions also trimmed (U+180E, U+200B, U+FEFF) and Python calls space (U+001C-U+001F)."""
_WORKFLOW_COMMAND = re.compile(f"(?<=[\\n\\r])([{WORKFLOW_WHITE_SPACE}]*:):|(?<=##)\\[")
_LINE_HEAD = re.compile(f"[{WORKFLOW_WHITE_SPACE}]*:?")
_LINE_START = "\n"
"""The context of text that starts a line: what `not_a_workflow_command` assumes before it."""


def _escape_workflow(match: re.Match[str]) -> str:
    return match.group(1) + "%3A" if match.group(1) is not None else "%5B"


def _escaped_after(context: str, text: str) -> tuple[str, str]:
    """`text` escaped as it would be after `context`, and the context after both (short: a line
    break for "at a line's start", then at most a `:` or two `#`, or "x" for "within a line")."""
    if ":" in text or "[" in text:
        joined = _WORKFLOW_COMMAND.sub(_escape_workflow, context + text)
        text = joined[len(context) :]  # the escapes replace a character after the one that triggers
    else:
        joined = context + text
    line_break = max(joined.rfind("\n"), joined.rfind("\r"))
    line = joined[line_break + 1 :]
    if line_break >= 0:
        head = _LINE_HEAD.match(line)
        if head is not None and head.end() == len(line):  # white space only, and perhaps one `:`
            return text, _LINE_START + (":" if line.endswith(":") else "")
    hashes = len(line) - len(line.rstrip("#"))
    return text, "x" + "#" * min(hashes, 2)


def not_a_workflow_command(text: str) -> str:
    """`text` (starting a line) with no line that a GitHub runner reads as a workflow command: the
    second `:` of a `::` that starts a line after any white space is written `%3A`, and the `[` of
    any `##[` is written `%5B`."""
    if "::" not in text and "##[" not in text:
        return text
    return _escaped_after(_LINE_START, text)[0]


class WorkflowCommandGuard:
    """`not_a_workflow_command` for one stream written piece by piece (text or bytes): it keeps
    the little it needs of what was written before (whether the line so far is white space and
    perhaps a `:`, or how many `#` end it), so that `"\u00a0:"` then `":error::x"`, or `"#"` then
    `"#[error]x"`, are escaped as if written at once."""

    __slots__ = ("_context",)

    def __init__(self) -> None:
        self._context = _LINE_START

    def text(self, text: str) -> str:
        text, self._context = _escaped_after(self._context, text)
        return text

    def bytes(self, data: bytes) -> bytes:
        """UTF-8 bytes escaped the same way; bytes that are not UTF-8 pass through as they are."""
        return self.text(data.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
