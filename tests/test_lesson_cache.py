"""The app's start-up keeps what each lesson file parsed to (tutor/lessons/cache.py): the same lessons, fewer parses."""

from __future__ import annotations

import json

import pytest

from tests.conftest import NETWORKS
from tutor.lessons import discover_lessons
from tutor.lessons.cache import CACHE_ENV, cache_file
from tutor.progress import Progress

LESSON = """[lesson]
id = "cached"
title = "{title}"
summary = "A lesson to cache."
order = {order}

[[pages]]
kind = "trace"
title = "Stepping"
network = "xor.toml"
"""


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "cached.toml").write_text(LESSON.format(title="First", order=50), encoding="utf-8")
    return folder


def listing(folder, cache):
    found = discover_lessons([folder], cache=cache)
    return {lesson.id: lesson for lesson in found.lessons}, [str(problem) for problem in found.problems]


def test_the_second_listing_parses_nothing_and_finds_the_same_lessons(folder, tmp_path, monkeypatch):
    cache = tmp_path / "data" / "lesson-cache.json"
    first, problems = listing(folder, cache)
    assert problems == [] and cache.is_file()
    assert str((folder / "cached.toml").resolve()) in json.loads(cache.read_text(encoding="utf-8"))["files"]

    def no_parsing(*args, **kwargs):
        raise AssertionError("a lesson file was parsed again")

    monkeypatch.setattr("tutor.lessons.cache.read_toml", no_parsing)
    second, problems = listing(folder, cache)
    assert problems == []
    assert list(second) == list(first)
    assert [lesson.pages for lesson in second.values()] == [lesson.pages for lesson in first.values()]
    assert second["cached"].title == "First" and second["cached"].pages[0].network.file.name == "xor.toml"


def test_a_changed_file_is_parsed_again(folder, tmp_path):
    cache = tmp_path / "lesson-cache.json"
    listing(folder, cache)
    (folder / "cached.toml").write_text(LESSON.format(title="Second", order=50), encoding="utf-8")
    lessons, problems = listing(folder, cache)
    assert problems == [] and lessons["cached"].title == "Second"


def test_a_lesson_broken_after_it_was_cached_is_listed_with_its_file_and_line(folder, tmp_path):
    cache = tmp_path / "lesson-cache.json"
    listing(folder, cache)
    (folder / "cached.toml").write_text(LESSON.format(title="First", order='"fifty"'), encoding="utf-8")
    lessons, problems = listing(folder, cache)
    assert "cached" not in lessons
    assert problems == [f"{folder / 'cached.toml'}:5: 'order' should be a whole number, got 'fifty'"]
    # data read back from the cache meets every check again: a network it names that is not there is noticed
    (folder / "cached.toml").write_text(LESSON.format(title="First", order=50).replace("xor.toml", "gone.toml"))
    for _ in range(2):  # parsed, then from the cache
        lessons, problems = listing(folder, cache)
        assert "cached" not in lessons
        assert problems[0].startswith(f"{folder / 'cached.toml'}:10: no network file 'gone.toml'")


@pytest.mark.parametrize("content", ["{not json", '{"version": 1, "files": []}', '{"version": 99, "files": {}}', "[]"])
def test_a_damaged_cache_is_rebuilt(folder, tmp_path, content):
    cache = tmp_path / "lesson-cache.json"
    cache.write_text(content, encoding="utf-8")
    lessons, problems = listing(folder, cache)
    assert problems == [] and lessons["cached"].title == "First"
    assert json.loads(cache.read_text(encoding="utf-8"))["version"] == 1


def test_an_unwritable_cache_is_done_without(folder, tmp_path):
    cache = tmp_path / "a-file" / "lesson-cache.json"
    (tmp_path / "a-file").write_text("not a folder")
    lessons, problems = listing(folder, cache)
    assert problems == [] and lessons["cached"].title == "First"


def test_a_lesson_listed_again_is_shown_from_its_outline_and_read_when_its_pages_are_used(
    folder, tmp_path, monkeypatch
):
    cache = tmp_path / "lesson-cache.json"
    first, _ = listing(folder, cache)
    kept = json.loads(cache.read_text(encoding="utf-8"))["files"][str((folder / "cached.toml").resolve())]
    assert kept["outline"]["page_titles"] == ["Stepping"] and kept["outline"]["quiz"] == {}

    def no_reading(*args, **kwargs):
        raise AssertionError("a lesson's pages were read")

    monkeypatch.setattr("tutor.lessons.parse.parse_lesson", no_reading)
    second, problems = listing(folder, cache)
    lesson = second["cached"]
    assert problems == [] and (lesson.id, lesson.title, lesson.summary, lesson.order) == (
        "cached",
        "First",
        "A lesson to cache.",
        50,
    )
    assert lesson.outline() == first["cached"].outline()
    assert Progress().lesson_overview(lesson) == Progress().lesson_overview(first["cached"])
    with pytest.raises(AssertionError, match="pages were read"):
        _ = lesson.pages
    monkeypatch.undo()
    assert lesson.pages == first["cached"].pages and lesson == first["cached"]


def test_a_network_file_gone_since_the_last_listing_is_noticed_by_the_next(folder, tmp_path):
    cache = tmp_path / "lesson-cache.json"
    (folder / "mine.toml").write_text((NETWORKS / "xor.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "cached.toml").write_text(LESSON.format(title="First", order=50).replace("xor.toml", "mine.toml"))
    lessons, problems = listing(folder, cache)
    assert problems == [] and lessons["cached"].pages[0].network.file == folder / "mine.toml"
    (folder / "mine.toml").unlink()
    lessons, problems = listing(folder, cache)
    assert "cached" not in lessons
    assert problems[0].startswith(f"{folder / 'cached.toml'}:10: no network file 'mine.toml'")


def test_a_second_listing_in_the_same_process_parses_nothing_even_with_a_fresh_cache(folder, tmp_path, monkeypatch):
    first, _ = listing(folder, tmp_path / "one.json")

    def no_parsing(*args, **kwargs):
        raise AssertionError("a lesson file was parsed again")

    monkeypatch.setattr("tutor.lessons.cache.read_toml", no_parsing)
    second, problems = listing(folder, tmp_path / "two.json")
    assert problems == [] and second == first
    assert json.loads((tmp_path / "two.json").read_text(encoding="utf-8")) == json.loads(
        (tmp_path / "one.json").read_text(encoding="utf-8")
    )


def test_the_app_keeps_its_lesson_cache_in_the_data_folder_unless_told_to_share_one(tmp_path, monkeypatch):
    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert cache_file(tmp_path / "data" / "lesson-cache.json") == tmp_path / "data" / "lesson-cache.json"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "shared.json"))
    assert cache_file(tmp_path / "data" / "lesson-cache.json") == tmp_path / "shared.json"


def test_an_outline_kept_by_another_version_of_bptutor_is_not_used(folder, tmp_path, monkeypatch):
    cache = tmp_path / "lesson-cache.json"
    listing(folder, cache)
    saved = json.loads(cache.read_text(encoding="utf-8"))
    for entry in saved["files"].values():
        entry["outline_by"] = "0.0.0"
    cache.write_text(json.dumps(saved), encoding="utf-8")
    monkeypatch.setattr("tutor.lessons.cache._SEEN", {})
    lessons, problems = listing(folder, cache)
    assert problems == [] and type(lessons["cached"]).__name__ == "Lesson"  # read afresh, not from the outline
    assert type(listing(folder, cache)[0]["cached"]).__name__ == "LazyLesson"  # and kept again for the next
