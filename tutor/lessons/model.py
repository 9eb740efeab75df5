"""Lessons as typed objects: a Lesson is an ordered list of pages; a quiz page holds questions.

Everything here is plain data read from a lesson file (see docs/lessons.md); treat it as
read-only. Nothing imports NumPy: networks are named (`NetworkRef`) and only loaded when a page
needs them. (The classes are not frozen only because frozen dataclasses take twice as long to
create, and this module is imported while the app starts.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from engine.tomlfile import Locator, Problem

# The keys every page's table, every page naming a network and every question's table may have; each
# kind (tutor/kinds/) adds its own.
PAGE_COMMON = ("kind", "title", "text")
NETWORK_KEYS = ("network", "notation", "start")
QUESTION_COMMON = ("kind", "prompt", "explanation", "hint")
LETTERS = "abcdefghijklmnopqrstuvwxyz"  # a multiple-choice question's choices, in the order written
# The kinds of trace term a page may ask the learner to predict (`predict = ["dE_dn", "dE_dw"]`; docs/lessons.md).
PREDICT_KINDS = (
    "net_input",
    "activation",
    "loss",
    "dE_da",
    "da_dn",
    "dE_dn",
    "dE_dw",
    "dE_db",
    "delta_w",
    "new_w",
    "context",
    "dE_da_back_in_time",
    "dE_dw_source",
    "factor",
    "chain_product",
    "chain_sum",
)


@dataclass
class Origin:
    """Where something was written: the lesson file and the key path of its table."""

    file: str
    path: tuple[str | int, ...]
    where: Locator = field(repr=False, compare=False)

    def line(self, *keys: str | int) -> int | None:
        return self.where.line(*self.path, *keys)

    def problem(self, message: str, *keys: str | int) -> Problem:
        """A problem on the line of `keys` inside this table (or of the table itself)."""
        return Problem(self.file, self.line(*keys), message)


@dataclass
class Start:
    """Starting values that replace the network file's own (`[pages.start]`)."""

    weights: dict[str, Any] = field(default_factory=dict)  # name -> nested lists, as in [weights]
    learning_rate: float | None = None
    momentum: float | None = None
    seed: int | None = None  # draws the weights that neither the file nor `weights` give
    initial_context: float | None = None  # recurrent networks only
    bptt_steps: int | None = None  # recurrent networks only


@dataclass
class NetworkRef:
    """A network file named by a page or question, with the values it starts from."""

    name: str  # as written in the lesson
    file: Path  # where it was found
    start: Start
    notation: str | None  # engine/notation.toml key; None: the default
    origin: Origin  # the table that names the network (tutor.lessons.networks.load_ref loads it)


@dataclass(kw_only=True)
class Page:
    """One page of a lesson. Each kind is a subclass in tutor/kinds/pages/, registered in tutor.kinds: it says
    which keys its table takes, reads them (`parse`) and checks them against its networks (`check`)."""

    kind: ClassVar[str]
    keys: ClassVar[tuple[str, ...]]  # the keys its [[pages]] table may have
    text_required: ClassVar[bool] = False
    index: int  # from 0, in the lesson's order
    title: str
    text: str = ""  # Markdown, math in Unicode
    origin: Origin

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> Page:
        """The page its table describes (`common`: index, title, text, origin), recording problems on `table`
        (tutor.lessons.parse.LessonReader and its _Table)."""
        return cls(**common)

    def check(self, networks: Any) -> list[Problem]:
        """The problems only its networks reveal (tutor.lessons.networks.Networks loads them)."""
        return []

    def asks(self) -> tuple[Question, ...]:
        """The questions the page asks (a quiz page's)."""
        return ()


@dataclass
class Goal:
    """A what-if goal of a trace or unroll page (`[pages.goal]`): bring one term of the trace above or below
    a number by changing at most `weights` weights (tutor/lessons/what_if.py checks it live)."""

    term: str  # a trace term id: "a.output.0", "E", "a.output.0@t3"
    above: float | None = None  # exactly one of above and below
    below: float | None = None
    weights: int | None = None  # at most this many weights changed; None: any number
    text: str = ""  # the goal in the lesson's words; empty: said from the other fields


@dataclass
class ValueCheck:
    """A number quoted in the lesson's text, with where the engine computes it (`[[values]]`).

    Exactly one source is given: `term` (a trace term id, after tracing `pattern`), `weight`
    (a weight's starting value, "hidden[0][1]"), `input` or `target` ([pattern, unit]), `setting`
    (learning_rate, momentum, weight_range, ecrit, initial_context), `total_loss` (the loss summed
    over every pattern), `erratum_of` (a trace term id: the number a slip in the lecture notes
    turned that term into; `slip` says which slip) or `mean_error` (a recurrent network's mean
    E_t over the positions of its test stream where one kind of item comes next, e.g.
    "xor-next"). With `train_epochs`, the network is trained that long first (from `start`).
    With `negate`, the text writes minus the source's value, as in e^(−.0039) or "x1 + x2 − 0.5"
    for a bias of −0.5. The quote must agree with the engine to
    as many decimals as it is written with (see tutor/lessons/values.py).
    """

    quote: str  # exactly as written in the text, e.g. ".130137"
    network: NetworkRef | None
    origin: Origin
    term: str | None = None
    pattern: int = 0  # or the sequence, for recurrent networks
    weight: str | None = None
    input: tuple[int, int] | None = None
    target: tuple[int, int] | None = None
    setting: str | None = None
    total_loss: bool = False
    erratum_of: str | None = None
    mean_error: str | None = None  # a kind of position of a recurrent network's test stream: its mean E_t
    slip: str = "sign"  # erratum_of only: the slip that produced the printed number
    negate: bool = False
    train_epochs: int | None = None

    @property
    def source(self) -> str:
        """The key that names where the value comes from."""
        for key in ("term", "weight", "input", "target", "setting", "erratum_of", "mean_error"):
            if getattr(self, key) is not None:
                return key
        return "total_loss"


