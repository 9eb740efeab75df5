"""The diagram's layout (no Textual): every connection drawn once with its weight, lines never run over each other."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest

from engine.kinds import build_trace
from engine.netfile import load_network
from tutor.widgets.diagram import Scene
from tutor.widgets.diagram_layout import (
    DASHED,
    DOWN,
    GLYPHS,
    LEFT,
    PORT,
    RIGHT,
    UP,
    VARIANTS,
    Wire,
    choose,
    compact_layout,
    full_layout,
    natural_size,
    order_lanes,
    pair_cost,
)

DATA = Path(__file__).parent / "data"
BUNDLED = ["one_hidden_unit", "two_two_two", "xor", "encoder_424"]


def scene_of(path) -> Scene:
    net = load_network(str(path))
    return Scene.from_network(net) if net.is_recurrent else Scene.from_trace(build_trace(net))


def text(canvas) -> list[str]:
    """The canvas as plain text, slots shown as # (the legend as L)."""
    lines = []
    for row in canvas.rows:
        line = ""
        for span in row:
            line = line.ljust(span.x)
            if span.slot is None:
                line += span.text
            else:
                line += ("L" if span.slot.kind == "legend" else "#") * span.slot.width
        lines.append(line)
    return lines


def slots(canvas, kind: str) -> list[str]:
    return [span.slot.id for row in canvas.rows for span in row if span.slot and span.slot.kind == kind]


@pytest.mark.parametrize("name", BUNDLED)
def test_every_connection_has_one_port_and_one_weight(network_path, name):
    scene = scene_of(network_path(name))
    canvas = full_layout(scene.net, scene.labels, scene.measures)
    assert canvas is not None
    connections = sorted(
        f"{key}[{']['.join(map(str, index))}]"
        for key, array in scene.net.params.items()
        for index in np.ndindex(array.shape)
    )
    assert sorted(slots(canvas, "weight")) == connections
    ports = sum(line.count(PORT) for line in text(canvas))
    assert ports == len(connections)
    units = [f"{layer.name}.{j}" for layer in scene.net.layers for j in range(layer.size)]
    assert sorted(slots(canvas, "value")) == sorted(units)
    assert sorted(slots(canvas, "target")) == [f"{scene.net.output.name}.{j}" for j in range(scene.net.output.size)]


@pytest.mark.parametrize("name", BUNDLED)
def test_natural_size_is_the_size_drawn(network_path, name):
    scene = scene_of(network_path(name))
    drawn = 0
    for variant in VARIANTS:
        canvas = full_layout(scene.net, scene.labels, scene.measures, variant)
        if canvas is not None:
            assert (canvas.width, canvas.height) == natural_size(scene.net, scene.labels, scene.measures, variant)
            assert len(canvas.rows) == canvas.height
            assert all(len(line) <= canvas.width for line in text(canvas))
            drawn += 1
    assert drawn >= 1  # some variant draws every bundled network: at least one size was compared


@pytest.mark.parametrize("name", BUNDLED)
def test_crossings_are_only_between_two_different_lines(network_path, name):
    """A ┼ is a crossing of two connections; a connection's own corners never look like a junction."""
    scene = scene_of(network_path(name))
    canvas = full_layout(scene.net, scene.labels, scene.measures)
    for row in canvas.rows:
        for span in row:
            if span.slot is None and "┼" in span.text:
                assert span.key[0] == "cross" and span.key[1] != span.key[2]
            if span.slot is None and span.key[0] == "conn":
                assert not set(span.text) & set("├┤┬┴┼")  # one connection: straight lines and corners only


def test_two_two_two_fits_80_columns_unit_by_unit(network_path):
    scene = scene_of(network_path("two_two_two"))
    assert choose(scene.net, scene.labels, scene.measures, 78, 16).mode == "full"


def test_too_big_networks_get_cells_and_too_small_panes_a_message():
    scene = scene_of(DATA / "letters_6_20_6.toml")
    canvas = choose(scene.net, scene.labels, scene.measures, 78, 16)
    assert canvas.mode == "compact"
    assert canvas.needs[0] > 78  # the full view would be wider
    small = choose(scene.net, scene.labels, scene.measures, 38, 8)
    assert small.mode == "small"
    message = " ".join(text(small))
    assert "Too small for the network diagram" in message and "38×8" in message
    assert f"{canvas.width}×{canvas.height}" in message  # what the compact view would need


def test_asking_for_the_full_view_that_does_not_fit_says_how_to_get_cells():
    scene = scene_of(DATA / "letters_6_20_6.toml")
    canvas = choose(scene.net, scene.labels, scene.measures, 78, 16, compact=False)
    assert canvas.mode == "small"
    assert "Press c" in " ".join(text(canvas))


