"""What the predict box's keys do in their turn, and what they leave for later (issue 13's latency goal).

- The keyboard moving between the diagram and the answer line restyles neither, and does not draw the diagram
  whole, when their look does not change: the diagram looks the same focused and -asked, and the answer line is
  hidden when it loses the keyboard. What is skipped must be what a restyle would have left as it was: each state
  is compared with the styles the stylesheet gives when the widget is styled again from scratch.
- The asked term's slips are found after the frame that draws the box (a verdict before it finds them itself).
- A verdict is saved a second later, in a thread; quitting right after it still saves it.
"""

from __future__ import annotations

import json

import pytest

from tests.app_support import make_app, test_lessons  # noqa: F401 (a fixture)
from tests.test_predict_frames import trace_page, verdict
from tutor.progress import Progress
from tutor.widgets.predict import PredictInput

SIZE = (120, 36)


def looks(widget) -> tuple:
    """What the widget is drawn with: its own style and each of its component classes' (as they are now)."""
    names = sorted(widget._get_component_classes())
    return widget.rich_style, tuple(widget.get_component_rich_style(name, partial=True) for name in names)


def restyled(widget) -> tuple:
    """The same, once the stylesheet has styled the widget again from scratch."""
    widget.app.stylesheet.update_nodes(widget.walk_children(with_self=True), animate=False)
    return looks(widget)


def assert_styled_as_now(*widgets) -> None:
    """Each widget that shows is drawn with the styles the stylesheet gives it now (a hidden one may wait)."""
    for widget in widgets:
        if not (widget.display and widget.parent.display):
            continue
        assert looks(widget) == restyled(widget), f"{widget} is drawn with stale styles"


@pytest.fixture
def restyles(monkeypatch):
    """Every node the stylesheet styles, from now on."""
    from textual.css.stylesheet import Stylesheet

    seen = []
    update_nodes = Stylesheet.update_nodes

    def counted(self, nodes, animate=False):
        nodes = list(nodes)
        seen.extend(nodes)
        return update_nodes(self, nodes, animate=animate)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted)
    return seen


async def test_asking_judging_and_closing_leave_the_styles_a_restyle_would_give(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        diagram, answer = view.query_one("#diagram"), view.query_one(PredictInput)
        for keys in (("equals_sign",), (*"0.5", "enter"), ("equals_sign",), ("escape",), ("right", "equals_sign")):
            await pilot.press(*keys)
            await pilot.pause()
            assert_styled_as_now(diagram, answer)
        assert app.focused is answer and box.asking
        focused_tint = looks(diagram)[0]
        await pilot.click(diagram)  # the mouse takes the keyboard to the diagram while the box asks, and back
        await pilot.pause()
        assert app.focused is diagram and looks(diagram)[0] == focused_tint
        assert_styled_as_now(diagram, answer)
        await pilot.click(answer)
        await pilot.pause()
        assert app.focused is answer and box.asking and looks(diagram)[0] == focused_tint
        assert_styled_as_now(diagram, answer)
        await pilot.press(*"1", "enter")
        await pilot.pause()
        assert app.focused is diagram and not diagram.has_class("-asked")
        assert_styled_as_now(diagram, answer)


async def test_the_answer_line_hidden_unfocused_is_styled_unfocused_when_the_page_is_styled_again(test_lessons):  # noqa: F811
    """A restyle of the whole page while the answer line is hidden (a new theme, the screen's size classes) styles it
    as it is, unfocused; asking again then styles it focused."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, _ = await trace_page(pilot)
        answer = view.query_one(PredictInput)
        await pilot.press("equals_sign")
        await pilot.pause()
        focused = looks(answer)
        await pilot.press(*"0.5", "enter")
        await pilot.pause()
        app.update_styles(view)
        assert looks(answer) != focused
        await pilot.press("equals_sign")
        await pilot.pause()
        assert app.focused is answer and looks(answer) == focused
        assert_styled_as_now(answer)


async def test_once_asked_the_keyboard_moving_restyles_neither_the_diagram_nor_the_answer_line(
    test_lessons,  # noqa: F811
    restyles,
):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        diagram, answer = view.query_one("#diagram"), view.query_one(PredictInput)
        await pilot.press("equals_sign", *"0.5", "enter")  # the first asking styles the answer line focused
        await pilot.pause()
        restyles.clear()
        for keys in (("equals_sign",), (*"0.25", "enter"), ("equals_sign",), ("escape",)):
            await pilot.press(*keys)
            await pilot.pause()
            assert diagram not in restyles and answer not in restyles, keys
        assert box in restyles  # the verdict's colour: the box itself is styled


async def test_the_keyboard_moving_to_the_box_and_back_does_not_draw_the_diagram_whole(test_lessons):  # noqa: F811
    """Only the diagram's rows whose highlight changes are drawn again (Widget's focus handlers refresh it all). The
    box once open keeps its rows through verdicts (escape closes it: the diagram is laid out again, and drawn whole)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        diagram = view.query_one("#diagram")
        await pilot.press("equals_sign", *"0.5", "enter")
        await pilot.pause()
        whole = []
        set_dirty = diagram._set_dirty
        diagram._set_dirty = lambda *regions: (whole.append(regions) if not regions else None, set_dirty(*regions))
        for keys in (("equals_sign",), (*"0.25", "enter"), ("equals_sign",), (*"1", "enter")):
            await pilot.press(*keys)
            await pilot.pause()
            assert whole == [], keys
        assert app.focused is diagram and not box.asking


