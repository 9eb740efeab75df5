"""EquationPanel: the term just computed, as `symbol = formula`, `= numbers put in`, `= value`.

The general rule is shown small above and the note, if any, below. A chain-rule term shows the
whole product of its path with the factor being computed highlighted and the values of the
factors computed so far.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from engine.numbers import fmt
from engine.trace import Term
from tutor.player import ChainView

PENDING = "·"
PHASE_NAMES = {"forward": "forward pass", "backward": "backward pass", "update": "weight update"}


class EquationPanel(Widget):
    """The current term's formula, the formula with its numbers, and its value."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "equation-panel--rule",
        "equation-panel--symbol",
        "equation-panel--value",
        "equation-panel--note",
        "equation-panel--factor",
        "equation-panel--pending",
        "equation-panel--prompt",
    }

    term: reactive[Term | None] = reactive(None, layout=True)
    """The term just computed; None before the first."""
    chain: reactive[ChainView | None] = reactive(None, layout=True)
    """The chain-rule path the term belongs to, if it is a chain-rule term."""
    prompt: reactive[str] = reactive("Press → to compute the first term.", layout=True)
    """What to say when nothing is computed yet."""

    def show(self, player) -> None:
        """Show a TracePlayer's current term, and where the player is in the border title."""
        k, total = player.progress
        self.border_title = f"{PHASE_NAMES[player.phase]} · term {k} of {total}"
        self.chain = player.chain_view()
        self.term = player.current

    @property
    def plain(self) -> str:
        """The panel's text without styles (what a reader sees)."""
        return self.render().plain

    def render(self) -> Text:
        term = self.term
        if term is None:
            return Text(self.prompt, style=self._style("prompt"))
        text = Text()
        if term.rule:
            text.append(f"rule  {term.rule}\n", style=self._style("rule"))
        if self.chain is not None and self.chain.current is not None:
            self._chain_lines(text, self.chain)
        elif self.chain is not None:
            text.append(f"{self.chain.symbol}: path {self.chain.path} of {self.chain.paths}\n", self._style("rule"))
        self._term_lines(text, term)
        if term.note:
            text.append(f"\n{term.note}", style=self._style("note"))
        return text

    def _term_lines(self, text: Text, term: Term) -> None:
        """symbol = formula / = expression / = value, the = signs aligned."""
        pad = " " * (len(term.symbol) + 1)
        text.append(term.symbol, style=self._style("symbol"))
        text.append(f" = {term.formula}\n")
        if term.expression != term.formula:
            text.append(f"{pad}= {term.expression}\n")
        text.append(f"{pad}= ")
        text.append(fmt(term.value), style=self._style("value"))

    def _chain_lines(self, text: Text, chain: ChainView) -> None:
        """The whole product of the path, the factor being computed highlighted, then the values known so far."""
        head = chain.symbol + (f" (path {chain.path} of {chain.paths})" if chain.paths > 1 else "")
        pad = " " * (len(chain.symbol) + 1)
        text.append(chain.symbol, style=self._style("symbol"))
        text.append(" = ")
        for n, factor in enumerate(chain.factors):
            if n:
                text.append(" · ")
            text.append(factor.symbol, style=self._style("factor") if n == chain.current else None)
        if head != chain.symbol:
            text.append(head[len(chain.symbol) :], style=self._style("rule"))
        text.append(f"\n{pad}= ")
        for n, value in enumerate(chain.known):
            if n:
                text.append(" × ")
            style = self._style("factor") if n == chain.current else self._style("pending") if value is None else None
            text.append(PENDING if value is None else fmt(value), style=style)
        text.append("\n\n")

    def _style(self, name: str):
        return self.get_component_rich_style(f"equation-panel--{name}")
