"""A page's `ask_formula`: terms of the kinds it names are asked as formulas in the page's symbols, judged by
the symbolic checker (equal forms right, slips named, unknown symbols refused with the text kept), then
revealed with their numbers as usual; the answers count in the record by term kind like value answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from engine.kinds import build_trace
from engine.netfile import load_network
from tests.app_support import make_app, settle
from tutor.lessons import load_lesson
from tutor.quiz.expressions import AnswerFormError
from tutor.quiz.term_formula import check_formula, term_formula
from tutor.widgets.predict import PredictBox, PredictInput

SIZE = (120, 36)
FORMULA_LESSON = Path(__file__).parent / "data" / "predict_formula"


@pytest.fixture
def formula_lesson(monkeypatch):
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: FORMULA_LESSON)


def two_two_two(notation: str | None = None):
    return build_trace(
        load_network(Path(__file__).parents[1] / "lessons" / "networks" / "two_two_two.toml"), 0, notation
    )


# -- the checker, in the page's symbols ----------------------------------------------------------


def test_a_sigmoid_units_slope_in_any_equal_form_is_right():
    trace = two_two_two()
    formula = term_formula(trace, trace["da/dn.hidden.0"])
    assert formula.accepts == "a_h1, n_h1 (or a, n)"
    for text in ("a_h1*(1-a_h1)", "a*(1-a)", "a - a^2", "a_h1 − a_h1²", "sigma(n_h1)*(1 - σ(n))"):
        verdict = check_formula(text, formula)
        assert verdict.correct, text
        assert verdict.value == pytest.approx(0.59327 * (1 - 0.59327), rel=1e-5)  # the numbers of the page


def test_a_wrong_slope_names_its_slip():
    trace = two_two_two()
    formula = term_formula(trace, trace["da/dn.hidden.0"])
    for text in ("a_h1", "σ(n_h1)", "a"):
        verdict = check_formula(text, formula)
        assert not verdict.correct and verdict.slip == "σ instead of σ′", text
    missing = check_formula("1 - a_h1", formula)
    assert not missing.correct and missing.slip == "a_h1 missing"
    flipped = check_formula("a_h1*(a_h1 - 1)", formula)
    assert not flipped.correct and flipped.slip == "sign flipped"


def test_a_hidden_units_dE_da_is_the_sum_over_the_units_it_feeds():
    trace = two_two_two()
    formula = term_formula(trace, trace["dE/da.hidden.0"])
    assert formula.shown == ("∂E/∂n_o1", "∂E/∂n_o2", "w_h1,o1", "w_h1,o2")  # what the page shows for it, no more
    for text in (
        "dE/dn_o1*w_h1,o1 + dE/dn_o2*w_h1,o2",
        "w_{h1,o2} ∂E/∂n_o2 + w_{h1,o1} ∂E/∂n_o1",
        "dE/dn_{o1} w_h1,o1 + dE/dn_o2 w_h1,o2",
    ):
        verdict = check_formula(text, formula)
        assert verdict.correct, text
        assert verdict.value == pytest.approx(0.0363503, rel=1e-5)
    one = check_formula("dE/dn_o1*w_h1,o1", formula)
    assert not one.correct and one.slip == "∂E/∂n_o2 · w_h1,o2 left out"
    assert one.written == "∂E/∂n_o1·w_h1,o1"  # echoed in the page's symbols


def test_an_unknown_symbol_says_which_symbols_and_what_form():
    trace = two_two_two()
    formula = term_formula(trace, trace["dE/da.hidden.0"])
    with pytest.raises(AnswerFormError) as typo:
        check_formula("dE/dn_o3*w_h1,o1", formula)
    assert "“dE/dn_o3” is not one of this formula's symbols" in typo.value.message
    assert "∂E/∂n_o1, ∂E/∂n_o2, w_h1,o1, w_h1,o2" in typo.value.message
    assert "may be typed dE/dn_o1" in typo.value.message
    with pytest.raises(AnswerFormError) as unknown:
        check_formula("a_h3*(1-a_h3)", term_formula(trace, trace["da/dn.hidden.0"]))
    assert unknown.value.message == "“a_h3” is not one of this formula's symbols: a_h1, n_h1 (or a, n)."
    with pytest.raises(AnswerFormError) as weight:
        check_formula("dE/dn_o1*w_h1,o3", formula)
    assert weight.value.message.startswith("“w_h1,o3” is not one of this formula's symbols: ∂E/∂n_o1,")
    assert "Dd_" not in typo.value.message + unknown.value.message  # never the checker's own names


@pytest.mark.parametrize(("notation", "right"), [("zy", "y_h1*(1-y_h1)"), ("eh", "h - h^2"), ("xa", "a*(1-a)")])
def test_formulas_are_read_in_the_pages_notation(notation, right):
    trace = two_two_two(notation)
    term = next(t for t in trace.terms if t.kind == "da_dn" and t.layer == "hidden" and t.unit == 0)
    assert check_formula(right, term_formula(trace, term)).correct


def test_a_relu_units_slope_u_n_cannot_be_asked_as_a_formula():
    trace = build_trace(load_network(Path(__file__).parents[1] / "lessons" / "networks" / "xor_relu.toml"), 0)
    term = next(t for t in trace.terms if t.kind == "da_dn")
    with pytest.raises(ValueError, match="cannot be typed"):
        term_formula(trace, term)


# -- the page option ---------------------------------------------------------------------------


def test_the_page_option_is_read_and_a_bad_kind_is_a_problem_with_its_line(tmp_path):
    from tutor.lessons import discover_lessons

    assert load_lesson(FORMULA_LESSON / "formula.toml").pages[0].ask_formula == ("da_dn", "dE_da")
    text = (FORMULA_LESSON / "formula.toml").read_text(encoding="utf-8")
    (tmp_path / "bad.toml").write_text(text.replace('"dE_da"]', '"dE_dw"]'), encoding="utf-8")
    found = discover_lessons([tmp_path])
    line = text.splitlines().index('ask_formula = ["da_dn", "dE_da"]') + 1
    assert any(
        p.line == line and "'dE_dw', which is asked as a number only" in p.message and p.file.endswith("bad.toml")
        for p in found.problems
    ), found.problems


def test_a_page_whose_terms_cannot_be_typed_is_a_problem(tmp_path):
    from tutor.lessons.validate import check_file

    text = (FORMULA_LESSON / "formula.toml").read_text(encoding="utf-8").replace("two_two_two", "xor_relu")
    path = tmp_path / "relu.toml"
    path.write_text(text.replace('["da_dn", "dE_da"]', '["da_dn"]'), encoding="utf-8")
    (tmp_path / "networks").symlink_to(Path(__file__).parents[1] / "lessons" / "networks")
    problems = check_file(path)
    assert any("cannot be asked as a formula" in p.message and "u(n_" in p.message for p in problems), problems


# -- the box on a trace page ---------------------------------------------------------------------


def verdict(view) -> str:
    return str(view.query_one("#predict-verdict", Static).render())


async def open_formula_page(pilot):
    pilot.app.open_lesson("formula", 0)
    await pilot.pause()
    await pilot.pause()
    view = pilot.app.screen.view
    await settle(pilot, lambda: not any(w.group == "predict" and w.is_running for w in view.workers))
    return view, view.query_one(PredictBox)


async def step_to_ask(pilot, view, box) -> None:
    """→ until the box asks (the page shows the other terms)."""
    while not box.asking:
        await pilot.press("right")
        await pilot.pause()


async def answer(pilot, view, text: str) -> None:
    view.query_one(PredictInput).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_the_page_asks_its_kinds_as_formulas_and_counts_them_like_values(formula_lesson):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await open_formula_page(pilot)
        player = view.player
        await step_to_ask(pilot, view, box)
        term = box.term  # the first backward term: the output's ∂E/∂a = −(t − a)
        assert term.id == "dE/da.output.0" and box.formula is not None
        ask = str(view.query_one("#predict-ask", Static).render())
        assert "The formula for ∂E/∂a_o1 = ?" in ask and "in symbols: a_o1, n_o1, t_o1" in ask
        assert player.position == player.index(term.id)  # not revealed yet
        await answer(pilot, view, "a_o1 - t_o1")  # an equal form of −(t − a)
        assert verdict(view).startswith("✓ Right: ∂E/∂a_o1 = a_o1 − t_o1")
        assert player.current is term  # revealed with its numbers, as after a value
        await step_to_ask(pilot, view, box)
        assert box.term.kind == "da_dn"
        await answer(pilot, view, "a - a^2")
        assert verdict(view).startswith("✓ Right")
        assert app.progress.predictions() == {"dE_da": (1, 1), "da_dn": (1, 1)}
        assert app.progress.streaks() == {"dE_da": 1, "da_dn": 1}  # what fading reads


async def test_a_wrong_formula_names_its_slip_and_a_typo_keeps_the_text(formula_lesson):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await open_formula_page(pilot)
        player = view.player
        player.seek(player.index("dE/da.hidden.0"))
        view._show()
        await step_to_ask(pilot, view, box)
        assert box.term.id == "dE/da.hidden.0"
        await answer(pilot, view, "dE/dn_o1*w_h1,o3")  # a typo'd weight: not counted, the text stays
        assert box.asking and view.query_one(PredictInput).value == "dE/dn_o1*w_h1,o3"
        assert verdict(view) == (
            "Not a formula here: “w_h1,o3” is not one of this formula's symbols: ∂E/∂n_o1, ∂E/∂n_o2, w_h1,o1, "
            "w_h1,o2 (∂E/∂n_o1 may be typed dE/dn_o1). Nothing was counted."
        )
        assert app.progress.predictions() == {}
        await answer(pilot, view, "dE/dn_o1*w_h1,o1")
        assert verdict(view).startswith("✗ Not quite: ∂E/∂a_h1 = ∂E/∂n_o1 · w_h1,o1 + ∂E/∂n_o2 · w_h1,o2")
        assert "Likely slip: ∂E/∂n_o2 · w_h1,o2 left out." in verdict(view)
        assert player.current.id == "dE/da.hidden.0"
        assert app.progress.predictions() == {"dE_da": (1, 0)}
        assert app.progress.streaks() == {"dE_da": 0}


async def test_hints_give_the_rule_then_the_formula(formula_lesson):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view, box = await open_formula_page(pilot)
        await step_to_ask(pilot, view, box)
        await step_to_ask(pilot, view, box)
        await answer(pilot, view, "a_o1 - t_o1")
        await step_to_ask(pilot, view, box)
        assert box.term.kind == "da_dn"
        await pilot.press("h")  # a letter in a formula (a_h1): ctrl+t asks for a hint here
        await pilot.pause()
        assert view.query_one(PredictInput).value == "h" and verdict(view) == ""
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert verdict(view) == "Hint: the rule is ∂a_j/∂n_j = a_j(1 − a_j)"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert verdict(view).endswith("∂a_o1/∂n_o1 = a_o1(1 − a_o1)")


def test_the_box_asking_for_a_formula(snap_compare, formula_lesson):
    async def run_before(pilot) -> None:
        view, _ = await open_formula_page(pilot)
        view.player.seek(view.player.index("dE/da.hidden.0"))
        view._show()
        await pilot.press("equals_sign")
        await pilot.pause()
        view.query_one(PredictInput).cursor_blink = False
        await pilot.press(*"dE/dn_o1*w_h1,o1 + ")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 36), run_before=run_before)


def test_the_chain_rule_lessons_page_asks_what_its_text_says():
    from engine.kinds import kind_of
    from tutor.lessons.files import bundled_dir
    from tutor.lessons.networks import load_ref

    lesson = load_lesson(bundled_dir() / "04_chain_rule.toml")
    page = next(page for page in lesson.pages if getattr(page, "ask_formula", ()))
    assert page.ask_formula == ("da_dn", "dE_da") and page.network.notation == "xa"
    for kind in page.ask_formula:
        assert f"every {'∂a/∂x' if kind == 'da_dn' else '∂E/∂a'}" in page.text
    trace = kind_of(load_ref(page.network)).trace(page.example, page.network.notation)
    slope, hidden, output = (
        term_formula(trace, trace[i]) for i in ("da/dn.hidden.0", "dE/da.hidden.0", "dE/da.output.0")
    )
    for text in ("a_x3*(1-a_x3)", "a*(1-a)"):  # as the page writes them
        assert check_formula(text, slope).correct, text
        assert f"`{text}`" in page.text
    assert check_formula("w_3,5*dE/dx_5", hidden).correct and "`w_3,5*dE/dx_5`" in page.text
    assert check_formula("2*(a_x5 - y_5)", output).correct
    assert check_formula("x_3*(1-x_3)", slope).slip == "x_3 (the net input) in place of a_x3 (the activation)"
    assert check_formula("a_x3", slope).slip == "σ instead of σ′"
    assert check_formula("-(y_5 - a_x5)", output).slip == "an extra factor ½"  # the 2 of E = (y − a)² missing
