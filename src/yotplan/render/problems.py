"""Problems as text lines, json, or GitHub Actions workflow commands."""

from __future__ import annotations

from collections.abc import Sequence

from yotplan.plans.limits import MAX_PROBLEMS_PER_FILE
from yotplan.problems import Problem
from yotplan.render.data import plural, render_json
from yotplan.safe_text import not_a_workflow_command, one_line

GITHUB_ANNOTATION_LIMIT = 10
"""GitHub shows 10 annotations of each severity per step and silently drops the rest."""


def capped(problems: Sequence[Problem], limit: int = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """At most `limit` problems per file, in the order given, then one line that says how many
    more there are: a flood (5,000 actions with one mistake each) stays readable. json keeps
    them all, for scripts, and the counts under `check` count them all."""
    per_file: dict[str, list[Problem]] = {}
    for p in problems:
        per_file.setdefault(p.path, []).append(p)
    flooded = {path for path, found in per_file.items() if len(found) > limit + 1}
    if not flooded:
        return list(problems)
    shown: list[Problem] = []
    seen: dict[str, int] = {}
    for p in problems:
        seen[p.path] = seen.get(p.path, 0) + 1
        if p.path not in flooded or seen[p.path] <= limit:
            shown.append(p)
        elif seen[p.path] == limit + 1:
            more = per_file[p.path][limit:]
            errors = sum(m.severity == "error" for m in more)
            kinds = [plural(n, kind) for n, kind in ((errors, "error"), (len(more) - errors, "warning")) if n]
            message = f"{plural(len(more), 'more problem')} in this file ({', '.join(kinds)}); fix the ones above first"
            shown.append(Problem(p.path, p.line, p.col, "error" if errors else "warning", p.code, message))
    return shown


def problems_text(problems: Sequence[Problem]) -> str:
    """One line per problem; none can start a workflow command in a CI log, whatever a file name holds."""
    return not_a_workflow_command("".join(f"{p}\n" for p in problems))


def problems_summary(problems: Sequence[Problem], files: int) -> str:
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return f"{files} file{'s' * (files != 1)} checked: no problems"
    return (
        f"{files} file{'s' * (files != 1)} checked: "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )


def problem_json(p: Problem) -> dict[str, object]:
    """One problem as json: `path, line, column, severity, code, message`."""
    return {
        "path": p.path,
        "line": p.line,
        "column": p.col,
        "severity": p.severity,
        "code": p.code,
        "message": p.message,
    }


def problems_json(problems: Sequence[Problem]) -> str:
    return render_json([problem_json(p) for p in problems])


def _escape_data(text: str) -> str:
    return one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def problems_github(problems: Sequence[Problem]) -> str:
    """`::error file=…,line=…,col=…,title=…::message` lines, at most 10 per severity, then a notice
    that says how many were left out (GitHub would drop them without a word)."""
    lines = []
    shown = {"error": 0, "warning": 0}
    for p in problems:
        shown[p.severity] += 1
        if shown[p.severity] > GITHUB_ANNOTATION_LIMIT:
            continue
        props = [f"file={_escape_property(p.path)}"]
        if p.line:
            props.append(f"line={p.line}")
        if p.col:
            props.append(f"col={p.col}")
        props.append(f"title={_escape_property(p.code)}")
        lines.append(f"::{p.severity} {','.join(props)}::{_escape_data(p.message)}")
    for severity, count in shown.items():
        if count > GITHUB_ANNOTATION_LIMIT:
            lines.append(
                f"::notice::{count - GITHUB_ANNOTATION_LIMIT} more {severity}s not annotated; "
                "run `yotplan check` to see them all"
            )
    # The plain lines too, so the log shows every problem even past the annotation cap; none of
    # them may start a workflow command, whatever a file name or an id holds.
    lines.extend(not_a_workflow_command(str(p)) for p in problems)
    return "".join(f"{line}\n" for line in lines)


def left_out_line(left_out: list[str]) -> str:
    """The foot of a table when files did not load: what it could not show, and why ("" when
    every file loaded)."""
    if not left_out:
        return ""
    files = f"{len(left_out)} file{'s' * (len(left_out) != 1)}"
    return f"Not shown: {files} that did not load ({', '.join(left_out)}); the errors above say why."
