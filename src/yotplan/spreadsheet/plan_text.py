"""The files of an import as text: the plan file and owners.yaml, with comments that say how each
thing was read, and the JSON Schemas their editor hints point at.

New files need no round-trip editor: they are written with PyYAML's C emitter (about ten times
faster than ruamel.yaml on a large plan); before they are placed they are read back with
yotplan's own loader and compared with what was meant (`same_data`), so a quoting slip can never
change a value. Strings that YAML 1.2 (which yotplan reads) would take
for numbers, but PyYAML's YAML 1.1 would not (`0o17`), are quoted too. The comments are inserted
at each action: the spreadsheet's own text, wherever it was read as something else.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date
from typing import Any

import yaml

from yotplan.spreadsheet.interpretation import (
    NO_LEAD_KEY,
    UNKNOWN_AGENCY,
    ActionDraft,
    ImportedPlan,
    OwnerDraft,
    RecommendationDraft,
    status_sentence,
)

SCHEMA_FOLDER = "schema"
PLAN_SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FOLDER}/plan.schema.json"
OWNERS_SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FOLDER}/owners.schema.json"
COMMENT_WIDTH = 104
_UNPRINTABLE = re.compile(r"[^\t\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class _Dumper(yaml.CSafeDumper):
    """PyYAML's C emitter, quoting what YAML 1.2 would read as a number or a boolean, never aliasing."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # one as-of date on many updates is written out each time: plans refuse aliases


for _pattern, _tag in (
    (r"^[-+]?0o[0-7]+$", "int"),
    (r"^[-+]?0x[0-9a-fA-F]+$", "int"),
    (r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "float"),
    (r"^(?:True|TRUE|False|FALSE|true|false)$", "bool"),
):
    _Dumper.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list("-+0123456789.TtFf"))


def dump_yaml(data: dict[str, Any]) -> str:
    """`data` as block YAML with PyYAML's C emitter. `plan_import` reads the files back with
    yotplan's own loader before placing them, and compares (`same_data`)."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def same_data(meant: Any, read: Any) -> bool:
    """Whether a file read back (a model as `dataclasses.asdict` gives it) holds what was meant,
    fields left at their empty defaults aside."""
    return bool(_without_empty(meant) == _without_empty(read))


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v is not None and v != [] and v != {}}
    if isinstance(value, (list, tuple)):
        return [_without_empty(v) for v in value]
    return value


def owners_data(owners: list[OwnerDraft]) -> dict[str, Any]:
    return {"owners": {o.key: {"role": o.role, "agency": UNKNOWN_AGENCY} for o in owners}}


def plan_data(plan: ImportedPlan) -> dict[str, Any]:
    """The plan file's content as plain data, keys in the shipped plans' order."""
    return {
        "source": {"id": plan.source_id, "title": plan.source_title, "kind": plan.kind},
        "recommendations": [
            {
                "id": rec.id,
                "text": rec.text,
                "owner": _rec_owner(rec),
                "actions": [_action_data(a, plan.as_at) for a in rec.actions],
            }
            for rec in plan.recommendations
        ],
    }


def _rec_owner(rec: RecommendationDraft) -> str:
    from yotplan.spreadsheet.cells import owner_key

    return (owner_key(rec.lead) if rec.lead else "") or rec.actions[0].owner


def _action_data(action: ActionDraft, as_at: date) -> dict[str, Any]:
    data: dict[str, Any] = {"id": action.id, "title": action.title, "owner": action.owner}
    if action.due is not None:
        data["due"] = action.due
    else:
        data["undated"] = action.undated or "to-be-confirmed"
    data["status"] = action.status
    optional: dict[str, Any] = {
        "completed": action.completed,
        "measure": action.measure,
        "updates": [{"date": as_at, "note": " ".join(action.updates)}] if action.updates else None,
        "evidence": [action.evidence] if action.evidence else None,
        "review": list(action.review) or None,
    }
    data.update((key, value) for key, value in optional.items() if value is not None)
    return data


def render_plan(plan: ImportedPlan) -> str:
    """The plan file's text: the schema hint, the header comment, the plan, comments at each action."""
    lines = dump_yaml(plan_data(plan)).splitlines()
    commented = {f"  - id: {a.id}": a.comments for a in plan.actions if a.comments}
    rec_comments = {f"- id: {r.id}": r.comments for r in plan.recommendations if r.comments}
    out: list[str] = [PLAN_SCHEMA_LINE, *_comment(_plan_header(plan))]
    for line in lines:
        if line.startswith("- id: "):
            if not out[-1].startswith("recommendations:"):
                out.append("")
            out.extend(f"# {_printable(c)}" for c in rec_comments.get(line, ()))
        out.extend(f"  # {_printable(c)}" for c in commented.get(line, ()))
        out.append(line)
    return "\n".join(out) + "\n"


