"""Issue 17, cases 8 and 9 (dates), through the real `yotplan` process: service ids are slugs and
unique across the folders of one run, calendar UIDs are unique across services (also when each
service's calendar is made on its own), and a date past what a format can hold is one line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from hostile_support import TODAY, run

from conftest import SHIPPED_PLANS


def service(root: Path, name: str, service_id: str) -> Path:
    """A copy of the shipped plans at root/NAME/plans with `id: SERVICE_ID` in its service.yaml."""
    plans = root / name / "plans"
    shutil.copytree(SHIPPED_PLANS, plans)
    path = plans / "service.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\nid: torbay\n") == 1
    path.write_text(text.replace("\nid: torbay\n", f"\nid: {service_id}\n"), encoding="utf-8")
    return plans


def id_line(plans: Path) -> int:
    return (plans / "service.yaml").read_text(encoding="utf-8").splitlines().index(
        next(
            line for line in (plans / "service.yaml").read_text(encoding="utf-8").splitlines() if line.startswith("id:")
        )
    ) + 1


def test_two_folders_with_one_service_id_are_an_error_naming_both(tmp_path: Path) -> None:
    first, second = service(tmp_path, "a", "same"), service(tmp_path, "b", "same")
    ran = run("check", "--plans", first, "--plans", second, "--today", TODAY)
    assert ran.code == 1
    found = [line for line in ran.stdout.splitlines() if "YP014" in line]
    assert len(found) == 2, ran.stdout
    for plans, line in zip((first, second), found, strict=True):
        assert line.startswith(f"{plans / 'service.yaml'}:{id_line(plans)}:1: error YP014 service id 'same'")
        assert f"({first} and {second})" in line
    alone = run("check", "--plans", first, "--today", TODAY)
    assert "YP014" not in alone.stdout


@pytest.mark.parametrize("command", [["show"], ["update", "--status", "done"]])
def test_service_colon_id_never_picks_one_of_two_folders(tmp_path: Path, command: list[str]) -> None:
    first, second = service(tmp_path, "a", "same"), service(tmp_path, "b", "same")
    before = [(p / "hmip-inspection.yaml").read_bytes() for p in (first, second)]
    args = [command[0], "same:HMIP-1", *command[1:], "--plans", first, "--plans", second]
    ran = run(*args, "--today", TODAY)
    assert ran.code != 0
    assert ran.stdout == ""
    assert "2 plans folders have the service id 'same'" in ran.stderr
    assert str(first) in ran.stderr
    assert str(second) in ran.stderr
    assert [(p / "hmip-inspection.yaml").read_bytes() for p in (first, second)] == before


@pytest.mark.parametrize("bad", ["North East", "north:east", "'-x'", "a..b"])
def test_a_service_id_that_is_not_a_slug_is_an_error(tmp_path: Path, bad: str) -> None:
    plans = service(tmp_path, "a", bad)
    ran = run("check", "--plans", plans, "--today", TODAY)
    assert ran.code == 1
    assert f"{plans / 'service.yaml'}:{id_line(plans)}:1: error YP013 service id " in ran.stdout
    assert "is not a slug" in ran.stdout


def uids(ics: str) -> list[str]:
    return re.findall(r"^UID:(.*?)\r?$", ics, flags=re.MULTILINE)


def test_calendar_uids_differ_between_services_each_made_on_its_own(tmp_path: Path) -> None:
    """Two services' calendars, each made alone and subscribed to side by side, never share a UID."""
    north, south = service(tmp_path, "n", "north"), service(tmp_path, "s", "south")
    alone = [uids(run("calendar", "--plans", p, "--today", TODAY).stdout) for p in (north, south)]
    assert alone[0]
    assert len(alone[0]) == len(alone[1])
    assert not set(alone[0]) & set(alone[1])
    together = uids(run("calendar", "--plans", north, "--plans", south, "--today", TODAY).stdout)
    assert sorted(together) == sorted(alone[0] + alone[1]), "a service's events keep their UIDs in a joint calendar"
    assert "hmip-1.1@yotplan.hmip.north" in alone[0]


# Dates past what a format can hold.


def test_an_export_past_2107_is_one_line_not_a_crash(tmp_path: Path) -> None:
    """A zip entry's timestamp ends in 2107: `export --today 2108-01-01` exited 3."""
    target = tmp_path / "pack.xlsx"
    ran = run("export", "--plans", SHIPPED_PLANS, "--today", "2108-01-01", "-o", target)
    assert ran.code == 1, ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1, ran.stderr
    assert "2107" in ran.stderr
    assert not target.exists()
    ran = run("export", "--plans", SHIPPED_PLANS, "--today", "2107-12-31", "-o", target)
    assert ran.code == 0, ran.stderr
    assert target.read_bytes().startswith(b"PK")


@pytest.mark.parametrize("today", ["9999-12-31", "9999-12-30"])
def test_a_calendar_at_the_ends_of_time_is_whole_or_one_line(tmp_path: Path, today: str) -> None:
    plans = service(tmp_path, "a", "torbay")
    hmip = plans / "hmip-inspection.yaml"
    hmip.write_text(hmip.read_text(encoding="utf-8").replace("due: 2022-07-31", "due: 9999-12-31", 1))
    ran = run("calendar", "--plans", plans, "--today", today)
    assert ran.code in (0, 1), ran.stderr
    if ran.code == 0:
        assert ran.stdout.startswith("BEGIN:VCALENDAR")
        assert ran.stdout.rstrip().endswith("END:VCALENDAR")
    else:
        assert "internal error" not in ran.stderr
