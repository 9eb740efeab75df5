"""The lesson-player widgets in the demo app, driven with Pilot: what a student sees after each key."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App, ComposeResult

from engine.netfile import load_network
from engine.numbers import fmt
from tests.demo import DiagramDemo
from tutor.widgets.diagram import NetworkDiagram
from tutor.widgets.equation import EquationPanel
from tutor.widgets.values import ValuesTable

DATA = Path(__file__).parent / "data"


def lines(diagram: NetworkDiagram) -> list[str]:
    """The diagram as the user sees it, line by line."""
    return ["".join(segment.text for segment in diagram.render_line(y)) for y in range(diagram.size.height)]


def segment_with(diagram: NetworkDiagram, text: str):
    for y in range(diagram.size.height):
        for segment in diagram.render_line(y):
            if text in segment.text:
                return segment
    raise AssertionError(f"{text!r} is not on the diagram")


def background(diagram: NetworkDiagram, component: str):
    return diagram.get_component_rich_style(f"network-diagram--{component}", partial=True).bgcolor


async def test_equation_panel_prompts_then_shows_each_term(network_path):
    app = DiagramDemo(network_path("two_two_two"))
    async with app.run_test(size=(120, 36)) as pilot:
        panel = app.query_one(EquationPanel)
        assert "Press → to compute the first term" in panel.plain
        await pilot.press("right")
        await pilot.pause()
        first = app.player.trace.terms[0]
        assert panel.plain.splitlines()[1] == "n_h1 = a_i1 · w_i1,h1 + a_i2 · w_i2,h1 + b_h1"
        assert panel.plain.splitlines()[-1].strip() == f"= {fmt(first.value)}" == "= 0.3775"
        await pilot.press("l", "l")
        await pilot.pause()
        assert panel.plain.splitlines()[-1].strip() == f"= {fmt(app.player.current.value)}"
        assert "term 3 of 57" in panel.border_title


async def test_equation_panel_shows_the_chain_product_with_the_factor_being_computed(network_path):
    app = DiagramDemo(network_path("one_hidden_unit"), focus="hidden[0][0]")
    async with app.run_test(size=(120, 36)) as pilot:
        app.player.seek(app.player.index("chain.hidden[0][0].1.3") + 1)
        app.refresh_widgets()
        await pilot.pause()
        text = app.query_one(EquationPanel).plain.splitlines()
        assert text[0] == "∂E/∂w1 = ∂E/∂a_out · ∂a_out/∂n_out · ∂n_out/∂a_hid · ∂a_hid/∂n_hid · ∂n_hid/∂w1"
        assert text[1].strip() == "= −0.460008 × 0.248401 × 0.32 × · × ·"
        # the factor's rule, the identity of its link, sits between the path and the factor
        assert text[2] == "rule  ∂n_j/∂a_i = w_i,j"
        assert text[3] == "∂n_out/∂a_hid = w2"
        assert text[-1].strip() == "= 0.32"


def test_long_formulas_break_before_an_operator_and_hang_under_their_equals_sign():
    from rich.text import Text

    from tutor.widgets.equation import hang

    product = "∂E/∂w1 = ∂E/∂a_out · ∂a_out/∂n_out · ∂n_out/∂a_hid · ∂a_hid/∂n_hid · ∂n_hid/∂w1"
    numbers = "       = (−0.460008) × 0.248401 × 0.32 × 0.249999 × 0.03"
    text = Text(f"{product}\n{numbers}")
    assert hang(text, 100).plain == text.plain  # room enough: nothing changes
    assert hang(text, 76).plain.splitlines() == [
        "∂E/∂w1 = ∂E/∂a_out · ∂a_out/∂n_out · ∂n_out/∂a_hid · ∂a_hid/∂n_hid",
        "         · ∂n_hid/∂w1",
        numbers,
    ]
    narrow = hang(text, 40).plain.splitlines()
    assert all(len(line) <= 40 for line in narrow)
    assert narrow[3:] == ["       = (−0.460008) × 0.248401 × 0.32", "         × 0.249999 × 0.03"]
    # never inside brackets; a line with nowhere to break is left whole
    assert hang(Text("a(1 − a) = a · (b + c + d + e)"), 20).plain == "a(1 − a) = a\n           · (b + c + d + e)"
    assert hang(Text("x = " + "a" * 50), 20).plain == "x = " + "a" * 50
    # styles go with the characters they were on
    styled = Text("E = ") + Text("first", style="bold") + Text(" · second")
    first, second = hang(styled, 12).split("\n")
    assert (first.plain, second.plain) == ("E = first", "    · second")
    assert [(span.start, span.end, span.style) for span in first.spans] == [(4, 9, "bold")]


async def test_the_chain_product_hangs_at_80_columns(network_path):
    app = DiagramDemo(network_path("one_hidden_unit"), focus="hidden[0][0]")
    async with app.run_test(size=(80, 36)) as pilot:
        app.player.seek(app.player.index("chain.hidden[0][0].1.3") + 1)
        app.refresh_widgets()
        await pilot.pause()
        panel = app.query_one(EquationPanel)
        shown = panel.render().plain.splitlines()
        assert max(len(line) for line in shown) <= panel.content_size.width
        assert shown[1].strip().startswith("· ") and shown[1].startswith(" " * len("∂E/∂w1 = "))


async def test_values_table_fills_in_and_empties_again(network_path):
    app = DiagramDemo(network_path("two_two_two"))
    trace = app.player.trace
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(ValuesTable)
        assert table.cell_text("hidden.0", "a") == ""
        assert table.cell_text("input.1", "a") == "0.10"  # given from the start
        assert table.cell_text("output.0", "t") == "0.01"
        assert table.cell_text("hidden[0][1]", "w") == "0.20"
        await pilot.press("f")
        await pilot.pause()
        assert table.cell_text("hidden.0", "a") == fmt(trace["a.hidden.0"].value) == "0.59327"
        assert table.cell_text("output.1", "n") == fmt(trace["n.output.1"].value)
        assert table.cell_text("output.1", "dE_dn") == ""
        assert table.loss_text == "E = 0.298371"
        await pilot.press("b")
        await pilot.pause()
        assert table.cell_text("hidden.1", "dE_dn") == fmt(trace["dE/dn.hidden.1"].value)
        assert table.cell_text("hidden[0][0]", "grad") == fmt(trace["dE/dw.hidden.0.0"].value)
        assert table.cell_text("hidden[0][0]", "new") == ""
        await pilot.press("u")
        await pilot.pause()
        assert table.cell_text("hidden_bias[1]", "new") == "0.345023"
        await pilot.press("left")
        await pilot.pause()
        assert table.cell_text("hidden_bias[1]", "new") == ""  # stepping back un-computes it
        await pilot.press("r")
        await pilot.pause()
        assert table.cell_text("hidden.0", "a") == "" and table.loss_text == "E ="


async def test_diagram_lights_up_the_current_terms_units(network_path):
    app = DiagramDemo(network_path("two_two_two"))
    async with app.run_test(size=(120, 36)) as pilot:
        diagram = app.query_one(NetworkDiagram)
        assert diagram.mode == "full"
        assert segment_with(diagram, " h1").style.bgcolor != background(diagram, "current")
        await pilot.press("l")  # n_h1: reads i1, i2, the bias; writes h1
        await pilot.pause()
        current = background(diagram, "current")
        assert segment_with(diagram, " h1").style.bgcolor == current
        assert segment_with(diagram, " i2").style.bgcolor == current
        assert segment_with(diagram, " h2").style.bgcolor != current
        assert segment_with(diagram, "0.20").style.bgcolor == current  # the weight w_i2,h1 on its line
        assert segment_with(diagram, "0.25").style.bgcolor != current


async def test_diagram_shows_values_and_targets(network_path):
    app = DiagramDemo(network_path("two_two_two"))
    async with app.run_test(size=(120, 36)) as pilot:
        diagram = app.query_one(NetworkDiagram)
        drawing = "\n".join(lines(diagram))
        assert "0.05" in drawing and re.search(r"\bt +0\.99\b", drawing) and "0.59327" not in drawing
        await pilot.press("f")
        await pilot.pause()
        drawing = "\n".join(lines(diagram))
        assert "0.59327" in drawing and "0.772928" in drawing and "units: a_j" in drawing
        await pilot.press("b")
        await pilot.pause()
        drawing = "\n".join(lines(diagram))
        assert "0.00877135" in drawing and "−0.0380982" in drawing and "units: ∂E/∂n_j" in drawing
        await pilot.press("u")
        await pilot.pause()
        assert "0.149781′" in "\n".join(lines(diagram))  # the new weight, marked


async def test_a_unit_shows_the_values_the_current_term_uses_beside_the_one_it_shows(network_path):
    """Issue 18: at ∂E/∂w = ∂E/∂n_o1 · a_h1 the hidden unit shows a_h1, not only "·" for its ∂E/∂n."""
    app = DiagramDemo(network_path("two_two_two"))
    async with app.run_test(size=(120, 36)) as pilot:
        diagram = app.query_one(NetworkDiagram)
        player = app.player
        a_h1 = player.trace.terms[player.index("a.hidden.0")].value
        n_h1 = player.trace.terms[player.index("n.hidden.0")].value
        player.seek(player.index("a.hidden.0") + 1)  # a_h1 = σ(n_h1): uses n_h1
        diagram.show(player)
        await pilot.pause()
        assert f"n_h1 {fmt(n_h1)}" in "\n".join(lines(diagram))
        player.seek(player.index("dE/dw.output.0.0") + 1)  # ∂E/∂w_h1,o1 = ∂E/∂n_o1 · a_h1
        diagram.show(player)
        await pilot.pause()
        drawing = "\n".join(lines(diagram))
        assert "units: ∂E/∂n_j" in drawing and f"a_h1 {fmt(a_h1)}" in drawing
        assert "n_h1" not in drawing and "a_h2" not in drawing  # only what this term uses
        player.seek(player.index("dE/dn.output.0"))  # σ′(n_o1) = a_o1(1 − a_o1): uses a_o1
        diagram.show(player)
        await pilot.pause()
        assert "a_o1 " in "\n".join(lines(diagram))


async def test_chain_path_is_lit_while_its_factors_are_stepped_one_path_at_a_time(network_path):
    app = DiagramDemo(network_path("two_two_two"), focus="hidden[0][0]")
    async with app.run_test(size=(120, 36)) as pilot:
        diagram = app.query_one(NetworkDiagram)
        chain = background(diagram, "chain")
        await pilot.press("f")
        await pilot.pause()
        assert segment_with(diagram, " o2").style.bgcolor != chain
        await pilot.press("l", "l", "l", "l")  # ∂E/∂a_o1, ∂a_o1/∂n_o1, ∂E/∂n_o1, ∂E/∂a_o2: not chain factors
        await pilot.pause()
        assert segment_with(diagram, " o1").style.bgcolor != chain
        assert "chain path" not in "\n".join(lines(diagram))
        player = app.player
        first = next(k for k, t in enumerate(player.terms) if t.kind == "factor" and t.path == 1)
        second = next(k for k, t in enumerate(player.terms) if t.kind == "factor" and t.path == 2)
        for k, lit, dark in ((first, " o1", " o2"), (second, " o2", " o1")):
            player.seek(k + 1)
            diagram.show(player)
            await pilot.pause()
            assert segment_with(diagram, lit).style.bgcolor in (chain, background(diagram, "current"))
            assert segment_with(diagram, dark).style.bgcolor not in (chain, background(diagram, "current"))
            assert segment_with(diagram, " h1").style.bgcolor in (chain, background(diagram, "current"))
            assert "chain path" in "\n".join(lines(diagram))
        await pilot.press("u")
        await pilot.pause()
        assert segment_with(diagram, " o1").style.bgcolor != chain


async def test_big_network_is_drawn_as_cells_with_values_on_demand():
    app = DiagramDemo(DATA / "letters_6_20_6.toml")
    async with app.run_test(size=(120, 36)) as pilot:
        diagram = app.query_one(NetworkDiagram)
        assert diagram.mode == "compact"
        drawing = "\n".join(lines(diagram))
        assert "hidden" in drawing and "target" in drawing
        await pilot.press("l")
        await pilot.pause()
        assert diagram.cursor == "hidden.0"  # the cursor follows the current term (n_h1)
        await pilot.press("f")  # E is about no single unit: the cursor stays
        await pilot.press("right_square_bracket", "right_square_bracket", "up")
        await pilot.pause()
        assert diagram.cursor == "output.2"
        await pilot.press("down")
        await pilot.pause()
        assert diagram.cursor == "hidden.2"
        value = fmt(app.player.trace["a.hidden.2"].value)
        assert f"h3 (hidden.2): a_h3 = {value}" in "\n".join(lines(diagram))


async def test_compact_view_can_be_toggled(network_path):
    app = DiagramDemo(network_path("two_two_two"))
    seen: list[NetworkDiagram.ModeChanged] = []

    def hook(message) -> None:  # called at every hop of a bubbling message: keep each once
        if isinstance(message, NetworkDiagram.ModeChanged) and not any(m is message for m in seen):
            seen.append(message)

    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        diagram = app.query_one(NetworkDiagram)
        assert diagram.mode == "full"
        seen.clear()
        await pilot.press("c")
        await pilot.pause()
        assert diagram.mode == "compact" and diagram.has_class("-compact")
        await pilot.press("c")
        await pilot.pause()
        assert diagram.mode == "full" and not diagram.has_class("-compact")
        assert [message.mode for message in seen] == ["compact", "full"]


async def test_too_small_says_so(network_path):
    app = DiagramDemo(network_path("two_two_two"))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        diagram = app.query_one(NetworkDiagram)
        assert diagram.mode == "small"
        assert "Too small for the network diagram" in " ".join(lines(diagram))


async def test_diagram_lays_out_again_on_resize(network_path):
    app = DiagramDemo(network_path("two_two_two"))
    async with app.run_test(size=(120, 36)) as pilot:
        diagram = app.query_one(NetworkDiagram)
        assert diagram.mode == "full"
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert diagram.mode == "small"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert diagram.mode == "full"
        assert "weights" in "\n".join(lines(diagram))


async def test_next_pattern_shows_its_inputs(network_path):
    app = DiagramDemo(network_path("xor"))
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.query_one(ValuesTable)
        assert (table.cell_text("input.0", "a"), table.cell_text("input.1", "a")) == ("0", "0")
        await pilot.press("f", "p")
        await pilot.pause()
        assert app.player.position == 0 and app.player.trace.pattern == 1
        assert (table.cell_text("input.0", "a"), table.cell_text("input.1", "a")) == ("0", "1")
        assert table.cell_text("hidden.0", "a") == ""


class NetworkOnly(App):
    def __init__(self, path: Path):
        super().__init__()
        self.net = load_network(str(path))

    def compose(self) -> ComposeResult:
        yield NetworkDiagram()

    def on_mount(self) -> None:
        self.query_one(NetworkDiagram).show_network(self.net)


async def test_recurrent_network_shows_context_units_and_copy_back_links():
    app = NetworkOnly(DATA / "srn_1_2_1.toml")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        diagram = app.query_one(NetworkDiagram)
        drawing = "\n".join(lines(diagram))
        assert diagram.mode == "full"
        assert "c_h1" in drawing and "c_h2" in drawing
        assert "┆" in drawing and "copy to context" in drawing


def test_each_widget_has_help_text_for_the_help_screen():
    for widget in (NetworkDiagram, EquationPanel, ValuesTable):
        assert widget.HELP_PATH.read_text(encoding="utf-8").startswith("# ")


def drawn(widget) -> list[list[tuple[str, object]]]:
    """Every line of a Line-API widget as (text, style) pairs."""
    return [[(s.text, s.style) for s in widget.render_line(y)] for y in range(widget.size.height)]


async def test_a_step_redraws_exactly_what_changed(network_path):
    """Lines kept from the step before must equal lines drawn afresh, at every position, both ways."""
    app = DiagramDemo(network_path("two_two_two"), focus="hidden[0][0]")
    async with app.run_test(size=(120, 40)) as pilot:
        diagram, table = app.query_one(NetworkDiagram), app.query_one(ValuesTable)
        positions = [*range(len(app.player.terms) + 1), 40, 3, 60, 0]
        for k in positions:
            app.player.seek(k)
            app.refresh_widgets()
            await pilot.pause()
            kept = drawn(diagram), drawn(table)
            diagram.notify_style_update()  # forget every cached line and style
            table.notify_style_update()
            assert (drawn(diagram), drawn(table)) == kept, f"stale lines at position {k}"


async def test_compact_view_redraws_exactly_what_changed():
    app = DiagramDemo(DATA / "letters_6_20_6.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        diagram = app.query_one(NetworkDiagram)
        assert diagram.mode == "compact"
        for k in (1, 2, 30, 200, 201, 900, 5):
            app.player.seek(k)
            app.refresh_widgets()
            await pilot.pause()
            kept = drawn(diagram)
            diagram.notify_style_update()
            assert drawn(diagram) == kept, f"stale lines at position {k}"
