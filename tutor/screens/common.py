"""What every screen has: a footer of keys that packs itself in narrow terminals, and the message shown
instead of the content when the terminal is too small to use.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Footer

PALETTE_HINT_FROM = 100  # columns: narrower footers leave out the "^p palette" hint to make room for keys

MIN_WIDTH, MIN_HEIGHT = 60, 18  # the app's breakpoints (BPTutorApp.HORIZONTAL/VERTICAL_BREAKPOINTS)


class TooSmall(Widget):
    """Hidden unless the screen has the class -too-narrow or -too-short (see app.tcss)."""

    def render(self) -> str:
        width, height = self.app.size
        return (
            f"This terminal is {width}×{height}.\n"
            f"bptutor needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n\n"
            "Enlarge the window, or press q to quit."
        )

    def on_resize(self) -> None:
        self.refresh()


class KeysFooter(Footer):
    """The footer: the keys of the current screen (the palette hint only where there is room for it)."""

    def on_resize(self) -> None:
        self.show_command_palette = self.app.size.width >= PALETTE_HINT_FROM
