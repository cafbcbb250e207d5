"""The edges of the rules, where a `<` for a `<=` would change what a Board is told: an indicator
exactly at its target, a value and its unit, and `# yotplan: allow` comments around one without
its reason. Each was a surviving mutant (docs/mutation-testing.md)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from yotplan.plans.loader import load_plans
from yotplan.plans.models import Action, Closure, Indicator, Measurement, Reading, Recommendation
from yotplan.plans.planset import PlanSet
from yotplan.rules.checker import check_folders
from yotplan.rules.file_checks import allowed_codes
from yotplan.rules.impact import (
    at_least_as_good,
    best_reading,
    evidence_lacking,
    expected_value,
    indicator_status,
    recommendation_stage,
    with_unit,
)
from yotplan.rules.plan_rules import RULES, check_plans
from yotplan.rules.rag import DEFAULT_SOON_DAYS, recommendation_rag

from conftest import SHIPPED_PLANS, Invoke


@pytest.mark.parametrize(
    ("value", "than", "better", "expected"),
    [(5, 5, "lower", True), (5, 5, "higher", True), (4, 5, "lower", True), (6, 5, "lower", False)],
)
def test_equal_to_the_target_is_as_good_either_way(value: float, than: float, better: str, expected: bool) -> None:
    assert at_least_as_good(value, than, better) is expected


def test_a_lower_is_better_indicator_that_reaches_its_target_exactly_has_met_it() -> None:
    indicator = Indicator(
        id="I-1",
        name="Days from referral to assessment",
        unit="days",
        better="lower",
        target=Measurement(date(2023, 3, 31), 10),
        baseline=Measurement(date(2022, 3, 31), 30),
        readings=[Reading(date(2023, 3, 31), 10)],
    )
    status = indicator_status(indicator, date(2023, 4, 1))
    assert (status.met, status.on_track, status.rag) == (True, True, "green")


def test_a_baseline_and_a_target_on_the_same_day_expect_the_target() -> None:
    indicator = Indicator(
        id="I-1",
        name="n",
        unit="%",
        better="higher",
        target=Measurement(date(2023, 3, 31), 90),
        baseline=Measurement(date(2023, 3, 31), 40),
    )
    assert expected_value(indicator, date(2023, 1, 1)) == 90


@pytest.mark.parametrize(
    ("better", "best"),
    [("higher", Reading(date(2023, 2, 28), 60)), ("lower", Reading(date(2023, 1, 31), 40))],
)
def test_the_best_reading_is_the_best_for_the_way_the_indicator_is_better(better: str, best: Reading) -> None:
    """What a refused sign-off quotes as "the best is ...": neither the first nor the latest reading."""
    readings = [Reading(date(2023, 1, 31), 40), Reading(date(2023, 2, 28), 60), Reading(date(2023, 3, 31), 50)]
    indicator = Indicator(
        id="I-1",
        name="n",
        unit="%",
        better=better,
        target=Measurement(date(2023, 12, 31), 90 if better == "higher" else 5),
    )
    assert best_reading(indicator, readings) == best


def test_of_equal_best_readings_the_latest_is_quoted() -> None:
    readings = [Reading(date(2023, 1, 31), 60), Reading(date(2023, 2, 28), 60), Reading(date(2023, 3, 31), 50)]
    indicator = Indicator(id="I-1", name="n", unit="%", better="higher", target=Measurement(date(2023, 12, 31), 90))
    assert best_reading(indicator, readings) == Reading(date(2023, 2, 28), 60)


def test_a_reading_taken_today_counts_towards_the_evidence() -> None:
    indicator = Indicator(
        id="I-1",
        name="Attendance",
        unit="%",
        better="higher",
        target=Measurement(date(2023, 12, 31), 90),
        readings=[Reading(date(2023, 3, 31), 60)],
    )
    action = Action(id="R-1.1", title="t", owner="o", due=date(2023, 1, 31), status="done")
    rec = Recommendation(id="R-1", text="t", owner="o", actions=[action], indicators=[indicator])
    assert evidence_lacking(rec, date(2023, 3, 31)) == [
        "Attendance (I-1): no reading has reached the target 90% by 2023-12-31; the best is 60% on 2023-03-31"
    ]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(75, "%", "75%"), (4, "meetings", "4 meetings"), (12.5, "days", "12.5 days"), (3, "", "3")],
)
def test_a_value_with_its_unit(value: float, unit: str, shown: str) -> None:
    assert with_unit(value, unit) == shown


def test_an_allow_without_its_reason_does_not_stop_the_next_one() -> None:
    text = "a: 1  # yotplan: allow YP304\nb: 2  # yotplan: allow YP305 the office switchboard\n"
    assert allowed_codes(text) == {2: {"YP305"}}


def test_an_allow_on_the_second_line_after_a_blank_first_line() -> None:
    assert allowed_codes("\nb: 2  # yotplan: allow YP305 the office switchboard\n") == {2: {"YP305"}}


def recommendation(due: date, closure: Closure | None = None) -> Recommendation:
    action = Action(id="R-1.1", title="t", owner="o", due=due, status="not-started")
    return Recommendation(id="R-1", text="t", owner="o", actions=[action], closure=closure)


def test_a_recommendation_signed_off_today_is_closed_today() -> None:
    closure = Closure(meeting="yot-board@2022-06-01", date=date(2022, 6, 1))
    assert recommendation_rag(recommendation(date(2022, 5, 1), closure), date(2022, 6, 1)) == "closed"
    assert recommendation_rag(recommendation(date(2022, 5, 1), closure), date(2022, 5, 31)) == "red"


def test_a_recommendation_passes_soon_on_to_its_actions() -> None:
    rec = recommendation(date(2022, 6, 1) + timedelta(days=DEFAULT_SOON_DAYS + 5))
    assert recommendation_rag(rec, date(2022, 6, 1)) == "green"
    assert recommendation_rag(rec, date(2022, 6, 1), soon=DEFAULT_SOON_DAYS + 5) == "amber"


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("owners.yaml", "role: YOT Manager\n", "role: YOT Manager (ring 07700 900123)\n", "role of owner yot-manager"),
        (
            "boards.yaml",
            "name: YOT Management Board\n",
            "name: YOT Board (ring 07700 900123)\n",
            "name of board yot-board",
        ),
    ],
)
def test_personal_data_in_an_owner_or_a_board_is_found_on_its_line(
    cli: Invoke, plans: Path, file: str, old: str, new: str, field: str
) -> None:
    path = plans / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    rows = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(rows, 1) if "07700" in row)
    column = rows[line - 1].index(new.split(": ", 1)[1].strip()) + 1  # where the value starts
    result = cli("check", "--plans", plans, "--today", "2022-06-01")
    found = [row for row in result.stdout.splitlines() if " YP305 " in row]
    assert len(found) == 1
    assert found[0].startswith(
        f"{path}:{line}:{column}: warning YP305 {field} looks like a phone number (07••••••••23)"
    )


def test_the_stage_of_a_recommendation_signed_off_today_or_delivered_without_evidence() -> None:
    done = Action(id="R-1.1", title="t", owner="o", due=date(2022, 5, 1), status="done")
    signed = Recommendation(
        id="R-1",
        text="t",
        owner="o",
        actions=[done],
        closure=Closure(meeting="yot-board@2022-06-01", date=date(2022, 6, 1)),
    )
    assert recommendation_stage(signed, date(2022, 6, 1)) == "closed"
    assert (
        recommendation_stage(Recommendation(id="R-1", text="t", owner="o", actions=[done]), date(2022, 6, 1))
        == "delivered"
    )


def test_an_indicator_without_a_reading_keeps_its_baseline_and_is_not_worse() -> None:
    baseline = Measurement(date(2022, 3, 31), 40)
    indicator = Indicator(
        id="I-1", name="n", unit="%", better="higher", target=Measurement(date(2023, 3, 31), 90), baseline=baseline
    )
    status = indicator_status(indicator, date(2022, 6, 1))
    assert (status.latest, status.on_track, status.met, status.rag, status.worse_than_baseline, status.baseline) == (
        None,
        None,
        False,
        "amber",
        False,
        baseline,
    )


def test_an_indicator_without_a_baseline_behind_its_target_is_amber_on_the_target_date_and_red_after() -> None:
    indicator = Indicator(
        id="I-1",
        name="n",
        unit="%",
        better="higher",
        target=Measurement(date(2023, 3, 31), 90),
        readings=[Reading(date(2023, 3, 1), 50)],
    )
    assert indicator_status(indicator, date(2023, 3, 31)).rag == "amber"
    assert indicator_status(indicator, date(2023, 4, 1)).rag == "red"


def test_the_reading_commands_judge_without_the_warning_rules() -> None:
    """`status` and the other reading commands run the error rules only (`every_rule=False`):
    `check` shows the warnings, a colleague's `status` does not pay for them."""
    from yotplan.rules.checker import judge

    day = date(2022, 10, 1)
    every = [p.code for p in judge([SHIPPED_PLANS], day).problems if p.severity == "warning"]
    reading = [p.code for p in judge([SHIPPED_PLANS], day, every_rule=False).problems if p.severity == "warning"]
    assert "YP201" in every  # overdue actions, on that day
    assert reading == []


