"""`bptutor serve` in a real browser: headless Chromium (the system's, driven by Playwright) opens the
page, waits for the terminal, opens a lesson and steps a term. xterm.js draws on a canvas, so what
the app drew is read from the websocket frames the browser receives; a screenshot is kept too
(in $BPTUTOR_SCREENSHOTS if set, to look at).

Run it alone: `.venv/bin/python -m pytest tests/test_serve_browser.py` (needs `apt-get install chromium`;
.ci/run installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("textual_serve", reason="textual-serve is not installed: pip install -e '.[test]'")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")

from tests.serve_support import HOME_TEXT, Drawn, Served  # noqa: E402

CHROMIUM = os.environ.get("BPTUTOR_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium here: 'apt-get install chromium' (or set BPTUTOR_CHROMIUM to a browser)"
)


LOADED = {"version": 1, "last": None, "lessons": {"chain-rule": {"done": True, "pages_done": list(range(9))}}}


def press(page, drawn: Drawn, key: str) -> None:
    drawn.set_mark()
    page.keyboard.press(key)


def wait_for(page, drawn: Drawn, text: str, timeout: float = 60) -> None:
    """Until `text` is drawn (after the last key press); Playwright delivers the frames while it waits."""
    deadline = time.monotonic() + timeout
    while text not in drawn.since_mark():
        if time.monotonic() > deadline:
            if os.environ.get("BPTUTOR_SCREENSHOTS"):
                Path(os.environ["BPTUTOR_SCREENSHOTS"], "stream.txt").write_text(drawn.text)
                page.screenshot(path=Path(os.environ["BPTUTOR_SCREENSHOTS"], "failed.png"))
            raise AssertionError(f"{text!r} was not drawn within {timeout} s: {drawn.text[-800:]}")
        page.wait_for_timeout(100)


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
            stream = Drawn()
            page.on("websocket", lambda ws: ws.on("framereceived", stream.add))
            page.goto(server.url + "/", wait_until="domcontentloaded")
            page.wait_for_selector("body.-first-byte", timeout=60_000)  # textual-serve's page: the app is drawing
            wait_for(page, stream, HOME_TEXT)
            page.wait_for_timeout(500)
            page.screenshot(path=shots / "1-home.png")

            page.focus("#terminal textarea")  # xterm.js's keyboard input (a click would click in the app)
            press(page, stream, "Enter")  # the first lesson, the tour
            wait_for(page, stream, "What this tutor is for")
            press(page, stream, "PageDown")  # its trace page
            wait_for(page, stream, "step 0/23")
            press(page, stream, "ArrowRight")  # the first term: n_hid = a_in · w1 = 0.03 × 0.13
            wait_for(page, stream, "0.0039")
            assert "term 1 of 23" in stream.text
            page.wait_for_timeout(500)
            page.screenshot(path=shots / "2-trace-step.png")
            assert (shots / "2-trace-step.png").stat().st_size > 10_000  # a drawn screen, not a blank page
            assert len(server.sessions()) == 1

            # Download my progress: the browser gets the record as a file.
            press(page, stream, "Escape")
            wait_for(page, stream, HOME_TEXT)
            with page.expect_download(timeout=30_000) as download:
                press(page, stream, "d")
            assert download.value.suggested_filename == "bptutor-progress.json"
            record = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
            assert record["lessons"]["tour"]["steps"] == {"1": 1}  # the trace page, one term stepped
            assert record["last"] == {"lesson": "tour", "page": 1, "step": 1}

            # Load progress: a record pasted into the box is merged in, and the lesson list shows it.
            press(page, stream, "l")
            wait_for(page, stream, "Load progress")
            stream.set_mark()
            page.keyboard.insert_text(json.dumps(LOADED))
            wait_for(page, stream, '"lessons"')  # the pasted record drawn: a late redraw of it cannot pass for Tab's
            page.wait_for_timeout(300)
            press(page, stream, "Tab")  # to the Load button, as a learner would: one key, then the next
            wait_for(page, stream, "Load")  # the button redrawn with the keyboard on it
            page.wait_for_timeout(300)
            press(page, stream, "Enter")
            wait_for(page, stream, "Loaded a record")
            wait_for(page, stream, "done ✓")  # the chain rule lesson, on the lesson list
            page.wait_for_timeout(500)
            page.screenshot(path=shots / "3-loaded.png")
        finally:
            browser.close()
        for _ in range(100):  # the tab is gone: so is its session
            if not server.sessions():
                break
            time.sleep(0.1)
        assert not server.sessions()
