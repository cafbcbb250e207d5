"""Issue 9, cases 6, 10 and 11, through the real `yotplan` process: an edit starts from the file as
it is, settled and complete, and changes only what it means to change.

The torn-save tests race a second program against yotplan: one that truncates a plan file and
rewrites it in place, pausing half-way (the half is a valid plan that has lost two actions), and
one that saves in two steps without holding the file open in between.
"""

from __future__ import annotations

import cProfile
import difflib
import pstats
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import pytest

from hostile_support import SHIPPED_FILES, TODAY, finish, replace_once, run, start
from yotplan.edit import locking
from yotplan.edit.operations import apply_edit, log_progress
from yotplan.edit.safe_write import TEST_PAUSE_ENV
from yotplan.plans.loader import display_path

from conftest import SHIPPED_PLANS, Invoke

HMIP = "hmip-inspection.yaml"
WAIT = 120.0  # only a safety net: how long to wait for a process that should end

# Case 6: an edit finishing another program's torn save -----------------------------------------

WRITER = r"""
import sys
path, cut = sys.argv[1], int(sys.argv[2])
full = open(path, "rb").read()
with open(path, "r+b") as out:  # a save in place: truncate, then write
    out.truncate(0)
    out.write(full[:cut])
    out.flush()
    print("half written", flush=True)
    sys.stdin.readline()  # paused half-way, the file still open for writing
    out.write(full[cut:])
print("saved", flush=True)
"""


def torn(path: Path) -> tuple[bytes, int]:
    """The file's bytes, and where to cut them so that the first part is still a valid plan:
    before the last two actions (HMIP-8.2 and HMIP-8.3)."""
    full = path.read_bytes()
    return full, full.index(b"      - id: HMIP-8.2\n")


