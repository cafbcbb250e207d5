"""The corpus: tests/corpus/<case>/ is a plans folder with one defect and the exact problems it
must produce in expected.txt (`valid/` has none). Every case runs through the loader and all
rules; the YPxxx cases also run through their one rule alone, so every rule is tested directly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from yotplan.plans.loader import load_plans
from yotplan.rules.checker import check_folders
from yotplan.rules.plan_rules import RULES

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
RULE_CASES = [c for c in CASES if c[:5] in RULES]
TODAY = date(2022, 6, 1)


def expected(case: str) -> list[str]:
    return (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("case", CASES)
def test_case_gives_exactly_its_expected_problems(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS / case)
    problems, _ = check_folders([Path(".")], TODAY)
    assert [str(p) for p in problems] == expected(case)


def test_every_invalid_case_has_a_problem_and_the_valid_one_none() -> None:
    assert expected("valid") == []
    assert all(expected(c) for c in CASES if c != "valid")


@pytest.mark.parametrize("case", RULE_CASES)
def test_rule_alone_finds_its_defect(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS / case)
    result = load_plans(Path("."))
    assert result.problems == []
    rule = RULES[case[:5]]
    found = [str(p) for p in rule(result.plans, TODAY)]
    assert found == expected(case)
    assert all(f" {case[:5]} " in line for line in found)


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_passes_the_valid_plan_and_has_a_case(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS / "valid")
    result = load_plans(Path("."))
    assert list(RULES[code](result.plans, TODAY)) == []
    assert any(c.startswith(code) for c in CASES), f"no corpus case for {code}"
