"""JSON Schemas of the plan and owners files, generated from the models so they cannot drift.

Editors read them through yaml-language-server (VS Code's YAML extension and others), which
understands JSON Schema draft-07 and older: pydantic writes 2020-12 style `$defs`, which
this module renames to draft-07's `definitions`.

The models describe shape only, and leave judging to `check` (`yotplan.rules.plan_rules`). So
that an editor and `check` agree on the common mistakes, the schemas also say every rule of
`check` that a schema can say about one file by itself (`_encode_rules`): owners required
(YP101, YP103), actions required (YP102), a due date or `undated:` (YP105), `completed` when done (YP106),
ids (YP111) and owner keys (YP113, YP115) as patterns, and text that is more than spaces. A due
date means `due:` or `undated:`, one of them (YP105).
Rules across files (unknown owners, duplicate ids) or about today (overdue) stay with `check`.
"""

from __future__ import annotations

import json
from typing import Any

from yotplan.plans.models import (
    ID_PATTERN,
    ISO_DATE_SCHEMA_PATTERN,
    OWNER_KEY_PATTERN,
    BoardsFile,
    Model,
    OwnersFile,
    PlanFile,
    ServiceFile,
)
from yotplan.plans.validation import adapter

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

ID = f"^{ID_PATTERN.pattern}$"
OWNER_KEY = f"^{OWNER_KEY_PATTERN.pattern}$"
MEETING = f"^{OWNER_KEY_PATTERN.pattern}@{ISO_DATE_SCHEMA_PATTERN[1:]}"
"""A sign-off's meeting, `BOARD@YYYY-MM-DD`: a board key and a date."""
NOT_BLANK = r"\S"
"""Text is stripped before it is judged, so text of only spaces is empty."""


def json_schema(model: type[Model]) -> dict[str, Any]:
    """The draft-07 JSON Schema of `model`."""
    schema: dict[str, Any] = adapter(model).json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", None)
    result: dict[str, Any] = {"$schema": DRAFT_07, **schema}
    if definitions:
        result["definitions"] = definitions
    _encode_rules(result)
    return result


def _encode_rules(schema: dict[str, Any]) -> None:
    """Add to a generated schema the rules of `check` that a schema can express (see above)."""
    _require_text(schema)
    definitions = schema.get("definitions", {})
    if recommendation := definitions.get("Recommendation"):
        _required_string(recommendation, "owner", OWNER_KEY)  # YP101
        _required(recommendation, "actions")  # YP102
        recommendation["properties"]["actions"]["minItems"] = 1
        recommendation["properties"]["id"]["pattern"] = ID  # YP111
        recommendation["properties"]["related"]["items"]["pattern"] = ID  # YP109: an id, at least
    if action := definitions.get("Action"):
        _required_string(action, "owner", OWNER_KEY)  # YP103
        action["properties"]["due"] = _without_null(action["properties"]["due"])
        action["properties"]["due"].pop("default", None)
        action["properties"]["id"]["pattern"] = ID  # YP111
        action["allOf"] = [
            {"oneOf": [{"required": ["due"]}, {"required": ["undated"]}]},  # YP105: one of them, not both
            {  # YP106
                "if": {"properties": {"status": {"const": "done"}}, "required": ["status"]},
                "then": {"required": ["completed"], "properties": {"completed": {"type": "string"}}},
            },
        ]
    if source := definitions.get("Source"):
        source["properties"]["id"]["pattern"] = ID  # YP111
    if closure := definitions.get("Closure"):
        closure["properties"]["meeting"]["pattern"] = MEETING  # YP114: a meeting id, at least
    if board := definitions.get("Board"):
        for option in board["properties"]["chair"]["anyOf"]:  # YP115: an owner key, or none
            if option.get("type") == "string":
                option["pattern"] = OWNER_KEY
    for registry in ("owners", "boards"):  # YP113, YP115: keys are slugs
        if registry in schema.get("properties", {}):
            schema["properties"][registry]["propertyNames"] = {"pattern": OWNER_KEY}


def _require_text(node: Any) -> None:
    """Every non-empty text field (`minLength: 1`) also holds more than spaces."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("minLength") == 1 and "pattern" not in node:
            node["pattern"] = NOT_BLANK
        for value in node.values():
            _require_text(value)
    elif isinstance(node, list):
        for item in node:
            _require_text(item)


def _required(definition: dict[str, Any], key: str) -> None:
    definition["required"] = [*definition.get("required", []), key]
    definition["properties"][key].pop("default", None)


def _required_string(definition: dict[str, Any], key: str, pattern: str) -> None:
    """`key` is required, and is a string matching `pattern` (never null)."""
    _required(definition, key)
    field = definition["properties"][key]
    kept = {name: value for name, value in field.items() if name in ("title", "description")}
    definition["properties"][key] = {**kept, "type": "string", "pattern": pattern}


def _without_null(field: dict[str, Any]) -> dict[str, Any]:
    """An optional field's schema (`anyOf: [X, null]`) as X alone, keeping its title and description."""
    kept = {name: value for name, value in field.items() if name in ("title", "description")}
    (option,) = [o for o in field["anyOf"] if o.get("type") != "null"]
    return {**kept, **option}


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
