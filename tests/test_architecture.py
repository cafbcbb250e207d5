"""The shape of the house, enforced: packages import downwards, and commands import lazily."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "yotplan"
MODULES = sorted(p for p in SRC.rglob("*.py") if p.name != "__main__.py")
CORE_MODULES = [p for p in MODULES if "cli" not in p.relative_to(SRC).parts]
CLI_MODULES = sorted((SRC / "cli").glob("*.py"))

LEAVES: dict[str, set[str]] = {
    # the top-level modules, which every package may import; among themselves, lowest first
    "safe_text": set(),
    "problems": {"safe_text"},
    "errors": {"problems", "safe_text"},
}
PACKAGES: dict[str, set[str]] = {
    # package -> the packages it may import (besides itself and the leaves). Lowest first.
    "plans": set(),
    "rules": {"plans"},
    "views": {"rules", "plans"},
    "history": {"views", "rules", "plans"},
    "edit": {"views", "rules", "plans"},
    "render": {"history", "views", "rules", "plans"},
    "report": {"render", "history", "views", "rules", "plans"},
    "spreadsheet": {"edit", "views", "rules", "plans"},
    "updates": {"spreadsheet", "edit", "views", "rules", "plans"},
}
LAYERS = {**LEAVES, **{name: allowed | set(LEAVES) for name, allowed in PACKAGES.items()}}
"""The allowed direction between packages and modules. `cli` may import anything; `yotplan` itself
(for `__version__`) may be imported by anything."""

MAX_TOP_LEVEL_MODULES = 5


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


def unit(module: str) -> str | None:
    """The package (or top-level module) of yotplan that a dotted module name belongs to."""
    parts = module.split(".")
    return parts[1] if parts[0] == "yotplan" and len(parts) > 1 else None


def test_every_unit_is_known_and_documents_what_it_may_import() -> None:
    units = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in MODULES if p.name != "__init__.py"}
    assert units - {"cli"} == set(LAYERS)
    for package in sorted(u for u in units if (SRC / u).is_dir()):
        doc = ast.get_docstring(ast.parse((SRC / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"{package}/__init__.py needs a docstring saying what the package owns"
        if package != "cli":
            assert "May import" in doc, f"{package}/__init__.py should say which packages it may import"
            for allowed in PACKAGES[package]:
                assert f"yotplan.{allowed}" in doc, f"{package}/__init__.py does not name yotplan.{allowed}"


def test_few_modules_sit_directly_in_the_package() -> None:
    top = sorted(p.name for p in SRC.glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_packages_import_only_downwards(path: Path) -> None:
    own = path.relative_to(SRC).parts[0].removesuffix(".py")
    if own == "__init__":
        return
    wrong = {
        module
        for module in imports(path)
        if (target := unit(module)) is not None and target != own and target not in LAYERS[own]
    }
    assert not wrong, f"{path.relative_to(SRC)} imports {sorted(wrong)}, above or beside its layer"


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_core_never_imports_the_cli_typer_or_prints(path: Path) -> None:
    found = imports(path)
    assert not {m for m in found if m == "typer" or m.startswith(("typer.", "yotplan.cli"))}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert "print" not in calls


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
        "heavy = ['pydantic', 'yaml', 'ruamel', 'jinja2', 'icalendar', 'yotplan.plans', 'yotplan.rules']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == ""
