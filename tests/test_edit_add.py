"""`yotplan add action | recommendation | owner`, and how new ids are chosen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yotplan.edit.operations import next_action_id, next_recommendation_id
from yotplan.plans.models import Action, Recommendation
from yotplan.plans.strict_yaml import parse_yaml

from conftest import SHIPPED_PLANS, TODAY, Invoke

LGA = "lga-peer-review.yaml"


def check_passes(cli: Invoke, plans: Path) -> None:
    result = cli("check", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stdout


# ids -----------------------------------------------------------------------------------


def rec(rec_id: str, *action_ids: str) -> Recommendation:
    return Recommendation(id=rec_id, text="t", actions=[Action(id=a, title="t") for a in action_ids])


@pytest.mark.parametrize(
    ("recommendation", "taken", "expected"),
    [
        (rec("HMIP-3", "HMIP-3.1", "HMIP-3.2"), set(), "HMIP-3.3"),
        (rec("HMIP-3", "HMIP-3.1", "HMIP-3.7", "HMIP-3.2"), set(), "HMIP-3.8"),
        (rec("HMIP-3"), set(), "HMIP-3.1"),
        (rec("HMIP-3", "A", "B"), set(), "HMIP-3.1"),
        (rec("HMIP-3", "HMIP-3.1"), {"hmip-3.2"}, "HMIP-3.3"),
        (rec("LGA-j", "lga-j.2"), set(), "LGA-j.3"),
    ],
)
def test_next_action_id(recommendation: Recommendation, taken: set[str], expected: str) -> None:
    assert next_action_id(recommendation, taken) == expected


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (["HMIP-1", "HMIP-2", "HMIP-8"], "HMIP-9"),
        (["HMIP-1"], "HMIP-2"),
        (["LGA-a"], "LGA-b"),
        (["LGA-a", "LGA-y"], "LGA-z"),
        (["HMIP-9", "HMIP-10"], "HMIP-11"),
        (["LGA-a", "LGA-j"], "LGA-k"),
        (["R-A", "R-B"], "R-C"),
        (["R01", "R02"], "R03"),
        ([], "SRC-1"),
        (["LGA-a", "LGA-z"], None),
        (["HMIP-1", "LGA-a"], None),
        (["A-1", "B-2"], None),
    ],
)
def test_next_recommendation_id(existing: list[str], expected: str | None) -> None:
    assert next_recommendation_id("SRC", existing) == expected


# add action ----------------------------------------------------------------------------


def test_add_action_appends_the_next_id(cli: Invoke, plans: Path) -> None:
    before = (plans / "hmip-inspection.yaml").read_text(encoding="utf-8")
    result = cli(
        "add", "action", "HMIP-3", "--title", "Agree the new structure", "--owner", "yot-manager",
        "--due", "2022-11-30", "--measure", "The Board agreed it.", "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"added action HMIP-3.3 to HMIP-3 in {plans / 'hmip-inspection.yaml'}\n"
    anchor = (
        "        measure: The Board has considered a written review of management capacity and agreed any changes.\n"
    )
    assert (plans / "hmip-inspection.yaml").read_text(encoding="utf-8") == before.replace(
        anchor,
        anchor + "      - id: HMIP-3.3\n"
        "        title: Agree the new structure\n"
        "        owner: yot-manager\n"
        "        due: 2022-11-30\n"
        "        status: not-started\n"
        "        measure: The Board agreed it.\n",
    )
    check_passes(cli, plans)


def test_add_a_done_action_records_today(cli: Invoke, plans: Path) -> None:
    result = cli(
        "add", "action", "hmip-3", "--title", "Done already", "--owner", "yot-manager", "--due", "2022-05-31",
        "--status", "done", "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    action = parse_yaml((plans / "hmip-inspection.yaml").read_text(encoding="utf-8"))["recommendations"][2]["actions"][
        2
    ]
    assert dict(action) == {
        "id": "HMIP-3.3",
        "title": "Done already",
        "owner": "yot-manager",
        "due": "2022-05-31",
        "status": "done",
        "completed": "2022-06-01",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["HMIP-3.1"], "HMIP-3.1 is an action; add actions to its recommendation HMIP-3"),
        (["HMIP-33"], "no recommendation or action has id 'HMIP-33'; did you mean HMIP-3"),
        (["HMIP-3", "--id", "hmip-1.1"], "id 'hmip-1.1' is already used in {plans}/hmip-inspection.yaml"),
    ],
)  # fmt: skip
def test_add_action_refusals(cli: Invoke, plans: Path, args: list[str], message: str) -> None:
    before = {p.name: p.read_bytes() for p in plans.iterdir()}
    result = cli(
        "add", "action", *args, "--title", "t", "--owner", "yot-manager", "--due", "2022-11-30",
        "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith(f"yotplan: error: {message.format(plans=plans)}")
    assert result.stderr.count("\n") == 1
    assert {p.name: p.read_bytes() for p in plans.iterdir()} == before


def test_add_action_checks_the_owner(cli: Invoke, plans: Path) -> None:
    result = cli(
        "add", "action", "HMIP-3", "--title", "t", "--owner", "camhs", "--due", "2022-11-30",
        "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 1
    assert (
        result.stderr == f"yotplan: error: owner 'camhs' is not in {plans}/owners.yaml (did you mean 'camhs-lead'?)\n"
    )


def test_add_action_needs_title_owner_and_due(cli: Invoke, plans: Path) -> None:
    result = cli("add", "action", "HMIP-3", "--title", "t", "--owner", "yot-manager", "--plans", plans)
    assert result.exit_code == 2
    assert "--due" in result.stderr


# add recommendation ----------------------------------------------------------------------


def test_add_recommendation_continues_the_letters(cli: Invoke, plans: Path) -> None:
    before = (plans / LGA).read_text(encoding="utf-8")
    text = (
        "Develop a shared understanding across the partnership of the needs of children at risk of exploitation, "
        "and agree how each agency will respond."
    )
    result = cli(
        "add", "recommendation", "--source", "lga", "--text", text, "--owner", "yot-board-chair",
        "--action-title", "Agree an exploitation protocol", "--action-due", "2022-12-31",
        "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"added recommendation LGA-k (first action LGA-k.1) to {plans / LGA}\n"
    after = (plans / LGA).read_text(encoding="utf-8")
    assert after == before + (
        "\n"
        "  - id: LGA-k\n"
        "    text: >-\n"
        "      Develop a shared understanding across the partnership of the needs of children at risk of\n"
        "      exploitation, and agree how each agency will respond.\n"
        "    owner: yot-board-chair\n"
        "    actions:\n"
        "      - id: LGA-k.1\n"
        "        title: Agree an exploitation protocol\n"
        "        owner: yot-board-chair\n"
        "        due: 2022-12-31\n"
        "        status: not-started\n"
    )
    check_passes(cli, plans)


def test_add_recommendation_with_an_explicit_id_and_addressee(cli: Invoke, plans: Path) -> None:
    result = cli(
        "add", "recommendation", "-s", "HMIP", "--id", "HMIP-X", "--to", "YOT Head of Service", "--text", "Do it.",
        "--owner", "yot-manager", "--action-title", "First", "--action-due", "2022-12-31",
        "--action-owner", "camhs-lead", "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rec = parse_yaml((plans / "hmip-inspection.yaml").read_text(encoding="utf-8"))["recommendations"][-1]
    assert (rec["id"], rec["to"], rec["owner"]) == ("HMIP-X", "YOT Head of Service", "yot-manager")
    assert (rec["actions"][0]["id"], rec["actions"][0]["owner"]) == ("HMIP-X.1", "camhs-lead")
    check_passes(cli, plans)


def test_add_recommendation_needs_an_id_when_there_is_no_pattern(cli: Invoke, plans: Path) -> None:
    assert cli(
        "add", "recommendation", "-s", "HMIP", "--id", "HMIP-X", "--text", "Do it.", "--owner", "yot-manager",
        "--action-title", "First", "--action-due", "2022-12-31", "--plans", plans, "--today", TODAY,
    ).exit_code == 0  # fmt: skip
    before = (plans / "hmip-inspection.yaml").read_bytes()
    result = cli(
        "add", "recommendation", "-s", "HMIP", "--text", "Again.", "--owner", "yot-manager",
        "--action-title", "First", "--action-due", "2022-12-31", "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: cannot tell the next recommendation id of HMIP from its ids (HMIP-7, HMIP-8, HMIP-X); "
        "pass --id\n"
    )
    assert (plans / "hmip-inspection.yaml").read_bytes() == before


def test_add_recommendation_to_an_unknown_source(cli: Invoke, plans: Path) -> None:
    result = cli(
        "add", "recommendation", "-s", "HMPI", "--text", "x", "--owner", "yot-manager",
        "--action-title", "First", "--action-due", "2022-12-31", "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr == "yotplan: error: no plan file has source 'HMPI' (did you mean 'HMIP'?)\n"


# add owner -----------------------------------------------------------------------------


def test_add_owner_appends_after_a_blank_line(cli: Invoke, plans: Path) -> None:
    before = (plans / "owners.yaml").read_text(encoding="utf-8")
    result = cli(
        "add", "owner", "youth-worker-lead", "--role", "Lead Youth Worker", "--agency", "Torbay Council",
        "--contact", "yot@example.org", "--plans", plans, "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (plans / "owners.yaml").read_text(encoding="utf-8") == before + (
        "\n"
        "  youth-worker-lead:\n"
        "    role: Lead Youth Worker\n"
        "    agency: Torbay Council\n"
        "    contact: yot@example.org\n"
    )
    result = cli("update", "HMIP-1.1", "--owner", "youth-worker-lead", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    check_passes(cli, plans)


def test_an_owner_key_that_yaml_11_misreads_is_quoted(cli: Invoke, plans: Path) -> None:
    result = cli("add", "owner", "on", "--role", "r", "--agency", "a", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "\n  'on':\n    role: r\n" in (plans / "owners.yaml").read_text(encoding="utf-8")


def test_an_existing_owner_is_refused(cli: Invoke, plans: Path) -> None:
    before = (plans / "owners.yaml").read_bytes()
    result = cli("add", "owner", "YOT-Manager", "--role", "r", "--agency", "a", "--plans", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == f"yotplan: error: owner 'yot-manager' already exists in {plans}/owners.yaml\n"
    assert (plans / "owners.yaml").read_bytes() == before


@pytest.mark.parametrize("key", ["two words", "-dash", "a:b", "ünïcode"])
def test_an_owner_key_must_be_a_slug(cli: Invoke, plans: Path, key: str) -> None:
    before = (plans / "owners.yaml").read_bytes()
    # after `--`, so that `-dash` reaches the key's check rather than the option parser
    result = cli("add", "owner", "--role", "r", "--agency", "a", "--plans", plans, "--today", TODAY, "--", key)
    assert result.exit_code == 2
    message = f"Invalid value for 'KEY': {key!r} is not a key: use letters, digits, '-', '_' or '.', e.g. yot-manager"
    assert message in " ".join(result.stderr.replace("│", " ").split())
    assert (plans / "owners.yaml").read_bytes() == before


def test_an_owner_into_an_empty_owners_file(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    assert cli("init", folder, "--today", TODAY).exit_code == 0
    (folder / "owners.yaml").write_text("owners: {}\n", encoding="utf-8")
    (folder / "self-assessment.yaml").unlink()
    result = cli("add", "owner", "lead", "--role", "r", "--agency", "a", "--plans", folder, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert parse_yaml((folder / "owners.yaml").read_text(encoding="utf-8")) == {
        "owners": {"lead": {"role": "r", "agency": "a"}}
    }


def test_an_owner_needs_an_owners_file(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copyfile(SHIPPED_PLANS / "hmip-inspection.yaml", folder / "hmip-inspection.yaml")
    result = cli(
        "add", "owner", "camhs-lead", "--role", "CAMHS lead", "--agency", "NHS", "--plans", folder, "--today", TODAY
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: the owners file is missing or does not load; fix it first (`yotplan check` says how), "
        "or start a plans folder with `yotplan init`\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["hmip-inspection.yaml"]


def test_the_first_action_of_a_recommendation_goes_where_the_format_puts_actions(cli: Invoke, tmp_path: Path) -> None:
    """A recommendation written with no actions yet (YP102) and an `indicators:` list: `add action`
    writes `actions:` before `indicators:`, in the order of the format, not at the end."""
    from services_support import FOLDERS

    plans = tmp_path / "plans"
    shutil.copytree(FOLDERS[0], plans)
    path = plans / "hmip-inspection.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("    actions:\n", text.index("  - id: HMIP-3\n"))], encoding="utf-8")
    result = cli(
        "add", "action", "HMIP-3", "--title", "Audit", "--owner", "yot-manager", "--due", "2023-06-30",
        "--plans", plans, "--today", "2023-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert after[after.index("  - id: HMIP-3\n") :].startswith(
        "  - id: HMIP-3\n"
        "    text: Improve the quality assurance of assessments and plans.\n"
        "    owner: yot-manager\n"
        "    actions:\n"
        "      - id: HMIP-3.1\n"
        "        title: Audit\n"
        "        owner: yot-manager\n"
        "        due: 2023-06-30\n"
        "        status: not-started\n"
        "    indicators:\n"
    )