def test_compact_view_has_a_cell_per_unit_input_at_the_bottom():
    scene = scene_of(DATA / "letters_6_20_6.toml")
    canvas = compact_layout(scene.net)
    assert canvas.order == [
        [f"output.{j}" for j in range(6)],
        [f"hidden.{j}" for j in range(20)],
        [f"input.{j}" for j in range(6)],
    ]
    assert sorted(slots(canvas, "cell")) == sorted(uid for row in canvas.order for uid in row)
    assert sorted(slots(canvas, "tcell")) == [f"output.{j}" for j in range(6)]
    names = [line.split()[0] for line in text(canvas) if line.split()]
    assert [name for name in names if name in ("target", "output", "hidden", "input")] == [
        "target",
        "output",
        "hidden",
        "input",
    ]


def test_recurrent_network_draws_context_units_and_dashed_copy_back_links():
    scene = scene_of(DATA / "srn_1_2_1.toml")
    canvas = choose(scene.net, scene.labels, scene.measures, 120, 40)
    assert canvas.mode == "full"
    assert sorted(slots(canvas, "value")) == [
        "hidden.0",
        "hidden.1",
        "hidden_context.0",
        "hidden_context.1",
        "input.0",
        "output.0",
    ]
    lines = text(canvas)
    assert any("c_h1" in line for line in lines) and any("c_h2" in line for line in lines)
    copy_keys = {span.key[1] for row in canvas.rows for span in row if span.key[0] == "copy"}
    assert copy_keys == {"hidden_context.0", "hidden_context.1"}
    drawing = "\n".join(lines)
    assert "┄" in drawing and "┆" in drawing
    assert "hidden_context[1][0]" in slots(canvas, "weight")


def test_a_wire_whose_out_row_is_anothers_in_row_must_go_left_of_it():
    a = Wire("a", out_row=3, in_row=0)  # leaves on row 3, enters on row 0
    b = Wire("b", out_row=5, in_row=3)  # enters on row 3
    assert pair_cost(a, b) < pair_cost(b, a)
    assert pair_cost(b, a) >= 1 << 20  # b's lane left of a's: a's way out would run over b's way in
    assert [w.id for w in order_lanes([b, a])] == ["a", "b"]


def test_lanes_are_ordered_so_that_parallel_wires_do_not_cross():
    up = [Wire(f"u{n}", out_row=10 + n, in_row=n) for n in range(4)]
    order = order_lanes(up[::-1])
    assert sum(pair_cost(a, b) for i, a in enumerate(order) for b in order[i + 1 :]) == 0


def test_a_cycle_of_shared_rows_cannot_be_routed():
    a = Wire("a", out_row=1, in_row=2)
    b = Wire("b", out_row=2, in_row=1)
    assert order_lanes([a, b]) is None


def arms(char: str) -> int:
    """The directions a box-drawing character's lines go, read from its Unicode name (not from GLYPHS)."""
    name = unicodedata.name(char)
    assert name.startswith("BOX DRAWINGS LIGHT "), name
    words = set(name.split()) - {"BOX", "DRAWINGS", "LIGHT", "ARC", "TRIPLE", "DASH", "AND"}
    bits = {"UP": UP, "DOWN": DOWN, "LEFT": LEFT, "RIGHT": RIGHT, "VERTICAL": UP | DOWN, "HORIZONTAL": LEFT | RIGHT}
    return sum({bits[word] for word in words})


def test_each_glyph_has_lines_in_exactly_the_directions_it_is_drawn_for():
    assert sorted(GLYPHS) == list(range(1, 16))  # every non-empty set of up, right, down, left
    assert {dirs: arms(glyph) for dirs, glyph in GLYPHS.items()} == {dirs: dirs for dirs in GLYPHS}
    assert {dirs: arms(glyph) for dirs, glyph in DASHED.items()} == {dirs: dirs for dirs in DASHED}
    assert all("DASH" in unicodedata.name(glyph) for glyph in DASHED.values())


@pytest.mark.parametrize("name", [*BUNDLED, "srn_1_2_1"])
def test_the_lines_drawn_join_up_wherever_two_meet(network_path, name):
    """Next to each other, two line characters either both reach across their shared edge or neither does."""
    path = network_path(name) if name in BUNDLED else DATA / f"{name}.toml"
    scene = scene_of(path)
    canvas = full_layout(scene.net, scene.labels, scene.measures)
    lines = [line.ljust(canvas.width + 1) for line in text(canvas)] + [" " * (canvas.width + 1)]
    drawn = set(GLYPHS.values()) | set(DASHED.values())
    joins = 0
    for y, line in enumerate(lines[:-1]):
        for x, char in enumerate(line[:-1]):
            if char not in drawn:
                continue
            right, below = line[x + 1], lines[y + 1][x]
            if right in drawn:
                assert bool(arms(char) & RIGHT) == bool(arms(right) & LEFT), (name, y, x, char + right)
                joins += bool(arms(char) & RIGHT)
            if below in drawn:
                assert bool(arms(char) & DOWN) == bool(arms(below) & UP), (name, y, x, char, below)
                joins += bool(arms(char) & DOWN)
    assert joins > 0  # a real drawing was checked
