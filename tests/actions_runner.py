"""The GitHub Actions runner's own reading of a step's output, ported from C# to judge yotplan's.

A port of actions/runner, read at commit 079cdb1d05fe0ec50f8c51de5a4fa51d0eb189b0 (and its
ActionCommandManager at 02523b9a60a24fe13364739abefe2255c5a6b758):

- src/Runner.Sdk/ProcessInvoker.cs: the step's stdout and stderr are each read with
  `StreamReader.ReadLine`, which ends a line at "\\r\\n", "\\r" or "\\n";
- src/Runner.Worker/ActionCommandManager.cs `TryProcessCommand`: every line is tried with
  `ActionCommand.TryParseV2`, then `ActionCommand.TryParse`; command names are matched without
  regard to case (`StringComparer.OrdinalIgnoreCase`); `stop-commands` pauses all commands until
  a line whose command is its token;
- src/Runner.Common/ActionCommand.cs `TryParseV2`: `message.TrimStart()` (every character for
  which .NET's `Char.IsWhiteSpace` is true), then `::name key=value,key=value::data`;
  `TryParse`: `##[` anywhere in the line, then `name key=value;key=value]data`;
  the unescaping of data (`%0D %0A %25`) and properties (`%0D %0A %3A %2C %25`, and for the
  old syntax `%3B %0D %0A %5D %25`), applied in that order, as the runner does.

Only what decides whether a line is a command, and what the command says, is ported; what a
command then does is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REGISTERED = frozenset(
    {
        "stop-commands",
        "set-env",
        "set-output",
        "save-state",
        "add-mask",
        "add-path",
        "add-matcher",
        "remove-matcher",
        "debug",
        "warning",
        "error",
        "notice",
        "group",
        "endgroup",
        "echo",
    }
)
"""The commands the runner registers (ActionCommandManager's extensions and `stop-commands`);
`internal-set-repo-path` is registered only for plugins."""

NET_WHITE_SPACE = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
"""What .NET's `Char.IsWhiteSpace` (and so `string.TrimStart()`) treats as white space: the Zs,
Zl and Zp categories, U+0009-U+000D and U+0085."""

OLDER_NET_WHITE_SPACE = NET_WHITE_SPACE | frozenset("\u180e\u200b\ufeff")
"""What older .NET versions also trimmed (U+180E, U+200B, U+FEFF): trimmed here too, so that a
port that is stricter than today's runner judges yotplan."""

_ESCAPED_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
_ESCAPED_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
_ESCAPED_OLD = (("%3B", ";"), ("%0D", "\r"), ("%0A", "\n"), ("%5D", "]"), ("%25", "%"))


def _unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for replacement, token in mappings:
        text = text.replace(replacement, token)
    return text


@dataclass
class Command:
    """A workflow command as the runner reads it."""

    name: str
    properties: dict[str, str] = field(default_factory=dict)
    data: str = ""
    line: str = ""


def _registered(name: str, registered: frozenset[str]) -> bool:
    return name.lower() in registered


def try_parse_v2(message: str, registered: frozenset[str] = REGISTERED) -> Command | None:
    """`ActionCommand.TryParseV2`: `::name k=v,k=v::data` after leading white space."""
    if not message:
        return None
    trimmed = message.lstrip("".join(OLDER_NET_WHITE_SPACE))
    if not trimmed.startswith("::"):
        return None
    end = trimmed.find("::", 2)
    if end < 0:
        return None
    info = trimmed[2:end]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if not _registered(name, registered):
        return None
    command = Command(name.lower(), line=message)
    if space > 0:
        for pair in (p for p in info[space + 1 :].strip().split(",") if p):
            parts = [s for s in pair.split("=", 1) if s]  # StringSplitOptions.RemoveEmptyEntries
            if len(parts) == 2:
                command.properties[parts[0].lower()] = _unescape(parts[1], _ESCAPED_PROPERTY)
    command.data = _unescape(trimmed[end + 2 :], _ESCAPED_DATA)
    return command


def try_parse(message: str, registered: frozenset[str] = REGISTERED) -> Command | None:
    """`ActionCommand.TryParse`: `##[name k=v;k=v]data` anywhere in the line."""
    if not message:
        return None
    prefix = message.find("##[")
    if prefix < 0:
        return None
    bracket = message.find("]", prefix)
    if bracket < 0:
        return None
    info = message[prefix + 3 : bracket]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if not _registered(name, registered):
        return None
    command = Command(name.lower(), line=message)
    if space > 0:
        for pair in (p for p in info[space + 1 :].split(";") if p):
            parts = [s for s in pair.split("=", 1) if s]
            if len(parts) == 2:
                command.properties[parts[0].lower()] = _unescape(parts[1], _ESCAPED_OLD)
    command.data = _unescape(message[bracket + 1 :], _ESCAPED_OLD)
    return command


def runner_lines(data: bytes | str) -> list[str]:
    """The lines `StreamReader.ReadLine` gives for a stream (UTF-8, bad bytes as U+FFFD)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def commands_in(data: bytes | str) -> list[Command]:
    """Every line of one stream that the runner would process as a command, in order, with
    `stop-commands` honoured as `TryProcessCommand` does."""
    found = []
    registered = REGISTERED
    stop_token: str | None = None
    for line in runner_lines(data):
        command = try_parse_v2(line, registered) or try_parse(line, registered)
        if command is None:
            continue
        if stop_token is not None:
            if command.name == stop_token.lower():
                registered, stop_token = REGISTERED, None
                found.append(command)
            continue
        if command.name == "stop-commands":
            stop_token = command.data
            registered = REGISTERED | {stop_token.lower()}
        found.append(command)
    return found
