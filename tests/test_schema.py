"""`yotplan schema`: draft-07 JSON Schemas from the models, kept in the repo for editors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from edit_support import EDIT_FIXTURES
from yotplan.plans.json_schema import DRAFT_07, SCHEMAS, json_schema, owners_schema, plan_schema
from yotplan.plans.strict_yaml import parse_yaml

from conftest import REPO, SHIPPED_PLANS, Invoke

SCHEMA_DIR = REPO / "schema"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")

# Every keyword JSON Schema draft-07 defines; anything else (2019-09's `$defs`,
# `prefixItems`, `unevaluatedProperties`...) yaml-language-server would ignore.
DRAFT_07_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "readOnly", "writeOnly", "examples",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties", "minProperties",
    "required", "additionalProperties", "definitions", "properties", "patternProperties", "dependencies",
    "propertyNames", "const", "enum", "type", "format", "contentMediaType", "contentEncoding", "if", "then", "else",
    "allOf", "anyOf", "oneOf", "not",
}  # fmt: skip


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((), "plan.schema.json"),
        (("--owners",), "owners.schema.json"),
        (("owners",), "owners.schema.json"),
        (("boards",), "boards.schema.json"),
        (("service",), "service.schema.json"),
    ],
)
def test_the_schema_files_in_the_repo_are_what_yotplan_schema_prints(
    cli: Invoke, args: tuple[str, ...], name: str
) -> None:
    result = cli("schema", *args)
    assert result.exit_code == 0
    assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == result.stdout, (
        f"schema/{name} is stale: run `yotplan schema {' '.join(args)} > schema/{name}`"
    )


@pytest.mark.parametrize("path", sorted(SHIPPED_PLANS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_file_points_at_its_schema(path: Path) -> None:
    match = MODELINE.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} does not start with a yaml-language-server line"
    kind = path.stem if path.stem in ("owners", "boards", "service") else "plan"
    expected = f"{kind}.schema.json"
    assert (path.parent / match.group(1)).resolve() == SCHEMA_DIR / expected


def walk_keywords(schema: Any, found: set[str]) -> None:
    if isinstance(schema, dict):
        for key, value in schema.items():
            found.add(key)
            if key in ("properties", "definitions"):
                for sub in value.values():
                    walk_keywords(sub, found)
            elif key not in ("enum", "const", "default", "examples", "required"):
                walk_keywords(value, found)
    elif isinstance(schema, list):
        for item in schema:
            walk_keywords(item, found)


@pytest.mark.parametrize("schema", [plan_schema(), owners_schema()], ids=["plan", "owners"])
def test_schemas_are_draft_07(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == DRAFT_07
    found: set[str] = set()
    walk_keywords(schema, found)
    assert found <= DRAFT_07_KEYWORDS, found - DRAFT_07_KEYWORDS
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(schema))
    assert refs
    assert all(ref.startswith("#/definitions/") and ref.split("/")[-1] in schema["definitions"] for ref in refs)


def errors(value: Any, schema: dict[str, Any]) -> list[str]:
    """What a real draft-07 validator (as editors use) finds in `value`: `where: message` each."""
    found = Draft7Validator(schema).iter_errors(value)
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in found]


PLAN_FILES = [*sorted(SHIPPED_PLANS.glob("*.yaml")), *sorted(EDIT_FIXTURES.glob("*.yaml"))]


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_valid_files_pass_the_schema(path: Path) -> None:
    schema = json_schema(SCHEMAS.get(path.stem, SCHEMAS["plan"]))
    data = parse_yaml(path.read_text(encoding="utf-8-sig"))
    assert errors(data, schema) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("status: not-started", "status: finished"), "'finished' is not one of ['not-started', "),
        (("due: 2022-07-31", "due: 31/07/2022"), "actions/0/due: '31/07/2022' does not match"),
        (
            ("\n    owner: yot-board-chair\n", "\n    owner: yot-board-chair\n    colour: red\n"),
            "Additional properties are not allowed ('colour' was unexpected)",
        ),
        (("kind: inspection", "kind: 3"), "source/kind: 3 is not of type 'string'"),
    ],
)
def test_invalid_files_fail_the_schema(change: tuple[str, str], expected: str) -> None:
    text = (SHIPPED_PLANS / "hmip-inspection.yaml").read_text(encoding="utf-8").replace(*change, 1)
    schema = plan_schema()
    assert any(expected in e for e in errors(parse_yaml(text), schema)), errors(parse_yaml(text), schema)
