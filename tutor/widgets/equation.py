"""EquationPanel: the term just computed, as `symbol = formula`, `= numbers put in`, `= value`.

The general rule is shown small above and the note, if any, below. A chain-rule term shows the
whole product of its path with the factor being computed highlighted and the values of the
factors computed so far.
"""

from __future__ import annotations

from copy import copy
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from engine.numbers import fmt
from engine.trace import Term
from tutor.player import ChainView, TracePlayer

PENDING = "·"
TALLEST_SAMPLE = 500  # positions looked at to find a page's tallest term
PHASE_NAMES = {"forward": "forward pass", "backward": "backward pass", "update": "weight update"}


class EquationPanel(Widget):
    """The current term's formula, the formula with its numbers, and its value."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    HELP_PATH = Path(__file__).with_suffix(".md")  # what the help screen says about this widget

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "equation-panel--rule",
        "equation-panel--symbol",
        "equation-panel--value",
        "equation-panel--note",
        "equation-panel--factor",
        "equation-panel--pending",
        "equation-panel--prompt",
    }

    term: reactive[Term | None] = reactive(None)
    """The term just computed; None before the first."""
    chain: reactive[ChainView | None] = reactive(None)
    """The chain-rule path the term belongs to, if it is a chain-rule term."""
    prompt: reactive[str] = reactive("Press → to compute the first term.")
    """What to say when nothing is computed yet."""

    _height = 0  # lines of text at the last layout
    _player: TracePlayer | None = None
    _reserved_for: tuple = ()  # (trace, width) the panel's height was last reserved for
    _tallest: dict[int, int]  # lines the trace's tallest term takes, by width

    def watch_term(self) -> None:
        self._fit()

    def watch_chain(self) -> None:
        self._fit()

    def watch_prompt(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Lay the screen out again only if the text needs another number of lines (a step is then cheap)."""
        width = self.content_size.width
        height = self.render().get_height(self.styles, width) if width else 0
        if height != self._height:
            self._height = height
            self.refresh(layout=True)

    def show(self, player: TracePlayer) -> None:
        """Show a TracePlayer's current term, and where the player is in the border title."""
        k, total = player.progress
        self.border_title = f"{PHASE_NAMES[player.phase]} · term {k} of {total}"
        self._player = player
        self._reserve()
        self.chain = player.chain_view()
        self.term = player.current

    def on_resize(self) -> None:
        self._reserve()

    def _reserve(self) -> None:
        """Keep the room the page's tallest term needs (up to max-height), so that the panel, and with it
        the diagram beside or above it, keeps one size while the learner steps through the page."""
        player, width = self._player, self.content_size.width
        reserved, at = self._reserved_for or (None, 0)
        if player is None or width <= 0 or (reserved is player.trace and at == width):  # `is`: traces hold arrays
            return
        if reserved is not player.trace:
            self._tallest = {}  # by width, for this trace: the panel narrows and widens again as `e` is pressed
        self._reserved_for = (player.trace, width)
        if width not in self._tallest:
            self._tallest[width] = self.tallest(player, width)
        self.styles.min_height = self._tallest[width] + self.styles.gutter.height

    def tallest(self, player: TracePlayer, width: int) -> int:
        """The most lines the text of any position of `player` takes in `width` columns (a long trace is
        sampled: its terms repeat their forms step after step)."""
        scratch = copy(player)
        total = len(player.terms)
        rules = tuple((rule, self.styles.get(rule, default)) for rule, default in _WRAP_RULES)
        heights = [_height(self._text(None, None).plain, width, rules)]
        for position in range(1, total + 1, max(1, total // TALLEST_SAMPLE)):
            scratch.position = position
            heights.append(_height(self._text(scratch.current, scratch.chain_view()).plain, width, rules))
        return max(heights)

    @property
    def plain(self) -> str:
        """The panel's text without styles (what a reader sees)."""
        return self._text(self.term, self.chain).plain

    def render(self) -> Content:
        width = self.content_size.width
        key = (self.term, self.chain, self.prompt, width)
        if self._rendered is None or self._rendered[0] != key:
            self._rendered = (key, self._content(self.term, self.chain, width))
        return self._rendered[1]

    def _content(self, term: Term | None, chain: ChainView | None, width: int) -> Content:
        return Content.from_rich_text(hang(self._text(term, chain), width))

    _rendered: tuple[tuple, Content] | None = None  # the text for (term, chain, prompt, width), made once a step

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rendered = None

    def _text(self, term: Term | None, chain: ChainView | None) -> Text:
        if term is None:
            return Text(self.prompt, style=self._style("prompt"))
        text = Text()
        rule = f"rule  {term.rule}\n" if term.rule else ""
        if chain is not None and chain.current is not None:
            self._chain_lines(text, chain)  # a factor's rule sits just above the factor, below its path
            text.append(rule or "\n", style=self._style("rule"))
        else:
            text.append(rule, style=self._style("rule"))
        if chain is not None and chain.current is None:
            text.append(f"{chain.symbol}: path {chain.path} of {chain.paths}\n", self._style("rule"))
        self._term_lines(text, term)
        if term.note:
            text.append(f"\n{term.note}", style=self._style("note"))
        return text

    def _term_lines(self, text: Text, term: Term) -> None:
        """symbol = formula / = expression / = value, the = signs aligned; the numbers put in are left out
        where they are only the value again (a formula that is one symbol, such as a weight)."""
        pad = " " * (len(term.symbol) + 1)
        text.append(term.symbol, style=self._style("symbol"))
        text.append(f" = {term.formula}\n")
        if term.expression not in (term.formula, fmt(term.value)):
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
        text.append("\n")

    def _style(self, name: str):
        return self.get_component_rich_style(f"equation-panel--{name}")


BREAKS = (" · ", " × ", " + ")  # where a long formula may go on to the next line


_WRAP_RULES = (("line_pad", 0), ("text_overflow", "fold"), ("text_wrap", "wrap"))  # what Content.get_height reads


@lru_cache(maxsize=8192)
def _height(plain: str, width: int, rules: tuple) -> int:
    """The lines `plain` takes in `width` columns, hung as the panel draws it: styles never move a line break
    (Content.get_height wraps the text without them), so a text measured once, on any page, is known."""
    return Content(hang(Text(plain), width).plain).get_height(dict(rules), width)


def hang(text: Text, width: int) -> Text:
    """`text` with each line too long for `width` broken before an operator outside brackets (+ before
    · and ×), the rest indented to just after its `=`, as formulas are set by hand:

        ∂E/∂w1 = ∂E/∂a_out · ∂a_out/∂n_out · ∂n_out/∂a_hid · ∂a_hid/∂n_hid
                 · ∂n_hid/∂w1

    A line with no such place to break is left for the terminal to wrap.
    """
    if width <= 0:
        return text
    lines = []
    for line in text.split("\n", allow_blank=True):
        lines.extend(_hang_line(line, width))
    return Text("\n").join(lines)


def _hang_line(line: Text, width: int) -> list[Text]:
    plain = line.plain
    if cell_len(plain) <= width:
        return [line]
    equals = plain.find("= ")
    indent = equals + 2 if 0 <= equals < width // 2 else 2
    sums, products, depth = [], [], 0
    for i, char in enumerate(plain):
        depth += (char in "([") - (char in ")]")
        if depth == 0 and plain.startswith(BREAKS, i):  # the operator starts the next line; the space before it goes
            (sums if plain[i + 1] == "+" else products).append(i + 1)
    cuts, start, room = [], 0, width
    while cell_len(plain[start:]) > room:
        # a sum breaks between its terms; a product (or a term too long for a line) between factors
        for points in (sums, sorted(sums + products)):
            fits = [p for p in points if p > start and cell_len(plain[start:p].rstrip()) <= room]
            if fits:
                break
        if not fits:
            break
        start = fits[-1]
        cuts.append(start)
        room = width - indent
    pieces = line.divide(cuts)
    out = [pieces[0]]
    for piece in pieces[1:]:
        out[-1].rstrip()
        out.append(Text(" " * indent) + piece)
    return out
