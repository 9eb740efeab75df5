"""What every page view shares (PageView, the page text), the text page's view and refused pages.

The other kinds' views live in their own modules (trace.py, train.py, quiz.py); the lesson screen
picks one by the page's kind (screen.PAGE_VIEWS).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.notifications import Notification, Notify
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Markdown, Static

from tutor.lessons import Lesson, Page
from tutor.progress import Progress

# The page's own keys in the footer, left out (last first) where the lesson's and the app's would not fit.
FOOTER_OPTIONAL = frozenset(
    {
        "pattern(-1)",
        "toggle_text",
        "toggle_values",
        "toggle_compact",
        "check_gradients",
        "next_rate",
        "next_momentum",
        "scroll('down')",
        "scroll('up')",
    }
)
# Left out after those and the groups' labels where even a closed-up footer would cut off help and quit (help
# lists them).
FOOTER_LAST_RESORT = frozenset({"end_of('forward')", "end_of('backward')", "end_of('update')"})


class PageView(Widget, can_focus=True):
    """One page of a lesson. Its keys work while it (or anything in it) has the focus."""

    HELP_WHERE: ClassVar[str] = "On this page"  # the help screen's heading for the keys it binds
    done_on_leave: ClassVar[bool] = False
    """True for pages that are done once read: moving on marks them done."""

    status: reactive[str] = reactive("", repaint=False)
    """Where the learner is on the page ("step 7/31 · backward pass"), for the lesson's top bar."""
    opening: bool = False
    """True while the view is still mounting its parts after a first frame that says so (train pages)."""

    def __init__(self, lesson: Lesson, page: Page, progress: Progress):
        super().__init__(classes="page-view")
        self.lesson = lesson
        self.page = page
        self.progress = progress

    def take_focus(self) -> None:
        """Focus what the page's keys should reach first (the view itself, unless a part of it needs them)."""
        self.focus()

    _toast: Notification | None = None

    def toast(self, message: str) -> None:
        """A short notification that replaces this page's previous one: a key pressed again does not stack them."""
        if self._toast is not None:
            self.app._unnotify(self._toast)
        self._toast = Notification(message, timeout=2)
        self.app.post_message(Notify(self._toast))

    def palette_commands(self):
        """(name, callback, help) for the command palette: what this page offers besides its keys."""
        return ()

    def scroller(self) -> Widget | None:
        """What the scroll keys scroll: the page text, or the view's own scrolling part."""
        found = self.query(PageText)
        return found.first() if found else None

    def action_scroll(self, where: str) -> None:
        box = self.scroller()
        if box is not None:
            getattr(box, f"scroll_{where}")(animate=False)


class PageText(VerticalScroll, can_focus=False):
    """A page's Markdown text, scrolled by the keys of the view that holds it."""

    def __init__(self, text: str, id: str | None = None):
        super().__init__(id=id)
        self._text = text

    def compose(self) -> ComposeResult:
        yield Markdown(self._text)


SCROLL_BINDINGS = [
    Binding("down,j", "scroll('down')", "Scroll down", show=False, id="text.down"),
    Binding("up,k", "scroll('up')", "Scroll up", show=False, id="text.up"),
    Binding("space", "scroll('page_down')", "Page down", show=False, id="text.page_down"),
    Binding("home", "scroll('home')", "Top", show=False, id="text.top"),
    Binding("end", "scroll('end')", "Bottom", show=False, id="text.bottom"),
]


class TextView(PageView):
    """A page to read."""

    done_on_leave = True
    BINDINGS = SCROLL_BINDINGS

    def compose(self) -> ComposeResult:
        yield PageText(self.page.text, id="text")


class ProblemsView(PageView):
    """A page that cannot be shown: its problems, FILE:LINE: message, one a line."""

    def __init__(self, lesson: Lesson, page: Page, progress: Progress, problems: list):
        super().__init__(lesson, page, progress)
        self.problems = problems

    def compose(self) -> ComposeResult:
        text = Text("This page cannot be shown, because of these problems in the lesson's files:\n\n", style="bold")
        for problem in self.problems:
            text.append(f"{problem}\n", style="red")
        text.append("\nFix them (`bptutor validate` checks the files), or go on to the next page with PgDn.")
        yield Static(text, id="problems")
