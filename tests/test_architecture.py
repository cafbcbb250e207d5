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
    "choices": set(),
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
            or module in ("yotplan", "yotplan.choices")  # the choices' words: typing alone
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


def test_the_words_the_command_line_offers_at_start_up_import_nothing_else() -> None:
    assert imports(SRC / "choices.py") <= {"__future__", "typing"}


# The command line only parses, calls and prints ------------------------------------------

EXIT_MAP = SRC / "cli" / "exit_codes.py"
"""The one module that turns an outcome into an exit code."""
ENTRY = SRC / "cli" / "entry.py"
MAX_COMMAND_STATEMENTS = 25
"""A command parses, calls the core, renders and returns: statements counted, nested ones too."""
CORE_ENVIRONMENT_READERS = {
    "edit/safe_write.py": "the tests' hooks into a write in progress (YOTPLAN_SETTLE_SECONDS, a pause)",
    "history/git.py": "passes the environment on to git, with its locale and pager pinned",
    "spreadsheet/new_folder.py": "the tests' hook into an import in progress (a pause before placing)",
}
"""The core modules that may touch os.environ, and why; settings come in as arguments."""


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(node: ast.expr) -> str:
    return ast.unparse(node)


@pytest.mark.parametrize("path", [p for p in CLI_MODULES if p != EXIT_MAP], ids=lambda p: p.name)
def test_exit_codes_are_chosen_in_one_module(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _calls(tree):
        name = _name(call.func)
        exits = name in ("typer.Exit", "Exit", "SystemExit", "sys.exit", "os._exit", "exit", "raise_exit")
        if exits and (call.args or call.keywords):
            (argument,) = call.args  # SystemExit(failure_code(exc)) at the entry point: the map's answer
            allowed = path == ENTRY and isinstance(argument, ast.Call) and _name(argument.func) == "failure_code"
            assert allowed, f"{path.name}: {ast.unparse(call)} picks an exit code; use yotplan.cli.exit_codes"
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert not {n for n in names if n.startswith("EXIT_")}, f"{path.name} uses exit-code constants"


def test_the_exit_code_map_names_each_code_once() -> None:
    tree = ast.parse(EXIT_MAP.read_text(encoding="utf-8"))
    codes = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.startswith("EXIT_")
    }
    assert codes == {"EXIT_OK": 0, "EXIT_PROBLEMS": 1, "EXIT_USAGE": 2, "EXIT_INTERNAL": 3, "EXIT_INTERRUPTED": 130}


def _commands() -> list[tuple[Path, ast.FunctionDef]]:
    found = []
    for path in CLI_MODULES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(".command" in _name(d) for d in node.decorator_list):
                found.append((path, node))
    return found


@pytest.mark.parametrize(("path", "command"), _commands(), ids=lambda x: getattr(x, "name", ""))
def test_commands_only_parse_call_and_print(path: Path, command: ast.FunctionDef) -> None:
    body = command.body[1:] if ast.get_docstring(command) else command.body
    statements = sum(isinstance(node, ast.stmt) for part in body for node in ast.walk(part))
    assert statements <= MAX_COMMAND_STATEMENTS, (
        f"{path.name}: {command.name} has {statements} statements; move what it works out into the core"
    )


def test_every_command_is_found() -> None:
    assert len(_commands()) >= 25  # so that the cap above is not checked on nothing


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_takes_its_settings_as_arguments(path: Path) -> None:
    """The cache folder, --no-cache and the like are read by the command line (cli/settings.py)
    and passed down; the core reads no environment variable itself."""
    relative = path.relative_to(SRC).as_posix()
    if relative in CORE_ENVIRONMENT_READERS:
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    reads = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"))
        or (isinstance(node, ast.ImportFrom) and any(a.name in ("environ", "getenv") for a in node.names))
    ]
    assert not reads, f"{relative} reads the environment: {reads}"
