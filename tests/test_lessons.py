"""Lesson files: the bundled lessons, every kind of problem with its line, discovery, the command line."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from engine.tomlfile import FileProblems, read_toml
from tutor.lessons import (
    ChainQuestion,
    MultipleChoiceQuestion,
    NumericQuestion,
    QuizPage,
    SymbolicQuestion,
    TextPage,
    TracePage,
    TrueFalseQuestion,
    UnrollPage,
    bundled_dir,
    check_lesson,
    check_page,
    discover_lessons,
    load_lesson,
)
from tutor.lessons.networks import draw_network, load_ref
from tutor.lessons.validate import check_file, validate_paths

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
[lesson]
id = "{id}"
title = "{title}"
summary = "A small lesson."
{extra}
[[pages]]
kind = "text"
title = "Hello"
text = "Some text."
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def good_lesson(folder: Path, name: str, lesson_id: str, title: str = "A lesson", extra: str = "") -> Path:
    return write(folder, name, GOOD.format(id=lesson_id, title=title, extra=extra))


def found_lines(problems) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in problems]


def assert_problems(problems, expected: list[tuple[str, int | None, str]]) -> None:
    """Each problem, in order: its file's name, its exact line, and a part of its message."""
    got = [(Path(p.file).name, p.line, p.message) for p in problems]
    assert len(got) == len(expected), "\n".join(map(str, problems))
    for (file, line, message), (want_file, want_line, want_part) in zip(got, expected, strict=True):
        assert (file, line) == (want_file, want_line), f"{file}:{line}: {message}"
        assert want_part in message, f"{file}:{line}: {message}"


def bundled_ids() -> list[str]:
    """The ids of the bundled lessons, in list order (the tour comes first)."""
    return [lesson.id for lesson in discover_lessons([]).lessons]


def without_bundled(ids: list[str]) -> list[str]:
    """`ids` with every bundled lesson but the tour left out: what a test's own folder added, in order."""
    others = set(bundled_ids()) - {"tour"}
    return [lesson_id for lesson_id in ids if lesson_id not in others]


def listing(lessons: list[tuple[str, str]]) -> list[str]:
    """The lines `bptutor lessons` prints for these (id, title) pairs."""
    width = max(len(lesson_id) for lesson_id, _ in lessons)
    return [f"{lesson_id:<{width}}  {title}" for lesson_id, title in lessons]


def bundled_listing() -> list[tuple[str, str]]:
    return [(lesson.id, lesson.title) for lesson in discover_lessons([]).lessons]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=120,
    )


# -- the bundled lessons ----------------------------------------------------------------------


def test_bundled_tour_has_every_page_kind_and_a_quiz_on_the_first_ideas_only():
    found = discover_lessons([])
    assert found.problems == []
    tour = found.get("tour")
    assert tour is not None and tour.title == "A tour of bptutor"
    assert [type(p) for p in tour.pages] == [TextPage, TracePage, UnrollPage, QuizPage, TextPage]
    trace, unroll, quiz = tour.pages[1], tour.pages[2], tour.pages[3]
    assert trace.network.file.name == "one_hidden_unit.toml" and trace.focus == "hidden[0][0]"
    assert unroll.network.file.name == "tiny_srn.toml" and unroll.sequence == 0
    kinds = [type(q) for q in quiz.questions]
    assert kinds == [
        MultipleChoiceQuestion,
        NumericQuestion,
        SymbolicQuestion,
        TrueFalseQuestion,
        MultipleChoiceQuestion,
    ]
    # Nothing taught later: the numeric question asks a net input (no δ), the symbolic one the error
    # itself (no derivative), and no question repeats one of a later lesson.
    assert quiz.questions[1].term == "n.hidden.0" and quiz.questions[1].digits == 3
    assert "∂" not in quiz.questions[2].prompt and quiz.questions[2].answer == "(t - a)**2/2"
    later = {q.prompt for lesson in found.lessons if lesson.id != "tour" for q in quiz_questions_of(lesson)}
    assert not later & {q.prompt for q in quiz.questions}
    assert not any("worked example" in q.prompt for q in quiz.questions)


def quiz_questions_of(lesson):
    return [q for page in lesson.pages if isinstance(page, QuizPage) for q in page.questions]


