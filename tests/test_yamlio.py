"""The strict YAML reader: YAML 1.2 scalars, refusals, and positions."""

from __future__ import annotations

import pytest

from yotplan.plans.strict_yaml import MarkedDict, MarkedList, YamlProblem, locate, parse_yaml


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("owner: no", "no"),  # YAML 1.1 would read False
        ("owner: yes", "yes"),
        ("owner: off", "off"),
        ("flag: true", True),
        ("flag: False", False),
        ("due: 2024-06-30", "2024-06-30"),  # the models type dates, with a line number on error
        ("time: 1:30", "1:30"),  # YAML 1.1 sexagesimal would give 90
        ("n: 42", 42),
        ("version: 1.10", 1.1),
        ("nothing: ~", None),
        ("nothing:", None),
        ("text: 'quoted: yes'", "quoted: yes"),
    ],
)
def test_scalars_follow_yaml_1_2(text: str, value: object) -> None:
    data = parse_yaml(text)
    assert list(data.values()) == [value]


def test_data_remembers_where_keys_values_and_items_are() -> None:
    data = parse_yaml("a: 1\nlist:\n  - x: 1\n    y: two\n  - z\n")
    assert isinstance(data, MarkedDict)
    assert isinstance(data["list"], MarkedList)
    assert locate(data, ("a",)) == (1, 4)
    assert locate(data, ("a",), at_key=True) == (1, 1)
    assert locate(data, ("list", 0, "y")) == (4, 8)
    assert locate(data, ("list", 1)) == (5, 5)
    # A missing key points at the mapping that should hold it.
    assert locate(data, ("list", 0, "missing")) == (3, 5)
    assert locate(data, ("nowhere", 3)) == (1, 1)


def refusal(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text)
    return info.value


@pytest.mark.parametrize(
    ("text", "code", "line", "col", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", "YP003", 3, 1, "duplicate key 'a' (first at line 1)"),
        ("a: &x 1\nb: 2\n", "YP004", 1, 4, "anchors are not allowed"),
        ("a: [1]\nb: *x\n", "YP004", 2, 4, "aliases are not allowed"),
        ("base: {k: 1}\nc:\n  <<: {k: 2}\n", "YP004", 3, 3, "merge keys"),
        ("a: !!python/object:os.system x\n", "YP005", 1, 4, "'!!python/object:os.system' is not allowed"),
        ("a: !custom x\n", "YP005", 1, 4, "'!custom' is not allowed"),
        ("a: !!set {x}\n", "YP005", 1, 4, "'!!set' is not allowed"),
        ("? [a, b]\n: 1\n", "YP002", 1, 3, "must be text"),
        ("1: one\n", "YP002", 1, 1, "must be text"),
        ("a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> x\n", "YP006", 2, 1, "merge conflict"),
        ("a: 1\n---\nb: 2\n", "YP002", 3, 1, "more than one YAML document"),
        ("a:\n  - 1\n - 2\n", "YP002", 3, 2, "YAML syntax error"),
        ("a: 'open\n", "YP002", 2, 1, "YAML syntax error"),
        ("a:\n\tb: 1\n", "YP002", 2, 1, "tabs"),
    ],
)
def test_refusals_are_problems_with_positions(text: str, code: str, line: int, col: int, words: str) -> None:
    problem = refusal(text)
    assert (problem.code, problem.line, problem.col) == (code, line, col)
    assert words in problem.message


def test_aliases_are_refused_before_anything_expands_them() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
    )
    problem = refusal(laughs)
    assert problem.code == "YP004"
    assert problem.line == 1


def test_conflict_markers_inside_quoted_text_are_still_found() -> None:
    problem = refusal('a: "one\n<<<<<<< HEAD\ntwo"\n')
    assert (problem.code, problem.line) == ("YP006", 2)


def test_ampersand_in_text_is_just_text() -> None:
    assert parse_yaml("title: Q&A with the Board & partners") == {"title": "Q&A with the Board & partners"}


def test_empty_document_is_none() -> None:
    assert parse_yaml("") is None
    assert parse_yaml("# only a comment\n") is None
