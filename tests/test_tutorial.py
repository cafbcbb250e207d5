"""docs/tutorial.md, run: a service from an empty folder to its first `report --meeting`, with
commands only. Every `$ yotplan ...` line of the tutorial runs through the real CLI in an empty
folder, and must print exactly what the tutorial shows; `$ rm FILE` removes the file."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import REPO, Invoke

TUTORIAL = REPO / "docs" / "tutorial.md"


def transcript() -> list[tuple[str, str]]:
    """(command, what it prints) for each `$ ` line of the tutorial's console block."""
    block = re.search(r"```console\n(.*?)\n```", TUTORIAL.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    steps: list[tuple[str, str]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], ""))
        else:
            command, printed = steps[-1]
            steps[-1] = (command, printed + line + "\n")
    return steps


def test_the_tutorial_runs_from_an_empty_folder_to_a_board_paper(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("YOTPLAN_TODAY", "2024-03-12")
    monkeypatch.setenv("COLUMNS", "100")
    steps = transcript()
    assert steps[0][0].startswith("yotplan init plans")
    assert steps[-1][0].startswith("yotplan report --meeting yot-board@2024-03-12")
    for command, printed in steps:
        words = shlex.split(command)
        if words[0] == "rm":
            (tmp_path / words[1]).unlink()
            continue
        assert words[0] == "yotplan", command
        assert not any(w.endswith((".yaml", ".yml")) and w != "board-paper.md" for w in words[1:]), command
        result = cli(*words[1:])
        assert result.exit_code == 0, (command, result.stderr)
        assert result.stdout + result.stderr == printed, command
    paper = (tmp_path / "board-paper.md").read_text(encoding="utf-8")
    assert "**For the YOT Management Board, 12 March 2024** (yot-board\\@2024-03-12)" in paper
    assert "Make sure that Board members understand the needs of the children the service works with" in paper
    assert "Exampleshire Youth Justice Service" in paper
