"""The footer composes its keys again only when keys are added: opening the predict box (its answer line takes
the letters and arrows, so their keys stop working) hides those keys and judging shows them again, with the
same widgets (mounting them was most of what opening and judging cost); a page with other keys recomposes."""

from __future__ import annotations

from tests.app_support import make_app, open_page, settle, test_lessons  # noqa: F401 (a fixture)
from tutor.screens.common import KeysFooter
from tutor.widgets.predict import PredictBox, PredictInput


async def test_opening_the_predict_box_keeps_the_footers_keys(test_lessons):  # noqa: F811
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_page(pilot, "trace")
        await settle(pilot, lambda: not any(w.group == "predict" and w.is_running for w in view.workers))
        footer = app.screen.query_one(KeysFooter)
        before = list(footer.children)
        assert before
        await pilot.press("equals_sign")
        await pilot.pause()
        await pilot.pause()
        assert view.query_one(PredictBox).asking and app.focused is view.query_one(PredictInput)
        assert list(footer.children) == before  # the very same widgets: nothing mounted
        shown = {key.key for key in footer.query("FooterKey") if key.display}
        assert "right" not in shown and "r" not in shown  # they type into the box now
        assert "pageup" in shown or "pagedown" in shown
        view.query_one(PredictInput).value = "0.5"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert list(footer.children) == before
        assert {"right", "r"} <= {key.key for key in footer.query("FooterKey") if key.display}
        await pilot.press("question_mark")  # the help screen: its own footer
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        app.open_lesson("basics", 0)  # a text page: other keys, so the footer is composed again
        await pilot.pause()
        await pilot.pause()
        keys = {child.key for child in app.screen.query_one(KeysFooter).query("FooterKey")}
        assert "p" not in keys and "right" not in keys
