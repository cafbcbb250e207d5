"""Inputs built to hang or exhaust yotplan are refused before they cost anything, with one clear line each.

What these cost in time is measured in bench/limits.py, as ratios to PyYAML's own parser in the same run."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest

from yotplan.plans.limits import MAX_DEPTH, MAX_FILE_BYTES
from yotplan.plans.loader import load_plans
from yotplan.plans.strict_yaml import YamlProblem, parse_yaml
from yotplan.problems import Problem

from conftest import SHIPPED_PLANS, Invoke


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTPLAN_NO_CACHE", "1")


def folder_with(tmp_path: Path, name: str, content: bytes) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(SHIPPED_PLANS / "owners.yaml", plans / "owners.yaml")
    (plans / name).write_bytes(content)
    return plans


def only_problem(plans: Path) -> Problem:
    result = load_plans(plans)
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def billion_laughs(levels: int = 9) -> str:
    lines = ['lol: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_before_anything_expands(tmp_path: Path) -> None:
    plans = folder_with(tmp_path, "laughs.yaml", billion_laughs().encode())
    problem = only_problem(plans)
    assert (problem.code, problem.line, problem.col) == ("YP004", 1, 6)
    assert problem.path.endswith("laughs.yaml")
    assert "anchors are not allowed" in problem.message


def test_aliases_hidden_from_the_quick_scan_are_still_refused_when_built() -> None:
    # parse_yaml scans for anchors only when `&` or `*` can start one; the builder refuses a
    # shared node anyway, so even a gap in that scan could not expand anything.
    from yotplan.plans.strict_yaml import StrictLoader

    loader = StrictLoader(billion_laughs(3))
    node = loader.get_single_node()
    loader.dispose()
    with pytest.raises(YamlProblem) as info:
        StrictLoader("").construct_document(node)
    assert info.value.code == "YP004"
    assert info.value.line >= 1


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path: Path, cli: Invoke) -> None:
    plans = folder_with(tmp_path, "huge.yaml", b"")
    with (plans / "huge.yaml").open("wb") as out:
        out.truncate(MAX_FILE_BYTES * 50)  # 500 MB, sparse: reading it all would show in the memory
    only_problem(plans)  # the modules it needs imported, so that what is measured next is the reading
    tracemalloc.start()
    try:
        problem = only_problem(plans)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MAX_FILE_BYTES, f"{peak:,} bytes allocated to refuse a 500 MB file by its size"
    assert problem.code == "YP001"
    assert "500.0 MB, over the 10 MB limit for one plan file; split it by source" in problem.message
    result = cli("check", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 1
    assert result.stdout.count("\n") == 1
    assert "huge.yaml" in result.stdout
    assert "over the 10 MB limit" in result.stdout


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    text = (SHIPPED_PLANS / "hmip-inspection.yaml").read_bytes()
    padded = text + b"#" * (MAX_FILE_BYTES - len(text) - 1) + b"\n"
    assert len(padded) == MAX_FILE_BYTES
    plans = folder_with(tmp_path, "hmip.yaml", padded)
    assert load_plans(plans).problems == []


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n", 1, 3 + MAX_DEPTH),  # the 100th level
        (
            "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v\n",
            0,
            0,
        ),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", 1, 0),  # past libyaml's own limit of 1,000
        ("- " * 3000 + "x\n", 1, 0),
    ],
)
def test_deep_nesting_is_refused_with_its_line(text: str, line: int, col: int) -> None:
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    problem = info.value
    assert problem.code == "YP002"
    assert problem.line >= 1
    if line:
        assert problem.line == line
    if col:
        assert problem.col == col
    assert "nest" in problem.message


def test_deep_nesting_in_a_plan_file_is_one_problem(tmp_path: Path) -> None:
    plans = folder_with(tmp_path, "deep.yaml", ("source: " + "{a: " * 400 + "x" + "}" * 400 + "\n").encode())
    problem = only_problem(plans)
    assert problem.code == "YP002"
    assert problem.line == 1


def test_a_huge_string_loads_whole(tmp_path: Path) -> None:
    text = (SHIPPED_PLANS / "hmip-inspection.yaml").read_text()
    huge = "x" * (MAX_FILE_BYTES - len(text) - 1000)
    text = text.replace("title: HM Inspectorate of Probation", f"title: {huge} HM Inspectorate of Probation", 1)
    plans = folder_with(tmp_path, "hmip.yaml", text.encode())
    result = load_plans(plans)
    assert result.problems == []
    assert len(result.plans.plans[0].model.source.title) > 9_000_000


def test_many_keys_and_items_load(tmp_path: Path) -> None:
    items = "".join(f"  - item {i}\n" for i in range(100_000))
    data = parse_yaml("a:\n" + items)
    assert len(data["a"]) == 100_000
    assert data["a"][-1] == "item 99999"
    keys = "".join(f"key{i}: {i}\n" for i in range(100_000))
    loaded = parse_yaml(keys)
    assert len(loaded) == 100_000
    assert loaded["key99999"] == 99_999
