"""`bptutor validate`: check network and lesson files, reporting FILE:LINE: message for each problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from engine.tomlfile import FileProblems, Locator, Problem, read_toml
from tutor.lessons.files import file_kind


def check_file(path: Path, numbers: bool = False) -> list[Problem]:
    """Every problem of one file. With `numbers`, a lesson's text may write no decimal number that
    its [[values]] tables do not declare."""
    from engine.netfile import check_network

    try:
        data, where = read_toml(path)
    except FileProblems as err:
        return err.problems
    kind = file_kind(data)
    if kind == "network":
        return check_network(str(path), data, where)[1]
    if kind == "lesson":
        return check_lesson(path, data, where, numbers=numbers)
    return [Problem(str(path), 1, "neither a network file (no [[layers]]) nor a lesson file (no [lesson] table)")]


def check_lesson(path: str | Path, data: dict, where: Locator, numbers: bool = False) -> list[Problem]:
    """Every problem of a parsed lesson file: its own keys and values, then what its networks reveal,
    then every quoted value the engine does not agree with. With `numbers`, also every decimal number
    the text writes that no `[[values]]` table declares (see tutor/lessons/values.py).

    Pages and values that read cleanly are checked against their networks even when others have problems.
    """
    from tutor.lessons.networks import Networks, check_values
    from tutor.lessons.parse import LessonReader

    reader = LessonReader(Path(path), where)
    lesson = reader.lesson(data)
    networks = Networks()
    pages = [problem for page in reader.pages for problem in page.check(networks)]
    problems = reader.problems + pages + check_values(reader.values, networks)
    if numbers and lesson is not None:
        from tutor.lessons.values import undeclared_numbers

        problems += undeclared_numbers(lesson)
    return problems


def validate_paths(
    paths: list[Path], numbers: bool = False, on_file: Callable[[int, int], None] | None = None
) -> tuple[list[Problem], int]:
    """Check every file given, and every .toml file under every folder given; on_file(done, total) is
    called after each file (the command line's progress lines)."""
    problems: list[Problem] = []
    work: list[Path | Problem] = []  # the files to check and the paths' own problems, in the order given
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("*.toml"))
            work.extend(found or [Problem(str(path), None, "no .toml files in this folder")])
        elif path.exists():
            work.append(path)
        else:
            work.append(Problem(str(path), None, "no such file or folder"))
    checked = sum(isinstance(each, Path) for each in work)
    done = 0
    if on_file is not None:
        on_file(0, checked)
    for each in work:
        if isinstance(each, Problem):
            problems.append(each)
            continue
        problems.extend(check_file(each, numbers))
        done += 1
        if on_file is not None:
            on_file(done, checked)
    # A network used by several lessons is checked with each of them: report its problems once.
    return list(dict.fromkeys(problems)), checked
