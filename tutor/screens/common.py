"""What every screen has: a footer of keys that packs itself in narrow terminals, and the message shown
instead of the content when the terminal is too small to use.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

PALETTE_HINT_FROM = 100  # columns: narrower footers leave out the "^p palette" hint to make room for keys

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


class KeysFooter(Footer):
    """The footer: the keys of the current screen (the palette hint only where there is room for it)."""

    _shown: tuple | None = None  # the keys shown now
    _composed: tuple | None = None  # the keys last composed (some may be hidden since)

    def on_resize(self) -> None:
        self.show_command_palette = self.app.size.width >= PALETTE_HINT_FROM

    def bindings_changed(self, screen) -> None:
        """Compose the keys again only when keys are added or changed; when some keys stop working (the predict
        box's answer line takes the letters and arrows), hide them, and show them again when they are back.
        Mounting the keys is most of what a change of focus costs (issue 13: opening the box, judging)."""
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        shown = self.shown_keys(screen)
        if shown == self._shown and self.children:
            return
        if self._composed is not None and self.children and self._show_only(shown):
            self._shown = shown
            return
        self._shown = self._composed = shown
        super().bindings_changed(screen)

    def shown_keys(self, screen) -> tuple:
        """What `compose` would show: each shown binding with its state, and the palette hint."""
        keys = tuple(
            (key, binding.action, binding.description, id(binding.group), enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show
        )
        return keys, self.show_command_palette, self.compact

    def _show_only(self, shown: tuple) -> bool:
        """Show just the composed keys still in `shown`; False if `shown` has a key that was not composed."""
        keys, *rest = shown
        composed, *composed_rest = self._composed
        if rest != composed_rest or not set(keys) <= set(composed):
            return False
        first: dict[str, str] = {}  # the key compose would show for each action
        for key, action, *_ in keys:
            first.setdefault(action, key)
        footer_keys = [key for key in self.query(FooterKey) if not key.has_class("-command-palette")]
        if any(key.action in first and first[key.action] != key.key for key in footer_keys):
            return False
        for key in footer_keys:
            key.display = key.action in first
        group_shown = False
        for child in self.children:  # a group of keys is followed by its label
            if isinstance(child, KeyGroup):
                group_shown = child.display = any(key.display for key in child.children)
            elif isinstance(child, FooterLabel):
                child.display = group_shown
        return True
