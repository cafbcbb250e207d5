"""`yotplan report --meeting`, the trend over a board's meetings, awaiting sign-off and the
indicators in the report, in a real git repository with commits at set dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from gitrepo import Repo
from meeting_support import BOARDS, INDICATOR, MEETINGS, build_meeting_repo
from yotplan.report.charts import indicator_chart, rag_bar_chart

from conftest import SHIPPED_PLANS, Invoke

MEETING = "yot-board@2023-03-14"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    from typer.testing import CliRunner

    from yotplan.cli import app

    runner = CliRunner()

    def invoke(*args: str | Path) -> object:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return build_meeting_repo(invoke, tmp_path_factory.mktemp("meetings") / "repo")  # type: ignore[arg-type]


def meeting_report(cli: Invoke, repo: Repo, *args: str, meeting: str = MEETING) -> str:
    result = cli("report", "--meeting", meeting, "--plans", repo.plans, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return str(result.stdout)


def section(html: str, ident: str) -> str:
    start = html.index(f'<section id="{ident}">')
    return html[start : html.index("</section>", start)]


def test_golden_report_at_a_meeting(cli: Invoke, repo: Repo, golden: Callable[[str, str], None]) -> None:
    golden("report-meeting.html", meeting_report(cli, repo))
    golden("report-meeting.md", meeting_report(cli, repo, "--format", "markdown"))


def test_as_at_the_meeting_with_the_changes_since_the_previous_one(cli: Invoke, repo: Repo) -> None:
    md = meeting_report(cli, repo, "--format", "markdown")
    assert "As at **14 March 2023** (2023-03-14)" in md
    assert "**For the YOT Management Board, 14 March 2023**" in md
    assert "Changes since its previous meeting, 13 December 2022." in md
    changes = md[md.index("## Changes since") : md.index("## Overdue actions")]
    assert changes.startswith("## Changes since yot-board\\@2022-12-13\n\nFrom yot-board\\@2022-12-13 to yot-board")
    rows = [line for line in changes.splitlines() if line.startswith("| HMIP") or line.startswith("| LGA")]
    assert rows == [
        "| HMIP-1-camhs | Board meetings attended by CAMHS | reading added: 66.7% on 2022-12-13 |",
        "| HMIP-4-places | Children without a full-time school place | "
        "indicator added: Children without a full-time school place |",
        "| HMIP-6.1 | Assess every child who receives an out-of-court disposal | "
        "status changed from not-started to in-progress |",
        "| HMIP-6-assessed | Out-of-court disposals with an assessment | "
        "indicator added: Out-of-court disposals with an assessment |",
        "| HMIP-6-assessed | Out-of-court disposals with an assessment | reading added: 90% on 2023-01-31 |",
        "| LGA-d | Consider the establishment of a dedicated YOT Manager post. | "
        "signed off at yot-board\\@2022-12-13; why: The post is the outcome the peer review asked for |",
    ]


def test_the_trend_counts_each_meeting_from_git(cli: Invoke, repo: Repo) -> None:
    md = meeting_report(cli, repo, "--format", "markdown")
    trend = md[md.index("## At each meeting") : md.index("## Awaiting sign-off")]
    rows = [line.split(" | ") for line in trend.splitlines() if line.startswith("| 20")]
    assert [row[0].lstrip("| ") for row in rows] == list(MEETINGS)
    # red, amber, green, delivered, closed, dropped, total
    counts = {row[0].lstrip("| "): [int(cell.rstrip(" |")) for cell in row[1:]] for row in rows}
    assert counts["2022-06-14"][3] == 1  # LGA-d, delivered since the review
    assert counts["2022-09-13"][0] == 3  # HMIP-1.1 and friends overdue by the September Board
    assert counts["2022-12-13"][3:5] == [1, 0]  # signed off on the 13th, but committed on the 14th
    assert counts["2023-03-14"][3:5] == [0, 1]  # the plans as they are: LGA-d closed
    assert all(sum(c[:6]) == c[6] == 23 for c in counts.values())
    html = meeting_report(cli, repo)
    bars = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end">(\d+ \w+ \d{4})</text>', section(html, "trend"))
    assert bars == ["14 Jun 2022", "13 Sep 2022", "13 Dec 2022", "14 Mar 2023"]
    assert "Recommendations by RAG at each meeting of the YOT Management Board" in section(html, "trend")


def test_only_the_last_twelve_meetings_are_drawn(cli: Invoke, tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", SHIPPED_PLANS)
    days = [date(2021 + (m // 12), m % 12 + 1, 10) for m in range(14)]
    meetings = "".join(f"      - date: {d.isoformat()}\n" for d in days)
    board = "boards:\n  yot-board:\n    name: YOT Board\n    chair: yot-board-chair\n    meetings:\n"
    (repo.plans / "boards.yaml").write_text(board + meetings, encoding="utf-8")
    repo.commit("Plans", "2021-01-01T09:00:00+00:00")
    md = meeting_report(cli, repo, "--format", "markdown", meeting=f"yot-board@{days[-1].isoformat()}")
    trend = md[md.index("## At each meeting") : md.index("## Awaiting sign-off")]
    assert [line[2:12] for line in trend.splitlines() if line.startswith("| 20")] == [d.isoformat() for d in days[-12:]]


def test_awaiting_sign_off_and_indicators(cli: Invoke, repo: Repo) -> None:
    html = meeting_report(cli, repo)
    assert "No recommendation is delivered and waiting for sign-off." in section(html, "awaiting")
    indicators = section(html, "indicators")
    # 66.7 on 2022-12-13, below the line from 50 to 100: off track, in full with its chart
    assert f'<span class="id">{INDICATOR}</span> Board meetings attended by CAMHS' in indicators
    assert indicators.count('<svg class="spark"') == 1
    assert "66.7% on 2022-12-13 (+16.7 since the baseline, -8.3 since the reading before)" in indicators
    # on track, and not measured yet: one line each, no chart
    brief = re.findall(r"<li>(.*?)</li>", indicators[indicators.index('<ul class="brief">') :])
    brief = [line for line in brief if "HMIP-6-assessed<" in line or "-places<" in line]  # not the shipped plan's own
    assert [re.sub(r"<[^>]+>", "", line) for line in brief] == [
        "HMIP-4-places amber Children without a full-time school place: target 0 children by 2024-03-31; "
        "no reading yet",
        "HMIP-6-assessed green Out-of-court disposals with an assessment: baseline 20% on 2022-05-06, "
        "target 100% by 2023-03-31; latest 90% on 2023-01-31 (+70 since the baseline), on track",
    ]
    # LGA-d was delivered and not yet signed off at the September meeting
    awaiting = section(meeting_report(cli, repo, meeting="yot-board@2022-09-13"), "awaiting")
    assert '<td data-label="Recommendation" class="id">LGA-d</td>' in awaiting
    assert "no evidence yet that it made a difference: no indicator, and no impact recorded" in awaiting
    assert "`" not in awaiting
    assert "impact:" not in awaiting


def test_a_signed_off_recommendation_says_so_in_the_detail(cli: Invoke, repo: Repo) -> None:
    md = meeting_report(cli, repo, "--format", "markdown")
    assert "#### LGA-d: CLOSED (1 of 1 action done; stage: closed)" in md
    assert (
        "- Signed off: yot-board\\@2022-12-13: The YOT Manager post is filled (closed without its impact shown: "
        "The post is the outcome the peer review asked for)"
    ) in md


def test_a_meeting_held_is_the_plans_as_committed_that_day(cli: Invoke, repo: Repo) -> None:
    """The September paper again, a year on: HMIP-1.1 was not done until the 20th."""
    md = meeting_report(cli, repo, "--format", "markdown", meeting="yot-board@2022-09-13")
    assert "**HMIP-1.1 Secure regular CAMHS attendance at the YOT Management Board**: RED." in md
    assert "As at **13 September 2022**" in md
    changes = md[md.index("## Changes since") : md.index("## Overdue actions")]
    assert "From yot-board\\@2022-06-14 to yot-board\\@2022-09-13." in changes


def test_the_morning_of_the_meeting_reports_the_files_at_hand(cli: Invoke, tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", SHIPPED_PLANS)
    (repo.plans / "boards.yaml").write_text(BOARDS, encoding="utf-8")
    repo.commit("Plans as reviewed", "2022-05-06T09:00:00+01:00")
    assert (
        cli("update", "HMIP-3.2", "--status", "in-progress", "--plans", repo.plans, "--today", "2022-06-14").exit_code
        == 0
    )
    morning = meeting_report(cli, repo, "--format", "markdown", "--today", "2022-06-14", meeting="yot-board@2022-06-14")
    later = meeting_report(cli, repo, "--format", "markdown", meeting="yot-board@2022-06-14")
    line = "**HMIP-3.2 "
    assert "; in progress." in next(row for row in morning.splitlines() if row.startswith(line))  # not committed yet
    then = next(row for row in later.splitlines() if row.startswith(line))  # as committed then
    assert "; not started (assumed: the source is silent)." in then


def test_the_first_meeting_has_nothing_to_compare_with(cli: Invoke, repo: Repo) -> None:
    md = meeting_report(cli, repo, "--format", "markdown", meeting="yot-board@2022-06-14")
    assert "Its first meeting in boards.yaml: nothing to compare with." in md
    assert "## Changes since" not in md
    trend = md[md.index("## At each meeting") : md.index("## Awaiting sign-off")]
    assert [line[2:12] for line in trend.splitlines() if line.startswith("| 20")] == ["2022-06-14"]


def test_outside_git_the_report_says_what_it_cannot_show(cli: Invoke, repo: Repo, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "plans"
    shutil.copytree(repo.plans, copy)
    result = cli("report", "--meeting", MEETING, "--plans", copy, "--format", "markdown")
    assert result.exit_code == 0
    assert result.stderr.startswith("yotplan: warning: the plans at yot-board's meetings come from git history")
    assert "## Changes since" not in result.stdout
    assert "Its first meeting" not in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--meeting", "yot-board@2023-03-15"), 1, "yot-board has no meeting on 2023-03-15 in boards.yaml"),
        (("--meeting", "yot-bord@2023-03-14"), 1, "no board 'yot-bord' in boards.yaml (did you mean 'yot-board'?)"),
        (("--meeting", "yot-board"), 2, "is not a meeting: write BOARD@YYYY-MM-DD"),
        (("--meeting", MEETING, "--since", "HEAD~1"), 2, "leave out --since"),
    ],
)
def test_meeting_mistakes(cli: Invoke, repo: Repo, args: tuple[str, ...], code: int, message: str) -> None:
    result = cli("report", "--plans", repo.plans, *args)
    assert result.exit_code == code
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""


# The charts, directly ----------------------------------------------------------------------


def test_an_indicator_chart_places_its_points_on_the_scales() -> None:
    svg = indicator_chart(
        "CAMHS", "%", (date(2022, 1, 1), 50), (date(2023, 1, 1), 100), [(date(2022, 7, 2), 75)], "green"
    )
    # x runs from 2022-01-01 (48) to 2023-01-01 (308); y from 104 (below 50) to 4 (above 100)
    assert '<circle cx="48" cy="' in svg  # the baseline, on the left edge
    assert '<circle cx="308" cy="' in svg  # the target, on the right edge
    line = re.search(
        r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"[^>]*data-part="on-track line"', svg
    )
    assert line is not None
    x1, y1, x2, y2 = (float(v) for v in line.groups())
    reading = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="3.5" fill="#2e7d32" data-part="reading"', svg)
    assert reading is not None
    cx, cy = float(reading[1]), float(reading[2])
    assert x1 < cx < x2
    on_line = y1 + (cx - x1) / (x2 - x1) * (y2 - y1)
    assert cy == pytest.approx(on_line, abs=0.2)  # 75 half way through the year: on the line
    assert ">75%</text>" in svg
    assert "<title>CAMHS</title>" in svg


def test_an_indicator_chart_escapes_its_text_and_says_when_nothing_is_measured() -> None:
    svg = indicator_chart('<script>"x"</script>', "<b>", None, (date(2023, 1, 1), 3), [], "amber")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "No reading yet" in svg
    assert "3 &lt;b&gt;</text>" in svg


def test_the_legend_wraps_inside_the_chart() -> None:
    rags = ("red", "amber", "green", "delivered", "closed", "dropped")
    svg = rag_bar_chart([("A", {"red": 1})], rags, "t")
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])  # type: ignore[index]
    legend_x = [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="12"', svg)]
    assert len(legend_x) == 6
    assert all(x + 12 <= width for x in legend_x)
    assert len(set(re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="12"', svg))) == 2  # two lines
