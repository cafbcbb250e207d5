"""One vocabulary: the edit commands accept the status words and date forms `import` accepts (issue 19)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from conftest import TODAY, Invoke

HMIP = "hmip-inspection.yaml"
BOARDS = "boards.yaml"
PYDANTIC_WORDING = ("Value error", "unable to parse", "Input should be", "validation error", "pydantic", "Traceback")


def added_lines(plans: Path, name: str, before: str) -> list[str]:
    """The lines the edit added to the file (a line-by-line diff, so a repeated line counts too)."""
    after = (plans / name).read_text(encoding="utf-8").splitlines()
    return [line[2:] for line in difflib.ndiff(before.splitlines(), after) if line.startswith("+ ")]


def one_line(text: str) -> str:
    """The error as one string, whatever box or wrapping the terminal gave it."""
    return " ".join(text.replace("│", " ").replace("╭", " ").replace("╰", " ").replace("─", " ").split())


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Done", "done"),
        ("complete", "done"),
        ("Blue", "done"),
        ("in progress", "in-progress"),
        ("On track", "in-progress"),
        ("Not Started", "not-started"),
        ("on hold", "blocked"),
    ],
)
def test_update_reads_status_words_as_import_does(cli: Invoke, plans: Path, word: str, status: str) -> None:
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli("update", "HMIP-1.2", "--status", word, "--reason", "r", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    added = added_lines(plans, HMIP, before)
    if status == "in-progress":  # HMIP-1.2 is in progress already
        assert result.stdout.endswith(": nothing to change (nothing written)\n")
        assert added == []
    else:
        assert f"        status: {status}" in added
    if status == "done":
        assert "        completed: 2022-06-01" in added


def test_add_action_reads_a_status_word(cli: Invoke, plans: Path) -> None:
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli(
        "add", "action", "HMIP-1", "--title", "Audit ten case files", "--owner", "yot-manager", "--due", "Sept 22",
        "--status", "Underway", "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "yotplan: 'Sept 22' read as 2022-09-30, the last day of that month\n"
    added = added_lines(plans, HMIP, before)
    assert "        due: 2022-09-30" in added
    assert "        status: in-progress" in added


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("Dnoe", "'Dnoe' is not a status (did you mean 'done'?)"),
        ("compelte", "'compelte' is not a status (did you mean 'complete', done?)"),
        ("finsihed", "'finsihed' is not a status (did you mean 'finished', done?)"),
        ("xyzzy", "'xyzzy' is not a status: use not-started, in-progress, blocked, done or dropped"),
    ],
)
def test_an_unknown_status_word_is_a_usage_error_with_did_you_mean(
    cli: Invoke, plans: Path, word: str, said: str
) -> None:
    before = (plans / HMIP).read_bytes()
    result = cli("update", "HMIP-1.1", "--status", word, "--plans", plans, "--today", TODAY)
    assert result.exit_code == 2
    assert said in one_line(result.stderr)
    assert (plans / HMIP).read_bytes() == before


DATES = [
    ("31/12/2022", "2022-12-31", ""),
    ("31.12.2022", "2022-12-31", ""),
    ("2022-12-31", "2022-12-31", ""),
    ("05/12/2022", "2022-12-05", "yotplan: '05/12/2022' read day first as 2022-12-05\n"),
    ("March 2023", "2023-03-31", "yotplan: 'March 2023' read as 2023-03-31, the last day of that month\n"),
    (
        "Q2 2023/24",
        "2023-09-30",
        "yotplan: 'Q2 2023/24' read as 2023-09-30, the last day of that financial-year quarter\n",
    ),
]


@pytest.mark.parametrize(("written", "day", "note"), DATES)
def test_update_due_reads_every_date_form(cli: Invoke, plans: Path, written: str, day: str, note: str) -> None:
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli("update", "HMIP-1.1", "--due", written, "--reason", "r", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == note
    removed = [line for line in before.splitlines() if line not in (plans / HMIP).read_text().splitlines()]
    assert removed == ["        due: 2022-07-31"]
    assert f"        due: {day}" in added_lines(plans, HMIP, before)


def indicator_args(target_date: str, baseline_date: str) -> list[str]:
    return [
        "add", "indicator", "HMIP-1", "--id", "HMIP-1-camhs-meetings", "--name", "CAMHS at Board meetings",
        "--unit", "%", "--better", "higher", "--target", "100", "--target-date", target_date,
        "--baseline", "25", "--baseline-date", baseline_date,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "name", "line"),
    [
        (["update", "HMIP-1.2", "--status", "complete", "--completed", "31/05/2022"], HMIP, "completed: 2022-05-31"),
        (["log", "HMIP-1.1", "Met CAMHS", "--date", "31/05/2022"], HMIP, "date: 2022-05-31"),
        (
            [
                "add",
                "recommendation",
                "-s",
                "HMIP",
                "--text",
                "Do better",
                "-o",
                "yot-manager",
                "--action-title",
                "First step",
                "--action-due",
                "March 2023",
            ],
            HMIP,
            "due: 2023-03-31",
        ),
        (indicator_args("Q4 2022/23", "01/04/2022"), HMIP, "date: 2023-03-31"),
        (indicator_args("2023-03-31", "01/04/2022"), HMIP, "date: 2022-04-01"),
        (["add", "meeting", "yot-board", "--date", "14/03/2023"], BOARDS, "2023-03-14"),
    ],
)
def test_every_date_option_reads_the_import_forms(
    cli: Invoke, plans: Path, args: list[str], name: str, line: str
) -> None:
    before = (plans / name).read_text(encoding="utf-8")
    result = cli(*args, "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert any(added.strip().endswith(line) for added in added_lines(plans, name, before)), added_lines(
        plans, name, before
    )


def test_record_date_reads_the_import_forms(cli: Invoke, plans: Path) -> None:
    assert cli(*indicator_args("2023-03-31", "2022-05-06"), "--plans", plans, "--today", TODAY).exit_code == 0
    before = (plans / HMIP).read_text(encoding="utf-8")
    result = cli(
        "record", "HMIP-1-camhs-meetings", "75", "--date", "13/09/2022", "--plans", plans, "--today", "2022-10-01"
    )
    assert result.exit_code == 0, result.stderr
    assert "          - date: 2022-09-13" in added_lines(plans, HMIP, before)


@pytest.mark.parametrize(("word", "kind"), [("TBC", "to-be-confirmed"), ("ongoing", "ongoing")])
def test_update_due_tbc_or_ongoing_makes_the_action_undated(cli: Invoke, plans: Path, word: str, kind: str) -> None:
    before = (plans / HMIP).read_text(encoding="utf-8")
    refused = cli("update", "HMIP-1.1", "--due", word, "--plans", plans, "--today", TODAY)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f'yotplan: error: taking the due date of HMIP-1.1 away (2022-07-31 -> {kind}) needs --reason "why"; '
        "the reason is logged as an update, so slippage is never silent\n"
    )
    assert (plans / HMIP).read_text(encoding="utf-8") == before
    result = cli("update", "HMIP-1.1", "--due", word, "--reason", "Awaiting CAMHS", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"updated HMIP-1.1 in {plans / HMIP}: due date 2022-07-31 removed: undated ({kind})"
    )
    after = (plans / HMIP).read_text(encoding="utf-8")
    assert "        due: 2022-07-31" not in after.split("- id: HMIP-1.2")[0].split("- id: HMIP-1.1")[1]
    assert f"        undated: {kind}" in added_lines(plans, HMIP, before)
    head = "- id: HMIP-1.1\n        title: Secure regular CAMHS attendance at the YOT Management Board\n"
    assert f"{head}        owner: camhs-lead\n        undated: {kind}\n        # HMIP-1.1, LGA-a.3" in after
    assert cli("check", "--plans", plans, "--today", TODAY).exit_code == 0
    other_word, other_kind = ("ongoing", "ongoing") if word == "TBC" else ("TBC", "to-be-confirmed")
    rekind = cli("update", "HMIP-1.1", "--due", other_word, "--plans", plans, "--today", TODAY)
    assert (rekind.exit_code, rekind.stderr) == (0, "")  # no date is taken away: no reason needed
    assert rekind.stdout.startswith(
        f"updated HMIP-1.1 in {plans / HMIP}: undated kind changed from {kind}: undated ({other_kind})"
    )
    assert f"        owner: camhs-lead\n        undated: {other_kind}\n" in (plans / HMIP).read_text(encoding="utf-8")
    again = cli("update", "HMIP-1.1", "--due", other_word, "--plans", plans, "--today", TODAY)
    assert (again.exit_code, again.stdout) == (0, "HMIP-1.1: nothing to change (nothing written)\n")
    dated = cli(
        "update", "HMIP-1.1", "--due", "30/09/2022", "--reason", "CAMHS agreed", "--plans", plans, "--today", TODAY
    )
    assert (dated.exit_code, dated.stderr) == (0, "")
    assert dated.stdout.startswith(f"updated HMIP-1.1 in {plans / HMIP}: due 2022-09-30 (reason logged)")
    dated_text = (plans / HMIP).read_text(encoding="utf-8")
    assert "        undated:" not in dated_text
    # the due date goes back to its place in an action, and the comment after it stays after it
    assert f"{head}        owner: camhs-lead\n        due: 2022-09-30\n        # HMIP-1.1, LGA-a.3" in dated_text


BAD_INPUTS = [
    ["update", "HMIP-1.1", "--status", "Dnoe"],
    ["update", "HMIP-1.1", "--status", ""],
    ["update", "HMIP-1.1", "--due", "31/02/2023"],
    ["update", "HMIP-1.1", "--due", "soon"],
    ["update", "HMIP-1.1", "--due", "Q5 2023/24"],
    ["update", "HMIP-1.1", "--due", "Q2 2023/27"],
    ["update", "HMIP-1.1", "--due", "31/12/1899"],
    ["update", "HMIP-1.1", "--completed", "TBC", "--status", "done"],
    ["update", "HMIP-1.1", "--owner", "nobody"],
    ["log", "HMIP-1.1", "note", "--date", "2023-13-01"],
    ["log", "HMIP-1.1", "note", "--date", "ongoing"],
    ["add", "action", "HMIP-1", "--title", "t", "--owner", "yot-manager", "--due", "TBC"],
    ["add", "action", "HMIP-1", "--title", "t", "--owner", "yot-manager", "--due", "next week"],
    ["add", "action", "HMIP-1", "--title", "t", "--owner", "yot-manager", "--due", "2022-12-31", "--status", "xx"],
    [
        "add",
        "recommendation",
        "-s",
        "HMIP",
        "--text",
        "x",
        "-o",
        "yot-manager",
        "--action-title",
        "y",
        "--action-due",
        "Smarch 2023",
    ],
    ["add", "meeting", "yot-board", "--date", "30/02/2023"],
    pytest.param(
        ["record", "HMIP-6-ocd-assessed", "abc"],
        id="record HMIP-6-ocd-assessed abc",
    ),
    ["record", "HMIP-6-ocd-assessed", "50", "--date", "tomorrow"],
    indicator_args("whenever", "2022-05-06"),
    indicator_args("2023-03-31", "TBC"),
    [*indicator_args("2023-03-31", "2022-05-06")[:12], "lots", *indicator_args("2023-03-31", "2022-05-06")[13:]],
    [*indicator_args("2023-03-31", "2022-05-06")[:16], "nan", *indicator_args("2023-03-31", "2022-05-06")[17:]],
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=lambda args: " ".join(args[:5]))
def test_no_bad_input_meets_pydantic_wording(cli: Invoke, plans: Path, args: list[str]) -> None:
    result = cli(*args, "--plans", plans, "--today", TODAY)
    assert result.exit_code in (1, 2)
    said = one_line(result.stderr)
    assert said
    for words in PYDANTIC_WORDING:
        assert words not in said, said