@pytest.mark.skipif(sys.platform != "linux", reason="another program's open file is seen through Linux's read lease")
def test_an_edit_refuses_a_file_that_another_program_is_saving(plans: Path) -> None:
    """Case 6: a program truncates hmip-inspection.yaml and rewrites it in place, pausing half-way.
    During the pause `yotplan log HMIP-1.1 "note"` exited 0 and wrote the half file plus the note:
    two actions gone, and `check` still passed."""
    path = plans / HMIP
    full, cut = torn(path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(cut)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdin is not None
    assert writer.stdout is not None
    try:
        assert writer.stdout.readline() == "half written\n"
        assert path.read_bytes() == full[:cut]
        half = run("check", "--plans", plans, "--today", TODAY)
        assert (half.code, half.stderr) == (
            0,
            f"{SHIPPED_FILES} files checked: no problems\n",
        )  # the danger: it looks fine
        ran = run("log", "HMIP-1.1", "A note.", "--plans", plans, "--today", TODAY, env={"YOTPLAN_SETTLE_SECONDS": "1"})
        assert path.read_bytes() == full[:cut]  # yotplan wrote nothing
    finally:
        out, _ = writer.communicate("go on\n", timeout=WAIT)
        assert out == "saved\n"
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == (
        f"yotplan: error: {path} is open for writing by another program (an editor saving it?); nothing was "
        "written: try again when it has finished\n"
    )
    assert path.read_bytes() == full  # the other program's save, whole: HMIP-8.2 and HMIP-8.3 are there


def wait_for_file(path: Path, process: subprocess.Popen[bytes]) -> None:
    """Wait until `path` exists (a point of yotplan.edit.safe_write's test hook), failing if the process
    ends first; the deadline is only a safety net."""
    deadline = time.monotonic() + WAIT
    while not path.exists():
        assert process.poll() is None, finish(process)
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


def test_an_edit_waits_for_a_file_saved_in_steps_to_settle(plans: Path, tmp_path: Path) -> None:
    """Case 6 without a held file: a program saves in two steps and closes the file in between.
    An edit reads a file only once it has not changed for YOTPLAN_SETTLE_SECONDS; if it changes
    while the edit waits or reads, the edit is refused and writes nothing. The test hook tells
    when the edit has started to wait; the settle time is far longer than any start-up, so the
    edit always finds the file young, and it notices the change as soon as it is made."""
    path = plans / HMIP
    full, cut = torn(path)
    path.write_bytes(full[:cut])  # the first step, and the file is closed
    hook = tmp_path / "hook"
    hook.mkdir()
    edit = start("log", "HMIP-1.1", "A note.", "--plans", plans, "--today", TODAY,
                 env={"YOTPLAN_SETTLE_SECONDS": "600", TEST_PAUSE_ENV: str(hook)})  # fmt: skip
    wait_for_file(hook / "settling", edit)  # the edit found the file young and waits for it to settle
    with open(path, "r+b") as out:  # the second step
        out.seek(cut)
        out.write(full[cut:])
    (hook / "resume").touch()
    ran = finish(edit)
    assert (ran.code, ran.stdout) == (1, "")
    assert ran.stderr == (
        f"yotplan: error: {path} changed on disk while this edit was reading it (another program saving it?); "
        "nothing was written: try again when it has finished\n"
    )
    assert path.read_bytes() == full
    assert not (hook / "paused").exists()  # refused before anything was written


# Case 10: a tab before a comment ------------------------------------------------------------------


def test_a_tab_before_a_comment_passes_check_and_can_be_edited(plans: Path) -> None:
    """Case 10: `status: not-started<TAB># x` passed `check`, but every edit of that file was refused
    with a 5-line ruamel error."""
    path = plans / HMIP
    replace_once(
        path,
        "        status: not-started\n        measure: CAMHS",
        "        status: not-started\t# x\n        measure: CAMHS",
    )
    replace_once(
        path,
        "        owner: yot-board-chair\n        due: 2022-12-31",
        "        owner: yot-board-chair\t# y\n        due: 2022-12-31",
    )
    before = path.read_text(encoding="utf-8").splitlines(keepends=True)
    check = run("check", "--plans", plans, "--today", TODAY)
    assert (check.code, check.stderr) == (0, f"{SHIPPED_FILES} files checked: no problems\n")
    logged = run("log", "HMIP-1.1", "A note.", "--plans", plans, "--today", TODAY)
    assert (logged.code, logged.stderr) == (0, ""), logged.stderr
    assert logged.stdout == f"logged an update on HMIP-1.1 in {path} ({TODAY})\n"
    updated = run("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert (updated.code, updated.stderr) == (0, ""), updated.stderr
    after = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changes = [line for line in difflib.unified_diff(before, after, n=0) if line[:1] in "+-"][2:]
    assert len(changes) == 4, changes
    assert changes[0] == "-        status: not-started\t# x\n"
    assert changes[1] in ("+        status: in-progress\t# x\n", "+        status: in-progress # x\n")
    assert changes[2:] == [f"+          - date: {TODAY}\n", "+            note: A note.\n"]
    assert "        owner: yot-board-chair\t# y\n" in after  # a line the edits did not change, tab and all
    assert run("check", "--plans", plans, "--today", TODAY).code == 0


# Case 11: edits that ignore the file as it is ----------------------------------------------------


def test_a_read_only_plan_file_is_not_edited(plans: Path) -> None:
    """Case 11, first bullet: a `chmod 444` plan file was edited silently."""
    path = plans / HMIP
    path.chmod(0o444)
    before = path.read_bytes()
    edits = (
        ("log", "HMIP-1.1", "A note."),
        ("update", "HMIP-1.1", "--status", "blocked", "--reason", "Waiting for CAMHS"),
        ("add", "action", "HMIP-1", "--title", "T", "--owner", "camhs-lead", "--due", "2022-09-30"),
    )
    for args in edits:
        ran = run(*args, "--plans", plans, "--today", TODAY)
        assert (ran.code, ran.stdout) == (1, ""), args
        assert ran.stderr == (
            f"yotplan: error: {path} is read-only (mode 444); nothing was written: make it writable "
            f"(chmod u+w {path}) if it is meant to be edited\n"
        )
        assert path.read_bytes() == before
        assert path.stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in plans.iterdir()) == sorted(p.name for p in SHIPPED_PLANS.iterdir())


def mixed_endings(path: Path) -> list[bytes]:
    """Rewrite the file with CRLF on every third line and LF on the rest; returns its lines."""
    lines = path.read_bytes().split(b"\n")[:-1]
    path.write_bytes(b"".join(line + (b"\r\n" if i % 3 == 0 else b"\n") for i, line in enumerate(lines)))
    return path.read_bytes().splitlines(keepends=True)


def test_mixed_line_endings_are_kept_line_by_line(plans: Path) -> None:
    """Case 11, second bullet: a file with mixed line endings came back with one style (111 lines
    changed in the diff). Each line keeps its own; the edit's diff is the edit."""
    path = plans / HMIP
    before = mixed_endings(path)
    logged = run("log", "HMIP-1.1", "A note.", "--plans", plans, "--today", TODAY)
    assert logged.code == 0, logged.stderr
    after = path.read_bytes().splitlines(keepends=True)
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    changed = [(tag, before[i1:i2], after[j1:j2]) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]
    assert len(changed) == 1
    tag, removed, added = changed[0]
    assert (tag, removed) == ("insert", [])
    assert [line.rstrip(b"\r\n") for line in added] == [
        f"          - date: {TODAY}".encode(),
        b"            note: A note.",
    ]
    # A changed line keeps the ending it had.
    status_at = next(i for i, line in enumerate(after) if line.strip() == b"status: not-started")
    ending = after[status_at][len(after[status_at].rstrip(b"\r\n")) :]
    updated = run("update", "HMIP-1.1", "--status", "in-progress", "--plans", plans, "--today", TODAY)
    assert updated.code == 0, updated.stderr
    final = path.read_bytes().splitlines(keepends=True)
    assert final[:status_at] + final[status_at + 1 :] == after[:status_at] + after[status_at + 1 :]
    assert final[status_at] == b"        status: in-progress" + ending
    assert run("check", "--plans", plans, "--today", TODAY).code == 0


def big_plan(path: Path, actions: int) -> None:
    """A plan file of `actions` actions in recommendations of 100, each with a measure, a note and
    varied text (about 470 bytes an action: 6,700 actions make 3 MB, the size in the issue)."""
    import random

    chance = random.Random(actions)
    words = [
        "board",
        "camhs",
        "youth",
        "justice",
        "service",
        "plan",
        "review",
        "audit",
        "case",
        "files",
        "training",
        "partner",
        "agency",
        "police",
    ]

    def text(n: int) -> str:
        return " ".join(chance.choice(words) for _ in range(n))

    lines = ["source:", "  id: BIG", "  title: A big plan", "  kind: inspection", "recommendations:"]
    for r in range(1, (actions + 99) // 100 + 1):
        lines += [f"  - id: BIG-{r}", f"    text: {text(20)}", "    to: YOT Management Board", "    owner: yot-manager"]
        lines += ["    actions:"]
        for a in range(1, min(100, actions - 100 * (r - 1)) + 1):
            lines += [
                f"      - id: BIG-{r}.{a}",
                f"        title: {text(8)}",
                "        owner: yot-manager",
                f"        due: 2022-{chance.randint(7, 12):02d}-{chance.randint(10, 28)}",
                "        status: in-progress",
                f"        measure: {text(14)}",
                "        updates:",
                "          - date: 2022-05-06",
                f"            note: {text(18)}",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def counted_edit(cli: Invoke, plans: Path) -> int:
    """The function calls (Python's and C's, counted by cProfile) of one `log` on `plans`."""
    profile = cProfile.Profile()
    profile.enable()
    result = cli("log", "BIG-1.1", "A note.", "--plans", plans, "--today", TODAY)
    profile.disable()
    assert result.exit_code == 0, result.stderr
    calls: int = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return calls


def test_the_cost_of_an_edit_grows_in_proportion_to_the_file(cli: Invoke, plans: Path) -> None:
    """Case 11, third bullet: an edit of one 2.9 MB file (about 6,700 actions) took 70 s. Four times
    the actions must cost at most about four times as much work (here: at most five times the
    function calls, the fixed cost included), so the cost stays in proportion to the file however
    big it gets. Counted, not timed: bench/limits.py times it."""
    (plans / "improvement-review.yaml").unlink()
    (plans / "lga-peer-review.yaml").unlink()
    (plans / HMIP).unlink()
    big_plan(plans / "big.yaml", 60)
    counted_edit(cli, plans)  # the modules imported and the cache warm, as for every later edit
    small = counted_edit(cli, plans)
    big_plan(plans / "big.yaml", 240)
    assert (plans / "big.yaml").stat().st_size > 100_000
    large = counted_edit(cli, plans)
    assert 2 * small < large < 5 * small, f"60 actions: {small:,} calls, 240 actions: {large:,} calls"


def test_an_edit_waiting_for_the_lock_says_what_it_waits_for(plans: Path, tmp_path: Path) -> None:
    """Case 11, third bullet: an edit waiting for the lock gave up after 10 s without a word. It says
    at once what it waits for and for how long (60 s, enough for several big edits queued)."""
    hook = tmp_path / "hook"
    hook.mkdir()
    first = start("log", "HMIP-1.1", "First.", "--plans", plans, "--today", TODAY, env={TEST_PAUSE_ENV: str(hook)})
    wait_for_file(hook / "paused", first)  # the first edit holds the lock, its new file written
    second = start("log", "HMIP-1.3", "Second.", "--plans", plans, "--today", TODAY)
    assert second.stderr is not None
    notice = second.stderr.readline()  # blocks until the second edit says why it waits
    (hook / "resume").touch()
    assert finish(first).code == 0
    rest = finish(second)
    assert rest.code == 0, rest.stderr
    assert notice == f"yotplan: waiting for another yotplan edit of {plans} to finish (for up to 60 s)\n".encode()
    text = (plans / HMIP).read_text(encoding="utf-8")
    assert "note: First." in text
    assert "note: Second." in text


def test_an_edit_waiting_for_the_lock_is_heard_through_the_python_api_once(
    plans: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same notice, in process: apply_edit hands its listener down to the lock."""
    monkeypatch.setattr(locking, "WAIT_NOTICE_AFTER", 0.0)  # say it at the first busy try
    heard: list[str] = []
    other_edit = ExitStack()
    other_edit.enter_context(locking.plans_lock(plans))

    def on_wait(sentence: str) -> None:
        heard.append(sentence)
        other_edit.close()  # the other edit finishes

    outcome = apply_edit(
        [plans],
        "HMIP-1.1",
        date.fromisoformat(TODAY),
        lambda s, bare: log_progress(s, bare, "Waited."),
        on_wait=on_wait,
    )
    assert heard == [f"waiting for another yotplan edit of {display_path(plans)} to finish (for up to 60 s)"]
    assert outcome.summary.startswith("logged an update on HMIP-1.1 in ")
    assert "note: Waited." in (plans / HMIP).read_text(encoding="utf-8")
