"""What the app's tests share: a fixed set of lessons in place of the bundled ones, and a quiet app."""

from __future__ import annotations

import time
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


def footer_keys(screen) -> list[str]:
    """The keys the screen's footer draws, left to right, each as "key description" (a key of a group: the key
    alone; its group's label is not a key), the palette hint last; only keys drawn whole within the width."""
    return [f"{key.display} {key.description}".strip() for key in screen.query_one("KeysFooter").shown()]


def record_notifications(app: BPTutorApp) -> list[str]:
    """Every message the app shows with `notify` from now on, in order (call before `run_test`).

    Textual's `App.notify` is the one public door for messages (a widget's `notify` calls the app's);
    wrapping it on this instance records each message and still shows it.
    """
    messages: list[str] = []
    notify = app.notify

    def record(message, **kwargs):
        messages.append(str(message))
        notify(message, **kwargs)

    app.notify = record
    return messages


def toasts_on_screen(app: BPTutorApp) -> list[str]:
    """The text of every message shown now at the bottom right (Textual's Toast widgets), top first.

    Only with `run_test(notifications=True)` (Textual's tests leave toasts out by default), and the
    rack is refreshed after a message arrives: let the app run (`pilot.pause()`) first.
    """
    return [toast.render().plain for toast in app.screen.query("Toast")]


async def open_page(pilot, page: str, lesson: str = "basics"):
    """Open a page of a test lesson; returns its view, all there."""
    pilot.app.open_lesson(lesson, PAGE[page])
    await pilot.pause()
    await pilot.pause()
    return await page_opened(pilot)


async def page_opened(pilot):
    """The view of the page on screen once it is all there: a train page first draws a line that says it is
    opening, and mounts its parts after (PageView.opening)."""
    assert await settle(pilot, lambda: (view := pilot.app.screen.view) is not None and not view.opening)
    await pilot.pause()
    return pilot.app.screen.view


def lab_views(view) -> list[type]:
    """The kinds of lab panel a train page offers, in the order `l` shows them (each made when first shown)."""
    return [type(make(view.net)) for make in view.lab]


async def settle(pilot, ready, tries: int = 200, every: float = 0.05) -> bool:
    """Let the app run (workers, timers) until `ready()` is true, or `tries` × `every` seconds have passed.

    It looks every 10 ms: a test goes on as soon as the app is ready, not at the next `every`.
    """
    deadline = time.monotonic() + tries * every
    while not ready():
        if time.monotonic() > deadline:
            return ready()
        await pilot.pause(0.01)
    return True


@pytest.fixture(name="held_traces")
def held_traces_fixture(monkeypatch):
    """Every unroll page counts as big (its trace is built in a thread), and that build waits for
    `held_traces.release`. A sequence traced in the app's own thread is not held but listed in
    `held_traces.in_app_thread`: opening a page that builds one there freezes the screen for the whole build."""
    import threading
    from types import SimpleNamespace

    import engine.sequence_trace

    monkeypatch.setattr("tutor.screens.lesson.trace.BACKGROUND_FROM", 1)
    held = SimpleNamespace(release=threading.Event(), in_app_thread=[])
    build, app_thread = engine.sequence_trace.build_sequence_trace, threading.get_ident()

    def held_build(*args, **kwargs):
        if threading.get_ident() == app_thread:
            held.in_app_thread.append(args)
        else:
            held.release.wait(10)
        return build(*args, **kwargs)

    monkeypatch.setattr(engine.sequence_trace, "build_sequence_trace", held_build)
    yield held
    held.release.set()  # a test that failed while holding does not leave its worker waiting
