"""`bptutor validate`: check network and lesson files, reporting FILE:LINE: message for each problem."""

from __future__ import annotations

from pathlib import Path

from engine.tomlfile import FileProblems, Problem, read_toml
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
        from tutor.lessons import check_lesson

        return check_lesson(path, data, where, numbers=numbers)
    return [Problem(str(path), 1, "neither a network file (no [[layers]]) nor a lesson file (no [lesson] table)")]


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
