"""The learner's progress between runs: pages done, step positions and patterns, quiz scores, where they stopped.

One JSON file, `progress.json`, in the user's data directory (platformdirs; the environment
variable BPTUTOR_DATA_DIR replaces it, as the tests do). Every save is atomic: a temporary file
in the same folder is written, flushed and fsynced, then renamed over the old one, so a crash or
a kill leaves either the old file or the new one. A damaged file is never deleted or emptied: it
is moved aside to `progress.json.damaged-<time>` and a fresh one is started, with a message.

Entries of lessons that are not installed today (an instructor's folder may be absent) and keys
this version does not know are kept as they are, up to MAX_EXTRA_BYTES in all (docs/lessons.md).

Spaced review (`reviews`): every question answered, in quiz mode or on a quiz page, and every missed
prediction on a trace page, is a card in a Leitner box: a right answer moves it up a box, a wrong one
back to the first, and it is due again INTERVALS[box] days later. `BPTUTOR_TODAY=YYYY-MM-DD` fixes
today. A lesson is mastered when each of its questions was answered right on two different days.

Two processes may share the folder: a save takes a lock (`progress.json.lock`), reads what is on
disk and merges it with what this process changed since it last read or wrote (`merge`), so
neither erases the other. Temporary files a killed save left behind are removed on load.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.checks import Checks, is_score, is_whole

if TYPE_CHECKING:
    from tutor.lessons.model import Lesson

VERSION = 2  # 2 added spaced review (`reviews`) and prediction counts (`predictions`); a version 1 file migrates
DATA_ENV = "BPTUTOR_DATA_DIR"
TODAY_ENV = "BPTUTOR_TODAY"
INTERVALS = (0, 1, 3, 7, 21)  # days a card waits in Leitner box 1, 2, 3, 4, 5 before it is due again
KNOWN_KEYS = frozenset({"version", "lessons", "last", "reviews", "predictions", "settings"})
FILE_NAME = "progress.json"
STATES = ("not_started", "in_progress", "done")
MAX_EXTRA_BYTES = 256_000  # unknown keys and lessons not installed: kept up to this much (JSON), the rest set aside
MAX_GIVEN = 1_000  # characters of an answer kept in the record
STALE_TEMP_SECONDS = 5.0  # a save's temporary file older than this, found under the lock, was left by a killed save


def data_dir() -> Path:
    """Where bptutor keeps the learner's files: $BPTUTOR_DATA_DIR, else the platform's data directory."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("bptutor", appauthor=False))


def progress_path() -> Path:
    return data_dir() / FILE_NAME


def today() -> date:
    """Today's date for review scheduling: $BPTUTOR_TODAY (YYYY-MM-DD) when it is set and valid, else the clock's."""
    return _today_override() or date.today()


def today_problem() -> str | None:
    """Why $BPTUTOR_TODAY cannot be used (None when it is unset or a valid date)."""
    text = os.environ.get(TODAY_ENV)
    if text and _today_override() is None:
        return f"{TODAY_ENV} should be a date written YYYY-MM-DD, like 2026-03-01; got {text!r}"
    return None


def _today_override() -> date | None:
    text = os.environ.get(TODAY_ENV, "").strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


@dataclass
class Place:
    """Where the learner was: a lesson, a page (from 0) and, on a trace or unroll page, a step."""

    lesson: str
    page: int
    step: int | None = None


@dataclass
class Status:
    """A lesson at a glance, for the lesson list."""

    state: str  # not_started | in_progress | done
    page: int  # the current page, from 0
    of: int  # pages in the lesson
    pages_done: int
    score: float | None  # mean best score over the lesson's quizzes taken (0 to 1); None if none taken
    mastery: Mastery | None = None  # its quiz questions, answered on quiz pages or in quiz mode (lesson_overview)


@dataclass
class QuestionResult:
    best: float
    last: float
    attempts: int


@dataclass
class QuizResult:
    best: float
    last: float
    attempts: int
    mastered: bool  # the best score reached the quiz's pass mark
    questions: dict[int, QuestionResult]


@dataclass
class Mastery:
    """How well a lesson's quiz questions are known: the mean of each question's best score (0 if never answered)."""

    score: float  # 0 to 1
    answered: int  # questions answered at least once
    total: int  # questions on the lesson's quiz pages
    mastered: bool  # score reached the pass mark, and every question was answered right on two different days
    spaced: int = 0  # questions answered right on two different days


@dataclass(frozen=True)
class Review:
    """A card of the review schedule: a quiz question, or a term missed on a trace page ("predict")."""

    key: str  # its entry in the record's `reviews`
    kind: str  # quiz | predict
    lesson: str
    page: int
    box: int  # 1 to len(INTERVALS)
    due: date
    question: int | None = None  # quiz: the question on its page
    term: str | None = None  # predict: the trace term's id, its symbol and kind
    symbol: str = ""
    term_kind: str = ""


