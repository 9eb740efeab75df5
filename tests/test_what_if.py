"""What-if on trace and unroll pages (issue 14): a weight set by the learner, and the whole pass traced again.

The recomputed pass must be the one a network file with that weight gives: every term, the gradients,
the chain. The page's keys (w, ↑↓, enter, r), its goal, and what a changed page looks like.
"""

from __future__ import annotations

import numpy as np
import pytest
from textual.widgets import Input

from engine import what_if
from engine.kinds import kind_of
from engine.netfile import load_network
from engine.notation import get_notation
from engine.trace import Weight
from tests.app_support import make_app
from tests.conftest import NETWORKS
from tutor.lessons import check_lesson, load_lesson
from tutor.lessons.what_if import SettingError, read_setting
from tutor.widgets.values import ValuesTable
from tutor.widgets.what_if import WhatIfBox

GOAL_LESSON = """
[lesson]
id = "what-if"
title = "What if"
summary = "Change a weight, see every term change."

[[pages]]
kind = "trace"
title = "Push o1 up"
network = "two_two_two.toml"

[pages.goal]
term = "a.output.0"
above = 0.9
weights = 1

[[pages]]
kind = "unroll"
title = "The context weight"
network = "tiny_srn.toml"
focus = "hidden_context[0][0]"
"""


def file_with(tmp_path, name: str, old: str, new: str):
    """The bundled network file `name` with one line of its [weights] rewritten, loaded."""
    text = (NETWORKS / name).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return load_network(path)


def assert_same_pass(trace, expected) -> None:
    """Every term (id, formula with numbers, value), the gradients and the new weights agree."""
    assert [t.id for t in trace.terms] == [t.id for t in expected.terms]
    for term, want in zip(trace.terms, expected.terms, strict=True):
        assert term.expression == want.expression, term.id
        assert term.value == pytest.approx(want.value, rel=1e-12, abs=1e-15), term.id
    for key in expected.gradients:
        np.testing.assert_allclose(trace.gradients[key], expected.gradients[key], rtol=1e-12)
        np.testing.assert_allclose(trace.weights_after[key], expected.weights_after[key], rtol=1e-12)


# -- the engine ----------------------------------------------------------------------------------


def test_a_changed_weight_traces_as_a_file_with_that_weight(tmp_path):
    net = load_network(NETWORKS / "two_two_two.toml")
    changed = what_if.with_weights(net, {Weight("output", (0, 0)): 5.0})
    expected = file_with(tmp_path, "two_two_two.toml", "output = [[0.40, 0.45]", "output = [[5, 0.45]")
    trace = kind_of(changed).trace(0)
    assert_same_pass(trace, kind_of(expected).trace(0))
    assert trace["a.output.0"].value == pytest.approx(0.978854, abs=1e-6)  # 1/(1 + e^−(.59327·5 + .596884·.45 + .6))
    assert trace["n.output.0"].expression == "0.59327 × 5 + 0.596884 × 0.45 + 0.60"
    chain, want = trace.chain("hidden[0][0]"), kind_of(expected).trace(0).chain("hidden[0][0]")
    assert [f.value for f in chain.terms()] == pytest.approx([f.value for f in want.terms()])
    assert net.params["output"][0, 0] == 0.4  # the lesson's network is left as it was
    assert what_if.changes(net, changed) == [what_if.Change(Weight("output", (0, 0)), 0.4, 5.0)]


def test_a_changed_context_weight_traces_the_unrolled_pass_as_a_file_with_it(tmp_path):
    net = load_network(NETWORKS / "tiny_srn.toml")
    changed = what_if.with_weights(net, {Weight("hidden_context", (0, 0)): -1.5})
    expected = file_with(tmp_path, "tiny_srn.toml", "hidden_context = [[0.4]]", "hidden_context = [[-1.5]]")
    trace = kind_of(changed).trace(0)
    assert_same_pass(trace, kind_of(expected).trace(0))
    chain, want = trace.chain("hidden_context[0][0]"), kind_of(expected).trace(0).chain("hidden_context[0][0]")
    assert [f.value for f in chain.terms()] == pytest.approx([f.value for f in want.terms()])


