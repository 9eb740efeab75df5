"""Output for terminals and pipes that cannot take UTF-8 (`PYTHONIOENCODING=latin-1`, `LC_ALL=C`, ...).

bptutor writes ∂, σ′, →, Σ, — and box drawing everywhere. Where the output stream's encoding cannot
carry a character, it is written in a plain ASCII form (d for ∂, s' for σ′, -> for →, sum for Σ)
instead of raising UnicodeEncodeError or printing `\\u03b5`. `fit_streams()` sets this up once, at
the start of the command line; the app draws on sys.__stderr__, where `fit_screen()` keeps each
stand-in as wide as its character. JSON is written with ASCII escapes instead: the same data.
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
    "½": "1/2",
    "⁄": "/",
    "\u00a0": " ",
}

# On the app's screen a stand-in must take the character's own cells, or the rest of the line moves.
SCREEN_FORMS = {"→": ">", "←": "<", "⇒": ">", "↔": "-", "Σ": "S", "∑": "S", "Π": "P", "∏": "P", "—": "-", "±": "+"}
SCREEN_ERRORS = "bptutor-ascii-cells"


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
        if "AND" in name or "ARC" in name or "DIAGONAL" in name:
            return "+"
        return "|" if name.endswith(("VERTICAL", "UP", "DOWN")) else "-"
    if "POINTING" in name:  # arrowheads
        for way, form in (("RIGHT", ">"), ("LEFT", "<"), ("UP", "^"), ("DOWN", "v")):
            if f"{way}-POINTING" in name:
                return form
    if "BLOCK" in name or "SHADE" in name:  # scroll bars, bars and cells
        return "#"
    if "EIGHTH" in name:
        return "|" if "VERTICAL" in name or "LEFT" in name or "RIGHT" in name else "-"
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return plain or "?"


def to_ascii(text: str) -> str:
    return "".join(ascii_form(char) for char in text)


def screen_form(char: str) -> str:
    """An ASCII stand-in as many cells wide as the character (∂ → d, → → >, Σ → S, a wide one → ??)."""
    from rich.cells import cell_len

    width = cell_len(char)
    form = SCREEN_FORMS.get(char) or ascii_form(char)
    if len(form) > width and form.startswith("^"):
        form = form[1:]  # x² → x2 rather than x^
    return form[:width].ljust(width, form[:1] or " ")


def _replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return to_ascii(error.object[error.start : error.end]), error.end


def _replace_on_screen(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(screen_form(char) for char in error.object[error.start : error.end]), error.end


codecs.register_error(ERRORS, _replace)
codecs.register_error(SCREEN_ERRORS, _replace_on_screen)


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


def fit_screen() -> None:
    """Before the app starts: what it draws (on sys.__stderr__) keeps its columns in ASCII stand-ins."""
    stream = sys.__stderr__
    if stream is not None and not takes_unicode(stream) and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors=SCREEN_ERRORS)