def _printable(text: str) -> str:
    """A comment line: the sheet's text with anything YAML cannot hold in a comment made visible."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", " ".join(text.split()))


def _plan_header(plan: ImportedPlan) -> list[str]:
    sheet = f', sheet "{plan.sheet.name}"' if plan.sheet.name else ""
    header = plan.header
    columns = ", ".join(f"{c.header!r} -> {c.field}" for c in header.columns if c.field)
    paragraphs = [
        f"Imported by `yotplan import` from {plan.sheet.path.name}{sheet} (header on row {header.row.number}). "
        f"Columns read: {columns}. Review it before use.",
        "Text is as the spreadsheet has it, with runs of spaces and line breaks made single spaces. Where the "
        "spreadsheet's words were read as something else, a comment at the action quotes them; `review:` notes "
        "say what a person should check (`yotplan check` warns until each is removed).",
        "Ids: recommendations are the source id and "
        + (
            f"the {header.title('ref')!r} column"
            if "ref" in header.fields
            else "their number in sheet order (the sheet has no ref column)"
        )
        + "; actions are numbered within their recommendation"
        + (f" unless the {header.title('action-ref')!r} column gives an id" if "action-ref" in header.fields else "")
        + ". A recommendation's owner is "
        + (f"in the {header.title('rec-owner')!r} column, else " if "rec-owner" in header.fields else "")
        + "the lead of its first action.",
        status_sentence(plan),
        "Dates: a month (March 2023) or a financial quarter (Q2 2023/24) is its last day. An action whose date is "
        "ongoing, TBC, n/a or blank has no `due:` but `undated: ongoing` or `undated: to-be-confirmed`.",
        f"As-of date: {plan.as_at}, {plan.as_at_reason}. Progress notes are dated with it, and a done action "
        "whose completion date the spreadsheet does not give is `completed:` then, meaning done by then; no "
        "date here is later.",
    ]
    if plan.skipped_text:
        paragraphs.append(f"Rows skipped: {plan.skipped_text}.")
    if plan.not_placed:
        rows = ", ".join(str(r) for r in sorted({r for r, _ in plan.not_placed}))
        paragraphs.append(f"Not imported (the import listed why): rows {rows}.")
    return paragraphs


def render_owners(owners: list[OwnerDraft], sources: list[str], lead_column: str) -> str:
    """owners.yaml's text: one owner per lead, the lead's text as its role, the agency unknown."""
    lines = dump_yaml(owners_data(owners)).splitlines()
    people = {f"  {o.key}:" for o in owners if o.person}
    out: list[str] = [
        OWNERS_SCHEMA_LINE,
        *_comment(
            [
                f"Owners imported by `yotplan import` from {', '.join(sources)}: one for each lead in the "
                f"{lead_column!r} column, keyed by its text; leads that differ only in case, spacing or punctuation "
                "are one owner. The spreadsheet does not say which agency a lead belongs to, so each agency is "
                f'"{UNKNOWN_AGENCY}" until someone fills it in.',
                "Owners are roles, never named people or children: owners.yaml must hold no personal data.",
            ]
        ),
    ]
    for i, line in enumerate(lines):
        if i > 1 and re.match(r"  \S", line):
            out.append("")
        if line in people:
            out.append("  # This lead looks like a person's name: replace it with the role (no personal data here).")
        if line == f"  {NO_LEAD_KEY}:":
            out.append("  # Actions whose row names no lead: give each its real owner, then remove this one.")
        out.append(line)
    return "\n".join(out) + "\n"


def schema_files() -> dict[str, str]:
    """The JSON Schemas the files' editor hints point at, by their path in the new folder."""
    from yotplan.plans.json_schema import owners_schema, plan_schema, render_schema

    return {
        f"{SCHEMA_FOLDER}/plan.schema.json": render_schema(plan_schema()),
        f"{SCHEMA_FOLDER}/owners.schema.json": render_schema(owners_schema()),
    }


def _comment(paragraphs: list[str]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(
            textwrap.wrap(
                _printable(paragraph),
                COMMENT_WIDTH,
                initial_indent="# ",
                subsequent_indent="# ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return lines
