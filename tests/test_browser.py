"""The HTML report in a real headless Chromium: it renders, fetches nothing, runs nothing.

Needs Debian's `chromium` (`.ci/run` installs it); skipped with the reason when it is absent.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from chromium import CHROMIUM, Chromium
from gitrepo import REPORT_PLANS

from conftest import SHIPPED_PLANS, Invoke

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
A4_POINTS = (595.0, 842.0)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    with Chromium(tmp_path_factory.mktemp("chromium-profile")) as chromium:
        yield chromium


def write_report(cli: Invoke, folder: Path, target: Path, today: str) -> str:
    result = cli("report", "--plans", folder, "--today", today, "-o", target)
    assert result.exit_code == 0, result.stderr
    return target.as_uri()


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


def test_fits_a_phone_without_sideways_scrolling(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    url = write_report(cli, SHIPPED_PLANS, tmp_path / "report.html", "2022-09-20")
    browser.load(url, width=375, height=800)
    browser.resize(375, 800, mobile=True)
    width, inner = browser.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner == 375
    # the action tables reflow into labelled blocks
    assert browser.evaluate("getComputedStyle(document.querySelector('table.reflow td')).display") == "block"
    browser.screenshot(tmp_path / "phone.png")
    browser.resize(1200, 900)


def test_prints_on_a4_without_clipped_tables(cli: Invoke, browser: Chromium, tmp_path: Path) -> None:
    browser.load(write_report(cli, SHIPPED_PLANS, tmp_path / "report.html", "2022-09-20"))
    pdf = base64.b64decode(
        browser.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"]
    )
    (tmp_path / "report.pdf").write_bytes(pdf)
    boxes = {tuple(round(float(n)) for n in m) for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes == {A4_POINTS}
    # Laid out at the printable width of A4 (210 mm less 2 x 12 mm margins, at 96 px per inch),
    # no table may stick out of the page.
    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        browser.resize(703, 1000)
        overflowing = browser.evaluate(
            "[...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right > 703.5).length"
        )
        assert overflowing == 0
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""})
        browser.resize(1200, 900)


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
