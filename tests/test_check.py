"""`yotplan check` for people, CI and pre-commit; and every command's answer to broken plans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, Invoke

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_shipped_plans_pass_with_warnings_only(cli: Invoke) -> None:
    result = cli("check", "--today", "2026-11-26")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines, "the shipped plans are years past their dates: check must say so"
    assert all(" warning YP20" in line for line in lines)
    assert any("LGA-b.1 is 1625 days overdue (due 2022-06-15)" in line for line in lines)
    assert result.stderr == f"6 files checked: 0 errors, {len(lines)} warnings\n"


def test_shipped_plans_are_clean_on_the_review_date(cli: Invoke) -> None:
    result = cli("check", "--today", "2022-05-06")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "6 files checked: no problems\n"


def test_strict_turns_warnings_into_errors(cli: Invoke) -> None:
    result = cli("check", "--strict", "--today", "2022-10-01")
    assert result.exit_code == 1
    assert result.stdout
    assert all(" error YP20" in line for line in result.stdout.splitlines())


def test_every_recommendation_needs_an_owner(cli: Invoke, tmp_path: Path) -> None:
    """The check CI relies on most, end to end: removing one owner line fails the build."""
    plans = tmp_path / "plans"
    shutil.copytree(REPO / "plans", plans)
    path = plans / "lga-peer-review.yaml"
    text = path.read_text(encoding="utf-8")
    owner_line = "    owner: director-childrens-services\n"
    lines = text.splitlines(keepends=True)
    at = lines.index(owner_line)
    path.write_text("".join(lines[:at] + lines[at + 1 :]), encoding="utf-8")
    result = cli("check", "--plans", plans, "--today", "2022-05-06")
    assert result.exit_code == 1
    [problem] = result.stdout.splitlines()
    assert problem.startswith(f"{plans / 'lga-peer-review.yaml'}:")
    assert " error YP101 recommendation " in problem
    assert problem.endswith("has no owner; add `owner:` with a key from owners.yaml")


def test_json_format(cli: Invoke) -> None:
    result = cli("check", "--plans", CORPUS / "YP104-unknown-owner", "--format", "json", "--today", "2022-06-01")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem == {
        "path": "tests/corpus/YP104-unknown-owner/review.yaml",  # relative to the working folder
        "line": 36,
        "column": 16,
        "severity": "error",
        "code": "YP104",
        "message": "owner 'yot-manger' is not in owners.yaml (did you mean 'yot-manager'?)",
    }


def test_github_format_annotates_and_escapes(cli: Invoke) -> None:
    result = cli("check", "--plans", "tests/corpus/YP104-unknown-owner", "--format", "github", "--today", "2022-06-01")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first == (
        "::error file=tests/corpus/YP104-unknown-owner/review.yaml,line=36,col=16,title=YP104::"
        "owner 'yot-manger' is not in owners.yaml (did you mean 'yot-manager'?)"
    )


def test_github_format_caps_annotations_and_says_so(cli: Invoke) -> None:
    result = cli("check", "--format", "github", "--today", "2026-11-26")
    lines = result.stdout.splitlines()
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(warnings) == 10
    assert any(line.startswith("::notice::") and "more warnings not annotated" in line for line in lines)
    assert sum(" warning YP2" in line for line in lines) > 10  # every problem is still in the log


def test_file_arguments_check_the_plans_folder_they_belong_to(cli: Invoke) -> None:
    case = "tests/corpus/YP104-unknown-owner"
    result = cli("check", f"{case}/owners.yaml", f"{case}/review.yaml", "--today", "2022-06-01")
    assert result.exit_code == 1
    assert result.stdout == (CORPUS / "YP104-unknown-owner" / "expected.txt").read_text().replace(
        "review.yaml", f"{case}/review.yaml"
    )
    assert cli("check", "plans/owners.yaml", "--today", "2022-05-06").exit_code == 0


def test_a_path_that_is_not_a_plan_file_is_an_error(cli: Invoke) -> None:
    for path, why in [("/etc/passwd", "not a plan file"), ("README.md", "not a plan file"), ("nope.yaml", "no such")]:
        result = cli("check", path, "--today", "2022-06-01")
        assert result.exit_code == 1, path
        assert result.stdout.startswith(f"{path}:0:0: error YP008 {why}")
        assert "0 files checked: 1 error" in result.stderr


BROKEN = ["syntax-error", "not-utf8", "conflict-markers", "empty-file", "missing-owners-file", "empty-folder"]
COMMANDS = [["status"], ["overdue"], ["upcoming"], ["owners"], ["show", "REV-1"], ["check"]]


@pytest.mark.parametrize("case", BROKEN)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_broken_plans_get_one_line_per_problem_and_exit_1(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch, case: str, command: list[str]
) -> None:
    monkeypatch.chdir(CORPUS / case)
    result = cli(*command, "--plans", ".", "--today", "2022-06-01")
    assert result.exit_code == 1
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    if command == ["check"]:
        assert result.stdout == expected
    else:  # every problem first, then what the command could not do
        assert result.stderr.startswith(expected)
        assert result.stderr[len(expected) :].count("\n") <= 1
    assert "Traceback" not in result.stdout + result.stderr


def test_missing_plans_folder(cli: Invoke, tmp_path: Path) -> None:
    result = cli("status", "--plans", tmp_path / "nope")
    assert result.exit_code == 1
    assert (
        result.stderr == f"{tmp_path / 'nope'}:0:0: error YP008 no such folder; pass --plans DIR or set YOTPLAN_PLANS\n"
    )


def test_a_bug_is_one_line_and_exit_3(cli: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user input can cause a bug on demand, so one is planted to prove the guard."""
    import yotplan.views.queries

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(yotplan.views.queries, "status_view", broken)
    result = cli("status", "--today", "2022-06-01")
    assert result.exit_code == 3
    assert result.stderr == "yotplan: internal error: RuntimeError: planted (re-run with --traceback and report it)\n"
    result = cli("--traceback", "status", "--today", "2022-06-01")
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):\n")
    assert result.stderr.endswith("RuntimeError: planted\n")


def test_a_broken_file_does_not_make_links_to_it_errors_too(cli: Invoke, plans: Path) -> None:
    """HMIP and IR link to LGA recommendations; with the LGA file broken, only its own line is wrong."""
    lga = plans / "lga-peer-review.yaml"
    lga.write_text(lga.read_text(encoding="utf-8") + "  - id: X\n   bad: indent\n", encoding="utf-8")
    result = cli("check", "--plans", plans, "--today", "2022-05-06")
    assert result.exit_code == 1
    [problem] = result.stdout.splitlines()
    assert problem.startswith(f"{lga}:")
    assert " error YP002 YAML syntax error" in problem


def test_capped_keeps_the_first_problems_of_a_flooded_file_and_counts_the_rest() -> None:
    from yotplan.problems import Problem
    from yotplan.render.problems import capped

    flood = [Problem("a.yaml", n, 1, "error" if n < 4 else "warning", "YP104", f"p{n}") for n in range(1, 7)]
    other = [Problem("b.yaml", 1, 1, "error", "YP101", "q")]
    shown = capped([*flood, *other], limit=2)
    assert [p.message for p in shown] == [
        "p1",
        "p2",
        "4 more problems in this file (1 error, 3 warnings); fix the ones above first",
        "q",
    ]
    assert (shown[2].line, shown[2].severity) == (3, "error")
    assert capped([*flood[:3], *other], limit=2) == [*flood[:3], *other]  # one more line would say no less
