"""The footer of every screen: the keys that work now, drawn as one line.

It looks like Textual's Footer (textual 8.2.8), spacing and colours alike, but it is one widget that
draws one line, not a widget per key. When the keys change (the predict box opens and takes the keys
that type, a verdict gives them back, a page opens), it lays the line out again and draws it, in the
same frame: Textual's Footer mounts a widget per key, and each is styled, measured and drawn again
whenever it is shown or hidden (about a third of judging a prediction).

Where the keys do not fit, the footer packs itself, by one rule, from the keys and the width alone:

1. the "^p palette" hint, at the right end, shows from PALETTE_HINT_FROM columns, where every key fits
   beside it (help lists ctrl+p);
2. the screen's `optional` keys (a page's own: text, values, view...) are left out, last first, where
   the others would not fit beside them;
3. where even those would not fit, the keys close up (Textual's compact footer), and then the groups'
   labels go, last first (help names every key), then the `last_resort` keys: "? Help" and "q Quit",
   at the right end, stay in view down to the smallest width.

The spacing (2 and 3) is decided on the keys shown since keys last appeared that were not there before:
keys that go away for a while (the answer box takes them) leave the others where they were.

A key is clicked as it is pressed; a disabled one rings the bell. The key under the mouse is lit, and
its tooltip shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby, pairwise
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

PALETTE_HINT_FROM = 100  # columns: narrower footers leave out the "^p palette" hint to make room for keys


@dataclass(frozen=True)
class Key:
    """One key as the footer shows it."""

    key: str  # the key pressed when it is clicked
    display: str  # how it is written ("⏎", "^p", "pgdn")
    description: str
    action: str
    enabled: bool = True
    tooltip: str = ""


@dataclass(frozen=True)
class Unit:
    """A key with its description, or a group of keys with the group's label (Textual's KeyGroup)."""

    keys: tuple[Key, ...]
    label: str | None = None  # a group's description
    tight: bool = False  # a group drawn without spaces between its keys (Binding.Group's compact)


@dataclass(frozen=True)
class Piece:
    """Text drawn in one style: "key" and "description" belong to a key (`key`), "label" to a group, "gap" to
    the footer itself (the space between keys)."""

    text: str
    part: str
    key: Key | None = None


@dataclass(frozen=True)
class Box:
    """What Textual lays out as one widget: margins either side (the larger of two neighbours' wins), pieces."""

    pieces: tuple[Piece, ...]
    left: int = 0
    right: int = 0
    key: Key | None = None  # a key alone (Textual's FooterKey): all of its box is the key (clicked, lit)

    @property
    def width(self) -> int:
        return sum(cell_len(piece.text) for piece in self.pieces)


def unit_boxes(unit: Unit, compact: bool) -> list[Box]:
    """A unit's boxes as Textual's Footer draws them (textual 8.2.8's CSS for Footer, KeyGroup and FooterKey,
    with KeysFooter's margin after a label in the compact footer)."""
    if unit.label is None:
        (key,) = unit.keys
        if not key.description:
            return [Box((Piece(key.display, "key", key),), right=int(compact), key=key)]
        if compact:  # padding 0 around the key, 1 before the description; a margin of 1 after
            pieces = (Piece(key.display, "key", key), Piece(f" {key.description}", "description", key))
            return [Box(pieces, right=1, key=key)]
        pieces = (Piece(f" {key.display} ", "key", key), Piece(f"{key.description} ", "description", key))
        return [Box(pieces, key=key)]
    pieces = [Piece(" ", "gap")]  # the group's padding (tight), or its first key's margin
    for n, key in enumerate(unit.keys):
        if n and not unit.tight:
            pieces.append(Piece(" ", "gap"))  # between keys: margins of 1, collapsed
        pieces.append(Piece(key.display, "key", key))
    if not unit.tight:
        pieces.append(Piece(" ", "gap"))  # the last key's margin
    return [Box(tuple(pieces), right=int(unit.tight)), Box((Piece(unit.label, "label"),), right=1)]


def extent(boxes: list[Box]) -> int:
    """The columns the boxes take side by side (margins collapsed, the last one's right margin counted)."""
    if not boxes:
        return 0
    total = boxes[0].left
    for box, after in pairwise(boxes):
        total += box.width + max(box.right, after.left)
    return total + boxes[-1].width + boxes[-1].right


def palette_width(palette: Key, compact: bool) -> int:
    """The hint's columns: a border, the key and its description, closed up, and padding unless compact."""
    return 1 + cell_len(palette.display) + 1 + cell_len(palette.description) + (0 if compact else 1)


@dataclass(frozen=True)
class Layout:
    """What the footer draws at a width: its boxes in order, and the palette hint (or None)."""

    boxes: tuple[Box, ...]
    palette: Key | None
    compact: bool


def lay_out(
    units: tuple[Unit, ...],
    basis: tuple[Unit, ...],
    palette: Key | None,
    width: int,
    optional: frozenset[str] = frozenset(),
    last_resort: frozenset[str] = frozenset(),
) -> Layout:
    """The footer's rule (see the module's docstring): `units` are shown, `basis` (a superset) decides the
    spacing and the hint."""

    def boxes_of(these, compact) -> list[list[Box]]:
        return [unit_boxes(unit, compact) for unit in these]

    def kind(unit: Unit, actions: frozenset[str]) -> bool:
        return all(key.action in actions for key in unit.keys)

    spaced = [box for boxes in boxes_of(basis, False) for box in boxes]
    if palette is not None and (width < PALETTE_HINT_FROM or extent(spaced) > width - palette_width(palette, False)):
        palette = None
    room = width - (palette_width(palette, False) if palette else 0)
    needed = [box for unit in basis if not kind(unit, optional) for box in unit_boxes(unit, False)]
    compact = extent(needed) > room
    # what may go, in the order it goes: optional units last first; closed up, the labels of the others last
    # first, then the last resort's units last first (each a list of (unit number, box number))
    shown = boxes_of(units, compact)
    order = [[(n, b) for b in range(len(shown[n]))] for n in reversed(range(len(units))) if kind(units[n], optional)]
    if compact:
        others = [n for n, unit in enumerate(units) if not kind(unit, optional) and not kind(unit, last_resort)]
        order += [[(n, 1)] for n in reversed(others) if units[n].label is not None]
        order += [
            [(n, b) for b in range(len(shown[n]))] for n in reversed(range(len(units))) if kind(units[n], last_resort)
        ]
    out = {(n, b) for n, boxes in enumerate(shown) for b in range(len(boxes))}

    def kept() -> list[Box]:
        return [box for n, boxes in enumerate(shown) for b, box in enumerate(boxes) if (n, b) in out]

    for going in order:
        if extent(kept()) <= room:
            break
        out.difference_update(going)
    return Layout(tuple(kept()), palette, compact)


def shown_units(screen: Screen) -> tuple[tuple[Unit, ...], Key | None]:
    """What Textual's Footer (textual 8.2.8) would show for the screen's keys now: its units in order (a binding
    per action, the first; consecutive actions of one group together), and the palette hint if it is bound."""
    app = screen.app
    active = screen.active_bindings
    by_action: dict[str, tuple] = {}
    for _, binding, enabled, tip in active.values():
        if binding.show:
            by_action.setdefault(binding.action, (binding, enabled, tip))
    units: list[Unit] = []
    for group, found in groupby(by_action.values(), lambda found: found[0].group):
        found = list(found)
        if group is not None and len(found) > 1:
            keys = tuple(_key(app, binding, "", enabled, tip or binding.description) for binding, enabled, tip in found)
            units.append(Unit(keys, group.description, group.compact))
        else:
            units += [Unit((_key(app, binding, binding.description, enabled, tip),)) for binding, enabled, tip in found]
    palette = None
    if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
        _, binding, enabled, _ = active[app.COMMAND_PALETTE_BINDING]
        palette = _key(app, binding, binding.description, enabled, binding.tooltip or binding.description)
    return tuple(units), palette


def _key(app, binding: Binding, description: str, enabled: bool, tooltip: str) -> Key:
    return Key(binding.key, app.get_key_display(binding), description, binding.action, enabled, tooltip)


class KeysFooter(Widget, can_focus=False):
    """The footer: the keys of the current screen, one line (see the module's docstring)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer--item",
        "footer--hover",
        "footer--disabled",
        "footer--key",
        "footer--description",
        "footer--label",
        "footer--border",
    }
    # Textual's Footer, FooterKey and FooterLabel styles (textual 8.2.8), as parts of one widget
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer--item { background: $footer-item-background; }
        .footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
        .footer--disabled { text-style: dim; }
        .footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer--label { color: $footer-description-foreground; background: $footer-description-background; }
        .footer--border { color: $foreground 20%; }
    }
    """

    def __init__(self, optional: frozenset[str] = frozenset(), last_resort: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.optional = optional
        self.last_resort = last_resort
        self.units: tuple[Unit, ...] = ()
        self.palette: Key | None = None
        self._basis: tuple[Unit, ...] = ()
        self._layout: tuple[int, Layout] | None = None  # the width it was laid out at, and the layout
        self._line: tuple[int, Key | None, Strip] | None = None  # the width, the key lit, the line drawn
        self._spans: list[tuple[int, int, Key]] = []  # where each key is drawn (from, to), for the mouse
        self._lit: Key | None = None
        self._part_styles: dict[tuple, Style] = {}  # composed styles, until the styles change
        self.layouts_made = 0  # how many times the keys were laid out (tests: once per change, not per signal)

    # -- the keys ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        # Told at once (in the turn that moved the bindings): the keys change in the frame that shows why.
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed, immediate=True)
        self.read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if screen.app.app_focus and screen is self.screen and self.is_attached:
            self.read_keys()

    def read_keys(self) -> None:
        """Read the screen's keys; lay the footer out again (when it is next drawn) if they changed."""
        units, palette = shown_units(self.screen)
        if set(units) <= set(self._basis) and palette == self.palette:
            units = tuple(unit for unit in self._basis if unit in units)  # as they were: the keys left stay put
        else:
            self._basis = units
        if (units, palette) == (self.units, self.palette):
            return
        self.units, self.palette = units, palette
        self._layout = self._line = None
        self.refresh()

    @property
    def layout_now(self) -> Layout:
        width = self.size.width
        if self._layout is None or self._layout[0] != width:
            self.layouts_made += 1
            laid = lay_out(self.units, self._basis, self.palette, width, self.optional, self.last_resort)
            self._layout = (width, laid)
        return self._layout[1]

    @property
    def compact(self) -> bool:
        return self.layout_now.compact

    @property
    def show_command_palette(self) -> bool:
        return self.layout_now.palette is not None

    def shown(self) -> list[Key]:
        """The keys drawn, left to right (the palette hint last), as they are drawn: within the width."""
        self.render_line(0)
        return [key for _, _, key in self._spans]

    # -- drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._part_styles.clear()
        self._line = None

    def _style(self, *parts: str, key: Key | None = None) -> Style:
        """The style DOMNode.rich_style gives a node under the footer: the footer's own, then (for a key) the
        key's widget (lit, or dim when disabled), then the parts' component styles, in order."""
        lit, enabled = key is not None and key == self._lit, key is None or key.enabled
        cache = (parts, key is not None, lit, enabled)
        if cache not in self._part_styles:
            self._part_styles[cache] = self._compose_style(parts, key is not None, lit, enabled)
        return self._part_styles[cache]

    def _compose_style(self, parts: tuple[str, ...], key: bool, lit: bool, enabled: bool) -> Style:
        layers = [self.get_component_styles(part) for part in parts]
        if key:
            item = [self.get_component_styles("footer--hover" if lit else "footer--item")]
            if not enabled:
                item.append(self.get_component_styles("footer--disabled"))
            layers = item + layers
        background, color, style, opacity = Color(0, 0, 0, 0), Color(255, 255, 255, 0), Style(), 1.0
        for styles in [node.styles for node in reversed(self.ancestors_with_self)] + layers:
            opacity *= styles.opacity
            if styles.has_rule("background"):
                tinted = styles.background.tint(styles.background_tint)
                text_background = background + tinted
                background += tinted.multiply_alpha(opacity)
            else:
                text_background = background
            if styles.has_rule("color"):
                color = styles.color
            style += styles.text_style
            if styles.has_rule("auto_color") and styles.auto_color:
                color = text_background.get_contrast_text(color.a)
        return style + Style.from_color(
            (background + color).rich_color if (background.a or color.a) else None,
            background.rich_color if background.a else None,
        )

    def _gap(self) -> Style:
        """The footer's own cells, between keys: its background (as Textual draws a container's blank)."""
        return Style.from_color(None, self._style().bgcolor)

    def _piece_style(self, piece: Piece) -> Style:
        if piece.key is None:
            return self._style("footer--label") if piece.part == "label" else self._gap()
        # FooterKey.render: the key's and the description's component styles over the key widget's own
        return self._style(key=piece.key) + self._style(f"footer--{piece.part}", key=piece.key)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._line is not None and self._line[:2] == (width, self._lit):
            return self._line[2] if y == 0 else Strip.blank(width, self._gap())
        layout = self.layout_now
        gap = self._gap()
        segments, spans, x = [], [], 0
        boxes = layout.boxes
        for n, box in enumerate(boxes):
            space = box.left if n == 0 else max(boxes[n - 1].right, box.left)
            if space:
                segments.append(Segment(" " * space, gap))
                x += space
            start = x
            for piece in box.pieces:
                segments.append(Segment(piece.text, self._piece_style(piece)))
                if piece.key is not None and box.key is None:  # a key of a group: its own cells
                    spans.append((x, x + cell_len(piece.text), piece.key))
                x += cell_len(piece.text)
            if box.key is not None:
                spans.append((start, x, box.key))
        line = Strip(segments).crop_extend(0, width, gap)
        palette = layout.palette
        if palette is not None:
            at = width - palette_width(palette, layout.compact)
            item = self._style(key=palette)
            border = self._style("footer--border", key=palette)
            hint = [
                Segment("▏", Style.from_color(border.color, item.bgcolor)),
                Segment(palette.display, item + self._style("footer--key", key=palette)),
                Segment(f" {palette.description}", item + self._style("footer--description", key=palette)),
            ]
            if not layout.compact:
                hint.append(Segment(" ", Style.from_color(None, item.bgcolor)))  # padding: a blank of the key's
            line = Strip.join([line.crop(0, at), Strip(hint)]).crop_extend(0, width, gap)
            spans = [span for span in spans if span[1] <= at] + [(at, width, palette)]
        self._spans = [span for span in spans if span[1] <= width]  # keys drawn whole
        self._line = (width, self._lit, line)
        return line if y == 0 else Strip.blank(width, gap)

    # -- the mouse -----------------------------------------------------------------------------

    def _key_at(self, x: int) -> Key | None:
        self.render_line(0)
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def _light(self, key: Key | None) -> None:
        if key != self._lit:
            self._lit = key
            self.tooltip = key.tooltip or None if key is not None else None
            self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._light(self._key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._light(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
