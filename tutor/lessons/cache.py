"""What each lesson file parsed to, kept between runs so the app starts without parsing TOML again.

Parsing the lesson files with tomllib is half the time listing them takes; reading the same data
back from JSON takes a hundredth of it. The app keeps `lesson-cache.json` in the learner's data
folder (tutor.progress.data_dir): for each lesson file, a hash of its text and the data it parsed
to. A file whose text changed is parsed afresh. A lesson that was read without a problem also keeps
its outline (tutor.lessons.model.Outline: titles, page count, quiz size, the network files it names):
the next listing shows it from that, and reads its pages only when they are used (LazyLesson). Every
other lesson is checked afresh from its data, so a broken lesson is listed with its FILE:LINE as before;
a network file that went missing is noticed (the listing looks for each outline's network files).
A missing, damaged or unwritable cache is rebuilt or done without, silently. $BPTUTOR_LESSON_CACHE
names a cache file that several data folders share: `bptutor serve` gives every session a fresh data
folder and one cache under its own temporary folder, so only the first session reads every lesson.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from engine.tomlfile import Locator, read_text, read_toml
from tutor import __version__
from tutor.lessons.model import Outline

CACHE_ENV = "BPTUTOR_LESSON_CACHE"  # one cache file for several data folders: bptutor serve's sessions, the tests
VERSION = 1  # an entry's "outline" came later: entries without one are still good

# The entries read or made in this process, by path: a second listing in the same process (the tests start
# hundreds of apps, each with a fresh data folder) parses nothing again. Keyed by the text's hash as on disk.
_SEEN: dict[str, dict[str, Any]] = {}


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
        seen = _SEEN.get(key)
        if seen is not None and seen["hash"] == digest:
            self.entries[key] = seen
            self.changed = True
            return seen["data"], Locator(text)
        data, where = read_toml(file, text)
        try:
            kept = json.loads(json.dumps(data))  # dates and times have no JSON: such a file is not cached
        except (TypeError, ValueError):
            return data, where
        if kept == data:
            self.entries[key] = _SEEN[key] = {"hash": digest, "data": kept}
            self.changed = True
        return data, where

    def outline(self, file: Path) -> Outline | None:
        """The outline kept for `file` as last read (None: none kept, or not in the form written)."""
        entry = self.entries.get(str(file.resolve()))
        kept = entry.get("outline") if isinstance(entry, dict) else None
        if not isinstance(kept, dict) or entry.get("outline_by") != __version__:  # another bptutor may read otherwise
            return None
        try:
            outline = Outline(**kept)
            outline.quiz = {int(index): count for index, count in outline.quiz.items()}
            outline.page_titles, outline.networks = tuple(outline.page_titles), tuple(outline.networks)
        except (TypeError, ValueError, AttributeError):
            return None
        return outline

    def keep_outline(self, file: Path, outline: Outline) -> None:
        """Keep `outline` with `file`'s entry (a file that was read and is cached)."""
        entry = self.entries.get(str(file.resolve()))
        kept = json.loads(json.dumps(asdict(outline)))  # as it reads back: lists, and text keys
        if isinstance(entry, dict) and (entry.get("outline"), entry.get("outline_by")) != (kept, __version__):
            entry["outline"], entry["outline_by"] = kept, __version__
            self.changed = True

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


def cache_file(default: Path) -> Path:
    """The lesson cache to use: $BPTUTOR_LESSON_CACHE when set (a file shared by fresh data folders), else `default`."""
    return Path(os.environ.get(CACHE_ENV) or default)
