"""The pre-commit hook and the GitHub workflow run `yotplan check` the way they are documented to,
and the workflow builds the Board report (the documented GitHub Pages workflow is checked too)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from yotplan.plans.strict_yaml import parse_yaml

from conftest import REPO, SHIPPED_PLANS, Invoke

HOOKS = parse_yaml((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
WORKFLOW = parse_yaml((REPO / ".github" / "workflows" / "yotplan.yml").read_text(encoding="utf-8"))


def test_the_hook_has_what_pre_commit_needs() -> None:
    [hook] = HOOKS
    assert {"id", "name", "entry", "language"} <= set(hook)
    # --quiet: a blocked commit shows its errors first, not buried under every file's warnings
    assert (hook["id"], hook["entry"], hook["language"]) == ("yotplan-check", "yotplan check --quiet", "python")
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
    # The error is the first line, and the only one: the plans' dozens of overdue warnings are counted, not listed.
    [line] = result.stdout.splitlines()
    assert "YP115 the chair of board ccib: owner 'ccib-chair' is not in owners.yaml" in line
    assert re.fullmatch(r"6 files checked: 1 error, \d+ warnings\n", result.stderr)


def test_the_workflow_installs_yotplan_and_checks_the_plans_with_annotations() -> None:
    assert set(WORKFLOW["on"]) == {"push", "pull_request"}
    steps = WORKFLOW["jobs"]["check-plans"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "python -m pip install ." in runs
    assert "yotplan check --format github --plans plans" in runs
    assert runs.index("python -m pip install .") < runs.index("yotplan check --format github --plans plans")


def test_the_workflow_runs_the_test_suite() -> None:
    job = WORKFLOW["jobs"]["tests"]
    runs = " && ".join(step.get("run", "") for step in job["steps"])
    for command in (".ci/run", "pip install -c constraints/test.txt -e '.[test]'", "ruff check .", "mypy", "pytest"):
        assert command in runs
    matrix = job["strategy"]["matrix"]
    assert matrix["python"] == ["3.11", "3.12", "3.13"]
    assert {extra["os"] for extra in matrix["include"]} == {"windows-latest", "macos-latest"}


def test_ci_and_the_readme_install_the_pinned_test_tools() -> None:
    """One set of exact versions for the tests, so that a new release elsewhere cannot turn main red."""
    pinned = "pip install -c constraints/test.txt -e '.[test]'"
    assert pinned in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert pinned in (REPO / "README.md").read_text(encoding="utf-8")
    pins = [
        line for line in (REPO / "constraints" / "test.txt").read_text(encoding="utf-8").splitlines() if line[:1] != "#"
    ]
    assert pins
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^=\s]+", line) for line in pins), pins
    names = {line.split("==")[0].lower().replace("_", "-").replace(".", "-") for line in pins}
    assert {"pytest", "hypothesis", "pytest-xdist", "pytest-cov", "ruff", "mypy"} <= names
    # Every dependency, runtime and test, is pinned: a new one added to pyproject.toml needs its pin too.
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name = re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")
        assert name in names, f"{requirement} is not pinned in constraints/test.txt"


def test_every_job_has_a_timeout() -> None:
    """A hung step (a prompt, a network wait) must not hold a runner for GitHub's six hours."""
    for name, job in WORKFLOW["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int), f"job {name} has no timeout-minutes"
        assert 1 <= minutes <= 30, (name, minutes)


REPORT_COMMANDS = (
    "yotplan report --plans plans -o board-report.html",
    "yotplan report --plans plans --format markdown -o board-report.md",
)


def test_the_workflow_builds_the_board_report_on_every_push_to_main() -> None:
    assert WORKFLOW["on"]["push"]["branches"] == ["main"]
    job = WORKFLOW["jobs"]["board-report"]
    assert job["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert job["needs"] == "check-plans"
    steps = job["steps"]
    runs = [step.get("run", "") for step in steps]
    assert "python -m pip install ." in runs
    for command in REPORT_COMMANDS:
        assert runs.index("python -m pip install .") < runs.index(command)
    [upload] = [i for i, step in enumerate(steps) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert steps[upload]["uses"] == "actions/upload-artifact@v4"
    assert upload > max(runs.index(command) for command in REPORT_COMMANDS)
    kept = steps[upload]["with"]
    assert kept["name"] == "board-report"
    assert kept["path"].split() == ["board-report.html", "board-report.md"]
    assert kept["if-no-files-found"] == "error"


def test_the_workflows_report_commands_make_the_files(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the repository's top, as the job runs them."""
    shutil.copytree(SHIPPED_PLANS, tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    for command in REPORT_COMMANDS:
        program, *args = shlex.split(command)
        assert program == "yotplan"
        result = cli(*args, "--today", "2022-10-01")
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "board-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (
        (tmp_path / "board-report.md")
        .read_text(encoding="utf-8")
        .startswith("# Torbay Youth Offending Service: improvement action plan, Board report")
    )


def pages_workflow() -> dict[str, Any]:
    doc = (REPO / "docs" / "report.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```yaml\n(.*?)```", doc, flags=re.DOTALL) if "deploy-pages" in b]
    workflow: dict[str, Any] = parse_yaml(block)
    return workflow


def test_the_documented_pages_workflow_builds_uploads_and_deploys() -> None:
    workflow = pages_workflow()
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "") for step in build["steps"]]
    runs = [step.get("run", "") for step in build["steps"]]
    assert "yotplan report --plans plans -o site/index.html" in runs
    assert uses[-1] == "actions/upload-pages-artifact@v4"
    assert build["steps"][-1]["with"]["path"] == "site"
    # deploying needs exactly these, on the job that deploys
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), name
