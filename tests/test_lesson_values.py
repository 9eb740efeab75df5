"""Every number a lesson quotes is checked against the engine.

Two guarantees, for every bundled lesson: each value declared in its `[[values]]` tables agrees
with what the engine computes, to the precision the quote is written with; and every decimal
number its text writes (titles, summary, page text, prompts, choices, explanations, hints) is
declared, so none escapes the first check. The rest of the file tests the machinery itself,
including a lesson with a wrong number and an undeclared one, which must be caught.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.kinds import total_loss, train
from engine.netfile import load_network
from tutor.lessons import TrainPage, bundled_dir, check_values, discover_lessons, load_lesson
from tutor.lessons.networks import load_ref
from tutor.lessons.validate import check_file, validate_paths
from tutor.lessons.values import (
    agrees,
    numbers_in,
    quote_decimals,
    quote_key,
    undeclared_numbers,
    written_like,
    written_numbers,
)

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = discover_lessons([]).lessons


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


# -- the bundled lessons ----------------------------------------------------------------------


def test_bundled_lessons_are_found():
    assert "tour" in {lesson.id for lesson in BUNDLED}


@pytest.mark.parametrize("lesson", BUNDLED, ids=lambda lesson: lesson.id)
def test_every_declared_value_agrees_with_the_engine(lesson):
    assert [str(problem) for problem in check_values(lesson.values)] == []


@pytest.mark.parametrize("lesson", BUNDLED, ids=lambda lesson: lesson.id)
def test_every_decimal_number_in_the_text_is_declared(lesson):
    assert [str(problem) for problem in undeclared_numbers(lesson)] == []


@pytest.mark.parametrize("lesson", BUNDLED, ids=lambda lesson: lesson.id)
def test_a_lesson_that_writes_numbers_declares_them(lesson):
    # Guards the scan itself: a lesson whose text has decimals must have found some.
    written = written_numbers(lesson)
    assert len(lesson.values) >= len({quote_key(number.text) for number in written})


@pytest.mark.parametrize("lesson", BUNDLED, ids=lambda lesson: lesson.id)
def test_values_quoted_after_training_are_states_a_train_page_of_the_lesson_reaches(lesson):
    """A value quoted "after N epochs" of a network that a train page runs (from the same starting
    values) must describe a state that page's run gets to: it may not stop at ecrit before N."""
    for page in lesson.pages:
        if not isinstance(page, TrainPage):
            continue
        quoted = [
            check.train_epochs
            for check in lesson.values
            if check.train_epochs
            and check.network.file == page.network.file
            and repr(check.network.start) == repr(page.network.start)
        ]
        if not quoted:
            continue
        net = load_ref(page.network)
        result = train(net, epochs=page.epochs, ecrit=page.ecrit)
        assert max(quoted) <= result.epochs, f"{page.title}: the run stops after {result.epochs} epochs"


def test_the_tour_quotes_the_corrected_worked_example_and_the_slip():
    tour = load_lesson(bundled_dir() / "00_tour.toml")
    quotes = {value.quote: value for value in tour.values}
    assert quotes[".130137"].term == "w.hidden.0.0"
    assert quotes[".129863"].erratum_of == "w.hidden.0.0" and quotes[".129863"].slip == "sign"


# -- precision -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "decimals"),
    [(".130137", 6), ("0.5", 1), ("−0.46", 2), ("-.000274238", 9), ("2", 0), ("2.74e−4", 6), ("1.5e2", 0)],
)
def test_a_quote_claims_as_many_decimals_as_it_is_written_with(quote, decimals):
    assert quote_decimals(quote) == decimals


