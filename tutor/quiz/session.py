"""A quiz session: N questions across the chosen lessons, scored, with hints, a missed list and a retry.

Pure logic: the screen shows what a session holds and tells it what the learner did. Each question
is worth one point; each hint shown costs HINT_COST of that point; a wrong answer scores 0. An
answer that cannot be read (AnswerFormError) is not an attempt. Every attempt keeps the seed its
question was drawn with, so it can be replayed exactly. With a Progress, each answer is recorded
as it is given, per lesson question, so quitting half-way loses nothing (`save()` writes it).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from tutor.lessons.model import Lesson, Page, Question
from tutor.progress import Mastery, Progress
from tutor.quiz.check import Verdict
from tutor.quiz.generate import GenerationError, Item, make_item, quiz_questions

HINT_COST = 0.25  # of a question's point, per hint shown
DEFAULT_COUNT = 10
SKIPPED = "skipped"  # the slip of an answer the learner gave up on


def question_score(correct: bool, hints_used: int, hint_cost: float = HINT_COST) -> float:
    """A question's points: 1 for a right answer, less `hint_cost` per hint, never below 0; 0 if wrong."""
    return max(0.0, 1.0 - hint_cost * hints_used) if correct else 0.0


@dataclass(frozen=True)
class Source:
    """Where a question is written: its lesson, quiz page and the question itself."""

    lesson: Lesson
    page: Page  # a quiz page, or the trace page a review card asks about
    question: Question


@dataclass
class Attempt:
    """One question answered: what was given, the verdict, hints used and the points scored."""

    item: Item
    given: str  # as typed (or the choice / factors picked, written out)
    verdict: Verdict
    hints_used: int
    score: float

    @property
    def seed(self) -> int | None:
        return self.item.seed

    @property
    def missed(self) -> bool:
        return not self.verdict.correct


@dataclass
class LessonScore:
    """One lesson's share of a session, and its mastery over every session so far (when progress is kept)."""

    lesson_id: str
    title: str
    points: float
    asked: int
    mastery: Mastery | None


@dataclass
class QuizSession:
    """Questions asked one at a time: `current`, `record()` (or `skip()`), `advance()`.

    The question widget checks each answer and counts the hints shown; the session records the result.
    """

    items: list[Item]
    progress: Progress | None = None
    hint_cost: float = HINT_COST
    round: int = 1  # 1 for a first session, 2 for its retry of the missed ones, ...
    rng: random.Random = field(default_factory=random.Random, repr=False)
    sources: dict[tuple[str, int, int], Source] = field(default_factory=dict, repr=False)
    problems: list[str] = field(default_factory=list)  # questions that could not be asked, and why
    attempts: list[Attempt] = field(default_factory=list)
    position: int = 0
    reviews: dict[tuple[str, int, int], str] = field(default_factory=dict)  # items that are review cards of their own

    @classmethod
    def start(
        cls,
        lessons: Sequence[Lesson],
        count: int | None = None,
        seed: int | None = None,
        progress: Progress | None = None,
        hint_cost: float = HINT_COST,
    ) -> QuizSession:
        """A session of `count` questions (default: up to DEFAULT_COUNT) from the quiz pages of `lessons`.

        Kinds are mixed; numeric questions may come twice, with different numbers, when `count` is more
        than there are questions. `seed` makes the choice, the order and every question's numbers repeatable.
        """
        rng = random.Random(seed)
        pool = [Source(lesson, page, q) for lesson in lessons for page, q in quiz_questions(lesson)]
        return cls._from_sources(choose(pool, count, rng), rng, progress, hint_cost, round=1)

    @classmethod
    def of(
        cls,
        sources: list[Source],
        seed: int | None = None,
        progress: Progress | None = None,
        reviews: dict[tuple[str, int, int], str] | None = None,
    ) -> QuizSession:
        """A session of exactly these questions, in this order (a review session: tutor.quiz.review)."""
        session = cls._from_sources(sources, random.Random(seed), progress, HINT_COST, round=1)
        session.reviews = dict(reviews or {})
        return session

    @classmethod
    def _from_sources(
        cls, sources: list[Source], rng: random.Random, progress: Progress | None, hint_cost: float, round: int
    ) -> QuizSession:
        session = cls([], progress, hint_cost, round, rng)
        for source in sources:
            session.sources[(source.lesson.id, source.page.index, source.question.index)] = source
            try:
                seed = rng.randrange(2**31)
                # Asked again, a multiple-choice question shuffles its choices: their letters were just shown.
                session.items.append(make_item(source.lesson, source.page, source.question, seed, shuffle=round > 1))
            except GenerationError as err:
                where = (
                    f"lesson '{source.lesson.id}', page {source.page.index + 1}, question {source.question.index + 1}"
                )
                session.problems.append(f"{where} was left out: {err}")
        return session

    # -- asking -------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def finished(self) -> bool:
        return self.position >= len(self.items)

    @property
    def current(self) -> Item | None:
        return None if self.finished else self.items[self.position]

    @property
    def answered(self) -> bool:
        """Whether the current question has been answered (and the session waits for `advance()`)."""
        return len(self.attempts) > self.position

    def skip(self, hints_used: int = 0) -> Attempt:
        """Give up on the current question (ctrl+g in quiz mode): it counts as missed, and its solution is shown."""
        return self.record("", Verdict(False, "Skipped: here is the solution.", SKIPPED), hints_used)

    def record(self, given: str, verdict: Verdict, hints_used: int = 0) -> Attempt:
        """Record the verdict on the current question, reached by the question widget with `hints_used` hints."""
        item = self._open_item()
        attempt = Attempt(item, given, verdict, hints_used, question_score(verdict.correct, hints_used, self.hint_cost))
        self.attempts.append(attempt)
        if self.progress is not None and item.key in self.reviews:
            self.progress.record_review(self.reviews[item.key], attempt.score > 0)  # a missed prediction asked again
        elif self.progress is not None:
            self.progress.record_answer(item.lesson_id, item.page, item.index, attempt.score)
        return attempt

    def advance(self) -> Item | None:
        """Go on to the next question (after answering this one); returns it, or None at the end."""
        if not self.answered:
            raise RuntimeError("answer or skip the question before moving on")
        self.position += 1
        return self.current

    def _open_item(self) -> Item:
        if self.finished:
            raise RuntimeError("the session is over")
        if self.answered:
            raise RuntimeError("this question has been answered already")
        return self.items[self.position]

    # -- results ------------------------------------------------------------------------------

    @property
    def score(self) -> float:
        return sum(a.score for a in self.attempts)

    @property
    def missed(self) -> list[Attempt]:
        return [a for a in self.attempts if a.missed]

    def lesson_scores(self) -> list[LessonScore]:
        """Per lesson asked in this session: points, questions asked, and mastery (from progress, if kept)."""
        out: dict[str, LessonScore] = {}
        for item in self.items:
            source = self.sources[item.key]
            entry = out.setdefault(
                item.lesson_id,
                LessonScore(
                    item.lesson_id,
                    item.lesson_title,
                    0.0,
                    0,
                    self.progress.lesson_mastery(source.lesson) if self.progress else None,
                ),
            )
            entry.asked += 1
        for attempt in self.attempts:
            out[attempt.item.lesson_id].points += attempt.score
        return list(out.values())

    def save(self) -> str | None:
        """Write the progress file; None, or why it could not be written."""
        return self.progress.save() if self.progress is not None else None

    def retry_missed(self) -> QuizSession:
        """A new session of the questions missed in this one (each once), with fresh numbers and a fresh order."""
        keys = list(dict.fromkeys(a.item.key for a in self.missed))
        sources = [self.sources[key] for key in keys]
        self.rng.shuffle(sources)
        retry = QuizSession._from_sources(sources, self.rng, self.progress, self.hint_cost, self.round + 1)
        retry.reviews = self.reviews
        return retry

    def replay(self, attempt: Attempt) -> Item:
        """The question of an attempt exactly as it was asked (same seed, same numbers)."""
        source = self.sources[attempt.item.key]
        return make_item(source.lesson, source.page, source.question, attempt.seed, shuffle=bool(attempt.item.order))


