"""Where lesson and network files are: the bundled folder, instructors' folders, a page's network."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

NETWORKS = "networks"  # the subfolder that holds network files, never lessons


@cache
def bundled_dir() -> Path:
    """The `lessons` package folder (works from a checkout and from a plain `pip install .`)."""
    return Path(str(files("lessons")))


def network_folders(lesson_file: Path) -> list[Path]:
    """Where a lesson's `network = "NAME"` is looked for, in order."""
    here = lesson_file.parent
    return [here, here / NETWORKS, bundled_dir() / NETWORKS]


def find_network(name: str, lesson_file: Path) -> Path | None:
    for folder in network_folders(lesson_file):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


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
