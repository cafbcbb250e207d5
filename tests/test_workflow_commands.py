"""Issue 17, case 4: under GITHUB_ACTIONS=true no output line of any command is read by the
Actions runner as a workflow command, except `check --format github`'s own annotations.

Each output is judged by a port of the runner's own parser (tests/actions_runner.py): `##[`
anywhere in a line, and `::` after any Unicode white space at a line's start. The plans hold an
owner with `##[error ...]` in the middle, a title, a note, a meeting ref, a service name and a
commit subject that start (or start a line) with NBSP, U+3000, U+2003 or U+2007 then `::`, and a
plan file whose name starts with NBSP then `::error::`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from actions_runner import Command, commands_in, runner_lines, try_parse, try_parse_v2
from gitrepo import Repo
from hostile_support import TIMEOUT, Ran, finish, start, yotplan_env
from yotplan.safe_text import WorkflowCommandGuard, not_a_workflow_command

from conftest import SHIPPED_PLANS

OWNER = "x ##[error file=.github/workflows/deploy.yml;line=1;title=Security]Forged"
TITLE = "\u00a0::error file=README.md,line=1::Forged title"
NOTE = "Met the Board.\n\u2003::add-mask::Forged note\n  ##[group]Forged group\n\u3000::warning::Forged"
REF = "\u00a0::error::Forged ref"
SERVICE = "\u2007::error::Forged service"
FILE_NAME = "\u00a0::error::x.yaml"
SUBJECT = "\u00a0::error::Forged subject ##[error]Forged"
TODAY = "2022-06-01"

SMALL_PLAN = f"""source:
  id: X
  title: "\\u3000::error::Forged source"
  kind: other
recommendations:
  - id: X-1
    text: "Check the forged\\n\\u00a0::error::Forged text"
    owner: yot-manager
    actions:
      - id: X-1.1
        title: "{TITLE}"
        owner: "{OWNER}"
        due: 2022-05-20
        status: in-progress
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("workflow") / "repo", SHIPPED_PLANS)
    repo.commit("Plans as shipped", "2022-05-10T10:00:00+01:00")
    repo.edit(
        "hmip-inspection.yaml",
        "title: Secure regular CAMHS attendance at the YOT Management Board\n        owner: camhs-lead\n",
        f'title: "{TITLE}"\n        owner: "{OWNER}"\n',
    )
    repo.edit(
        "hmip-inspection.yaml",
        "        measure: CAMHS attends every Board meeting and reports back on actions taken in its own agency.\n"
        "        updates:\n",
        "        measure: CAMHS attends every Board meeting and reports back on actions taken in its own agency.\n"
        "        updates:\n          - date: 2022-05-25\n"
        f'            note: "{NOTE.encode("unicode_escape").decode()}"\n',
    )
    chair = "chair: yot-board-chair\n    meetings: "
    repo.edit("boards.yaml", chair + "[]", chair + f'[{{date: 2022-05-20, ref: "{REF}"}}]')
    repo.edit("service.yaml", "name: Torbay Youth Offending Service", f'name: "{SERVICE}"')
    (repo.plans / FILE_NAME).write_text(SMALL_PLAN, encoding="utf-8")
    repo.commit(SUBJECT, "2022-06-01T09:00:00+01:00")
    return repo


def commands(plans: Path) -> list[tuple[str, ...]]:
    """Every command and format that reads the plans, each run from inside the plans folder (so
    that paths start with the hostile file name)."""
    common = ("--plans", ".", "--today", TODAY)
    views = ["status", "overdue", "upcoming", "owners", "indicators"]
    runs: list[tuple[str, ...]] = []
    for view in views:
        runs += [(view, *common, "--format", fmt) for fmt in ("table", "json", "csv", "markdown")]
    runs += [
        ("upcoming", *common, "--within", "90"),
        ("status", *common, "--since-meeting", "yot-board"),
        ("search", "forged", *common),
        ("search", "CAMHS", *common, "--format", "markdown"),
        ("search", "forged", *common, "--format", "csv"),
        ("show", "HMIP-1.1", *common),
        ("show", "HMIP-1", *common),
        ("show", "X-1.1", *common),
        ("show", "X-1", *common),
        ("check", *common),
        ("check", *common, "--format", "json"),
        ("check", *common, "--strict"),
        ("report", *common),
        ("report", *common, "--format", "markdown"),
        ("report", *common, "--since", "HEAD~1"),
        ("report", *common, "--format", "markdown", "--meeting", "yot-board@2022-05-20"),
        ("calendar", *common),
        ("diff", "HEAD~1", "--plans", "."),
        ("diff", "HEAD~1", "--plans", ".", "--format", "markdown"),
        ("diff", "HEAD~1", "--plans", ".", "--format", "json"),
        ("history", "HMIP-1.1", "--plans", "."),
        ("history", "HMIP-1.1", "--plans", ".", "--format", "markdown"),
        ("export", *common, "-o", str(plans.parent / "pack.xlsx")),
        # --owner: request-updates names files after owner keys, and the hostile owner (with a `/`)
        # makes it crash (exit 3), a defect of its own, reported apart.
        ("request-updates", *common, "-o", str(plans.parent / "round"), "--owner", "camhs-lead"),
        ("apply-updates", "--dry-run", str(plans / FILE_NAME), *common),  # not a form: one error line
        ("show", FILE_NAME, *common),  # an unknown id: Typer's and yotplan's own error lines
        ("status", *common, "--owner", OWNER),
        ("--help",),
        ("status", "--help"),
        ("status", "--format", "\u00a0::error::x"),  # a usage error quoting the command line
    ]
    return runs


