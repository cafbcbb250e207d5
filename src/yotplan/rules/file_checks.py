"""Checks that judge one file by itself, run when the file is parsed and cached with it: the
personal-data guard (YP301-YP308).

Plans are reviewed in pull requests and kept forever in git history, so every string a plan,
owners, boards or service file holds is searched for text that looks like a child's personal
data (`yotplan.rules.personal_data`): every value and every key, known field or not (titles,
texts, notes, evidence, sources' titles and urls, `to`, `theme`, units, owners' roles, agencies
and contacts, the service's name and region, meetings' refs and minutes), and every YAML
comment, read from the file's text since the YAML reader drops them.

An owner's `contact` and `email` are the fields meant for contact details: a work contact.
There, a role mailbox (`yot.manager@torbay.gov.uk`, `camhs.lead@nhs.example`: a role word, no
given name, initial or digit in its local part) and a landline are what the field is for and
are not flagged; a personal-looking address
(`jayden.smith@...`, `j.smith@...`, `ksmith@...`) or a mobile number still is. Everywhere else
every email address and phone number is flagged, a role mailbox too.

Each finding is a warning (an error with `check --strict`) at the field's line (a comment's
own line and column), naming the field, what the text looks like and why it matters; the
matched text is masked in the middle, so the message itself never spreads it into a CI log.

A reviewed exception is a comment on that line, or on the line above it, visible in the diff:

    note: The Board met Jayden (14) ...   # yotplan: allow YP307 a fictional case study

Because the findings depend only on the file's bytes, the loader keeps them in the cache with
the file's model (`plans.loader.FileChecks`): a warm run does not search again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from yotplan.plans.loader import FileChecks
from yotplan.plans.models import BoardsFile, OwnersFile, PlanFile
from yotplan.plans.planset import Document
from yotplan.problems import Problem

# The detector is imported when a file is parsed, not on a warm run: its findings come from the
# cache, and its source (hashed below for the cache key) is read as bytes.
_DETECTOR = Path(__file__).with_name("personal_data.py")

_ALLOW = re.compile(r"#[ \t]*yotplan:[ \t]*allow[ \t]+((?:YP\d{3}[ \t,]*)+)(.*)$", re.IGNORECASE | re.MULTILINE)

Where = tuple[str | int, ...]


def free_texts(doc: Document) -> Iterator[tuple[Where, str, str]]:
    """(path in the file, field name as a reader would say it, text) of every free-text field."""
    model = doc.model
    if isinstance(model, OwnersFile):
        for key, owner in model.owners.items():
            yield ("owners", key, "role"), f"role of owner {key}", owner.role
        return
    if isinstance(model, BoardsFile):
        for key, board in model.boards.items():
            yield ("boards", key, "name"), f"name of board {key}", board.name
            for m, meeting in enumerate(board.meetings):
                for name in ("ref", "minutes"):
                    value = getattr(meeting, name)
                    if value:
                        yield ("boards", key, "meetings", m, name), f"{name} of {key}'s {meeting.date} meeting", value
        return
    if not isinstance(model, PlanFile):
        return
    if model.source.conclusion:
        yield ("source", "conclusion"), f"conclusion of source {model.source.id}", model.source.conclusion
    for r, rec in enumerate(model.recommendations):
        here: Where = ("recommendations", r)
        yield (*here, "text"), f"text of {rec.id}", rec.text
        for a, action in enumerate(rec.actions):
            where: Where = (*here, "actions", a)
            yield (*where, "title"), f"title of {action.id}", action.title
            if action.measure:
                yield (*where, "measure"), f"measure of {action.id}", action.measure
            for u, update in enumerate(action.updates):
                yield (*where, "updates", u, "note"), f"update of {update.date} on {action.id}", update.note
            for e, quote in enumerate(action.evidence):
                yield (*where, "evidence", e), f"evidence {e + 1} of {action.id}", quote
        for i, indicator in enumerate(rec.indicators):
            here_i: Where = (*here, "indicators", i)
            yield (*here_i, "name"), f"name of indicator {indicator.id}", indicator.name
            for n, reading in enumerate(indicator.readings):
                if reading.note:
                    yield (
                        (*here_i, "readings", n, "note"),
                        f"note of {indicator.id}'s {reading.date} reading",
                        reading.note,
                    )
        for e, quote in enumerate(rec.impact):
            yield (*here, "impact", e), f"impact evidence {e + 1} of {rec.id}", quote
        if rec.closure is not None:
            for name in ("note", "reason"):
                value = getattr(rec.closure, name)
                if value:
                    yield (*here, "closure", name), f"sign-off {name} of {rec.id}", value


def every_string(doc: Document) -> Iterator[tuple[Where, str, str, bool]]:
    """(path, field name as a reader would say it, text, whether it is a key) of every string in
    the file: the free-text fields under their names from `free_texts`, every other value and
    key under its key and the nearest id or owner/board key around it."""
    named = {where: field for where, field, _ in free_texts(doc)}
    stack: list[tuple[Any, Where, str]] = [(doc.data, (), "the file")]
    while stack:
        node, where, around = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("id"), str):
                around = node["id"]
            for key, value in node.items():
                here = (*where, key)
                if isinstance(key, str) and where and where[-1] in ("owners", "boards"):
                    yield here, f"key {key} of {where[-1]}", key, True
                    child_around = key
                else:
                    child_around = around
                if isinstance(value, str):
                    if key in _SHAPED:
                        continue
                    yield here, named.get(here) or f"`{key}` of {around}", value, False
                elif isinstance(value, int) and not isinstance(value, bool) and value >= 100_000:
                    yield here, f"`{key}` of {around}", str(value), False  # an NHS number typed as a number
                elif isinstance(value, (dict, list)):
                    stack.append((value, here, child_around))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                here = (*where, index)
                if isinstance(item, str):
                    name = where[-1] if where else "item"
                    yield here, named.get(here) or f"{name} {index + 1} of {around}", item, False
                elif isinstance(item, (dict, list)):
                    stack.append((item, here, around))


_SHAPED = frozenset({"due", "completed", "date", "status", "kind", "better"})
"""Keys whose values validation has already held to a date or a fixed word: nothing to search."""

_HASH = re.compile("#")


def comments(text: str, *, in_values: bool = True) -> Iterator[tuple[int, int, str]]:
    """(line, column, text after the `#`) of every YAML comment in the file's text: a `#` at the
    start of a line or after a space or tab, outside every quoted and block scalar (found with the
    YAML reader's own tokens, which know where each scalar ends). `in_values` false says that no
    string value of the file holds a `#`, so every such `#` starts a comment and the tokens (a
    third of the cost of a cold read) are not needed."""
    if "#" not in text:
        return
    candidates = [m.start() for m in _HASH.finditer(text) if m.start() == 0 or text[m.start() - 1] in " \t\n"]
    if not candidates:
        return
    from bisect import bisect_right

    spans = _scalar_spans(text) if in_values else []
    span_starts = [start for start, _ in spans]
    for offset in candidates:
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        before = bisect_right(span_starts, (line, col)) - 1
        if before >= 0 and (line, col) < spans[before][1]:
            continue  # a `#` inside a quoted or block scalar: text, searched as a value
        end = text.find("\n", offset)
        yield line, col, text[offset + 1 : end if end >= 0 else len(text)]


def _scalar_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """((line, col), (line, col)) 1-based, start to end, of each quoted or block scalar."""
    import yaml

    spans = []
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for token in yaml.scan(text, Loader=loader):
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'", "|", ">"):
                start, end = token.start_mark, token.end_mark
                spans.append(((start.line + 1, start.column + 1), (end.line + 1, end.column + 1)))
    except yaml.YAMLError:  # pragma: no cover - the file parsed once already
        pass
    return spans


def allowed_codes(text: str) -> dict[int, set[str]]:
    """Line number (1-based) -> the codes a `# yotplan: allow YP3xx reason` comment allows there."""
    if "yotplan" not in text:
        return {}
    allowed: dict[int, set[str]] = {}
    for match in _ALLOW.finditer(text):
        if not match.group(2).strip():
            continue  # an allow without its reason allows nothing: the reason is the review trail
        line = text.count("\n", 0, match.start()) + 1
        allowed.setdefault(line, set()).update(
            code.upper() for code in re.findall(r"YP\d{3}", match.group(1), re.IGNORECASE)
        )
    return allowed


def personal_data_problems(doc: Document, text: str) -> list[Problem]:
    """YP301-YP308 (warnings): free text in this file that looks like personal data.

    passes: "CAMHS attended the June Board"; fails: "J.S. (15, DOB 03/04/2008) now attends".
    """
    from yotplan.rules.personal_data import find_personal_data, is_work_contact

    allowed: dict[int, set[str]] | None = None
    problems = []
    in_values = False
    for where, field, value, is_key in every_string(doc):
        in_values = in_values or "#" in value
        findings = find_personal_data(value)
        if findings and _is_contact(doc, where):
            findings = [f for f in findings if not is_work_contact(f.code, value[f.start : f.end])]
        if not findings:
            continue
        if allowed is None:
            allowed = allowed_codes(text)
        for finding in findings:
            problem = doc.problem(where, "warning", finding.code, _message(field, value, finding), at_key=is_key)
            if finding.code in allowed.get(problem.line, ()) or finding.code in allowed.get(problem.line - 1, ()):
                continue
            problems.append(problem)
    for line, col, comment in comments(text, in_values=in_values):
        for finding in find_personal_data(comment):
            if allowed is None:
                allowed = allowed_codes(text)
            if finding.code in allowed.get(line, ()) or finding.code in allowed.get(line - 1, ()):
                continue
            message = _message(f"the comment on line {line}", comment, finding)
            problems.append(Problem(doc.path, line, col + 1 + finding.start, "warning", finding.code, message))
    return problems


def _is_contact(doc: Document, where: Where) -> bool:
    """Whether `where` is an owner's `contact` or `email`: the fields for a work contact."""
    return isinstance(doc.model, OwnersFile) and len(where) == 3 and where[0] == "owners" and where[2] in _CONTACTS


_CONTACTS = frozenset({"contact", "email"})


def _message(field: str, value: str, finding: Any) -> str:
    from yotplan.rules.personal_data import mask, masked_personal_data

    matched = value[finding.start : finding.end]
    # The field's name quotes an id or an owner key, which may hold the data itself: masked too.
    return (
        f"{masked_personal_data(field)} looks like {finding.what} ({mask(' '.join(matched.split()))}): {finding.why}; "
        f"plans are kept forever in git, so remove it, or if it is not personal data add "
        f"`# yotplan: allow {finding.code} <reason>` on that line"
    )


def _version() -> str:
    """Changes whenever the detector or this module does: part of the cache key of every file."""
    digest = hashlib.blake2b(digest_size=12)
    for module in (_DETECTOR, __file__):
        try:
            digest.update(Path(module).read_bytes())
        except OSError:  # pragma: no cover - installed without sources
            digest.update(str(module).encode())
    return digest.hexdigest()


PERSONAL_DATA_CHECKS = FileChecks(check=personal_data_problems, version=_version())
"""The file checks every command that reads plans passes to the loader."""
