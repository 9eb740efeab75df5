"""What every screen has: a footer of keys that packs itself in narrow terminals, and the message shown
instead of the content when the terminal is too small to use.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from tutor.screens.footer import KeysFooter

__all__ = ["MIN_HEIGHT", "MIN_WIDTH", "KeysFooter", "SizedScreen", "TooSmall"]

MIN_WIDTH, MIN_HEIGHT = 60, 18  # the app's breakpoints (BPTutorApp.HORIZONTAL/VERTICAL_BREAKPOINTS)


class TooSmall(Widget):
    """Hidden unless the screen has the class -too-narrow or -too-short (see app.tcss)."""

    DEFAULT_CSS = """
    TooSmall {
        display: none;
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-align: center;
        color: $warning;
        text-style: bold;
    }
    """

    def render(self) -> str:
        width, height = self.app.size
        return (
            f"This terminal is {width}×{height}.\n"
            f"bptutor needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n\n"
            "Enlarge the window, or press q to quit."
        )

    def on_resize(self) -> None:
        self.refresh()


class SizedScreen(Screen):
    """A screen that shows only TooSmall below the smallest usable size.

    Meanwhile its keys rest (q still quits), and when the terminal grows back the keyboard returns to
    the widget that had it: Textual takes the focus from a widget that is hidden and gives it back to none.
    """

    _focus_before: Widget | None = None
    _was_too_small: bool = False

    @property
    def too_small(self) -> bool:
        return self.has_class("-too-narrow") or self.has_class("-too-short")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.too_small

    def fit_size_classes(self, size: Size) -> None:
        """Set the breakpoint classes for `size` now, before Textual lays the screen out at that size.

        Textual lays a screen out at its new size first and sets the breakpoint classes after, and lays
        out the screens under a modal one without telling them: for that moment widgets that cannot be
        drawn in a few columns (an OptionList at 10 or fewer raises in Rich's chop_cells) would be laid
        out at 1×1. Handlers of subclasses run before Screen's own, so doing it here hides them first.
        """
        for screen in self.app.screen_stack:
            if isinstance(screen, SizedScreen):
                screen.set_class(size.width < MIN_WIDTH, "-too-narrow")
                screen.set_class(size.height < MIN_HEIGHT, "-too-short")

    def on_mount(self) -> None:
        self.fit_size_classes(self.app.size)

    def on_screen_resume(self) -> None:
        self.fit_size_classes(self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        """Keep the focus across the message."""
        self.fit_size_classes(event.size)
        too_small = self.too_small
        if too_small and not self._was_too_small:
            self._focus_before = self.focused
        elif self._was_too_small and not too_small:
            self.call_after_refresh(self._restore_focus)
        self._was_too_small = too_small
        self.refresh_bindings()

    def _restore_focus(self) -> None:
        widget, self._focus_before = self._focus_before, None
        if self.focused is not None:
            return
        if widget is not None and widget.is_attached and widget.focusable:
            widget.focus()
        else:
            self.focus_default()

    def focus_default(self) -> None:
        """Give the keyboard to what should have it when the screen opens."""
        self.focus_next()
