"""Issue 18, what a learner hits: each bug driven through the app as a learner meets it (Pilot)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Static

from engine.numbers import fmt
from tests.app_support import make_app, page_opened, settle
from tests.quizhelp import lessons
from tests.test_quiz_screens import feedback_text, plain, tour_app
from tutor.quiz.generate import make_item
from tutor.widgets.question import ChainPicker, QuestionView
from tutor.widgets.values import ValuesTable

QUIZ_LESSONS = Path(__file__).parent / "data" / "quizpage"


async def open_bundled(pilot, lesson: str, page: int):
    pilot.app.open_lesson(lesson, page)
    await pilot.pause()
    await pilot.pause()
    return await page_opened(pilot)


# -- B3: what a train page's text says a key does, the key does ----------------------------------


async def test_b3_a_page_that_says_run_one_pass_names_the_key_that_runs_one_pass():
    """Delta and Hebb, "Hebb on overlapping patterns" and "When the two rules agree": one pass, the tss quoted."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        for title, quoted in (("Hebb on overlapping patterns", 0.75), ("When the two rules agree", 0.0)):
            lesson = app.lesson("delta-hebb")
            page = next(p.index for p in lesson.pages if p.title == title)
            view = await open_bundled(pilot, "delta-hebb", page)
            said = re.search(r"`(\w+)`[^.:]*one\s+pass", view.page.text)
            assert said is not None, f"{title}: the text names the key for one pass"
            await pilot.press(said[1])
            await settle(pilot, lambda view=view: not view.running and view.losses, tries=100, every=0.02)
            assert len(view.losses) == 1, f"{title}: the key named runs one pass"
            assert fmt(view.losses[-1]) == fmt(quoted)


# -- B6: an unfinished chain is refused, not graded; the cursor stays where it was ---------------


async def test_b6_an_unfinished_chain_is_refused_like_an_unchosen_choice_and_the_cursor_stays():
    app = tour_app(seed=2)  # the chain question comes first
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(QuestionView)
        item = view.item
        picker = view.query_one("#factors", ChainPicker)
        first = item.choices.index(item.answer[0])
        picker.highlighted = first
        await pilot.press("space")
        await pilot.pause()
        assert picker.highlighted is not None and abs(picker.highlighted - first) <= 1, "the cursor stays near"
        await pilot.press("enter")
        await pilot.pause()
        assert not view.answered and app.screen.session.attempts == []
        assert "not finished" in plain(view.query_one("#form", Static))
        assert isinstance(app.focused, ChainPicker)


# -- B7: two slips giving the same number are both named; ε forgotten is a slip ------------------


def test_b7_a_delta_w_with_epsilon_forgotten_names_both_slips_that_give_that_number():
    """Training XOR asks Δw = −ε·∂E/∂w with ε = .5 and half-SSE: −∂E/∂w is ε forgotten and also the ½ forgotten."""
    lesson = next(x for x in lessons().lessons if x.id == "training-xor")
    page, question = next(
        (p, q) for p in lesson.pages for q in getattr(p, "questions", ()) if getattr(q, "term", "").startswith("dw.")
    )
    for seed in range(5):
        item = make_item(lesson, page, question, seed)
        assert item.network.training.learning_rate == 0.5 and item.network.loss_name == "half_sse"
        verdict = item.check(fmt(item.answer / 0.5))  # Δw without its ε
        assert not verdict.correct
        assert "ε forgotten" in verdict.slip and "½ of half-SSE forgotten" in verdict.slip, verdict.slip


# -- B8: ctrl+g gives up on every question; the palette finds any page by title or text ----------


async def test_b8_ctrl_g_gives_up_on_a_lesson_quiz_page_question_and_saves_it_as_missed(monkeypatch):
    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: QUIZ_LESSONS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_bundled(pilot, "quizpage", 0)
        questions = list(view.query(QuestionView))
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert questions[0].answered and view.scores == {0: 0.0}
        assert "solution" in feedback_text(questions[0]).lower()
        assert app.focused in questions[1].query("#choices")  # on to the next question
        saved = app.progress.data["lessons"]["quizpage"]["quizzes"]["0"]
        assert saved["questions"]["0"] == {"attempts": 1, "best": 0.0, "last": 0.0}
        assert view.status.startswith("1/5 answered")
        await pilot.press("escape")
        await pilot.pause()
        view = await open_bundled(pilot, "quizpage", 0)
        assert [v.answered for v in view.query(QuestionView)] == [True, False, False, False, False]
        assert view.status.startswith("1/5 answered · score 0%")


