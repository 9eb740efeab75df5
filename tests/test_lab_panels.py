"""The learning lab's panels on train pages: the decision surface (tutor/widgets/surface.py), live."""

from __future__ import annotations

import numpy as np
import pytest

from engine import hidden_space
from engine import surface as surfaces
from engine.kinds import train
from engine.netfile import load_network
from tests.app_support import lab_views, make_app, open_page, page_opened, settle, test_lessons  # noqa: F401
from tests.conftest import NETWORKS
from tests.test_app_snapshots import at_page
from tutor.messages import TrainStopped
from tutor.widgets import live_panel as panel_module
from tutor.widgets.hidden_space import HiddenSpacePanel, line_cells
from tutor.widgets.hidden_states import HiddenStatePanel
from tutor.widgets.live_panel import fit
from tutor.widgets.surface import SurfacePanel
from tutor.widgets.surface_art import SHADES

pytestmark = pytest.mark.usefixtures("test_lessons")


def lines_of(text) -> list[str]:
    return text.plain.split("\n")


async def test_the_panel_follows_training_and_names_the_hidden_units():
    app = make_app()
    stopped = []
    async with app.run_test(size=(120, 36), message_hook=stopped.append) as pilot:
        view = await open_page(pilot, "train")
        panel = view.query_one(SurfacePanel)
        before = panel.render().plain
        assert "o1 over (x1, x2)" in before and "h1" in before and "h2" in before
        for key in view.net.params:
            np.testing.assert_array_equal(panel.net.params[key], view.net.params[key])
        await pilot.press("plus", "plus", "space")  # as fast as it goes
        await settle(pilot, lambda: any(isinstance(m, TrainStopped) for m in stopped))
        await pilot.pause(panel_module.REDRAW_EVERY + 0.1)
        assert view.reached_ecrit
        for key in view.net.params:  # the panel draws the trained weights, from its own copy
            np.testing.assert_array_equal(panel.net.params[key], view.net.params[key])
            assert panel.net.params[key] is not view.net.params[key]
        after = panel.render().plain
        assert after != before
        for name in view.analysis.functions:
            unit, function = name.split(" ≈ ")
            if unit.startswith("h"):
                assert f"≈ {function}"[:15] in after  # each thumbnail is labelled with what the unit computes
        # XOR learned: the trained surface is high at (0, 1) and (1, 0), low at (0, 0) and (1, 1)
        found = surfaces.compute(panel.net, 41, 41)
        assert found.output[10, 10] < 0.5 < found.output[30, 10] and found.output[30, 30] < 0.5 < found.output[10, 30]
        await pilot.press("r")
        await pilot.pause(panel_module.REDRAW_EVERY + 0.1)
        assert panel.render().plain == before  # back to the page's own starting weights


async def test_redraws_are_throttled_while_weights_stream_in(monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "train")
        panel = view.query_one(SurfacePanel)
        await pilot.pause(panel_module.REDRAW_EVERY)
        drawn = []
        monkeypatch.setattr(panel, "_redraw", lambda: (drawn.append(1), SurfacePanel._redraw(panel)))
        for _ in range(20):  # twenty reports within a few milliseconds
            panel.show(view.net, view.analysis.functions)
        assert len(drawn) == 1  # the first at once; the others wait for one timer
        await pilot.pause(panel_module.REDRAW_EVERY + 0.1)
        assert len(drawn) == 2 and panel.version >= 20


def test_picture_sizes_never_break_the_drawing():
    net = load_network(NETWORKS / "xor.toml")
    panel = SurfacePanel(net)
    full = lines_of(panel.picture(40, 34))
    assert full[0] == "o1 over (x1, x2)"
    assert any(line.startswith("h1") for line in full) and all(len(line) <= 40 for line in full)
    no_room_for_thumbs = lines_of(panel.picture(40, 14))
    assert no_room_for_thumbs[-1] == "hidden units: a taller window shows them"
    assert all(len(line) <= 40 for line in no_room_for_thumbs) and len(no_room_for_thumbs) <= 14
    narrow = lines_of(panel.picture(18, 16))
    assert narrow[0] == "o1 over x1, x2" and narrow[-1] == "wider shows more"
    assert all(len(line) <= 18 for line in narrow) and len(narrow) <= 16
    assert panel.picture(40, 6).plain == "The decision surface needs a larger window."
    assert panel.picture(18, 5).plain == "A wider window shows the decision surface."


