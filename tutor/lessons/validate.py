"""`bptutor validate`: check network and lesson files, reporting FILE:LINE: message for each problem."""

from __future__ import annotations

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


def validate_paths(paths: list[Path], numbers: bool = False) -> tuple[list[Problem], int]:
    """Check every file given, and every .toml file under every folder given."""
    problems: list[Problem] = []
    checked = 0
    for path in paths:
        if path.is_dir():
            files = sorted(path.rglob("*.toml"))
            if not files:
                problems.append(Problem(str(path), None, "no .toml files in this folder"))
        elif path.exists():
            files = [path]
        else:
            problems.append(Problem(str(path), None, "no such file or folder"))
            continue
        for file in files:
            checked += 1
            problems.extend(check_file(file, numbers))
    # A network used by several lessons is checked with each of them: report its problems once.
    return list(dict.fromkeys(problems)), checked
