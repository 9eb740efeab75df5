"""What every screen has: a footer of keys that packs itself in narrow terminals, and the message shown
instead of the content when the terminal is too small to use.
"""

from __future__ import annotations

from itertools import groupby

from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

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


class OneFooter(Footer):
    """Textual's Footer, rebuilt once however many times the bindings change before the next frame, and only
    when keys it has not composed are to be shown.

    Textual's Footer recomposes once for every `refresh_bindings` (focus moves, a page opens, a reactive
    with `bindings=True` changes, a resize), each time after the next refresh, and each rebuild restyles
    every key: opening one page asked for up to ten. The rebuild reads the bindings when it runs, so
    one rebuild after the last change shows exactly what the last of the queued ones would have shown.
    When the keys to show are some of those composed (an answer box that takes most keys opens, and closes
    again), the others are hidden instead, and shown again: `fit_keys` decides what is shown.
    """

    _rebuild_queued = False
    _composed: tuple[tuple, bool] | None = None  # the units and the palette hint of the last compose (shown_keys)
    _hidden: frozenset = frozenset()  # the footer's children whose keys are composed but not active now

    def bindings_changed(self, screen: Screen) -> None:
        """Footer.bindings_changed (textual 8.2.8), with no second rebuild queued behind the first."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = self.call_after_refresh(self._rebuild)

    def shown_keys(self) -> tuple[tuple, bool]:
        """What Footer.compose (textual 8.2.8) would show now: its units (a key, or a group of keys with its
        label), each with what is drawn of its keys, in order; and whether the palette hint is shown."""
        if not self._bindings_ready:
            return (), False
        app = self.app
        active = self.screen.active_bindings
        by_action: dict[str, tuple] = {}
        for _, binding, enabled, tip in active.values():
            if binding.show:
                drawn = (binding.key, app.get_key_display(binding), binding.description, enabled, tip)
                by_action.setdefault(binding.action, (binding.group, (binding.action, *drawn)))
        units: list[tuple] = []
        for group, keys in groupby(by_action.values(), lambda found: found[0]):
            keys = [key for _, key in keys]
            if group is not None and len(keys) > 1:
                units.append((group, tuple(keys)))
            else:
                units += [(None, (key,)) for key in keys]
        palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active
        return tuple(units), bool(palette and active[app.COMMAND_PALETTE_BINDING].enabled)

    def compose(self):
        self._composed = self.shown_keys()
        self._hidden = frozenset()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # Born with the footer's spacing: a key starts compact and Footer binds it to the footer's
                # `compact` once mounted, and each switch restyled the key (about a tenth of opening a page).
                # (The palette hint is not bound: it stays compact.)
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def _children_of_units(self) -> list[tuple[tuple, list[Widget]]]:
        """Each composed unit with its children: a key, or a group of keys and its label."""
        children = [c for c in self.children if not c.has_class("-command-palette")]
        out, at = [], 0
        for unit in self._composed[0]:
            size = 1 if unit[0] is None else 2
            out.append((unit, children[at : at + size]))
            at += size
        return out

    def can_hide(self) -> bool:
        """Whether keys can be hidden now rather than composed again."""
        return True

    async def _rebuild(self) -> None:
        """Compose again if keys not composed are to be shown; else hide the ones not active (fit_keys)."""
        self._rebuild_queued = False
        if not self.is_attached or self._pruning or self._composed is None:  # gone with its screen, or not composed
            return
        units, palette = self.shown_keys()
        if palette != self._composed[1] or not set(units) <= set(self._composed[0]) or not self.can_hide():
            await self.recompose()
            return
        hidden = frozenset(w for unit, widgets in self._children_of_units() if unit not in units for w in widgets)
        if hidden != self._hidden:
            self._hidden = hidden
            self.fit_keys()

    def fit_keys(self) -> None:
        """Show the composed keys that are active, hide the others."""
        for child in self.children:
            child.display = child not in self._hidden


class KeysFooter(OneFooter):
    """The footer: the keys of the current screen (the palette hint only where there is room for it).

    `optional` actions (a page's own keys: text, values, view...) are listed where there is room; where the
    screen's and the app's keys (page, help, quit) would not fit beside them, the palette hint goes first
    (help lists ctrl+p), then the optional keys, last first. Where even the other keys do not fit, the keys
    close up (Textual's compact footer), then the groups' labels go, last first (help names every key), then
    the `last_resort` keys: "? Help" and "q Quit", at the right end, stay in view down to the smallest width.
    """

    DEFAULT_CSS = """
    KeysFooter.-compact FooterLabel {
        margin: 0 1 0 0;  /* Textual's compact footer runs a group's label into the next key ("Stepspace") */
    }
    """

    def __init__(self, optional: frozenset[str] = frozenset(), last_resort: frozenset[str] = frozenset()):
        super().__init__()
        self.optional = optional
        self.last_resort = last_resort
        self._width = 0
        self._measured: tuple[int, list[int], dict] | None = None  # all keys' width, each unit's, each child's
        self._laid_out_before = None  # the keys' regions before the spacing changed, until it is laid out anew

    def compose(self):
        self._measured = None  # measured once laid out, every key showing (closed up if they were: a new width
        self._laid_out_before = None  # spaces them out again, so that changed keys do not make the footer flicker)
        yield from super().compose()
        self.call_after_refresh(self._leave_out)

    def on_resize(self) -> None:
        if self.size.width == self._width:
            return  # keys shown or left out change the scrolled size only
        self._width = self.size.width
        palette = self.app.size.width >= PALETTE_HINT_FROM
        if palette != self.show_command_palette:
            self.show_command_palette = palette
            self.compact = False  # a new width: spaced out first
            self.call_after_refresh(self.recompose)  # then measured again
        else:
            self._measure_again(compact=False)

    def _measure_again(self, compact: bool) -> None:
        """Show every key again, spaced out or closed up, and measure and leave out keys after the next layout."""
        if compact != self.compact:  # measured once the layout has moved to the new spacing
            self._laid_out_before = [child.region for child in self.children]
        self.compact = compact
        self._measured = None
        for child in self.children:
            child.display = True
        self.call_after_refresh(self._leave_out)

    def _units(self, actions: frozenset[str]) -> list[list[Widget]]:
        """These actions' keys as the footer shows them: a key, or a group of keys with its label."""
        children = [c for c in self.children if not c.has_class("-command-palette")]
        units = []
        for n, child in enumerate(children):
            keys = [child] if isinstance(child, FooterKey) else list(child.query(FooterKey))
            if keys and all(key.action in actions for key in keys):
                label = children[n + 1 : n + 2] if not isinstance(child, FooterKey) else []
                units.append([child, *label])
        return units

    def _labels(self, units: list[list[Widget]]) -> list[list[Widget]]:
        """The other groups' labels, one a unit: in a closed-up footer they give way after the optional keys."""
        taken = {id(widget) for unit in units for widget in unit}
        return [[c] for c in self.children if isinstance(c, FooterLabel) and id(c) not in taken]

    def can_hide(self) -> bool:
        return self._measured is not None or not self._units(self.optional)  # the width rule needs keys measured

    def fit_keys(self) -> None:
        self._leave_out()

    def on_show(self) -> None:
        """Back on screen (after the "too small" message, say): its keys are measured and left out again."""
        self.call_after_refresh(self._leave_out)

    def _leave_out(self, tries: int = 20) -> None:
        """Show the active keys (OneFooter.fit_keys) that fit: the optional ones left out last first, then
        (closed up) the groups' labels and the last resort's."""
        if not (self.optional or self.last_resort):
            super().fit_keys()  # a screen whose keys all fit in the smallest width (home, help)
            return
        if not self.region:  # not laid out (hidden behind the "too small" message): waiting would never end
            return  # on_show measures it when it is back
        units = self._units(self.optional)
        optional = len(units)  # the optional keys' units, then (closed up) the labels' and the last resort's
        order = list(reversed(range(optional)))  # which unit goes first, second...
        if self.compact:
            last = self._units(self.last_resort)
            labels = self._labels(units + last)
            base = len(units)
            order += [base + n for n in reversed(range(len(labels)))]
            order += [base + len(labels) + n for n in reversed(range(len(last)))]
            units += labels + last
        if self._measured is None:
            keys = [c for c in self.children if not c.has_class("-command-palette")]
            if not keys:
                return
            if not all(c.outer_size.width for c in keys) or [c.region for c in self.children] == self._laid_out_before:
                if tries:  # else measured when the footer is next composed or resized (a screen below another)
                    self.call_after_refresh(self._leave_out, tries - 1)  # not laid out (at this spacing) yet
                return
            self._laid_out_before = None
            total = max(c.region.right + c.styles.margin.right for c in keys) - self.region.x
            sizes = [sum(w.outer_size.width + w.styles.margin.width for w in unit) for unit in units]
            self._measured = (total, sizes, {c: c.outer_size.width + c.styles.margin.width for c in keys})
        used, sizes, widths = self._measured
        hidden = self._hidden  # keys composed but not active now
        used -= sum(widths.get(child, 0) for child in hidden)
        palette = sum(key.outer_size.width for key in self.query(FooterKey) if key.has_class("-command-palette"))
        palette *= self.show_command_palette  # a hint already given up is still drawn until the recompose
        if used > self.size.width - palette and self.show_command_palette:
            self.show_command_palette = False
            self.call_after_refresh(self.recompose)  # then measured again
            return
        room = self.size.width - palette
        shown = [unit[0] not in hidden for unit in units]
        if not self.compact and used - sum(sizes[n] for n in range(optional) if shown[n]) > room:
            self._measure_again(compact=True)  # even without the optional keys help and quit would be cut off
            return
        for n in order:
            if used <= room:
                break
            if shown[n]:
                shown[n] = False
                used -= sizes[n]
        display = {}
        for unit, show in zip(units, shown, strict=True):
            display.update(dict.fromkeys(unit, show))
        for child in self.children:
            child.display = display.get(child, child not in hidden)
