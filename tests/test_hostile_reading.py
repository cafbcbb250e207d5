"""Issue 9, cases 7, 8 and 9, through the real `yotplan` process: right answers from shallow clones,
empty repositories and odd folders; plain failures (one line, exit 1) where the old code crashed
(exit 3 or a traceback); and no input that hangs a command or earns it a misleading message.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from gitrepo import Repo, git_env
from hostile_support import (
    PYTHON,
    SHIPPED_FILES,
    TIMEOUT,
    TODAY,
    Ran,
    finish,
    lines_of,
    run,
    run_all,
    start,
    yotplan_env,
)
from yotplan.edit.safe_write import TEST_PAUSE_ENV

from conftest import SHIPPED_PLANS

HMIP = "hmip-inspection.yaml"
FIX = "git fetch --unshallow` (in GitHub Actions, `fetch-depth: 0` in actions/checkout)"

# Case 7: wrong answers ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Three commits: the plans added; HMIP-1.1 started; HMIP-1.1's due date moved."""
    repo = Repo(tmp_path_factory.mktemp("upstream") / "repo", SHIPPED_PLANS)
    repo.commit("Start the plan", "2022-05-01T09:00:00+01:00")
    before = "it is HMIP-1.2.\n        status: "  # HMIP-1.1's status, under its comment
    repo.edit(HMIP, before + "not-started", before + "in-progress")
    repo.commit("Start HMIP-1.1", "2022-06-01T09:00:00+01:00")
    repo.edit(
        HMIP,
        "        owner: camhs-lead\n        due: 2022-07-31\n",
        "        owner: camhs-lead\n        due: 2022-08-31\n",
    )
    repo.commit("Move HMIP-1.1", "2022-06-10T09:00:00+01:00")
    return repo


def shallow_clone(upstream: Repo, where: Path, depth: int) -> Path:
    """`git clone --depth N` (the default checkout in GitHub Actions is depth 1)."""
    subprocess.run(
        ["git", "clone", "--quiet", f"--depth={depth}", f"file://{upstream.root}", str(where)],
        check=True,
        env=git_env(),
    )
    return where / "plans"


def test_history_in_a_shallow_clone_invents_nothing_and_says_how_to_fetch(upstream: Repo, tmp_path: Path) -> None:
    """Case 7, first bullet: in a `git clone --depth 1`, `history HMIP-1.1` said "action added" at a
    commit that only changed its status."""
    plans = shallow_clone(upstream, tmp_path / "depth1", 1)
    table, as_json = run_all(
        ("history", "HMIP-1.1", "--plans", plans), ("history", "HMIP-1.1", "--plans", plans, "-f", "json")
    )
    assert "added" not in table.stdout
    assert json.loads(as_json.out)["commits"] == []
    for ran in (table, as_json):
        assert ran.code == 0, ran.stderr
        [warning] = lines_of(ran.err)
        assert warning.startswith("yotplan: warning: this is a shallow clone, so the history (before ")
        assert warning.endswith(FIX)
    # Two commits deep: the one it has whole (the due date) is right; the one at the edge is not made up.
    plans = shallow_clone(upstream, tmp_path / "depth2", 2)
    ran = run("history", "HMIP-1.1", "--plans", plans, "-f", "json")
    assert ran.code == 0, ran.stderr
    changes = [c for commit in json.loads(ran.out)["commits"] for c in commit["changes"]]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("due", "2022-07-31", "2022-08-31")]
    assert "shallow clone" in ran.stderr


def test_diff_and_report_since_in_a_shallow_clone_say_how_to_fetch(upstream: Repo, tmp_path: Path) -> None:
    """Case 7, first bullet: `diff` and `report --since` in the same clone."""
    plans = shallow_clone(upstream, tmp_path / "depth1", 1)
    diff, since = run_all(
        ("diff", "--plans", plans),
        ("report", "--since", "HEAD~1", "--plans", plans, "--today", TODAY, "-o", tmp_path / "report.html"),
    )
    for ran in (diff, since):
        assert (ran.code, ran.stdout) == (1, "")
        [error] = lines_of(ran.err)
        assert error.startswith("yotplan: error: ")
        assert "shallow clone" in error
        assert error.endswith(FIX)
    assert not (tmp_path / "report.html").exists()


