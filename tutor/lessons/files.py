"""Where lesson and network files are: the bundled folder, instructors' folders, a page's network."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

NETWORKS = "networks"  # the subfolder that holds network files, never lessons


@cache
def bundled_dir() -> Path:
    """The `lessons` package folder (works from a checkout and from a plain `pip install .`).

    Read from the package's own file: importlib.resources would import zipfile and more at start-up.
    """
    import lessons

    return Path(lessons.__file__).parent


def network_folders(lesson_file: Path) -> list[Path]:
    """Where a lesson's `network = "NAME"` is looked for, in order."""
    here = lesson_file.parent
    return [here, here / NETWORKS, bundled_dir() / NETWORKS]


def find_network(name: str, lesson_file: Path) -> Path | None:
    """The network file `name` names, inside the lesson's folder tree or the bundled networks; None if none.

    A name that leads out of those folders (`..`, an absolute path, a link pointing elsewhere) is
    never opened: `leaves_lesson_folder` and `links_out` tell the author why.
    """
    if leaves_lesson_folder(name):
        return None
    for folder in network_folders(lesson_file):
        candidate = folder / name
        if _inside(candidate, lesson_file) and candidate.is_file():
            return candidate
    return None


def leaves_lesson_folder(name: str) -> bool:
    """True when a network's name points out of the folder it is looked up in (judged on the name alone)."""
    path = Path(name)
    return path.is_absolute() or ".." in path.parts or name.startswith("~")


def links_out(name: str, lesson_file: Path) -> bool:
    """True when `name`, looked up beside the lesson, is a link out of the folders a lesson may read."""
    candidates = [folder / name for folder in network_folders(lesson_file)]
    return any(os.path.lexists(c) and not _inside(c, lesson_file) for c in candidates)


def _inside(candidate: Path, lesson_file: Path) -> bool:
    """Whether `candidate`, links followed, lies in the lesson's folder tree or the bundled networks."""
    roots = (lesson_file.parent.resolve(), (bundled_dir() / NETWORKS).resolve())
    target = candidate.resolve()
    return any(target.is_relative_to(root) for root in roots)


def toml_files(root: Path) -> list[Path]:
    """Every .toml file under `root` (or `root` itself), skipping `networks/` subfolders, sorted."""
    if root.is_file():
        return [root]
    found = []
    for path in sorted(root.rglob("*.toml")):
        if NETWORKS not in path.relative_to(root).parts[:-1]:
            found.append(path)
    return found


def file_kind(data: dict) -> str:
    """'network' for files with [[layers]], 'lesson' for files with a [lesson] table or pages."""
    if "layers" in data:
        return "network"
    if "lesson" in data or "pages" in data:
        return "lesson"
    return "unknown"
