"""Bad input, tried systematically: whatever a person types into a plan file, yotplan answers
with valid plans or with problems that each name the file and a line. Nothing escapes, nothing hangs.

Reproducible and bounded for CI: a fixed number of examples, derandomized (the same examples
on every run), no example database and no deadline (tests/conftest.py's profile), and inputs
kept well inside the limits that tests/test_limits.py tests: what is fuzzed here is a plan that
is read, not one refused whole for its size.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yotplan.plans.limits import MAX_FILE_BYTES
from yotplan.plans.loader import load_plans
from yotplan.plans.strict_yaml import YamlProblem, parse_yaml
from yotplan.problems import Problem
from yotplan.rules.plan_rules import check_plans
from yotplan.views.queries import overdue_actions, owner_workload, status_view, upcoming_actions

from conftest import SHIPPED_PLANS

BOUNDED = settings(
    max_examples=400,
    # A mutated plan is made of many small choices (lines, keys, values), more than the default
    # buffer expects; the examples stay the same derandomized ones.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TODAY = date(2022, 6, 1)
SEEDS = [(SHIPPED_PLANS / name).read_text() for name in ("hmip-inspection.yaml", "lga-peer-review.yaml")]
OWNERS = (SHIPPED_PLANS / "owners.yaml").read_text()
SMALL_PLAN = """source:
  id: QA
  title: Quality assurance
  kind: self-assessment
recommendations:
  - id: QA-1
    text: Audit case files every quarter
    owner: yot-manager
    related: [QA-2]
    actions:
      - id: QA-1.1
        title: Run the first audit
        owner: yot-manager
        due: 2022-05-01
        status: in-progress
        updates:
          - date: 2022-04-01
            note: Started
        evidence: [Audit plan agreed]
  - id: QA-2
    text: Act on what the audits find
    owner: yot-manager
    actions:
      - {id: QA-2.1, title: Report to the Board, owner: yot-manager, due: 2022-09-30}
