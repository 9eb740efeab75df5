"""Issue 16, "everyone can read it": colour is never the only signal, and the colours survive colour blindness.

- the diverging weight palette (blue negative, orange positive) keeps +k and −k apart, and each from
  grey, for protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1);
- the current term and the chain path are marked by style too (reversed; underlined), so they differ
  from each other and from the strongest weights with no colour at all; the legend says − and +;
- Textual's built-in themes work, a light one and ansi-dark/ansi-light included, and the choice is
  kept in the record's settings (the one settings store; an older settings.json is folded into it).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from rich.style import Style

from tests.app_support import make_app, open_page, test_lessons  # noqa: F401 (fixture)
from tutor.progress import Progress
from tutor.settings import settings_path
from tutor.widgets import colors

pytestmark = pytest.mark.usefixtures("test_lessons")

MACHADO = {  # RGB (linear) → RGB as seen, severity 1.0
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def _linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear RGB colour."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz /= np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(rgb, deficiency: str | None) -> np.ndarray:
    linear = _linear(rgb)
    if deficiency:
        linear = np.clip(np.array(MACHADO[deficiency]) @ linear, 0, 1)
    return _lab(linear)


def difference(a, b, deficiency: str | None) -> float:
    """CIE76 ΔE between two colours as a learner with `deficiency` sees them (about 2.3 is just noticeable)."""
    return float(np.linalg.norm(seen(a, deficiency) - seen(b, deficiency)))


@pytest.mark.parametrize("deficiency", [None, *MACHADO])
def test_negative_and_positive_weights_stay_apart_for_colour_blind_learners(deficiency):
    for step in range(1, colors.LEVELS + 1):
        negative, positive = colors.level_rgb(-step), colors.level_rgb(step)
        assert difference(negative, positive, deficiency) >= 15 * step, (step, deficiency)
        for side in (negative, positive):  # even the faintest level is told from zero
            assert difference(side, colors.level_rgb(0), deficiency) >= 8, (step, deficiency)


def test_the_old_red_would_fail_that_check():
    """Blue against red (255, 84, 72): the faintest red is grey to a protanope (ΔE 3.6)."""
    red_one = tuple(round(n + (r - n) / colors.LEVELS) for n, r in zip(colors.NEUTRAL, (255, 84, 72), strict=True))
    assert difference(red_one, colors.NEUTRAL, "protanopia") < 8


def _marks(style: Style) -> tuple:
    return (bool(style.bold), bool(style.reverse), bool(style.underline))


async def test_the_current_term_and_the_chain_path_are_marked_by_style_not_only_colour():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        diagram = view.query_one("#diagram")
        current = diagram._component("current")
        current_line = diagram._component("current-line")
        chain, chain_line = diagram._component("chain"), diagram._component("chain-line")
        strongest = colors.line_style(colors.LEVELS)
        marks = {_marks(s) for s in (current_line, chain_line, strongest)}
        assert len(marks) == 3  # without colour: a current wire, a chain wire and a strong weight differ
        assert _marks(current) != _marks(chain)
        assert current.reverse and chain.underline


def _legend_text(diagram) -> str:
    return "".join(segment.text for part in diagram._legend() for segment in part)


async def test_the_legend_says_the_sign_in_words():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        text = _legend_text(view.query_one("#diagram"))
        assert " weights −0.35 −█████+ 0.35 " in text  # the ends of the scale: − in blue, + in orange


@pytest.mark.parametrize("theme", ["textual-light", "ansi-dark", "ansi-light", "solarized-light"])
async def test_builtin_themes_work_and_the_choice_is_kept(theme):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.theme = theme
        await pilot.pause()
        view = await open_page(pilot, "trace")
        await pilot.press("right", "right", "b")
        await pilot.pause()
        assert view.player.position > 0
        await app.workers.wait_for_complete([w for w in app.workers if w.group == "progress"])
    assert Progress.load()[0].setting("theme") == theme  # in the record, the one settings store
    assert not settings_path().exists()
    again = make_app()
    assert again.theme == theme
    async with again.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert again.current_theme.name == theme


def test_a_damaged_or_unknown_settings_file_is_the_default():
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    for text in ("{", "[1, 2]", '{"theme": 3}', '{"theme": "no-such-theme"}', "x" * 20_000):
        path.write_text(text, encoding="utf-8")
        assert make_app().theme == "textual-dark"


async def test_no_color_still_shows_every_mark(monkeypatch):
    """With NO_COLOR=1 Textual draws in greys: the current term is still an inverted block."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        await pilot.press("right", "right")
        await pilot.pause()
        assert app.no_color
        diagram = view.query_one("#diagram")
        lines = [diagram.render_line(y) for y in range(diagram.size.height)]
        styles = [segment.style for strip in lines for segment in strip if segment.style and segment.text.strip()]
        assert any(style.reverse and style.bold for style in styles)  # the current term


async def test_an_older_settings_json_is_folded_into_the_record_losing_nothing():
    """Issue 16's settings.json: its theme (and anything else it held) moves into the record, which keeps what it
    already had; the file is renamed .migrated once the record is saved, and is not read again."""
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"theme": "ansi-light", "extra": "kept"}), encoding="utf-8")
    before = Progress()
    before.set_setting("predict", True)
    assert before.save() is None
    app = make_app()
    assert app.theme == "ansi-light"
    record = Progress.load()[0]
    assert (record.setting("theme"), record.setting("extra"), record.setting("predict")) == ("ansi-light", "kept", True)
    assert not path.exists()
    migrated = json.loads(path.with_name("settings.json.migrated").read_text(encoding="utf-8"))
    assert migrated == {"theme": "ansi-light", "extra": "kept"}
    path.write_text(json.dumps({"theme": "textual-light"}), encoding="utf-8")  # a record's own setting stays
    assert make_app().theme == "ansi-light" and Progress.load()[0].setting("theme") == "ansi-light"
