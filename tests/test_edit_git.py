"""What a reviewer sees: `git diff` of an edit of the shipped plan, in a real repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edit_support import git

from conftest import SHIPPED_PLANS, TODAY, Invoke


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the shipped plans, committed."""
    shutil.copytree(SHIPPED_PLANS, tmp_path / "plans")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "plans")
    git(tmp_path, "commit", "-q", "-m", "The Torbay plan")
    return tmp_path


def test_a_status_update_is_one_line_in_git_diff(cli: Invoke, repo: Path) -> None:
    result = cli("update", "HMIP-1.1", "--status", "in-progress", "--plans", repo / "plans", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert git(repo, "diff", "--stat") == (
        " plans/hmip-inspection.yaml | 2 +-\n 1 file changed, 1 insertion(+), 1 deletion(-)\n"
    )
    assert git(repo, "diff", "--unified=0", "--no-color").splitlines()[4:] == [
        "@@ -46 +46 @@ recommendations:",
        "-        status: not-started",
        "+        status: in-progress",
    ]


def test_done_is_two_lines_in_git_diff(cli: Invoke, repo: Path) -> None:
    result = cli("update", "LGA-j.1", "--status", "done", "--plans", repo / "plans", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    # status and completed; and LGA-j.1's `basis: assumed` goes, its status now the user's word
    assert git(repo, "diff", "--stat") == (
        " plans/lga-peer-review.yaml | 4 ++--\n 1 file changed, 2 insertions(+), 2 deletions(-)\n"
    )


def test_an_edit_keeps_the_file_mode(cli: Invoke, repo: Path) -> None:
    path = repo / "plans" / "owners.yaml"
    path.chmod(0o640)  # git records only the executable bit; the file system keeps the rest
    result = cli("add", "owner", "x-lead", "--role", "r", "--agency", "a", "--plans", repo / "plans", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert path.stat().st_mode & 0o777 == 0o640
    assert git(repo, "diff", "--stat").endswith(" 1 file changed, 4 insertions(+)\n")
