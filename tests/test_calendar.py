"""`yotplan calendar`: the .ics file parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from icalendar import Calendar

from gitrepo import REPORT_PLANS
from yotplan.plans.loader import load_plans
from yotplan.report.ics import build_calendar, event_uid

from conftest import SHIPPED_PLANS, TODAY, Invoke


def calendar_file(cli: Invoke, folder: Path, target: Path) -> Calendar:
    result = cli("calendar", "--plans", folder, "--today", TODAY, "-o", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    return Calendar.from_ical(target.read_bytes())


def test_one_all_day_event_per_open_action_with_a_due_date(cli: Invoke, tmp_path: Path) -> None:
    events = calendar_file(cli, REPORT_PLANS, tmp_path / "due.ics").walk("VEVENT")
    # is done and B-1.2 dropped: no events for them.
    assert [str(e["uid"]) for e in events] == [
        "a-1.1@yotplan.alpha.report",
        "a-2.1@yotplan.alpha.report",
        "a-2.2@yotplan.alpha.report",
        "b-1.1@yotplan.beta.report",
    ]
    first = events[0]
    assert first.decoded("dtstart") == date(2022, 5, 1)
    assert type(first.decoded("dtstart")) is date  # a DATE, so all-day, not a date-time
    assert first.decoded("dtend") == date(2022, 5, 2)
    assert str(first["summary"]) == "A-1.1: Brief the Board"
    assert str(first["description"]) == (
        "Owner: YOT Manager, Example Council\n"
        "Status: in progress\n"
        "Recommendation A-1 (ALPHA): Make the Board understand the children.\n"
        "Measure: Every member briefed."
    )
    hostile = events[1]
    assert str(hostile["summary"]) == "A-2.1: <script>alert(1)</script> {{ 7*7 }} & \"double\" 'single' | *stars*"


def test_shipped_plans_event_count_and_unique_stable_uids(cli: Invoke, tmp_path: Path) -> None:
    plans = load_plans(SHIPPED_PLANS).plans
    open_with_due = [r.action for r in plans.actions() if r.action.is_open and r.action.due]
    first = calendar_file(cli, SHIPPED_PLANS, tmp_path / "one.ics")
    second = calendar_file(cli, SHIPPED_PLANS, tmp_path / "two.ics")
    uids = [str(e["uid"]) for e in first.walk("VEVENT")]
    assert len(uids) == len(open_with_due) > 0
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["uid"]) for e in second.walk("VEVENT")]
    assert all(type(e.decoded("dtstart")) is date for e in first.walk("VEVENT"))
    assert str(first["x-wr-calname"]) == "Action plan due dates"


def test_uid_survives_a_moved_due_date_and_a_new_title(cli: Invoke, tmp_path: Path, plans: Path) -> None:
    before = {str(e["uid"]): e for e in calendar_file(cli, plans, tmp_path / "before.ics").walk("VEVENT")}
    path = plans / "hmip-inspection.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("due: 2022-07-31") == 1
    path.write_text(
        text.replace("due: 2022-07-31", "due: 2022-08-31").replace(
            "title: Secure regular CAMHS attendance", "title: Secure CAMHS attendance"
        ),
        encoding="utf-8",
    )
    after = {str(e["uid"]): e for e in calendar_file(cli, plans, tmp_path / "after.ics").walk("VEVENT")}
    assert set(after) == set(before)
    moved = after["hmip-1.1@yotplan.hmip.torbay"]
    assert moved.decoded("dtstart") == date(2022, 8, 31)
    assert str(moved["summary"]).startswith("HMIP-1.1: Secure CAMHS attendance")


def test_stdout_and_file_are_the_same_bytes(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "due.ics"
    calendar_file(cli, REPORT_PLANS, target)
    result = cli("calendar", "--plans", REPORT_PLANS, "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout_bytes == target.read_bytes()
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_uid_is_safe_text() -> None:
    assert event_uid("LGA-a.1", "LGA", "torbay") == "lga-a.1@yotplan.lga.torbay"
    assert event_uid("X 1/2", "Peer Review", "North: East") == "x-1-2@yotplan.peer-review.north-east"


def test_owner_filter_keeps_one_owners_due_dates(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "mine.ics"
    result = cli("calendar", "--plans", REPORT_PLANS, "--today", TODAY, "--owner", "yot-manager", "-o", target)
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.from_ical(target.read_bytes())
    # is the Board Chair's; the UIDs are the same as in the full feed, so events stay put
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [
        "a-1.1@yotplan.alpha.report",
        "a-2.2@yotplan.alpha.report",
        "b-1.1@yotplan.beta.report",
    ]
    assert str(calendar["x-wr-calname"]) == "Action plan due dates: yot-manager"
    both = cli(
        "calendar", "--plans", REPORT_PLANS, "--today", TODAY, "--owner", "yot-manager", "--owner", "board-chair"
    )
    assert both.stdout_bytes.count(b"BEGIN:VEVENT") == 4


def test_unknown_owner_is_a_usage_error_naming_the_closest(cli: Invoke) -> None:
    result = cli("calendar", "--plans", REPORT_PLANS, "--owner", "yot-manger")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'yot-manger' is not known (did you mean 'yot-manager'?)" in " ".join(
        result.stderr.replace("│", " ").split()
    )


def test_sequence_and_last_modified_come_from_the_revisions_given() -> None:
    plans = load_plans(REPORT_PLANS).plans
    moved = datetime(2022, 6, 10, 14, 30, tzinfo=timezone(timedelta(hours=1)))  # converted to UTC
    ics = build_calendar(plans, date(2022, 6, 1), revisions={(plans.service, "B-1.1"): (2, moved)}).ics
    events = {str(e["uid"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    assert events["b-1.1@yotplan.beta.report"].decoded("sequence") == 2
    assert events["b-1.1@yotplan.beta.report"].decoded("last-modified") == moved
    assert b"\r\nLAST-MODIFIED:20220610T133000Z\r\n" in ics
    # an action the mapping does not name: SEQUENCE 0, modified as stamped (today at midnight UTC)
    assert events["a-1.1@yotplan.alpha.report"].decoded("sequence") == 0
    assert events["a-1.1@yotplan.alpha.report"].decoded("last-modified") == datetime(2022, 6, 1, tzinfo=UTC)
    assert build_calendar(plans, date(2022, 6, 1)).ics.count(b"\r\nSEQUENCE:0\r\n") == 4
