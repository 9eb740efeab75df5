"""A square page's view: the page text beside the input square (tutor.widgets.square)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal

from engine.square import squares
from tutor.lessons.networks import load_ref
from tutor.screens.lesson.views import SCROLL_BINDINGS, PageText, PageView
from tutor.widgets.square import SquareFigure


class SquareView(PageView):
    """Text to read, and beside it the square of the page's network: patterns at the corners, each unit's line."""

    done_on_leave = True
    BINDINGS = SCROLL_BINDINGS
    SCOPED_CSS = False  # its styles follow the screen's width classes (-narrow)
    DEFAULT_CSS = """
    SquareView > Horizontal { height: 1fr; }
    SquareView PageText { width: 1fr; }
    SquareView SquareFigure { width: 44; border-left: vkey $primary 40%; }
    Screen.-narrow SquareView SquareFigure { width: 34; }
    Screen.-widest SquareView SquareFigure { width: 64; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield PageText(self.page.text, id="text")
            yield SquareFigure(squares(load_ref(self.page.network)), id="square")
