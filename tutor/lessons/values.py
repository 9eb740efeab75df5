"""The numbers a lesson's text quotes: how precisely a quote claims a value, and finding every one.

A lesson declares each decimal number its text writes in a `[[values]]` table, with the place the
engine computes it (see docs/lessons.md). Two checks keep the text honest:

- **Agreement** (deep, in `tutor.lessons.networks.check_values`): the engine's value, rounded to
  as many decimals as the quote is written with, is the quote. ".130137" claims 6 decimals and
  "0.5" one; "2.74e−4" claims 6 (two in the mantissa, four from the exponent). A sign is part of
  the quote, written "−" (U+2212) or "-".
- **Coverage** (`undeclared_numbers`): every decimal number written in the lesson's text (titles,
  summary, page text, question prompts, choices, explanations and hints) is declared. Whole
  numbers ("2 hidden units", "600 epochs") are exempt. A minus written right against a number
  ("−.46", "(−0.46)") is its sign; a minus with a space after it, or right after a digit, letter
  or closing bracket, is a subtraction ("1 − .539992"). A text number and a quote match when
  they are the same number written to the same precision (".50" and "0.50" match; ".5" and
  ".50" do not).

Nothing here imports NumPy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from engine.tomlfile import Problem
from tutor.lessons.model import Lesson, Origin, ValueCheck

MINUSES = "−-"  # U+2212 and the ASCII hyphen-minus (last, so it is literal in a [class])

# A decimal number in running text: a point and at least one digit after it, optionally an
# exponent ("2.74e−4"). Not part of a longer token ("x1.5", "1.2.3", "v0.5a").
NUMBER_IN_TEXT = re.compile(
    rf"(?<![\w.])(?P<sign>[{MINUSES}](?=[\d.]))?(?P<body>\d*\.\d+(?:e[+{MINUSES}]?\d+)?)(?![\w]|\.\d)"
)
# What may stand right before a minus that is a subtraction, not a sign.
_OPERAND_END = re.compile(r"[\w)\]}′'|]")


def _plain(text: str) -> str:
    """The quote with an ASCII minus, no spaces, no plus sign."""
    text = text.strip().replace("−", "-")
    return text[1:] if text.startswith("+") else text


def quote_decimal(text: str) -> Decimal:
    """The quote as an exact decimal that remembers its precision: '.50' → Decimal('0.50')."""
    try:
        return Decimal(_plain(text))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


def quote_decimals(text: str) -> int:
    """How many decimals the quote is written with: '.130137' → 6, '0.5' → 1, '2' → 0, '2.74e−4' → 6."""
    return max(-quote_decimal(text).as_tuple().exponent, 0)


def quote_key(text: str) -> tuple:
    """Same key, same number written to the same precision ('.5' and '0.5'; not '.5' and '.50')."""
    sign, digits, exponent = quote_decimal(text).as_tuple()
    digits = tuple(digits)
    while len(digits) > 1 and digits[0] == 0:
        digits = digits[1:]
    return (sign if any(digits) else 0, digits, exponent)


def agrees(quote: str, value: float) -> bool:
    """Whether `value`, rounded to the quote's decimals, is the quote.

    The quote stands for every number within half a unit of its last digit: ".130137" for
    [.1301365, .1301375]. (A value exactly on the boundary is accepted either way, since the
    engine's floating point cannot say which side it is on.)
    """
    decimals = quote_decimals(quote)
    target = float(quote_decimal(quote))
    half = 0.5 * 10.0**-decimals
    return abs(value - target) <= half * (1 + 1e-9) + 1e-15 * max(1.0, abs(value))


def written_like(quote: str, value: float) -> str:
    """`value` written the way `quote` is: same decimals, same minus, leading zero or not."""
    plain = _plain(quote)
    minus = "−" if "−" in quote or "-" not in quote else "-"
    if "e" in plain.lower():
        mantissa = plain.lower().split("e")[0].lstrip("-")
        places = len(mantissa.split(".")[1]) if "." in mantissa else 0
        text = f"{abs(value):.{places}e}"
        head, _, power = text.partition("e")
        text = f"{head}e{int(power)}".replace("e-", "e" + minus)
    else:
        text = f"{abs(value):.{quote_decimals(quote)}f}"
        if plain.lstrip("-").startswith(".") and text.startswith("0."):
            text = text[1:]
    negative = value < 0 and float(text.replace("−", "-").replace("e" + minus, "e-")) != 0
    return (minus if negative else "") + text


@dataclass(frozen=True)
class WrittenNumber:
    """A decimal number as it stands in a lesson's text."""

    text: str  # with its sign, as written: "−.460008"
    origin: Origin  # the page or question (or the lesson's head) whose text holds it
    keys: tuple[str | int, ...]  # the key of that text inside its table: ("text",), ("choices", 2)

    def line(self) -> int | None:
        """The line of the file the number is written on (the key's line if it cannot be found)."""
        first = self.origin.line(*self.keys)
        if first is None:
            return None
        try:
            lines = Path(self.origin.file).read_text(encoding="utf-8").splitlines()
        except OSError:
            return first
        body = self.text.lstrip(MINUSES)
        for number in range(first, len(lines) + 1):
            if any(m.group("body") == body for m in NUMBER_IN_TEXT.finditer(lines[number - 1])):
                return number
        return first


def numbers_in(text: str) -> Iterator[tuple[str, int]]:
    """Every decimal number written in `text`, with its sign when the minus is its sign, and its offset."""
    for match in NUMBER_IN_TEXT.finditer(text):
        sign = match.group("sign") or ""
        start = match.start()
        if sign and start > 0 and _OPERAND_END.match(text[start - 1]):
            sign, start = "", match.start("body")  # "2−.5": a subtraction
        yield sign + match.group("body"), start


def lesson_texts(lesson: Lesson) -> Iterator[tuple[Origin, tuple[str | int, ...], str]]:
    """Every text of the lesson that a learner reads: (its table, its key, the text)."""
    if lesson.origin is not None:
        yield lesson.origin, ("title",), lesson.title
        yield lesson.origin, ("summary",), lesson.summary
    for page in lesson.pages:
        yield page.origin, ("title",), page.title
        if page.text:
            yield page.origin, ("text",), page.text
        for question in page.asks():
            yield question.origin, ("prompt",), question.prompt
            for index, choice in enumerate(getattr(question, "choices", ())):
                yield question.origin, ("choices", index), choice
            if question.explanation:
                yield question.origin, ("explanation",), question.explanation
            for index, hint in enumerate(question.hints):
                yield question.origin, ("hint", index) if len(question.hints) > 1 else ("hint",), hint


def written_numbers(lesson: Lesson) -> list[WrittenNumber]:
    """Every decimal number the lesson's text writes, in the order of the file."""
    return [
        WrittenNumber(number, origin, keys)
        for origin, keys, text in lesson_texts(lesson)
        for number, _ in numbers_in(text)
    ]


def undeclared_numbers(lesson: Lesson) -> list[Problem]:
    """Decimal numbers the text writes that no `[[values]]` declares, and declarations no text writes."""
    declared: dict[tuple, ValueCheck] = {}
    for check in lesson.values:
        try:
            declared.setdefault(quote_key(check.quote), check)
        except ValueError:
            continue  # reported when the file was read
    problems, used = [], set()
    for number in written_numbers(lesson):
        key = quote_key(number.text)
        if key in declared:
            used.add(key)
            continue
        hint = _near_miss(number.text, declared)
        problems.append(
            Problem(
                number.origin.file,
                number.line(),
                f"the text writes {number.text}, but no [[values]] table declares it{hint}: add one with "
                f'quote = "{number.text}" and where the engine computes it',
            )
        )
    for key, check in declared.items():
        if key not in used:
            problems.append(
                check.origin.problem(f'value "{check.quote}" is declared, but no text of the lesson writes it', "quote")
            )
    return sorted(problems, key=lambda problem: problem.line or 0)


def _near_miss(text: str, declared: dict[tuple, ValueCheck]) -> str:
    """' (… is declared with its sign)' when the number is declared with another sign or precision."""
    body = text.lstrip(MINUSES)
    for check in declared.values():
        if check.quote.lstrip(MINUSES) == body:
            return f' ("{check.quote}" is, with {"a" if check.quote[0] in MINUSES else "no"} minus sign)'
        try:
            same = quote_decimal(check.quote).copy_abs() == quote_decimal(body)
        except ValueError:
            continue
        if same:
            return f' ("{check.quote}" is, written differently)'
    return ""