def test_weights_are_found_by_the_tables_name_or_their_connection():
    net = load_network(NETWORKS / "two_two_two.toml")
    pdp = get_notation(None)
    assert what_if.weight_named(net, pdp, "w_h1,o1") == Weight("output", (0, 0))
    assert what_if.weight_named(net, pdp, " output[1][0] ") == Weight("output", (1, 0))
    assert what_if.weight_named(net, pdp, "b_o2") == Weight("output_bias", (1,))
    assert what_if.weight_named(net, pdp, "w9") is None
    numbered = load_network(NETWORKS / "xor_numbered.toml")
    named = {name for (_, _), name in numbered.weight_names.items()}
    assert named and all(what_if.weight_named(numbered, pdp, name) is not None for name in named)


# -- reading what the learner types --------------------------------------------------------------


def test_a_setting_names_a_weight_or_sets_the_one_picked():
    net = load_network(NETWORKS / "two_two_two.toml")
    pdp = get_notation(None)
    assert read_setting("w_h1,o1 = 5", net, pdp) == (Weight("output", (0, 0)), 5.0)
    assert read_setting("hidden[1][1]=−.25", net, pdp) == (Weight("hidden", (1, 1)), -0.25)
    assert read_setting(" 2e-3 ", net, pdp, Weight("output_bias", (0,))) == (Weight("output_bias", (0,)), 0.002)


@pytest.mark.parametrize(
    ("text", "picked", "says"),
    [
        ("0.3,5", Weight("output", (0, 0)), "Decimals use a point, not a comma. Enter a number, like 0.0572"),
        ("abc", Weight("output", (0, 0)), "The new value of w_h1,o1: “a” is not part of a number. Enter a number"),
        ("w9 = 1", None, "This network has no weight “w9”: name one as the table of values does (w_i1,h1)"),
        ("0.3", None, "Which weight? Write its name and the value, like w1 = 0.3"),
        ("w_h1,o1 =", None, "What value for w_h1,o1? Type a number, like 0.3"),
        ("w_h1,o1 = 1e6", None, "w_h1,o1 = 1e6 is too large: keep a weight between −100 and 100."),
    ],
)
def test_a_setting_that_cannot_be_read_says_what_form_is_expected(text, picked, says):
    net = load_network(NETWORKS / "two_two_two.toml")
    with pytest.raises(SettingError) as err:
        read_setting(text, net, get_notation(None), picked)
    assert says in err.value.message


# -- the goal in the lesson file -----------------------------------------------------------------


def lesson_problems(tmp_path, goal: str) -> list[str]:
    text = GOAL_LESSON.replace('term = "a.output.0"\nabove = 0.9\nweights = 1\n', goal)
    path = tmp_path / "lesson.toml"
    path.write_text(text, encoding="utf-8")
    from engine.tomlfile import read_toml

    data, where = read_toml(path)
    return [str(problem) for problem in check_lesson(path, data, where)]


def test_a_goal_reads_into_the_page(tmp_path):
    (tmp_path / "lesson.toml").write_text(GOAL_LESSON, encoding="utf-8")
    lesson = load_lesson(tmp_path / "lesson.toml", deep=True)
    goal = lesson.pages[0].goal
    assert (goal.term, goal.above, goal.below, goal.weights) == ("a.output.0", 0.9, None, 1)
    assert lesson.pages[1].goal is None
    assert lesson_problems(tmp_path, 'term = "a.output.0"\nabove = 0.9\nweights = 1\n') == []


