"""The personal-data guard through the CLI: where it runs, what it prints, and reviewed exceptions.

The detector itself (what looks like personal data and what does not) is tested in
test_personal_data.py against its corpus; here, one planted finding per test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


def test_a_landline_passes_only_in_an_owners_contact_not_in_its_role(cli: Invoke, plans: Path) -> None:
    """Only `contact` and `email` are work-contact fields: in the role, a desk number is flagged."""
    path = plans / "owners.yaml"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("role: YOT Manager\n", "role: YOT Manager (desk 01632 960123)\n", 1), "utf-8")
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


# Issue 17, case 6: every string and every comment, not only the free-text fields -------------------

CHILD_PLAN = """# Referral from {postcode_comment}
source:
  id: CS
  title: Case study of {name_age}
  kind: other
  url: mailto:{email}
recommendations:
  - id: CS-1
    text: Keep the Board informed
    to: {dob}
    theme: {nhs}
    actions:
      - id: CS-1.1
        title: Review the plan
        owner: yot-manager
        due: 2022-09-30
        status: not-started
    indicators:
      - id: CS-1-calls
        name: Calls returned
        unit: calls to {phone}
        better: higher
        target: {{date: 2023-03-31, value: 10}}
  - id: CS-2
    text: Share the record  # PNC {pnc}
