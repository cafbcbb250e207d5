"""The personal-data guard through the CLI: where it runs, what it prints, and reviewed exceptions.

The detector itself (what looks like personal data and what does not) is tested in
test_personal_data.py against its corpus; here, one planted finding per test.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Invoke

HMIP = "hmip-inspection.yaml"
MEASURE = "        measure: CAMHS attends every Board meeting and reports back on actions taken in its own agency.\n"


def plant(plans: Path, text: str, *, comment: str = "") -> int:
    """Put `text` as HMIP-1.1's measure; returns its line number."""
    path = plans / HMIP
    source = path.read_text(encoding="utf-8")
    assert MEASURE in source
    replacement = (f"        {comment}\n" if comment else "") + f"        measure: {text}\n"
    path.write_text(source.replace(MEASURE, replacement), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith("        measure: ") and text in line)


def test_the_shipped_plans_hold_nothing_that_looks_like_personal_data(cli: Invoke, plans: Path) -> None:
    result = cli("check", "--plans", plans, "--format", "json", "--today", "2022-06-01")
    codes = {p["code"] for p in json.loads(result.stdout)}
    assert not {c for c in codes if c.startswith("YP3")}


def test_check_names_the_file_line_field_and_why_and_masks_the_match(cli: Invoke, plans: Path) -> None:
    line = plant(plans, "J.S. now attends; DOB 03/04/2008")
    result = cli("check", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 0  # a warning: the check still passes
    found = [row for row in result.stdout.splitlines() if " YP301 " in row]
    assert len(found) == 1
    assert found[0].startswith(
        f"{plans / HMIP}:{line}:18: warning YP301 measure of HMIP-1.1 looks like a date of birth"
    )
    assert "identifies" in found[0]
    assert "03/04/2008" not in result.stdout  # masked even in the terminal
    assert "# yotplan: allow YP301 <reason>" in found[0]


def test_strict_makes_it_fail(cli: Invoke, plans: Path) -> None:
    plant(plans, "Contact mum on 07700 900123")
    assert cli("check", "--plans", plans, "--strict", "--today", "2022-06-01").exit_code == 1


def test_github_annotations_never_carry_the_match(cli: Invoke, plans: Path) -> None:
    plant(plans, "Email jayden.smith@example.com weekly")
    result = cli("check", "--plans", plans, "--format", "github", "--today", "2022-06-01")
    annotation = [row for row in result.stdout.splitlines() if row.startswith("::warning ") and "YP306" in row]
    assert len(annotation) == 1
    assert "jayden.smith@example.com" not in result.stdout
    assert "jayden" not in result.stdout.lower()


def test_reading_commands_report_it_on_stderr_and_still_show_the_plans(cli: Invoke, plans: Path) -> None:
    plant(plans, "Visit at TQ1 3HR")
    result = cli("status", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 0
    assert "YP304" in result.stderr
    assert "HMIP-1" in result.stdout
    assert "TQ1 3HR" not in result.stderr


def test_an_allow_comment_with_a_reason_on_the_line_above_silences_that_code(cli: Invoke, plans: Path) -> None:
    plant(plans, "Drop-in at the youth centre, TQ1 3HR", comment="# yotplan: allow YP304 the centre's postcode")
    result = cli("check", "--plans", plans, "--today", "2022-06-01")
    assert "YP304" not in result.stdout


def test_an_allow_comment_on_the_line_itself(cli: Invoke, plans: Path) -> None:
    path = plans / HMIP
    plant(plans, "Drop-in at the youth centre, TQ1 3HR")
    source = path.read_text(encoding="utf-8")
    line = "measure: Drop-in at the youth centre, TQ1 3HR"
    path.write_text(source.replace(line, line + "  # yotplan: allow YP304 the centre's postcode"), encoding="utf-8")
    assert "YP304" not in cli("check", "--plans", plans, "--today", "2022-06-01").stdout


def test_an_allow_comment_without_a_reason_allows_nothing(cli: Invoke, plans: Path) -> None:
    plant(plans, "Drop-in at the youth centre, TQ1 3HR", comment="# yotplan: allow YP304")
    assert "YP304" in cli("check", "--plans", plans, "--today", "2022-06-01").stdout


def test_an_allow_comment_allows_only_the_codes_it_names(cli: Invoke, plans: Path) -> None:
    plant(plans, "Drop-in at the youth centre, TQ1 3HR", comment="# yotplan: allow YP305 a switchboard")
    assert "YP304" in cli("check", "--plans", plans, "--today", "2022-06-01").stdout


def test_an_owners_role_is_checked_too(cli: Invoke, plans: Path) -> None:
    path = plans / "owners.yaml"
    source = path.read_text(encoding="utf-8")
    assert "role: YOT Manager\n" in source
    path.write_text(source.replace("role: YOT Manager\n", "role: YOT Manager (ring 07700 900123)\n", 1), "utf-8")
    result = cli("check", "--plans", plans, "--today", "2022-06-01")
    assert any(row.startswith(f"{path}:") and " YP305 " in row for row in result.stdout.splitlines())


def test_an_edit_that_adds_it_is_written_and_warned_about(cli: Invoke, plans: Path) -> None:
    result = cli("log", "HMIP-1.1", "Met J.S. (15) at the Board", "--plans", plans, "--today", "2022-06-01")
    assert result.exit_code == 0
    assert "YP307" in result.stderr
    assert "J.S. (15)" not in result.stderr
    assert "Met J.S. (15) at the Board" in (plans / HMIP).read_text(encoding="utf-8")


def test_allowed_codes_directly() -> None:
    from yotplan.rules.file_checks import allowed_codes

    text = "a: 1\nb: x  # yotplan: allow YP304, yp305 the office line\n# yotplan: allow YP301\nc: 2\n"
    assert allowed_codes(text) == {2: {"YP304", "YP305"}}  # line 3 has no reason, and line 4 is not one