def run_in_actions(plans: Path, runs: list[tuple[str, ...]], colour: bool = False) -> list[Ran]:
    """Each run in its own process under GITHUB_ACTIONS=true, four at a time; with `colour`, as
    a workflow that sets FORCE_COLOR (rich then writes tables with colour codes)."""
    env: dict[str, str | None] = {"GITHUB_ACTIONS": "true", "CI": "true"}
    if colour:
        env.update(FORCE_COLOR="1", NO_COLOR=None, TERM="xterm-256color")
    done: list[Ran] = []
    for first in range(0, len(runs), 4):
        batch = runs[first : first + 4]
        processes = [start(*args, env=env, cwd=plans) for args in batch]
        done += [finish(process, timeout=60) for process in processes]
    return done


def test_no_output_of_any_command_is_a_workflow_command(hostile: Repo) -> None:
    runs = commands(hostile.plans)
    results = run_in_actions(hostile.plans, runs)
    forged = {
        " ".join(args): [c.line for c in commands_in(ran.out) + commands_in(ran.err)]
        for args, ran in zip(runs, results, strict=True)
    }
    assert {args: lines for args, lines in forged.items() if lines} == {}
    # The runs did show the hostile text (escaped), so the test looked at what it meant to.
    shown = {" ".join(args): (ran.stdout + ran.stderr) for args, ran in zip(runs, results, strict=True)}
    assert "##%5Berror file=.github/workflows/deploy.yml" in shown[f"status --plans . --today {TODAY} --format table"]
    assert "Forged title" in shown[f"overdue --plans . --today {TODAY} --format csv"]
    assert "Forged" in shown[f"calendar --plans . --today {TODAY}"]
    assert "Forged subject" in shown["history HMIP-1.1 --plans ."]
    for args, ran in zip(runs, results, strict=True):
        assert ran.code in (0, 1, 2), (args, ran.stderr)


def test_in_colour_too(hostile: Repo) -> None:
    """Workflows often set FORCE_COLOR: rich's own path (not the plain-text one) is guarded too."""
    common = ("--plans", ".", "--today", TODAY)
    runs = [("status", *common), ("overdue", *common), ("show", "X-1.1", *common), ("status", "--help")]
    results = run_in_actions(hostile.plans, runs, colour=True)
    assert any("\x1b[" in ran.stdout for ran in results)  # colour it was
    for args, ran in zip(runs, results, strict=True):
        assert commands_in(ran.out) + commands_in(ran.err) == [], args


def test_check_github_annotates_with_the_hostile_text_escaped_and_nothing_else(hostile: Repo) -> None:
    (ran,) = run_in_actions(hostile.plans, [("check", "--plans", ".", "--today", TODAY, "--format", "github")])
    assert ran.code == 1
    found = commands_in(ran.out) + commands_in(ran.err)
    assert found, "no annotations at all"
    files = {p.name for p in hostile.plans.iterdir()}
    for command in found:
        assert command.name in ("error", "warning", "notice"), command.line
        assert command.line.startswith(f"::{command.name}"), command.line  # nothing before it, not even a space
        if command.name == "notice":
            assert set(command.properties) == set(), command.line
            continue
        assert set(command.properties) <= {"file", "line", "col", "title"}, command.line
        assert command.properties["file"] in files, command.line
        assert command.properties["title"].startswith("YP"), command.line
    hostile_file = [c for c in found if c.properties.get("file") == FILE_NAME]
    assert hostile_file, "the file named NBSP::error::x.yaml has its own annotations"
    assert all("file=\u00a0%3A%3Aerror%3A%3Ax.yaml," in c.line for c in hostile_file)
    owner = [c for c in found if OWNER in c.data]
    assert owner, "the hostile owner is named in an annotation's message, as text"
    # The plain problem lines that follow the annotations are not commands either.
    assert len(found) == sum(line.startswith("::") for line in runner_lines(ran.out))


