"""Many services in one command, through the CLI: three plans folders whose ids collide.

Every inspected service has an HMIP-1, so the three fixture services (`tests/fixtures/services/`:
north, south and west, each with service.yaml, owners.yaml and one plan file) all hold HMIP-1,
HMIP-1.1 and more. Judged on 2023-03-01.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from services_support import FOLDERS, NAMES, SERVICES, TODAY, three

from conftest import Invoke


def run(cli: Invoke, *args: str | Path, code: int = 0) -> str:
    result = cli(*args, "--today", TODAY)
    assert result.exit_code == code, result.stdout + result.stderr
    return str(result.stdout) if code == 0 else str(result.stderr)


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, ...]:
    """The three services copied to a temporary folder, safe to edit."""
    for name in NAMES:
        shutil.copytree(SERVICES / name, tmp_path / name)
    return tuple(tmp_path / name / "plans" for name in NAMES)


# reading commands ---------------------------------------------------------------------------


def test_status_has_a_service_column_and_every_services_recommendations(cli: Invoke) -> None:
    out = run(cli, "status", *three())
    header = out.splitlines()[1]
    assert [cell.strip() for cell in header.strip("┃").split("┃")][:3] == ["id", "service", "source"]
    rows = re.findall(r"^│ (HMIP-\d) +│ (\w+) +│", out, flags=re.MULTILINE)
    assert rows == [
        ("HMIP-1", "north"),
        ("HMIP-2", "north"),
        ("HMIP-3", "north"),
        ("HMIP-1", "south"),
        ("HMIP-2", "south"),
        ("HMIP-3", "south"),
        ("HMIP-4", "south"),
        ("HMIP-5", "south"),
        ("HMIP-1", "west"),
        ("HMIP-2", "west"),
        ("HMIP-3", "west"),
        ("HMIP-4", "west"),
    ]
    assert "12 recommendations: 5 red, 1 amber, 4 green, 2 delivered  (as at 2023-03-01)" in out


def test_status_json_and_csv_carry_the_service(cli: Invoke) -> None:
    data = json.loads(run(cli, "status", *three(), "--format", "json"))
    ids = [(rec["service"], rec["id"], rec["rag"]) for rec in data["recommendations"]]
    assert ids[:3] == [("north", "HMIP-1", "red"), ("north", "HMIP-2", "red"), ("north", "HMIP-3", "amber")]
    assert ("west", "HMIP-3", "delivered") in ids
    north_actions = [a for rec in data["recommendations"] if rec["service"] == "north" for a in rec["actions"]]
    assert {a["service"] for a in north_actions} == {"north"}
    rows = list(csv.DictReader(io.StringIO(run(cli, "status", *three(), "--format", "csv"))))
    assert [(row["service"], row["id"]) for row in rows][3:5] == [("south", "HMIP-1"), ("south", "HMIP-2")]


def test_status_ends_with_a_count_per_service(cli: Invoke) -> None:
    out = run(cli, "status", *three())
    after_table = out[out.index("12 recommendations") :]
    assert (
        "By service:\n"
        "  north: 3 recommendations: 2 red, 1 amber; 2 overdue actions\n"
        "  south: 5 recommendations: 2 red, 2 green, 1 delivered; 3 overdue actions\n"
        "  west: 4 recommendations: 1 red, 2 green, 1 delivered; 1 overdue action\n"
    ) in after_table


def test_the_count_per_service_counts_only_the_rows_shown(cli: Invoke) -> None:
    out = run(cli, "status", *three(), "--rag", "green")
    assert "  north: 0 recommendations: none; 0 overdue actions\n" in out
    assert "  south: 2 recommendations: 2 green; 0 overdue actions\n" in out


def test_status_markdown_and_json_count_per_service_and_csv_stays_one_row_each(cli: Invoke) -> None:
    markdown = run(cli, "status", *three(), "--format", "markdown")
    assert markdown.endswith(
        "\n| service | recommendations | red | amber | green | delivered | closed | dropped | overdue actions |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        "| north | 3 | 2 | 1 | 0 | 0 | 0 | 0 | 2 |\n"
        "| south | 5 | 2 | 0 | 2 | 1 | 0 | 0 | 3 |\n"
        "| west | 4 | 1 | 0 | 2 | 1 | 0 | 0 | 1 |\n"
    )
    data = json.loads(run(cli, "status", *three(), "--format", "json"))
    assert data["services"][2] == {
        "service": "west",
        "recommendations": 4,
        "summary": {"red": 1, "amber": 0, "green": 2, "delivered": 1, "closed": 0, "dropped": 0},
        "overdue_actions": 1,
    }
    assert [s["service"] for s in data["services"]] == ["north", "south", "west"]
    rows = list(csv.DictReader(io.StringIO(run(cli, "status", *three(), "--format", "csv"))))
    assert len(rows) == 12


def test_one_service_has_no_count_per_service(cli: Invoke) -> None:
    assert "By service" not in run(cli, "status", "--plans", FOLDERS[0])
    assert "| service |" not in run(cli, "status", "--plans", FOLDERS[0], "--format", "markdown")
    assert "services" not in json.loads(run(cli, "status", "--plans", FOLDERS[0], "--format", "json"))


def test_overdue_over_three_services_most_overdue_first(cli: Invoke) -> None:
    rows = list(csv.DictReader(io.StringIO(run(cli, "overdue", *three(), "--format", "csv"))))
    assert [(r["id"], r["service"], r["days overdue"]) for r in rows] == [
        ("HMIP-1.2", "south", "121"),
        ("HMIP-1.1", "north", "91"),
        ("HMIP-1.1", "south", "60"),
        ("HMIP-2.1", "north", "29"),
        ("HMIP-2.1", "west", "28"),
        ("HMIP-3.1", "south", "14"),
    ]
    data = json.loads(run(cli, "overdue", *three(), "--format", "json"))
    assert [(a["service"], a["id"]) for a in data["actions"]][:2] == [("south", "HMIP-1.2"), ("north", "HMIP-1.1")]
    table = run(cli, "overdue", *three())
    assert re.search(r"│ HMIP-1\.2 +│ south +│", table)


def test_owners_are_per_service(cli: Invoke) -> None:
    rows = json.loads(run(cli, "owners", *three(), "--format", "json"))["owners"]
    managers = {
        row["service"]: (row["agency"], row["open"], row["overdue"]) for row in rows if row["owner"] == "yot-manager"
    }
    assert managers == {
        "north": ("Northam Council", 2, 1),
        "south": ("Southcombe Council", 4, 2),
        "west": ("Westford & District Council", 1, 0),
    }
    table = run(cli, "owners", *three())
    assert re.search(r"│ yot-manager +│ south +│ YOT Manager +│ Southcombe Council", table)


def test_search_finds_in_every_service(cli: Invoke) -> None:
    data = json.loads(run(cli, "search", "camhs", *three(), "--format", "json"))
    assert [(m["service"], m["id"]) for m in data["matches"]] == [
        ("north", "HMIP-2"),
        ("north", "HMIP-2.1"),
        ("west", "HMIP-2.1"),
    ]
    rows = list(csv.DictReader(io.StringIO(run(cli, "search", "camhs", *three(), "--format", "csv"))))
    assert [row["service"] for row in rows] == ["north", "north", "west"]
    assert re.search(r"│ HMIP-2\.1 +│ west +│ action", run(cli, "search", "camhs", *three()))


def test_one_folder_has_no_service_column(cli: Invoke) -> None:
    out = run(cli, "status", "--plans", FOLDERS[0])
    assert "service" not in out.splitlines()[1]
    assert "service" not in run(cli, "overdue", "--plans", FOLDERS[0], "--format", "csv").splitlines()[0]


# --plans-list -------------------------------------------------------------------------------


def test_plans_list_as_text(cli: Invoke, tmp_path: Path) -> None:
    listing = tmp_path / "services.txt"
    listing.write_text(
        "# the South West and the North East\n" + "".join(f"{folder}\n\n" for folder in FOLDERS), encoding="utf-8"
    )
    from_list = json.loads(run(cli, "status", "--plans-list", listing, "--format", "json"))
    from_options = json.loads(run(cli, "status", *three(), "--format", "json"))
    assert from_list["recommendations"] == from_options["recommendations"]
    assert {rec["service"] for rec in from_list["recommendations"]} == set(NAMES)


def test_plans_list_as_yaml_relative_to_the_list(cli: Invoke, tmp_path: Path, copies: tuple[Path, ...]) -> None:
    listing = tmp_path / "services.yaml"
    listing.write_text("".join(f"- {name}/plans\n" for name in NAMES), encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(run(cli, "overdue", "--plans-list", listing, "--format", "csv"))))
    assert {row["service"] for row in rows} == set(NAMES)
    assert len(rows) == 6


# SERVICE:ID ---------------------------------------------------------------------------------


def test_show_an_ambiguous_id_names_the_candidates(cli: Invoke) -> None:
    err = run(cli, "show", "HMIP-1", *three(), code=1)
    assert "'HMIP-1' is in 3 services; say which: north:HMIP-1, south:HMIP-1, west:HMIP-1" in err


def test_show_service_colon_id(cli: Invoke) -> None:
    out = run(cli, "show", "north:HMIP-1", *three())
    assert "Make sure that Board members understand the needs of the children known to the service." in out
    assert "Northam Council" in out
    assert "Strengthen the Management Board" not in out  # south's HMIP-1
    action = run(cli, "show", "SOUTH:hmip-1.1", *three())
    assert "Refresh the Board's terms of reference" in action


def test_show_an_unknown_service(cli: Invoke) -> None:
    err = run(cli, "show", "east:HMIP-1", *three(), code=1)
    assert "no service is called 'east' (the services are north, south, west)" in err


def test_update_service_colon_id_edits_only_that_services_file(cli: Invoke, copies: tuple[Path, ...]) -> None:
    before = {folder: (folder / "hmip-inspection.yaml").read_bytes() for folder in copies}
    result = cli("update", "south:HMIP-1.1", "--status", "in-progress", *three(*copies), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    north, south, west = copies
    assert (north / "hmip-inspection.yaml").read_bytes() == before[north]
    assert (west / "hmip-inspection.yaml").read_bytes() == before[west]
    changed = (south / "hmip-inspection.yaml").read_text(encoding="utf-8")
    old = before[south].decode("utf-8")
    assert changed != old
    assert changed.replace("status: in-progress", "status: blocked", 1) == old  # that one line, nothing else
    data = json.loads(run(cli, "status", *three(*copies), "--format", "json"))
    statuses = {(rec["service"], a["id"]): a["status"] for rec in data["recommendations"] for a in rec["actions"]}
    assert statuses[("south", "HMIP-1.1")] == "in-progress"
    assert statuses[("north", "HMIP-1.1")] == "in-progress"  # as it was
    assert statuses[("west", "HMIP-1.1")] == "in-progress"  # as it was


def test_update_an_ambiguous_id_writes_nothing(cli: Invoke, copies: tuple[Path, ...]) -> None:
    before = [(folder / "hmip-inspection.yaml").read_bytes() for folder in copies]
    err = run(cli, "update", "HMIP-1.1", "--status", "done", *three(*copies), code=1)
    assert "say which: north:HMIP-1.1, south:HMIP-1.1, west:HMIP-1.1" in err
    assert [(folder / "hmip-inspection.yaml").read_bytes() for folder in copies] == before


# calendar -----------------------------------------------------------------------------------


def test_calendar_uids_are_distinct_per_service(cli: Invoke) -> None:
    ics = run(cli, "calendar", *three())
    events = re.findall(r"BEGIN:VEVENT\r?\n(.*?)END:VEVENT", ics, flags=re.DOTALL)
    uids = [re.search(r"^UID:(.*?)\r?$", event, flags=re.MULTILINE).group(1) for event in events]  # type: ignore[union-attr]
    assert len(uids) == len(set(uids))
    hmip_1_1 = sorted(uid for uid in uids if uid.startswith("hmip-1.1@"))
    assert hmip_1_1 == ["hmip-1.1@yotplan.hmip.north", "hmip-1.1@yotplan.hmip.south", "hmip-1.1@yotplan.hmip.west"]


@pytest.mark.parametrize("listing", ["services.txt", "services.yaml"])
def test_the_lists_in_the_fixtures_read_as_the_three_folders(cli: Invoke, listing: str) -> None:
    """The README's examples use these lists."""
    from_list = run(cli, "status", "--plans-list", SERVICES / listing, "--format", "json")
    assert from_list == run(cli, "status", *three(), "--format", "json")


