"""How a lesson file's problems quote what it wrote: a value as written, and a near miss's suggestion."""

from __future__ import annotations

import difflib
from typing import Any


def show(value: Any) -> str:
    """A value as the lesson file would write it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        text = "[" + ", ".join(show(item) for item in value) + "]"
        return text if len(text) <= 40 else "a list"
    return str(value)


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """'did you mean ...?' for a near miss, otherwise the list of valid choices."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(choices)}"