def test_the_quiz_engine_fixture_has_every_question_kind():
    """The tour's quiz before issue 15, kept under tests/data/quiz for the quiz engine's tests."""
    from tests.quizhelp import quiz_lesson

    lesson = quiz_lesson()
    quiz = lesson.pages[3]
    kinds = [type(q) for q in quiz.questions]
    assert kinds == [MultipleChoiceQuestion, TrueFalseQuestion, SymbolicQuestion, NumericQuestion, ChainQuestion]
    choice = quiz.questions[0]
    assert choice.answer == 2 and choice.answer_letter == "c"
    assert "no targets" in choice.choices[choice.answer]
    assert quiz.questions[2].definitions == {"a": "σ(n)"}
    assert quiz.questions[3].term == "dE/dn.hidden.0" and quiz.questions[3].digits == 3


def test_every_bundled_lesson_and_network_validates():
    problems, checked = validate_paths([bundled_dir()])
    assert problems == []
    names = {p.name for p in bundled_dir().rglob("*.toml")}
    assert {"00_tour.toml", "tiny_srn.toml", "one_hidden_unit.toml", "xor.toml"} <= names
    assert checked == len(names)


def test_tour_trace_page_gives_the_corrected_worked_example():
    from engine.kinds import build_trace

    page = load_lesson(bundled_dir() / "00_tour.toml").pages[1]
    trace = build_trace(load_ref(page.network), page.pattern)
    # ∂E/∂w1 is negative, so w1 grows: .13 → .130137 (not the .129863 of the OCR'd slide)
    assert trace["dE/dw.hidden.0.0"].value == pytest.approx(-0.000274238, rel=1e-5)
    assert trace["w.hidden.0.0"].value == pytest.approx(0.130137, abs=5e-7)
    assert [f.value for f in trace.chain(page.focus).paths[0]] == pytest.approx(
        [-0.460008, 0.248401, 0.32, 0.249999, 0.03], abs=5e-7
    )


def test_tiny_srn_is_a_recurrent_network_with_full_bptt():
    from engine.netfile import load_network

    net = load_network(bundled_dir() / "networks" / "tiny_srn.toml")
    assert net.is_recurrent and net.training.bptt_steps is None
    assert {k: v.tolist() for k, v in net.params.items()} == {
        "hidden": [[0.5]],
        "hidden_context": [[0.4]],
        "output": [[0.7]],
    }
    (inputs, targets), *rest = net.sequences
    assert rest == [] and inputs.ravel().tolist() == [1, 0, 0] and targets.ravel().tolist() == [0, 1, 0]


# -- a lesson with every optional part --------------------------------------------------------


FULL = """\
[lesson]
id = "own-weights"
title = "Starting values"
summary = "A trace page that starts from its own weights."
order = 2
notation = "zy"

[[pages]]
kind = "trace"
title = "Start here"
network = "mine.toml"
pattern = 1
focus = "output_bias[0]"
[pages.start]
weights = { hidden = [[0.25, -0.5], [0.75, 1.0]] }
learning_rate = 0.1
momentum = 0.5

[[pages]]
kind = "quiz"
title = "Quiz"
pass_mark = 0.6
[[pages.questions]]
kind = "numeric"
prompt = "The new weight?"
network = "mine.toml"
pattern = 1
term = "w.output.0.1"
digits = 4
hint = ["First", "Second"]
randomize = { weights = 1.0, targets = [0.0, 1.0], decimals = 1 }
"""


def test_full_lesson_reads_into_typed_objects_and_applies_start_values(tmp_path):
    network = (bundled_dir() / "networks" / "xor.toml").read_text(encoding="utf-8")
    write(tmp_path, "networks/mine.toml", network)
    path = write(tmp_path, "own.toml", FULL)
    assert check_file(path) == []
    lesson = load_lesson(path, deep=True)
    assert (lesson.id, lesson.order, lesson.notation) == ("own-weights", 2, "zy")
    page, quiz = lesson.pages
    assert page.network.file == tmp_path / "networks" / "mine.toml"
    assert page.network.notation == "zy"  # the lesson's default
    net = load_ref(page.network)
    assert net.params["hidden"].tolist() == [[0.25, -0.5], [0.75, 1.0]]
    assert (net.training.learning_rate, net.training.momentum) == (0.1, 0.5)
    question = quiz.questions[0]
    assert quiz.pass_mark == 0.6 and question.hints == ("First", "Second") and question.digits == 4
    assert question.randomize.weight_range == 1.0 and question.randomize.targets == (0.0, 1.0)


