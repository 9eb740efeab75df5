"""What the app's tests share: a fixed set of lessons in place of the bundled ones, and a quiet app."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.app import BPTutorApp

APP_LESSONS = Path(__file__).parent / "data" / "app"
# The pages of the lesson "basics".
PAGE = {"text": 0, "trace": 1, "xor": 2, "unroll": 3, "train": 4, "quiz": 5, "encoder": 6}


@pytest.fixture
def test_lessons(monkeypatch):
    """The app lists the test lessons in place of the bundled ones, which other work may change."""
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: APP_LESSONS)


def make_app(**kwargs) -> BPTutorApp:
    """The app with animations off (snapshots and timing-free tests)."""
    app = BPTutorApp(**kwargs)
    app.animation_level = "none"
    return app


async def open_page(pilot, page: str, lesson: str = "basics"):
    """Open a page of a test lesson; returns its view."""
    pilot.app.open_lesson(lesson, PAGE[page])
    await pilot.pause()
    await pilot.pause()
    return pilot.app.screen.view


async def settle(pilot, ready, tries: int = 200, every: float = 0.05) -> bool:
    """Let the app run (workers, timers) until `ready()` is true, or `tries` pauses have passed."""
    for _ in range(tries):
        if ready():
            return True
        await pilot.pause(every)
    return ready()
