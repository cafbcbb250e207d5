"""The plan file and owners.yaml of an import, as text: the plan in the shipped plans' style,
with comments that say how each thing was read.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date
from typing import Any

from yotplan.edit.roundtrip import dump_new
from yotplan.spreadsheet.cells import owner_key
from yotplan.spreadsheet.interpretation import UNKNOWN_AGENCY, ActionDraft, ImportedPlan, status_sentence

PLAN_SCHEMA_LINE = "# yaml-language-server: $schema=../schema/plan.schema.json"
OWNERS_SCHEMA_LINE = "# yaml-language-server: $schema=../schema/owners.schema.json"
COMMENT_WIDTH = 104


def render_plan(plan: ImportedPlan) -> str:
    """The plan file's text: the header comment, then the plan in the shipped plans' style."""
    data: dict[str, Any] = {
        "source": {"id": plan.source_id, "title": plan.source_title, "kind": plan.kind},
        "recommendations": [
            {
                "id": rec.id,
                "text": rec.text,
                "owner": owner_key(rec.lead) if rec.lead else rec.actions[0].owner,
                "actions": [_action_data(a, plan.as_at) for a in rec.actions],
            }
            for rec in plan.recommendations
        ],
    }
    lines = dump_new(data).splitlines()
    marked = {f"      - id: {a.id}": a for a in plan.actions if a.due_written}
    out: list[str] = [PLAN_SCHEMA_LINE, *_comment(_plan_header(plan))]
    seen_recommendation = False
    for line in lines:
        if line.startswith("  - id: "):
            if seen_recommendation:
                out.append("")
            seen_recommendation = True
        action = marked.get(line)
        if action is not None:
            out.append(f"      # due: the spreadsheet says {action.due_written!r}: the last day of that month.")
        out.append(line)
    return "\n".join(out) + "\n"


def _action_data(action: ActionDraft, as_at: date) -> dict[str, Any]:
    return {
        "id": action.id,
        "title": action.title,
        "owner": action.owner,
        "due": action.due,
        "status": action.status,
        "completed": action.completed,
        "measure": action.measure,
        "updates": [{"date": as_at, "note": action.update}] if action.update else None,
        "evidence": [action.evidence] if action.evidence else None,
    }


def _plan_header(plan: ImportedPlan) -> list[str]:
    sheet = f', sheet "{plan.sheet.name}"' if plan.sheet.name else ""
    header = plan.header
    columns = ", ".join(f"{c.header!r} -> {c.field}" for c in header.columns if c.field)
    paragraphs = [
        f"Imported by `yotplan import` from {plan.sheet.path.name}{sheet} (header on row {header.row.number}). "
        f"Columns read: {columns}. Review it before use.",
        "Text is as the spreadsheet has it, with runs of spaces and line breaks made single spaces.",
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
    ]
    if any(a.due_written for a in plan.actions):
        paragraphs.append('Target dates written as a month ("March 2023") are that month\'s last day; each is marked.')
    if plan.done_without_date:
        paragraphs.append(
            f"The spreadsheet does not say when actions were done: a done action's `completed: {plan.as_at}` "
            f"is {plan.as_at_reason}, and means done by then."
        )
    if any(a.update for a in plan.actions):
        paragraphs.append(
            f"Progress notes from the {header.title('update')!r} column are dated {plan.as_at}, {plan.as_at_reason}."
        )
    if plan.skipped_text:
        paragraphs.append(f"Rows skipped: {plan.skipped_text}.")
    if plan.not_placed:
        rows = ", ".join(str(r) for r in sorted({r for r, _ in plan.not_placed}))
        paragraphs.append(f"Not imported (the import listed why): rows {rows}.")
    return paragraphs


def render_owners(plan: ImportedPlan) -> str:
    """owners.yaml's text: one owner per lead, the lead's text as its role, the agency unknown."""
    data = {"owners": {o.key: {"role": o.role, "agency": UNKNOWN_AGENCY} for o in plan.owners.values()}}
    lines = dump_new(data).splitlines()
    people = {f"  {o.key}:" for o in plan.owners.values() if o.person}
    lead = plan.header.title("owner")
    out: list[str] = [
        OWNERS_SCHEMA_LINE,
        *_comment(
            [
                f"Owners imported by `yotplan import` from {plan.sheet.path.name}: one for each lead in the "
                f"{lead!r} column, keyed by its text; leads that differ only in case, spacing or punctuation are "
                "one owner. The spreadsheet does not say which agency a lead belongs to, so each agency is "
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
        out.append(line)
    return "\n".join(out) + "\n"


def _comment(paragraphs: list[str]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(
            textwrap.wrap(
                paragraph,
                COMMENT_WIDTH,
                initial_indent="# ",
                subsequent_indent="# ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return lines