def test_numeric_question_draws_fresh_rounded_values_from_a_seed(tmp_path):
    write(tmp_path, "networks/mine.toml", (bundled_dir() / "networks" / "xor.toml").read_text(encoding="utf-8"))
    question = load_lesson(write(tmp_path, "own.toml", FULL)).pages[1].questions[0]
    first, again, other = draw_network(question, 7), draw_network(question, 7), draw_network(question, 8)
    assert all((first.params[k] == again.params[k]).all() for k in first.params)
    assert any((first.params[k] != other.params[k]).any() for k in first.params)
    for array in first.params.values():  # drawn from ±1.0, rounded to 1 decimal
        assert (abs(array) <= 1.0).all() and np.allclose(array * 10, np.round(array * 10))
    assert first.inputs.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]  # inputs are not randomized
    assert first.targets[[0, 2, 3], 0].tolist() == [0, 1, 0]  # only pattern 1's target is drawn
    drawn = first.targets[1, 0]
    assert 0 <= drawn <= 1 and np.isclose(drawn * 10, round(drawn * 10))
    assert {draw_network(question, seed).targets[1, 0] for seed in range(20)} != {drawn}


# -- broken lessons: every problem, on its line -----------------------------------------------

SHALLOW = """\
[lesson]
id = "Bad_ID"
titel = "Broken"
order = "3"

[[pages]]
kind = "txt"
title = "A typo in the kind"

[[pages]]
kind = "text"
title = "Text with a focus"
text = "Hello"
focus = "hidden[0][0]"

[[pages]]
kind = "trace"
title = "No such network"
network = "nowhere.toml"
focus = "hidden[0]x"

[[pages]]
kind = "quiz"
title = "Quiz"

[[pages.questions]]
kind = "multiple_choice"
prompt = "Pick one"
choices = ["yes", "no"]
answer = "c"

[[pages.questions]]
kind = "essay"
prompt = "Write"

[[pages.questions]]
kind = "symbolic"
prompt = "Differentiate"
answer = "  "
variables = ["a"]
definitions = { b = "a + 1" }

[[pages.questions]]
kind = "true_false"
prompt = "Yes?"
answer = "true"
"""


def test_each_problem_of_a_lesson_file_is_reported_on_its_line(tmp_path):
    path = write(tmp_path, "shallow.toml", SHALLOW)
    f = "shallow.toml"
    assert_problems(
        check_file(path),
        [
            (f, 1, "[lesson] has no 'title'"),
            (f, 1, "[lesson] has no 'summary'"),
            (f, 2, "lesson id 'Bad_ID' should be lowercase letters, digits and dashes"),
            (f, 3, "unknown key 'titel' in [lesson] (did you mean 'title'?)"),
            (f, 4, "'order' should be a whole number, got '3'"),
            (f, 7, "unknown page kind 'txt' (did you mean 'text'?)"),
            (f, 14, "a text page has no 'focus' (it belongs to trace and unroll pages)"),
            (f, 19, "no network file 'nowhere.toml' (looked in"),
            (f, 20, "'focus' should name one weight as in the network's [weights]"),
            (f, 30, "'answer' is 'c', but there are only 2 choices (a to b)"),
            (f, 33, "unknown question kind 'essay' (expected one of: multiple_choice, true_false, symbolic"),
            (f, 39, "'answer' is empty"),
            (f, 41, "'b' is defined but not listed in 'variables'"),
            (f, 46, "'answer' should be true or false (no quotes), got 'true'"),
        ],
    )
    with pytest.raises(FileProblems) as caught:
        load_lesson(path)
    assert len(caught.value.problems) == 14


