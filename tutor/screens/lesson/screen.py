"""The lesson screen: one page at a time, with the lesson, the page and the step always shown on top."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.reactive import Reactive, reactive
from textual.widget import Widget

from tutor.lessons import Lesson, Page
from tutor.messages import PageDone, StepReached
from tutor.progress import Progress
from tutor.screens.common import KeysFooter, SizedScreen, TooSmall
from tutor.screens.lesson.views import FOOTER_LAST_RESORT, FOOTER_OPTIONAL, PageView, ProblemsView, TextView

PAGE = Binding.Group("Page")


def _trace_view() -> type[PageView]:
    from tutor.screens.lesson.trace import TraceView

    return TraceView


def _train_view() -> type[PageView]:
    from tutor.screens.lesson.train import TrainView

    return TrainView


def _quiz_view() -> type[PageView]:
    from tutor.screens.lesson.quiz import QuizView

    return QuizView


def _descent_view() -> type[PageView]:
    from tutor.screens.lesson.descent import DescentView

    return DescentView


def _clusters_view() -> type[PageView]:
    from tutor.screens.lesson.clusters import ClustersView

    return ClustersView


def _square_view() -> type[PageView]:
    from tutor.screens.lesson.square import SquareView

    return SquareView


PAGE_VIEWS = {
    "text": lambda: TextView,
    "trace": _trace_view,
    "unroll": _trace_view,
    "train": _train_view,
    "quiz": _quiz_view,
    "descent": _descent_view,
    "clusters": _clusters_view,
    "square": _square_view,
}
"""Each page kind's view class, imported only when a page of that kind is first opened, so Markdown,
NumPy and the networks stay off the path to the home screen."""


def make_view(lesson: Lesson, page: Page, progress: Progress) -> PageView:
    """The view for a page, or the page's problems if its networks or questions have any."""
    view = PAGE_VIEWS[page.kind]()
    if view is TextView:
        return view(lesson, page, progress)
    from engine.tomlfile import FileProblems
    from tutor.lessons.networks import Networks, check_page

    problems = check_page(page, Networks(traces=False))  # a focus chain and a goal are the view's to check (trace.py)
    if problems:
        return ProblemsView(lesson, page, progress, problems)
    try:
        return view(lesson, page, progress)
    except FileProblems as err:
        return ProblemsView(lesson, page, progress, err.problems)


class TopBar(Widget):
    """Lesson title · page n/m and its title · where the learner is on the page."""

    lesson_title: reactive[str] = reactive("")
    page: reactive[str] = reactive("")
    status: reactive[str] = reactive("")

    def render(self) -> Text:
        title, page = fit_top_line(self.lesson_title, self.page, self.status, self.size.width)
        gap = " " * max(1, self.size.width - len(title) - len(page) - len(self.status) - 4)
        return Text.assemble((title, "bold"), "   ", page, gap, (self.status, "bold"))


def fit_top_line(title: str, page: str, status: str, width: int) -> tuple[str, str]:
    """The lesson's and the page's titles, shortened to fit beside `status` in `width` columns.

    The page's title gives way first (down to "page n/m"), then the lesson's title, each with an
    ellipsis: where the learner is (page n/m, step k/K) stays in view.
    """
    fixed = len(status) + 4  # the gaps around and between the parts
    over = len(title) + len(page) + fixed - width
    if over > 0:
        number = page.split(" · ")[0]  # "page n/m" stays whole as long as the lesson's title can give way
        page = number if len(page) - over < len(number) + 8 else _clip(page, len(page) - over)
        over = len(title) + len(page) + fixed - width
    if over > 0:
        title = _clip(title, max(0, len(title) - over))
    return title, page


def _clip(text: str, room: int) -> str:
    """`text` cut to `room` characters, the last one an ellipsis when anything was cut."""
    if len(text) <= room:
        return text
    return text[: room - 1] + "…" if room > 1 else ""


