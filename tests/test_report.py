"""`yotplan report`: content, escaping, self-containment and determinism of the Board report."""

from __future__ import annotations

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
        ["ALPHA", "1", "1", "0", "0", "0", "2"],
        ["BETA", "0", "0", "1", "0", "0", "1"],
        ["All", "1", "1", "1", "0", "0", "3"],
    ]
    assert table_after(html, "Actions by RAG") == [
        ["ALPHA", "1", "1", "1", "1", "0", "4"],
        ["BETA", "0", "0", "1", "0", "1", "2"],
        ["All", "1", "1", "2", "1", "1", "6"],
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
    assert "ALPHA-1 red 1 of 2 actions done Make the Board understand the children." in detail
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
    assert result.stderr == f"yotplan: error: {target}: cannot write the file: No such file or directory\n"


def test_invalid_plans_are_refused(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "owners.yaml").write_text("owners: {}\n")
    (tmp_path / "plan.yaml").write_text("source: [\n")
    result = cli("report", "--plans", tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "plan.yaml:" in result.stderr


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
