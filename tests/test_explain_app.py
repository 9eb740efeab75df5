"""`e` on trace and unroll pages: the current term's rule derived beside the equation panel, for every term
kind of every bundled network; it follows the steps while open, and e closes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.explain import derivation_for
from engine.kinds import kind_of
from engine.netfile import load_network
from engine.numbers import fmt
from tests.app_support import make_app, open_page, settle, test_lessons  # noqa: F401 (a fixture)
from tests.test_app_snapshots import at_page
from tutor.widgets.equation import EquationPanel
from tutor.widgets.explain import ExplainPanel

SIZE = (120, 36)
NETWORKS = Path(__file__).parent.parent / "lessons" / "networks"


def _page(path: Path) -> str:
    net = load_network(path)
    kind = kind_of(net)
    hidden = net.layers[1].name
    focus = f'focus = "{hidden}[0][0]"\n' if len(net.layers) > 2 and not kind.recurrent else ""
    return f'[[pages]]\nkind = "{kind.page}"\ntitle = "{path.stem}"\nnetwork = "networks/{path.name}"\n{focus}'


def _covering() -> tuple[list[Path], set[tuple[str, str]]]:
    """Bundled networks that between them have every (term kind, derivation) pair any bundled network has
    (tests/test_explain.py explains every term of every one without the app), smallest traces first."""
    pairs: dict[Path, set[tuple[str, str]]] = {}
    for path in sorted(NETWORKS.glob("*.toml")):
        trace = kind_of(load_network(path)).trace(0, None, 3)
        pairs[path] = {(term.kind, derivation_for(term, trace).key) for term in trace.terms}
    wanted = set().union(*pairs.values())
    chosen, left = [], set(wanted)
    while left:
        best = max(pairs, key=lambda p: (len(pairs[p] & left), -len(pairs[p])))
        chosen.append(best)
        left -= pairs[best]
    return chosen, wanted


@pytest.fixture
def every_network(tmp_path, monkeypatch):
    """A lesson folder with one lesson a bundled network, each a trace (or unroll) page of it, chain focus on."""
    shutil.copytree(NETWORKS, tmp_path / "networks")
    names = []
    chosen, _ = _covering()
    for k, path in enumerate(chosen):
        names.append(f"net{k}")
        head = f'[lesson]\nid = "net{k}"\ntitle = "{path.stem}"\nsummary = "e on {path.name}"\norder = {k + 1}\n\n'
        (tmp_path / f"net{k}.toml").write_text(head + _page(path), encoding="utf-8")
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: tmp_path)
    return names


async def test_e_explains_every_term_kind_of_every_bundled_network(every_network):
    """On each page e opens the panel at the first (term kind, derivation) pair not yet seen; stepping on to the
    next such pair, the open panel explains that term (as `e` would: the same call), until every pair is seen."""
    app = make_app()
    explained: set[tuple[str, str]] = set()
    async with app.run_test(size=SIZE) as pilot:
        for lesson in every_network:
            app.open_lesson(lesson, 0)
            await pilot.pause()
            view = app.screen.view
            assert await settle(pilot, lambda view=view: view.player is not None, tries=600)
            panel = view.query_one(ExplainPanel)
            trace = view.player.trace
            for position, term in enumerate(view.player.terms, 1):
                pair = (term.kind, derivation_for(term, trace).key)
                if pair in explained:
                    continue
                view.player.seek(position)
                view._show()
                if not panel.display:
                    await pilot.press("e")
                await pilot.pause()
                assert panel.display, (lesson, pair)
                text = panel.plain
                assert panel.term is term and f"= {fmt(term.value)}" in text, (lesson, pair)
                assert term.symbol in text and panel.explanation.lines[0][0] in text
                explained.add(pair)
            await pilot.press("e")
            await pilot.pause()
            assert not panel.display
    assert _covering()[1] <= explained
    assert {"factor", "chain_product", "chain_sum"} <= {kind for kind, _ in explained}


async def test_the_explanation_follows_the_steps_and_waits_for_a_term(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        view = await open_page(pilot, "trace")
        view.player.reset()
        view._show()
        panel = view.query_one(ExplainPanel)
        await pilot.press("e")
        await pilot.pause()
        assert not panel.display  # nothing computed yet: a message says so
        await pilot.press("right", "e")
        await pilot.pause()
        assert panel.display and panel.term is view.player.current
        first = panel.term
        await pilot.press("right")
        await pilot.pause()
        assert panel.term is view.player.current is not first  # it follows the step
        equation, explanation = view.query_one(EquationPanel).region, panel.region
        assert explanation.x >= equation.right and explanation.y == equation.y  # beside the equation panel


def test_an_explanation_beside_the_equation_panel(snap_compare, test_lessons):  # noqa: F811
    """The sigmoid's slope ∂a/∂n derived from 1/(1 + e^(−n)), beside the equation panel (one hidden unit)."""
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=at_page("trace", "f", "right", "right", "e"))