def test_without_colour_the_panel_draws_shades():
    net = load_network(NETWORKS / "xor.toml")
    panel = SurfacePanel(net)
    mono, colour = panel.picture(40, 34, color=False), panel.picture(40, 34)
    assert "▀" not in mono.plain and "▀" in colour.plain
    assert set("·░▒▓█") & set(mono.plain)
    assert not any(span.style and getattr(span.style, "bgcolor", None) for span in mono.spans)


ENCODER_LESSON = """
[lesson]
id = "encoder-train"
title = "Encoder"
summary = "A train page of a network with four inputs."

[[pages]]
kind = "train"
title = "Train the 4-2-4 encoder"
network = "encoder_424.toml"
"""


async def test_networks_without_two_inputs_get_no_panel(tmp_path):
    (tmp_path / "lesson.toml").write_text(ENCODER_LESSON, encoding="utf-8")
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "train")
        assert view.query(SurfacePanel)
        app.open_lesson("encoder-train", 0)
        await pilot.pause()
        await pilot.pause()
        view = await page_opened(pilot)
        assert view.net.layers[0].size == 4
        assert not app.screen.query(SurfacePanel) and SurfacePanel not in lab_views(view)


def test_surface_panel_120x36(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=at_page("train"))


def test_surface_panel_80x24(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=at_page("train"))


def test_surface_panel_no_color(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=at_page("train"))


# -- hidden-unit space ---------------------------------------------------------------------------


@pytest.mark.parametrize("network", ["xor", "xor_3hidden", "encoder_424", "encoder_838"])
def test_hidden_space_points_are_the_hidden_activations(network):
    net = load_network(NETWORKS / f"{network}.toml")
    train(net, 60)
    space = hidden_space.compute(net)
    hidden = net.forward(net.inputs).activation[1]
    np.testing.assert_array_equal(space.points, hidden)
    assert space.units == net.layers[1].labels and len(space.units) in (2, 3)
    assert (space.weights is None) == (net.output.size > 1)


@pytest.mark.parametrize("network", ["xor", "xor_3hidden"])
def test_the_separating_line_is_where_the_outputs_net_input_is_zero(network):
    net = load_network(NETWORKS / f"{network}.toml")
    train(net, 200)
    space = hidden_space.compute(net)
    w, b = net.params["output"][0], net.params["output_bias"][0]
    np.testing.assert_array_equal(space.weights, w)
    h1 = np.linspace(0, 1, 11)
    h3 = 0.3
    h2 = space.line_h2(h1, h3)
    on_line = np.column_stack([h1, h2, np.full(11, h3)])[:, : len(w)]
    np.testing.assert_allclose(on_line @ w + b, 0, atol=1e-12)  # w·h + b = 0 on the line
    # and the net input it uses is the output unit's own: the engine's n at each pattern's point
    np.testing.assert_allclose(space.net_input(space.points), net.forward(net.inputs).net_input[-1][:, 0])


def test_the_line_cells_lie_on_the_line():
    net = load_network(NETWORKS / "xor.toml")
    train(net, 3000)
    space = hidden_space.compute(net)
    cells = line_cells(space, 0.0, 1.0, 30, 15)
    assert cells
    for r, c in cells:  # the line passes through every marked cell: n changes sign across it, or is 0 there
        corners = np.array(
            [
                [c / 30, 1 - r / 15],
                [(c + 1) / 30, 1 - r / 15],
                [c / 30, 1 - (r + 1) / 15],
                [(c + 1) / 30, 1 - (r + 1) / 15],
            ]
        )
        n = space.net_input(corners)
        assert n.min() <= 1e-9 and n.max() >= -1e-9


