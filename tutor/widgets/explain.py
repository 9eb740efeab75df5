"""ExplainPanel: where the current term's rule comes from, derived step by step, beside the equation panel.

The derivations are the engine's (engine.explain): this widget only lays one out, in the trace's
notation, with the term's own numbers at the end. Hidden until `e` asks for it; a derivation taller
than the room scrolls (the mouse wheel, or J and K).
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from engine.explain import Explanation, explain
from engine.trace import Term, Trace


class ExplainPanel(VerticalScroll, can_focus=False):
    """The derivation of one term's rule; `show_term` fills it, `display` shows it."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_PATH = Path(__file__).with_suffix(".md")  # what the help screen says about explanations

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.term: Term | None = None
        self.explanation: Explanation | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="explain-text")

    def on_mount(self) -> None:
        self.display = False

    @property
    def plain(self) -> str:
        """The derivation as shown, without styles."""
        return str(self.query_one("#explain-text", Static).render())

    def show_term(self, term: Term, trace: Trace) -> bool:
        """Explain `term`; False (and nothing changed) if its kind has no derivation."""
        explanation = explain(term, trace)
        if explanation is None:
            return False
        self.term, self.explanation = term, explanation
        self.border_title = f"why: {explanation.title}"
        self.query_one("#explain-text", Static).update(layout(explanation))
        self.scroll_home(animate=False)
        return True


def layout(explanation: Explanation) -> Text:
    """The steps (each reason dim under its line), the idea, and the term's numbers."""
    text = Text()
    for expression, why in explanation.lines:
        text.append(expression + "\n")
        if why:
            text.append(f"    {why}\n", style="dim italic")
    if explanation.idea:
        text.append(explanation.idea + "\n", style="italic")
    text.append("\n".join(explanation.numbers), style="bold")
    return text
