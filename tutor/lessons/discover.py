"""Find lessons: the bundled ones and every lesson file in the folders an instructor adds.

Listing lessons (deep=False) reads and checks the lesson files only: it imports no NumPy and
builds no network, so the home screen opens fast; a lesson listed before without a problem is shown
from its cached outline and its pages are read when first used (tutor/lessons/cache.py). deep=True
also checks every page against its networks, as `bptutor validate` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from engine.tomlfile import FileProblems, Locator, Problem, read_toml
from tutor.lessons.files import bundled_dir, file_kind, toml_files
from tutor.lessons.model import Found, LazyLesson, Lesson, Origin, Outline
from tutor.lessons.wording import show


def is_lesson(data: dict) -> bool:
    """Lesson files have a [lesson] table (or pages); network files have [[layers]]."""
    return file_kind(data) == "lesson"


def load_lesson(path: str | Path, deep: bool = False) -> Lesson:
    """Read one lesson file; raise FileProblems with every problem found (network checks too if deep)."""
    data, where = read_toml(path)
    return _lesson(Path(path), data, where, deep)


def _lesson(path: Path, data: dict, where: Locator, deep: bool, located: dict | None = None) -> Lesson:
    from tutor.lessons.parse import parse_lesson  # not needed to list lessons from their outlines

    lesson, problems = parse_lesson(path, data, where, located)
    if lesson is not None and deep:
        from tutor.lessons.networks import Networks, check_page, check_values

        networks = Networks()
        problems = [problem for page in lesson.pages for problem in check_page(page, networks)]
        problems += check_values(lesson.values, networks)
    if problems:
        raise FileProblems(problems)
    return lesson


def _listed(file: Path, data: dict, where: Locator, outline: Outline | None, located: dict) -> LazyLesson | None:
    """The lesson listed from the outline kept from an earlier run, its pages read when first used; None when
    there is no outline or a network file it names has gone (it is then read and checked now)."""
    if outline is None or not all(os.path.isfile(network) for network in outline.networks):
        return None
    return LazyLesson(
        outline, file, Origin(str(file), ("lesson",), where), partial(_lesson, file, data, where, False, located)
    )


def discover_lessons(extra_dirs: Iterable[str | Path] = (), deep: bool = False, cache: Path | None = None) -> Found:
    """The bundled lessons and those in `extra_dirs`, sorted by order then id.

    A broken lesson is reported and left out; so is a lesson whose id an earlier one already took
    (bundled lessons come first, then the folders in the order given). `cache`: a file that keeps
    what each lesson file parsed to between runs (tutor.lessons.cache; the app's start-up uses it).
    """
    from tutor.lessons.cache import ParseCache

    parsed = ParseCache(cache)
    found = Found()
    taken: dict[str, Lesson] = {}
    located: dict = {}  # network look-ups, shared by every lesson listed now (LessonReader.locate)
    for folder in [bundled_dir(), *(Path(d) for d in extra_dirs)]:
        if not folder.exists():
            found.problems.append(Problem(str(folder), None, "no such lesson folder"))
            continue
        for file in toml_files(folder):
            try:
                data, where = parsed.read(file)
                if not is_lesson(data):
                    continue
                lesson = None if deep else _listed(file, data, where, parsed.outline(file), located)
                if lesson is None:
                    lesson = _lesson(file, data, where, deep, located)
                    parsed.keep_outline(file, lesson.outline())
            except FileProblems as err:
                found.problems.extend(err.problems)
                continue
            if lesson.id in taken:
                line = lesson.origin.line("id") if lesson.origin else None
                first = taken[lesson.id].file
                message = f"lesson id {show(lesson.id)} is already used by {first}; this lesson was left out"
                found.problems.append(Problem(str(file), line, message))
                continue
            taken[lesson.id] = lesson
            found.lessons.append(lesson)
    parsed.save()
    found.lessons.sort(key=Lesson.sort_key)
    return found
