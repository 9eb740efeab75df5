"""The learner's display settings, kept apart from the progress record: `settings.json` in the data folder.

Only the theme for now (any of Textual's built-in themes, chosen with the command palette's "Change
theme"). A missing, damaged or unknown value is the default; a save that fails is only skipped: the
theme is a convenience, never a reason to stop.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tutor.progress import data_dir

FILE_NAME = "settings.json"
MAX_BYTES = 10_000  # a settings file is a few dozen bytes: a bigger one is not ours to read


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def load_settings() -> dict[str, str]:
    path = settings_path()
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: value for key, value in data.items() if isinstance(key, str) and isinstance(value, str)}


def save_setting(key: str, value: str) -> bool:
    """Set one setting (atomically: a temporary file renamed over the old one); False if it could not be saved."""
    path = settings_path()
    data = load_settings()
    data[key] = value
    temp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
        return False
    return True