def test_the_goal_example_of_the_lesson_guide_validates(tmp_path):
    guide = (NETWORKS.parent.parent / "docs" / "lessons.md").read_text(encoding="utf-8")
    example = guide.split("#### What-if goals", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    head = '[lesson]\nid = "guide"\ntitle = "Guide"\nsummary = "The guide\'s goal."\n\n'
    (tmp_path / "lesson.toml").write_text(head + example, encoding="utf-8")
    lesson = load_lesson(tmp_path / "lesson.toml", deep=True)
    assert lesson.pages[0].goal.weights == 1


@pytest.mark.parametrize(
    ("goal", "line", "says"),
    [
        ('term = "a.output.0"\nabove = 0.9\nbelow = 0.1\n', 12, "gives one of 'above' and 'below'"),
        ("above = 0.9\n", 12, "[pages.goal] has no 'goal.term'"),
        ('term = "a.output.0"\nabove = "high"\n', 14, "'goal.above' should be a number, got 'high'"),
        ('term = "a.output.0"\nabove = 0.9\nweights = 0\n', 15, "'goal.weights' should be at least 1, got 0"),
        ('term = "a.output.0"\nabove = 0.9\nchanges = 1\n', 15, "unknown key 'goal.changes' in [pages.goal]"),
        ('term = "a.out.0"\nabove = 0.9\n', 13, "the page's trace has no term 'a.out.0' (did you mean 'a.output.0'?)"),
        ('term = "a.output.0"\nbelow = 0.9\n', 12, "the goal is met with the lesson's own weights (a_o1 = 0.751365)"),
    ],
)
def test_a_goal_with_a_problem_is_refused_at_its_line(tmp_path, goal, line, says):
    problems = lesson_problems(tmp_path, goal)
    assert any(p.startswith(f"{tmp_path / 'lesson.toml'}:{line}: ") and says in p for p in problems), problems


# -- the page ------------------------------------------------------------------------------------


async def open_goal_page(pilot, page: int = 0):
    pilot.app.open_lesson("what-if", page)
    await pilot.pause()
    await pilot.pause()
    for cursor in pilot.app.screen.query(Input):
        cursor.cursor_blink = False
    return pilot.app.screen.view


async def type_in(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))
    await pilot.press("enter")
    await pilot.pause()


@pytest.fixture
def goal_lessons(tmp_path):
    (tmp_path / "lesson.toml").write_text(GOAL_LESSON, encoding="utf-8")
    return tmp_path


async def test_w_picks_a_weight_and_enter_recomputes_every_term(goal_lessons, tmp_path):
    app = make_app(lesson_dirs=[goal_lessons])
    async with app.run_test(size=(160, 50)) as pilot:
        view = await open_goal_page(pilot)
        bar = app.screen.query_one("TopBar")
        goal = view.query_one("#goal").render().plain
        assert goal == "Goal: make a_o1 above 0.9 by changing one weight. Now a_o1 = 0.751365."
        await pilot.press("right", "right", "right", "right", "right")  # n_o1 is computed
        await pilot.press("w")
        await pilot.pause()
        box = view.query_one(WhatIfBox)
        assert box.open and box.picked == "hidden[0][0]"
        for _ in range(6):  # past the hidden weights and biases, to w_h1,o1
            await pilot.press("down")
        await pilot.pause()
        assert box.picked == "output[0][0]"
        table = view.query_one(ValuesTable)
        assert table._picked == "output[0][0]"  # its row is marked
        assert view.query_one("#diagram").state.current.connections >= {"output[0][0]"}
        await type_in(pilot, "5")
        expected = file_with(tmp_path, "two_two_two.toml", "output = [[0.40, 0.45]", "output = [[5, 0.45]")
        assert_same_pass(view.player.trace, kind_of(expected).trace(0))
        assert view.player.position == 5  # the learner stays where they were
        assert table.cell_text("output[0][0]", "w") == "5"
        assert table.cell_text("output.0", "n") == "3.83495"
        assert bar.status == "step 5/57 · forward pass · changed w_h1,o1 = 5"
        assert view.query_one("#goal").render().plain == "✓ Goal met: a_o1 = 0.978854, with 1 weight changed."
        assert box.query_one("#what-if-ask").render().plain == "Set w_h1,o1 (now 5, the lesson's 0.40) to "
        assert not box.query_one("#what-if-verdict").display and box.query_one(Input).value == ""
        # a second weight: the goal allows one
        await type_in(pilot, "b_o1 = 1")
        assert bar.status.endswith("changed w_h1,o1, b_o1")
        assert view.query_one("#goal").render().plain.startswith("a_o1 = 0.98")
        assert "but with 2 weights changed: the goal allows 1" in view.query_one("#goal").render().plain
        await pilot.press("escape")
        await pilot.pause()
        assert not box.open
        await pilot.press("r")  # the lesson's weights again, at the same step
        await pilot.pause()
        assert_same_pass(view.player.trace, kind_of(load_network(NETWORKS / "two_two_two.toml")).trace(0))
        assert bar.status == "step 5/57 · forward pass" and view.player.position == 5
        assert table.cell_text("output[0][0]", "w") == "0.40"
        await pilot.press("r")  # and now r starts the pass again
        await pilot.pause()
        assert view.player.position == 0


