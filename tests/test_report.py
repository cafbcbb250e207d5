"""`yotplan report`: content, escaping, self-containment and determinism of the Board report."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gitrepo import REPORT_PLANS, plan_history
from yotplan.plans.loader import load_plans

from conftest import SHIPPED_PLANS, Invoke

HOSTILE_TITLE = "<script>alert(1)</script> {{ 7*7 }} & \"double\" 'single' | *stars*"


class Page(HTMLParser):
    """Every tag with its attributes, the text, and the contents of <style> and <svg>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def report(cli: Invoke, *args: str | Path, folder: Path = REPORT_PLANS, today: str = "2022-06-01") -> str:
    result = cli("report", "--plans", folder, "--today", today, *args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def table_after(html: str, caption: str) -> list[list[str]]:
    """The rows of the table with this caption, as cell texts."""
    start = html.index(f"<caption>{caption}</caption>")
    body = html[start : html.index("</table>", start)]
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)][1:]


def section(html: str, section_id: str) -> str:
    start = html.index(f'<section id="{section_id}">')
    return html[start : html.index("</section>", start)]


# content -----------------------------------------------------------------------------------


def test_summary_counts_by_source_and_rag(cli: Invoke) -> None:
    html = report(cli)
    assert table_after(html, "Recommendations by RAG") == [
        ["ALPHA", "1", "1", "0", "0", "0", "0", "2"],
        ["BETA", "0", "0", "1", "0", "0", "0", "1"],
        ["All", "1", "1", "1", "0", "0", "0", "3"],
    ]
    assert table_after(html, "Actions by RAG") == [
        ["ALPHA", "1", "1", "1", "1", "0", "0", "4"],
        ["BETA", "0", "0", "1", "0", "0", "1", "2"],
        ["All", "1", "1", "2", "1", "0", "1", "6"],
    ]
    assert "3 recommendations and 6 actions. <strong>1</strong> open action is overdue; 2 are due" in html


def test_chart_draws_the_same_counts(cli: Invoke) -> None:
    html = report(cli)
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)  # well-formed XML, so escaping is complete
    bars = [(r.get("data-rag"), r.get("data-count")) for r in root.iter("rect") if r.get("data-count")]
    assert bars == [("red", "1"), ("amber", "1"), ("green", "1")]
    assert next(t.text for t in root.iter("title")) == "Recommendations by RAG status for each source"


def test_overdue_and_due_soon_lists(cli: Invoke) -> None:
    html = report(cli)
    overdue = section(html, "overdue")
    assert re.findall(r'<td data-label="Action" class="id">(.*?)</td>', overdue) == ["A-1.1"]
    assert '<td data-label="Days overdue" class="num">31</td>' in overdue
    soon = section(html, "due-soon")
    assert re.findall(r'<td data-label="Action" class="id">(.*?)</td>', soon) == ["A-2.1", "B-1.1"]
    assert [int(d) for d in re.findall(r'data-label="Days left" class="num">(\d+)<', soon)] == [9, 19]


def test_recommendations_in_full_with_owner_latest_update_and_evidence(cli: Invoke) -> None:
    detail = Page(section(report(cli), "recommendations")).all_text
    assert "A-1 red 1 of 2 actions done · stage: open Make the Board understand the children." in detail
    assert "Owner Board Chair <b>bold?</b>, Example Partnership & Co" in detail
    assert "Latest update (2022-04-20): Latest note about the briefing." in detail
    assert "Older note" not in detail
    assert "The Board has met twice." in detail
    assert (
        "A-1.1 Brief the Board red YOT Manager, Example Council · due 2022-05-01 (31 days overdue) · in progress"
        in (detail)
    )


def test_owners_workload(cli: Invoke) -> None:
    rows = Page(section(report(cli), "owners")).all_text
    assert "YOT Manager Example Council 3 1 1" in rows
    assert "Board Chair <b>bold?</b> Example Partnership & Co 1 0 1" in rows


