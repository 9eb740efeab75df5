"""One page of every bundled lesson, as a student sees it: its first trace or unroll page, three steps in.

These use the bundled lessons, so a change to a lesson's text or network changes its picture: look at
the new one and update with --snapshot-update. (Quiz pages draw fresh numbers each visit, and train
pages wait for the learner, so the stepping pages are the ones pictured.)
"""

from __future__ import annotations

import pytest

from tests.app_support import make_app
from tests.conftest import ROOT
from tutor.lessons import load_lesson

LESSONS = [load_lesson(path) for path in sorted((ROOT / "lessons").glob("*.toml"))]


def first_stepping_page(lesson) -> int:
    return next(page.index for page in lesson.pages if page.kind in ("trace", "unroll"))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_a_page_of_each_lesson(snap_compare, lesson):
    async def run_before(pilot) -> None:
        pilot.app.open_lesson(lesson.id, first_stepping_page(lesson))
        await pilot.pause()
        await pilot.pause()
        await pilot.press("right", "right", "right")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 32), run_before=run_before)


def test_every_bundled_lesson_has_a_stepping_page():
    assert len(LESSONS) == 11
    for lesson in LESSONS:
        assert first_stepping_page(lesson) >= 0
