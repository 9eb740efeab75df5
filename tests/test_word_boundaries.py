"""Elman's (1990) word segmentation in small: the word_boundaries task, its network file, and the
`by_kind` that `bptutor train --json` reports for it (word-initial error well above the rest)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.netfile import load_network
from engine.tasks import ALPHABET, NOUNS, TASKS, VERBS, mean_by_place, word_boundaries
from tests.conftest import NETWORKS
from tests.test_cli import run


def split_words(text: str) -> list[str]:
    """The stream cut back into words (the lexicon has no word that is the start of another); what is
    left at the end must be the start of a word."""
    words, rest = [], text
    while (word := next((w for w in NOUNS + VERBS if rest.startswith(w)), None)) is not None:
        words.append(word)
        rest = rest[len(word) :]
    assert any(w.startswith(rest) for w in NOUNS + VERBS), rest
    return words


def test_the_stream_is_noun_verb_noun_sentences_without_spaces_one_letter_a_step():
    stream = word_boundaries(299, seed=5)  # 300 letters: inputs are letters 0..298, targets 1..299
    text = "".join(stream.labels) + ALPHABET[int(stream.targets[-1].argmax())]
    assert set(text) <= set(ALPHABET) and len(ALPHABET) == TASKS["word_boundaries"][1] == 15
    assert not any(a != b and b.startswith(a) for a in NOUNS + VERBS for b in NOUNS + VERBS)
    words = split_words(text)
    full = words[: len(words) - len(words) % 3]
    assert len(full) >= 30
    for k in range(0, len(full), 3):
        assert full[k] in NOUNS and full[k + 1] in VERBS and full[k + 2] in NOUNS
    # localist: one unit on a step; the target of step t is the input of step t + 1
    assert (stream.inputs.sum(axis=1) == 1).all() and np.array_equal(stream.targets[:-1], stream.inputs[1:])
    assert [ALPHABET[i] for i in stream.inputs.argmax(axis=1)] == stream.labels


def test_kinds_and_places_mark_the_letter_that_comes_next():
    stream = word_boundaries(60, seed=0)
    text = "".join(stream.labels) + ALPHABET[int(stream.targets[-1].argmax())]
    starts, at = set(), 0
    for word in split_words(text):
        starts.add(at)
        at += len(word)
    for t in range(56):
        assert (stream.kinds[t] == "word_start") == (t + 1 in starts), t
        assert (stream.places[t] == 0) == (stream.kinds[t] == "word_start")
    assert mean_by_place([1.0, 2.0, 3.0, 5.0], [0, 1, 0, 1]) == [2.0, 3.5]


def test_the_stream_is_reproducible_from_its_seed():
    a, b, c = word_boundaries(200, 7), word_boundaries(200, 7), word_boundaries(200, 8)
    assert a.labels == b.labels and a.kinds == b.kinds and a.labels != c.labels


def test_the_network_file_asks_for_the_task_with_one_unit_a_letter():
    net = load_network(NETWORKS / "word_boundaries.toml")
    assert net.layers[0].size == net.layers[-1].size == len(ALPHABET)
    assert net.stream.task == "word_boundaries" and len(net.stream.labels) == 3000
    assert net.layers[0].labels == list(ALPHABET)


def test_train_json_reports_by_kind_and_word_initial_error_is_at_least_one_and_a_half_times_the_rest():
    result = run("train", str(NETWORKS / "word_boundaries.toml"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_kind, errors, kinds = data["by_kind"], data["position_errors"], data["position_kinds"]
    assert set(by_kind) == {"word_start", "inside_word"} and data["mean_error_by_kind"] == by_kind
    for kind, mean in by_kind.items():
        picked = [e for e, k in zip(errors, kinds, strict=True) if k == kind]
        assert mean == pytest.approx(sum(picked) / len(picked))
    assert by_kind["word_start"] >= 1.5 * by_kind["inside_word"]
    # by place in the word: the first letter is the hardest; every later place is far below it
    net = load_network(NETWORKS / "word_boundaries.toml")
    places = mean_by_place(errors, net.test_stream.places)
    assert places[0] == by_kind["word_start"] and max(places[1:]) < places[0] / 2


@pytest.mark.parametrize("name", ["01b_gradient_descent.toml", "11_words_and_sentences.toml"])
def test_the_new_lessons_fit_one_sitting_and_end_with_a_quiz_and_a_summary(name):
    from tutor.kinds import QuizPage, TextPage
    from tutor.lessons import bundled_dir, load_lesson

    lesson = load_lesson(bundled_dir() / name)
    assert len(lesson.pages) <= 10
    assert isinstance(lesson.pages[-1], TextPage) and lesson.pages[-1].title == "Summary"
    quiz = next(page for page in lesson.pages if isinstance(page, QuizPage))
    assert 5 <= len(quiz.questions) <= 7 and len({question.kind for question in quiz.questions}) >= 3


def test_the_word_lesson_quotes_the_trained_errors_and_attributes_the_simulation():
    from tutor.lessons import bundled_dir, load_lesson

    lesson = load_lesson(bundled_dir() / "11_words_and_sentences.toml")
    kinds = {value.quote: (value.mean_error, value.train_epochs) for value in lesson.values}
    assert kinds == {".417": ("word_start", 10), ".0556": ("inside_word", 10)}
    first = lesson.pages[0].text
    assert "Elman (1990" in first and "What is a 'word'?" in first
    structure = load_lesson(bundled_dir() / "09_structure_in_time.toml")
    learned = next(page for page in structure.pages if page.title == "What the network has learned")
    assert "separate simulation" in learned.text and "The next lesson runs that\nsimulation" in learned.text