def test_shipped_plans_report_has_every_recommendation_and_action(cli: Invoke) -> None:
    html = report(cli, folder=SHIPPED_PLANS, today="2022-09-20")
    plans = load_plans(SHIPPED_PLANS).plans
    text = Page(html).all_text
    for rec in plans.recommendations():
        assert f"{rec.recommendation.id} " in text
    for ref in plans.actions():
        assert f"{ref.action.id} {' '.join(ref.action.title.split())}" in text
    assert "As at 20 September 2022 (2022-09-20)" in text


# escaping ----------------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_html(cli: Invoke) -> None:
    html = report(cli)
    page = Page(html)
    assert not any(tag in ("script", "img", "iframe", "object", "embed") for tag, _ in page.tags)
    assert all(attrs.get("href", "").startswith("#") for tag, attrs in page.tags if tag == "a")
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    # The title shows as typed: markup as text, the template syntax not evaluated.
    assert HOSTILE_TITLE in page.all_text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &amp; &#34;double&#34; &#39;single&#39;" in html
    assert "49" not in page.all_text
    assert "&lt;/p&gt;&lt;script&gt;alert(3)&lt;/script&gt;&lt;p&gt;" in html
    assert "Fix <img src=x onerror=alert(2)> and [a link](javascript:alert(5))" in page.all_text
    assert "<script" not in html.lower()


def test_hostile_text_is_neutralised_in_markdown(cli: Invoke) -> None:
    md = report(cli, "--format", "markdown")
    assert "<" not in md
    assert "| A-2.1 | &lt;script&gt;alert(1)&lt;/script&gt; {{ 7\\*7 }} & \"double\" 'single' \\| \\*stars\\* |" in md
    assert "> Fix &lt;img src=x onerror=alert(2)&gt; and \\[a link\\](javascript:alert(5)) \\| with a pipe" in md
    assert "- Latest update (2022-05-20): &lt;/p&gt;&lt;script&gt;alert(3)&lt;/script&gt;&lt;p&gt;" in md


# a self-contained, printable, deterministic page -----------------------------------------


def test_no_external_reference_of_any_kind(cli: Invoke) -> None:
    for html in (report(cli), report(cli, folder=SHIPPED_PLANS)):
        page = Page(html)
        for tag, attrs in page.tags:
            for name in ("src", "href", "action", "srcset", "xlink:href", "poster", "data"):
                value = attrs.get(name)
                assert value is None or value.startswith(("#", "data:")), (tag, name, value)
        style = "".join(page.styles)
        assert "url(" not in style
        assert "@import" not in style
        assert not re.search(r"(https?:)?//", style)


def test_print_and_phone_css(cli: Invoke) -> None:
    html = report(cli)
    style = "".join(Page(html).styles)
    assert "@page { size: A4;" in style
    assert "tr { break-inside: avoid;" in style
    assert "overflow-wrap: anywhere" in style
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media screen and (max-width: 40rem)" in style
    assert "default-src 'none'" in html  # the page may fetch nothing and run no script


def test_deterministic_and_undated(cli: Invoke) -> None:
    first = report(cli, folder=SHIPPED_PLANS)
    assert report(cli, folder=SHIPPED_PLANS) == first
    assert "generated" not in first.lower()


