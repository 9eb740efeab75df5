"""The learner's notation setting: one choice, kept in the record's settings, that every trace page follows."""

from __future__ import annotations

from tests.app_support import make_app
from tutor import learner_notation
from tutor.progress import Progress


def test_the_choices_are_as_written_then_every_lecture_and_an_unknown_value_is_as_written():
    progress = Progress()
    assert learner_notation.choices() == ["lesson", "pdp", "zy", "eh", "xa"]
    assert learner_notation.chosen(progress) == "lesson"  # nothing chosen yet
    assert (
        learner_notation.notation_for(progress, "eh") == "eh" and learner_notation.notation_for(progress, None) is None
    )
    progress.set_setting("notation", "greek")
    assert learner_notation.chosen(progress) == "lesson"
    assert not learner_notation.choose(progress, "greek")


def test_a_choice_is_kept_beside_the_theme_and_overrides_every_page():
    progress = Progress()
    progress.set_setting("theme", "nord")
    assert learner_notation.choose(progress, "zy")
    assert progress.save() is None
    assert Progress.load()[0].data["settings"] == {"theme": "nord", "notation": "zy"}
    assert (
        learner_notation.notation_for(progress, "eh") == "zy" and learner_notation.notation_for(progress, None) == "zy"
    )
    assert [learner_notation.following(c) for c in learner_notation.choices()] == ["pdp", "zy", "eh", "xa", "lesson"]
    assert learner_notation.describe("lesson") == "each lesson's own notation"
    assert learner_notation.describe("eh").startswith("e and h")


async def test_n_on_a_trace_page_switches_its_symbols_and_the_next_page_follows():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("tour", 1)  # the worked example, written in PDP notation
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        await pilot.press("right", "right")
        assert view.player.terms[0].symbol == "n_hid" and view.player.position == 2
        await pilot.press("n", "n")  # as written → pdp → zy
        await pilot.pause()
        view = app.screen.view
        assert learner_notation.chosen(app.progress) == "zy"
        assert [t.symbol for t in view.player.terms[:2]] == ["z_hid", "y_hid"] and view.player.position == 2
        app.open_lesson("tour", 2)  # the unroll page follows the choice too
        await pilot.pause()
        await pilot.pause()
        net_inputs = [t.symbol for t in app.screen.view.player.terms if t.id.startswith("n.")]
        assert net_inputs and all(symbol.startswith("z_") for symbol in net_inputs)
        await pilot.press("q")  # quitting saves the record
        await pilot.pause()
    assert Progress.load()[0].setting("notation") == "zy"  # kept in the record for the next start