def test_history_in_a_repository_without_commits_knows_the_id(tmp_path: Path) -> None:
    """Case 7, second bullet: in a repository with no commits, `history` said the id does not exist."""
    repo = Repo(tmp_path / "new", SHIPPED_PLANS)
    ran = run("history", "HMIP-1.1", "--plans", repo.plans)
    assert ran.code == 0, ran.stderr
    assert ran.stderr == "yotplan: warning: HMIP-1.1 has no history: the repository has no commits yet\n"
    assert "HMIP-1.1" in ran.stdout
    unknown = run("history", "HMIP-99.1", "--plans", repo.plans)
    assert unknown.code == 1
    assert "no recommendation or action has id 'HMIP-99.1'" in unknown.stderr


def test_two_owners_files_are_an_error_naming_both(plans: Path) -> None:
    """Case 7, third bullet: with both owners.yaml and owners.yml, one was used silently; check said
    "4 files checked" for 5."""
    (plans / "owners.yml").write_bytes((plans / "owners.yaml").read_bytes())
    check, status = run_all(
        ("check", "--plans", plans, "--today", TODAY), ("status", "--plans", plans, "--today", TODAY)
    )
    expected = (
        f"{plans / 'owners.yml'}:0:0: error YP012 two owners files, {plans / 'owners.yaml'} and "
        f"{plans / 'owners.yml'}: yotplan would not know which to read; keep one"
    )
    assert check.code == 1
    assert lines_of(check.out) == [expected]
    assert check.stderr == f"{SHIPPED_FILES + 1} files checked: 1 error, 0 warnings\n"
    assert status.code == 1  # status shows what it can (the plans), and names the problem
    assert lines_of(status.err)[0] == expected


def test_check_on_a_file_that_is_not_a_plan_is_an_error(tmp_path: Path) -> None:
    """Case 7, fourth bullet: `check /etc/passwd` said "0 files checked: no problems" and exited 0."""
    notes = tmp_path / "notes.txt"
    notes.write_text("not a plan\n")
    for path in (Path("/etc/passwd"), notes):
        ran = run("check", path)
        assert ran.code == 1
        assert lines_of(ran.out) == [
            f"{path}:0:0: error YP008 not a plan file: plans are .yaml or .yml files in a plans folder"
        ]
        assert "no problems" not in ran.stderr


# Case 8: internal errors where a plain failure is due --------------------------------------------


def test_a_due_date_past_the_calendars_range_is_one_line(plans: Path) -> None:
    """Case 8, first bullet: `calendar` with an open action due 9999-12-31 raised OverflowError."""
    path = plans / HMIP
    path.write_text(path.read_text().replace("due: 2022-07-31", "due: 9999-12-31", 1))
    ran = run("calendar", "--plans", plans, "--today", TODAY)
    assert ran.code == 0, ran.stderr
    assert ran.stderr == "yotplan: warning: HMIP-1.1 is due 9999-12-31, the last day a calendar can hold; left out\n"
    assert ran.out.startswith(b"BEGIN:VCALENDAR")
    assert ran.out.rstrip().endswith(b"END:VCALENDAR")
    assert b"hmip-1.1@yotplan" not in ran.out
    assert b"hmip-1.2@yotplan.hmip" in ran.out


DISK_FULL = "yotplan: error: cannot write output: No space left on device\n"


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("history") / "repo", SHIPPED_PLANS)
    repo.commit("Start the plan", "2022-05-01T09:00:00+01:00")
    repo.edit(
        HMIP, "        status: not-started\n        measure: CAMHS", "        status: blocked\n        measure: CAMHS"
    )
    repo.commit("Block HMIP-1.1", "2022-06-01T09:00:00+01:00")
    return repo