# The guard itself, write by write -------------------------------------------------------------

HOSTILE_LINES = [
    OWNER,
    TITLE,
    REF,
    SERVICE,
    "\u2000\u200a\u202f\u205f\u1680\ufeff\u200b::set-output name=x::y",
    "\t \u00a0 :: add-mask::x",
    "a ###[debug]x",
    "##[error]x",
    "::ERROR::upper case",
    "\u00a0:\u00a0:not a command",
]


@pytest.mark.parametrize("hostile_line", HOSTILE_LINES)
def test_the_guard_leaves_no_command_however_the_text_is_split_into_writes(hostile_line: str) -> None:
    text = f"first line\r\n{hostile_line}\rthird ##[x]\n{hostile_line}\n"
    for cut in range(len(text) + 1):
        guard = WorkflowCommandGuard()
        written = guard.text(text[:cut]) + guard.bytes(text[cut:].encode()).decode()
        assert commands_in(written) == [], (cut, written)
        assert written.replace("%3A", ":").replace("%5B", "[") == text  # only those characters change
    assert commands_in(not_a_workflow_command(text)) == []


def test_the_ported_parser_finds_what_the_runner_finds() -> None:
    """The port can fail: the runner's own test cases and the issue's forgeries are commands."""
    found = try_parse("##[do-something k1=v1;]msg", frozenset({"do-something"}))
    assert found == Command("do-something", {"k1": "v1"}, "msg", "##[do-something k1=v1;]msg")
    assert try_parse_v2("::do-something k1=v1::msg", frozenset({"do-something"})) is not None
    assert try_parse_v2("   ::do-something k1=v1::msg", frozenset({"do-something"})) is not None
    for line in (OWNER, TITLE, REF, SERVICE, "\u3000::warning::x", "x ##[add-mask]secret", "::ERROR::x"):
        assert commands_in(line), line
    owner = commands_in(OWNER)[0]
    assert (owner.name, owner.properties["file"], owner.data) == ("error", ".github/workflows/deploy.yml", "Forged")
    escaped = try_parse_v2("::error file=a%3A%3Ab%2Cc.yaml,line=1::x%0Ay%25")
    assert escaped is not None
    assert (escaped.properties["file"], escaped.data) == ("a::b,c.yaml", "x\ny%")
    assert commands_in("::stop-commands::tok\n::error::hidden\n::tok::\n::error::seen") == [
        Command("stop-commands", {}, "tok", "::stop-commands::tok"),
        Command("tok", {}, "", "::tok::"),
        Command("error", {}, "seen", "::error::seen"),
    ]
    assert runner_lines(b"a\r\nb\rc\nd") == ["a", "b", "c", "d"]


PLANTED_BUG = """
import sys
import yotplan.views.queries

def broken(*args, **kwargs):
    raise RuntimeError("planted\\n\\u00a0::error::Forged bug \\x1b]0;title\\x07")

yotplan.views.queries.status_view = broken
from yotplan.cli.entry import main
sys.argv = ["yotplan", "--traceback", "status", "--plans", sys.argv[1], "--today", "2022-06-01"]
main()
"""


def test_a_traceback_asked_for_in_ci_is_guarded_too(tmp_path: Path) -> None:
    """`--traceback` prints through the same guard as every other line: a bug's message may quote
    plan text. No user input causes a bug on demand, so one is planted in a real process."""
    ran = subprocess.run(
        [sys.executable, "-c", PLANTED_BUG, str(SHIPPED_PLANS)],
        capture_output=True,
        env=yotplan_env({"GITHUB_ACTIONS": "true", "CI": "true"}),
        timeout=TIMEOUT,
        check=False,
    )
    assert ran.returncode == 3
    assert "Traceback (most recent call last):" in ran.stderr.decode()
    assert "Forged bug" in ran.stderr.decode()
    assert commands_in(ran.stderr) == []
    assert b"\x1b" not in ran.stderr
