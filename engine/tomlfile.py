"""Read a TOML file and remember the line where every key and array element starts.

`tomllib` parses but forgets positions; validators need them to say `FILE:LINE: message`.
`Locator` re-scans the text (tables, keys, nested arrays, inline tables) and maps a key
path such as ("layers", 1, "size") or ("weights", "hidden", 0, 2) to its line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Path_ = tuple[str | int, ...]
MAX_FILE_BYTES = 1_000_000  # lesson and network files (the bundled ones are under 20 kB); refused unread above


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a user's file, printed as `FILE:LINE: message`."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class FileProblems(Exception):
    """Raised when a file cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Locator:
    """Maps key paths of a parsed TOML document to 1-based line numbers.

    The text is scanned on the first question only: most files have no problem to place, and
    listing lessons at start-up should not pay for it.
    """

    def __init__(self, text: str = "", lines: dict[Path_, int] | None = None):
        self._text = text
        self._lines = lines

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            self._lines = _Scanner(self._text).run()
        return self._lines

    def line(self, *path: str | int) -> int | None:
        """The line of `path`, or of its nearest enclosing key or table when it has none."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None


_BARE_KEY = r"[A-Za-z0-9_-]+"
_KEY_PART = rf"(?:{_BARE_KEY}|\"(?:[^\"\\]|\\.)*\"|'[^']*')"
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED_KEY})\s*\]\]?")
_KEY_VALUE = re.compile(rf"\s*({_DOTTED_KEY})\s*=\s*")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, dotted)
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in parts)


class _Scanner:
    """A small scanner over TOML text that records where keys and array elements begin."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.found: dict[Path_, int] = {}
        self.array_counts: dict[Path_, int] = {}

    def run(self) -> dict[Path_, int]:
        table: Path_ = ()
        while self.pos < len(self.text):
            self._skip_blank_and_comments()
            if self.pos >= len(self.text):
                break
            line_end = self.text.find("\n", self.pos)
            rest_of_line = self.text[self.pos : len(self.text) if line_end < 0 else line_end]
            header = _HEADER.match(rest_of_line)
            if header:
                name = _split_key(header.group(2))
                if header.group(1) == "[[":
                    parent = self._resolve(name)  # counted per parent: [[a.b]] restarts in each [[a]]
                    index = self.array_counts.get(parent, 0)
                    self.array_counts[parent] = index + 1
                    table = (*parent, index)
                    self.found.setdefault(parent, self.line)
                else:
                    table = self._resolve(name)
                self.found.setdefault(table, self.line)
                self._advance_to_line_end()
                continue
            kv = _KEY_VALUE.match(self.text, self.pos)
            if not kv:
                self._advance_to_line_end()
                continue
            key_path = (*table, *_split_key(kv.group(1)))
            self.found.setdefault(key_path, self.line)
            self._advance(kv.end() - self.pos)
            self._value(key_path)
        return self.found

    def _resolve(self, name: tuple[str, ...]) -> Path_:
        """Inside [[a]] tables, a header [a.b] refers to the latest element of a."""
        resolved: list[str | int] = []
        for i, part in enumerate(name):
            resolved.append(part)
            prefix = tuple(resolved)
            if i < len(name) - 1 and prefix in self.array_counts:
                resolved.append(self.array_counts[prefix] - 1)
        return tuple(resolved)

    def _advance(self, n: int) -> None:
        chunk = self.text[self.pos : self.pos + n]
        self.line += chunk.count("\n")
        self.pos += n

    def _advance_to_line_end(self) -> None:
        end = self.text.find("\n", self.pos)
        self._advance((len(self.text) if end < 0 else end) - self.pos)

    def _skip_blank_and_comments(self) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r\n,":
                self._advance(1)
            elif ch == "#":
                self._advance_to_line_end()
            else:
                return

    def _value(self, path: Path_) -> None:
        """Consume one value starting at self.pos, recording nested element positions."""
        self._skip_blank_and_comments()
        if self.pos >= len(self.text):
            return
        ch = self.text[self.pos]
        if ch == "[":
            self._advance(1)
            index = 0
            while True:
                self._skip_blank_and_comments()
                if self.pos >= len(self.text):
                    return
                if self.text[self.pos] == "]":
                    self._advance(1)
                    return
                self.found.setdefault((*path, index), self.line)
                self._value((*path, index))
                index += 1
        elif ch == "{":
            self._advance(1)
            while True:
                self._skip_blank_and_comments()
                if self.pos >= len(self.text):
                    return
                if self.text[self.pos] == "}":
                    self._advance(1)
                    return
                kv = _KEY_VALUE.match(self.text, self.pos)
                if not kv:
                    self._advance(1)
                    continue
                key_path = (*path, *_split_key(kv.group(1)))
                self.found.setdefault(key_path, self.line)
                self._advance(kv.end() - self.pos)
                self._value(key_path)
        elif self.text.startswith(('"""', "'''"), self.pos):
            quote = self.text[self.pos : self.pos + 3]
            end = self.pos + 3
            while True:
                end = self.text.find(quote, end)
                if end < 0:
                    self._advance(len(self.text) - self.pos)
                    return
                if quote == '"""' and _escaped(self.text, end):
                    end += 1
                    continue
                break
            while self.text.startswith(quote[0], end + 3):  # up to two quotes may close the string
                end += 1
            self._advance(end + 3 - self.pos)
        elif ch in "\"'":
            end = self.pos + 1
            while end < len(self.text) and self.text[end] != ch and self.text[end] != "\n":
                end += 2 if (ch == '"' and self.text[end] == "\\") else 1
            self._advance(min(end + 1, len(self.text)) - self.pos)
        else:
            match = re.compile(r"[^,\]\}\n#]*").match(self.text, self.pos)
            self._advance(max(match.end() - self.pos, 1))


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