VALID_CASE = Path(__file__).parent / "corpus" / "valid"
TODAY = date(2022, 6, 1)


def valid_plans_folder_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The corpus's valid plans folder, copied, with each (old, new) edit made to review.yaml."""
    folder = tmp_path / "plans"
    shutil.copytree(VALID_CASE, folder)
    (folder / "expected.txt").unlink()
    review = folder / "review.yaml"
    text = review.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    review.write_text(text, encoding="utf-8")
    return folder


def valid_plans_with(tmp_path: Path, *edits: tuple[str, str]) -> PlanSet:
    result = load_plans(valid_plans_folder_with(tmp_path, *edits))
    assert result.problems == []
    return result.plans


def found(code: str, plans: PlanSet) -> list[str]:
    return [f"{p.line}: {p.severity} {p.code} {p.message}" for p in RULES[code](plans, TODAY)]


def test_an_action_completed_today_is_not_completed_in_the_future(tmp_path: Path) -> None:
    plans = valid_plans_with(tmp_path, ("completed: 2022-04-28", "completed: 2022-06-01"))
    assert found("YP107", plans) == []


def test_an_action_is_stale_after_90_days_without_an_update_or_started_with_none(tmp_path: Path) -> None:
    """A done or recently updated action before a stale one does not end the search; a started
    action with no updates is stale, a not-started one only once it has an old update."""
    plans = valid_plans_with(
        tmp_path,
        (
            "          - date: 2022-05-06\n            note: Planning started.",
            "          - date: 2022-03-03\n            note: Planning started.",
        ),
        (
            "        due: 2022-12-31\n        status: not-started\n",
            "        due: 2022-12-31\n        status: not-started\n"
            "      - id: REV-2.2\n        title: Pilot it\n        owner: yot-manager\n        due: 2022-12-31\n"
            "        status: blocked\n"
            "      - id: REV-2.3\n        title: Review it\n        owner: yot-manager\n        due: 2022-12-31\n"
            "        status: not-started\n        updates:\n          - date: 2022-03-02\n            note: Asked.\n",
        ),
    )
    assert found("YP202", plans) == [
        "39: warning YP202 action REV-2.2 is blocked but has no updates; log progress with `yotplan log`",
        "44: warning YP202 action REV-2.3 has had no update for 91 days (last 2022-03-02); "
        "log progress with `yotplan log`",
    ]