def choose(pool: list[Source], count: int | None, rng: random.Random) -> list[Source]:
    """Pick `count` questions from `pool`, mixing lessons and kinds; repeat numeric ones only if asked for more.

    Lessons take turns (in a shuffled order); each gives the question of the kind asked least so far,
    from its own questions with kinds taking turns (see _kinds_in_turn). Then the list is arranged so
    that, where possible, no two questions in a row are of the same kind.
    """
    if not pool:
        return []
    count = min(DEFAULT_COUNT, len(pool)) if count is None else max(count, 0)
    by_lesson: dict[str, list[Source]] = {}
    for source in pool:
        by_lesson.setdefault(source.lesson.id, []).append(source)
    queues = [_kinds_in_turn(sources, rng) for sources in by_lesson.values()]
    rng.shuffle(queues)
    asked: Counter[str] = Counter()
    picked: list[Source] = []
    while len(picked) < min(count, len(pool)):
        for queue in queues:
            if queue and len(picked) < count:
                best = min(range(len(queue)), key=lambda i, queue=queue: asked[queue[i].question.kind])
                picked.append(queue.pop(best))
                asked[picked[-1].question.kind] += 1
    repeatable = [s for s in pool if s.question.repeatable]
    while len(picked) < count and repeatable:
        picked.append(repeatable[(len(picked) - len(pool)) % len(repeatable)])
    return _spread(picked, rng)


def _kinds_in_turn(sources: list[Source], rng: random.Random) -> list[Source]:
    """One lesson's questions with kinds taking turns (in a shuffled order), each kind's in shuffled order."""
    by_kind: dict[str, list[Source]] = {}
    for source in sources:
        by_kind.setdefault(source.question.kind, []).append(source)
    for same in by_kind.values():
        rng.shuffle(same)
    kinds = list(by_kind)
    rng.shuffle(kinds)
    out: list[Source] = []
    while len(out) < len(sources):
        out += [by_kind[kind].pop() for kind in kinds if by_kind[kind]]
    return out


def _spread(sources: list[Source], rng: random.Random) -> list[Source]:
    """Shuffle, then build the order greedily so that the same kind (and question) rarely comes twice in a row."""
    remaining = list(sources)
    rng.shuffle(remaining)
    out: list[Source] = []
    while remaining:
        last = out[-1] if out else None

        def clash(s: Source, last: Source | None = last) -> tuple[bool, bool]:
            return (last is not None and s is last, last is not None and s.question.kind == last.question.kind)

        best = min(range(len(remaining)), key=lambda i: clash(remaining[i]))
        out.append(remaining.pop(best))
    return out