@dataclass(kw_only=True)
class Question:
    """One question of a quiz page. Each kind is a subclass in tutor/kinds/questions/, registered in
    tutor.kinds: its keys, how it reads them, how it is checked, asked (`item`) and judged (`judge`)."""

    kind: ClassVar[str]
    keys: ClassVar[tuple[str, ...]]  # the keys its [[pages.questions]] table may have
    title: ClassVar[str]  # the kind's name above the question and in the review table
    answered_with: ClassVar[str] = "text"  # "text" typed, "choice" picked from a list, "factors" picked in order
    repeatable: ClassVar[bool] = False  # worth asking twice in one session (its numbers are drawn afresh)
    index: int  # from 0, within its quiz page
    prompt: str
    explanation: str = ""  # shown after answering
    hints: tuple[str, ...] = ()  # shown one at a time, on demand
    origin: Origin

    @classmethod
    def parse(cls, reader: Any, table: Any, common: dict[str, Any], notation: str | None) -> Question:
        """The question its table describes (`common`: index, prompt, explanation, hints, origin)."""
        raise NotImplementedError

    def check(self, networks: Any) -> list[Problem]:
        """The problems only its networks (or sympy) reveal."""
        return []

    def item(self, base: dict[str, Any], seed: int | None, shuffle: bool) -> Any:
        """The question as asked with this seed: a tutor.quiz.generate.Item made from `base` and its own fields."""
        raise NotImplementedError

    def judge(self, item: Any, given: Any) -> Any:
        """The tutor.quiz.check.Verdict on an answer to `item` (text, or the factors picked for a chain)."""
        raise NotImplementedError


@dataclass
class Lesson:
    id: str
    title: str
    summary: str
    order: int | None  # position in the lesson list; None: after every lesson that has one
    pages: tuple[Page, ...]
    file: Path
    notation: str | None = None  # the default for the lesson's pages
    origin: Origin | None = field(default=None, repr=False, compare=False)
    values: tuple[ValueCheck, ...] = ()  # the numbers its text quotes, and where they come from
    networks: tuple[Path, ...] = field(default=(), repr=False, compare=False)  # the network files it names

    def sort_key(self) -> tuple:
        return (self.order is None, self.order or 0, self.id)

    def outline(self) -> Outline:
        """What the lesson list shows of it (the lesson cache, tutor/lessons/cache.py, keeps it between runs)."""
        quizzes = [page for page in self.pages if page.asks()]
        counts = {page.index: len(page.questions) for page in quizzes}
        total = sum(counts.values())
        pass_mark = sum(page.pass_mark * len(page.questions) for page in quizzes) / total if total else None
        return Outline(
            self.id,
            self.title,
            self.summary,
            self.order,
            self.notation,
            tuple(page.title for page in self.pages),
            counts,
            pass_mark,
            tuple(str(file) for file in self.networks),
        )


@dataclass
class Outline:
    """A lesson as the lesson list shows it, without its pages: titles, page count and quiz size."""

    id: str
    title: str
    summary: str
    order: int | None
    notation: str | None
    page_titles: tuple[str, ...]
    quiz: dict[int, int]  # questions per quiz page, by page index
    pass_mark: float | None  # the quiz pages' pass marks weighted by question; None: no questions
    networks: tuple[str, ...]  # the network files its pages name (a listing checks they are still there)


class LazyLesson(Lesson):
    """A lesson listed from its outline (kept from an earlier run): its pages and values are read from the
    file's data the first time something asks for them, by `build` (which raises FileProblems as a listing would).

    It equals, sorts and reads as the Lesson `build` returns; only the lesson list's questions (`outline`) are
    answered without building it.
    """

    def __init__(self, outline: Outline, file: Path, origin: Origin, build: Callable[[], Lesson]):
        self.id, self.title, self.summary = outline.id, outline.title, outline.summary
        self.order, self.notation = outline.order, outline.notation
        self.file, self.origin = file, origin
        self._outline, self._build, self._built = outline, build, None

    def built(self) -> Lesson:
        if self._built is None:
            self._built = self._build()
        return self._built

    @property
    def pages(self) -> tuple[Page, ...]:
        return self.built().pages

    @property
    def values(self) -> tuple[ValueCheck, ...]:
        return self.built().values

    @property
    def networks(self) -> tuple[Path, ...]:
        return self.built().networks

    def outline(self) -> Outline:
        return self._outline

    def __eq__(self, other: object) -> bool:
        return self.built() == other

    __hash__ = None  # as a Lesson's (a dataclass with eq)


@dataclass
class Found:
    """The lessons that loaded, in list order, and every problem met while looking for them."""

    lessons: list[Lesson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)
