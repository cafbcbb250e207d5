"""The installed entry point, as a user runs it: one real process per command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("yotplan", path=os.path.dirname(sys.executable)) or shutil.which("yotplan")
    command = [exe] if exe else [sys.executable, "-m", "yotplan"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("YOTPLAN_") or k == "YOTPLAN_CACHE_DIR"}
    return subprocess.run([*command, *args], cwd=REPO, capture_output=True, text=True, env=env, timeout=60)


def test_status_on_the_shipped_plans() -> None:
    result = run("status", "--today", "2022-10-01")
    assert result.returncode == 0, result.stderr
    assert "HMIP-1" in result.stdout
    assert "23 recommendations: 12 red, 10 green, 1 delivered" in result.stdout
    assert "\x1b[" not in result.stdout  # piped: no colour


def test_python_dash_m_and_usage_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "yotplan", "status", "--today", "yesterday"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Invalid value for '--today'" in result.stderr
    assert "Traceback" not in result.stderr
