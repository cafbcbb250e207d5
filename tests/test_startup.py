"""Start-up work kept off the path: the real entry point answers exactly as the full app does,
and a run served from the cache imports neither PyYAML, the validation code nor rich."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yotplan.cli import app

from conftest import TODAY

ENV = {"COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}


def entry_point(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`yotplan ARGS` as a process, through the console-script function `main()`."""
    code = "import sys; from yotplan.cli import main; sys.argv[0] = 'yotplan'; main()"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("YOTPLAN_", "_YOTPLAN"))}
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env={**base, **ENV, **(env or {})},
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("-h",),
        (),
        ("--help", "status"),
        ("status", "--help"),
        ("check", "--help"),
        ("add", "--help"),
        ("--version",),
        ("stauts",),
        ("--no-cache", "owners", "--plans", "{plans}", "--today", TODAY),
        ("show", "hmip-3", "--plans", "{plans}", "--today", TODAY),
    ],
)
def test_the_entry_point_answers_as_the_full_app(args: tuple[str, ...], plans: Path) -> None:
    args = tuple(str(plans) if a == "{plans}" else a for a in args)
    process = entry_point(*args, env={"YOTPLAN_NO_CACHE": "1"})
    in_process = CliRunner().invoke(app, list(args), prog_name="yotplan", env={"YOTPLAN_NO_CACHE": "1"})
    assert process.returncode == in_process.exit_code
    assert process.stdout == in_process.stdout
    assert "Traceback" not in process.stderr


def test_a_run_from_the_cache_imports_no_yaml_validation_or_rich(plans: Path, tmp_path: Path) -> None:
    env = {"YOTPLAN_CACHE_DIR": str(tmp_path / "cache")}
    status = ("status", "--plans", plans, "--today", TODAY, "--format", "json")
    assert entry_point(*status, env=env).returncode == 0  # fills the cache
    code = (
        "import sys; from yotplan.cli import main; sys.argv[0] = 'yotplan'\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] in ('yaml', 'rich') or m == 'yotplan.plans.validation'))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("YOTPLAN_")}
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, status)],
        capture_output=True,
        text=True,
        env={**base, **ENV, **env},
        timeout=60,
    )
    modules = json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))
    assert modules == []