def test_missing_tables_and_wrong_types(tmp_path):
    path = write(
        tmp_path,
        "types.toml",
        """\
        pages = "none"
        [lesson]
        id = "types"
        title = 3
        summary = \"\"\"two
        lines\"\"\"
        sumary = "typo"
        """,
    )
    assert_problems(
        check_file(path),
        [
            (path.name, 1, "'pages' should be a list of [[pages]] tables"),
            (path.name, 4, "'title' should be text (in quotes), got 3"),
            (path.name, 5, "'summary' should be a single line"),
            (path.name, 7, "unknown key 'sumary' in [lesson] (did you mean 'summary'?)"),
        ],
    )


def test_not_valid_toml_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "bad.toml", '[lesson]\nid = "x"\ntitle = "unclosed\n')
    assert_problems(check_file(path), [("bad.toml", 3, "not valid TOML")])


DEEP = """\
[lesson]
id = "deep"
title = "Deep problems"
summary = "Each page has a problem only its network shows."

[[pages]]
kind = "trace"
title = "No such weight"
network = "one_hidden_unit.toml"
focus = "hidden[0][3]"

[[pages]]
kind = "trace"
title = "No such pattern"
network = "xor.toml"
pattern = 4

[[pages]]
kind = "trace"
title = "A broken network"
network = "broken.toml"

[[pages]]
kind = "trace"
title = "Wrong start weights"
network = "two_two_two.toml"
[pages.start]
weights = { hidden = [[0.1, 0.2]], hiden_bias = [0.0, 0.0] }

[[pages]]
kind = "trace"
title = "A recurrent network on a trace page"
network = "tiny_srn.toml"

[[pages]]
kind = "unroll"
title = "A feed-forward network on an unroll page"
network = "xor.toml"

[[pages]]
kind = "quiz"
title = "Quiz"

[[pages.questions]]
kind = "numeric"
prompt = "Compute it"
network = "two_two_two.toml"
term = "dE/dw.hidden.0.2"

[[pages.questions]]
kind = "chain"
prompt = "Order them"
network = "one_hidden_unit.toml"
weight = "output[1][0]"

[[pages.questions]]
kind = "numeric"
prompt = "Out of range"
network = "tiny_srn.toml"
sequence = 1
term = "E"
"""

BROKEN_NETWORK = """\
[[layers]]
name = "input"
size = 0

[[layers]]
name = "output"
size = 1
activation = "sigmoidal"

[[patterns]]
input = [1]
target = [1]
"""


def test_problems_only_the_networks_reveal_are_reported_on_their_lines(tmp_path):
    write(tmp_path, "broken.toml", BROKEN_NETWORK)
    path = write(tmp_path, "deep.toml", DEEP)
    lesson = load_lesson(path)  # the file itself is well formed: listing it needs no network
    assert len(lesson.pages) == 7
    f = "deep.toml"
    expected = [
        (f, 10, "network 'one_hidden_unit.toml' has no weight hidden[0][3]: 'hidden' is 1 × 1"),
        (f, 16, "pattern 4 does not exist: network 'xor.toml' has 4 patterns, numbered from 0 to 3"),
        (f, 21, "network file 'broken.toml' has problems (listed with its name)"),
        ("broken.toml", 3, "should be at least 1, got 0"),
        ("broken.toml", 8, "unknown activation 'sigmoidal'"),
        (f, 28, "'start.weights.hidden' should be 2 × 2, got 1 × 2"),
        (f, 28, "network 'two_two_two.toml' has no weights 'hiden_bias' (did you mean 'hidden_bias'?)"),
        (f, 31, "network 'tiny_srn.toml' has context units: step through it on an unroll page"),
        (f, 36, "network 'xor.toml' has no context units: use a trace page for it"),
        (f, 48, "the trace of network 'two_two_two.toml' has no term 'dE/dw.hidden.0.2' (did you mean"),
        (f, 54, "network 'one_hidden_unit.toml' has no weight output[1][0]: 'output' is 1 × 1"),
        (f, 60, "sequence 1 does not exist: network 'tiny_srn.toml' has 1 sequence, numbered 0"),
    ]
    assert_problems(check_file(path), expected)
    with pytest.raises(FileProblems) as caught:
        load_lesson(path, deep=True)
    assert_problems(caught.value.problems, expected)
    # the app opens one page at a time and gets the same messages for it
    assert_problems(check_page(lesson.pages[1]), [expected[1]])
    with pytest.raises(FileProblems) as caught:
        load_ref(lesson.pages[3].network)
    assert_problems(caught.value.problems, expected[5:7])


