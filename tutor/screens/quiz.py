"""Quiz mode: a session of questions across the chosen lessons, the score at the end, a review of the
missed ones and a retry of them. Per-lesson mastery is saved with the learner's progress after each answer.

`QuizScreen(lessons, lesson_id=None, count=None, progress=None)`; leaving it (escape) dismisses it
with the last QuizSession. Run it on its own with `python -m tutor.screens.quiz [--lesson ID]`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import ClassVar

from rich import box
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Rule, Static

from engine.numbers import fmt
from tutor.lessons.model import Lesson
from tutor.progress import Progress
from tutor.quiz.generate import quiz_questions
from tutor.quiz.session import HINT_COST, QuizSession
from tutor.screens.common import KeysFooter, SizedScreen, TooSmall
from tutor.widgets.question import Attempted, QuestionView

MODES = ("question", "score", "review", "empty")


class QuizScreen(SizedScreen):
    """Question k of N with the score so far always on top; then the score, the review and the retry."""

    CSS_PATH = "quiz.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,n", "next", "Next", id="quiz.next"),
        Binding("ctrl+g", "skip", "Give up", id="quiz.skip"),
        Binding("r", "review", "Review missed", id="quiz.review"),
        Binding("t", "retry", "Retry missed", id="quiz.retry"),
        Binding("s", "score", "Score", id="quiz.score"),
        Binding("escape", "leave", "Leave quiz", id="quiz.leave"),
        Binding("enter", "normal", "A normal session", id="quiz.normal"),
    ]

    mode: reactive[str] = reactive("question", init=False)

    def __init__(
        self,
        lessons: Sequence[Lesson],
        lesson_id: str | None = None,
        count: int | None = None,
        progress: Progress | None = None,
        seed: int | None = None,
        hint_cost: float = HINT_COST,
        due: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.due = due  # a session of the questions due for review today (bptutor quiz --due)
        self.lessons = list(lessons)
        self.lesson_id = lesson_id
        self.count = count
        self.progress = progress
        self.seed = seed
        self.hint_cost = hint_cost
        self.session: QuizSession | None = None
        self.message = ""  # why there is nothing to ask, when there is not

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit_question)

    def _fit_question(self) -> None:
        """Fit a question not yet answered to the screen: its network is drawn only where there is room."""
        if self.mode != "question":
            return
        for view in self.query("#question").results(QuestionView):
            if not view.answered:
                view.fit_diagram(self._body().size.height)

    def compose(self) -> ComposeResult:
        yield Static(id="quiz-status")
        yield VerticalScroll(id="quiz-body")
        yield KeysFooter()
        yield TooSmall()

    async def on_mount(self) -> None:
        if self.progress is None:
            self.progress, problem = Progress.load()
            if problem:
                self.notify(problem, severity="warning", timeout=10)
        chosen = self.lessons
        if self.lesson_id is not None:
            chosen = [lesson for lesson in self.lessons if lesson.id == self.lesson_id]
            if not chosen:
                known = ", ".join(lesson.id for lesson in self.lessons if quiz_questions(lesson)) or "none"
                await self._empty(f"There is no lesson '{self.lesson_id}'. Lessons with quiz questions: {known}.")
                return
        if self.due:
            from tutor.progress import next_due_text
            from tutor.quiz.review import due_session

            self.session = due_session(chosen, self.progress, self.seed)
            if self.session.count == 0:
                when = next_due_text(self.progress)
                await self._empty(f"Nothing is due for review today; {when}.\n\nenter: a normal session instead.")
                return
        else:
            self.session = QuizSession.start(chosen, self.count, self.seed, self.progress, self.hint_cost)
        for problem in self.session.problems:
            self.notify(problem, severity="warning", timeout=10)
        if self.session.count == 0:
            which = f"lesson '{self.lesson_id}'" if self.lesson_id else "the lessons"
            await self._empty(f"There are no quiz questions in {which} to ask.")
            return
        await self._show_question()

    # -- what is shown ------------------------------------------------------------------------

    def watch_mode(self, mode: str) -> None:
        for name in MODES:
            self.set_class(name == mode, f"-{name}")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        session = self.session
        if action == "next":
            return self.mode == "question" and self._question_answered()
        if action == "skip":
            return self.mode == "question" and bool(session and session.current) and not self._question_answered()
        if action in ("review", "retry"):
            return self.mode in ("score", "review") and bool(session and session.missed)
        if action == "score":
            return self.mode == "review"
        if action == "normal":
            return self.mode == "empty" and self.due
        return True

    def _question_answered(self) -> bool:
        """The question shown is answered: the session has recorded it, or its view shows the verdict already
        (the session records it on a message that follows: the keys change once, not once for each)."""
        if self.session is None:
            return False
        return self.session.answered or any(view.answered for view in self.query("#question").results(QuestionView))

    def _body(self) -> VerticalScroll:
        return self.query_one("#quiz-body", VerticalScroll)

    def _update_status(self) -> None:
        session = self.session
        status = self.query_one("#quiz-status", Static)
        if session is None:
            status.update(Text("Quiz", style="bold"))
            return
        text = Text("Quiz · review" if self.due else "Quiz", style="bold")
        if session.round > 1:
            text.append(f" · retry {session.round - 1}")
        if self.mode == "question":
            text.append(f" · question {session.position + 1} of {session.count}")
        answered = len(session.attempts)
        text.append(f" · score {fmt(session.score)} / {answered}")
        if self.mode == "question" and session.current is not None:
            if session.answered:
                last = session.position + 1 == session.count
                text.append(" · enter: see your score" if last else " · enter: next question", style="bold")
            else:
                text.append(f" · {session.current.lesson_title}", style="dim")
        status.update(text)

    async def _empty(self, message: str) -> None:
        self.message = message
        self.mode = "empty"
        self._update_status()
        body = self._body()
        await body.remove_children()
        await body.mount(Static(Text(message), classes="empty"))

    async def _show_question(self) -> None:
        body = self._body()
        await body.remove_children()
        self.mode = "question"
        await body.mount(QuestionView(self.session.current, hint_cost=self.hint_cost, id="question"))
        body.scroll_home(animate=False)
        self._update_status()
        self.call_after_refresh(self._fit_question)

    @on(QuestionView.Answered)
    def _answered(self, event: QuestionView.Answered) -> None:
        session = self.session
        if session is None or event.item is not session.current or session.answered:
            return
        session.record(event.given, event.verdict, event.hints_used)
        self._show_recorded(event.view)

    def action_skip(self) -> None:
        """Give up on the question: it counts as missed, and its solution is shown."""
        session = self.session
        if session is None or self.mode != "question" or session.answered:
            return
        view = self.query_one("#question", QuestionView)
        view.give_up(session.skip(view.hints_used).verdict)
        self._show_recorded(view)

    def _show_recorded(self, view: QuestionView) -> None:
        """After an answer (or giving up) is recorded: save, update the status, show the feedback."""
        problem = self.session.save()
        if problem:
            self.notify(problem, severity="warning", timeout=10)
        self._update_status()
        self.refresh_bindings()
        body = self._body()
        body.focus()
        attempt = self.session.attempts[-1]
        long = not attempt.verdict.correct and view.item.question.answered_with != "choice"
        self.call_after_refresh(body.scroll_to_widget, view.query_one("#feedback"), animate=False, top=long)

    # -- actions ------------------------------------------------------------------------------

    async def action_next(self) -> None:
        session = self.session
        if session is None or self.mode != "question" or not session.answered:
            return
        if session.advance() is None:
            await self._show_score()
        else:
            await self._show_question()

    async def _show_score(self) -> None:
        session = self.session
        self.mode = "score"
        self._update_status()
        body = self._body()
        await body.remove_children()
        await body.mount_all(score_widgets(session))
        body.scroll_home(animate=False)
        body.focus()

    async def action_score(self) -> None:
        if self.session is not None and self.session.finished:
            await self._show_score()

    async def action_review(self) -> None:
        session = self.session
        if session is None or not session.missed:
            return
        self.mode = "review"
        self._update_status()
        body = self._body()
        await body.remove_children()
        widgets = [Static(Text(f"The {len(session.missed)} missed, with their solutions", style="bold"))]
        for n, attempt in enumerate(session.missed, start=1):
            widgets.append(Rule())
            widgets.append(Static(Text(f"Missed {n} of {len(session.missed)}", style="bold"), classes="review-title"))
            answered = Attempted(attempt.given, attempt.verdict, attempt.hints_used)
            widgets.append(QuestionView(attempt.item, answered=answered, hint_cost=self.hint_cost))
        await body.mount_all(widgets)
        body.scroll_home(animate=False)
        body.focus()

    async def action_retry(self) -> None:
        session = self.session
        if session is None or not session.missed:
            return
        self.session = session.retry_missed()
        for problem in self.session.problems:
            self.notify(problem, severity="warning", timeout=10)
        if self.session.count == 0:
            await self._empty("None of the missed questions could be asked again.")
            return
        await self._show_question()

    async def action_normal(self) -> None:
        """Nothing was due: a normal session of questions from every lesson (or the one chosen)."""
        self.due = False
        await self.on_mount()

    def action_leave(self) -> None:
        self.dismiss(self.session)


def score_widgets(session: QuizSession) -> list[Static]:
    """The end of a session: the score, each question's result, and each lesson's mastery."""
    total = session.count
    share = session.score / total if total else 0.0
    head = Text(f"Score {fmt(session.score)} / {total}", style="bold")
    head.append(f"   ({round(share * 100)}%)")
    if session.round > 1:
        head.append(f"   retry {session.round - 1} of the missed ones", style="dim")
    questions = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    questions.add_column("#", justify="right")
    questions.add_column("question", no_wrap=True, overflow="ellipsis", ratio=1)
    questions.add_column("result", no_wrap=True)
    questions.add_column("hints", justify="right")
    questions.add_column("points", justify="right")
    for n, attempt in enumerate(session.attempts, start=1):
        item = attempt.item
        prompt = " ".join(item.prompt.split())
        result = Text("✓ right", style="green") if attempt.verdict.correct else Text("✗ missed", style="red")
        if attempt.verdict.slip and not attempt.verdict.correct:
            result.append(f" ({attempt.verdict.slip})", style="dim")
        questions.add_row(
            str(n), Text(f"{item.question.title}: {prompt}"), result, str(attempt.hints_used), fmt(attempt.score)
        )
    lessons = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, title="Mastery", title_justify="left")
    for column in ("lesson", "this session", "mastery", ""):
        lessons.add_column(column)
    for entry in session.lesson_scores():
        mastery = entry.mastery
        if mastery is None:
            level, mark = "—", ""
        else:
            level = f"{round(mastery.score * 100)}% ({mastery.answered} of {mastery.total} answered)"
            mark = Text("mastered", style="bold green") if mastery.mastered else Text("not yet", style="dim")
        lessons.add_row(Text(entry.title), f"{fmt(entry.points)} / {entry.asked}", level, mark)
    keys = Text()
    if session.missed:
        keys.append("r", style="bold")
        keys.append(" review the missed ones   ")
        keys.append("t", style="bold")
        keys.append(" retry the missed ones   ")
    else:
        keys.append("Nothing missed.   ", style="green")
    keys.append("escape", style="bold")
    keys.append(" leave")
    return [
        Static(head, id="score-head"),
        Static(questions, id="score-questions"),
        Static(lessons, id="score-mastery"),
        Static(keys, id="score-keys"),
    ]


# -- running it on its own ------------------------------------------------------------------------


class QuizApp(App):
    """Quiz mode alone, until the app shell opens it with `bptutor quiz`."""

    TITLE = "bptutor quiz"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, lessons: Sequence[Lesson], **options) -> None:
        super().__init__()
        self.lessons = list(lessons)
        self.options = options

    async def on_mount(self) -> None:
        self.push_screen(QuizScreen(self.lessons, **self.options), callback=self.exit)


def main(argv: list[str] | None = None) -> int:
    from tutor.lessons import discover_lessons

    parser = argparse.ArgumentParser(prog="python -m tutor.screens.quiz", description="Run quiz mode on its own.")
    parser.add_argument("--lesson", metavar="ID", help="quiz on this lesson only")
    parser.add_argument("--lessons", metavar="DIR", action="append", default=[], help="also load lessons from DIR")
    parser.add_argument("--count", type=int, help="how many questions (default: up to 10)")
    parser.add_argument("--seed", type=int, help="draw the same questions and numbers again")
    args = parser.parse_args(argv)
    found = discover_lessons(args.lessons)
    for problem in found.problems:
        print(problem)
    QuizApp(found.lessons, lesson_id=args.lesson, count=args.count, seed=args.seed).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