async def test_an_answer_judged_just_before_quitting_is_saved(test_lessons):  # noqa: F811
    """A verdict is saved a second later, in a thread (a burst of steps and answers makes one write); quitting right
    after it writes it first."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        term = view.player.terms[view.player.position]
        await pilot.press("equals_sign", *"12345", "enter", "q")  # no pause between the verdict and q
        assert box.has_class("-wrong") and not box.asking and view.player.current is term
    saved = json.loads(Progress().path.read_text(encoding="utf-8"))
    assert saved["predictions"][term.kind] == {"asked": 1, "right": 0, "wrong": 1, "slips": 0, "streak": 0}
    assert f"predict:basics:{view.page.index}:{term.id}" in saved["reviews"]  # a missed term is a card to review


async def test_the_slips_are_found_after_the_box_is_drawn_not_in_the_keys_turn(test_lessons, monkeypatch):  # noqa: F811
    import tutor.screens.lesson.predicting as predicting

    found = []
    slips = predicting._slips
    monkeypatch.setattr(predicting, "_slips", lambda trace, term: found.append(term) or slips(trace, term))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        term = view.player.terms[view.player.position]
        view.action_predict()  # what = does, with no turn for the app to run after it
        assert box.asking and found == []
        await pilot.pause()
        assert found == [term] and box.slips == slips(view.player.trace, term)


async def test_a_verdict_before_the_box_is_drawn_finds_the_slips_itself(test_lessons):  # noqa: F811
    """An answer judged before the frame that draws the box (the slips are looked for after it) names its slip."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await trace_page(pilot)
        player = view.player
        player.to_end_of("forward")
        view._show()
        term = player.terms[player.position]  # the first backward term: ∂E/∂a of the output, −(t − a)
        assert term.kind == "dE_da" and "the ½ of half-SSE forgotten" in box_slips(view, term)
        view.action_predict()  # what = does, and enter in the same turn
        assert callable(box._slips)
        box.check(f"{2 * term.value:.6f}")  # the ½ of E = ½(t − a)² forgotten: a slip of the term's own
        assert player.current is term and "Likely slip: the ½ of half-SSE forgotten" in verdict(view)
        await pilot.pause()
        assert "Likely slip: the ½ of half-SSE forgotten" in verdict(view)


def box_slips(view, term) -> dict[str, float]:
    from tutor.screens.lesson.predicting import _slips

    return _slips(view.player.trace, term)


async def test_the_box_opens_in_view_on_a_page_whose_text_took_the_rows():
    """The tour's trace page at 120×36: its text was given the rows the diagram and the panels did not need while the
    box was hidden; opening the box takes them back (the box showed below the screen's last row), and escape gives
    them to the text again."""
    from tests.app_support import page_opened, settle
    from tutor.screens.lesson.views import PageText
    from tutor.widgets.predict import PredictBox

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_lesson("tour", 1)
        await pilot.pause()
        await pilot.pause()
        view = await page_opened(pilot)
        box = view.query_one(PredictBox)
        view.take_focus()
        await pilot.pause()
        text = view.query_one(PageText)
        before = text.outer_size.height
        await pilot.press("equals_sign")
        await settle(pilot, lambda: False, tries=6)
        footer_top = app.screen.query_one("KeysFooter").region.y
        assert box.asking and box.region.height == 5 and box.region.bottom <= footer_top
        assert text.outer_size.height < before
        await pilot.press("escape")
        await settle(pilot, lambda: False, tries=6)
        assert text.outer_size.height == before
