"""JSON Schemas of the plan and owners files, generated from the models so they cannot drift.

Editors read them through yaml-language-server (VS Code's YAML extension and others), which
understands JSON Schema draft-07 and older: pydantic writes 2020-12 style `$defs`, which
this module renames to draft-07's `definitions`.
"""

from __future__ import annotations

import json
from typing import Any

from yotplan.plans.models import BoardsFile, Model, OwnersFile, PlanFile, ServiceFile
from yotplan.plans.validation import adapter

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def json_schema(model: type[Model]) -> dict[str, Any]:
    """The draft-07 JSON Schema of `model`."""
    schema: dict[str, Any] = adapter(model).json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", None)
    result: dict[str, Any] = {"$schema": DRAFT_07, **schema}
    if definitions:
        result["definitions"] = definitions
    return result


SCHEMAS: dict[str, type[Model]] = {
    "plan": PlanFile,
    "owners": OwnersFile,
    "boards": BoardsFile,
    "service": ServiceFile,
}
"""Each kind of file in a plans folder; `schema/<kind>.schema.json` holds its schema."""


def plan_schema() -> dict[str, Any]:
    return json_schema(PlanFile)


def owners_schema() -> dict[str, Any]:
    return json_schema(OwnersFile)


def render_schema(schema: dict[str, Any]) -> str:
    """The schema as the file kept in the repository holds it: indented JSON and a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