def test_pages_that_read_cleanly_are_checked_against_their_networks_even_beside_broken_ones(tmp_path):
    path = write(
        tmp_path,
        "mixed.toml",
        """\
        [lesson]
        id = "mixed"
        title = "Mixed"
        summary = "One shallow problem, one deep one."

        [[pages]]
        kind = "text"
        title = "No text"

        [[pages]]
        kind = "trace"
        title = "No such pattern"
        network = "one_hidden_unit.toml"
        pattern = 2
        """,
    )
    data, where = read_toml(path)
    assert_problems(
        check_lesson(path, data, where),
        [
            ("mixed.toml", 6, "page 1 has no 'text'"),
            ("mixed.toml", 14, "pattern 2 does not exist: network 'one_hidden_unit.toml' has 1 pattern"),
        ],
    )


def test_listing_lessons_does_not_import_numpy():
    code = (
        "import sys; from tutor.lessons import discover_lessons; found = discover_lessons([]); "
        "assert found.get('tour') and not found.problems; print('numpy' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# -- discovery -------------------------------------------------------------------------------


def test_discover_adds_an_instructors_folder_in_list_order(tmp_path):
    folder = tmp_path / "course"
    good_lesson(folder, "b.toml", "zeta", "Zeta", extra="order = 1")
    good_lesson(folder, "sub/a.toml", "alpha", "Alpha", extra="order = 1")
    good_lesson(folder, "c.toml", "last", "No order")
    good_lesson(folder, "networks/hidden.toml", "inside-networks", "Never found")
    write(folder, "net.toml", (bundled_dir() / "networks" / "xor.toml").read_text(encoding="utf-8"))
    found = discover_lessons([folder])
    assert found.problems == []
    ids = [lesson.id for lesson in found.lessons]
    assert without_bundled(ids) == ["tour", "alpha", "zeta", "last"]
    assert ids == [lesson.id for lesson in sorted(found.lessons, key=lambda lesson: lesson.sort_key())]


def test_discover_reports_a_duplicate_id_and_keeps_the_first(tmp_path):
    good_lesson(tmp_path / "one", "x.toml", "shared", "First")
    second = good_lesson(tmp_path / "two", "y.toml", "shared", "Second")
    clash = good_lesson(tmp_path / "two", "z.toml", "tour", "Not the bundled tour")
    found = discover_lessons([tmp_path / "one", tmp_path / "two"])
    assert [(lesson.id, lesson.title) for lesson in found.lessons if lesson.id in ("tour", "shared")] == [
        ("tour", "A tour of bptutor"),
        ("shared", "First"),
    ]
    assert len(found.lessons) == len(bundled_ids()) + 1
    assert [(p.file, p.line) for p in found.problems] == [(str(second), 2), (str(clash), 2)]
    assert "lesson id 'shared' is already used by" in found.problems[0].message
    assert str(tmp_path / "one" / "x.toml") in found.problems[0].message


def test_discover_reports_a_broken_lesson_and_still_loads_the_others(tmp_path):
    good_lesson(tmp_path, "fine.toml", "fine")
    broken = write(tmp_path, "broken.toml", '[lesson]\nid = "broken"\ntitle = "Broken"\n')
    found = discover_lessons([tmp_path, tmp_path / "missing"])
    assert [lesson.id for lesson in found.lessons] == [*bundled_ids(), "fine"]
    assert [str(p) for p in found.problems] == [
        f"{broken}: no [[pages]]: a lesson needs at least one page",
        f"{broken}:1: [lesson] has no 'summary'",
        f"{tmp_path / 'missing'}: no such lesson folder",
    ]


def test_deep_discovery_leaves_out_a_lesson_whose_network_check_fails(tmp_path):
    write(
        tmp_path,
        "pattern.toml",
        GOOD.format(id="pattern", title="T", extra="")
        + '\n[[pages]]\nkind = "trace"\ntitle = "T"\nnetwork = "xor.toml"\npattern = 9\n',
    )
    assert [lesson.id for lesson in discover_lessons([tmp_path]).lessons] == [*bundled_ids(), "pattern"]
    deep = discover_lessons([tmp_path], deep=True)
    assert [lesson.id for lesson in deep.lessons] == bundled_ids()
    assert [(Path(p.file).name, p.line) for p in deep.problems] == [("pattern.toml", 15)]


# -- the command line ---------------------------------------------------------------------


def test_validate_a_broken_lesson_exits_1_with_file_and_line_and_no_traceback(tmp_path):
    path = write(tmp_path, "shallow.toml", SHALLOW)
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 14
    assert lines[0] == f"{path}:1: [lesson] has no 'title'"
    assert lines[3] == f"{path}:3: unknown key 'titel' in [lesson] (did you mean 'title'?)"
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "Traceback" not in result.stderr and "14 problems in 1 file" in result.stderr


def test_validate_reports_a_network_problem_once_even_when_several_files_use_it(tmp_path):
    write(tmp_path, "networks/broken.toml", BROKEN_NETWORK)
    for name in ("a", "b"):
        write(
            tmp_path,
            f"{name}.toml",
            GOOD.format(id=name, title=name, extra="")
            + '\n[[pages]]\nkind = "trace"\ntitle = "T"\nnetwork = "broken.toml"\n',
        )
    problems, checked = validate_paths([tmp_path])
    assert checked == 3
    names = [f"{Path(p.file).name}:{p.line}" for p in problems]
    assert names == ["a.toml:14", "broken.toml:3", "broken.toml:8", "b.toml:14"]


def test_lessons_command_lists_id_and_title_with_extra_folders(tmp_path):
    good_lesson(tmp_path / "flag", "f.toml", "from-flag", "From the flag", extra="order = 5")
    good_lesson(tmp_path / "env", "e.toml", "from-env", "From the environment", extra="order = 6")
    result = run_cli("lessons")
    assert result.returncode == 0, result.stderr
    bundled = bundled_listing()
    assert bundled[0] == ("tour", "A tour of bptutor")
    assert result.stdout.splitlines() == listing(bundled)
    result = run_cli("--lessons", str(tmp_path / "flag"), "lessons", env={"BPTUTOR_LESSONS": str(tmp_path / "env")})
    assert result.returncode == 0, result.stderr
    flag, env = ("from-flag", "From the flag"), ("from-env", "From the environment")
    lessons = discover_lessons([tmp_path / "flag", tmp_path / "env"]).lessons
    expected = [(lesson.id, lesson.title) for lesson in lessons]
    assert sorted(expected) == sorted([*bundled, flag, env])
    assert expected.index(flag) < expected.index(env)  # order 5, then order 6
    assert result.stdout.splitlines() == listing(expected)


def test_lessons_command_reports_a_broken_lesson_and_lists_the_rest(tmp_path):
    broken = write(tmp_path, "broken.toml", '[lesson]\nid = "x"\ntitle = "X"\nsummary = "S"\n[[pages]]\nkind = 1\n')
    result = run_cli("--lessons", str(tmp_path), "lessons")
    assert result.returncode == 1
    assert result.stdout.splitlines() == listing(bundled_listing())
    assert result.stderr.splitlines() == [
        f"{broken}:6: unknown page kind 1 "
        "(expected one of: text, trace, unroll, train, quiz, descent, clusters, square)"
    ]


def test_the_complete_example_in_the_instructors_guide_validates(tmp_path):
    guide = (ROOT / "docs" / "lessons.md").read_text(encoding="utf-8")
    section = guide.split("## A complete small lesson", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = write(tmp_path, "chain-rule.toml", example)
    assert check_file(path) == []
    lesson = load_lesson(path, deep=True)
    assert (lesson.id, [page.kind for page in lesson.pages]) == ("chain-rule", ["text", "trace", "quiz"])


def test_questions_of_a_later_quiz_page_get_their_own_lines(tmp_path):
    # [[pages.questions]] restarts its count in every page: question 1 of page 2 is not question 2
    path = write(
        tmp_path,
        "two-quizzes.toml",
        GOOD.format(id="two-quizzes", title="Two quizzes", extra="")
        + """
[[pages]]
kind = "quiz"
title = "First"
[[pages.questions]]
kind = "true_false"
prompt = "One"
answer = true

[[pages]]
kind = "quiz"
title = "Second"
[[pages.questions]]
kind = "true_false"
prompt = "Two"
answer = "yes"
[[pages.questions]]
kind = "multiple_choice"
prompt = "Three"
choices = ["a", "b"]
answer = 1
""",
    )
    assert_problems(
        check_file(path),
        [
            (path.name, 25, "'answer' should be true or false (no quotes), got 'yes'"),
            (path.name, 30, "'answer' should be the letter of the right choice, like \"b\""),
        ],
    )


SYMBOLIC = GOOD.replace(
    '[[pages]]\nkind = "text"',
    """[[pages]]
kind = "quiz"
title = "Quiz"

[[pages.questions]]
kind = "symbolic"
prompt = "dσ/dn in terms of a?"
answer = "a(1 - a"
variables = ["a", "n"]

[[pages.questions]]
kind = "symbolic"
prompt = "In terms of n?"
answer = "σ(n)(1 − σ(n))"
variables = ["n", "a"]
definitions = {{ a = "σ(n" }}

[[pages.questions]]
kind = "symbolic"
prompt = "Fine"
answer = "a·(1 − a)"
variables = ["a", "n"]
definitions = {{ a = "σ(n)" }}

[[pages]]
kind = "text\"""",
)


def test_symbolic_answers_are_parsed_by_the_quiz_parser_when_validating(tmp_path):
    path = good_lesson(tmp_path, "sym.toml", "sym")
    path.write_text(SYMBOLIC.format(id="sym", title="Symbols", extra=""), encoding="utf-8")
    problems = check_file(path)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (13, "the symbolic answer cannot be used"),
        (21, "the definition of 'a' cannot be used"),
    ]
    assert "bracket" in problems[0].message or "(" in problems[0].message
    # listing lessons reads the file only: no sympy, so no parse problems there
    assert load_lesson(path).id == "sym"


VALUES = """\
[lesson]
id = "v"
title = "Values"
summary = "Numbers quoted in the text."

[[pages]]
kind = "train"
title = "Train"
network = "xor.toml"
epochs = 500

[[values]]
quote = ".130137"
network = "one_hidden_unit.toml"
term = "w.hidden.0.0"

[[values]]
quote = "abc"
network = "one_hidden_unit.toml"
term = "x"
weight = "hidden[0][0]"
setting = "speed"

[[values]]
quote = "0.25"
network = "xor.toml"
input = [1, 2, 3]
"""


def test_train_pages_and_value_declarations(tmp_path):
    path = write(tmp_path, "values.toml", VALUES)
    assert_problems(
        check_file(path),
        [
            ("values.toml", 17, "give exactly one of: term, weight, input, target, setting, total_loss, erratum_of"),
            ("values.toml", 18, "'quote' should be one number as the text writes it"),
            ("values.toml", 22, "unknown setting 'speed'"),
            ("values.toml", 27, "'input' should be [pattern, unit]"),
        ],
    )
    good = VALUES.split('[[values]]\nquote = "abc"')[0]
    path.write_text(good, encoding="utf-8")
    lesson = load_lesson(path)
    assert lesson.pages[0].kind == "train" and lesson.pages[0].epochs == 500
    assert [(v.quote, v.term, v.network.name) for v in lesson.values] == [
        (".130137", "w.hidden.0.0", "one_hidden_unit.toml")
    ]


def test_multiple_choice_answers_cannot_be_guessed_by_length_or_letter():
    """Over all bundled lessons: the right answer is the strictly longest choice in at most a third of
    the multiple-choice questions, and no letter is the right one in more than 40% of them."""
    from collections import Counter

    from tutor.kinds import QuizPage

    questions = [
        question
        for path in sorted(bundled_dir().glob("*.toml"))
        for page in load_lesson(path).pages
        if isinstance(page, QuizPage)
        for question in page.questions
        if question.kind == "multiple_choice"
    ]
    assert len(questions) >= 10
    longest = [
        question.prompt
        for question in questions
        if sorted(len(choice) for choice in question.choices)[-2] < len(question.choices[question.answer])
    ]
    assert len(longest) <= len(questions) / 3, longest
    letters = Counter(question.answer_letter for question in questions)
    assert max(letters.values()) <= 0.4 * len(questions), letters
