"""Read a lesson file's tables into typed objects, collecting every problem with its line.

This is the shallow check: keys, types, kinds, ranges, and that named network files exist. It
never imports NumPy or builds a network (the home screen lists lessons with it); the checks that
need a network are in `tutor.lessons.networks`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from engine.checks import Checks, is_number, is_whole
from engine.tomlfile import Locator, Problem
from tutor.lessons.files import find_network, leaves_lesson_folder, links_out, network_folders
from tutor.lessons.model import (
    NETWORK_KEYS,
    PREDICT_KINDS,
    Lesson,
    NetworkRef,
    Origin,
    Page,
    Question,
    Start,
    ValueCheck,
)
from tutor.lessons.wording import show, suggest

QUOTED_NUMBER = re.compile(r"^[−-]?(\d+\.?\d*|\.\d+)(e[−-]?\d+)?$")
LESSON_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WEIGHT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\[\d+\]){1,2}$")

TOP_KEYS = ("lesson", "pages", "values")
LESSON_KEYS = ("id", "title", "summary", "order", "notation")
VALUE_SOURCES = ("term", "weight", "input", "target", "setting", "total_loss", "erratum_of", "mean_error")
VALUE_KEYS = ("quote", *NETWORK_KEYS, *VALUE_SOURCES, "slip", "negate", "pattern", "sequence", "train_epochs")
SETTINGS = ("learning_rate", "momentum", "initial_context", "ecrit", "weight_range")
SLIPS = ("sign",)  # erratum_of: the error derivative's minus sign dropped (see tutor/lessons/values.py)
START_KEYS = ("weights", "learning_rate", "momentum", "seed", "initial_context", "bptt_steps")


class _Table:
    """One table of the lesson file: reads its values by key, recording each problem at its line."""

    def __init__(self, reader: LessonReader, path: tuple, raw: dict, what: str, prefix: str = ""):
        self.reader, self.path, self.raw, self.what, self.prefix = reader, path, raw, what, prefix
        self.origin = Origin(reader.file, path, reader.where)

    def problem(self, message: str, *keys: str | int) -> None:
        """Record a problem on the line of `keys` inside this table (or of the table itself)."""
        self.reader.problem((*self.path, *keys), message)

    def name(self, key: str) -> str:
        return f"'{self.prefix}{key}'"

    def unknown(
        self, allowed: tuple[str, ...], kinds: dict[str, tuple[str, ...]] | None = None, kind: str = "", noun: str = ""
    ) -> None:
        """Report keys not in `allowed`. For a page or question, `kinds` maps each of its kinds to its keys:
        a key that belongs to another kind gets a better hint than a typo does."""
        for key in self.raw:
            if key in allowed:
                continue
            homes = [other.replace("_", " ") for other, keys in (kinds or {}).items() if key in keys]
            if homes:
                this = f"a {kind.replace('_', ' ')} {noun}"
                self.problem(f"{this} has no '{key}' (it belongs to {' and '.join(homes)} {noun}s)", key)
            else:
                self.problem(f"unknown key {self.name(key)} in {self.what} ({suggest(key, allowed)})", key)

    def missing(self, key: str) -> None:
        self.problem(f"{self.what} has no '{self.prefix}{key}'")

    def text(self, key: str, required: bool = False, one_line: bool = False) -> str | None:
        if key not in self.raw:
            if required:
                self.missing(key)
            return None
        value = self.raw[key]
        if not isinstance(value, str):
            self.problem(f"{self.name(key)} should be text (in quotes), got {show(value)}", key)
            return None
        if not value.strip():
            self.problem(f"{self.name(key)} is empty", key)
            return None
        if one_line and "\n" in value.strip():
            self.problem(f"{self.name(key)} should be a single line", key)
            return None
        return value.strip() if one_line else value.strip("\n")

    def flag(self, key: str) -> bool:
        """A true/false key: its value, or False when absent (or not a boolean, reported)."""
        value = self.raw.get(key, False)
        if isinstance(value, bool):
            return value
        self.problem(f"{self.name(key)} should be true or false, got {show(value)}", key)
        return False

    def whole(self, key: str, low: int | None = None, high: int | None = None) -> int | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not is_whole(value):
            self.problem(f"{self.name(key)} should be a whole number, got {show(value)}", key)
            return None
        if low is not None and value < low:
            self.problem(f"{self.name(key)} should be at least {low}, got {value}", key)
            return None
        if high is not None and value > high:
            self.problem(f"{self.name(key)} should be at most {high}, got {value}", key)
            return None
        return value

    def number(
        self,
        key: str,
        low: float | None = None,
        high: float | None = None,
        above_low: bool = False,
        below_high: bool = False,
    ) -> float | None:
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not is_number(value):
            self.problem(f"{self.name(key)} should be a number, got {show(value)}", key)
            return None
        if low is not None and (value <= low if above_low else value < low):
            self.problem(f"{self.name(key)} should be {'above' if above_low else 'at least'} {low:g}, got {value}", key)
            return None
        if high is not None and (value >= high if below_high else value > high):
            self.problem(
                f"{self.name(key)} should be {'below' if below_high else 'at most'} {high:g}, got {value}", key
            )
            return None
        return float(value)

    def sub(self, key: str, what: str, prefix: str | None = None) -> _Table | None:
        """The table under `key`, or None (with a problem if it is there but not a table)."""
        if key not in self.raw:
            return None
        value = self.raw[key]
        if not isinstance(value, dict):
            self.problem(f"{self.name(key)} should be a table, got {show(value)}", key)
            return None
        return _Table(self.reader, (*self.path, key), value, what, f"{self.prefix}{key}." if prefix is None else prefix)

    def tables(self, key: str, what: str) -> list[dict] | None:
        """An array of tables ([[key]]), or None with a problem."""
        value = self.raw.get(key)
        if value is None:
            self.missing(key)
            return None
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(f"{self.name(key)} should be a list of [[{what}]] tables", key)
            return None
        if not value:
            self.problem(f"{self.name(key)} is empty", key)
            return None
        return value


class LessonReader(Checks):
    """Reads one parsed lesson file into a Lesson, collecting every problem on the way (engine.checks)."""

    def __init__(self, file: Path, where: Locator, located: dict | None = None):
        super().__init__(str(file), where)
        self.path = file
        self.pages: list[Page] = []  # every page that read cleanly enough to be checked further
        self.located: dict[tuple[Path, str], tuple[bool, Path | None]] = {} if located is None else located
        self.named: dict[Path, None] = {}  # every network file found, in the order named

    def lesson(self, data: dict) -> Lesson | None:
        top = _Table(self, (), data, "the file")
        top.unknown(TOP_KEYS)
        head = top.sub("lesson", "[lesson]", prefix="")
        if "lesson" not in data:
            top.problem("no [lesson] table: a lesson file starts with [lesson] and its id, title and summary")
        lesson_id = title = summary = order = notation = None
        if head is not None:
            head.unknown(LESSON_KEYS)
            lesson_id = head.text("id", required=True, one_line=True)
            if lesson_id is not None and not LESSON_ID.match(lesson_id):
                head.problem(
                    f"lesson id {show(lesson_id)} should be lowercase letters, digits and dashes, like 'chain-rule'",
                    "id",
                )
                lesson_id = None
            title = head.text("title", required=True, one_line=True)
            summary = head.text("summary", required=True, one_line=True)
            order = head.whole("order")
            notation = self.notation(head)
        self.pages = self.read_pages(top, notation)
        self.values = self.read_values(top, notation)
        self.problems.sort(key=lambda problem: problem.line or 0)  # in the order of the file
        if self.problems:
            return None
        return Lesson(
            lesson_id,
            title,
            summary,
            order,
            tuple(self.pages),
            self.path,
            notation,
            head.origin,
            tuple(self.values),
            tuple(self.named),
        )

    def read_values(self, top: _Table, notation: str | None) -> list[ValueCheck]:
        """`[[values]]`: the numbers the text quotes, each with the one place the engine computes it."""
        found = []
        raw = top.tables("values", "values") if "values" in top.raw else []
        for index, spec in enumerate(raw or []):
            table = _Table(self, ("values", index), spec, f"value {index + 1}")
            before = len(self.problems)
            table.unknown(VALUE_KEYS)
            quote = table.text("quote", required=True, one_line=True)
            if quote is not None and not QUOTED_NUMBER.match(quote.strip()):
                table.problem(
                    f"'quote' should be one number as the text writes it, like \".130137\", got {show(quote)}", "quote"
                )
            sources = [key for key in VALUE_SOURCES if key in spec]
            if len(sources) != 1:
                table.problem(f"give exactly one of: {', '.join(VALUE_SOURCES)} (got {len(sources)})")
            network = self.network(table, notation)
            pair = {key: self.unit_pair(table, key) for key in ("input", "target")}
            setting = table.text("setting", one_line=True)
            if setting is not None and setting not in SETTINGS:
                table.problem(f"unknown setting {show(setting)} ({suggest(setting, SETTINGS)})", "setting")
            total = table.flag("total_loss")
            if spec.get("total_loss") is False:
                table.problem("'total_loss = false' names no value: leave it out, or write true", "total_loss")
            negate = table.flag("negate")
            slip = table.text("slip", one_line=True)
            if slip is not None and "erratum_of" not in spec:
                table.problem("'slip' goes with 'erratum_of': it says which slip produced the printed number", "slip")
            elif slip is not None and slip not in SLIPS:
                table.problem(f"unknown slip {show(slip)} ({suggest(slip, SLIPS)})", "slip")
            check = ValueCheck(
                quote=(quote or "").strip(),
                network=network,
                origin=table.origin,
                term=table.text("term", one_line=True),
                pattern=self.pattern(table),
                weight=self.weight_name(table, "weight"),
                input=pair["input"],
                target=pair["target"],
                setting=setting,
                total_loss=total is True,
                erratum_of=table.text("erratum_of", one_line=True),
                mean_error=table.text("mean_error", one_line=True),
                slip=slip if slip in SLIPS else "sign",
                negate=negate is True,
                train_epochs=table.whole("train_epochs", low=1),
            )
            if len(self.problems) == before:  # only values that read cleanly are checked against the engine
                found.append(check)
        return found

    def unit_pair(self, table: _Table, key: str) -> tuple[int, int] | None:
        value = table.raw.get(key)
        if value is None:
            return None
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and v >= 0 for v in value):
            return (value[0], value[1])
        table.problem(f"{table.name(key)} should be [pattern, unit], two whole numbers from 0, got {show(value)}", key)
        return None

    def notation(self, table: _Table) -> str | None:
        value = table.text("notation")
        if value is None:
            return None
        from engine.notation import notations  # reads engine/notation.toml; no NumPy

        known = list(notations())
        if value not in known:
            table.problem(f"unknown notation {show(value)} ({suggest(value, known)})", "notation")
            return None
        return value

    # -- pages --------------------------------------------------------------------------

    def read_pages(self, top: _Table, notation: str | None) -> list[Page]:
        if "pages" not in top.raw:
            top.problem("no [[pages]]: a lesson needs at least one page")
            return []
        raw = top.tables("pages", "pages")
        if raw is None:
            return []
        pages = []
        for index, spec in enumerate(raw):
            page = self.page(_Table(self, ("pages", index), spec, f"page {index + 1}"), index, notation)
            if page is not None:
                pages.append(page)
        return pages

    def page(self, table: _Table, index: int, notation: str | None) -> Page | None:
        from tutor.kinds import PAGES  # the kinds import tutor.lessons.model, so not while tutor.lessons loads

        page = self.registered(table, PAGES, "page")
        if page is None:
            return None
        title = table.text("title", required=True, one_line=True)
        text = table.text("text", required=page.text_required) or ""
        common = {"index": index, "title": title or "", "text": text, "origin": table.origin}
        return page.parse(self, table, common, notation)

    def predict(self, table: _Table) -> bool | tuple[str, ...]:
        """`predict = true` (ask every term) or a list of term kinds to ask; false when absent or wrong."""
        value = table.raw.get("predict", False)
        if isinstance(value, bool):
            return value
        if isinstance(value, list) and value and all(isinstance(k, str) for k in value):
            unknown = [k for k in value if k not in PREDICT_KINDS]
            if not unknown:
                return tuple(value)
            table.problem(
                f"{table.name('predict')} names {show(unknown[0])}, not a term kind "
                f"({suggest(unknown[0], PREDICT_KINDS)})",
                "predict",
            )
            return False
        table.problem(
            f"{table.name('predict')} should be true, false or a list of term kinds, got {show(value)}", "predict"
        )
        return False

    def registered(self, table: _Table, kinds: dict[str, Any], noun: str) -> Any:
        """The kind of page or question (tutor.kinds) the table names, with its keys checked; None if unknown.

        A key that belongs to another kind gets a better hint than a typo does.
        """
        kind = self.kind(table, tuple(kinds), f"{noun} kind")
        if kind is None:
            return None
        table.unknown(kinds[kind].keys, {name: other.keys for name, other in kinds.items()}, kind, noun)
        return kinds[kind]

    def kind(self, table: _Table, kinds: tuple[str, ...], noun: str) -> str | None:
        value = table.raw.get("kind")
        if value is None:
            table.problem(f"{table.what} has no 'kind' (one of: {', '.join(kinds)})")
            return None
        if value not in kinds:
            hint = suggest(value, kinds) if isinstance(value, str) else f"expected one of: {', '.join(kinds)}"
            table.problem(f"unknown {noun} {show(value)} ({hint})", "kind")
            return None
        return value

    def weight_name(self, table: _Table, key: str, required: bool = False) -> str | None:
        value = table.text(key, required=required, one_line=True)
        if value is not None and not WEIGHT_NAME.match(value):
            table.problem(
                f"{table.name(key)} should name one weight as in the network's [weights], like 'hidden[0][1]' "
                f"(to unit 0 from unit 1) or 'output_bias[0]', got {show(value)}",
                key,
            )
            return None
        return value

    def network(self, table: _Table, notation: str | None) -> NetworkRef | None:
        name = table.text("network", required=True, one_line=True)
        own_notation = self.notation(table)
        start = self.start(table)
        if name is None:
            return None
        if Path(name).is_absolute():
            table.problem(f"give the network file's name relative to the lesson's folder, not {show(name)}", "network")
            return None
        outside, file = self.locate(name)
        if outside:
            table.problem(f"{show(name)}: a lesson may name only network files inside the lesson's folder", "network")
            return None
        if file is None:
            folders = ", ".join(str(folder) for folder in network_folders(self.path))
            table.problem(f"no network file {show(name)} (looked in {folders})", "network")
            return None
        self.named[file] = None
        return NetworkRef(name, file, start, own_notation or notation, table.origin)

    def locate(self, name: str) -> tuple[bool, Path | None]:
        """Whether the network name leads out of the lesson's folders, and the file it names (None: none).

        Looked up once per name and lesson folder (`located`, shared by the lessons listed together): the
        lessons name the same few networks hundreds of times, and each look-up resolves links on disk
        (it was most of the time the home screen took to list lessons).
        """
        key = (self.path.parent, name)
        if key not in self.located:
            outside = leaves_lesson_folder(name) or links_out(name, self.path)
            self.located[key] = (outside, None if outside else find_network(name, self.path))
        return self.located[key]

    def start(self, table: _Table) -> Start:
        start = table.sub("start", "[start]")
        if start is None:
            return Start()
        start.unknown(START_KEYS)
        weights = start.sub("weights", "[start.weights]")
        given = {}
        for key, value in (weights.raw if weights else {}).items():
            if _numbers(value):
                given[key] = value
            else:
                weights.problem(f"'start.weights.{key}' should be a list of numbers or a list of rows of numbers", key)
        return Start(
            weights=given,
            learning_rate=start.number("learning_rate", low=0),
            momentum=start.number("momentum", low=0, high=1, below_high=True),
            seed=start.whole("seed"),
            initial_context=start.number("initial_context"),
            bptt_steps=start.whole("bptt_steps", low=0),
        )

    # -- questions ----------------------------------------------------------------------

    def questions(self, page: _Table, notation: str | None) -> list:
        raw = page.tables("questions", "pages.questions")
        found = []
        for index, spec in enumerate(raw or []):
            what = f"question {index + 1} of {page.what}"
            question = self.question(_Table(self, (*page.path, "questions", index), spec, what), index, notation)
            if question is not None:
                found.append(question)
        return found

    def question(self, table: _Table, index: int, notation: str | None) -> Question | None:
        from tutor.kinds import QUESTIONS

        question = self.registered(table, QUESTIONS, "question")
        if question is None:
            return None
        common = {
            "index": index,
            "prompt": table.text("prompt", required=True) or "",
            "explanation": table.text("explanation") or "",
            "hints": self.hints(table),
            "origin": table.origin,
        }
        return question.parse(self, table, common, notation)

    def hints(self, table: _Table) -> tuple[str, ...]:
        value = table.raw.get("hint")
        if value is None:
            return ()
        if isinstance(value, str) and value.strip():
            return (value.strip(),)
        if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(v.strip() for v in value)
        table.problem(f"'hint' should be text, or a list of texts shown one at a time, got {show(value)}", "hint")
        return ()

    def pattern(self, table: _Table) -> int:
        """`pattern` (or, for a recurrent network, `sequence`): which one the question is asked on."""
        if "pattern" in table.raw and "sequence" in table.raw:
            table.problem("give 'pattern' or 'sequence', not both", "sequence")
        return table.whole("pattern", low=0) or table.whole("sequence", low=0) or 0


def _numbers(value: Any) -> bool:
    """A list of finite numbers, or a list of such lists (shapes are checked against the network later)."""
    if not isinstance(value, list) or not value:
        return False
    if all(isinstance(row, list) for row in value):
        return all(_numbers(row) and not isinstance(row[0], list) for row in value)
    return all(is_number(v) for v in value)


def parse_lesson(
    path: str | Path, data: dict[str, Any], where: Locator, located: dict | None = None
) -> tuple[Lesson | None, list[Problem]]:
    """The lesson a parsed file describes (None if anything is wrong), and every problem found.

    `located`: network look-ups to share with the other lessons listed at the same time (LessonReader.locate).
    """
    reader = LessonReader(Path(path), where, located)
    lesson = reader.lesson(data)
    return lesson, reader.problems