def test_output_file(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "board.html"
    result = cli("report", "--plans", REPORT_PLANS, "--today", "2022-06-01", "-o", target)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == report(cli)


def test_output_file_that_cannot_be_written(cli: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "board.html"
    result = cli("report", "--plans", REPORT_PLANS, "-o", target)
    assert result.exit_code == 1
    assert result.stderr == f"yotplan: error: cannot write {target}: No such file or directory; nothing was changed\n"


def test_a_broken_file_is_named_and_the_rest_is_reported(cli: Invoke, plans: Path) -> None:
    """A colleague's broken edit of one file does not hide the others from the Board."""
    (plans / "lga-peer-review.yaml").write_text("source: [\n")
    result = cli("report", "--plans", plans, "--today", "2022-10-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{plans / 'lga-peer-review.yaml'}:2:1: error YP002")
    assert "HMIP-1.1" in result.stdout
    assert "LGA-a.1" not in result.stdout  # its actions are not shown (HMIP-1 still names LGA-a as related)


# changes since a revision ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_since_adds_the_changes_with_slips_first(cli: Invoke, tmp_path: Path, fmt: str) -> None:
    repo, _ = plan_history(tmp_path / "repo")
    out = report(cli, "--since", "v1", "--format", fmt, folder=repo.plans)
    if fmt == "html":
        changes = Page(section(out, "changes")).all_text
        assert '<tr class="slipped"><td data-label="Item" class="id">B-1.1</td>' in out
    else:
        changes = out[out.index("## Changes since v1") : out.index("## Overdue actions")]
    assert changes.index("B-1.1") < changes.index("A-1.1") < changes.index("A-2.2")
    assert "SLIPPED 30 days" in changes
    assert "brought forward 31 days" in changes
    assert "action added: Write the Board's terms of reference" in changes.replace("\\", "")


def test_without_since_there_is_no_changes_section(cli: Invoke) -> None:
    assert 'id="changes"' not in report(cli)


def test_since_outside_git_is_a_clear_error(cli: Invoke, plans: Path) -> None:
    result = cli("report", "--plans", plans, "--since", "v1")
    assert result.exit_code == 1
    assert "is not inside a git repository" in result.stderr


# start-up budget ---------------------------------------------------------------------------


def test_command_modules_do_not_import_the_heavy_libraries() -> None:
    code = (
        "import sys, yotplan.cli; "
        "heavy = [m for m in ('jinja2', 'markupsafe', 'icalendar', 'yotplan.report.board', "
        "'yotplan.history.revisions', 'rich') "
        "if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# the part for the meeting, then the detail -------------------------------------------------


def ids_in(html: str) -> list[str]:
    return re.findall(r'<td data-label="Action" class="id">(.*?)</td>', html)


def test_first_part_lists_the_ten_most_overdue_most_overdue_first(cli: Invoke) -> None:
    """48 actions are overdue at the end of 2026: the first part lists ten and says where the rest are."""
    html = report(cli, folder=SHIPPED_PLANS, today="2026-11-30")
    overdue = cli("overdue", "--plans", SHIPPED_PLANS, "--today", "2026-11-30", "--format", "json")
    everything = [a["id"] for a in json.loads(overdue.stdout)["actions"]]
    assert len(everything) == 48
    first = section(html, "most-overdue")
    assert ids_in(first) == everything[:10]
    days = [int(d) for d in re.findall(r'data-label="Days overdue" class="num">(\d+)<', first)]
    assert days == sorted(days, reverse=True)
    assert '<p class="more">And 38 more, in the <a href="#overdue">detail below</a>.</p>' in first
    # the detail has all 48, under a heading per recommendation
    assert sorted(ids_in(section(html, "overdue"))) == sorted(everything)
    md = report(cli, "--format", "markdown", folder=SHIPPED_PLANS, today="2026-11-30")
    first_md = md[md.index("## Most overdue actions") : md.index("## Overdue actions, by recommendation")]
    assert [row.split(" | ")[0].lstrip("| ") for row in first_md.splitlines() if row.startswith("| ")][2:] == (
        everything[:10]
    )
    assert "And 38 more, in the detail below." in first_md


def test_with_ten_or_fewer_overdue_there_is_no_more_line(cli: Invoke) -> None:
    html = report(cli)
    assert ids_in(section(html, "most-overdue")) == ["A-1.1"]
    assert 'class="more"' not in html
    assert "more, in the detail below" not in report(cli, "--format", "markdown")


def test_the_detail_starts_on_a_new_page_after_the_part_for_the_meeting(cli: Invoke) -> None:
    html = report(cli)
    style = "".join(Page(html).styles)
    assert ".detail { break-before: page;" in style
    detail = html.index('<div class="detail" id="detail">')
    assert html.index('<section id="summary">') < html.index('<section id="most-overdue">') < detail
    for later in ("overdue", "due-soon", "owners", "recommendations"):
        assert html.index(f'<section id="{later}">') > detail
    assert '<a href="#detail">' in html  # a link: so the PDF names where it starts (tests/test_browser.py)


def test_overdue_and_due_soon_in_the_detail_are_grouped_by_recommendation(cli: Invoke) -> None:
    html = report(cli)
    overdue = section(html, "overdue")
    assert re.findall(r"<h3>(.*?)</h3>", overdue) == [
        '<span class="id">A-1</span> <span class="group-text">Make the Board understand the children.</span>'
    ]
    soon = section(html, "due-soon")
    headings = [Page(h).all_text for h in re.findall(r"<h3>(.*?)</h3>", soon)]
    assert headings == [
        "A-2 Fix <img src=x onerror=alert(2)> and [a link](javascript:alert(5)) | with a pipe",
        "B-1 Keep the data up to date.",
    ]
    groups = soon.split("<h3>")[1:]
    assert [ids_in(g) for g in groups] == [["A-2.1"], ["B-1.1"]]
    assert "Recommendation</th>" not in soon  # the heading says it
    md = report(cli, "--format", "markdown")
    assert "### A-1: Make the Board understand the children.\n\n| Action | Title | Owner | Due | Days overdue |" in md
    assert md.index("### A-2: Fix &lt;img") < md.index("| A-2.1 |", md.index("## Due in the next"))
    assert md.index("| A-2.1 |", md.index("## Due in")) < md.index("### B-1: Keep the data up to date.")


def test_groups_follow_the_list_order_worst_first(cli: Invoke) -> None:
    html = report(cli, folder=SHIPPED_PLANS, today="2022-10-01")
    headings = re.findall(r'<h3><span class="id">(.*?)</span>', section(html, "overdue"))
    # LGA-b.1 and LGA-f.1 are the most overdue (108 days), then HMIP-1.1 (62 days)
    assert headings[:3] == ["LGA-b", "LGA-f", "HMIP-1"]
    assert len(headings) == len(set(headings))


def test_every_chart_has_a_visible_title(cli: Invoke) -> None:
    html = report(cli)
    figures = re.findall(r'<figure class="chart-figure">(.*?)</figure>', html, flags=re.DOTALL)
    assert len(figures) == html.count("<svg") == 1
    caption = re.match(r'<figcaption id="([^"]+)">([^<]+)</figcaption><svg ', figures[0])
    assert caption
    assert caption.group(2) == "Recommendations by RAG status for each source"
    assert f'aria-labelledby="{caption.group(1)}"' in figures[0]


# filters -------------------------------------------------------------------------------------


def test_source_filter_narrows_everything_and_says_so(cli: Invoke) -> None:
    html = report(cli, "--source", "beta")
    text = Page(html).all_text
    assert "Showing: source BETA. The counts, lists and workload below cover only this." in text
    assert table_after(html, "Recommendations by RAG") == [
        ["BETA", "0", "0", "1", "0", "0", "0", "1"],
        ["All", "0", "0", "1", "0", "0", "0", "1"],
    ]
    assert "ALPHA" not in text
    assert ids_in(section(html, "due-soon")) == ["B-1.1"]
    assert "No open action is overdue." in section(html, "most-overdue")
    assert Page(section(html, "owners")).all_text.endswith("YOT Manager Example Council 1 0 1")
    md = report(cli, "--source", "BETA", "--format", "markdown")
    assert "**Showing:** source BETA. The counts" in md
    assert "ALPHA" not in md


def test_owner_filter_keeps_their_actions_and_the_recommendations_they_touch(cli: Invoke) -> None:
    html = report(cli, "--owner", "board-chair")
    text = Page(html).all_text
    assert "Showing: owner board-chair." in text
    # A-1 is theirs (they own it), A-2 through; B-1 is not
    assert table_after(html, "Recommendations by RAG") == [
        ["ALPHA", "1", "1", "0", "0", "0", "0", "2"],
        ["BETA", "0", "0", "0", "0", "0", "0", "0"],
        ["All", "1", "1", "0", "0", "0", "0", "2"],
    ]
    assert table_after(html, "Actions by RAG")[-1] == ["All", "0", "1", "0", "1", "0", "0", "2"]
    assert "No open action is overdue." in section(html, "most-overdue")  # is the YOT Manager's
    assert ids_in(section(html, "due-soon")) == ["A-2.1"]
    assert Page(section(html, "owners")).all_text == (
        "Owners' workload Owner Agency Open Overdue Due in 30 days "
        "Board Chair <b>bold?</b> Example Partnership & Co 1 0 1"
    )
    detail = Page(section(html, "recommendations")).all_text
    assert "A-1 red 1 of 2 actions done" in detail  # the recommendation is judged on all its actions
    assert "A-1.2 Appoint a chair delivered" in detail
    assert "A-1.1 Brief the Board" not in detail
    assert detail.count("1 other action, held by other owners, is not shown.") == 2
    assert "B-1" not in detail


def test_filters_combine_repeat_and_are_named_as_the_plans_spell_them(cli: Invoke) -> None:
    html = report(cli, "--source", "alpha", "--owner", "board-chair", "--owner", "yot-manager")
    assert "Showing: source ALPHA; owners board-chair, yot-manager." in Page(html).all_text
    both = report(cli, "-s", "BETA", "-s", "alpha")
    assert "Showing: sources ALPHA, BETA." in Page(both).all_text
    assert "Showing:" not in report(cli)


@pytest.mark.parametrize(
    ("option", "value", "hint"),
    [("--source", "ALFA", "did you mean 'ALPHA'?"), ("--owner", "board-chiar", "did you mean 'board-chair'?")],
)
def test_unknown_filter_values_are_usage_errors(cli: Invoke, option: str, value: str, hint: str) -> None:
    result = cli("report", "--plans", REPORT_PLANS, option, value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"'{value}' is not known ({hint})" in " ".join(result.stderr.replace("│", " ").split())


# changes since: titles, and text in full -----------------------------------------------------


LONG_NOTE = (
    "Second briefing booked with the chair of the Youth Justice Management Board and every partner agency, "
    "to agree the data the Board will see each quarter and who presents it."
)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_changes_show_each_items_title_and_update_text_in_full(cli: Invoke, tmp_path: Path, fmt: str) -> None:
    repo, _ = plan_history(tmp_path / "repo")
    repo.edit("alpha.yaml", "note: Second briefing booked.", f"note: {LONG_NOTE}")
    out = report(cli, "--since", "v1", "--format", fmt, folder=repo.plans)
    if fmt == "html":
        changes = Page(section(out, "changes")).all_text
        assert "Item Title Change" in changes
        assert "B-1.1 Recruit an analyst SLIPPED 30 days: due date moved from 2022-06-20 to 2022-07-20" in changes
        assert f"A-1.1 Brief the Board update added: 2022-06-09: {LONG_NOTE}" in changes
    else:
        changes = out[out.index("## Changes since v1") : out.index("## Overdue actions")]
        assert "| Item | Title | Change |" in changes
        assert f"| A-1.1 | Brief the Board | update added: 2022-06-09: {LONG_NOTE} |" in changes
    assert "…" not in changes
    assert "A-2.2 Plan the second step status changed from in-progress to blocked" in changes.replace(" | ", " ")


def test_the_summary_counts_the_changes_and_slips(cli: Invoke, tmp_path: Path) -> None:
    repo, _ = plan_history(tmp_path / "repo")
    html = report(cli, "--since", "v1", folder=repo.plans)
    assert "Since v1, the plans as committed on 2022-05-01:" in section(html, "summary")
    assert '5 changes, <strong>1</strong> slipped due date (<a href="#changes">' in section(html, "summary")
    assert html.index('<div class="detail" id="detail">') < html.index('<section id="changes">')


def test_filters_narrow_the_changes_too(cli: Invoke, tmp_path: Path) -> None:
    repo, _ = plan_history(tmp_path / "repo")
    repo.edit(
        "alpha.yaml",
        "        owner: yot-manager\n        due: 2022-05-01",
        "        owner: board-chair\n        due: 2022-05-01",
    )
    html = report(cli, "--since", "v1", "--owner", "board-chair", folder=repo.plans)
    changes = section(html, "changes")
    # is the Board Chair's new action; was handed to them; B-1.1 and are not theirs
    assert re.findall(r'<td data-label="Item" class="id">(.*?)</td>', changes) == ["A-1.1", "A-1.1", "A-1.3"]
    assert ", for owner board-chair only." in changes
    assert "3 changes, <strong>0</strong> slipped due dates" in section(html, "summary")
    beta = report(cli, "--since", "v1", "--source", "BETA", "--format", "markdown", folder=repo.plans)
    assert beta[beta.index("## Changes since") : beta.index("## Overdue")].count("| B-1.1 |") == 1
    assert "| A-" not in beta