@dataclass(frozen=True)
class Answer:
    """An answer given on a quiz page, enough to ask the same question again and show it answered."""

    given: str  # the answer as typed or chosen (a chain's factors joined by " · ")
    seed: int | None  # the seed the question was drawn with (numeric and chain questions)
    hints: int = 0  # hints used before answering


class Damaged(ValueError):
    """The progress file's content is not what this module writes."""


class Progress:
    """The progress file in memory. Record methods change it; `save()` writes it."""

    def __init__(self, path: str | Path | None = None, data: dict[str, Any] | None = None):
        self.path = Path(path) if path is not None else progress_path()
        self.data: dict[str, Any] = data if data is not None else {"version": VERSION, "lessons": {}, "last": None}
        self.writable = True  # False when saving would overwrite a file we could not read or move aside
        self._base: dict[str, Any] = copy.deepcopy(self.data)  # what the file held when we last read or wrote it
        self._write_lock = threading.Lock()  # saves from worker threads land one at a time, in order
        self._written = 0  # the number of the last snapshot written (a later one always wins)
        self._failing = False  # the last save failed and said so: the next failures stay quiet

    # -- loading --------------------------------------------------------------------------

    @classmethod
    def load(
        cls, path: str | Path | None = None, installed: Collection[str] | None = None
    ) -> tuple[Progress, str | None]:
        """The saved progress, or a fresh start; the message says why it is fresh, when it matters.

        With `installed` (the lesson ids there are), the entries of other lessons count towards the
        MAX_EXTRA_BYTES kept of what this version does not use.
        """
        progress = cls(path)
        path = progress.path
        remove_stale_temps(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return progress, None
        except OSError as err:
            progress.writable = False
            reason = err.strerror or str(err)
            return progress, (
                f"Your progress file {path} could not be read ({reason}); it was left as it is, "
                "and progress will not be saved this session."
            )
        try:
            data = json.loads(raw.decode("utf-8"))
            _check(data)
        except Exception as err:  # any record that cannot be read (deep nesting, huge integers…) is set aside
            return progress, progress._set_aside(_reason(err))
        if data["version"] > VERSION:
            progress.writable = False
            return progress, (
                f"Your progress file {path} was written by a newer bptutor (format {data['version']}); "
                "it was left as it is, and progress will not be saved this session."
            )
        data = migrate(data)
        progress.data = data
        progress._base = copy.deepcopy(data)  # before bounding: what is left out counts as removed by us
        return progress, progress._bound(installed or data["lessons"].keys(), len(raw))

    def _bound(self, installed: Collection[str], size: int) -> str | None:
        """Keep unknown keys and lessons not installed up to MAX_EXTRA_BYTES; the whole file is copied aside first."""
        if size <= MAX_EXTRA_BYTES:
            return None
        extras = [(self.data, key) for key in self.data if key not in KNOWN_KEYS]
        lessons = self.data["lessons"]
        extras += [(lessons, key) for key in lessons if key not in installed]
        kept, dropped = 0, []
        for table, key in extras:
            kept += len(json.dumps(table[key]))
            if kept > MAX_EXTRA_BYTES:
                dropped.append((table, key))
        if not dropped:
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.large-{stamp}")
        try:
            import shutil

            shutil.copyfile(self.path, aside)
        except OSError:
            return None  # it cannot be copied aside: keep everything rather than lose it
        for table, key in dropped:
            del table[key]
        return (
            f"Your progress file kept {len(dropped)} entries this version does not use, more than "
            f"{MAX_EXTRA_BYTES // 1000} kB; the whole file was copied to {aside} and they were left out."
        )

    def _set_aside(self, reason: str) -> str:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        number = 1
        while aside.exists():
            number += 1
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{number}")
        try:
            os.replace(self.path, aside)
        except OSError as err:
            self.writable = False
            return (
                f"Your progress file {self.path} was damaged ({reason}) and could not be moved aside "
                f"({err.strerror or err}); it was left as it is, and progress will not be saved this session."
            )
        return f"Your progress file was damaged ({reason}); it was moved to {aside} and a fresh one started."

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> str | None:
        """Write the file atomically. Returns None, or a message saying why it could not be saved."""
        return self.write(self.snapshot())

    def snapshot(self) -> tuple[int, dict[str, Any]]:
        """A numbered copy of the record, taken where it is changed (the UI thread), for `write` to save anywhere."""
        self._taken = getattr(self, "_taken", 0) + 1
        return self._taken, copy.deepcopy(self.data)

    def write(self, snapshot: tuple[int, dict[str, Any]]) -> str | None:
        """Save a snapshot, merged with what is on disk under the file lock (any thread; a later snapshot wins).

        Returns a message the first time saving fails (a read-only folder), None after that until a
        save succeeds again: the record is kept in memory meanwhile.
        """
        number, ours = snapshot
        if not self.writable:
            return None
        with self._write_lock:
            if number < self._written:
                return None  # a newer snapshot was written already
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with file_lock(self.path):
                    merged = merge(self._base, ours, _read_quietly(self.path))
                    text = json.dumps(merged, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
                    write_atomic(self.path, text)
            except OSError as err:
                message = None if self._failing else self._unsaved(err)
                self._failing = True
                return message
            self._failing = False
            self._written = number
            self._base = ours
        return None

    def _unsaved(self, err: OSError) -> str:
        return (
            f"Your progress could not be saved to {self.path} ({err.strerror or err}); it is kept while bptutor "
            "runs and saved again with each change (this message is not repeated)."
        )

    # -- recording ------------------------------------------------------------------------

    def _lesson(self, lesson_id: str) -> dict[str, Any]:
        return self.data["lessons"].setdefault(lesson_id, {})

    def _place(self, lesson_id: str, page: int) -> None:
        entry = self._lesson(lesson_id)
        entry["page"] = page
        self.data["last"] = {"lesson": lesson_id, "page": page, "step": entry.get("steps", {}).get(str(page))}

    def visit(self, lesson_id: str, page: int) -> None:
        """The learner opened this page."""
        self._place(lesson_id, page)

    def record_step(self, lesson_id: str, page: int, step: int) -> None:
        """The learner reached `step` (from 0) on a trace or unroll page."""
        self._lesson(lesson_id).setdefault("steps", {})[str(page)] = step
        self._place(lesson_id, page)

    def record_pattern(self, lesson_id: str, page: int, pattern: int) -> None:
        """The learner chose pattern (or sequence) `pattern` on a trace or unroll page."""
        self._lesson(lesson_id).setdefault("patterns", {})[str(page)] = pattern

    def record_page(self, lesson_id: str, page: int, of: int) -> None:
        """Page `page` (from 0) of a lesson of `of` pages is done; the lesson is done when all are."""
        entry = self._lesson(lesson_id)
        done = set(entry.get("pages_done", [])) | {page}
        entry["pages_done"] = sorted(done)
        if set(range(of)) <= done:
            entry["done"] = True
        self._place(lesson_id, page)

    def record_quiz(self, lesson_id: str, page: int, scores: Sequence[float], pass_mark: float = 0.8) -> QuizResult:
        """One attempt at a quiz page: each question's score from 0 to 1, in order. Returns the totals."""
        if not scores or any(not 0 <= s <= 1 for s in scores):
            raise ValueError(f"quiz scores should be one number from 0 to 1 per question, got {list(scores)}")
        for index, value in enumerate(scores):
            self.record_answer(lesson_id, page, index, value)
        return self.record_quiz_total(lesson_id, page, scores, pass_mark)

    def record_quiz_total(
        self, lesson_id: str, page: int, scores: Sequence[float], pass_mark: float = 0.8
    ) -> QuizResult:
        """A quiz page finished: its score (the mean of `scores`) counts as one attempt at the page.

        Each answer was recorded as it was given (`record_answer`); this adds only the page's totals.
        """
        if not scores or any(not 0 <= s <= 1 for s in scores):
            raise ValueError(f"quiz scores should be one number from 0 to 1 per question, got {list(scores)}")
        score = sum(scores) / len(scores)
        quiz = self._quiz(lesson_id, page)
        quiz["best"] = max(quiz.get("best", 0.0), score)
        quiz["last"] = score
        quiz["attempts"] = quiz.get("attempts", 0) + 1
        quiz["mastered"] = bool(quiz.get("mastered", False) or score >= pass_mark)
        self._place(lesson_id, page)
        return self.quiz_result(lesson_id, page)

    def _quiz(self, lesson_id: str, page: int) -> dict[str, Any]:
        return self._lesson(lesson_id).setdefault("quizzes", {}).setdefault(str(page), {})

    def record_answer(
        self, lesson_id: str, page: int, question: int, score: float, given: Answer | None = None
    ) -> None:
        """One question answered, scored from 0 to 1: its best, last and attempts.

        With `given` (a quiz page), the answer is also kept as the page's current attempt, so that
        the page shows it again when it is re-entered, and the place to continue from moves here.
        The quiz page's own totals are `record_quiz_total`'s, once all its questions are answered.
        """
        if not 0 <= score <= 1:
            raise ValueError(f"a question's score should be from 0 to 1, got {score}")
        quiz = self._quiz(lesson_id, page)
        q = quiz.setdefault("questions", {}).setdefault(str(question), {})
        q["best"] = max(q.get("best", 0.0), float(score))
        q["last"] = float(score)
        q["attempts"] = q.get("attempts", 0) + 1
        where = {"kind": "quiz", "lesson": lesson_id, "page": page, "question": question}
        self.schedule(_quiz_card(lesson_id, page, question), score > 0, **where)
        if given is not None:
            quiz.setdefault("current", {})[str(question)] = {
                "given": given.given[:MAX_GIVEN],
                "seed": given.seed,
                "hints": given.hints,
                "score": float(score),
            }
            self._place(lesson_id, page)

    def current_attempt(self, lesson_id: str, page: int) -> dict[int, tuple[Answer, float]]:
        """The answers of the quiz page's current attempt (question → answer and score), to show them again."""
        quiz = self.data["lessons"].get(lesson_id, {}).get("quizzes", {}).get(str(page), {})
        return {
            int(k): (Answer(a["given"], a["seed"], a["hints"]), a["score"]) for k, a in quiz.get("current", {}).items()
        }

    def new_attempt(self, lesson_id: str, page: int) -> None:
        """Start the quiz page afresh: its current answers are cleared (their scores stay counted)."""
        quiz = self.data["lessons"].get(lesson_id, {}).get("quizzes", {}).get(str(page))
        if quiz is not None:
            quiz.pop("current", None)

    def mastery(self, lesson_id: str, questions: Mapping[int, int], pass_mark: float = 0.8) -> Mastery | None:
        """Mastery of a lesson whose quiz pages hold `questions` (page → how many); None if it has none."""
        total = sum(questions.values())
        if total == 0:
            return None
        quizzes = self.data["lessons"].get(lesson_id, {}).get("quizzes", {})
        cards = self.data.get("reviews", {})
        best, spaced = [], 0
        for page, count in questions.items():
            results = quizzes.get(str(page), {}).get("questions", {})
            best += [results[str(q)] for q in range(count) if str(q) in results and results[str(q)].get("attempts")]
            for q in range(count):
                card = cards.get(_quiz_card(lesson_id, page, q), {})
                # Right on two different days, the later at least a day after the first: spacing, not a streak
                # within one sitting (ISO dates compare as days do).
                spaced += card.get("last_right", "") > card.get("first_right", "9")
        score = sum(q.get("best", 0.0) for q in best) / total
        return Mastery(score, len(best), total, score >= pass_mark - 1e-9 and spaced == total, spaced)

    def lesson_mastery(self, lesson: Lesson) -> Mastery | None:
        """`mastery` for a Lesson: its quiz pages' questions, against their pass marks (weighted by question)."""
        outline = lesson.outline()  # a listed lesson answers without reading its pages
        if outline.pass_mark is None:
            return None
        return self.mastery(lesson.id, outline.quiz, outline.pass_mark)

    # -- spaced review -------------------------------------------------------------------------

    def schedule(self, key: str, right: bool, **where: Any) -> Review:
        """A card answered today: right moves it up a Leitner box, wrong back to the first; it is due INTERVALS later.

        `where` says what the card asks (kind, lesson, page, question or term...); kept when it is new.
        """
        day = today()
        card = self.data.setdefault("reviews", {}).setdefault(key, {**where, "box": 1})
        card["box"] = min(card.get("box", 1) + 1, len(INTERVALS)) if right else 1
        card["due"] = (day + timedelta(days=INTERVALS[card["box"] - 1])).isoformat()
        card["seen"] = day.isoformat()
        if right:  # the first and the last day it was answered right: mastery needs two different days
            card["first_right"] = min(card.get("first_right", card["seen"]), card["seen"])
            card["last_right"] = card["seen"]
        return _review(key, card)

    def record_prediction(
        self, lesson_id: str, page: int, term_id: str, symbol: str, term_kind: str, right: bool, slip: str | None = None
    ):
        """A prediction judged on a trace or unroll page: counted by term kind (asked, right, wrong, slips named, and
        `streak`, right in a row, which fading reads); a missed term becomes a review card.

        A term already on the schedule moves (up when right, back when wrong); a right first guess adds no card.
        """
        counts = self.data.setdefault("predictions", {}).setdefault(term_kind, {"asked": 0, "right": 0})
        counts["asked"] += 1
        counts["right"] += int(right)
        counts["wrong"] = counts.get("wrong", 0) + int(not right)
        counts["slips"] = counts.get("slips", 0) + int(slip is not None)
        counts["streak"] = counts.get("streak", 0) + 1 if right else 0
        key = f"predict:{lesson_id}:{page}:{term_id}"
        if not right or key in self.data.get("reviews", {}):
            where = {"kind": "predict", "lesson": lesson_id, "page": page, "term": term_id}
            self.schedule(key, right, **where, symbol=symbol, term_kind=term_kind)

    def record_review(self, key: str, right: bool) -> None:
        """A card answered in a review session that is not a lesson question (a missed prediction asked again)."""
        if key in self.data.get("reviews", {}):
            self.schedule(key, right)

    def streaks(self) -> dict[str, int]:
        """Right predictions in a row, by term kind (what fading reads)."""
        return {k: v.get("streak", 0) for k, v in self.data.get("predictions", {}).items()}

    def fade_visits(self, lesson_id: str, page: int) -> int:
        """How many times a faded page has been opened before."""
        return self.data["lessons"].get(lesson_id, {}).get("fades", {}).get(str(page), 0)

    def record_fade_visit(self, lesson_id: str, page: int) -> None:
        fades = self._lesson(lesson_id).setdefault("fades", {})
        fades[str(page)] = fades.get(str(page), 0) + 1

    def reset_fading(self) -> None:
        """Every faded page starts again as a worked example, and every term kind's streak from 0."""
        for entry in self.data["lessons"].values():
            entry.pop("fades", None)
        for counts in self.data.get("predictions", {}).values():
            counts.pop("streak", None)

    def setting(self, name: str, default: Any = None) -> Any:
        """A learner setting kept with the record (e.g. "predict": predict mode on trace pages)."""
        return self.data.get("settings", {}).get(name, default)

    def set_setting(self, name: str, value: Any) -> None:
        self.data.setdefault("settings", {})[name] = value

    def reviews(self) -> list[Review]:
        """Every card on the schedule, the soonest due first."""
        cards = [_review(key, card) for key, card in self.data.get("reviews", {}).items()]
        return sorted(cards, key=lambda r: (r.due, r.key))

    def due(self, day: date | None = None) -> list[Review]:
        """The cards due on `day` (default today) or before."""
        day = day or today()
        return [r for r in self.reviews() if r.due <= day]

    def next_due(self, day: date | None = None) -> date | None:
        """When the next card after `day` (default today) is due; None when nothing is scheduled after it."""
        day = day or today()
        return next((r.due for r in self.reviews() if r.due > day), None)

    def predictions(self) -> dict[str, tuple[int, int]]:
        """Predictions by term kind: (asked, right)."""
        return {k: (v.get("asked", 0), v.get("right", 0)) for k, v in self.data.get("predictions", {}).items()}

    def reset_lesson(self, lesson_id: str) -> None:
        """Forget a lesson's progress (to start it over)."""
        self.data["lessons"].pop(lesson_id, None)
        reviews = self.data.get("reviews", {})
        for key in [k for k, card in reviews.items() if card.get("lesson") == lesson_id]:
            del reviews[key]
        last = self.data.get("last")
        if last and last.get("lesson") == lesson_id:
            self.data["last"] = None

    # -- reading --------------------------------------------------------------------------

    @property
    def last(self) -> Place | None:
        """Where the learner was when they last did anything, for "Continue"."""
        last = self.data.get("last")
        return Place(last["lesson"], last["page"], last.get("step")) if last else None

    def step(self, lesson_id: str, page: int) -> int:
        """The step the learner reached on a trace or unroll page (0 if never opened)."""
        return self.data["lessons"].get(lesson_id, {}).get("steps", {}).get(str(page), 0)

    def pattern(self, lesson_id: str, page: int) -> int | None:
        """The pattern the learner chose on a trace or unroll page (None: the page's own)."""
        return self.data["lessons"].get(lesson_id, {}).get("patterns", {}).get(str(page))

    def quiz_result(self, lesson_id: str, page: int) -> QuizResult | None:
        quiz = self.data["lessons"].get(lesson_id, {}).get("quizzes", {}).get(str(page))
        if not quiz:
            return None
        questions = {
            int(k): QuestionResult(q.get("best", 0.0), q.get("last", 0.0), q.get("attempts", 0))
            for k, q in quiz.get("questions", {}).items()
        }
        return QuizResult(
            quiz.get("best", 0.0),
            quiz.get("last", 0.0),
            quiz.get("attempts", 0),
            quiz.get("mastered", False),
            questions,
        )

    def pages_done(self, lesson_id: str) -> list[int]:
        """The pages (from 0) of a lesson that are done."""
        return list(self.data["lessons"].get(lesson_id, {}).get("pages_done", []))

    def lesson_status(self, lesson_id: str, page_count: int) -> Status:
        """Where the learner is in a lesson. Questions answered in quiz mode alone do not start it."""
        entry = self.data["lessons"].get(lesson_id, {})
        done = [p for p in entry.get("pages_done", []) if p < page_count]
        quizzes = entry.get("quizzes", {})
        taken = [q for q in quizzes.values() if "best" in q]  # quiz pages taken whole (not only answered in quiz mode)
        score = sum(q["best"] for q in taken) / len(taken) if taken else None
        page = min(entry.get("page", 0), max(page_count - 1, 0))
        if entry.get("done") or (page_count > 0 and len(set(done)) == page_count):
            state = "done"
        elif done or taken or entry.get("steps") or entry.get("page", 0) > 0:
            state = "in_progress"
        else:
            state = "not_started"
        return Status(state, page, page_count, len(done), score)

    def lesson_overview(self, lesson: Lesson) -> Status:
        """`lesson_status` of a Lesson with its quiz mastery, for the lesson list."""
        status = self.lesson_status(lesson.id, len(lesson.outline().page_titles))
        return replace(status, mastery=self.lesson_mastery(lesson))


def next_due_text(progress: Progress, day: date | None = None) -> str:
    """When the next review is due, in words: "the next is due on 2026-03-04 (in 3 days)", or that none is."""
    day = day or today()
    upcoming = progress.next_due(day)
    if upcoming is None:
        return "nothing is scheduled yet: the questions you answer enter the schedule"
    days = (upcoming - day).days
    return f"the next is due on {upcoming.isoformat()} (in {days} day{'s' if days != 1 else ''})"


def review_summary(progress: Progress, day: date | None = None) -> dict[str, Any]:
    """The review schedule and the predictions, for `bptutor progress` (its `reviews` and `predictions` keys).

    {"today": day, "due_today": how many are due, "next_due": the first day after today with a card due
    (or None), "due": every card due today or before, and "scheduled": every card, each as {"id", "kind",
    "lesson", "page", "question" (quiz) or "term" and "symbol" and "term_kind" (predict), "box", "due"};
    "predictions": {term kind: {"asked", "right"}}}. Days are YYYY-MM-DD.
    """
    day = day or today()

    def card(r: Review) -> dict[str, Any]:
        out = {"id": r.key, "kind": r.kind, "lesson": r.lesson, "page": r.page, "box": r.box, "due": r.due.isoformat()}
        if r.kind == "predict":
            out |= {"term": r.term, "symbol": r.symbol, "term_kind": r.term_kind}
        else:
            out["question"] = r.question
        return out

    cards = progress.reviews()
    upcoming = progress.next_due(day)
    return {
        "today": day.isoformat(),
        "due_today": sum(r.due <= day for r in cards),
        "next_due": upcoming.isoformat() if upcoming else None,
        "due": [card(r) for r in cards if r.due <= day],
        "scheduled": [card(r) for r in cards],
        "predictions": {kind: {"asked": a, "right": r} for kind, (a, r) in sorted(progress.predictions().items())},
    }


def _quiz_card(lesson_id: str, page: int, question: int) -> str:
    return f"quiz:{lesson_id}:{page}:{question}"


def _review(key: str, card: dict[str, Any]) -> Review:
    return Review(
        key,
        card.get("kind", "quiz"),
        card.get("lesson", ""),
        card.get("page", 0),
        card.get("box", 1),
        date.fromisoformat(card["due"]),
        card.get("question"),
        card.get("term"),
        card.get("symbol", ""),
        card.get("term_kind", ""),
    )


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """A record of an earlier version, in this version's shape (in place): nothing is dropped.

    Version 1 had no review schedule: its questions keep their scores, and enter the schedule the next
    time they are answered.
    """
    data.setdefault("lessons", {})
    data.setdefault("last", None)
    data["version"] = VERSION
    return data


def merge_learning(current: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    """The `reviews` and `predictions` of two records merged, for a record brought back (idempotent, nothing lost).

    A card on both sides: the one reviewed later (`seen`), the current one on a tie; prediction counts:
    the larger of each. Returns {"reviews": ..., "predictions": ...} to set on the merged record.
    """
    reviews = dict(incoming.get("reviews", {}))
    for key, card in current.get("reviews", {}).items():
        other = reviews.get(key)
        later = card if other is None or card.get("seen", "") >= other.get("seen", "") else other
        reviews[key] = later if other is None else _keep_right_days(later, card, other)
    predictions = {k: dict(v) for k, v in incoming.get("predictions", {}).items()}
    for kind, counts in current.get("predictions", {}).items():
        mine = predictions.setdefault(kind, {})
        for name, count in counts.items():
            mine[name] = max(count, mine.get(name, 0))
    return {"reviews": reviews, "predictions": predictions}


# -- two processes, one folder ------------------------------------------------------------------


def merge(base: Any, ours: Any, disk: Any) -> Any:
    """Three-way merge of the record: what we changed since `base` over what is on disk, nothing dropped.

    Where only one side changed something, its value is taken. Where both did: tables are merged
    key by key; a question's or quiz's `attempts` (and a term kind's predictions `asked` and `right`)
    add both sides' new ones, `best` is the larger, `done`/`mastered` stay true, `pages_done` is the
    union, `first_right` the earlier and `last_right` the later day; a review card is the one
    reviewed later (`seen`); anything else (the place, a step, a pattern, an answer, `last`) is
    ours, the newest, since we are saving now.
    """
    return _merge3(base, ours, disk, None)


_MISSING = object()


def _merge3(base: Any, ours: Any, disk: Any, key: str | None) -> Any:
    if disk is None and key is None:
        return ours  # nothing readable on disk
    if _same(ours, base):
        return disk
    if _same(disk, base) or disk is _MISSING:
        return ours
    if ours is _MISSING:
        return disk  # we removed it, the other process changed it: keep theirs
    if key == "card" and isinstance(ours, dict) and isinstance(disk, dict):
        later = disk if str(disk.get("seen", "")) > str(ours.get("seen", "")) else ours  # the later review wins
        return _keep_right_days(later, ours, disk)
    if isinstance(ours, dict) and isinstance(disk, dict):
        old = base if isinstance(base, dict) else {}
        out = {}
        for k in [*ours, *(k for k in disk if k not in ours)]:
            inner = "card" if key == "reviews" else k  # a review card is merged whole, not field by field
            value = _merge3(old.get(k, _MISSING), ours.get(k, _MISSING), disk.get(k, _MISSING), inner)
            if value is not _MISSING:
                out[k] = value
        return out
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (ours, disk))
    if key in ("attempts", "asked", "right", "wrong", "slips") and numbers:
        before = base if isinstance(base, int) and not isinstance(base, bool) else 0
        return max(ours, disk, ours + disk - before)
    if key == "best" and numbers:
        return max(ours, disk)
    if key in ("done", "mastered") and isinstance(ours, bool) and isinstance(disk, bool):
        return ours or disk
    if key == "pages_done" and isinstance(ours, list) and isinstance(disk, list):
        return sorted(set(ours) | set(disk))
    return ours


def _keep_right_days(card: dict, a: dict, b: dict) -> dict:
    """`card` with the earliest `first_right` and the latest `last_right` of the two sides (mastery keeps both)."""
    days = {k: [str(side[k]) for side in (a, b) if k in side] for k in ("first_right", "last_right")}
    out = dict(card)
    if days["first_right"]:
        out["first_right"] = min(days["first_right"])
    if days["last_right"]:
        out["last_right"] = max(days["last_right"])
    return out


def _same(a: Any, b: Any) -> bool:
    return a is b or (a is not _MISSING and b is not _MISSING and type(a) is type(b) and a == b)


def _read_quietly(path: Path) -> Any:
    """What is on disk now, if it is a record this version reads; None otherwise (ours is then written)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        _check(data)
    except Exception:  # absent, damaged, unreadable: nothing to merge
        return None
    return migrate(data) if data.get("version") <= VERSION else None


@contextlib.contextmanager
def file_lock(path: Path):
    """Hold an exclusive lock on `path.lock` (fcntl.flock; no lock where the system has none)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_stale_temps(path: Path) -> None:
    """Remove the temporary files of saves that were killed (ours only, and only old ones, under the lock)."""
    temps = list(path.parent.glob(f".{path.name}.*.tmp")) if path.parent.is_dir() else []
    if not temps:
        return
    with contextlib.suppress(OSError), file_lock(path):
        now = time.time()
        for temp in temps:
            with contextlib.suppress(OSError):
                if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                    temp.unlink()


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader sees the old content or the new, never a mix."""
    import tempfile  # only when saving: keeps start-up light

    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable, where the system allows it
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


# -- the shape of the file ------------------------------------------------------------------


def _reason(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"not valid JSON at line {err.lineno}"
    if isinstance(err, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(err, RecursionError):
        return "nested too deeply to read"
    if isinstance(err, ValueError) and not isinstance(err, Damaged):
        return "a number too long to read"  # int() refuses more than 4,300 digits
    if not isinstance(err, Damaged):
        return f"unreadable ({type(err).__name__})"
    return str(err)


def _page_table(c: Checks, value: Any, what: str) -> dict:
    c.require(isinstance(value, dict), f"{what} is not an object")
    for key in value:
        c.require(key.isascii() and key.isdigit(), f"{what} has a key {key!r} that is not a page number")
    return value


def _check(data: Any) -> None:
    """Raise Damaged, naming the first thing that is not as this module writes it."""
    c = Checks(stop=Damaged)
    c.require(isinstance(data, dict), "not a JSON object")
    c.require(is_whole(data.get("version"), 1), "no valid 'version'")
    if data["version"] > VERSION:
        return  # a newer format: left alone, not judged
    lessons = data.get("lessons", {})
    c.require(isinstance(lessons, dict), "'lessons' is not an object")
    last = data.get("last")
    if last is not None:
        c.require(
            isinstance(last, dict)
            and isinstance(last.get("lesson"), str)
            and is_whole(last.get("page"), 0)
            and (last.get("step") is None or is_whole(last["step"], 0)),
            "'last' is not a place (lesson, page, step)",
        )
    _check_learning(c, data)
    for lesson_id, entry in lessons.items():
        what = f"lesson {lesson_id!r}"
        c.require(isinstance(entry, dict), f"{what} is not an object")
        c.require(is_whole(entry.get("page", 0), 0), f"{what}: 'page' is not a page number")
        c.require(isinstance(entry.get("done", False), bool), f"{what}: 'done' is not true or false")
        done = entry.get("pages_done", [])
        c.require(isinstance(done, list) and all(is_whole(p, 0) for p in done), f"{what}: 'pages_done' is not a list")
        steps = _page_table(c, entry.get("steps", {}), f"{what}: 'steps'")
        c.require(all(is_whole(s, 0) for s in steps.values()), f"{what}: a step is not a whole number")
        fades = _page_table(c, entry.get("fades", {}), f"{what}: 'fades'")
        c.require(all(is_whole(v, 0) for v in fades.values()), f"{what}: a faded page's visits are not a whole number")
        patterns = _page_table(c, entry.get("patterns", {}), f"{what}: 'patterns'")
        c.require(all(is_whole(p, 0) for p in patterns.values()), f"{what}: a pattern is not a whole number")
        for page, quiz in _page_table(c, entry.get("quizzes", {}), f"{what}: 'quizzes'").items():
            where = f"{what}, quiz on page {page}"
            c.require(isinstance(quiz, dict), f"{where} is not an object")
            c.require(
                is_score(quiz.get("best", 0))
                and is_score(quiz.get("last", 0))
                and is_whole(quiz.get("attempts", 0), 0)
                and isinstance(quiz.get("mastered", False), bool),
                f"{where} has a wrong score, attempts or mastered",
            )
            for answer in _page_table(c, quiz.get("current", {}), f"{where}: 'current'").values():
                c.require(
                    isinstance(answer, dict)
                    and isinstance(answer.get("given"), str)
                    and (answer.get("seed") is None or is_whole(answer["seed"], 0))
                    and is_whole(answer.get("hints"), 0)
                    and is_score(answer.get("score")),
                    f"{where} has a current answer that is not an answer (given, seed, hints, score)",
                )
            for question in _page_table(c, quiz.get("questions", {}), f"{where}: 'questions'").values():
                c.require(
                    isinstance(question, dict)
                    and is_score(question.get("best", 0))
                    and is_score(question.get("last", 0))
                    and is_whole(question.get("attempts", 0), 0),
                    f"{where} has a question with a wrong score or attempts",
                )


def _is_day(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        return False


def _check_learning(c: Checks, data: dict) -> None:
    """The review schedule and the prediction counts (version 2)."""
    reviews = data.get("reviews", {})
    c.require(isinstance(reviews, dict), "'reviews' is not an object")
    for key, card in reviews.items():
        c.require(
            isinstance(card, dict)
            and is_whole(card.get("box"), 1)
            and card["box"] <= len(INTERVALS)
            and _is_day(card.get("due"))
            and all(_is_day(card.get(k, "2000-01-01")) for k in ("seen", "first_right", "last_right"))
            and isinstance(card.get("lesson", ""), str)
            and is_whole(card.get("page", 0), 0)
            and (card.get("question") is None or is_whole(card["question"], 0))
            and all(isinstance(card.get(k, ""), str) for k in ("kind", "term", "symbol", "term_kind")),
            f"review {key!r} is not a review card (box 1 to {len(INTERVALS)}, due day, lesson, page)",
        )
    c.require(isinstance(data.get("settings", {}), dict), "'settings' is not an object")
    predictions = data.get("predictions", {})
    c.require(isinstance(predictions, dict), "'predictions' is not an object")
    for kind, counts in predictions.items():
        c.require(
            isinstance(counts, dict) and all(is_whole(v, 0) for v in counts.values()),
            f"predictions of {kind!r} are not counts",
        )
