"""One page of every bundled lesson, as a student sees it: its first trace, unroll or descent page,
three steps in (a lesson with none: its first train page).

These use the bundled lessons, so a change to a lesson's text or network changes its picture: look at
the new one and update with --snapshot-update. (Quiz pages draw fresh numbers each visit, and train
pages wait for the learner, so the stepping pages are the ones pictured.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app_support import make_app
from tests.conftest import ROOT
from tutor.lessons import discover_lessons, load_lesson

LESSONS = [load_lesson(path) for path in sorted((ROOT / "lessons").glob("*.toml"))]


STEPPING = ("trace", "unroll", "descent", "clusters")  # the page kinds a key moves on (clusters: r)


def first_stepping_page(lesson) -> int:
    """The first page a key steps through; for a lesson that has none, its first train page."""
    stepping = [page.index for page in lesson.pages if page.kind in STEPPING]
    return stepping[0] if stepping else next(page.index for page in lesson.pages if page.kind == "train")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_a_page_of_each_lesson(snap_compare, lesson):
    async def run_before(pilot) -> None:
        pilot.app.open_lesson(lesson.id, first_stepping_page(lesson))
        await pilot.pause()
        await pilot.pause()
        await pilot.press("right", "right", "right")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(100, 32), run_before=run_before)


def test_every_lesson_the_app_lists_is_pictured_on_its_first_stepping_page():
    # the lessons pictured are the ones the home screen lists, none broken and none left out
    found = discover_lessons([])
    assert found.problems == []
    assert sorted(lesson.id for lesson in found.lessons) == sorted(lesson.id for lesson in LESSONS)
    pictured = sorted(path.name for path in (Path(__file__).parent / "__snapshots__" / Path(__file__).stem).iterdir())
    assert pictured == sorted(f"test_a_page_of_each_lesson[{lesson.id}].svg" for lesson in LESSONS)
    for lesson in LESSONS:
        index = first_stepping_page(lesson)  # every lesson has one: next() would raise otherwise
        assert lesson.pages[index].kind in (*STEPPING, "train")
        assert all(page.kind not in STEPPING for page in lesson.pages[:index])
