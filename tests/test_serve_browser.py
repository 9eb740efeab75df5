"""`bptutor serve` in a real browser: headless Chromium (the system's, driven by Playwright) opens the
page, waits for the terminal, opens a lesson and steps a term. xterm.js draws on a canvas, so what
the app drew is read from the websocket frames the browser receives; a screenshot is kept too
(in $BPTUTOR_SCREENSHOTS if set, to look at).

Run it alone: `.venv/bin/python -m pytest tests/test_serve_browser.py` (needs `apt-get install chromium`;
.ci/run installs it).
"""

from __future__ import annotations

import codecs
import os
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed: pip install -e '.[test]'")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")

from tests.serve_support import ANSI, HOME_TEXT, Served  # noqa: E402

CHROMIUM = os.environ.get("BPTUTOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium here: 'apt-get install chromium' (or set BPTUTOR_CHROMIUM to a browser)"
)


class Stream:
    """What the app drew, as the page's websocket received it."""

    def __init__(self):
        self.text = ""
        self.mark = 0  # where the text drawn after the last key press starts
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            self.text += ANSI.sub("", self._decoder.decode(payload))

    def press(self, page, key: str) -> None:
        self.mark = len(self.text)
        page.keyboard.press(key)

    def wait_for(self, page, text: str, timeout: float = 60) -> None:
        """Until `text` is drawn (after the last key press)."""
        deadline = time.monotonic() + timeout
        while text not in self.text[self.mark :]:
            if time.monotonic() > deadline:
                Path(os.environ.get("BPTUTOR_SCREENSHOTS") or ".").joinpath("stream.txt").write_text(self.text)
                raise AssertionError(f"{text!r} was not drawn within {timeout} s: {self.text[-800:]}")
            page.wait_for_timeout(100)  # lets Playwright deliver the frames


def test_a_lesson_in_headless_chromium(tmp_path):
    shots = Path(os.environ.get("BPTUTOR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with Served() as server, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            # Only this server: the page also asks for a web font, which a classroom without internet lacks.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(server.url) or route.request.url.startswith("ws://127.0.0.1")
                    else route.abort()
                ),
            )
            stream = Stream()
            page.on("websocket", lambda ws: ws.on("framereceived", stream.frame))
            page.goto(server.url + "/", wait_until="domcontentloaded")
            page.wait_for_selector("body.-first-byte", timeout=60_000)  # textual-serve's page: the app is drawing
            stream.wait_for(page, HOME_TEXT)
            page.wait_for_timeout(500)
            page.screenshot(path=shots / "1-home.png")

            page.focus("#terminal textarea")  # xterm.js's keyboard input (a click would click in the app)
            stream.press(page, "Enter")  # the first lesson, the tour
            stream.wait_for(page, "What this tutor is for")
            stream.press(page, "PageDown")  # its trace page
            stream.wait_for(page, "step 0/23")
            stream.press(page, "ArrowRight")  # the first term: n_hid = a_in · w1 = 0.03 × 0.13
            stream.wait_for(page, "0.0039")
            assert "term 1 of 23" in stream.text
            page.wait_for_timeout(500)
            page.screenshot(path=shots / "2-trace-step.png")
            assert (shots / "2-trace-step.png").stat().st_size > 10_000  # a drawn screen, not a blank page
            assert len(server.sessions()) == 1
        finally:
            browser.close()
        for _ in range(100):  # the tab is gone: so is its session
            if not server.sessions():
                break
            time.sleep(0.1)
        assert not server.sessions()
