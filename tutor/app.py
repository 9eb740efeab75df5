"""The bptutor terminal app: the home screen with the lessons, the lesson player, quiz mode and help.

Start-up stays light: listing lessons reads their files without NumPy, and a lesson's pages
(Markdown, networks, traces) are only built when the learner opens them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.tomlfile import FileProblems
from tutor.lessons import Found, Lesson, discover_lessons
from tutor.lessons.cache import cache_file
from tutor.palette import LessonCommands
from tutor.progress import Progress, data_dir
from tutor.record import in_served_session

SAVE_DELAY = 1.0  # seconds: a burst of steps is saved once, shortly after the last
LESSON_CACHE = "lesson-cache.json"  # in the data folder ($BPTUTOR_LESSON_CACHE: elsewhere): tutor/lessons/cache.py


class BPTutorApp(App[int]):
    """bptutor. `BPTutorApp()` opens the home screen with the bundled lessons."""

    TITLE = "bptutor"
    SUB_TITLE = "backpropagation, one term at a time"
    # Where styles live (one rule, two Textual mechanisms on purpose): a widget keeps its own look in
    # DEFAULT_CSS, read from the .tcss beside it (widgets/diagram.tcss ...); the app and each screen load
    # theirs with CSS_PATH. Textual ranks DEFAULT_CSS below CSS_PATH, so a screen's layout rules (sizes,
    # breakpoints, what hides when short) win over a widget's defaults; moving either side to the other
    # mechanism changes which rule wins, and the snapshots with it.
    # The home screen's styles too: Textual loads a screen's CSS_PATH when it is pushed, not for the default screen.
    CSS_PATH: ClassVar = [Path(__file__).with_name("app.tcss"), Path(__file__).parent / "screens" / "home.tcss"]
    COMMANDS = App.COMMANDS | {LessonCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-too-narrow"), (60, "-narrow"), (120, "-wide"), (150, "-widest")]
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-too-short"), (18, "-short"), (40, "-tall")]

    BINDINGS: ClassVar = [
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        lesson_dirs: Iterable[str | Path] = (),
        start_in_quiz: bool = False,
        quiz_lesson: str | None = None,
        quiz_due: bool = False,
    ):
        super().__init__()
        self.lesson_dirs = [Path(d) for d in lesson_dirs]
        self.start_in_quiz = start_in_quiz
        self.quiz_lesson = quiz_lesson
        self.quiz_due = quiz_due  # bptutor quiz --due: the questions due for review today
        cache = cache_file(data_dir() / LESSON_CACHE)
        self.found: Found = discover_lessons(self.lesson_dirs, cache=cache)
        self.progress, self._progress_message = Progress.load(installed=[lesson.id for lesson in self.found.lessons])
        self._save_timer = None
        self._use_saved_theme()

    def _use_saved_theme(self) -> None:
        """The theme chosen last time (the record's settings, once settings.json is folded in; see on_mount)."""
        from tutor.settings import THEME, fold_settings_file

        fold_settings_file(self.progress)
        theme = self.progress.setting(THEME)
        if theme in self.available_themes:
            self.theme = theme

    def _keep_theme(self, theme) -> None:
        from tutor.settings import THEME

        if self.progress.setting(THEME, "textual-dark") != theme.name:
            self.progress.set_setting(THEME, theme.name)
            self.progress_changed(now=True)  # rare, and kept at once

    # -- screens ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from tutor.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._keep_theme)
        if self._progress_message:
            self.notify(self._progress_message, title="Progress", severity="warning", timeout=15)
        if in_served_session():
            self.notify(
                "Your record lives in this browser tab only: press d on the lesson list to download it "
                "before you leave, and l to load it next time.",
                title="bptutor in your browser",
                timeout=20,
            )
        if self.start_in_quiz:
            self.open_quiz(self.quiz_lesson, due=self.quiz_due)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return self.found.get(lesson_id)

    def open_lesson(self, lesson_id: str, page: int | None = None) -> None:
        """Open a lesson at `page` (from 0), or where the learner left it."""
        from tutor.screens.lesson import LessonScreen

        lesson = self.lesson(lesson_id)
        if lesson is None:
            self.notify(f"There is no lesson '{lesson_id}'.", severity="error")
            return
        try:
            pages = lesson.pages  # a listed lesson reads its pages now (tutor.lessons.model.LazyLesson)
        except FileProblems as err:  # a network file it names went away since the list was made
            lines = "\n".join(str(problem) for problem in err.problems)
            self.notify(lines, title=f"{lesson.file.name} cannot be opened", severity="error", timeout=20)
            return
        if page is None:
            page = self.progress.lesson_status(lesson.id, len(pages)).page
        if isinstance(self.screen, LessonScreen):
            self.pop_screen()
        self.push_screen(LessonScreen(lesson, page))

    def open_quiz(self, lesson_id: str | None = None, due: bool = False) -> None:
        """Quiz mode: questions from every lesson, or from one (it says so if there is no such lesson);
        with `due`, the questions due for review today."""
        from tutor.screens.quiz import QuizScreen

        self.push_screen(QuizScreen(self.found.lessons, lesson_id=lesson_id, progress=self.progress, due=due))

    def open_review(self) -> None:
        self.open_quiz(due=True)

    def go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_home(self) -> None:
        self.go_home()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Behind the "too small" message only q works (see SizedScreen)."""
        return action == "quit" or not getattr(self.screen, "too_small", False)

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own "Keys" panel would be a second help, and one that knows nothing of the colours.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Keys")
        yield SystemCommand("Help", "Every key of this screen, and what the colours mean", self.action_help)
        yield SystemCommand("Lessons", "Back to the list of lessons", self.go_home)
        yield SystemCommand("Quiz mode", "Questions from every lesson", self.open_quiz)
        from tutor.screens.record import record_commands  # not on the path to the first frame

        yield from record_commands(self)
        yield SystemCommand("Review", "The questions due for review today (spaced review)", self.open_review)

    # -- progress -------------------------------------------------------------------------------

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """A file handed over in a terminal (in a browser, the browser shows its download)."""
        if event.path is not None:
            self.notify(f"Saved to {event.path}", title="Download my progress")

    def progress_changed(self, now: bool = False) -> None:
        """Save the progress soon (a burst of steps makes one write), or now."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if now:
            self.save_progress()
        else:
            self._save_timer = self.set_timer(SAVE_DELAY, self.save_progress)

    def save_progress(self) -> None:
        """Save in a thread: a big record or a slow disk never freezes the screen (the newest snapshot wins)."""
        self._save_timer = None
        snapshot = self.progress.snapshot()
        self.run_worker(lambda: self._write_progress(snapshot), thread=True, group="progress", exit_on_error=False)

    def _write_progress(self, snapshot) -> None:
        message = self.progress.write(snapshot)
        if message:
            self.call_from_thread(self.notify, message, title="Progress", severity="error", timeout=15)

    async def action_quit(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
            self.progress.write(self.progress.snapshot())  # the last save lands before the app ends
        await self.workers.wait_for_complete([w for w in self.workers if w.group == "progress"])
        self.exit()
