"""Every kind of lesson page and quiz question, by the name a lesson file gives it (`kind = "trace"`).

One module a kind (pages/, questions/): the dataclass of what its table holds, with its keys, how it
reads them (`parse`), checks them against its networks (`check`) and, for a question, how it is asked
(`item`) and judged (`judge`). Lesson parsing, checking and the quiz look a kind up here instead of
branching on its name. A page kind's view is a screen (tutor.screens.lesson.screen.PAGE_VIEWS), as the
layers below the screens may not import them. docs/architecture.md lists what to edit to add a kind.
"""

from __future__ import annotations

from tutor.kinds.pages.clusters import ClustersPage
from tutor.kinds.pages.descent import DescentPage
from tutor.kinds.pages.quiz import QuizPage
from tutor.kinds.pages.square import SquarePage
from tutor.kinds.pages.text import TextPage
from tutor.kinds.pages.trace import TracePage
from tutor.kinds.pages.train import TrainPage
from tutor.kinds.pages.unroll import UnrollPage
from tutor.kinds.questions.chain import ChainQuestion
from tutor.kinds.questions.choice import MultipleChoiceQuestion
from tutor.kinds.questions.numeric import NumericQuestion, Randomize
from tutor.kinds.questions.symbolic import SymbolicQuestion, expression_problem
from tutor.kinds.questions.true_false import TrueFalseQuestion

PAGES = {
    page.kind: page
    for page in (TextPage, TracePage, UnrollPage, TrainPage, QuizPage, DescentPage, ClustersPage, SquarePage)
}
QUESTIONS = {
    question.kind: question
    for question in (MultipleChoiceQuestion, TrueFalseQuestion, SymbolicQuestion, NumericQuestion, ChainQuestion)
}
PAGE_KINDS = tuple(PAGES)
QUESTION_KINDS = tuple(QUESTIONS)

__all__ = [
    "PAGES",
    "PAGE_KINDS",
    "QUESTIONS",
    "QUESTION_KINDS",
    "ChainQuestion",
    "ClustersPage",
    "DescentPage",
    "MultipleChoiceQuestion",
    "NumericQuestion",
    "QuizPage",
    "Randomize",
    "SquarePage",
    "SymbolicQuestion",
    "TextPage",
    "TracePage",
    "TrainPage",
    "TrueFalseQuestion",
    "UnrollPage",
    "expression_problem",
]
