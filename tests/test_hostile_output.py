"""Issue 9, cases 4 and 5, through the real `yotplan` process: text from a plan, from git or from the
command line never reaches a terminal or a CI log as a control sequence or a workflow command.

Every output is read as raw bytes: on a pipe (no colour) and on a pseudo-terminal with colour
forced, where the only escape sequences allowed are yotplan's own colours (SGR, `ESC [ ... m`).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from gitrepo import Repo
from hostile_support import (
    TODAY,
    assert_no_workflow_commands,
    assert_terminal_safe,
    finish,
    replace_once,
    run,
    run_all,
    run_on_terminal,
    start,
    unsafe_bytes,
    workflow_commands,
)

from conftest import SHIPPED_PLANS

HMIP = "hmip-inspection.yaml"
# Clear the screen, turn red, set the window title, reverse the text's direction, a C1 CSI, DEL,
# NEL, a carriage return and a backspace: as YAML double-quoted escapes. Short words, so that
# tables wrap them between words and each stays whole on its line.
HOSTILE = r"\e[2J \e[31mpwned \e]0;owned\a \u202eevil\u2066 \x9b31m \x7f\x85\r\b"
# How they must look in the output: as text anyone can read.
SHOWN = (r"\x1b[2J", r"\x1b[31mpwned", r"\x1b]0;owned\x07", r"\u202eevil\u2066", r"\x9b31m")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped plans with control characters in every kind of text: an action's title,
    measure, update note and evidence, a recommendation's text, the source's title, and an
    owner's role and agency. Ids and keys stay valid, so every view loads. Read only."""
    plans = tmp_path_factory.mktemp("hostile") / "plans"
    shutil.copytree(SHIPPED_PLANS, plans)
    path = plans / HMIP
    replace_once(
        path,
        "title: Secure regular CAMHS attendance at the YOT Management Board",
        f'title: "Secure regular CAMHS attendance {HOSTILE} title"',
    )
    replace_once(
        path,
        "measure: CAMHS attends every Board meeting and reports back on actions taken in its own agency.",
        f'measure: "CAMHS attends {HOSTILE} measure"',
    )
    replace_once(
        path,
        "    text: >-\n      make sure that Board members understand the specific needs of children known to the YOT"
        " and advocate\n      on their behalf in their own agencies\n",
        f'    text: "make sure that Board members understand {HOSTILE} text"\n',
    )
    replace_once(
        path,
        "  title: HM Inspectorate of Probation inspection of youth offending services in Torbay\n",
        f'  title: "HM Inspectorate of Probation {HOSTILE} source"\n',
    )
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "        updates:\n", f'        updates:\n          - date: 2022-05-20\n            note: "{HOSTILE} note"\n', 1
    )
    text = text.replace("        evidence:\n", f'        evidence:\n          - "{HOSTILE} evidence"\n', 1)
    path.write_text(text, encoding="utf-8")
    replace_once(plans / "owners.yaml", "role: CAMHS representative on the YOT Management Board", f'role: "{HOSTILE}"')
    replace_once(plans / "owners.yaml", "agency: NHS (CAMHS)", f'agency: "NHS {HOSTILE}"')
    loaded = run("check", "--plans", plans, "--today", TODAY)
    assert loaded.code == 0, loaded.stdout + loaded.stderr
    return plans