def test_an_edit_among_services_finds_its_item_under_every_folders_lock(copies: tuple[Path, ...]) -> None:
    """The folder to edit is chosen after every folder is locked, so no other edit can change the
    plans between finding the item and changing it."""
    from datetime import date

    from yotplan.edit.locking import plans_lock
    from yotplan.edit.session import session_for_item
    from yotplan.errors import PlansLocked

    with session_for_item(list(copies), "west:hmip-1.1", date.fromisoformat(TODAY)) as (session, bare):
        assert bare == "hmip-1.1"
        assert Path(session.root) == copies[2]
        for folder in copies:  # each is held: a second edit of any of them would wait
            with pytest.raises(PlansLocked), plans_lock(folder, timeout=0):
                pass
    for folder in copies:  # and each is free again
        with plans_lock(folder, timeout=0):
            pass


def test_export_over_several_services_is_a_regional_workbook_with_indicators_by_exception(
    cli: Invoke, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "region.xlsx"
    out = run(cli, "export", "-o", path, *three())
    assert out == (
        f"wrote {path}: 3 services, 12 recommendations, 16 actions, 6 overdue, "
        f"3 indicators not on track (as at {TODAY})\n"
    )
    book = load_workbook(path)
    assert book.sheetnames == ["Services", "Overdue", "Indicators"]
    services = list(book["Services"].iter_rows(values_only=True))
    assert services[0] == (
        "Service", "Name", "Region", "Recommendations", "Red", "Amber", "Green", "Delivered", "Closed", "Dropped",
        "Overdue actions", "Indicators", "On track",
    )  # fmt: skip
    assert services[1:] == [
        ("north", "Northam Youth Justice Service", "North East", 3, 2, 1, 0, 0, 0, 0, 2, 2, 0),
        ("south", "Southcombe Youth Offending Service", "South West", 5, 2, 0, 2, 1, 0, 0, 3, 2, 1),
        ("west", "Westford & District Youth Justice Service", "South West", 4, 1, 0, 2, 1, 0, 0, 1, 1, 1),
    ]
    flagged = [(r[0], r[1], r[10], r[11]) for r in book["Indicators"].iter_rows(min_row=2, values_only=True)]
    assert flagged == [
        ("north", "HMIP-2-camhs-wait", "worse than its baseline", "red"),
        ("north", "HMIP-3-audits", "no reading, and its target date has passed", "red"),
        ("south", "HMIP-1-board-reports", "behind the line from its baseline to its target", "amber"),
    ]
    overdue = [(r[0], r[1], r[3], r[5]) for r in book["Overdue"].iter_rows(min_row=2, values_only=True)]
    assert overdue[0] == ("south", "HMIP-1.2", "YOT Manager, Southcombe Council", 121)  # roles, most overdue first
    assert [r[3] for r in overdue] == [121, 91, 60, 29, 28, 14]
    assert book["Services"].oddHeader.left.text == "Regional workbook (3 services): Services"
    assert path.read_bytes() == (
        run(cli, "export", "-o", tmp_path / "again.xlsx", *three()) and (tmp_path / "again.xlsx").read_bytes()
    )


def test_export_over_several_services_refuses_a_filter_of_one_pack(cli: Invoke, tmp_path: Path) -> None:
    result = cli("export", "-o", tmp_path / "region.xlsx", *three(), "--today", TODAY, "--source", "HMIP")
    assert result.exit_code == 2
    assert "a regional workbook covers every one" in result.stderr
    assert not (tmp_path / "region.xlsx").exists()
