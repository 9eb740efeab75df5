"""What each lesson file parsed to, kept between runs so the app starts without parsing TOML again.

Parsing the lesson files with tomllib is half the time listing them takes; reading the same data
back from JSON takes a hundredth of it. The app keeps `lesson-cache.json` in the learner's data
folder (tutor.progress.data_dir): for each lesson file, a hash of its text and the data it parsed
to. A file whose text changed is parsed afresh. Only the parse is kept: every check still runs on
the data, so a broken lesson is listed with its FILE:LINE as before, and a network file that went
missing is noticed. A missing, damaged or unwritable cache is rebuilt or done without, silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from engine.tomlfile import Locator, read_text, read_toml

VERSION = 1


class ParseCache:
    """Parsed lesson files by path and text hash, read from and saved to one JSON file (None: no file)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is not None:
            with contextlib.suppress(OSError, ValueError, RecursionError):
                saved = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(saved, dict) and saved.get("version") == VERSION and isinstance(saved.get("files"), dict):
                    self.entries = saved["files"]

    def read(self, file: Path) -> tuple[dict[str, Any], Locator]:
        """Like engine.tomlfile.read_toml (the same problems raised), from the cache when the text is unchanged."""
        text = read_text(file)
        key = str(file.resolve())
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        self.used.add(key)
        entry = self.entries.get(key)
        if isinstance(entry, dict) and entry.get("hash") == digest and isinstance(entry.get("data"), dict):
            return entry["data"], Locator(text)
        data, where = read_toml(file, text)
        try:
            kept = json.loads(json.dumps(data))  # dates and times have no JSON: such a file is not cached
        except (TypeError, ValueError):
            return data, where
        if kept == data:
            self.entries[key] = {"hash": digest, "data": kept}
            self.changed = True
        return data, where

    def save(self) -> None:
        """Write the entries of the files read this time (if anything changed), atomically; errors are ignored."""
        if self.path is None or not (self.changed or set(self.entries) - self.used):
            return
        files = {key: entry for key, entry in self.entries.items() if key in self.used}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"version": VERSION, "files": files}), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()