async def test_l_switches_to_hidden_space_and_it_follows_training():
    app = make_app()
    stopped = []
    async with app.run_test(size=(120, 36), message_hook=stopped.append) as pilot:
        view = await open_page(pilot, "train")
        surface = view.query_one(SurfacePanel)
        assert surface.display and not view.query(HiddenSpacePanel)  # made when l first shows it
        await pilot.press("l")
        await pilot.pause()
        space = view.query_one(HiddenSpacePanel)
        assert space.display and not surface.display
        before = space.render().plain
        assert before.startswith("Hidden-unit space: h1 across, h2 up")
        await pilot.press("plus", "plus", "space")
        await settle(pilot, lambda: any(isinstance(m, TrainStopped) for m in stopped))
        await pilot.pause(panel_module.REDRAW_EVERY + 0.1)
        for key in view.net.params:
            np.testing.assert_array_equal(space.net.params[key], view.net.params[key])
        after = space.render().plain
        assert after != before and "●" in after and "01" in after
        await pilot.press("l")  # then the hidden units pattern by pattern (tests/test_train_visuals.py)
        await pilot.pause()
        assert not surface.display and not space.display and view.query_one("#hidden-units").display
        await pilot.press("l")
        await pilot.pause()
        assert surface.display and not space.display


async def test_the_encoders_get_the_hidden_code_table(tmp_path):
    (tmp_path / "lesson.toml").write_text(ENCODER_LESSON, encoding="utf-8")
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("encoder-train", 0)
        await pilot.pause()
        await pilot.pause()
        await page_opened(pilot)
        space = app.screen.query_one(HiddenSpacePanel)
        assert space.display  # the only lab view of a four-input network
        lines = space.render().plain.split("\n")
        table = lines[lines.index(next(line for line in lines if line.startswith("input"))) :]
        net = app.screen.view.net
        hidden = net.forward(net.inputs).activation[1]
        assert len(table) == 1 + len(net.inputs)
        for row, values in zip(table[1:], hidden, strict=True):
            assert [float(v) for v in row.split()[1:]] == pytest.approx(values, abs=0.005)


def test_hidden_space_sizes_never_break_the_drawing():
    net = load_network(NETWORKS / "xor.toml")
    panel = HiddenSpacePanel(net)
    for width, height in [(40, 29), (28, 16), (20, 10)]:
        picture = panel.picture(width, height)
        lines = lines_of(fit(picture, width))
        assert len(lines) <= height and all(len(line) <= width for line in lines)
        assert all(len(line) <= width for line in lines_of(picture)[1:-1])  # the plot itself is never cut
    assert panel.picture(14, 8).plain == "Hidden-unit space needs a larger window."
    mono = panel.picture(40, 29, color=False)
    assert not any(getattr(span.style, "bgcolor", None) for span in mono.spans)


ENCODER_838_LESSON = ENCODER_LESSON.replace("4-2-4", "8-3-8").replace("encoder_424", "encoder_838")


@pytest.mark.parametrize("epochs", [0, 3000])
def test_the_838_encoders_labels_never_overlap(epochs):
    """Eight points crowd the plane: each label is drawn whole beside its dot, or left to the table below."""
    net = load_network(NETWORKS / "encoder_838.toml")
    train(net, epochs)
    names = {f"i{k}" for k in range(1, 9)}
    for width, height in [(48, 30), (36, 18), (28, 14)]:
        picture = HiddenSpacePanel(net).picture(width, height, color=False)
        rows = lines_of(picture)[1:]
        plot = rows[: next(k for k, row in enumerate(rows) if row.startswith("● colour"))]
        seen = []
        for row in plot[:-1]:  # the last line is the h1 axis
            for token in row[5:].replace("●", " ").replace("·", " ").split():
                assert set(token.split(",")) <= names, (token, width, height)  # no label runs into another
                seen += token.split(",")
        assert len(seen) == len(set(seen)) and len(set(seen)) >= 4  # none twice; most are named
        if height < 18:
            assert not any(row.startswith("input") for row in rows)  # the table gives way to the plot
            continue
        table = rows[rows.index(next(r for r in rows if r.startswith("input"))) + 1 :]
        assert [row.split()[:2] for row in table] == [
            [f"i{k + 1}", "".join("1" if j == k else "0" for j in range(8))] for k in range(8)
        ]


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_the_838_encoders_hidden_space(snap_compare, tmp_path, size):
    (tmp_path / "lesson.toml").write_text(ENCODER_838_LESSON, encoding="utf-8")
    assert snap_compare(make_app(lesson_dirs=[tmp_path]), terminal_size=size, run_before=at_encoder)


