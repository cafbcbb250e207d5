"""The shape of the house, enforced: layers import downwards, and commands import lazily."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "yotplan"
CORE_MODULES = sorted(p for p in SRC.rglob("*.py") if "cli" not in p.relative_to(SRC).parts and p.name != "__main__.py")
CLI_MODULES = sorted((SRC / "cli").glob("*.py"))
LEAVES = ["models.py", "problems.py", "errors.py", "yamlio.py", "rag.py"]


def imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Top level means the module body itself: `if TYPE_CHECKING:` blocks cost nothing at run time.
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_core_never_imports_the_cli_typer_or_prints(path: Path) -> None:
    found = imports(path)
    assert not {m for m in found if m == "typer" or m.startswith(("typer.", "yotplan.cli"))}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "print" not in calls


@pytest.mark.parametrize("name", LEAVES)
def test_leaves_import_no_services(name: str) -> None:
    services = {"yotplan.loader", "yotplan.rules", "yotplan.views", "yotplan.planset", "yotplan.render"}
    assert not {m for m in imports(SRC / name) if m in services or m.startswith("yotplan.render")}


@pytest.mark.parametrize("path", CLI_MODULES, ids=lambda p: p.name)
def test_cli_modules_import_only_typer_and_the_stdlib_at_start_up(path: Path) -> None:
    for module in imports(path, top_level_only=True):
        cheap = (
            module.split(".")[0] in sys.stdlib_module_names
            or module == "typer"
            or module.startswith("typer.")
            or module == "yotplan"
            or module.startswith("yotplan.cli")
        )
        assert cheap, f"{path.name} imports {module} at start-up; import it inside the command that needs it"


def test_help_does_not_import_the_heavy_parts() -> None:
    code = (
        "import sys\n"
        "from yotplan.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['pydantic', 'yaml', 'ruamel', 'jinja2', 'icalendar', 'yotplan.models', 'yotplan.loader']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == ""