@pytest.mark.parametrize(
    ("quote", "value", "ok"),
    [
        (".130137", 0.1301371188842521, True),
        (".129863", 0.1301371188842521, False),
        (".130138", 0.1301371188842521, False),
        (".13", 0.1301371188842521, True),
        ("0.5", 0.5, True),
        ("0.5", 0.46, True),  # one decimal claims no more than that
        ("0.50", 0.46, False),
        ("−0.46", -0.46, True),
        ("-0.46", -0.46, True),
        ("0.46", -0.46, False),  # the sign is part of the quote
        ("−.460008", -0.4600076135862404, True),
        (".460008", -0.4600076135862404, False),
        ("−.000274238", -0.00027423776850420665, True),
        ("2.74e−4", 0.00027423776850420665, True),
        ("2.75e−4", 0.00027423776850420665, False),
        (".105804", 0.10580350227865394, True),  # rounds up at the 7th decimal
        ("1", 1.0, True),
        ("1", 1.4, True),
        ("1", 1.6, False),
    ],
)
def test_a_quote_agrees_when_the_value_rounds_to_it(quote, value, ok):
    assert agrees(quote, value) is ok


def test_the_engine_value_is_shown_the_way_the_quote_is_written():
    assert written_like(".129863", 0.1301371188842521) == ".130137"
    assert written_like("0.5", 0.46) == "0.5"
    assert written_like("−.46", -0.4600076) == "−.46"
    assert written_like("-0.46", -0.4600076) == "-0.46"
    assert written_like(".46", -0.4600076) == "−.46"
    assert written_like("2.74e−4", 0.000275) == "2.75e−4"


def test_the_same_number_to_the_same_precision_is_the_same_quote():
    assert quote_key(".5") == quote_key("0.5") == quote_key("+0.5")
    assert quote_key(".5") != quote_key(".50")
    assert quote_key("−.5") == quote_key("-0.5") != quote_key(".5")
    assert quote_key("2.74e−4") == quote_key(".000274")


# -- the scan of the text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the new w1 is .130137.", [".130137"]),
        ("(1 − .539992) × .248401", [".539992", ".248401"]),  # a spaced minus subtracts
        ("(−0.460008) × 0.248401", ["−0.460008", "0.248401"]),  # an attached minus is a sign
        ("1 / (1 + e^(−.0039))", ["−.0039"]),
        ("u(x1 + x2 − 1.5) and u(0.5 − x1 − x2)", ["1.5", "0.5"]),
        ("x2−0.5 and w2-.32", ["0.5", ".32"]),  # right after a letter or digit: a subtraction
        ("a = −.5, b = -0.25", ["−.5", "-0.25"]),
        ("**.5** and `0.25`", [".5", "0.25"]),
        ("2 hidden units, 600 passes, 1, 0 and 4 patterns", []),  # whole numbers are exempt
        ("x1.5, v1.2.3, 3.14abc, h1 and w_2,1", []),  # parts of longer tokens
        ("2.74e−4 and 1e5", ["2.74e−4"]),
        ("Δw = +.000137119", [".000137119"]),
        ("1. Forward.\n2. Error.", []),  # list numbers
    ],
)
def test_the_scan_finds_every_decimal_number_with_its_sign(text, found):
    assert [number for number, _ in numbers_in(text)] == found


SCAN = """\
[lesson]
id = "scan"
title = "Numbers in 0.1 places"
summary = "Every text a learner reads, 0.2"

[[pages]]
kind = "text"
title = "A page about 0.3"
text = '''
First line.
Here is 0.4, and a declared .5.
'''

[[pages]]
kind = "quiz"
title = "Quiz"
text = "Answer 0.6."

[[pages.questions]]
kind = "multiple_choice"
prompt = "Pick 0.7"
choices = ["zero", "0.8"]
answer = "a"
explanation = "Because 0.9."
hint = ["1.1", "none"]

[[values]]
quote = ".5"
network = "one_hidden_unit.toml"
setting = "learning_rate"

[[values]]
quote = "0.25"
network = "one_hidden_unit.toml"
setting = "learning_rate"
"""