def test_the_838_encoders_hidden_space_no_color(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "lesson.toml").write_text(ENCODER_838_LESSON, encoding="utf-8")
    assert snap_compare(make_app(lesson_dirs=[tmp_path]), terminal_size=(120, 36), run_before=at_encoder)


async def at_encoder(pilot) -> None:
    pilot.app.open_lesson("encoder-train", 0)
    await pilot.pause()
    await pilot.pause()
    await page_opened(pilot)


def at_hidden_space(pilot_keys=("l",)):
    return at_page("train", *pilot_keys)


def test_hidden_space_panel_120x36(snap_compare):
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=at_hidden_space())


def test_hidden_space_panel_80x24(snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=at_hidden_space())


def test_hidden_space_panel_no_color(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=at_hidden_space())


# -- the hidden-state strip of Elman networks -----------------------------------------------------

ELMAN_LESSON = """
[lesson]
id = "elman-train"
title = "Temporal XOR"
summary = "A train page of an Elman network."

[[pages]]
kind = "train"
title = "Temporal XOR"
network = "temporal_xor.toml"
epochs = 1
"""


def test_hidden_states_are_the_recurrent_forward_pass_over_the_test_stream():
    from engine.recurrent import context_layer, forward_sequence

    net = load_network(NETWORKS / "temporal_xor.toml")
    found = hidden_space.hidden_states(net, steps=30)
    record = forward_sequence(net, net.test_stream.inputs[:30])
    np.testing.assert_array_equal(found.states, record.activation[context_layer(net)])
    assert found.labels == list(net.test_stream.labels[:30]) and found.units == ["h1", "h2"]
    # the context carries the state: step t's hidden activations depend on step t − 1's
    assert not np.allclose(found.states[1:], net.forward(net.test_stream.inputs[1:30]).activation[1])


def test_without_a_stream_the_strip_shows_the_last_sequence():
    net = load_network(NETWORKS / "tiny_srn.toml")
    found = hidden_space.hidden_states(net)
    inputs = net.sequences[-1][0]
    assert len(found.states) == len(inputs) == len(found.labels)


async def elman_page(pilot, tmp_path):
    pilot.app.open_lesson("elman-train", 0)
    await pilot.pause()
    await pilot.pause()
    return await page_opened(pilot)


async def test_an_elman_train_page_shows_the_strip_and_no_other_lab_view(tmp_path):
    (tmp_path / "lesson.toml").write_text(ELMAN_LESSON, encoding="utf-8")
    app = make_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await elman_page(pilot, tmp_path)
        panel = view.query_one(HiddenStatePanel)
        assert panel.display and not view.query(SurfacePanel) and not view.query(HiddenSpacePanel)
        assert lab_views(view) == [HiddenStatePanel]
        lines = panel.render().plain.split("\n")
        assert lines[0].startswith("Hidden units over the first") and lines[1].startswith("h1 ██")
        steps = int(lines[0].split()[5])
        assert lines[3].split() == list(view.net.test_stream.labels[:steps])


