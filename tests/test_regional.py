"""`yotplan report` over several services: the regional report, its content, escaping, golden
files, and the queries under it (`views/regional.py`).

The three fixture services (`tests/fixtures/services/`) are judged on 2023-03-01; their README
says what each holds.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from datetime import date
from html import unescape
from pathlib import Path

import pytest

from services_support import FOLDERS, NAMES, SERVICES, TODAY, three
from yotplan.plans.loader import load_plans
from yotplan.views.regional import (
    TOPICS,
    indicators_needing_attention,
    most_overdue_services,
    service_rows,
    theme_of,
    theme_rows,
    topic_of_text,
    words_of,
)

from conftest import Invoke

Golden = Callable[[str, str], None]
DAY = date(2023, 3, 1)


def regional(cli: Invoke, *args: str | Path, folders: tuple[Path, ...] = FOLDERS, code: int = 0) -> str:
    result = cli("report", *three(*folders), "--today", TODAY, *args)
    assert result.exit_code == code, result.stderr
    if code == 0:
        assert result.stderr == ""
    return str(result.stdout)


_BLOCK = re.compile(r"</?(?:p|h\d|td|th|tr|li|caption|table|div|section|ul|ol|thead|tbody|br)\b[^>]*>")


def text_of(html: str) -> str:
    """The text a reader sees: tags gone (a block one leaves a space), entities read, spaces folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", _BLOCK.sub(" ", html))).split())