def test_the_scan_covers_every_text_a_learner_reads_and_reports_each_line(tmp_path):
    path = write(tmp_path, "scan.toml", SCAN)
    problems = undeclared_numbers(load_lesson(path))
    got = [(problem.line, problem.message.split(",")[0]) for problem in problems]
    assert got == [
        (3, "the text writes 0.1"),
        (4, "the text writes 0.2"),
        (8, "the text writes 0.3"),
        (11, "the text writes 0.4"),
        (17, "the text writes 0.6"),
        (21, "the text writes 0.7"),
        (22, "the text writes 0.8"),
        (24, "the text writes 0.9"),
        (25, "the text writes 1.1"),
        (33, 'value "0.25" is declared'),  # declared, but no text writes it
    ]


# -- a lesson with a wrong number and an undeclared one ---------------------------------------

BROKEN = """\
[lesson]
id = "broken-numbers"
title = "Broken numbers"
summary = "One wrong quote, one undeclared number."

[[pages]]
kind = "text"
title = "The worked example"
text = '''
The new w1 is .129863 and a_out is .539992.
'''

[[values]]
quote = ".129863"
network = "one_hidden_unit.toml"
term = "w.hidden.0.0"
"""


def test_a_wrong_and_an_undeclared_number_are_both_caught(tmp_path):
    path = write(tmp_path, "broken.toml", BROKEN)
    lesson = load_lesson(path)
    wrong = check_values(lesson.values)
    assert [(p.line, p.message) for p in wrong] == [
        (
            14,
            "\".129863\" is not what the engine gives: term 'w.hidden.0.0' of network 'one_hidden_unit.toml' "
            "(pattern 0) is .130137 (0.130137118884)",
        )
    ]
    missing = undeclared_numbers(lesson)
    assert [(p.line, p.message.split(":")[0]) for p in missing] == [
        (10, "the text writes .539992, but no [[values]] table declares it")
    ]


def test_validate_reports_a_wrong_quote_and_with_numbers_an_undeclared_one(tmp_path):
    path = write(tmp_path, "broken.toml", BROKEN)
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:14: \".129863\" is not what the engine gives: term 'w.hidden.0.0' of network "
        "'one_hidden_unit.toml' (pattern 0) is .130137 (0.130137118884)"
    ]
    assert "Traceback" not in result.stderr
    strict = run_cli("validate", "--numbers", str(path))
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[1].startswith(f"{path}:10: the text writes .539992, but no [[values]]")


def test_validate_with_numbers_passes_on_the_bundled_lessons():
    problems, checked = validate_paths([bundled_dir()], numbers=True)
    assert [str(problem) for problem in problems] == [] and checked > 1


# -- every source -----------------------------------------------------------------------------

SOURCES = """\
[lesson]
id = "sources"
title = "Sources"
summary = "Every kind of source."

[[pages]]
kind = "text"
title = "Text"
text = "Nothing."

[[values]]
quote = ".32"
network = "one_hidden_unit.toml"
weight = "output[0][0]"

[[values]]
quote = "0.05"
network = "two_two_two.toml"
input = [0, 0]

[[values]]
quote = "0.99"
network = "two_two_two.toml"
target = [0, 1]

[[values]]
quote = ".9"
network = "xor.toml"
setting = "momentum"

[[values]]
quote = "0.298371"
network = "two_two_two.toml"
total_loss = true

[[values]]
quote = "−0.35"
network = "two_two_two.toml"
weight = "hidden_bias[0]"
negate = true

[[values]]
quote = ".000274"
network = "one_hidden_unit.toml"
erratum_of = "dE/dw.hidden.0.0"

[[values]]
quote = "−.000137"
network = "one_hidden_unit.toml"
erratum_of = "dw.hidden.0.0"

[[values]]
quote = ".5"
network = "one_hidden_unit.toml"
term = "a.hidden.0"
start = { weights = { hidden = [[0.0]] } }

[[values]]
quote = ".4"
network = "tiny_srn.toml"
weight = "hidden_context[0][0]"

[[values]]
quote = "1"
network = "tiny_srn.toml"
target = [1, 0]

[[values]]
quote = ".5"
network = "xor.toml"
setting = "weight_range"

[[values]]
quote = ".04"
network = "xor.toml"
setting = "ecrit"

[[values]]
quote = ".000668396"
network = "two_two_two.toml"
term = "chain.hidden[0][0].1"

[[values]]
quote = "−.217072"
network = "two_two_two.toml"
term = "chain.hidden[0][0].2.1"

[[values]]
quote = ".000438568"
network = "two_two_two.toml"
term = "chain.hidden[0][0]"
"""