def test_an_ongoing_action_is_flagged_after_90_quiet_days_and_a_later_one_still_is(tmp_path: Path) -> None:
    plans = valid_plans_with(
        tmp_path,
        (
            "        due: 2022-09-30\n        status: in-progress",
            "        undated: ongoing\n        status: in-progress",
        ),
        (
            "          - date: 2022-05-06\n            note: Planning started.",
            "          - date: 2022-03-03\n            note: Planning started.",
        ),
        (
            "        due: 2022-12-31\n        status: not-started\n",
            "        undated: ongoing\n        status: not-started\n"
            "      - id: REV-2.2\n        title: Pilot it\n        owner: yot-manager\n        undated: ongoing\n"
            "        status: in-progress\n        updates:\n          - date: 2022-03-02\n            note: Asked.\n"
            "      - id: REV-2.3\n        title: Review it\n        owner: yot-manager\n"
            "        undated: to-be-confirmed\n        status: not-started\n",
        ),
    )
    assert found("YP204", plans) == [
        "37: warning YP204 action REV-2.1 is ongoing with no update at all; log progress with `yotplan log`",
        "42: warning YP204 action REV-2.2 is ongoing with no update for 91 days; log progress with `yotplan log`",
        "50: warning YP204 action REV-2.3's date is to be confirmed; set it with `yotplan update REV-2.3 --due`",
    ]