def to_dev_full(*args: str | Path, cwd: Path | None = None) -> Ran:
    with open("/dev/full", "wb") as full:
        return run(*args, stdout=full.fileno(), cwd=cwd)


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@needs_dev_full
def test_output_to_a_full_disk_is_a_plain_failure(plans: Path) -> None:
    """Case 8, second bullet: `report`, `status --format json` and `schema` redirected to /dev/full
    raised OSError (exit 3). And every other output."""
    commands: list[tuple[str | Path, ...]] = [("schema",)]
    commands += [
        (*args, "--plans", plans, "--today", TODAY)
        for args in (
            ("report",),
            ("report", "--format", "markdown"),
            ("status", "--format", "json"),
            ("status", "--format", "csv"),
            ("overdue", "--format", "markdown"),
            ("upcoming",),
            ("owners",),
            ("show", "HMIP-1.1"),
            ("check", "--format", "json"),
            ("calendar",),
        )
    ]
    for args in commands:
        ran = to_dev_full(*args)
        assert (ran.code, ran.stderr) == (1, DISK_FULL), args


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [("status",), ("history", "HMIP-1.1"), ("diff", "HEAD~1"), ("status", "--help"), ("--help",), ("--version",)],
    ids=" ".join,
)
def test_every_output_to_a_full_disk_is_a_plain_failure(history_repo: Repo, args: tuple[str, ...]) -> None:
    """Case 8, second bullet, the outputs that still crash."""
    plans_args = ("--plans", "plans") if args[0] in ("status", "history", "diff") and "--help" not in args else ()
    ran = to_dev_full(*args, *plans_args, cwd=history_repo.root)
    assert (ran.code, ran.stderr) == (1, DISK_FULL)


def test_init_where_it_cannot_create_is_a_plain_failure(tmp_path: Path) -> None:
    """Case 8, third bullet: `init /proc/nope` raised FileNotFoundError."""
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    for target in (Path("/proc/nope"), a_file / "plans"):
        ran = run("init", target)
        assert ran.code == 1, ran.stderr
        [error] = lines_of(ran.err)
        assert error.startswith("yotplan: error: cannot create ")
        assert "internal error" not in error


LIBRARY_FRAME = re.compile(
    r'File "[^"]*(?:/yotplan/(?!__init__\.py|__main__\.py)|/typer/|/click/|/rich/|/pydantic|/yaml/)'
)


def console_script() -> list[str]:
    """The installed `yotplan` command (next to the interpreter), else `python -m yotplan`."""
    script = Path(PYTHON).parent / "yotplan"
    return [str(script)] if script.exists() else [PYTHON, "-m", "yotplan"]


