"""Shell completion: ids, owner keys and source ids from the plans, fast and never failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from edit_support import EDIT_FIXTURES
from yotplan.cli import app
from yotplan.cli.completion import (
    complete_action_ids,
    complete_folders,
    complete_indicator_ids,
    complete_item_ids,
    complete_owner_keys,
    complete_recommendation_ids,
    complete_source_ids,
    in_typed_case,
    join_split_options,
    option_head,
    scan_owner_keys,
    scan_plan_ids,
)
from yotplan.plans.loader import load_plans

from conftest import SHIPPED_PLANS


def ctx(folder: Path | None) -> SimpleNamespace:
    return SimpleNamespace(params={"plans_dir": folder})


@pytest.mark.parametrize("folder", [SHIPPED_PLANS, EDIT_FIXTURES], ids=["shipped", "fixtures"])
def test_the_scan_finds_what_the_loader_finds(folder: Path) -> None:
    plans = load_plans(folder).plans
    assert complete_recommendation_ids(ctx(folder), "") == [r.recommendation.id for r in plans.recommendations()]
    assert complete_action_ids(ctx(folder), "") == [a.action.id for a in plans.actions()]
    assert complete_source_ids(ctx(folder), "") == [doc.model.source.id for doc in plans.plans]
    assert complete_owner_keys(ctx(folder), "") == list(plans.owners)
    indicators = [i.id for r in plans.recommendations() for i in r.recommendation.indicators]
    assert complete_indicator_ids(ctx(folder), "") == indicators


def test_completions_match_in_any_case_and_keep_the_case_typed() -> None:
    # Typer, zsh and fish drop a candidate that does not start with the typed text exactly.
    assert complete_action_ids(ctx(SHIPPED_PLANS), "hmip-3") == ["hmip-3.1", "hmip-3.2"]
    assert complete_action_ids(ctx(SHIPPED_PLANS), "HMIP-3") == ["HMIP-3.1", "HMIP-3.2"]
    assert complete_item_ids(ctx(SHIPPED_PLANS), "LGA-j") == ["LGA-j", "LGA-j.1", "LGA-j.2"]
    assert complete_item_ids(ctx(SHIPPED_PLANS), "lga-J") == ["lga-J", "lga-J.1", "lga-J.2"]
    assert complete_recommendation_ids(ctx(SHIPPED_PLANS), "i") == ["ir-1", "ir-2", "ir-3", "ir-4", "ir-5"]
    assert complete_source_ids(ctx(SHIPPED_PLANS), "Hm") == ["HmIP"]
    assert complete_item_ids(ctx(SHIPPED_PLANS), "")[:2] == ["HMIP-1", "HMIP-2"]


def test_owner_keys_complete_only_in_their_own_case() -> None:
    # `--owner` matches keys exactly, so a key re-cased to what was typed would be refused.
    assert complete_owner_keys(ctx(SHIPPED_PLANS), "yot-") == ["yot-board-chair", "yot-manager", "yot-data-analyst"]
    assert complete_owner_keys(ctx(SHIPPED_PLANS), "YOT-") == []


@pytest.mark.parametrize(
    ("value", "typed", "expected"),
    [
        ("HMIP-1.1", "hmip-1.", "hmip-1.1"),
        ("HMIP-1.1", "HMIP-1.", "HMIP-1.1"),
        ("HMIP-1.1", "Hmip", "Hmip-1.1"),
        ("LGA-a.1", "lga", "lga-a.1"),
        ("LGA-a.1", "LGA", "LGA-a.1"),
        ("LGA-a.1", "", "LGA-a.1"),
        ("LGA-a.1", "lgb", None),
        ("STRASSE-1", "straße", "straße-1"),  # "ß" folds to "ss"
        ("STRAẞE-1", "straß", "straße-1"),  # capital sharp s: folds to "ss" like "ß" does
        ("STRAẞE-1", "strass", "strasse-1"),
        ("ẞ-1", "s", None),  # ends inside one letter's folding
    ],
)
def test_in_typed_case(value: str, typed: str, expected: str | None) -> None:
    assert in_typed_case(value, typed) == expected


def test_several_plans_folders_on_the_command_line_are_all_read() -> None:
    both = SimpleNamespace(params={"plans_dir": (str(SHIPPED_PLANS), str(EDIT_FIXTURES))})
    assert complete_source_ids(both, "i") == ["ir", "ind4"]
    assert complete_owner_keys(both, "camhs") == ["camhs-lead"]


@pytest.mark.parametrize(
    ("words", "joined"),
    [
        (["status", "--owner", "=", "yot"], ["status", "--owner=yot"]),
        (["status", "--owner", "="], ["status", "--owner="]),
        (["status", "--plans", "=", "p", "--owner", "=", "y"], ["status", "--plans=p", "--owner=y"]),
        (["show", "=", "x"], ["show", "=", "x"]),  # no option before it: left alone
        (["status", "-o", "=", "y"], ["status", "-o", "=", "y"]),  # a short option takes `=` as its value
        (["status", "--", "=", "y"], ["status", "--", "=", "y"]),
        (["log", "X", "--reason", "=", "=", "a"], ["log", "X", "--reason==", "a"]),
    ],
)
def test_bash_words_split_at_equals_are_joined(words: list[str], joined: list[str]) -> None:
    assert join_split_options(words) == joined


def test_option_head() -> None:
    assert option_head("--owner=yot") == "--owner="
    assert option_head("--owner=") == "--owner="
    assert option_head("--owner") == ""
    assert option_head("-o=yot") == ""
    assert option_head("hmip=1") == ""
    assert option_head("--=x") == ""


def test_the_plans_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YOTPLAN_PLANS", str(EDIT_FIXTURES))
    assert complete_source_ids(ctx(None), "") == [
        "CMT",
        "CRLF",
        "START",
        "FLUSH",
        "FOLD",
        "IND4",
        "MESSY",
        "BOM",
        "QUOTE",
    ]


def test_the_plans_folder_defaults_to_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SHIPPED_PLANS.parent)
    assert complete_source_ids(SimpleNamespace(), "") == ["HMIP", "IR", "LGA"]


@pytest.mark.parametrize("context", [None, 42, ctx(Path("/nonexistent")), SimpleNamespace(params={"plans_dir": 3})])
def test_completion_never_raises(context: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./plans here either
    for complete in (complete_action_ids, complete_item_ids, complete_owner_keys, complete_source_ids):
        assert complete(context, "") == []


def test_broken_files_give_fewer_completions_not_errors(tmp_path: Path) -> None:
    (tmp_path / "owners.yaml").write_bytes(b"\xff\xfe\x00garbage: [")
    (tmp_path / "plan.yaml").write_bytes(b"recommendations:\n  - id: R-1\n    actions:\n      - id: R-1.1\n\x00\xff")
    (tmp_path / "folder.yaml").mkdir()
    assert complete_item_ids(ctx(tmp_path), "") == ["R-1", "R-1.1"]
    assert complete_owner_keys(ctx(tmp_path), "") == []


def test_scans_handle_quotes_comments_and_flush_lists() -> None:
    text = "source:\n  id: 'S'  # the source\nrecommendations:\n- id: \"S-1\"\n  actions:\n  - id: S-1.1 # first\n"
    assert scan_plan_ids(text) == (["S"], ["S-1"], ["S-1.1"], [])
    with_indicator = text + "  indicators:\n  - id: S-1-count\n    name: n\n  - id: S-1-other  # two\n"
    assert scan_plan_ids(with_indicator) == (["S"], ["S-1"], ["S-1.1"], ["S-1-count", "S-1-other"])
    owners = "# c\nowners:\n  # note\n  a-b:\n    role: r\n\n  'no':\n    role: x\nother:\n  z: 1\n"
    assert scan_owner_keys(owners) == ["a-b", "no"]


def test_folders_complete_with_a_slash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plots").mkdir()
    (tmp_path / "plan.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    assert complete_folders("pl") == ["plans/", "plots/"]
    assert complete_folders(f"{tmp_path}/pla") == [f"{tmp_path}/plans/"]
    assert complete_folders("nowhere/x") == []


def bash_complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash would offer for `words` (the last word being completed), through Typer in process."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="yotplan",
        env={
            "_YOTPLAN_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
    )
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


def test_typer_completes_commands_and_options() -> None:
    assert sorted(bash_complete("yotplan up")) == ["upcoming", "update"]
    assert bash_complete("yotplan add ") == [
        "action",
        "recommendation",
        "owner",
        "indicator",
        "impact",
        "board",
        "source",
        "meeting",
    ]
    assert bash_complete("yotplan update X --st") == ["--status"]
    assert bash_complete("yotplan update X --status ") == ["not-started", "in-progress", "blocked", "done", "dropped"]


def test_typer_completes_ids_and_owners_from_the_plans_on_the_command_line() -> None:
    plans = str(EDIT_FIXTURES)
    assert bash_complete(f"yotplan update --plans {plans} IND4") == ["IND4-a.1", "IND4-a.2", "IND4-b.1"]
    assert bash_complete(f"yotplan add action --plans {plans} FOLD") == ["FOLD-1", "FOLD-2"]
    assert bash_complete(f"yotplan show --plans {plans} FLUSH") == ["FLUSH-1", "FLUSH-1.1", "FLUSH-1.2"]
    assert "camhs-lead" not in bash_complete(f"yotplan log X --plans {plans} --owner c")  # log has no --owner option
    assert bash_complete(f"yotplan update X --plans {plans} --owner c") == ["camhs-lead"]
    assert bash_complete(f"yotplan add recommendation --plans {plans} --source Q") == ["QUOTE"]


def test_typer_completes_from_yotplan_plans() -> None:
    assert bash_complete("yotplan status --owner ccib", env={"YOTPLAN_PLANS": str(SHIPPED_PLANS)}) == ["ccib-chair"]


def test_completion_in_a_real_process_loads_nothing_heavy() -> None:
    # Typer converts parameter values through pydantic; completion leaves them as typed.
    code = (
        "import sys\n"
        "from yotplan.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ['yaml', 'ruamel', 'rich', 'pydantic', 'yotplan.plans.models', 'yotplan.plans.loader']\n"
        "print('heavy:' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    env = {
        **os.environ,
        "_YOTPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": f"yotplan show --plans {SHIPPED_PLANS} HMIP-8",
        "COMP_CWORD": "4",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["HMIP-8", "HMIP-8.1", "HMIP-8.2", "HMIP-8.3", "heavy:"]
