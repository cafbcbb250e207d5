"""`yotplan init`: a new plans folder that passes `check` on any date, and never overwrites."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from edit_support import snapshot
from yotplan.edit.scaffold import service_id_for
from yotplan.errors import EditRefused
from yotplan.plans.json_schema import SCHEMAS, json_schema

from conftest import TODAY, Invoke


def test_init_creates_a_folder_that_check_passes(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "plans"
    result = cli("init", folder, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"created {folder}/service.yaml\n"
        f"created {folder}/boards.yaml\n"
        f"created {folder}/owners.yaml\n"
        f"created {folder}/self-assessment.yaml\n"
        f"created {folder}/schema/plan.schema.json\n"
        f"created {folder}/schema/owners.schema.json\n"
        f"created {folder}/schema/boards.schema.json\n"
        f"created {folder}/schema/service.schema.json\n"
        f"next: edit {folder}/owners.yaml, then run `yotplan check --plans {folder}`\n"
    )
    check = cli("check", "--plans", folder, "--today", TODAY, "--strict")
    assert check.exit_code == 0, check.stdout
    assert check.stdout == ""


@pytest.mark.parametrize("day", ["1990-01-01", "2022-06-01", "2099-12-31"])
def test_the_example_has_no_errors_on_any_date(cli: Invoke, tmp_path: Path, day: str) -> None:
    folder = tmp_path / "plans"
    assert cli("init", folder, "--today", TODAY).exit_code == 0
    assert cli("check", "--plans", folder, "--today", day).exit_code == 0


def test_init_names_the_service_and_its_board(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "north-devon" / "plans"
    named = cli("init", folder, "--service-name", "North Devon Youth Justice Service", "--today", TODAY)
    assert named.exit_code == 0, named.stderr
    service = (folder / "service.yaml").read_text(encoding="utf-8")
    assert service.endswith("\nid: north-devon\nname: North Devon Youth Justice Service\n")
    assert "# Which youth justice service these plans belong to." in service
    boards = (folder / "boards.yaml").read_text(encoding="utf-8")
    assert "  yot-board:\n    name: YOT Management Board\n    chair: board-chair" in boards
    assert "yotplan add meeting yot-board --date YYYY-MM-DD" in boards
    refused = cli("init", tmp_path / "x", "--service", "not a slug", "--today", TODAY)
    assert refused.exit_code == 1
    assert "'not a slug' is not a service id" in refused.stderr


def test_add_board_and_add_source(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    assert cli("init", folder, "--today", TODAY).exit_code == 0
    before = (folder / "boards.yaml").read_text(encoding="utf-8")
    board = cli("add", "board", "csp", "--name", "Community Safety Partnership", "--chair", "board-chair",
                "--plans", folder, "--today", TODAY)  # fmt: skip
    assert board.exit_code == 0, board.stderr
    assert (folder / "boards.yaml").read_text(encoding="utf-8") == (
        before + "  csp:\n    name: Community Safety Partnership\n    chair: board-chair\n"
    )
    again = cli("add", "board", "CSP", "--name", "x", "--plans", folder, "--today", TODAY)
    assert "board 'csp' already exists" in again.stderr
    source = cli("add", "source", "LGA", "--title", "Peer review", "--kind", "peer-review",
                 "--date", "2022-05-06", "--plans", folder, "--today", TODAY)  # fmt: skip
    assert source.exit_code == 0, source.stderr
    assert source.stdout.startswith(f"added source LGA in {folder / 'lga.yaml'} (created)")
    text = (folder / "lga.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema/plan.schema.json\n")
    assert text.endswith(
        "source:\n  id: LGA\n  title: Peer review\n  kind: peer-review\n  date: 2022-05-06\nrecommendations: []\n"
    )
    added = cli("add", "recommendation", "-s", "lga", "--text", "Appoint a YOT Manager", "-o", "yot-manager",
                "--action-title", "Recruit", "--action-due", "2022-09-30",
                "--plans", folder, "--today", TODAY)  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert "added recommendation LGA-1 (first action LGA-1.1)" in added.stdout
    twice = cli("add", "source", "lga", "--title", "t", "--kind", "other", "--plans", folder, "--today", TODAY)
    assert "source 'LGA' already has a plan file" in twice.stderr
    assert cli("check", "--plans", folder, "--today", TODAY).exit_code == 0


def test_the_schema_lines_point_at_the_schemas_it_writes(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    assert cli("init", folder, "--today", TODAY).exit_code == 0
    kinds = {
        "self-assessment.yaml": "plan",
        "owners.yaml": "owners",
        "boards.yaml": "boards",
        "service.yaml": "service",
    }
    for name, kind in kinds.items():
        schema = json_schema(SCHEMAS[kind])
        first = (folder / name).read_text(encoding="utf-8").splitlines()[0]
        target = first.removeprefix("# yaml-language-server: $schema=")
        assert json.loads((folder / target).read_text(encoding="utf-8")) == schema


def test_init_then_edit(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    assert cli("init", folder, "--today", TODAY).exit_code == 0
    steps = [
        ("add", "owner", "camhs-lead", "--role", "CAMHS lead", "--agency", "NHS"),
        ("add", "action", "SA-1", "--title", "Second step", "--owner", "camhs-lead", "--due", "2022-09-30"),
        ("update", "SA-1.1", "--status", "done"),
        ("log", "SA-1.2", "Started."),
    ]
    before = snapshot(folder)
    for step in steps:
        result = cli(*step, "--plans", folder, "--today", TODAY)
        assert result.exit_code == 0, (step, result.stderr)
    measure = "        measure: Every recommendation has an owner and at least one action with a due date.\n"
    plan = before["self-assessment.yaml"]
    assert plan.endswith("        status: not-started\n" + measure)
    assert snapshot(folder) == {
        "service.yaml": before["service.yaml"],  # init's registries, untouched by the edits
        "boards.yaml": before["boards.yaml"],
        "owners.yaml": before["owners.yaml"] + "\n  camhs-lead:\n    role: CAMHS lead\n    agency: NHS\n",
        "self-assessment.yaml": plan.removesuffix("        status: not-started\n" + measure)
        + "        status: done\n"
        + "        completed: 2022-06-01\n"
        + measure
        + "      - id: SA-1.2\n"
        + "        title: Second step\n"
        + "        owner: camhs-lead\n"
        + "        due: 2022-09-30\n"
        + "        status: not-started\n"
        + "        updates:\n"
        + "          - date: 2022-06-01\n"
        + "            note: Started.\n",
    }
    assert cli("check", "--plans", folder, "--today", TODAY).exit_code == 0


def test_init_never_overwrites(cli: Invoke, tmp_path: Path, plans: Path) -> None:
    before = {p.name: p.read_bytes() for p in plans.iterdir()}
    result = cli("init", plans, "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == (
        f"yotplan: error: {plans} already has boards.yaml, hmip-inspection.yaml, improvement-review.yaml, "
        "lga-peer-review.yaml, owners.yaml, service.yaml; `yotplan init` never overwrites a plan\n"
    )
    assert {p.name: p.read_bytes() for p in plans.iterdir()} == before


def test_init_refuses_when_a_schema_file_exists(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    (folder / "schema").mkdir(parents=True)
    (folder / "schema" / "plan.schema.json").write_text("{}", encoding="utf-8")
    result = cli("init", folder, "--today", TODAY)
    assert result.exit_code == 1
    assert "already has" in result.stderr
    assert sorted(p.name for p in folder.rglob("*")) == ["plan.schema.json", "schema"]


def test_init_on_a_file_is_refused(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "plans").write_text("x", encoding="utf-8")
    result = cli("init", tmp_path / "plans", "--today", TODAY)
    assert result.exit_code == 1
    assert result.stderr == f"yotplan: error: {tmp_path / 'plans'} is a file; `yotplan init` makes a new plans folder\n"


@pytest.mark.parametrize(
    ("holder", "service_id"),
    [
        ("North Devon_YJS 2", "north-devon-yjs-2"),  # each run of other characters is one dash
        ("Torbay", "torbay"),
        ("--", "service"),  # nothing left of the name
        ("Plans für Köln", "service"),  # letters a service id cannot hold
    ],
)
def test_the_service_id_is_the_holding_folders_name_as_a_slug(
    cli: Invoke, tmp_path: Path, holder: str, service_id: str
) -> None:
    folder = tmp_path / holder / "plans"
    assert service_id_for(folder) == service_id
    result = cli("init", folder, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert (
        (folder / "service.yaml")
        .read_text(encoding="utf-8")
        .endswith(f"\nid: {service_id}\nname: Example Youth Justice Service\n")
    )


def test_the_example_action_is_due_thirty_days_after_the_day_of_init(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    assert cli("init", folder, "--today", "2022-06-01").exit_code == 0
    example = (folder / "self-assessment.yaml").read_text(encoding="utf-8")
    assert "  date: 2022-06-01\n" in example
    assert "        due: 2022-07-01\n" in example


def test_a_day_too_late_to_start_a_plan_on_is_refused_in_one_line(cli: Invoke, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "plans", "--today", "9999-12-31")
    assert result.exit_code == 1
    assert result.stderr == (
        "yotplan: error: 9999-12-31 is too late a date to start a plan on; give --today a real date\n"
    )
    assert not (tmp_path / "plans").exists()


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (FileExistsError(17, "File exists"), "{path} appeared while `init` was running; it was left as it is"),
        (PermissionError(13, "Permission denied", "owners.yaml"), "cannot create {path}: Permission denied"),
        (OSError("the disk went away"), "cannot create {path}: the disk went away"),  # no strerror
    ],
)
def test_a_starter_file_that_cannot_be_created_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, says: str
) -> None:
    from yotplan.edit import scaffold

    real_create = scaffold.create_file

    def create_file(path: Path, data: bytes) -> None:
        if path.name == "owners.yaml":
            raise error
        real_create(path, data)

    monkeypatch.setattr(scaffold, "create_file", create_file)
    folder = tmp_path / "plans"
    with pytest.raises(EditRefused) as caught:
        scaffold.create_plans_folder(folder, date(2022, 6, 1))
    assert str(caught.value) == says.format(path=folder / "owners.yaml")