_DECODE_POSITION = re.compile(r"\(at line (\d+), column \d+\)|\(at end of document\)")


def read_text(path: str | Path) -> str:
    """A TOML file's text; raise FileProblems if it is missing, too big, not UTF-8 or unreadable."""
    name = str(path)
    try:
        _check_size(name, Path(path).stat().st_size)
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileProblems([Problem(name, None, "no such file")]) from None
    except IsADirectoryError:
        raise FileProblems([Problem(name, None, "is a folder, not a file")]) from None
    except UnicodeDecodeError as err:
        line = text_line_of_byte(Path(path).read_bytes(), err.start)
        raise FileProblems([Problem(name, line, "not UTF-8 text")]) from None
    except OSError as err:
        raise FileProblems([Problem(name, None, f"cannot be read ({err.strerror})")]) from None


def read_toml(path: str | Path, text: str | None = None) -> tuple[dict[str, Any], Locator]:
    """Parse a TOML file; raise FileProblems naming the file and line if it is not valid TOML."""
    name = str(path)
    if text is None:
        text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = _DECODE_POSITION.search(message)
        line = None
        if found:
            line = int(found.group(1)) if found.group(1) else text.count("\n") + 1
            message = message[: found.start()].strip()
        raise FileProblems([Problem(name, line, f"not valid TOML: {message}")]) from None
    except RecursionError:
        raise FileProblems([Problem(name, None, "not valid TOML: arrays or tables nested too deeply")]) from None
    except ValueError:  # int() refuses more than 4,300 digits
        raise FileProblems([Problem(name, None, "not valid TOML: a number too long to read")]) from None
    return data, Locator(text)


def _check_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        message = f"larger than {MAX_FILE_BYTES // 1_000_000} MB ({size:,} bytes): too big for a lesson or network file"
        raise FileProblems([Problem(name, None, message)])


def text_line_of_byte(raw: bytes, offset: int) -> int:
    return raw[:offset].count(b"\n") + 1
