"""The JSON Schemas and `check` agree: what `check` refuses about one file by itself, an editor
refuses too, and what the schemas refuse `check` refuses. Judged with a real JSON Schema
validator (jsonschema, draft-07, as yaml-language-server reads the schemas)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from yotplan.plans.json_schema import SCHEMAS, json_schema
from yotplan.plans.strict_yaml import parse_yaml

from conftest import SHIPPED_PLANS, Invoke

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

SCHEMA_REFUSES: dict[str, dict[str, list[tuple[str, str]]]] = {
    # case: {file: [(where in it, the schema keyword that refuses it)]}
    "YP101-empty-owner": {"review.yaml": [("recommendations/1/owner", "type")]},
    "YP101-recommendation-without-owner": {"review.yaml": [("recommendations/1", "required")]},
    "YP102-recommendation-without-actions": {"review.yaml": [("recommendations/1/actions", "minItems")]},
    "YP103-action-without-owner": {"review.yaml": [("recommendations/1/actions/0", "required")]},
    "YP103-empty-action-owner": {"review.yaml": [("recommendations/1/actions/0/owner", "type")]},
    "YP105-action-without-due-date": {"review.yaml": [("recommendations/1/actions/0", "oneOf")]},
    "YP105-due-and-undated": {"review.yaml": [("recommendations/1/actions/0", "oneOf")]},
    "YP105-empty-due": {"review.yaml": [("recommendations/1/actions/0/due", "type")]},
    "YP106-done-without-completed": {"review.yaml": [("recommendations/0/actions/1", "required")]},
    "YP111-malformed-id": {"review.yaml": [("recommendations/1/actions/0/id", "pattern")]},
    "YP111-malformed-recommendation-id": {"review.yaml": [("recommendations/2/id", "pattern")]},
    "YP111-malformed-source-id": {"review.yaml": [("source/id", "pattern")]},
    "YP113-malformed-owner-key": {
        "owners.yaml": [("owners", "pattern")],
        # each file is judged alone, so the plan's uses of the malformed key are refused too
        "review.yaml": [("recommendations/1/actions/0/owner", "pattern"), ("recommendations/1/owner", "pattern")],
    },
    "YP115-malformed-board-key": {"boards.yaml": [("boards", "pattern")]},
    "bad-kind": {"review.yaml": [("source/kind", "enum")]},
    "bad-owners-file": {
        "owners.yaml": [("owners/yot-manager", "additionalProperties"), ("owners/yot-manager", "required")]
    },
    "bad-status": {"review.yaml": [("recommendations/1/actions/0/status", "enum")]},
    "comments-only": {"review.yaml": [("", "type")]},
    "date-not-iso": {"review.yaml": [("recommendations/1/actions/0/due", "pattern")]},
    "empty-file": {"review.yaml": [("", "type")]},
    "impossible-date": {"review.yaml": [("recommendations/1/actions/0/due", "pattern")]},
    "missing-title": {"review.yaml": [("recommendations/0/actions/1", "required")]},
    "number-as-text": {"review.yaml": [("recommendations/0/actions/1/title", "type")]},
    "top-level-list": {"review.yaml": [("", "type")]},
    "unknown-key": {"review.yaml": [("recommendations/1/actions/0", "additionalProperties")]},
    "wrong-type": {"review.yaml": [("recommendations/0/actions/1/title", "type")]},
}
"""Every corpus case that `check` refuses for a reason one file's schema can say, and where."""

NOT_YAML = {"alias", "conflict-markers", "duplicate-key", "merge-key", "multiple-documents", "not-utf8"}
NOT_YAML |= {"python-tag", "syntax-error", "tabs"}
"""Cases refused before there is any data to hold against a schema."""


def kind_of(path: Path) -> str:
    return path.stem if path.stem in SCHEMAS else "plan"


def schema_errors(path: Path) -> list[tuple[str, str]]:
    """(where, keyword) of each error the file's schema finds in it."""
    schema = json_schema(SCHEMAS[kind_of(path)])
    data: Any = parse_yaml(path.read_text(encoding="utf-8-sig"))
    validator = Draft7Validator(schema)
    return sorted(("/".join(str(p) for p in e.absolute_path), e.validator) for e in validator.iter_errors(data))


