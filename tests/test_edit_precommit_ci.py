"""The pre-commit hook and the GitHub workflow run `yotplan check` the way they are documented to."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from yotplan.plans.strict_yaml import parse_yaml

from conftest import REPO, SHIPPED_PLANS

HOOKS = parse_yaml((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
WORKFLOW = parse_yaml((REPO / ".github" / "workflows" / "yotplan.yml").read_text(encoding="utf-8"))


def test_the_hook_has_what_pre_commit_needs() -> None:
    [hook] = HOOKS
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert (hook["id"], hook["entry"], hook["language"]) == ("yotplan-check", "yotplan check", "python")
    assert hook["pass_filenames"] is True


def test_the_hook_matches_plan_files_only() -> None:
    files = re.compile(HOOKS[0]["files"])
    for path in ("plans/hmip-inspection.yaml", "plans/owners.yaml", "sub/plans/x.yml"):
        assert files.search(path), path
    for path in ("plans/schema/plan.schema.json", ".github/workflows/yotplan.yml", "plans/old/x.yaml", "README.md"):
        assert not files.search(path), path


def run_hook(*files: Path) -> subprocess.CompletedProcess[str]:
    """The hook's entry with file names appended, as pre-commit runs it."""
    entry = HOOKS[0]["entry"].split()
    assert entry[0] == "yotplan"
    command = [sys.executable, "-m", "yotplan", *entry[1:], *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_hook_passes_valid_plans_and_fails_broken_ones(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(SHIPPED_PLANS, plans)
    assert run_hook(plans / "hmip-inspection.yaml").returncode == 0
    # A change to owners.yaml that breaks another file is caught: the whole folder is checked.
    owners = plans / "owners.yaml"
    owners.write_text(owners.read_text(encoding="utf-8").replace("  ccib-chair:", "  ccib-chairman:"), encoding="utf-8")
    result = run_hook(owners)
    assert result.returncode == 1
    assert "YP104 owner 'ccib-chair' is not in owners.yaml" in result.stdout


def test_the_workflow_installs_yotplan_and_checks_the_plans_with_annotations() -> None:
    assert set(WORKFLOW["on"]) == {"push", "pull_request"}
    steps = WORKFLOW["jobs"]["check-plans"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "python -m pip install ." in runs
    assert "yotplan check --format github --plans plans" in runs
    assert runs.index("python -m pip install .") < runs.index("yotplan check --format github --plans plans")


def test_the_workflow_runs_the_test_suite() -> None:
    runs = " && ".join(step.get("run", "") for step in WORKFLOW["jobs"]["tests"]["steps"])
    for command in ("pip install -e '.[test]'", "ruff check .", "mypy", "pytest"):
        assert command in runs
