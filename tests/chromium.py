"""A tiny headless-Chromium driver over the DevTools protocol, standard library only.

Chromium started with `--remote-debugging-pipe` reads protocol commands on fd 3 and writes
replies and events on fd 4, each message a JSON text ended by a NUL byte. That is all a test
needs to open a page, watch its console, network and dialogs, and take a screenshot, without
a browser-automation package.

Scroll bars are left as a browser shows them (no --hide-scrollbars): a box that scrolls
sideways shows its bar in the screenshots, and `overflowing()` reports it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = (
    os.environ.get("YOTPLAN_CHROMIUM")  # another Chromium-based browser (Google Chrome on GitHub's runners)
    or shutil.which("chromium")
    or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
)

FLAGS = [
    "--headless",
    "--no-sandbox",  # the tests run as root in containers; the page is our own file
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--remote-debugging-pipe",
]


OVERFLOWING = """
[document.documentElement, ...document.querySelectorAll('body *')]
  .filter(el => el instanceof HTMLElement || el.localName === 'svg')
  .filter(el => el.scrollWidth > el.clientWidth)
  .map(el => {
    const name = el.localName + (el.id ? '#' + el.id : '')
      + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    return `${name}: ${el.scrollWidth} px of content in ${el.clientWidth} px`;
  })
"""
"""JavaScript: every box (and the page itself) whose content is wider than the box, i.e. that
scrolls sideways or spills over its edge. Boxes without a layout width (inline text, SVG
shapes) have a clientWidth of 0 and are not counted; the outer <svg> is."""


@dataclass
class PageLog:
    """What a page did while it loaded."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


class Chromium:
    """One headless Chromium process and one page (tab) in it."""

    def __init__(self, user_data_dir: Path, timeout: float = 120.0) -> None:
        assert CHROMIUM, "chromium is not installed"
        import fcntl  # POSIX: the browser's pipe is wired to fds 3 and 4

        self.timeout = timeout
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()

        def wire_fds() -> None:  # in the child, before exec: our pipe ends become fds 3 and 4
            read_end = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={user_data_dir}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # only fds 0-4 are inheritable: Python opens everything else close-on-exec
            preexec_fn=wire_fds,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._next_id = 0
        self._write_lock = threading.Lock()
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read_messages, daemon=True)
        self._reader.start()
        self.session = self._open_page()

    # protocol plumbing ---------------------------------------------------------------------

    def _read_messages(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message and message["id"] in self._replies:
                    self._replies[message["id"]].put(message)
                else:
                    self._events.put(message)
                    if message.get("method") == "Page.javascriptDialogOpening":
                        # an open alert() blocks the page; dismiss it so the test can go on and fail
                        self._send("Page.handleJavaScriptDialog", {"accept": False}, message.get("sessionId"))

    def _send(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        with self._write_lock:
            self._next_id += 1
            message_id = self._next_id
            self._replies[message_id] = queue.Queue()
            message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
            if session:
                message["sessionId"] = session
            os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return message_id

    def call(self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False) -> dict[str, Any]:
        """Send a command to the page (or the browser) and return its result."""
        message_id = self._send(method, params, None if browser else self.session)
        try:
            reply = self._replies[message_id].get(timeout=self.timeout)
        except queue.Empty:
            raise TimeoutError(f"chromium did not answer {method} in {self.timeout} s") from None
        finally:
            self._replies.pop(message_id, None)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def _open_page(self) -> str:
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        session: str = self.call("Target.attachToTarget", {"targetId": target, "flatten": True}, browser=True)[
            "sessionId"
        ]
        return session

    # what tests use ------------------------------------------------------------------------

    def load(self, url: str, *, width: int = 1200, height: int = 900, settle: float = 0.5) -> PageLog:
        """Open `url`, wait for its load event and for `settle` seconds of quiet; report what happened."""
        self.session_call_setup(width, height)
        self.drain()
        self.call("Page.navigate", {"url": url})
        log = PageLog()
        deadline = time.monotonic() + self.timeout
        loaded = False
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            try:
                event = self._events.get(timeout=0.05)
            except queue.Empty:
                if loaded and time.monotonic() - quiet_since >= settle:
                    return log
                continue
            quiet_since = time.monotonic()
            loaded = self._record(event, log) or loaded
        raise TimeoutError(f"{url} did not finish loading in {self.timeout} s")

    def session_call_setup(self, width: int, height: int) -> None:
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.resize(width, height)

    def resize(self, width: int, height: int, *, mobile: bool = False) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def drain(self) -> None:
        while not self._events.empty():
            self._events.get_nowait()

    def _record(self, event: dict[str, Any], log: PageLog) -> bool:
        """Note what the event says about the page; True when it is the load event."""
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            log.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            log.console_errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            log.exceptions.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            log.console_errors.append(params["entry"].get("text", ""))
        elif method == "Page.javascriptDialogOpening":
            log.dialogs.append(f"{params.get('type')}: {params.get('message')}")
        return method == "Page.loadEventFired"

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (run by DevTools, not by the page)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result["result"].get("value")

    def overflowing(self) -> list[str]:
        """The boxes whose content is wider than they are (see OVERFLOWING); [] when none."""
        found: list[str] = self.evaluate(OVERFLOWING)
        return found

    def print_to_pdf(self) -> bytes:
        """The page printed as the report asks (`@page { size: A4 }`), backgrounds included."""
        result = self.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
        return base64.b64decode(result["data"])

    def emulate_media(self, media: str) -> None:
        """Lay the page out for "print" or "screen" ("" goes back to the default)."""
        self.call("Emulation.setEmulatedMedia", {"media": media})

    def screenshot(self, path: Path, *, full_page: bool = False) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
            params["captureBeyondViewport"] = True
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", params)["data"]))
        return path

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close", browser=True)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def main(argv: list[str]) -> None:
    """`python tests/chromium.py PAGE.html SHOT.png [WIDTH HEIGHT]`: a screenshot of a page, for docs."""
    import tempfile

    page, shot = Path(argv[0]).resolve(), Path(argv[1])
    width, height = (int(argv[2]), int(argv[3])) if len(argv) == 4 else (1100, 1400)
    with tempfile.TemporaryDirectory() as profile, Chromium(Path(profile)) as browser:
        log = browser.load(page.as_uri(), width=width, height=height)
        if log.requests != [page.as_uri()] or log.console_errors or log.exceptions or log.dialogs:
            raise SystemExit(f"the page misbehaved: {log}")
        browser.screenshot(shot)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