def test_an_action_id_outside_its_recommendation_is_found_after_a_malformed_recommendation_id(tmp_path: Path) -> None:
    plans = valid_plans_with(
        tmp_path, ("  - id: REV-1\n", "  - id: REV 1\n"), ("      - id: REV-2.1\n", "      - id: REV-1.9\n")
    )
    assert [line.split(" does not")[0] for line in found("YP112", plans)] == ["34: error YP112 action id 'REV-1.9'"]


def test_check_plans_runs_every_rule_unless_told_otherwise(tmp_path: Path) -> None:
    """By default `check_plans` runs the warning rules and YP109, which needs every file."""
    plans = valid_plans_with(
        tmp_path, ("    related: [REV-1]", "    related: [REV-9]"), ("due: 2022-12-31", "due: 2022-05-31")
    )
    assert [p.code for p in check_plans(plans, TODAY)] == ["YP109", "YP201"]
    assert [p.code for p in check_plans(plans, TODAY, every_file_loaded=False, warnings=False)] == []


def test_a_plan_file_that_fails_to_load_leaves_out_only_the_related_rule(tmp_path: Path) -> None:
    """With one file broken, the others are still judged by every rule but YP109 (whose ids may
    be in the broken file)."""
    folder = valid_plans_folder_with(
        tmp_path,
        ("    related: [REV-1]", "    related: [LGA-1]"),
        ("    owner: yot-manager\n    related", "    owner:\n    related"),
    )
    (folder / "lga.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    problems, _ = check_folders([folder], TODAY)
    assert [(Path(p.path).name, p.code) for p in problems] == [("lga.yaml", "YP002"), ("review.yaml", "YP101")]


def test_a_sign_off_at_a_meeting_held_today_is_no_problem(tmp_path: Path) -> None:
    folder = valid_plans_folder_with(
        tmp_path,
        (
            "      meeting: yot-board@2022-05-20\n      date: 2022-05-20\n",
            "      meeting: yot-board@2022-06-01\n      date: 2022-06-01\n",
        ),
    )
    boards = folder / "boards.yaml"
    boards.write_text(boards.read_text(encoding="utf-8") + "      - date: 2022-06-01\n", encoding="utf-8")
    result = load_plans(folder)
    assert result.problems == []
    assert found("YP114", result.plans) == []


PHONE = "ring 07700 900123"


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        (
            "review.yaml",
            "  date: 2022-05-06\n",
            f"  date: 2022-05-06\n  conclusion: Good; {PHONE}\n",
            "conclusion of source REV",
        ),
        ("review.yaml", "text: Continue to develop the Board.", f"text: Continue; {PHONE}", "text of REV-1"),
        ("review.yaml", "title: Run a Board development day", f"title: Run a day; {PHONE}", "title of REV-1.1"),
        ("review.yaml", "note: Planning started.", f"note: Started; {PHONE}", "update of 2022-05-06 on REV-1.1"),
        ("review.yaml", '- "the Board is still developing"', f"- Developing; {PHONE}", "evidence 1 of REV-1.1"),
        (
            "review.yaml",
            "        status: not-started\n",
            f"        status: not-started\n        measure: Done; {PHONE}\n",
            "measure of REV-2.1",
        ),
        (
            "review.yaml",
            "name: CAMHS attendance at Board meetings",
            f"name: Attendance; {PHONE}",
            "name of indicator REV-3-camhs-attendance",
        ),
        (
            "review.yaml",
            "            value: 100\n",
            f"            value: 100\n            note: Counted; {PHONE}\n",
            "note of REV-3-camhs-attendance's 2022-05-20 reading",
        ),
        (
            "review.yaml",
            "    closure:\n",
            f"    impact:\n      - Better; {PHONE}\n    closure:\n",
            "impact evidence 1 of REV-3",
        ),
        (
            "review.yaml",
            "note: Signed off with the attendance record.",
            f"note: Signed; {PHONE}",
            "sign-off note of REV-3",
        ),
        (
            "review.yaml",
            "      date: 2022-05-20\n      note:",
            f"      date: 2022-05-20\n      reason: Agreed; {PHONE}\n      note:",
            "sign-off reason of REV-3",
        ),
        ("boards.yaml", "ref: Agenda item 4", f"ref: Item 4; {PHONE}", "ref of yot-board's 2022-05-20 meeting"),
        (
            "boards.yaml",
            "      - date: 2022-03-15\n",
            f"      - date: 2022-03-15\n        minutes: Met; {PHONE}\n",
            "minutes of yot-board's 2022-03-15 meeting",
        ),
    ],
)
def test_personal_data_in_a_free_text_field_is_named_as_a_reader_would_say_it(
    tmp_path: Path, file: str, old: str, new: str, field: str
) -> None:
    folder = valid_plans_folder_with(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "07700" in row)
    problems, _ = check_folders([folder], TODAY)
    assert [(Path(p.path).name, p.line, p.code, p.message.split(" (")[0]) for p in problems] == [
        (file, line, "YP305", f"{field} looks like a phone number")
    ]