async def palette_hits(pilot, query: str) -> list[str]:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await pilot.pause(0.5)
    options = pilot.app.screen.query_one("CommandList")
    return [plain_prompt(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def plain_prompt(prompt) -> str:
    return getattr(prompt, "plain", str(prompt))


async def test_b8_the_palette_finds_any_lessons_page_by_its_title_or_its_text_from_the_lesson_list():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        hits = await palette_hits(pilot, "Watch XOR")
        assert any("Watch XOR learn" in hit for hit in hits), hits
        await pilot.press("escape")
        await pilot.pause()
        hits = await palette_hits(pilot, "momentum")
        assert any("Training XOR" in hit and "momentum" in hit.lower() for hit in hits), hits
        chosen = next(n for n, hit in enumerate(hits) if "The learning rate and momentum" in hit)
        for _ in range(chosen):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.lesson.id == "training-xor"
        assert app.screen.lesson.pages[app.screen.page_index].title == "The learning rate and momentum"


# -- B4: the values table keeps its heading row in view; the highlighted row can be read ---------


async def test_b4_the_values_table_keeps_a_heading_on_its_top_line_when_it_scrolls():
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        lesson = app.lesson("generalized-delta")  # the 2-2-2 network: 23 rows, more than the table's height
        page = next(p.index for p in lesson.pages if p.title.startswith("A 2-2-2 network"))
        view = await open_bundled(pilot, "generalized-delta", page)
        table = view.query_one(ValuesTable)
        assert view.show_values
        scrolled = False
        for position in range(view.player.progress[1] + 1):
            view.player.seek(position)
            view._show()
            await pilot.pause()
            top = table.render_line(0).text
            scrolled = scrolled or table.scroll_offset.y > 0
            if table.scroll_offset.y > 0:
                assert top.split()[:1] in (["unit"], ["weight"]), (position, top)
                current = table.current_row
                if current is not None:
                    assert table.scroll_offset.y < table._index[current], "the current row is not under the heading"
        assert scrolled, "the table scrolled at some step (else this test shows nothing)"


def test_b4_the_highlighted_row_stands_out_from_the_table():
    """The current row's background differs clearly from the table's, and its text from its background."""
    from textual.color import Color

    async def run():
        app = make_app()
        async with app.run_test(size=(160, 48)) as pilot:
            view = await open_bundled(pilot, "tour", 1)
            table = view.query_one(ValuesTable)
            await pilot.press("right", "right")
            await pilot.pause()
            label = table._render_row(table._index[table.current_row])._segments[0]  # the row's label, as drawn
            back, table_back = Color.from_rich_color(label.style.bgcolor), table.background_colors[1]
            text = Color.from_rich_color(label.style.color)
            return contrast(back, table_back), contrast(text, back)

    import asyncio

    row_vs_table, text_vs_row = asyncio.run(run())
    assert row_vs_table >= 1.5, row_vs_table
    assert text_vs_row >= 4.5, text_vs_row


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c) -> float:
        def channel(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# -- B5: the layout is decided on every resize; the values table gives way before the diagram ----


async def test_b5_at_80x24_the_values_table_gives_way_before_the_diagram():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_bundled(pilot, "tour", 1)
        await pilot.press("v")
        await pilot.pause()
        diagram, table = view.query_one("#diagram"), view.query_one(ValuesTable)
        assert view.show_values and table.display and table.size.height >= 2, "the table shows, smaller"
        assert diagram.mode != "small", f"the diagram is drawn ({diagram.size})"


async def test_b5_resizing_mid_lesson_decides_the_layout_again():
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_bundled(pilot, "tour", 1)
        await pilot.press("right", "right")
        assert view.show_text
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        await pilot.pause()
        assert not view.show_text, "under 30 rows the text waits for t, also after a resize"
        assert view.query_one("#diagram").mode != "small"
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert view.show_text
        await pilot.press("t")  # the learner's choice stands across resizes
        await pilot.resize_terminal(121, 36)
        await pilot.pause()
        assert not view.show_text


# -- progress and navigation ---------------------------------------------------------------------


async def test_on_a_train_page_r_after_n_returns_to_the_new_weights_not_the_files(monkeypatch):
    from tests.app_support import APP_LESSONS, PAGE

    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: APP_LESSONS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        view = await open_bundled(pilot, "basics", PAGE["train"])
        drawn = {key: array.copy() for key, array in view.net.params.items()}
        await pilot.press("n")
        fresh = {key: array.copy() for key, array in view.net.params.items()}
        assert any((fresh[k] != drawn[k]).any() for k in drawn)
        await pilot.press("s")
        await settle(pilot, lambda: bool(view.losses) and not view.running, tries=100, every=0.02)
        assert any((view.net.params[k] != fresh[k]).any() for k in fresh), "trained"
        await pilot.press("r")
        assert view.seed == 2 and view.losses == []
        assert all((view.net.params[k] == fresh[k]).all() for k in fresh), "back to the weights n drew"


async def test_the_end_of_a_lesson_names_the_page_still_to_do_and_goes_there(monkeypatch):
    from tests.app_support import APP_LESSONS, PAGE, record_notifications

    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: APP_LESSONS)
    app = make_app()
    said = record_notifications(app)
    async with app.run_test(size=(120, 36)) as pilot:
        lesson = app.lesson("basics")
        for page in range(len(lesson.pages)):
            if page != PAGE["xor"]:
                app.progress.record_page("basics", page, len(lesson.pages))
        await open_bundled(pilot, "basics", len(lesson.pages) - 1)
        await pilot.press("pagedown")
        await pilot.pause()
        await pilot.pause()
        title = lesson.pages[PAGE["xor"]].title
        assert any("1 page still to do" in s and title in s for s in said), said
        assert app.screen.lesson.id == "basics" and app.screen.page_index == PAGE["xor"]


async def test_continue_after_a_finished_lesson_opens_the_next_lesson_and_a_finished_lesson_shows_done(
    monkeypatch,
):
    from tests.app_support import APP_LESSONS

    monkeypatch.setattr("tutor.lessons.discover.bundled_dir", lambda: APP_LESSONS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        lesson = app.lesson("basics")
        entry = app.progress._lesson("basics")
        entry["pages_done"] = list(range(len(lesson.pages)))  # every page done, as an older record keeps it
        app.progress.visit("basics", len(lesson.pages) - 1)
        assert app.progress.lesson_status("basics", len(lesson.pages)).state == "done"
        order = [x.id for x in app.found.lessons]
        following = order[order.index("basics") + 1]
        app.screen.on_screen_resume()
        await pilot.pause()
        row = app.screen.query_one("#lessons").get_option("continue").prompt
        assert app.lesson(following).title in plain_prompt_text(row)
        await pilot.press("c")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.lesson.id == following


def plain_prompt_text(renderable) -> str:
    from tests.test_app import plain as plain_renderable

    return plain_renderable(renderable)


# -- polish --------------------------------------------------------------------------------------


def test_a_file_with_one_pattern_says_1_pattern_0():
    from tests.conftest import NETWORKS
    from tests.test_cli import run

    result = run("trace", str(NETWORKS / "two_two_two.toml"), "--pattern", "3")
    assert result.returncode == 1
    assert "the file has 1 pattern (0)" in result.stderr, result.stderr


def test_trace_accepts_the_weight_by_the_name_the_table_and_the_lesson_give_it():
    import json

    from tests.conftest import NETWORKS
    from tests.test_cli import run

    by_name = run("trace", str(NETWORKS / "one_hidden_unit.toml"), "--weight", "w1", "--json")
    by_place = run("trace", str(NETWORKS / "one_hidden_unit.toml"), "--weight", "hidden[0][0]", "--json")
    assert by_name.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout) == json.loads(by_place.stdout)
