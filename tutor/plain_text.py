"""Output for terminals and pipes that cannot take UTF-8 (`PYTHONIOENCODING=latin-1`, `LC_ALL=C`, ...).

bptutor writes ∂, σ′, →, Σ, — and box drawing everywhere. Where the output stream's encoding cannot
carry a character, it is written in a plain ASCII form (d for ∂, s' for σ′, -> for →, sum for Σ)
instead of raising UnicodeEncodeError or printing `\\u03b5`. `fit_streams()` sets this up once, at
the start of the command line (the app's screen goes through the same stream: Textual draws on
sys.__stderr__). JSON is written with ASCII escapes instead, so that it stays the same data.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata
from typing import TextIO

ERRORS = "bptutor-ascii"  # the name of the codec error handler registered below

ASCII_FORMS = {
    "∂": "d",
    "σ": "s",
    "′": "'",
    "″": "''",
    "→": "->",
    "←": "<-",
    "↑": "^",
    "↓": "v",
    "⇒": "=>",
    "↔": "<->",
    "Σ": "sum",
    "∑": "sum",
    "Π": "prod",
    "∏": "prod",
    "—": "--",
    "–": "-",
    "−": "-",
    "·": "*",
    "×": "x",
    "÷": "/",
    "⊙": "(.)",
    "∘": "o",
    "±": "+/-",
    "≈": "~",
    "≠": "!=",
    "≤": "<=",
    "≥": ">=",
    "∞": "inf",
    "√": "sqrt",
    "∈": " in ",
    "…": "...",
    "•": "*",
    "▶": ">",
    "◀": "<",
    "►": ">",
    "●": "*",
    "○": "o",
    "◆": "*",
    "★": "*",
    "✓": "ok",
    "✔": "ok",
    "✗": "x",
    "✘": "x",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "«": "<<",
    "»": ">>",
    "²": "^2",
    "³": "^3",
    "ᵀ": "^T",
    "ε": "eps",
    "η": "eta",
    "δ": "delta",
    "Δ": "Delta",
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "θ": "theta",
    "λ": "lambda",
    "μ": "mu",
    "τ": "tau",
    "φ": "phi",
    "ψ": "psi",
    "ω": "omega",
    "∇": "grad",
    "\u00a0": " ",
}


def ascii_form(char: str) -> str:
    """A plain ASCII stand-in for one character ('?' where there is none)."""
    if char.isascii():
        return char
    form = ASCII_FORMS.get(char)
    if form is not None:
        return form
    name = unicodedata.name(char, "")
    if "SUBSCRIPT" in name or "SUPERSCRIPT" in name:
        digit = unicodedata.normalize("NFKC", char)
        if digit.isascii():
            return digit
    if name.startswith("BOX DRAWINGS"):  # lines and corners of panels, tables and borders
        if "HORIZONTAL" in name and "VERTICAL" not in name and "AND" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name and "AND" not in name:
            return "|"
        if "ARC" in name or "AND" in name or "DOWN" in name or "UP" in name:
            return "+"
        return "-"
    if "BLOCK" in name or "SHADE" in name:  # scroll bars, bars and cells
        return "#"
    if "EIGHTH" in name:
        return "|" if "VERTICAL" in name or "LEFT" in name or "RIGHT" in name else "-"
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return plain or "?"


def to_ascii(text: str) -> str:
    return "".join(ascii_form(char) for char in text)


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return to_ascii(error.object[error.start : error.end]), error.end


codecs.register_error(ERRORS, _replace)


def takes_unicode(stream: TextIO | None) -> bool:
    """Whether `stream` can carry any character (its encoding is a UTF)."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def fit_streams() -> None:
    """Let stdout and stderr write what their encoding cannot carry in its ASCII form."""
    for stream in {id(s): s for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)}.values():
        if stream is not None and not takes_unicode(stream) and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=ERRORS)