def assert_shown_escaped(output: bytes, parts: tuple[str, ...] = SHOWN) -> None:
    """The plan's control characters are there, as text anyone can read."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", output.decode("utf-8"))  # without yotplan's own colours
    for part in parts:
        assert part in text, part


# Case 4: plan text speaks to the terminal --------------------------------------------------


def test_show_on_a_pipe_prints_no_control_character(hostile: Path) -> None:
    """Case 4, first bullet: `yotplan show HMIP-1.1`, piped."""
    for item in ("HMIP-1.1", "HMIP-1"):
        shown = run("show", item, "--plans", hostile, "--today", TODAY)
        assert shown.code == 0, shown.stderr
        assert b"\x1b" not in shown.out  # a pipe gets no colour at all
        assert_terminal_safe(shown.out, shown.err)
        assert_shown_escaped(shown.out)


VIEWS = {
    "show action": ("show", "HMIP-1.1"),
    "show recommendation": ("show", "HMIP-1"),
    "status": ("status",),
    "upcoming": ("upcoming", "--today", "2022-07-20", "--within", "20"),
    "overdue": ("overdue", "--today", "2022-08-15"),
    "owners": ("owners",),
}


@pytest.mark.parametrize("view", VIEWS)
def test_rich_tables_on_a_terminal_pass_colour_and_nothing_else(hostile: Path, view: str) -> None:
    """Case 4, second bullet: a rich table on a terminal passed `ESC[31m` and `ESC]0;` (window title)."""
    args = VIEWS[view]
    today = () if "--today" in args else ("--today", TODAY)
    code, output = run_on_terminal(*args, "--plans", hostile, *today)
    assert code == 0, output
    assert re.search(rb"\x1b\[[0-9;]*m", output), "no colour: the terminal path was not taken"
    assert_terminal_safe(output)
    # Tables cut long texts: the lists show the start of a text only.
    assert_shown_escaped(output, SHOWN if view.startswith("show") else SHOWN[:2])


OTHER_FORMATS = (
    ("status", "--format", "csv"),
    ("status", "--format", "markdown"),
    ("status", "--format", "json"),
    ("upcoming", "--within", "20", "--format", "csv"),
    ("upcoming", "--within", "20", "--format", "markdown"),
    ("upcoming", "--within", "20", "--format", "json"),
    ("owners", "--format", "markdown"),
    ("report", "--format", "markdown"),
    ("report", "--format", "html"),
    ("calendar",),
)


def test_every_other_format_prints_no_control_character(hostile: Path) -> None:
    """Case 4, beyond tables: csv, markdown, json, the Board report and the calendar, piped."""
    results = run_all(*((*args, "--plans", hostile, "--today", "2022-07-20") for args in OTHER_FORMATS))
    for args, ran in zip(OTHER_FORMATS, results, strict=True):
        assert ran.code == 0, (args, ran.stderr)
        assert unsafe_bytes(ran.out + ran.err) == [], args
        assert b"\x1b" not in ran.out, args
        assert "\\x1b" in ran.stdout or "\\u001b" in ran.stdout, args  # the plan's ESC is there, as text


def hostile_ids(plans: Path) -> Path:
    """Ids and an owner key holding control characters: check errors, shown escaped."""
    replace_once(plans / HMIP, "- id: HMIP-1.1\n", '- id: "HMIP-1.1\\e[2J\\e]0;id\\a\\u202e"\n')
    replace_once(plans / HMIP, "  id: HMIP\n", '  id: "HMIP\\e[31m\\x9b"\n')
    replace_once(
        plans / "owners.yaml", "  camhs-lead:\n", '  "camhs\\e]0;key\\a":\n    role: R\n    agency: A\n  camhs-lead:\n'
    )
    return plans


def test_ids_and_owner_keys_holding_escapes_are_check_errors_shown_escaped(plans: Path) -> None:
    """Case 4, third bullet: ids holding ESC went raw into `check` lines."""
    hostile_ids(plans)
    for fmt in ("text", "json", "github"):  # a year on: overdue warnings name the ids too, as the old code did
        ran = run("check", "--plans", plans, "--today", "2023-06-01", "--format", fmt)
        assert_terminal_safe(ran.out, ran.err)
        assert ran.code == 1
        assert "YP111" in ran.stdout
        assert "YP113" in ran.stdout
    lines = run("check", "--plans", plans, "--today", TODAY).stdout.splitlines()
    assert any(r"HMIP-1.1\x1b[2J\x1b]0;id\x07\u202e" in line and "YP111" in line for line in lines), lines
    assert any(r"HMIP\x1b[31m\x9b" in line and "YP111" in line for line in lines), lines
    assert any(r"camhs\x1b]0;key\x07" in line and "YP113" in line for line in lines), lines
    code, output = run_on_terminal("check", "--plans", plans, "--today", TODAY)
    assert code == 1
    assert_terminal_safe(output)
    # A view of those plans, and an id typed on the command line, say so in safe text too.
    status = run("status", "--plans", plans, "--today", TODAY)
    assert_terminal_safe(status.out, status.err)
    code, output = run_on_terminal("show", "\x1b]0;typed\x07\u202e", "--plans", plans, "--today", TODAY)
    assert code == 1
    assert_terminal_safe(output)
    assert b"\\x1b]0;typed\\x07\\u202e" in output


def test_the_calendar_prints_no_control_character_from_ids_or_owner_keys(plans: Path) -> None:
    """Case 4, the calendar: ids and owner keys with ESC are check errors, but `calendar` still
    runs on such plans, and exits 1 for the errors it names."""
    hostile_ids(plans)
    ran = run("calendar", "--plans", plans, "--today", TODAY)
    assert ran.code == 1
    assert ran.out.startswith(b"BEGIN:VCALENDAR")
    owner = run("calendar", "--plans", plans, "--today", TODAY, "--owner", "camhs\x1b]0;key\x07")
    assert owner.code == 1
    assert owner.out.startswith(b"BEGIN:VCALENDAR")
    assert_terminal_safe(ran.out, owner.out)


def test_history_shows_git_authors_and_subjects_escaped(tmp_path: Path) -> None:
    """Case 4, fourth bullet: `history` printed git authors and commit subjects raw."""
    repo = Repo(tmp_path / "repo", SHIPPED_PLANS)
    repo.commit("Start \x1b[2J \x1b]0;s\x07 \u202e", "2022-05-01T09:00:00+01:00", author="Eve \x1b]0;a\x07 Smith")
    text = (repo.plans / HMIP).read_text(encoding="utf-8")
    (repo.plans / HMIP).write_text(text.replace("status: not-started", "status: in-progress", 1), encoding="utf-8")
    repo.commit("\x1b[31mJune \x9b review \x7f", "2022-06-10T09:00:00+01:00", author="Mallory \u2066 Jones")
    outputs = []
    for fmt in ("table", "markdown", "json"):
        ran = run("history", "HMIP-1.1", "--plans", repo.plans, "--format", fmt)
        assert ran.code == 0, ran.stderr
        assert_terminal_safe(ran.out, ran.err)
        outputs.append(ran.stdout)
        code, output = run_on_terminal("history", "HMIP-1.1", "--plans", repo.plans, "--format", fmt)
        assert code == 0
        assert_terminal_safe(output)
    for shown in (
        r"\x1b]0;a\x07",
        r"\x1b[2J",
        r"\x1b]0;s\x07",
        r"\u202e",
        r"\x1b[31mJune",
        r"\x9b",
        r"\x7f",
        r"\u2066",
    ):
        assert shown in outputs[0], shown  # the table
    assert "x1b" in outputs[1]  # markdown escapes the backslashes and brackets of the same text
    assert "u202e" in outputs[1]
    diff = run("diff", "HEAD~1", "--plans", repo.plans)
    assert diff.code == 0, diff.stderr
    assert_terminal_safe(diff.out, diff.err)


# Case 5: plan text speaks to the CI log -----------------------------------------------------

INJECTED = {
    "HMIP-1.1": r"\n::error file=README.md,line=1::injected",
    "HMIP-1.2": r"\n::add-mask::HMIP",
    "HMIP-1.3": r"\n  ::stop-commands::pwned",
    "HMIP-2.1": r"\n##[error]injected",
    "HMIP-2.2": r"\r::warning file=README.md::injected",
    "HMIP-3.1": r"\u2028::error::injected",
    "HMIP-3.2": r"\N::error::injected",
}


def test_an_id_cannot_start_a_workflow_command_in_github_format(plans: Path) -> None:
    """Case 5: the id `"HMIP-1.1\\n::error file=README.md,line=1::injected"` made a real workflow
    command in the plain problem lines after the annotations; so did `::add-mask::`. Seven ids,
    each with another way to start a line: newline, carriage return, U+2028, NEL; `::` or `##[`."""
    for action_id, injected in INJECTED.items():
        replace_once(plans / HMIP, f"- id: {action_id}\n", f'- id: "{action_id}{injected}"\n')
    # A year on, every action is overdue: warnings name each id even where ids are not checked.
    github, text = run_all(
        ("check", "--format", "github", "--plans", plans, "--today", "2023-06-01"),
        ("check", "--plans", plans, "--today", "2023-06-01"),  # the plain text format: CI logs show it too
    )
    for ran in (github, text):
        assert_no_workflow_commands(ran.stdout, ran.stderr)
        assert_terminal_safe(ran.out, ran.err)
        assert ran.code == 1
    annotations = re.findall(
        r"^::error file=[^,]*hmip-inspection\.yaml,line=\d+,col=\d+,title=YP111::", github.stdout, re.M
    )
    assert len(annotations) == len(INJECTED)
    assert text.stdout.count(" error YP111 ") == len(INJECTED)


NAMES = {
    "newline": "a\n::error file=README.md,line=1::injected.yaml",
    "add-mask": "::add-mask::secret.yaml",
    "error": "::error file=README.md,line=1::injected.yaml",
    "old syntax": "##[error]injected.yaml",
    "indented": "  ::warning::injected.yaml",
}


def test_a_file_name_cannot_start_a_workflow_command_in_github_format(plans: Path) -> None:
    """Case 5: a plan file name holding a newline made a workflow command; so does a name that
    starts with `::` when the plans folder is the working folder (`--plans .`)."""
    for name in NAMES.values():
        (plans / name).write_text("source: {id: X}\n", encoding="utf-8")  # a problem, so a line with its path
    # From the plans folder itself (paths start with the file name) and from the folder above.
    inside = start("check", "--format", "github", "--plans", ".", "--today", TODAY, cwd=plans)
    above = start("check", "--format", "github", "--plans", "plans", "--today", TODAY, cwd=plans.parent)
    for ran in (finish(inside), finish(above)):
        assert ran.code == 1
        assert_no_workflow_commands(ran.stdout, ran.stderr)
        assert_terminal_safe(ran.out, ran.err)
        assert ran.stdout.count("title=YP010::") == 2 * len(NAMES)  # `title` and `kind` missing in each


def test_a_file_name_cannot_start_a_workflow_command_in_text_format(plans: Path) -> None:
    """Case 5 beyond `--format github`: CI logs show plain `yotplan check` too."""
    for name in NAMES.values():
        (plans / name).write_text("source: {id: X}\n", encoding="utf-8")
    ran = run("check", "--plans", ".", "--today", TODAY, cwd=plans)
    assert ran.code == 1
    assert workflow_commands(ran.stdout + ran.stderr) == []


BAD_IDS = ("HMIP-1.9\n::error file=README.md,line=1::injected", "HMIP-1.9\x1b]0;x\x07", "HMIP-1.9\u202e")


def test_add_refuses_an_id_that_is_not_an_id(plans: Path) -> None:
    """Case 5: `add action --id $'X\\nY'` wrote such an id from the command line; `add
    recommendation --id` and `add owner KEY` take ids too."""
    before = {p.name: p.read_bytes() for p in plans.iterdir()}
    commands: list[tuple[str | Path, ...]] = [
        ("add", "action", "HMIP-1", "--title", "T", "--owner", "camhs-lead", "--due", "2022-09-30", "--id", bad_id)
        for bad_id in BAD_IDS
    ]
    commands += [
        ("add", "recommendation", "--source", "HMIP", "--text", "T", "--owner", "yot-manager", "--id", BAD_IDS[0],
         "--action-title", "T", "--action-due", "2022-09-30"),
        ("add", "owner", BAD_IDS[1], "--role", "R", "--agency", "A"),
    ]  # fmt: skip
    for args in commands:
        ran = run(*args, "--plans", plans, "--today", TODAY)
        assert ran.code in (1, 2), (args, ran.stdout)
        assert "is not a" in ran.stderr, (args, ran.stderr)
        assert_terminal_safe(ran.out, ran.err)
        assert_no_workflow_commands(ran.stdout, ran.stderr)
    assert {p.name: p.read_bytes() for p in plans.iterdir()} == before


def test_the_escape_checks_themselves_catch_what_they_must() -> None:
    """The assertions above can fail: raw sequences and forged commands are caught."""
    assert unsafe_bytes(b"plain \x1b[1mbold\x1b[0m text\r\n") == []
    for raw in (b"\x1b[2J", b"\x1b]0;x\x07", "\u202e".encode(), "\x9b".encode(), b"\x9b", b"\x07", b"\x7f"):
        assert unsafe_bytes(b"a " + raw + b" b"), raw
    assert workflow_commands("::error file=p.yaml,line=3,col=5,title=YP111::id is bad") == []
    assert workflow_commands("::notice::12 more errors not annotated; run `yotplan check` to see them all") == []
    for line in ("::error file=README.md,line=1::x", "  ::add-mask::x", "##[error]x", "::error::x", "x\r::warning::y"):
        assert workflow_commands(line), line
