"""Faded worked examples: a page's `fade = true` shows every term on the first visit, then hands the backward
pass over from its end, a third more each visit, asking the terms whose kind the learner has not yet predicted
right twice in a row; the top line says how many; a reset starts again."""

from __future__ import annotations

from pathlib import Path

from engine.kinds import kind_of
from engine.netfile import load_network
from tests.app_support import make_app
from tutor.fading import plan
from tutor.lessons import load_lesson
from tutor.progress import Progress
from tutor.widgets.predict import PredictBox, PredictInput

FADE_LESSON = Path(__file__).parent / "data" / "fade"
NETWORKS = Path(__file__).parent.parent / "lessons" / "networks"


def _terms():
    return kind_of(load_network(NETWORKS / "two_two_two.toml")).trace(0).terms


def test_the_asked_terms_grow_from_the_end_of_the_backward_pass():
    terms = _terms()
    backward = [t for t in terms if t.phase == "backward"]
    assert plan(terms, 0, {}).asked == frozenset()  # the first visit: a worked example
    second = plan(terms, 1, {})
    assert second.asked == {t.id for t in backward[len(backward) - len(backward) // 3 :]}
    third = plan(terms, 2, {})
    assert second.asked < third.asked and len(third.asked) == 2 * len(backward) // 3
    assert plan(terms, 3, {}).asked == {t.id for t in backward} == plan(terms, 9, {}).asked
    assert plan(terms, 1, {}).summary == f"you do: {len(second.asked)} of {len(backward)} terms"


def test_a_kind_right_twice_in_a_row_is_shown_again():
    terms = _terms()
    everything = plan(terms, 3, {})
    known = plan(terms, 3, {"dE_dw": 2, "da_dn": 1})
    dE_dw = {t.id for t in terms if t.kind == "dE_dw"}
    assert dE_dw and dE_dw <= everything.asked and not dE_dw & known.asked
    assert {t.id for t in terms if t.kind == "da_dn"} <= known.asked  # once is not enough


def test_the_record_keeps_right_wrong_slips_and_streaks_by_kind_and_resets(tmp_path):
    progress = Progress(tmp_path / "progress.json")
    progress.record_prediction("fade", 0, "dE/dn.output.0", "∂E/∂n_o1", "dE_dn", True)
    progress.record_prediction("fade", 0, "dE/dn.output.1", "∂E/∂n_o2", "dE_dn", True)
    progress.record_prediction("fade", 0, "dE/dw.output.0.0", "∂E/∂w", "dE_dw", False, "sign flipped")
    progress.record_fade_visit("fade", 0)
    progress.record_fade_visit("fade", 0)
    assert progress.streaks() == {"dE_dn": 2, "dE_dw": 0}
    counts = progress.data["predictions"]["dE_dw"]
    assert (counts["asked"], counts["right"], counts["wrong"], counts["slips"]) == (1, 0, 1, 1)
    assert progress.fade_visits("fade", 0) == 2
    assert progress.save() is None
    loaded, message = Progress.load(tmp_path / "progress.json")  # a valid record: kept, not set aside
    assert message is None and loaded.fade_visits("fade", 0) == 2 and loaded.streaks() == progress.streaks()
    progress.reset_fading()
    assert progress.fade_visits("fade", 0) == 0 and progress.streaks() == {"dE_dn": 0, "dE_dw": 0}
    assert progress.predictions()["dE_dn"] == (2, 2)  # the counts stay: only fading starts again


def test_fade_is_read_from_the_page():
    lesson = load_lesson(FADE_LESSON / "fade.toml")
    assert lesson.pages[0].fade is True


async def test_fading_across_two_visits(monkeypatch, tmp_path):
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: FADE_LESSON)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        app.open_lesson("fade", 0)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        total = len(view.player.terms)
        backward = sum(t.phase == "backward" for t in view.player.terms)
        assert f"you do: 0 of {backward} terms" in view.status
        for _ in range(total):  # the first visit: a worked example, nothing asked
            await pilot.press("right")
        await pilot.pause()
        assert view.player.at_end and not view.query_one(PredictBox).display

        await pilot.press("pagedown")  # to the next page, and back: the second visit
        await pilot.pause()
        app.open_lesson("fade", 0)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        asked = view.fade_plan().asked
        assert len(asked) == backward // 3 and f"you do: {len(asked)} of {backward} terms" in view.status
        view.action_reset()
        await pilot.pause()
        box = view.query_one(PredictBox)
        shown_before = 0
        while not box.asking:
            await pilot.press("right")
            await pilot.pause()
            shown_before += 1
            assert shown_before <= total
        first = view.player.terms[view.player.position]
        assert first.id in asked and first.phase == "backward"
        later = [t for t in view.player.terms[view.player.position :] if t.phase == "backward"]
        assert {t.id for t in later} == asked  # the asked stretch is the end of the backward pass
        view.query_one(PredictInput).value = repr(first.value)
        await pilot.press("enter")
        await pilot.pause()
        assert view.player.position == view.player.terms.index(first) + 1  # judged and revealed
        assert app.progress.streaks()[first.kind] == 1
        commands = {name: run for name, run, *_ in view.palette_commands()}
        reset = commands["Reset fading: faded pages start again as worked examples"]
        reset()
        assert app.progress.fade_visits("fade", 0) == 0 and app.progress.streaks()[first.kind] == 0