"""
WRONG_VALUES = [
    "[1, 2]",
    "{a: 1}",
    "12",
    "-3.5",
    "true",
    "null",
    "~",
    "''",
    '""',
    "no",
    "1:30",
    "0777",
    ".inf",
    "2022-13-45",
    "30/06/2024",
    "1719705600",
    "- x",
    "|\n  block",
    ">-\n  folded",
    "'unterminated",
    '"bad \\q escape"',
    "[unclosed",
    "{unclosed: 1",
]
TAGS = [
    "!!python/object:os.system",
    "!!python/object/apply:os.system ['echo hi']",
    "!!python/name:builtins.eval",
    "!<tag:yaml.org,2002:python/object/new:os.system>",
    "!!binary",
    "!!set",
    "!!omap",
    "!!map",
    "!!seq",
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!timestamp",
    "!custom",
    "!",
]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def delete_lines(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    for _ in range(draw(st.integers(1, 3))):
        if lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
    return "\n".join(lines)


def reindent(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.integers(0, len(lines) - 1))
    indent = draw(st.sampled_from(["", " ", "  ", "   ", "      ", "\t", "  \t", " " * 20]))
    lines[i] = indent + lines[i].lstrip()
    return "\n".join(lines)


def swap_lines(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if ": " in line or line.rstrip().endswith(":")] or [0]


def wrong_value(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.sampled_from(_value_lines(lines)))
    key = lines[i].split(":", 1)[0]
    lines[i] = f"{key}: {draw(st.sampled_from(WRONG_VALUES))}"
    return "\n".join(lines)


def tagged(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.sampled_from(_value_lines(lines)))
    key, _, value = lines[i].partition(":")
    lines[i] = f"{key}: {draw(st.sampled_from(TAGS))} {value.strip() or 'x'}"
    return "\n".join(lines)


def anchored(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.sampled_from(_value_lines(lines)))
    key, _, value = lines[i].partition(":")
    form = draw(st.sampled_from(["&a {v}", "*a", "&a", "<<: *a", "[*a, *a]", "&a [x, y]"]))
    lines[i] = f"{key}: {form.format(v=value.strip() or 'x')}"
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), f"{key.strip() or 'k'}2: *a")
    return "\n".join(lines)


HUGE_SIZES = [10_000, 100_000, 250_000]
"""Repeats of a piece of at most 5 bytes: at most 1.25 MB a line. A plan gets at most four mutations,
and neither a huge string nor a duplicated line doubles the text, so a fuzzed file stays under
5 MB, half of MAX_FILE_BYTES (10 MB). (With 2,000,000 repeats one `word ` line alone was 10 MB,
over the limit: YP001 at line 0, which this file's assertions do not expect.)"""


def huge_string(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.sampled_from(_value_lines(lines)))
    key = lines[i].split(":", 1)[0]
    size = draw(st.sampled_from(HUGE_SIZES))
    piece = draw(st.sampled_from(["x", "word ", "é", "\\"]))
    lines[i] = f"{key}: {piece * size}"
    return "\n".join(lines)


def deep_nesting(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    depth = draw(st.sampled_from([50, 99, 100, 101, 500, 999, 1000, 1001, 5000]))
    i = draw(st.sampled_from(_value_lines(lines)))
    key = lines[i].split(":", 1)[0]
    opener, closer = draw(st.sampled_from([("[", "]"), ("{a: ", "}"), ("[{b: ", "}]")]))
    lines[i] = f"{key}: {opener * depth}x{closer * depth}"
    return "\n".join(lines)


def duplicate_line(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.integers(0, len(lines) - 1))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def conflict(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.integers(0, len(lines) - 1))
    return "\n".join([*lines[:i], "<<<<<<< HEAD", lines[i], "=======", lines[i] + " changed", ">>>>>>> x", *lines[i:]])


def random_text(draw: st.DrawFn, text: str) -> str:
    lines = _lines(text)
    i = draw(st.integers(0, len(lines)))
    lines.insert(i, draw(st.text(max_size=40)))
    return "\n".join(lines)


def line_endings(draw: st.DrawFn, text: str) -> str:
    return draw(st.sampled_from(["\ufeff", ""])) + text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n"])))


MUTATIONS: list[Callable[[st.DrawFn, str], str]] = [
    delete_lines,
    reindent,
    swap_lines,
    wrong_value,
    tagged,
    anchored,
    huge_string,
    deep_nesting,
    duplicate_line,
    conflict,
    random_text,
    line_endings,
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> bytes:
    """One of `seeds` with one to four of the mistakes people make, sometimes as broken bytes."""
    text = draw(st.sampled_from(seeds))
    for mutate in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        text = mutate(draw, text)
    raw = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # random bytes spliced in: invalid UTF-8, NULs, control characters
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=16)) + raw[at:]
    assert len(raw) < MAX_FILE_BYTES // 2, "the generator must stay well inside the size limit"
    return raw


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plans = tmp_path_factory.mktemp("fuzz") / "plans"
    plans.mkdir()
    shutil.copy(SHIPPED_PLANS / "owners.yaml", plans / "owners.yaml")
    return plans


def assert_problems_point_into(problems: list[Problem], path: Path) -> None:
    for problem in problems:
        assert problem.path.endswith(path.name), problem
        assert problem.line >= 1, problem
        assert problem.col >= 0, problem
        assert problem.message, problem
        assert str(problem).startswith(f"{problem.path}:{problem.line}:{problem.col}: {problem.severity} YP")


@BOUNDED
@given(raw=mutated([SMALL_PLAN, *SEEDS]))
def test_every_mutated_plan_loads_or_gives_located_problems(folder: Path, raw: bytes) -> None:
    path = folder / "plan.yaml"
    path.write_bytes(raw)
    result = load_plans(folder)  # the default: no cache
    assert_problems_point_into(result.problems, path)
    if result.problems:
        assert result.plans.plans == []
        return
    assert len(result.plans.plans) == 1
    # A plan that loads goes through every rule and view without an exception.
    found = check_plans(result.plans, TODAY)
    assert_problems_point_into([p for p in found if p.path.endswith("plan.yaml")], path)
    status_view(result.plans, TODAY)
    overdue_actions(result.plans, TODAY)
    upcoming_actions(result.plans, TODAY)
    owner_workload(result.plans, TODAY)


@BOUNDED
@given(raw=mutated([OWNERS]))
def test_a_mutated_owners_file_gives_located_problems(folder: Path, raw: bytes) -> None:
    owners = folder / "owners.yaml"
    (folder / "plan.yaml").write_text(SMALL_PLAN)
    try:
        owners.write_bytes(raw)
        result = load_plans(folder)  # the default: no cache
        assert_problems_point_into(result.problems, owners)
        check_plans(result.plans, TODAY)
    finally:
        owners.write_text(OWNERS)


def refusal_of(text: str) -> YamlProblem | None:
    try:
        parse_yaml(text)
    except YamlProblem as problem:
        return problem
    return None


@settings(BOUNDED, max_examples=500)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_parses_or_is_refused_with_a_line(text: str) -> None:
    problem = refusal_of(text)
    if problem is not None:
        assert problem.code in {"YP002", "YP003", "YP004", "YP005", "YP006"}
        assert problem.line >= 1
        assert problem.message


@settings(BOUNDED, max_examples=300)
@given(
    text=st.recursive(
        st.sampled_from(["x", "1", "~", "'q'", "&a x", "*a", "!!str s", "!t v", "<<", "? k", "- i", "{}", "[]"]),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
            st.lists(st.tuples(inner, inner), max_size=4).map(
                lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
            ),
        ),
        max_leaves=30,
    )
)
def test_any_flow_structure_parses_or_is_refused_with_a_line(text: str) -> None:
    problem = refusal_of(f"value: {text}\n")
    if problem is not None:
        assert problem.line >= 1