def rows_of(html: str, table_class: str) -> list[list[str]]:
    """The body rows of the table with this class, as the text of each cell."""
    start = html.index(f'<table class="{table_class}">')
    body = html[html.index("<tbody>", start) : html.index("</tbody>", start)]
    return [
        [text_of(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]


def service_pages(html: str) -> dict[str, str]:
    """Each service's page, by its anchor."""
    found = re.findall(r'<section class="service-page" id="([^"]+)">(.*?)</section>', html, flags=re.DOTALL)
    return dict(found)


def copy_services(target: Path, names: tuple[str, ...] = NAMES) -> tuple[Path, ...]:
    for name in names:
        shutil.copytree(SERVICES / name, target / name)
    return tuple(target / name / "plans" for name in names)


def make_services(target: Path, count: int, *, region: str | None = None, prefix: str = "s") -> tuple[Path, ...]:
    """`count` copies of north, each its own service (s01, s02, ...; service ids are unique, YP014),
    with one more overdue action than the one before, so their order by overdue actions is known."""
    folders = []
    for n in range(1, count + 1):
        folder = target / f"s{n:02}" / "plans"
        shutil.copytree(SERVICES / "north" / "plans", folder)
        lines = [f"id: {prefix}{n:02}", f"name: Service {n:02}"] + ([f"region: {region}"] if region else [])
        (folder / "service.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        plan = folder / "hmip-inspection.yaml"
        text = plan.read_text(encoding="utf-8")
        extra = "".join(
            f"      - id: HMIP-3.{k + 2}\n        title: Extra late action {k}\n        owner: yot-manager\n"
            f"        due: 2023-01-{k + 1:02}\n"
            for k in range(n)
        )
        plan.write_text(text + extra, encoding="utf-8")
        folders.append(folder)
    return tuple(folders)


# golden files -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("html", "regional.html"), ("markdown", "regional.md")])
def test_golden_regional_report(cli: Invoke, golden: Golden, fmt: str, name: str) -> None:
    """The whole report at a fixed date; YOTPLAN_UPDATE_GOLDEN=1 rewrites it (then read the diff)."""
    golden(name, regional(cli, "--format", fmt))


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_the_order_of_the_folders_does_not_change_the_report(cli: Invoke, fmt: str) -> None:
    forwards = regional(cli, "--format", fmt)
    assert regional(cli, "--format", fmt, folders=FOLDERS[::-1]) == forwards
    assert regional(cli, "--format", fmt) == forwards  # and again: nothing dated or random


def test_a_plans_list_gives_the_same_report(cli: Invoke, tmp_path: Path) -> None:
    listing = tmp_path / "south-west-and-north-east.txt"
    listing.write_text("".join(f"{folder}\n" for folder in FOLDERS), encoding="utf-8")
    result = cli("report", "--plans-list", listing, "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == regional(cli)


# content ------------------------------------------------------------------------------------


def test_the_matrix_has_a_row_per_service_by_region_with_totals(cli: Invoke) -> None:
    rows = rows_of(regional(cli), "reflow matrix")
    assert rows == [
        ["Northam Youth Justice Service (north)", "North East", "2", "1", "0", "0", "0", "0", "3", "2"],
        ["North East: 1 service", "2", "1", "0", "0", "0", "0", "3", "2"],
        ["Southcombe Youth Offending Service (south)", "South West", "2", "0", "2", "1", "0", "0", "5", "3"],
        ["Westford & District Youth Justice Service (west)", "South West", "1", "0", "2", "1", "0", "0", "4", "1"],
        ["South West: 2 services", "3", "0", "4", "2", "0", "0", "9", "4"],
        ["All: 3 services", "5", "1", "4", "2", "0", "0", "12", "6"],
    ]


def test_the_summary_and_the_chart(cli: Invoke) -> None:
    html = regional(cli)
    text = text_of(html)
    assert "3 services in 2 regions: North East (1); South West (2)." in text
    assert "3 services: 12 recommendations and 16 actions. 6 open actions are overdue, in 3 of the 3 services." in text
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<title>Recommendations by RAG status for each service</title>" in svg
    bars = re.findall(r'<rect [^>]*data-rag="(\w+)" data-count="(\d+)"><title>([^<]*)</title>', svg)
    assert [label for *_, label in bars] == [
        "Northam Youth Justice Service: 2 red",
        "Northam Youth Justice Service: 1 amber",
        "Southcombe Youth Offending Service: 2 red",
        "Southcombe Youth Offending Service: 2 green",
        "Southcombe Youth Offending Service: 1 delivered",
        "Westford &amp; District Youth Justice Service: 1 red",
        "Westford &amp; District Youth Justice Service: 2 green",
        "Westford &amp; District Youth Justice Service: 1 delivered",
    ]


def test_services_with_the_most_overdue_actions_and_the_worst_of_each(cli: Invoke) -> None:
    rows = rows_of(regional(cli), "reflow services-overdue")
    assert rows == [
        [
            "Southcombe Youth Offending Service (south) South West",
            "3",
            "HMIP-1.2 Report performance to every Board meeting (YOT Manager)",
            "2022-10-31",
            "121",
        ],
        [
            "Northam Youth Justice Service (north) North East",
            "2",
            "HMIP-1.1 Brief every Board member on the needs of the children the service works with (YOT Manager)",
            "2022-11-30",
            "91",
        ],
        [
            "Westford & District Youth Justice Service (west) South West",
            "1",
            "HMIP-2.1 Agree a CAMHS worker's time in the team (Health Lead)",
            "2023-02-01",
            "28",
        ],
    ]


def test_indicators_by_exception_red_first_with_why_and_the_rest_counted(cli: Invoke) -> None:
    html = regional(cli)
    section = html[html.index('<section id="indicators">') : html.index("</section>", html.index('id="indicators"'))]
    assert "5 indicators in 3 services: 2 on track, 1 amber, 2 red." in text_of(section)
    assert rows_of(html, "reflow indicators") == [
        [
            "north",
            "HMIP-2-camhs-wait Children assessed by CAMHS within four weeks of referral (for HMIP-2)",
            "40% on 2022-06-10",
            "35% on 2022-12-01",
            "80% by 2023-06-30",
            "worse than its baseline",
            "red",
        ],
        [
            "north",
            "HMIP-3-audits Assessments audited in the month (for HMIP-3)",
            "not measured",
            "no reading",
            "10 assessments by 2023-01-31",
            "no reading, and its target date has passed",
            "red",
        ],
        [
            "south",
            "HMIP-1-board-reports Board members who read the performance report before the meeting (for HMIP-1)",
            "60% on 2022-06-01",
            "65% on 2023-01-15",
            "90% by 2023-06-30",
            "behind the line from its baseline to its target",
            "amber",
        ],
    ]
    assert "On track, by service: north 0 of 2; south 1 of 2; west 1 of 1." in text_of(section)
    assert "HMIP-4-ooc-assessed" not in section  # green: counted, not listed
    assert "HMIP-1-board-attendance" not in section
    md = regional(cli, "--format", "markdown")
    assert "| north | HMIP-3-audits Assessments audited in the month (for HMIP-3) | not measured | no reading |" in md


def test_indicators_needing_attention_come_from_the_impact_rules() -> None:
    plans = [load_plans(folder).plans for folder in FOLDERS]
    found = indicators_needing_attention(plans, DAY)
    assert [(e.view.service, e.view.id, e.view.rag) for e in found] == [
        ("north", "HMIP-2-camhs-wait", "red"),
        ("north", "HMIP-3-audits", "red"),
        ("south", "HMIP-1-board-reports", "amber"),
    ]
    # Before HMIP-3-audits' target date, no reading yet is amber, and said so.
    early = {e.view.id: e for e in indicators_needing_attention(plans, date(2023, 1, 1))}
    assert (early["HMIP-3-audits"].view.rag, early["HMIP-3-audits"].reason) == ("amber", "no reading yet")
    assert [row.indicators for row in service_rows(plans, DAY)] == [
        {"red": 2, "amber": 0, "green": 0},
        {"red": 0, "amber": 1, "green": 1},
        {"red": 0, "amber": 0, "green": 1},
    ]


def test_the_themes_most_often_late(cli: Invoke) -> None:
    rows = rows_of(regional(cli), "reflow themes")
    assert rows[:3] == [
        ["Management Board and governance", "2 of 3", "2 of 3", "north, south"],
        ["Health and CAMHS", "2 of 2", "2 of 2", "north, west"],
        ["Children's and families' voice", "1 of 1", "1 of 1", "south"],
    ]
    assert ["Serious youth violence (a tag)", "0 of 1", "0 of 1", ""] in rows
    assert ["Other: inspection", "0 of 1", "0 of 1", ""] in rows  # west HMIP-4: no topic's word
    assert len(rows) == 9


def test_a_page_per_service_readable_alone(cli: Invoke) -> None:
    html = regional(cli)
    pages = service_pages(html)
    assert list(pages) == ["service-north", "service-south", "service-west"]
    for anchor, page in pages.items():
        assert "<a " not in page, f"{anchor} links somewhere: a printed copy could not follow it"
    south = text_of(pages["service-south"])
    assert south.startswith("Southcombe Youth Offending Service Service south, region South West; as at 1 March 2023")
    assert "5 recommendations and 6 actions. 3 open actions are overdue; 0 are due in the next 30 days." in south
    assert re.findall(r'<td data-label="Action" class="id">(.*?)</td>', pages["service-south"]) == [
        "HMIP-1.2",
        "HMIP-1.1",
        "HMIP-3.1",
    ]
    assert "Management Board Chair" in south  # its own owners.yaml: HMIP-1.1's owner
    assert rows_of(pages["service-south"], "counts")[-1] == ["All", "2", "0", "2", "1", "0", "0", "5"]
    # The matrix points at each page, and nothing else links out of the page.
    matrix = html[html.index('<table class="reflow matrix">') : html.index("</table>", html.index("reflow matrix"))]
    assert re.findall(r'<a href="#([^"]+)"', matrix) == ["service-north", "service-south", "service-west"]
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', html) if href != "data:,")


def test_how_themes_are_found_lists_every_topic_and_its_words(cli: Invoke) -> None:
    html = regional(cli)
    rows = rows_of(html, "reflow topics")
    assert [row[:2] for row in rows] == [[topic.label, topic.key] for topic in TOPICS]
    assert rows[0][2].startswith("health, camhs, mental")
    assert html.index('id="how-themes"') > html.index('id="service-west"')  # after the services' pages


def test_markdown_has_the_same_parts_in_order(cli: Invoke) -> None:
    md = regional(cli, "--format", "markdown")
    headings = re.findall(r"^##? (.*)$", md, flags=re.MULTILINE)
    assert headings == [
        "Improvement action plans: regional report",
        "Services by RAG",
        "Services with the most overdue actions",
        "Themes most often late",
        "Indicators needing attention",
        "Northam Youth Justice Service",
        "Southcombe Youth Offending Service",
        "Westford & District Youth Justice Service",
        "How themes are found",
    ]
    assert "| Southcombe Youth Offending Service (south) | South West | 2 | 0 | 2 | 1 | 0 | 0 | 5 | 3 |" in md
    assert "| **All: 3 services** | | **5** | **1** | **4** | **2** | **0** | **0** | **12** | **6** |" in md
    assert "| Health and CAMHS | 2 of 2 | 2 of 2 | north, west |" in md
    assert md.count("\n---\n") == 4  # before each service and before how themes are found


def test_one_folder_keeps_the_board_report(cli: Invoke) -> None:
    result = cli("report", "--plans", FOLDERS[0], "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert re.search(r"<h1>[^<]*: improvement action plan, Board report</h1>", result.stdout)
    assert "regional" not in result.stdout


# options that make no sense over several services -------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--owner", "yot-manager", "owners are each service's own"),
        ("--source", "HMIP", "for one source, report on one service's folder"),
        ("--since", "HEAD~1", "each service's history is its own"),
    ],
)
def test_filters_are_refused_over_several_services(
    cli: Invoke, tmp_path: Path, option: str, value: str, says: str
) -> None:
    target = tmp_path / "out.html"
    result = cli("report", *three(), "--today", TODAY, option, value, "-o", target)
    assert result.exit_code == 2
    assert says in " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.stderr).split())
    assert option in result.stderr
    assert not target.exists()


# escaping and odd services ------------------------------------------------------------------


HOSTILE = "<script>alert(1)</script> | *Bad* & [x](javascript:alert(2))"


def test_service_names_regions_and_tags_are_text(cli: Invoke, tmp_path: Path) -> None:
    folders = copy_services(tmp_path)
    (folders[2] / "service.yaml").write_text(f"id: west\nname: '{HOSTILE}'\nregion: '{HOSTILE}'\n", encoding="utf-8")
    plan = folders[2] / "hmip-inspection.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("theme: CAMHS", f"theme: '{HOSTILE}'"), encoding="utf-8")
    html = regional(cli, folders=folders)
    assert "<script" not in html
    assert HOSTILE in text_of(html)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5  # matrix, chart, list, theme, page
    md = regional(cli, "--format", "markdown", folders=folders)
    assert "<script>" not in md
    assert r"&lt;script&gt;alert(1)&lt;/script&gt; \| \*Bad\* & \[x\](javascript:alert(2))" in md


def test_two_folders_of_the_same_service_are_two_pages(cli: Invoke, tmp_path: Path) -> None:
    """Two folders with one service id are an error (YP014, issue 17), and still two pages."""
    first = copy_services(tmp_path / "a", ("north",))[0]
    second = copy_services(tmp_path / "b", ("north",))[0]
    html = regional(cli, folders=(first, second), code=1)
    assert list(service_pages(html)) == ["service-north", "service-north-2"]


def test_a_service_without_service_yaml_is_named_by_its_folder(cli: Invoke, tmp_path: Path) -> None:
    folders = copy_services(tmp_path)
    (folders[1] / "service.yaml").unlink()
    rows = rows_of(regional(cli, folders=folders), "reflow matrix")
    assert ["south (south)", "No region", "2", "0", "2", "1", "0", "0", "5", "3"] in rows
    assert rows[-2][0] == "No region: 1 service"  # the services with no region come last


def test_a_broken_file_is_named_and_the_rest_is_reported(cli: Invoke, tmp_path: Path) -> None:
    folders = copy_services(tmp_path)
    (folders[1] / "hmip-inspection.yaml").write_text("source: [unclosed\n", encoding="utf-8")
    result = cli("report", *three(*folders), "--today", TODAY)
    assert result.exit_code == 1
    assert "south/plans/hmip-inspection.yaml:" in result.stderr
    rows = rows_of(result.stdout, "reflow matrix")
    assert ["Southcombe Youth Offending Service (south)", "South West", "0", "0", "0", "0", "0", "0", "0", "0"] in rows
    assert "Northam Youth Justice Service (north)" in rows[0][0]


def test_ten_services_at_most_in_the_overdue_list(cli: Invoke, tmp_path: Path) -> None:
    folders = make_services(tmp_path, 12, region="London")
    html = regional(cli, folders=folders)
    rows = rows_of(html, "reflow services-overdue")
    assert [row[0] for row in rows] == [f"Service {n:02} (s{n:02}) London" for n in range(12, 2, -1)]
    assert [row[1] for row in rows] == [str(n + 2) for n in range(12, 2, -1)]
    assert "And 2 more services with overdue actions; the table of services counts them all." in html
    assert 'class="subtotal"' not in html  # one region: no region totals, only the total of all


def test_beyond_thirty_services_the_chart_has_a_bar_per_region(cli: Invoke, tmp_path: Path) -> None:
    folders = make_services(tmp_path / "east", 16, region="East") + make_services(tmp_path / "west", 15, prefix="w")
    html = regional(cli, folders=folders)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<title>Recommendations by RAG status in each region</title>" in svg
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)</text>', svg)
    assert labels == ["East", "No region"]
    assert len(service_pages(html)) == 31


# the queries --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_sets() -> list:  # type: ignore[type-arg]
    return [load_plans(folder).plans for folder in FOLDERS]


def test_service_rows_come_from_each_plan_set(plan_sets: list) -> None:  # type: ignore[type-arg]
    rows = service_rows(plan_sets[::-1], DAY)
    assert [(r.index, r.service, r.name, r.region) for r in rows] == [
        (2, "north", "Northam Youth Justice Service", "North East"),
        (1, "south", "Southcombe Youth Offending Service", "South West"),
        (0, "west", "Westford & District Youth Justice Service", "South West"),
    ]
    assert [r.worst.id if r.worst else None for r in rows] == ["HMIP-1.1", "HMIP-1.2", "HMIP-2.1"]
    assert [r.service for r in most_overdue_services(rows, limit=2)] == ["south", "north"]


def test_theme_rows_count_services_and_recommendations(plan_sets: list) -> None:  # type: ignore[type-arg]
    rows = {row.theme.key: row for row in theme_rows(plan_sets, DAY)}
    board = rows["topic:board"]
    assert (board.recommendations, board.late, sorted(board.services), board.services_late) == (
        3,
        2,
        ["north", "south", "west"],
        ["north", "south"],
    )
    assert rows["tag:serious youth violence"].theme.label == "Serious youth violence"
    assert rows["kind:inspection"].theme.label == "Other: inspection"


@pytest.mark.parametrize(
    ("text", "tag", "key"),
    [
        ("Anything at all", "CAMHS", "topic:health"),  # a topic's word
        ("Anything at all", "out-of-court", "topic:out-of-court"),  # a topic's key
        ("Anything at all", "Victims", "topic:victims"),  # plural of a word
        ("Anything at all", "Priorities", "topic:board"),  # -ies
        ("The Board should", "Youth voice", "tag:youth voice"),  # not exactly a word: a theme of its own
        ("Review out of court disposals", None, "topic:out-of-court"),
        ("Review Out-of-Court Disposals", None, "topic:out-of-court"),
        ("Go to court", None, "kind:inspection"),  # 'court' alone is no topic's word
        ("The Board should check CAMHS and mental health provision", None, "topic:health"),  # 3 words to 1
        ("The Board should read the data", None, "topic:data"),  # a tie: the topic listed first
        ("Les données du Conseil", None, "kind:inspection"),
        ("Publish the findings", None, "kind:inspection"),
    ],
)
def test_theme_of(text: str, tag: str | None, key: str) -> None:
    assert theme_of(text, tag, "inspection").key == key


def test_free_tags_fold_to_one_theme_whatever_their_spelling(tmp_path: Path) -> None:
    assert theme_of("x", "Serious  Youth-Violence", "other").key == theme_of("x", "serious youth violence", "other").key
    assert theme_of("x", "  ", "peer-review").label == "Other: peer review"


def test_words_are_compared_as_search_compares_them() -> None:
    assert words_of("CAMHS-led “Well-being” café's") == ["camhs", "led", "well", "being", "cafe", "s"]
    assert topic_of_text("WELLBEING and Safeguarding") is not None
    assert all(words_of(word) for topic in TOPICS for word in topic.words)


def test_the_docs_list_the_topics_as_the_code_has_them() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "report.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| `([a-z-]+)` \| (.+?) \|$", doc, flags=re.MULTILINE)
    assert rows == [(topic.label, topic.key, ", ".join(topic.words)) for topic in TOPICS]


def test_a_region_spelt_two_ways_is_one_region(cli: Invoke, tmp_path: Path) -> None:
    folders = copy_services(tmp_path)
    (folders[2] / "service.yaml").write_text("id: west\nname: Westford\nregion: south-west\n", encoding="utf-8")
    rows = rows_of(regional(cli, folders=folders), "reflow matrix")
    assert [row[0] for row in rows] == [
        "Northam Youth Justice Service (north)",
        "North East: 1 service",
        "Southcombe Youth Offending Service (south)",
        "Westford (west)",
        "South West: 2 services",
        "All: 3 services",
    ]
    assert rows[3][1] == "south-west"  # each service's row as its service.yaml spells it