"""
CHILD = {
    "postcode_comment": "TQ1 3HR",
    "name_age": "Jayden Smith, aged 15",
    "email": "jayden.smith2008@example.org",
    "dob": "DOB 03/04/2008",
    "nhs": "943 476-5919",
    "phone": "0044 7700 900123",
    "pnc": "2008/0123456Z",
}
CHILD_CODES = {"YP304", "YP307", "YP306", "YP301", "YP302", "YP305", "YP308"}


def test_a_plan_holding_a_childs_details_in_every_field_does_not_pass_strict(cli: Invoke, plans: Path) -> None:
    """The issue's case: name with age, date of birth, NHS number, postcode, email, phone and PNC
    id, each where the guard did not look (a comment, the source's title and url, `to`, `theme`,
    an indicator's unit, a comment after a value), passed `check --strict` with "no problems"."""
    (plans / "case-study.yaml").write_text(CHILD_PLAN.format(**CHILD), encoding="utf-8")
    result = cli("check", "--plans", plans, "--strict", "--format", "json", "--today", "2022-06-01")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    found = {(p["code"], p["line"]) for p in problems if p["path"].endswith("case-study.yaml") and p["code"] >= "YP3"}
    assert found == {("YP304", 1), ("YP307", 4), ("YP306", 6), ("YP301", 10), ("YP302", 11), ("YP305", 21),
                     ("YP308", 25)}  # fmt: skip
    assert {code for code, _ in found} == CHILD_CODES
    for value in CHILD.values():
        assert value not in result.stdout  # masked, every one
    text = cli("check", "--plans", plans, "--strict", "--today", "2022-06-01")
    assert f"{plans / 'case-study.yaml'}:1:17: error YP304 the comment on line 1 looks like a postcode" in text.stdout
    assert "`to` of CS-1 looks like a date of birth" in text.stdout
    assert "`unit` of CS-1-calls looks like a phone number" in text.stdout


@pytest.mark.parametrize(
    ("file", "old", "new", "code"),
    [
        ("owners.yaml", "agency: Torbay Council\n", "agency: Torbay Council, TQ1 3HR\n", "YP304"),
        ("owners.yaml", "  yot-manager:\n", "  jayden-smith-07700900123:\n", "YP305"),
        ("service.yaml", "name: Torbay Youth Offending Service", "name: Torbay YOS (07700 900123)", "YP305"),
        ("service.yaml", "region: South West", "region: South West, TQ1 3HR", "YP304"),
        ("boards.yaml", "    name: YOT Management Board\n", "    name: YOT Management Board  # DOB 03/04/2008\n",
         "YP301"),
        (HMIP, "    to: YOT Management Board\n", "    to: j.smith@example.org\n", "YP306"),
        (HMIP, "kind: inspection\n", "kind: inspection\n  url: https://example.org/?nhs=9434765919\n", "YP302"),
    ],
)  # fmt: skip
def test_fields_and_comments_that_were_never_scanned_are(
    cli: Invoke, plans: Path, file: str, old: str, new: str, code: str
) -> None:
    path = plans / file
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    result = cli("check", "--plans", plans, "--strict", "--format", "json", "--today", "2022-06-01")
    found = [p for p in json.loads(result.stdout) if p["code"].startswith("YP3")]
    assert [(Path(p["path"]).name, p["code"]) for p in found] == [(file, code)]
    assert result.exit_code == 1
    for data in ("07700 900123", "07700900123", "TQ1 3HR", "03/04/2008", "j.smith@", "9434765919"):
        assert data not in found[0]["message"]  # masked, in the field's name too (an owner key)


CONTACTS = [
    ("contact", "yot.manager@torbay.gov.uk", None),
    ("contact", "youth-justice@torbay.gov.uk", None),
    ("contact", "01803 208100", None),
    ("contact", "jayden.smith@torbay.gov.uk", "YP306"),
    ("contact", "j.smith@torbay.gov.uk", "YP306"),
    ("contact", "yot.manager2@torbay.gov.uk", "YP306"),
    ("contact", "07700 900123", "YP305"),
    ("email", "camhs.lead@nhs.example", None),
    ("email", "jayden.smith@nhs.example", "YP306"),
]


@pytest.mark.parametrize(("field", "contact", "code"), CONTACTS)
def test_an_owners_contact_may_hold_a_role_mailbox_or_landline_but_not_a_persons(
    cli: Invoke, plans: Path, field: str, contact: str, code: str | None
) -> None:
    """`contact` and `email` are the work contact fields: a role mailbox is what they are for."""
    path = plans / "owners.yaml"
    source = path.read_text(encoding="utf-8")
    assert "role: YOT Manager\n" in source
    path.write_text(source.replace("role: YOT Manager\n", f"role: YOT Manager\n    {field}: {contact}\n", 1), "utf-8")
    result = cli("check", "--plans", plans, "--strict", "--format", "json", "--today", "2022-06-01")
    codes = [p["code"] for p in json.loads(result.stdout) if p["code"].startswith("YP3")]
    assert codes == ([code] if code else [])


def test_a_role_mailbox_in_free_text_is_still_flagged(cli: Invoke, plans: Path) -> None:
    plant(plans, "Send the referral to yot.manager@torbay.gov.uk")
    result = cli("check", "--plans", plans, "--format", "json", "--today", "2022-06-01")
    assert [p["code"] for p in json.loads(result.stdout) if p["code"].startswith("YP3")] == ["YP306"]


def test_a_hash_inside_a_quoted_or_block_scalar_is_text_not_a_comment() -> None:
    from yotplan.rules.file_checks import comments

    text = 'a: "x # TQ1 3HR"\nb: |\n  # TQ1 3HR\n  y\nc: z # real\n# own line\n'
    assert list(comments(text)) == [(5, 6, " real"), (6, 1, " own line")]
    # single quotes and a folded block are text too; a comment line just before a quoted value is a comment
    text = "a: 'x # TQ1 3HR'\nb: >\n  # folded TQ1 3HR\n  y\n# own line\nc: \"z\"\n"
    assert list(comments(text)) == [(5, 1, " own line")]


def test_an_owner_key_holding_a_date_of_birth_is_masked_in_every_message(cli: Invoke, plans: Path) -> None:
    """YP104 (an unknown owner, with its "did you mean") and YP113 (a key that is not a slug) quote
    the key: a child's details typed as an owner must not reach the log through them either."""
    owners = plans / "owners.yaml"
    owners.write_text(
        owners.read_text(encoding="utf-8").replace("  yot-manager:", '  "Jo Bloggs DOB 12/03/2010":', 1),
        encoding="utf-8",
    )
    hmip = plans / HMIP
    hmip.write_text(
        hmip.read_text(encoding="utf-8").replace("owner: yot-manager", 'owner: "Jo Bloggs DOB 12/03/2011"', 1),
        encoding="utf-8",
    )
    result = cli("check", "--plans", plans, "--today", "2022-06-01")
    codes = {code for row in result.stdout.splitlines() for code in ("YP104", "YP113", "YP301") if f" {code} " in row}
    assert codes == {"YP104", "YP113", "YP301"}
    assert "Jo Bloggs DOB 12••" in result.stdout  # the rest of the key is shown, so the line can be found
    assert "12/03/2010" not in result.stdout
    assert "12/03/2011" not in result.stdout


def test_an_owners_edit_that_adds_it_is_warned_about_once(cli: Invoke, plans: Path) -> None:
    added = cli("add", "owner", "camhs-duty", "--role", "CAMHS duty worker (ring 07700 900123)", "--agency", "NHS",
                "--plans", plans, "--today", "2022-06-01")  # fmt: skip
    assert (added.exit_code, added.stdout) == (0, f"added owner camhs-duty to {plans / 'owners.yaml'}\n")
    owners = plans / "owners.yaml"
    line = owners.read_text(encoding="utf-8").splitlines().index("    role: CAMHS duty worker (ring 07700 900123)") + 1
    assert added.stderr.startswith(
        f"{owners}:{line}:11: warning YP305 role of owner camhs-duty looks like a phone number (07••••••••23): "
    )
    assert len(added.stderr.splitlines()) == 1
    # The next edit of the file leaves that line as it was: nothing new to warn about.
    again = cli("add", "owner", "camhs-lead-2", "--role", "CAMHS lead", "--agency", "NHS",
                "--plans", plans, "--today", "2022-06-01")  # fmt: skip
    assert (again.exit_code, again.stderr) == (0, "")
