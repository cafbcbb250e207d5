"""Docs as tests: every command is documented, and the documented examples are valid plans."""

from __future__ import annotations

import re

import pytest
import typer.main

from yotplan.cli import app
from yotplan.plans.models import BoardsFile, OwnersFile, PlanFile, ServiceFile
from yotplan.plans.strict_yaml import parse_yaml
from yotplan.plans.validation import validate

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
FORMAT = (REPO / "docs" / "plan-format.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"yotplan {command}" in README


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)


@pytest.mark.parametrize("block", yaml_blocks(README) + yaml_blocks(FORMAT))
def test_yaml_examples_are_valid(block: str) -> None:
    data = parse_yaml(block)
    if "owners" in data:
        model: type = OwnersFile
    elif "boards" in data:
        model = BoardsFile
    elif "source" in data:
        model = PlanFile
    else:
        model = ServiceFile
    validate(model, data)


def test_setup_commands_and_ci_agree() -> None:
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/yotplan status" in README
    test_command = (
        "python3 -m venv .venv && .venv/bin/pip install -c constraints/test.txt -e '.[test]' && "
        ".venv/bin/pytest -n auto"
    )
    assert test_command in README
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    for part in test_command.split(" && "):
        assert part in ci


def test_every_problem_code_is_documented() -> None:
    source = "".join(p.read_text(encoding="utf-8") for p in (REPO / "src" / "yotplan").rglob("*.py"))
    codes = set(re.findall(r'"(YP\d{3})"', source))
    assert codes
    for code in sorted(codes):
        assert f"| {code} |" in FORMAT, f"{code} is not in docs/plan-format.md"


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_says_which_commands_take_plans_and_today(command: str) -> None:
    """README: reading commands take --plans; all but diff, history and schema take --today."""
    click_command = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    subcommands = getattr(click_command, "commands", {}).values() or [click_command]
    for sub in subcommands:
        options = {opt for param in sub.params for opt in getattr(param, "opts", [])}
        assert ("--today" in options) == (command not in ("diff", "history", "schema")), (command, sub.name)
        assert ("--plans" in options) == (command not in ("schema", "init", "import")), (command, sub.name)


def test_readme_links_work_outside_the_repository() -> None:
    """PyPI shows the README without the repository around it: every link and image is absolute."""
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    assert targets
    relative = [t for t in targets if not t.startswith(("https://", "http://", "#"))]
    assert relative == []


def test_the_architecture_doc_names_every_module() -> None:
    doc = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    src = REPO / "src" / "yotplan"
    for path in sorted(src.rglob("*.py")):
        relative = path.relative_to(src)
        if path.name in ("__init__.py", "__main__.py"):
            continue
        assert relative.as_posix() in doc, f"docs/architecture.md does not mention {relative.as_posix()}"
