"""The learner's settings live in ONE store: the record's `settings` (tutor.progress), beside the pages done and
the reviews, so a downloaded record carries them and two windows merge them like the rest.

Issue 16 kept the theme in a file of its own, `settings.json` in the data folder. `fold_settings_file` moves
what that file holds into the record the first time the app starts (a setting the record already has stays
as it is) and, once the record is saved, renames the file `settings.json.migrated`: nothing is lost, and the
old file is not read again. A damaged or oversized file is left where it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tutor.progress import Progress, data_dir

FILE_NAME = "settings.json"
MAX_BYTES = 10_000  # a settings file is a few dozen bytes: a bigger one is not ours to read
THEME = "theme"  # the Textual theme chosen with the palette's "Change theme"


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def read_settings_file(path: Path | None = None) -> dict[str, str] | None:
    """What an issue-16 settings.json holds; None if there is none, or it is not one."""
    path = path or settings_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    return {key: value for key, value in data.items() if isinstance(key, str) and isinstance(value, str)}


def fold_settings_file(progress: Progress) -> bool:
    """Move settings.json into the record's settings (True if it was moved: the record saved, the file renamed)."""
    path = settings_path()
    found = read_settings_file(path)
    if found is None:
        return False
    for key, value in found.items():
        if progress.setting(key) is None:
            progress.set_setting(key, value)
    if not progress.writable or progress.save() is not None:
        return False  # the file stays until the record that holds its settings is saved
    try:
        os.replace(path, path.with_name(FILE_NAME + ".migrated"))
    except OSError:
        return False
    return True