def test_personal_data_in_a_board_key_is_found_as_a_key(tmp_path: Path) -> None:
    folder = valid_plans_folder_with(tmp_path)
    boards = folder / "boards.yaml"
    boards.write_text(
        boards.read_text(encoding="utf-8") + "  panel-07700900123:\n    name: Panel\n    chair: board-chair\n",
        encoding="utf-8",
    )
    problems, _ = check_folders([folder], TODAY)
    assert [(Path(p.path).name, p.line, p.col, p.code, p.message.split(" (")[0]) for p in problems] == [
        ("boards.yaml", 9, 3, "YP305", "key panel-07•••••••23 of boards looks like a phone number"),
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "field", "looks_like"),
    [
        (
            "owners.yaml",
            "agency: Example Council\n  board-chair:",
            f"agency: Example Council; {PHONE}\n  board-chair:",
            (4, 13),
            "`agency` of yot-manager",
            "a phone number",
        ),
        (
            "review.yaml",
            "    related: [REV-1]",
            "    related: [REV-1, 07700 900123]",
            (32, 22),
            "related 2 of REV-2",
            "a phone number",
        ),
        (
            "review.yaml",
            "          - date: 2022-05-20\n            value: 100",
            "          - date: 2022-05-20\n            value: 9434765919",
            (58, 20),
            "`value` of REV-3-camhs-attendance",
            "an NHS number",
        ),
    ],
)
def test_personal_data_in_any_other_string_or_a_large_number_is_named_by_its_key_and_id(
    tmp_path: Path, file: str, old: str, new: str, where: tuple[int, int], field: str, looks_like: str
) -> None:
    """Strings that are not free text (an agency, a `related` id) and whole numbers of six digits
    or more (an NHS number typed as a number) are searched too, named by their key or list and
    the nearest id or owner key."""
    folder = valid_plans_folder_with(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    problems, _ = check_folders([folder], TODAY)
    assert [(p.line, p.col, p.message.split(" (")[0]) for p in problems if p.code.startswith("YP3")] == [
        (*where, f"{field} looks like {looks_like}")
    ]


def personal_data_found(tmp_path: Path, old: str, new: str) -> list[tuple[int, int, str]]:
    folder = valid_plans_folder_with(tmp_path, (old, new))
    problems, _ = check_folders([folder], TODAY)
    return [(p.line, p.col, p.message.split(" (")[0]) for p in problems if p.code.startswith("YP3")]


def test_a_hash_inside_a_quoted_value_is_text_found_once_not_a_comment(tmp_path: Path) -> None:
    found = personal_data_found(tmp_path, "text: Continue to develop the Board.", 'text: "Board # ring 07700 900123"')
    assert found == [(9, 11, "text of REV-1 looks like a phone number")]


def test_an_allow_for_one_finding_of_a_value_leaves_the_next_one(tmp_path: Path) -> None:
    found = personal_data_found(
        tmp_path,
        "note: Planning started.",
        'note: "Ring 07700 900123 or jayden.smith@example.org"  # yotplan: allow YP305 the office switchboard',
    )
    assert found == [(20, 19, "update of 2022-05-06 on REV-1.1 looks like an email address")]


def test_a_comment_is_allowed_by_an_allow_on_its_own_line_or_the_line_above(tmp_path: Path) -> None:
    found = personal_data_found(
        tmp_path,
        "recommendations:\n",
        "# yotplan: allow YP305 the office switchboard\n# ring 07700 900124\n"
        "# ring 07700 900123  # yotplan: allow YP305 the office switchboard\nrecommendations:\n",
    )
    assert found == []


def test_a_comment_finding_is_a_warning_at_its_place_and_each_finding_of_it_is_allowed_alone(tmp_path: Path) -> None:
    folder = valid_plans_folder_with(
        tmp_path,
        (
            "recommendations:\n",
            "recommendations:  #ring 07700 900123 or jayden.smith@example.org  # yotplan: allow YP305 a switchboard\n",
        ),
    )
    problems, _ = check_folders([folder], TODAY)
    assert [str(p).split(" (")[0] for p in problems] == [
        f"{folder / 'review.yaml'}:7:41: warning YP306 the comment on line 7 looks like an email address"
    ]


def test_a_hash_glued_to_a_word_is_not_a_comment_and_a_file_may_start_with_one(tmp_path: Path) -> None:
    """A `#` after a letter is part of the value (found once, as the value); a comment on the
    first line of a file with no newline at its end is still read."""
    found = personal_data_found(tmp_path, "note: Planning started.", "note: See minutes#07700 900123")
    assert found == [(20, 19, "update of 2022-05-06 on REV-1.1 looks like a phone number")]
    folder = tmp_path / "plans"
    owners = folder / "owners.yaml"
    owners.write_text("#ring 07700 900123\n" + owners.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    problems, _ = check_folders([folder], TODAY)
    assert [(Path(p.path).name, p.line, p.col, p.code) for p in problems if p.code.startswith("YP3")] == [
        ("owners.yaml", 1, 7, "YP305"),
        ("review.yaml", 20, 19, "YP305"),
    ]


def test_comments_after_a_blank_first_line_and_on_a_last_line_without_a_newline(tmp_path: Path) -> None:
    folder = valid_plans_folder_with(tmp_path)
    owners = folder / "owners.yaml"
    text = owners.read_text(encoding="utf-8")
    owners.write_text(f"\n#ring 07700 900123\n{text}# ring 07700 900456", encoding="utf-8")
    last = text.count("\n") + 3
    problems, _ = check_folders([folder], TODAY)
    assert [(p.line, p.col, p.message.split(": ")[0]) for p in problems] == [
        (2, 7, "the comment on line 2 looks like a phone number (07••••••••23)"),
        (last, 8, f"the comment on line {last} looks like a phone number (07••••••••56)"),
    ]
