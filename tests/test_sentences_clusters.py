"""Elman's (1990) sentences in small: the grammar, hierarchical clustering of the mean hidden state
per word (engine.clusters), the shipped trained network's tree, and the clusters page."""

from __future__ import annotations

import numpy as np
import pytest

from engine.clusters import cluster, hidden_tree, mean_hidden_by_input
from engine.netfile import load_network
from engine.tasks import ANIMATE, ANIMATE_VERBS, INANIMATE, LEXICON, THING_VERBS, sentences
from tests.app_support import make_app
from tests.conftest import NETWORKS
from tutor.widgets.dendrogram import dendrogram_lines

NOUNS = set(ANIMATE + INANIMATE)
VERBS = set(ANIMATE_VERBS) | set(THING_VERBS)


def test_the_grammar_makes_subject_verb_and_optional_object_sentences():
    stream = sentences(400, seed=2)
    words = stream.labels
    assert set(words) <= set(LEXICON) and len(LEXICON) == 17 and (stream.inputs.sum(axis=1) == 1).all()
    k = 0
    while k < len(words) - 3:
        subject, verb = words[k], words[k + 1]
        assert subject in NOUNS and verb in (ANIMATE_VERBS if subject in ANIMATE else THING_VERBS)
        transitive = (ANIMATE_VERBS | THING_VERBS)[verb]
        if transitive:
            assert words[k + 2] in NOUNS
        k += 3 if transitive else 2
    nxt = [LEXICON[i] for i in stream.targets.argmax(axis=1)]
    assert stream.kinds == ["noun-next" if w in NOUNS else "verb-next" for w in nxt]


def test_average_linkage_by_hand():
    # four points on a line: 0, 1, 5, 7. Closest: {a, b} at 1; then {c, d} at 2; then the two groups
    # at the mean of their four distances, (5 + 7 + 4 + 6) / 4 = 5.5
    tree = cluster(["a", "b", "c", "d"], np.array([[0.0], [1.0], [5.0], [7.0]]))
    assert [(m.left, m.right, m.height) for m in tree.merges] == [(0, 1, 1.0), (2, 3, 2.0), (4, 5, 5.5)]
    assert tree.top_split() == ({"a", "b"}, {"c", "d"}) and tree.order() == [0, 1, 2, 3]
    # a point joins the group whose members are closest on average, not the nearest single point
    tree = cluster(["x", "y", "z"], np.array([[0.0, 0.0], [0.0, 3.0], [0.0, 4.5]]))
    assert tree.merges[0].height == 1.5 and tree.words(3) == {"y", "z"} and tree.merges[1].height == 3.75


def test_the_mean_hidden_state_of_a_word_is_the_mean_over_its_steps():
    net = load_network(NETWORKS / "sentences.toml")
    stream = net.test_stream
    words, means = mean_hidden_by_input(net, stream.inputs[:50], stream.labels[:50])
    from engine import recurrent

    hidden = recurrent.forward_sequence(net, stream.inputs[:50]).activation[1]
    first = words[0]
    picked = [hidden[t] for t, w in enumerate(stream.labels[:50]) if w == first]
    assert means[0] == pytest.approx(np.mean(picked, axis=0))


def test_the_shipped_network_splits_nouns_from_verbs_then_animate_from_inanimate():
    tree = hidden_tree(load_network(NETWORKS / "sentences.toml"))
    top = tree.top_split()
    assert set(map(frozenset, top)) == {frozenset(NOUNS), frozenset(VERBS)}
    top_merge = tree.merges[-1]
    nouns = top_merge.left if tree.words(top_merge.left) == NOUNS else top_merge.right
    assert set(map(frozenset, tree.top_split(nouns))) == {frozenset(ANIMATE), frozenset(INANIMATE)}


def test_the_dendrogram_puts_a_word_every_other_row_and_each_join_at_its_height():
    tree = cluster(["a", "b", "c", "d"], np.array([[0.0], [1.0], [5.0], [7.0]]))
    lines = [line.plain for line in dendrogram_lines(tree, 24)]  # 2-column labels, 21 columns (0-20) to draw in
    assert [lines[y][:2] for y in (0, 2, 4, 6)] == ["a ", "b ", "c ", "d "] and len(lines) == 8
    # {a, b} joins at 1 of 5.5: column round(1 / 5.5 × 20) = 4; {c, d} at 2 / 5.5 × 20 → 7; the last
    # join in the last column (20), from the rows between a and b (1) and between c and d (5)
    plot = [line[2:] for line in lines[:7]]
    assert (plot[0][4], plot[1][4], plot[2][4]) == ("┐", "┤", "┘")
    assert (plot[4][7], plot[5][7], plot[6][7]) == ("┐", "┤", "┘")
    assert (plot[1][20], plot[3][20], plot[5][20]) == ("┐", "┤", "┘") and plot[2][20] == plot[4][20] == "│"
    assert plot[1][5:20] == "─" * 15 and plot[0][:4] == "─" * 4
    assert lines[7].strip().startswith("0") and lines[7].strip().endswith("5.50")


async def test_the_clusters_page_shows_the_tree_and_r_retrains_it():
    from tutor.messages import PageDone

    done = []
    app = make_app()
    hook = lambda m: done.append(m) if isinstance(m, PageDone) else None  # noqa: E731
    async with app.run_test(size=(120, 36), message_hook=hook) as pilot:
        lesson = app.found.get("words-and-sentences")
        index = next(page.index for page in lesson.pages if page.kind == "clusters")
        app.open_lesson("words-and-sentences", index)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        note = str(view.query_one("#clusters-note").render())
        assert "Last join" in note and "trained" in view.status
        shipped = view.word_tree
        view.net.training.epochs = 1  # one pass, to keep the test short
        await pilot.press("r")  # the status says "retraining…" until the worker is done
        for _ in range(200):
            await pilot.pause(0.05)
            if not view.training:
                break
        assert not view.training and view.word_tree != shipped and view.status == "retrained from fresh weights"
        assert done
