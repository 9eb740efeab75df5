"""Lessons as typed objects: a Lesson is an ordered list of pages; a quiz page holds questions.

Everything here is plain data read from a lesson file (see docs/lessons.md); treat it as
read-only. Nothing imports NumPy: networks are named (`NetworkRef`) and only loaded when a page
needs them. (The classes are not frozen only because frozen dataclasses take twice as long to
create, and this module is imported while the app starts.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from engine.tomlfile import Locator, Problem

PAGE_KINDS = ("text", "trace", "unroll", "train", "quiz")
QUESTION_KINDS = ("multiple_choice", "true_false", "symbolic", "numeric", "chain")
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
    kind: ClassVar[str]
    index: int  # from 0, in the lesson's order
    title: str
    text: str = ""  # Markdown, math in Unicode
    origin: Origin


@dataclass(kw_only=True)
class TextPage(Page):
    kind: ClassVar[str] = "text"


@dataclass(kw_only=True)
class TracePage(Page):
    """Step a feed-forward network through forward, backward and update on one pattern."""

    kind: ClassVar[str] = "trace"
    network: NetworkRef
    pattern: int = 0
    focus: str | None = None  # a weight, "hidden[0][1]" or "output_bias[0]": expand its chain of factors
    predict: bool | tuple[str, ...] = False  # ask before revealing: every term (True) or terms of these kinds
    fade: bool = False  # a faded worked example: each visit asks more of the backward pass (tutor/fading.py)


@dataclass(kw_only=True)
class UnrollPage(Page):
    """The same for a recurrent network, laid out in time over one sequence (its first MAX_TRACE_STEPS)."""

    kind: ClassVar[str] = "unroll"
    network: NetworkRef
    sequence: int = 0
    focus: str | None = None
    predict: bool | tuple[str, ...] = False
    fade: bool = False


@dataclass(kw_only=True)
class TrainPage(Page):
    """Watch a network learn: train it epoch by epoch, with its loss curve and what its units compute."""

    kind: ClassVar[str] = "train"
    network: NetworkRef
    epochs: int | None = None  # per run; None: the network file's training.epochs
    ecrit: float | None = None  # stop a run below this summed loss; None: the network file's
    surface_span: tuple[float, float] | None = None  # the decision surface's square; None: [−0.5, 1.5]²


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
    kind: ClassVar[str]
    index: int  # from 0, within its quiz page
    prompt: str
    explanation: str = ""  # shown after answering
    hints: tuple[str, ...] = ()  # shown one at a time, on demand
    origin: Origin


@dataclass(kw_only=True)
class MultipleChoiceQuestion(Question):
    kind: ClassVar[str] = "multiple_choice"
    choices: tuple[str, ...]
    answer: int  # index of the right choice, from 0 (the file writes its letter: "a", "b", ...)

    @property
    def answer_letter(self) -> str:
        return "abcdefghijklmnopqrstuvwxyz"[self.answer]


@dataclass(kw_only=True)
class TrueFalseQuestion(Question):
    kind: ClassVar[str] = "true_false"
    answer: bool


@dataclass(kw_only=True)
class SymbolicQuestion(Question):
    """The learner types an expression; right when it equals `answer` mathematically."""

    kind: ClassVar[str] = "symbolic"
    answer: str
    variables: tuple[str, ...]  # the names an answer may use
    definitions: dict[str, str] = field(default_factory=dict)  # e.g. {"a": "σ(n)"}


@dataclass
class Randomize:
    """What a numeric question draws afresh each time it is asked."""

    weights: bool = True  # draw every weight and bias ...
    weight_range: float | None = None  # ... uniformly from ±this (None: the network's training.weight_range)
    inputs: tuple[float, float] | None = None  # draw the pattern's inputs uniformly from [low, high]
    targets: tuple[float, float] | None = None  # likewise its targets
    decimals: int = 2  # drawn values are rounded, so they can be worked by hand


@dataclass(kw_only=True)
class NumericQuestion(Question):
    """Compute one term of the trace (by id, e.g. "dE/dw.hidden.0.0") from freshly drawn numbers."""

    kind: ClassVar[str] = "numeric"
    network: NetworkRef
    term: str
    pattern: int = 0  # the sequence, for a recurrent network
    randomize: Randomize = field(default_factory=Randomize)
    digits: int = 3  # significant digits the answer must match (tutor.lessons.networks.draw_network draws it)


@dataclass(kw_only=True)
class ChainQuestion(Question):
    """Pick, in order, the factors whose product is ∂E/∂w for `weight`."""

    kind: ClassVar[str] = "chain"
    network: NetworkRef
    weight: str
    pattern: int = 0


@dataclass(kw_only=True)
class QuizPage(Page):
    kind: ClassVar[str] = "quiz"
    questions: tuple[Question, ...]
    pass_mark: float = 0.8  # the share of the points that counts as mastering this quiz


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

    def sort_key(self) -> tuple:
        return (self.order is None, self.order or 0, self.id)


@dataclass
class Found:
    """The lessons that loaded, in list order, and every problem met while looking for them."""

    lessons: list[Lesson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)