class LessonScreen(SizedScreen):
    """A lesson's pages in order. PgDn/PgUp move between pages; escape goes back to the lessons."""

    HELP_WHERE = "In a lesson"

    CSS_PATH = Path(__file__).with_name("lesson.tcss")  # absolute: subclasses may live elsewhere
    BINDINGS: ClassVar = [
        Binding("escape", "back", "Back to the lessons", show=False, id="lesson.back"),
        # PgUp/PgDn turn the page even where a list or an answer box has the keyboard (priority);
        # < and > do too, except while typing, where they are characters.
        Binding("pageup", "previous_page", "Previous page", group=PAGE, priority=True, id="lesson.previous_page"),
        Binding("pagedown", "next_page", "Next page", group=PAGE, priority=True, id="lesson.next_page"),
        Binding("less_than_sign", "previous_page", "Previous page", show=False, id="lesson.previous_page_key"),
        Binding("greater_than_sign", "next_page", "Next page", show=False, id="lesson.next_page_key"),
    ]

    page_index: reactive[int] = reactive(-1, init=False)
    # Screen.focused (textual 8.2.8) without its repaint: the focus moving (into the predict box and back) redrew the
    # whole screen; the widgets whose focus styles change redraw themselves (Screen._update_focus_styles).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, lesson: Lesson, page: int = 0):
        super().__init__()
        self.lesson = lesson
        self._start_page = max(0, min(page, len(lesson.pages) - 1))

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        yield Container(id="page")
        yield KeysFooter(optional=FOOTER_OPTIONAL, last_resort=FOOTER_LAST_RESORT)
        yield TooSmall()

    def on_mount(self) -> None:
        self.query_one(TopBar).lesson_title = self.lesson.title
        self.page_index = self._start_page

    @property
    def view(self) -> Widget | None:
        views = self.query_one("#page").children
        return views[0] if views else None

    async def watch_page_index(self, index: int) -> None:
        page = self.lesson.pages[index]
        bar = self.query_one(TopBar)
        bar.page = f"page {index + 1}/{len(self.lesson.pages)} · {page.title}"
        bar.status = ""
        holder = self.query_one("#page")
        await holder.remove_children()
        view = make_view(self.lesson, page, self.app.progress)
        await holder.mount(view)
        self.watch(view, "status", self._show_status)  # at once, in the same frame as the page's own change
        self.focus_default()
        self.app.progress.visit(self.lesson.id, index)
        self.app.progress_changed()
        self.refresh_bindings()

    # -- what the page says ---------------------------------------------------------------------

    def _show_status(self, status: str) -> None:
        self.query_one(TopBar).status = status

    def on_page_done(self, message: PageDone) -> None:
        self._page_done()

    def on_step_reached(self, message: StepReached) -> None:
        progress = self.app.progress
        progress.record_step(self.lesson.id, self.page_index, message.step)
        progress.record_pattern(self.lesson.id, self.page_index, message.pattern)
        self.app.progress_changed()

    def _page_done(self) -> None:
        self.app.progress.record_page(self.lesson.id, self.page_index, len(self.lesson.pages))
        self.app.progress_changed()

    # -- moving ---------------------------------------------------------------------------------

    def focus_default(self) -> None:
        if self.view is not None:
            self.view.take_focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "previous_page":
            return self.page_index > 0
        return True

    def action_next_page(self) -> None:
        if getattr(self.view, "done_on_leave", False):
            self._page_done()  # a page that is only read is done once the learner moves on
        if self.page_index + 1 < len(self.lesson.pages):
            self.page_index += 1
            return
        status = self.app.progress.lesson_status(self.lesson.id, len(self.lesson.pages))
        self.app.progress_changed(now=True)
        if status.state == "done":
            self.notify(f"You have finished “{self.lesson.title}”.", title="Lesson done")
            self.app.go_home()
            return
        done = set(self.app.progress.pages_done(self.lesson.id))
        to_do = [page for page in self.lesson.pages if page.index not in done]
        left = len(to_do)
        first = to_do[0]
        self.notify(
            f"That was the last page. {left} page{'s' if left != 1 else ''} still to do, here is the first: "
            f"page {first.index + 1}, “{first.title}” (step trace pages to the end, train, answer the quizzes).",
            title="End of the lesson",
        )
        self.go_to_page(first.index)

    def action_previous_page(self) -> None:
        if self.page_index > 0:
            self.page_index -= 1

    def action_back(self) -> None:
        self.app.progress_changed(now=True)
        self.app.go_home()

    def go_to_page(self, index: int) -> None:
        self.page_index = max(0, min(index, len(self.lesson.pages) - 1))

    def palette_commands(self):
        """Every page of this lesson, and what the page on screen offers, for the command palette."""
        for n, page in enumerate(self.lesson.pages):
            yield (
                f"Page {n + 1}: {page.title}",
                lambda n=n: self.go_to_page(n),
                f"{page.kind} page of “{self.lesson.title}”",
            )
        if self.view is not None:
            yield from self.view.palette_commands()
