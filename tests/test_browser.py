"""The HTML report in a real headless Chromium: it renders, fetches nothing, runs nothing,
scrolls sideways nowhere, and prints the part for the meeting on at most two A4 pages. The
regional report (several services) too: the same checks, and a new page for each service.

Needs Debian's `chromium` (`.ci/run` installs it); skipped with the reason when it is absent.
Scroll bars are not hidden: what a Board member's browser would show, the checks see.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from chromium import CHROMIUM, Chromium
from gitrepo import REPORT_PLANS, Repo, plan_history
from meeting_support import build_meeting_repo
from pdfpages import destinations, page_count
from services_support import FOLDERS as REGIONAL_FOLDERS
from services_support import NAMES, SERVICES
from services_support import TODAY as REGIONAL_TODAY

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


def assert_fits_a4_in_print(browser: Chromium) -> None:
    """Laid out for print at the printable width of A4, no table sticks out of the page and
    nothing spills over the edge of its box."""
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
    assert re.fullmatch(
        r".*improvement action plan, Board report, as at \d{4}-\d{2}-\d{2}", browser.evaluate("document.title")
    )
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
    assert_fits_a4_in_print(browser)


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


SMALLEST_TEXT = """Math.min(...[...document.querySelectorAll('body *')]
  .filter(e => e.getClientRects().length && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(e => parseFloat(getComputedStyle(e).fontSize)))"""
"""The smallest font size, in CSS px, of any element that shows text of its own."""


@pytest.mark.parametrize("today", ["2022-10-01", "2026-11-30"])
def test_printed_pages_are_numbered_with_the_service_and_date_and_no_text_under_9pt(
    cli: Invoke, browser: Chromium, tmp_path: Path, today: str
) -> None:
    browser.load(write_report(cli, SHIPPED_PLANS, tmp_path / "report.html", today))
    browser.emulate_media("print")
    try:
        assert browser.evaluate(SMALLEST_TEXT) >= 12  # 9 pt
    finally:
        browser.emulate_media("")
    pdf = browser.print_to_pdf()
    pages = page_count(pdf)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: the footers cannot be read")
    import subprocess

    (tmp_path / "report.pdf").write_bytes(pdf)
    for page in (1, pages):
        text = subprocess.run(
            [pdftotext, "-f", str(page), "-l", str(page), "-layout", tmp_path / "report.pdf", "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        day = {"2022-10-01": "1 October 2022", "2026-11-30": "30 November 2026"}[today]
        assert f"Torbay Youth Offending Service · as at {day}" in text
        assert f"Page {page} of {pages}" in text


def test_pages_meeting_prints_only_the_part_for_the_meeting(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    browser.load(write_report(cli, SHIPPED_PLANS, tmp_path / "report.html", "2026-11-30", "--pages", "meeting"))
    pdf = browser.print_to_pdf()
    assert page_count(pdf) <= 2
    assert browser.evaluate("document.querySelector('#detail')") is None
    assert browser.evaluate("document.querySelector('#most-overdue tbody tr') !== null")


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


@pytest.fixture(scope="module")
def meeting_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report for a board's fourth meeting: the trend over four meetings, an indicator off
    track (in full, with its chart) and two in one line."""
    from typer.testing import CliRunner

    from yotplan.cli import app

    runner = CliRunner()

    def invoke(*args: str | Path) -> object:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    folder = tmp_path_factory.mktemp("meeting")
    repo: Repo = build_meeting_repo(invoke, folder / "repo")  # type: ignore[arg-type]
    page = folder / "report.html"
    result = runner.invoke(
        app, ["report", "--meeting", "yot-board@2023-03-14", "--plans", str(repo.plans), "-o", str(page)]
    )
    assert result.exit_code == 0, result.stderr
    return page


def test_the_meeting_charts_render_with_titles_and_fit(browser: Chromium, meeting_page: Path, tmp_path: Path) -> None:
    log = browser.load(meeting_page.as_uri(), width=1280, height=900)
    assert (log.requests, log.console_errors, log.exceptions) == ([meeting_page.as_uri()], [], [])
    captions = browser.evaluate(
        "[...document.querySelectorAll('figure.chart-figure figcaption')].map(c => c.innerText)"
    )
    assert captions == [
        "Recommendations by RAG status for each source",
        "Recommendations by RAG at each meeting of the YOT Management Board",
    ]
    # the trend: a bar per meeting, each drawn; the indicator: its line, target, baseline and readings
    bars = browser.evaluate(
        "[...document.querySelectorAll('#trend svg rect[data-count]')].filter(r => r.getBBox().width > 0).length"
    )
    assert bars >= 4
    spark = browser.evaluate(
        "(() => { const s = document.querySelector('#indicators svg.spark'); const b = s.getBoundingClientRect();"
        " return [Math.round(b.width), s.querySelectorAll('[data-part=reading]').length,"
        " s.querySelectorAll('[data-part=target]').length, s.querySelector('title').textContent]; })()"
    )
    assert spark[0] >= 280
    assert spark[1:3] == [3, 1]
    assert spark[3].startswith("Board meetings attended by CAMHS: baseline 50% on 2022-05-06")
    for width in (375, *DESKTOP_WIDTHS):
        browser.load(meeting_page.as_uri(), width=width, height=900)
        assert browser.overflowing() == [], width
    browser.screenshot(tmp_path / "meeting.png")
    pdf = browser.print_to_pdf()
    where = destinations(pdf)
    assert where["trend"].page <= where["indicators"].page <= where["most-overdue"].page < where["detail"].page


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


# The regional report: several services in one page ---------------------------------------------

LONG_WORD = "Westford-and-District-Youth-Justice-Service-whose-name-is-longer-than-any-column-of-any-table"


def write_regional(cli: Invoke, folders: tuple[Path, ...], target: Path, *args: str) -> str:
    plans = [arg for folder in folders for arg in ("--plans", str(folder))]
    result = cli("report", *plans, "--today", REGIONAL_TODAY, "-o", target, *args)
    assert result.exit_code == 0, result.stderr
    return target.as_uri()


@pytest.fixture
def long_names(tmp_path: Path) -> tuple[Path, ...]:
    """The three services, west with a name, a region and an action title of one very long word."""
    folders = []
    for name in NAMES:
        shutil.copytree(SERVICES / name, tmp_path / name)
        folders.append(tmp_path / name / "plans")
    west = folders[2]
    (west / "service.yaml").write_text(f"id: west\nname: {LONG_WORD}\nregion: {LONG_WORD}\n", encoding="utf-8")
    plan = west / "hmip-inspection.yaml"
    text = plan.read_text(encoding="utf-8").replace("Agree a CAMHS worker's time in the team", LONG_WORD)
    plan.write_text(text.replace("theme: CAMHS", f"theme: {LONG_WORD}"), encoding="utf-8")
    return tuple(folders)


def test_regional_report_renders_quietly_and_fetches_nothing(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    url = write_regional(cli, REGIONAL_FOLDERS, tmp_path / "regional.html")
    log = browser.load(url)
    assert log.requests == [url]
    assert log.console_errors == []
    assert log.exceptions == []
    assert log.dialogs == []
    assert browser.evaluate("document.scripts.length") == 0
    assert browser.evaluate("document.title") == "Regional report on 3 services as at 2023-03-01"
    assert browser.evaluate("document.querySelectorAll('svg.chart rect[data-count]').length") == 8
    assert browser.evaluate("document.querySelectorAll('section.service-page').length") == 3
    assert browser.evaluate("document.querySelectorAll('section.service-page a').length") == 0
    shot = browser.screenshot(tmp_path / "regional.png")
    assert shot.stat().st_size > 10_000


def test_regional_chart_has_a_visible_title(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    browser.load(write_regional(cli, REGIONAL_FOLDERS, tmp_path / "regional.html"))
    for media in ("screen", "print"):
        browser.emulate_media(media)
        titles = browser.evaluate(
            "[...document.querySelectorAll('svg.chart')].map(svg => {"
            " const caption = svg.closest('figure')?.querySelector('figcaption');"
            " const box = caption?.getBoundingClientRect();"
            " return [svg.querySelector('title').textContent, caption?.innerText,"
            " box ? box.height > 0 && box.width > 0 : false]; })"
        )
        assert titles == [["Recommendations by RAG status for each service"] * 2 + [True]], media
    browser.emulate_media("")


@pytest.mark.parametrize("width", [375, *DESKTOP_WIDTHS])
@pytest.mark.parametrize("variant", ["fixtures", "long-names"])
def test_regional_report_scrolls_sideways_nowhere(
    cli: Invoke, browser: Chromium, tmp_path: Path, long_names: tuple[Path, ...], variant: str, width: int
) -> None:
    folders = REGIONAL_FOLDERS if variant == "fixtures" else long_names
    browser.load(write_regional(cli, folders, tmp_path / "regional.html"), width=width, height=900)
    if width == 375:
        browser.resize(width, 900, mobile=True)
        assert browser.evaluate("getComputedStyle(document.querySelector('table.matrix td')).display") == "block"
    assert browser.evaluate("window.innerWidth") == width
    assert browser.overflowing() == []
    browser.screenshot(tmp_path / f"regional-{width}.png", full_page=True)
    browser.resize(1200, 900)


def test_regional_report_prints_each_service_on_its_own_a4_pages(
    cli: Invoke, browser: Chromium, tmp_path: Path, long_names: tuple[Path, ...]
) -> None:
    """The part for the meeting first; then each service from the top of a new page, so a
    printed copy reads in order and each service's pages can be handed out alone."""
    browser.load(write_regional(cli, long_names, tmp_path / "regional.html"))
    pdf = browser.print_to_pdf()
    (tmp_path / "regional.pdf").write_bytes(pdf)
    boxes = {tuple(round(float(n)) for n in m) for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes == {A4_POINTS}
    where = destinations(pdf)
    assert where["summary"].page == 1
    pages = [where[f"service-{name}"] for name in NAMES]
    assert where["themes"].page < pages[0].page < pages[1].page < pages[2].page < where["how-themes"].page
    for found in (*pages, where["how-themes"]):
        assert found.top > A4_POINTS[1] - 25, f"a service starts {A4_POINTS[1] - found.top:.0f} pt down its page"
    assert page_count(pdf) == where["how-themes"].page
    assert_fits_a4_in_print(browser)
