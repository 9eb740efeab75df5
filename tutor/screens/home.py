"""The home screen: the lessons in order with their progress, Continue, quiz mode and help."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.lessons import Lesson
from tutor.progress import Progress, Status, next_due_text
from tutor.record import in_served_session
from tutor.screens.common import KeysFooter, SizedScreen, TooSmall


class LessonList(OptionList):
    """The home screen's list; j and k move as the arrows do."""

    HELP_WHERE = "In the list"

    BINDINGS: ClassVar = [
        Binding("enter", "select", "Open", id="home.open"),
        Binding("j", "cursor_down", "Down", show=False, id="home.down"),
        Binding("k", "cursor_up", "Up", show=False, id="home.up"),
    ]


class HomeScreen(SizedScreen):
    """Every lesson with its summary and progress; Continue resumes where the learner stopped.

    Its styles, home.tcss, are loaded by the app (BPTutorApp.CSS_PATH).
    """

    _shown = False  # resumed once already (Textual sends ScreenResume when the screen is first shown too)

    HELP_WHERE = "On the home screen"

    BINDINGS: ClassVar = [
        Binding("c", "continue", "Continue", id="home.continue"),
        Binding("z", "quiz", "Quiz mode", id="home.quiz"),
        # In a browser session the record goes with the tab, so the footer offers these; elsewhere help lists them.
        Binding("d", "download_progress", "Download my progress", show=in_served_session(), id="home.download"),
        Binding("l", "load_progress", "Load progress", show=in_served_session(), id="home.load"),
        # Not in the footer: the list's Review entry says so when questions are due (help lists every key).
        Binding("r", "review", "Review", show=False, tooltip="The questions due for review today", id="home.review"),
    ]

    def compose(self) -> ComposeResult:
        yield Header(icon="∂")
        yield Static("Pick a lesson (↑ ↓, enter). Your place is saved: c continues from it.", id="intro")
        with Container(id="lessons-box"):
            yield LessonList(*self._options(), id="lessons")
        yield KeysFooter()
        yield TooSmall()

    def on_mount(self) -> None:
        self.focus_default()
        self.query_one(LessonList).highlighted = 0

    def focus_default(self) -> None:
        self.query_one(LessonList).focus()

    def on_screen_resume(self) -> None:
        """Back from a lesson: show its new progress, keeping the highlight."""
        if not self._shown:  # the first time, the list compose made is current (measuring it again cost start-up)
            self._shown = True
            return
        lessons = self.query_one(LessonList)
        highlighted = lessons.highlighted
        lessons.clear_options()
        lessons.add_options(self._options())
        if highlighted is not None:
            lessons.highlighted = min(highlighted, lessons.option_count - 1)

    # -- the entries ------------------------------------------------------------------------

    def _options(self) -> list[Option | None]:
        app = self.app
        options: list[Option | None] = []
        where = self._continue_place()
        if where is not None:
            options += [Option(_continue_prompt(*where), id="continue"), None]
        for lesson in app.found.lessons:
            status = app.progress.lesson_overview(lesson)
            options.append(Option(_lesson_prompt(lesson, status), id=f"lesson:{lesson.id}"))
        broken = _problems_by_file(app.found.problems)
        if broken:
            options.append(None)
            for n, (file, lines) in enumerate(broken.items()):
                options.append(Option(_problem_prompt(file, lines), id=f"problem:{n}"))
        options += [
            None,
            *([Option(_review_entry(app.progress), id="review")] if app.progress.reviews() else []),
            Option(_entry("Quiz mode", "Questions from every lesson, with fresh numbers each time."), id="quiz"),
            Option(_entry("Help", "Every key, and what the colours of the diagram mean."), id="help"),
        ]
        return options

    # -- actions ----------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id or "")

    def _choose(self, choice: str) -> None:
        app = self.app
        kind, _, name = choice.partition(":")
        if kind == "continue":
            self.action_continue()
        elif kind == "lesson":
            app.open_lesson(name)
        elif kind == "problem":
            file, lines = list(_problems_by_file(app.found.problems).items())[int(name)]
            app.notify("\n".join(lines), title=f"{Path(file).name} cannot be opened", severity="error", timeout=20)
        elif kind == "quiz":
            app.open_quiz()
        elif kind == "review":
            app.open_review()
        elif kind == "help":
            app.action_help()

    def _continue_place(self) -> tuple[Lesson, int, int | None] | None:
        """Where c continues: the learner's place, or after a finished lesson the next lesson's (lesson, page, step)."""
        app = self.app
        place = app.progress.last
        lesson = app.lesson(place.lesson) if place else None
        if lesson is None or place.page >= len(lesson.outline().page_titles):
            return None
        ids = [x.id for x in app.found.lessons]
        following = app.found.lessons[ids.index(lesson.id) + 1 :] if lesson.id in ids else []
        if app.progress.lesson_status(lesson.id, len(lesson.outline().page_titles)).state == "done" and following:
            lesson = following[0]
            status = app.progress.lesson_status(lesson.id, len(lesson.outline().page_titles))
            return lesson, status.page, app.progress.step(lesson.id, status.page) or None
        return lesson, place.page, place.step

    def action_continue(self) -> None:
        where = self._continue_place()
        if where is None:
            self.notify("Nothing to continue yet: pick a lesson.")
            return
        lesson, page, _ = where
        self.app.open_lesson(lesson.id, page)

    def action_quiz(self) -> None:
        self.app.open_quiz()

    def action_download_progress(self) -> None:
        from tutor.screens.record import download_progress  # the record screen loads when first used

        download_progress(self.app)

    def action_load_progress(self) -> None:
        from tutor.screens.record import load_progress

        load_progress(self.app)

    def action_review(self) -> None:
        self.app.open_review()