def test_the_schemas_are_valid_draft_07() -> None:
    for model in SCHEMAS.values():
        Draft7Validator.check_schema(json_schema(model))


@pytest.mark.parametrize("case", [c for c in CASES if c not in NOT_YAML])
def test_the_schema_refuses_exactly_the_corpus_cases_it_can_express(case: str) -> None:
    found = {path.name: schema_errors(path) for path in sorted((CORPUS / case).glob("*.yaml"))}
    # Not in SCHEMA_REFUSES: valid, warnings, and rules across files (unknown owner, duplicate id)
    # or about today, which the schema must accept as it cannot judge them.
    assert found == {name: [] for name in found} | SCHEMA_REFUSES.get(case, {})


def test_every_case_is_either_refused_by_check_or_valid() -> None:
    for case in SCHEMA_REFUSES:
        expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
        assert " error " in expected, case


@pytest.mark.parametrize("path", sorted(SHIPPED_PLANS.glob("*.yaml")), ids=lambda p: p.name)
def test_the_shipped_plans_pass_their_schema(path: Path) -> None:
    assert schema_errors(path) == []


HMIP = "hmip-inspection.yaml"


@pytest.mark.parametrize(
    ("file", "change", "code", "where", "keyword"),
    [
        # status casing: YAML is case-sensitive, and so are check and the schema
        (HMIP, ("status: not-started", "status: Not-Started"), "YP010", "recommendations/0/actions/0/status", "enum"),
        (HMIP, ("status: done", "status: Done"), "YP010", "recommendations/2/actions/0/status", "enum"),
        (HMIP, ("        owner: camhs-lead\n", ""), "YP103", "recommendations/0/actions/0", "required"),
        (HMIP, ("        due: 2022-07-31\n", ""), "YP105", "recommendations/0/actions/0", "oneOf"),
        (HMIP, ("        due: 2022-07-31\n", "        due:\n"), "YP105", "recommendations/0/actions/0/due", "type"),
        (HMIP, ("        completed: 2022-05-06\n", ""), "YP106", "recommendations/2/actions/0", "required"),
        (HMIP, ("    owner: yot-board-chair\n", "    owner: ''\n"), "YP101", "recommendations/0/owner", "pattern"),
        (HMIP, ("  - id: HMIP-1\n", "  - id: HMIP 1\n"), "YP111", "recommendations/0/id", "pattern"),
        (HMIP, ("  id: HMIP\n", "  id: HM/IP\n"), "YP111", "source/id", "pattern"),
        (HMIP, ("due: 2022-07-31", "due: 2022-07-32"), "YP010", "recommendations/0/actions/0/due", "pattern"),
        ("owners.yaml", ("  yot-board-chair:\n", "  YOT Board Chair:\n"), "YP113", "owners", "pattern"),
        ("boards.yaml", ("  yot-board:\n", "  yot board:\n"), "YP115", "boards", "pattern"),
        ("boards.yaml", ("chair: yot-board-chair", "chair: the chair"), "YP115", "boards/yot-board/chair", "anyOf"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("YP") else "",
)
def test_check_and_the_schema_refuse_the_same_one_line_mistakes(
    cli: Invoke, plans: Path, file: str, change: tuple[str, str], code: str, where: str, keyword: str
) -> None:
    path = plans / file
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    result = cli("check", "--quiet", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 1
    assert f" error {code} " in result.stdout + result.stderr
    assert schema_errors(path) == [(where, keyword)]


def test_text_of_only_spaces_is_refused_by_both(cli: Invoke, plans: Path) -> None:
    path = plans / HMIP
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "title: Secure regular CAMHS attendance at the YOT Management Board", "title: '   '", 1
        ),
        encoding="utf-8",
    )
    result = cli("check", "--quiet", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 1
    assert " error YP010 " in result.stdout + result.stderr
    assert schema_errors(path) == [("recommendations/0/actions/0/title", "pattern")]