def test_every_source_is_computed_by_the_engine(tmp_path):
    path = write(tmp_path, "sources.toml", SOURCES)
    assert [str(p) for p in check_file(path)] == []


def test_a_value_after_training_is_the_engines_after_exactly_that_many_epochs(tmp_path):
    net = load_network(ROOT / "lessons" / "networks" / "xor.toml")
    net.training.ecrit = None
    train(net, epochs=300)
    loss = total_loss(net)
    quote = f"{loss:.4f}"
    text = f"""\
    [lesson]
    id = "trained"
    title = "Trained"
    summary = "After training."

    [[pages]]
    kind = "text"
    title = "Text"
    text = "The loss after 300 epochs is {quote}."

    [[values]]
    quote = "{quote}"
    network = "xor.toml"
    total_loss = true
    train_epochs = 300

    [[values]]
    quote = "{float(quote) + 0.01:.4f}"
    network = "xor.toml"
    total_loss = true
    train_epochs = 300
    """
    path = write(tmp_path, "trained.toml", text)
    problems = check_file(path)
    assert [(p.line, "after 300 epochs of training" in p.message) for p in problems] == [(18, True)]


def test_a_sign_slip_only_applies_to_the_backward_pass_and_the_update(tmp_path):
    text = SOURCES.split("[[values]]")[0] + textwrap.dedent(
        """\
        [[values]]
        quote = ".130137"
        network = "one_hidden_unit.toml"
        erratum_of = "w.hidden.0.0"

        [[values]]
        quote = ".500975"
        network = "one_hidden_unit.toml"
        erratum_of = "a.hidden.0"
        """
    )
    path = write(tmp_path, "slips.toml", text)
    problems = check_file(path)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (
            12,
            '".130137" is not what the engine gives',
        ),
        (
            19,
            "a sign slip changes only the backward pass and the update; term 'a.hidden.0' (activation) would be "
            "the same",
        ),
    ]
    assert ".129863" in problems[0].message


def test_values_the_engine_cannot_compute_are_reported_on_their_lines(tmp_path):
    text = SOURCES.split("[[values]]")[0] + textwrap.dedent(
        """\
        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        term = "dE/dw.hidden.9"

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        weight = "output[0][3]"

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        input = [4, 0]

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        term = "E"
        pattern = 2

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        weight = "hidden[0][0]"
        slip = "sign"

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        erratum_of = "w.hidden.0.0"
        slip = "rounding"
        negate = "yes"

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        setting = "ecrit"

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        term = "chain.hidden[0][0].2"

        [[values]]
        quote = ".1"
        network = "one_hidden_unit.toml"
        term = "chain.hidden[0][1].1"
        """
    )
    path = write(tmp_path, "cannot.toml", text)
    got = [(p.line, p.message) for p in check_file(path)]
    expected = [
        (36, "'slip' goes with 'erratum_of'"),
        (42, "unknown slip 'rounding'"),
        (43, "'negate' should be true or false"),
        (14, "has no term 'dE/dw.hidden.9' (did you mean 'dE/dw.hidden.0.0'?)"),
        (19, "network 'one_hidden_unit.toml' has no weight output[0][3]"),
        (24, "network 'one_hidden_unit.toml' has no pattern 4"),
        (30, "pattern 2 does not exist"),
        (48, "network 'one_hidden_unit.toml' has no ecrit"),
        (53, "the chain of hidden[0][0] in network 'one_hidden_unit.toml' has no term 'chain.hidden[0][0].2'"),
        (58, "network 'one_hidden_unit.toml' has no weight hidden[0][1]"),
    ]
    assert len(got) == len(expected), got
    for (line, message), (want_line, part) in zip(got, expected, strict=True):
        assert line == want_line and part in message, (line, message)