def _ctrl_c_reaches_it() -> None:
    """In the child: Ctrl-C as a terminal gives it. A shell without job control starts background
    jobs with SIGINT ignored, and children inherit that, so a run launched with `&` would otherwise
    see no Ctrl-C at all."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[float, int, str]]:
    """Ctrl-C (SIGINT) at moments from 15 ms into `yotplan status`, closer together early on (each
    15 % later than the one before): 24 moments up to 0.3 s, and on (up to 30 s) until one lands
    inside yotplan (exit 130), so that a slow machine sweeps start-up too; then one Ctrl-C known to
    land inside yotplan, at an event (an edit stopped at the test hook, its lock held), recorded as
    at -1 s: (when, exit code, stderr)."""
    plans = tmp_path_factory.mktemp("ctrl-c") / "plans"
    shutil.copytree(SHIPPED_PLANS, plans)
    outcomes: list[tuple[float, int, str]] = []
    for step in itertools.count():
        when = 0.015 * 1.15**step
        if step >= 24 and (any(code == 130 for _, code, _ in outcomes) or when > 30):
            break
        process = subprocess.Popen(
            [*console_script(), "status", "--plans", str(plans), "--today", TODAY],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=yotplan_env(),
            preexec_fn=_ctrl_c_reaches_it,
        )
        time.sleep(when)  # the moment of the Ctrl-C: the attack's timing, not a synchronisation
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=TIMEOUT)
        outcomes.append((when, process.returncode, err.decode("utf-8", "replace")))
    hook = tmp_path_factory.mktemp("ctrl-c-hook")
    edit = subprocess.Popen(
        [*console_script(), "log", "HMIP-1.1", "Interrupted.", "--plans", str(plans), "--today", TODAY],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=yotplan_env({TEST_PAUSE_ENV: str(hook)}),
        preexec_fn=_ctrl_c_reaches_it,
    )
    deadline = time.monotonic() + TIMEOUT  # only a safety net
    while not (hook / "paused").exists():
        assert edit.poll() is None, edit.communicate()
        assert time.monotonic() < deadline, "the edit never reached the test hook"
        time.sleep(0.01)
    edit.send_signal(signal.SIGINT)
    _, err = edit.communicate(timeout=TIMEOUT)
    outcomes.append((-1.0, edit.returncode, err.decode("utf-8", "replace")))
    return outcomes


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_during_start_up_prints_no_traceback(interrupted: list[tuple[float, int, str]]) -> None:
    """Case 8, fourth bullet: Ctrl-C in the first 0.1 s of start-up printed a 43-line traceback
    (through Typer's imports). No interrupt shows a traceback through yotplan's code or the
    libraries it loads, and one that yotplan handles is one line. Not yotplan's to change: the
    first few milliseconds belong to the interpreter's own start-up and to the console script
    that pip writes (`import re` before `from yotplan.__main__ import main`), where Python still
    prints its own traceback."""
    for when, code, err in interrupted:
        assert not LIBRARY_FRAME.search(err), f"Ctrl-C at {when * 1000:.0f} ms:\n{err}"
        if code == 130 and err:
            # CPython itself may also report an interrupt that landed in an import lock's weakref
            # callback ("Exception ignored in: <function _get_module_lock.<locals>.cb ...>"): its
            # lines, never yotplan's, may come with the one line.
            ours = err.split("Exception ignored in: <function _get_module_lock")[0]
            assert ours == "yotplan: interrupted\n", f"Ctrl-C at {when * 1000:.0f} ms:\n{err}"
    assert interrupted[-1][1] == 130, interrupted  # the Ctrl-C at the event landed inside yotplan


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_during_start_up_always_says_so(interrupted: list[tuple[float, int, str]]) -> None:
    silent = [when for when, code, err in interrupted if code == 130 and err != "yotplan: interrupted\n"]
    assert silent == []


# Case 9: hangs and odd messages -------------------------------------------------------------------


@pytest.fixture
def with_fifo(plans: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    os.mkfifo(plans / "x.yaml")
    return plans


def test_a_fifo_among_the_plans_hangs_no_command(with_fifo: Path, tmp_path: Path) -> None:
    """Case 9, first bullet: a FIFO named `x.yaml` made every command hang. Every command that reads
    the plans folder finishes (all at once) and names the FIFO; nothing opens it for
    writing, so a reader would wait for ever."""
    plans = with_fifo
    commands = {
        "status": ("status",),
        "overdue": ("overdue",),
        "show": ("show", "HMIP-1.1"),
        "check": ("check",),
        "check file": ("check", plans / "x.yaml"),
        "report": ("report",),
        "calendar": ("calendar",),
        "export": ("export", "-o", tmp_path / "pack.xlsx"),
        "log": ("log", "HMIP-1.1", "A note."),
        "update": ("update", "HMIP-1.1", "--status", "blocked", "--reason", "Waiting for CAMHS"),
        "add": ("add", "action", "HMIP-1", "--title", "T", "--owner", "camhs-lead", "--due", "2022-09-30"),
    }
    dated = [(*args, "--today", TODAY) if args[0] != "check" or len(args) == 1 else args for args in commands.values()]
    results = run_all(*((*args, "--plans", plans) for args in dated))
    for name, ran in zip(commands, results, strict=True):
        if name in ("log", "update", "add"):  # an edit that leaves the plans' errors as they were may go ahead
            assert ran.code == 0, (name, ran.stderr)
            continue
        assert ran.code == 1, (name, ran.stderr)
        assert "x.yaml:0:0: error YP001 this is a FIFO (named pipe), not a file; plans are ordinary files" in (
            ran.stdout + ran.stderr
        ), name
    assert stat.S_ISFIFO((plans / "x.yaml").stat().st_mode)
    completion = start(env={"_YOTPLAN_COMPLETE": "complete_bash", "COMP_WORDS": "yotplan show HM", "COMP_CWORD": "2",
                            "YOTPLAN_PLANS": str(plans)})  # fmt: skip
    done = finish(completion)
    assert "HMIP-1.1" in done.stdout


def test_a_link_to_a_device_is_refused_unopened(plans: Path) -> None:
    """Case 9, second bullet: a link to /dev/zero was "0.0 MB, over the 10 MB limit". Since issue 17 a
    link leading out of the plans folder is refused before it is opened (test_hostile_links.py)."""
    (plans / "zero.yaml").symlink_to("/dev/zero")
    ran = run("check", "--plans", plans, "--today", TODAY)
    assert ran.code == 1
    assert lines_of(ran.out) == [
        f"{plans / 'zero.yaml'}:0:0: error YP001 it is a link that leads outside its folder; "
        "yotplan reads only files inside it"
    ]


def test_a_5000_digit_number_is_named_a_number(plans: Path) -> None:
    """Case 9, third bullet: a 5000-digit integer was "YAML tag '!!int' is not allowed"."""
    path = plans / HMIP
    path.write_text(path.read_text().replace("due: 2022-07-31", "due: " + "7" * 5000, 1))
    ran = run("check", "--plans", plans, "--today", TODAY)
    assert ran.code == 1
    [line] = lines_of(ran.out)
    assert line.endswith(
        "error YP002 a number 5000 characters long is not a plan value; put it in quotes if it is text"
    )
    assert "tag" not in line


def test_a_flood_of_unknown_keys_is_summed_up(plans: Path) -> None:
    """Case 9, fourth bullet: a file with 200,000 unknown keys took 11 s to check (and printed
    200,000 lines). After 100 problems in one file, one line says how many more there are."""
    lines = ["source: {id: FL, title: Flood, kind: inspection}", "recommendations: []"]
    lines += [f"k{i:06d}: 1" for i in range(200_000)]
    (plans / "flood.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran = run("check", "--plans", plans, "--today", TODAY)
    assert ran.code == 1
    flood = [line for line in lines_of(ran.out) if "flood.yaml" in line]
    assert len(flood) == 101
    assert flood[-1].endswith("error YP010 199,900 more problems in this file from here on; fix the ones above first")


def test_a_flood_of_rule_problems_is_summed_up_too(plans: Path) -> None:
    """Case 9 / "Problem floods": after 100 problems in one file, one line says how many more there are."""
    lines = ["source: {id: FL, title: Flood, kind: inspection}", "recommendations:"]
    lines += ["  - id: FL-1", "    text: T", "    to: Board", "    owner: yot-manager", "    actions:"]
    for i in range(1, 5001):
        lines += [f"      - id: FL-1.{i}", "        title: T", "        owner: nobody", "        due: 2022-01-01"]
        lines += ["        status: not-started"]
    (plans / "flood.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ran = run("check", "--plans", plans, "--today", TODAY)
    assert ran.code == 1
    assert len([line for line in lines_of(ran.out) if "flood.yaml" in line]) <= 101
