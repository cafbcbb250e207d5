"""The HTML report in a real headless Chromium: it renders, fetches nothing, runs nothing,
scrolls sideways nowhere, and prints the part for the meeting on at most two A4 pages.

Needs Debian's `chromium` (`.ci/run` installs it); skipped with the reason when it is absent.
Scroll bars are not hidden: what a Board member's browser would show, the checks see.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from chromium import CHROMIUM, Chromium
from gitrepo import REPORT_PLANS, plan_history
from pdfpages import destinations, page_count

from conftest import SHIPPED_PLANS, Invoke

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
A4_POINTS = (595.0, 842.0)
A4_PRINTABLE_PX = 703
"""The width the report is laid out at on A4: 210 mm less 2 x 12 mm margins, at 96 px per inch."""
DESKTOP_WIDTHS = (1024, 1280, 1920)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    with Chromium(tmp_path_factory.mktemp("chromium-profile")) as chromium:
        yield chromium


def write_report(cli: Invoke, folder: Path, target: Path, today: str, *args: str) -> str:
    result = cli("report", "--plans", folder, "--today", today, "-o", target, *args)
    assert result.exit_code == 0, result.stderr
    return target.as_uri()


REPORTS = {
    "shipped": (SHIPPED_PLANS, "2022-10-01"),
    "shipped-2026": (SHIPPED_PLANS, "2026-11-30"),  # 48 overdue actions
    "hostile": (REPORT_PLANS, "2022-06-01"),
}


@pytest.mark.parametrize(
    ("folder", "today"), [(SHIPPED_PLANS, "2022-09-20"), (REPORT_PLANS, "2022-06-01")], ids=["shipped", "hostile"]
)
def test_report_renders_quietly_and_fetches_nothing(
    cli: Invoke, browser: Chromium, tmp_path: Path, folder: Path, today: str
) -> None:
    url = write_report(cli, folder, tmp_path / "report.html", today)

    log = browser.load(url)

    assert log.requests == [url]
    assert log.console_errors == []
    assert log.exceptions == []
    assert log.dialogs == []  # no alert() fired
    assert browser.evaluate("document.scripts.length") == 0
    assert browser.evaluate("document.title").startswith("Action plan report as at ")
    assert browser.evaluate("document.querySelectorAll('svg.chart rect[data-count]').length") > 0
    shot = browser.screenshot(tmp_path / "report.png")
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    assert shot.stat().st_size > 10_000


def test_hostile_title_shows_as_text(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    browser.load(write_report(cli, REPORT_PLANS, tmp_path / "report.html", "2022-06-01"))
    text = browser.evaluate("document.body.innerText")
    assert "<script>alert(1)</script> {{ 7*7 }} & \"double\" 'single' | *stars*" in text
    assert "</p><script>alert(3)</script><p>" in text
    assert browser.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0


@pytest.mark.parametrize("width", DESKTOP_WIDTHS)
@pytest.mark.parametrize("name", REPORTS)
def test_nothing_scrolls_sideways_at_desktop_widths(
    cli: Invoke, browser: Chromium, tmp_path: Path, name: str, width: int
) -> None:
    """Neither the page nor any box in it (the count tables were 468 px in a 464 px box)."""
    folder, today = REPORTS[name]
    browser.load(write_report(cli, folder, tmp_path / "report.html", today), width=width, height=900)
    assert browser.evaluate("window.innerWidth") == width
    assert browser.overflowing() == []
    browser.screenshot(tmp_path / f"report-{width}.png")


def test_the_changes_table_does_not_scroll_sideways(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    repo, _ = plan_history(tmp_path / "repo")
    repo.edit("alpha.yaml", "note: Second briefing booked.", "note: " + "A long update " * 30)
    url = write_report(cli, repo.plans, tmp_path / "report.html", "2022-06-01", "--since", "v1")
    for width in (375, *DESKTOP_WIDTHS):
        browser.load(url, width=width, height=900)
        assert browser.overflowing() == [], width


def test_fits_a_phone_without_sideways_scrolling(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    url = write_report(cli, SHIPPED_PLANS, tmp_path / "report.html", "2022-09-20")
    browser.load(url, width=375, height=800)
    browser.resize(375, 800, mobile=True)
    width, inner = browser.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner == 375
    assert browser.overflowing() == []
    # the action tables reflow into labelled blocks
    assert browser.evaluate("getComputedStyle(document.querySelector('table.reflow td')).display") == "block"
    browser.screenshot(tmp_path / "phone.png")
    browser.resize(1200, 900)


@pytest.mark.parametrize("name", REPORTS)
def test_prints_on_a4_without_clipped_tables(cli: Invoke, browser: Chromium, tmp_path: Path, name: str) -> None:
    folder, today = REPORTS[name]
    browser.load(write_report(cli, folder, tmp_path / "report.html", today))
    pdf = browser.print_to_pdf()
    (tmp_path / "report.pdf").write_bytes(pdf)
    boxes = {tuple(round(float(n)) for n in m) for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes == {A4_POINTS}
    # Laid out at the printable width of A4, no table may stick out of the page, and nothing
    # may spill over the edge of its box.
    browser.emulate_media("print")
    try:
        # Paper has no scroll bar: widen the window by the bar's width so the page is 703 px wide.
        browser.resize(A4_PRINTABLE_PX, 1000)
        bar = browser.evaluate("window.innerWidth - document.documentElement.clientWidth")
        browser.resize(A4_PRINTABLE_PX + bar, 1000)
        assert browser.evaluate("document.documentElement.clientWidth") == A4_PRINTABLE_PX
        overflowing = browser.evaluate(
            "[...document.querySelectorAll('table')]"
            f".filter(t => t.getBoundingClientRect().right > {A4_PRINTABLE_PX + 0.5}).length"
        )
        assert overflowing == 0
        assert browser.overflowing() == []
    finally:
        browser.emulate_media("")
        browser.resize(1200, 900)


@pytest.mark.parametrize("today", ["2022-10-01", "2026-11-30"])
def test_the_part_for_the_meeting_prints_on_two_a4_pages_then_the_detail(
    cli: Invoke, browser: Chromium, tmp_path: Path, today: str
) -> None:
    """Summary, chart, counts and the ten most overdue on pages 1-2; the detail from a new page."""
    browser.load(write_report(cli, SHIPPED_PLANS, tmp_path / "report.html", today))
    pdf = browser.print_to_pdf()
    (tmp_path / "report.pdf").write_bytes(pdf)
    where = destinations(pdf)

    assert where["summary"].page == 1
    assert where["most-overdue"].page <= 2
    detail = where["detail"]
    assert detail.page <= 3, f"the detail starts on page {detail.page}"
    assert detail.page > where["most-overdue"].page
    # Only its heading's top margin (13 pt) may stand above it: no row or line of the first part.
    assert detail.top > A4_POINTS[1] - 25, f"the detail starts {A4_POINTS[1] - detail.top:.0f} pt down its page"
    assert where["overdue"].page == detail.page  # the first thing in the detail
    assert page_count(pdf) > detail.page
    text = browser.evaluate("document.querySelector('#most-overdue').innerText")
    if today == "2026-11-30":
        assert browser.evaluate("document.querySelectorAll('#most-overdue tbody tr').length") == 10
        assert "And 38 more, in the detail below." in text


def test_every_chart_has_a_visible_title(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    browser.load(write_report(cli, SHIPPED_PLANS, tmp_path / "report.html", "2022-10-01"))
    for media in ("screen", "print"):
        browser.emulate_media(media)
        titles = browser.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(svg => {"
            " const caption = svg.closest('figure')?.querySelector('figcaption');"
            " const box = caption?.getBoundingClientRect();"
            " return [svg.querySelector('title').textContent, caption?.innerText,"
            " box ? box.height > 0 && box.width > 0 : false]; })"
        )
        assert titles == [["Recommendations by RAG status for each source"] * 2 + [True]], media
    browser.emulate_media("")


def test_the_harness_would_see_a_script_a_request_and_an_error(browser: Chromium, tmp_path: Path) -> None:
    """The checks above can fail: the same harness catches each thing they forbid."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><title>bad</title>"
        '<img src="http://127.0.0.1:9/pixel.png">'
        "<script>console.error('boom'); alert('hi')</script>",
        encoding="utf-8",
    )
    log = browser.load(page.as_uri())
    assert "http://127.0.0.1:9/pixel.png" in log.requests
    assert "boom" in log.console_errors
    assert log.dialogs == ["alert: hi"]


def test_the_harness_would_see_a_box_or_the_page_scroll_sideways(browser: Chromium, tmp_path: Path) -> None:
    """The overflow check can fail: a table 4 px too wide for its scrolling box, and a page wider
    than the window, are both reported; a page that fits is not."""
    page = tmp_path / "wide.html"
    page.write_text(
        "<!DOCTYPE html><title>wide</title><style>body { margin: 0 }</style>"
        '<div class="scroll" style="width: 464px; overflow-x: auto">'
        '<table style="width: 468px; border-collapse: collapse"><tr><td>x</td></tr></table></div>'
        '<p style="width: 3000px">wider than any window</p>',
        encoding="utf-8",
    )
    browser.load(page.as_uri(), width=1024)
    found = browser.overflowing()
    assert "div.scroll: 468 px of content in 464 px" in found
    assert any(f.startswith("html: 3000 px of content in ") for f in found)
    page.write_text("<!DOCTYPE html><title>fits</title><p>fine</p>", encoding="utf-8")
    browser.load(page.as_uri(), width=1024)
    assert browser.overflowing() == []