def _review_entry(progress: Progress) -> Padding:
    """How many questions are due for review today (spaced review), or when the next one is."""
    due = len(progress.due())
    if due:
        return _entry(f"Review: {due} question{'s' if due != 1 else ''} due today", "r starts them.", "bold yellow")
    return _entry("Review: nothing due today", next_due_text(progress).capitalize() + ".")


def _status_text(status: Status) -> Text:
    if status.state == "done":
        text = Text("done ✓", style="bold green")
    elif status.state == "in_progress":
        text = Text(f"page {status.page + 1} of {status.of}", style="yellow")
    else:
        text = Text("not started", style="dim")
    mastery = status.mastery
    if mastery is not None and mastery.answered:
        # Quiz questions answered (on its quiz pages or in quiz mode) and the mean of their best scores.
        text.append(f" · quiz {mastery.answered}/{mastery.total} tried", style="cyan")
        text.append(f" · mastery {round(mastery.score * 100)}%", style="bold green" if mastery.mastered else "cyan")
        if mastery.mastered:  # the pass mark, and every question right on two different days
            text.append(" ✓ mastered", style="bold green")
    return text


def _lesson_prompt(lesson: Lesson, status: Status) -> Group:
    title = Table.grid(expand=True, padding=(0, 1))
    title.add_column(width=3, justify="right")
    title.add_column(ratio=1)
    title.add_column(justify="right", no_wrap=True)
    # The lesson's own number (its `order`), as the course numbers it; "•" for the tour (order 0) and
    # for lessons that give none.
    number = f"{lesson.order}." if lesson.order else "•"
    title.add_row(Text(number, style="bold"), Text(lesson.title, style="bold"), _status_text(status))
    return Group(title, Padding(Text(lesson.summary, style="dim"), (0, 0, 0, 4)))


def _continue_prompt(lesson: Lesson, page: int, step: int | None) -> Padding:
    titles = lesson.outline().page_titles
    where = f"page {page + 1} of {len(titles)}: {titles[page]}"
    if step:
        where += f", step {step}"
    return _entry(f"▶ Continue: {lesson.title}", where, style="bold green")


def _entry(title: str, summary: str, style: str = "bold") -> Padding:
    return Padding(Group(Text(title, style=style), Text(summary, style="dim")), (0, 0, 0, 4))


def _problems_by_file(problems) -> dict[str, list[str]]:
    by_file: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        by_file[problem.file].append(str(problem))
    return dict(by_file)


def _problem_prompt(file: str, lines: list[str]) -> Table:
    shown = lines[:3] + ([f"… and {len(lines) - 3} more"] if len(lines) > 3 else [])
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(ratio=1)
    grid.add_row(Text("✗", style="bold red"), Text(f"Not loaded: {file}", style="bold red"))
    for line in shown:
        grid.add_row("", Text(line, style="red"))
    return grid