async def test_a_value_that_cannot_be_read_changes_nothing_and_says_why(goal_lessons):
    app = make_app(lesson_dirs=[goal_lessons])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_goal_page(pilot)
        before = view.player.trace
        await pilot.press("w")
        await type_in(pilot, "0,5")
        box = view.query_one(WhatIfBox)
        verdict = box.query_one("#what-if-verdict").render().plain
        assert verdict.startswith("The new value of w_i1,h1: Decimals use a point, not a comma. Enter a number")
        assert box.has_class("-wrong") and box.query_one(Input).value == "0,5"  # the text stays, to be corrected
        assert view.player.trace is before and not view.changes


async def test_a_click_on_a_weights_row_picks_it(goal_lessons):
    app = make_app(lesson_dirs=[goal_lessons])
    async with app.run_test(size=(160, 50)) as pilot:
        view = await open_goal_page(pilot)
        table = view.query_one(ValuesTable)
        row = table._index["output[1][1]"]
        table.scroll_end(animate=False, immediate=True)  # its top line is then the weights' heading
        await pilot.pause()
        assert table.scroll_offset.y > 0
        assert await pilot.click(ValuesTable, offset=(3, row - table.scroll_offset.y + 1))  # + 1: the border
        await pilot.pause()
        assert view.query_one(WhatIfBox).picked == "output[1][1]"
        assert await pilot.click(ValuesTable, offset=(3, 1))  # the heading kept on top picks nothing
        await pilot.pause()
        assert view.query_one(WhatIfBox).picked == "output[1][1]"


async def test_the_palette_sets_a_weight(goal_lessons):
    app = make_app(lesson_dirs=[goal_lessons])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_goal_page(pilot)
        from tutor.palette import LessonCommands

        commands = {name: run for name, run, _ in LessonCommands(app.screen)._commands()}
        await commands["Set weight…"]()  # the w key's own entry, for any network (the palette awaits it)
        await pilot.pause()
        box = view.query_one(WhatIfBox)
        assert box.open and box.picked == "hidden[0][0]"
        await pilot.press("escape")
        commands["Set weight w_h2,o2… (now 0.55)"]()  # and one for each weight of a small network
        await pilot.pause()
        assert box.open and box.picked == "output[1][1]"


async def test_an_unroll_page_recomputes_every_step(goal_lessons, tmp_path):
    app = make_app(lesson_dirs=[goal_lessons])
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_goal_page(pilot, 1)
        await pilot.press("w")
        await type_in(pilot, "w_chid,hid = -1.5")
        expected = file_with(tmp_path, "tiny_srn.toml", "hidden_context = [[0.4]]", "hidden_context = [[-1.5]]")
        assert_same_pass(view.player.trace, kind_of(expected).trace(0))
        want = kind_of(expected).trace(0).chain("hidden_context[0][0]")
        assert [t.value for t in view.player.chain.terms()] == pytest.approx([t.value for t in want.terms()])
        assert app.screen.query_one("TopBar").status.endswith("changed w_chid,hid = -1.5")


def at_goal_page(*keys: str):
    async def run_before(pilot) -> None:
        await open_goal_page(pilot)
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(120, 36), (80, 24)])
def test_a_page_with_a_weight_changed(snap_compare, goal_lessons, size):
    keys = ("right",) * 7 + ("w", *"w_h1,o1", "space", "=", "space", "5", "enter", "escape")
    assert snap_compare(make_app(lesson_dirs=[goal_lessons]), terminal_size=size, run_before=at_goal_page(*keys))