def test_hidden_state_sizes_never_break_the_drawing():
    net = load_network(NETWORKS / "temporal_xor.toml")
    panel = HiddenStatePanel(net)
    for width, height in [(40, 29), (24, 8)]:
        lines = lines_of(fit(panel.picture(width, height), width))
        assert len(lines) <= height and all(len(line) <= width for line in lines)
    assert panel.picture(8, 8).plain == "The hidden-state strip needs a larger window."
    mono = panel.picture(40, 29, color=False)
    row = mono.plain.split("\n")[1]
    assert row.startswith("h1 ") and set(row[3:]) <= set(SHADES)
    assert all(isinstance(span.style, str) for span in mono.spans)  # "bold", "dim": no colour anywhere


def at_elman(tmp_path):
    (tmp_path / "lesson.toml").write_text(ELMAN_LESSON, encoding="utf-8")

    async def run_before(pilot) -> None:
        await elman_page(pilot, tmp_path)

    return run_before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_hidden_state_panel(snap_compare, tmp_path, size):
    (tmp_path / "lesson.toml").write_text(ELMAN_LESSON, encoding="utf-8")
    assert snap_compare(make_app(lesson_dirs=[tmp_path]), terminal_size=size, run_before=at_elman(tmp_path))


def test_hidden_state_panel_no_color(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "lesson.toml").write_text(ELMAN_LESSON, encoding="utf-8")
    assert snap_compare(make_app(lesson_dirs=[tmp_path]), terminal_size=(120, 36), run_before=at_elman(tmp_path))


# -- the lessons that put the panels to work --------------------------------------------------------


def bundled_page(file: str, title: str):
    from tutor.lessons import bundled_dir, load_lesson

    lesson = load_lesson(bundled_dir() / file)
    return next(page for page in lesson.pages if page.title == title)


def test_lesson_1_shows_the_hand_built_xor_in_hidden_unit_space():
    from tutor.lessons.networks import load_ref

    page = bundled_page("01_hidden_units.toml", "What the hidden units did")
    net = load_ref(page.network)
    space = hidden_space.compute(net)
    # the table of the page's text: (h_OR, h_AND) for inputs 00, 01, 10, 11
    np.testing.assert_array_equal(space.points, [[0, 0], [1, 0], [1, 0], [1, 1]])
    assert space.units == ["OR", "AND"]
    # its line separates the 1s from the 0s: w·h + b has the target's sign on every pattern
    assert np.all((space.net_input(space.points) > 0) == (space.targets[:, 0] == 1))
    picture = HiddenSpacePanel(net).picture(40, 22, color=False).plain
    assert "01,10●" in picture or "●01,10" in picture  # the two 1s on one point, labelled together


def test_lesson_6s_stuck_seed_puts_two_inputs_on_one_hidden_point_and_a_flat_surface():
    from tutor.lessons.networks import load_ref

    page = bundled_page("06_training_xor.toml", "A seed that gets stuck")
    net = load_ref(page.network)
    train(net, page.epochs)
    hidden = net.forward(net.inputs).activation[1]
    assert np.abs(hidden[2] - hidden[3]).max() < 0.001 and hidden[2].min() > 0.99  # (1, 0) and (1, 1): one corner
    found = surfaces.compute(net, 41, 41)
    right = found.output[:, found.x >= 0.9]  # where the first input is near 1 and beyond
    assert np.abs(right[(found.y >= -0.5) & (found.y <= 1.2)] - 0.5).max() < 0.05  # one flat sheet at ½


def test_lesson_8s_relu_surface_is_a_tent_over_x1_plus_x2():
    from tutor.lessons.networks import load_ref

    page = bundled_page("08_activations_losses.toml", "ReLU and step units: slopes of 1 and 0")
    net = load_ref(page.network)
    found = surfaces.compute(net, 41, 41)
    s = found.x[None, :] + found.y[:, None]
    tent = np.clip(np.minimum(s, 2 - s), 0, None)  # up from 0 to 1 at x1 + x2 = 1, down to 0 at 2, 0 beyond
    np.testing.assert_allclose(found.output, tent, atol=1e-12)
