"""Generated questions: the stored answer equals an independent recomputation, the worked solution's
chain factors multiply to it, and the slips are what the named mistakes would give, over many seeds."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from engine.numbers import fmt
from engine.recurrent import sequence_loss
from engine.trace import parse_connection
from tutor.kinds import NumericQuestion
from tutor.lessons import discover_lessons, load_lesson
from tutor.lessons.networks import draw_network
from tutor.quiz import EPSILON_FORGOTTEN, HALF_FORGOTTEN, SIGN_FLIPPED, AnswerFormError, check_numeric
from tutor.quiz.check import with_sign_flipped
from tutor.quiz.generate import (
    ALL_SLOPES_MISSING,
    INPUT_MISSING,
    LETTERS,
    SLOPE_MISSING,
    GenerationError,
    Item,
    make_item,
    quiz_questions,
    weight_of,
)

# Over seeds 0-199 every numeric item of the tour offers the same six slips, except at 46, 113 and 144,
# where a slip's number falls too close to another's and is left out. Those three are kept; beyond a few
# dozen ordinary seeds more of them check nothing new.
SEEDS = [*range(24), 46, 113, 144]

# -- an independent scalar backprop (loops over units, math module only) --------------------------

_VALUE = {
    "sigmoid": lambda n: 1 / (1 + math.exp(-n)),
    "tanh": math.tanh,
    "relu": lambda n: max(n, 0.0),
    "linear": lambda n: n,
    "step": lambda n: float(n >= 0),
    "softplus": lambda n: math.log(1 + math.exp(n)),
}
_SLOPE = {
    "sigmoid": lambda n, a: a * (1 - a),
    "tanh": lambda n, a: 1 - a * a,
    "relu": lambda n, a: float(n >= 0),
    "linear": lambda n, a: 1.0,
    "step": lambda n, a: 0.0,
    "softplus": lambda n, a: 1 / (1 + math.exp(-n)),
}


def reference(net, pattern: int, loss: str | None = None, skip_slopes=()) -> dict[str, float]:
    """Every trace quantity of one pattern of a feed-forward network, by hand: {term id: value}.

    `loss` replaces the network's loss (to compute the "½ forgotten" slip); a unit "layer.j" in
    `skip_slopes` has its ∂a/∂n taken as 1 in the backward pass (the "a(1 − a) missing" slip).
    """
    loss = loss or net.loss_name
    layers, P = net.layers, {k: v.tolist() for k, v in net.params.items()}
    x, t = net.inputs[pattern].tolist(), net.targets[pattern].tolist()
    v: dict[str, float] = {}
    acts, nets = [x], [None]
    for k in range(1, len(layers)):
        layer, below = layers[k], acts[-1]
        n = [
            sum(below[i] * P[layer.name][j][i] for i in range(len(below)))
            + (P[layer.name + "_bias"][j] if layer.bias else 0.0)
            for j in range(layer.size)
        ]
        if layer.activation == "softmax":
            top = max(n)
            e = [math.exp(z - top) for z in n]
            a = [z / sum(e) for z in e]
        else:
            a = [_VALUE[layer.activation](z) for z in n]
        for j in range(layer.size):
            v[f"n.{layer.name}.{j}"], v[f"a.{layer.name}.{j}"] = n[j], a[j]
        nets.append(n)
        acts.append(a)
    out, top = acts[-1], len(layers) - 1
    if loss == "half_sse":
        v["E"] = 0.5 * sum((tj - aj) ** 2 for tj, aj in zip(t, out, strict=True))
        dE_da = [aj - tj for tj, aj in zip(t, out, strict=True)]
    elif loss == "sse":
        v["E"] = sum((tj - aj) ** 2 for tj, aj in zip(t, out, strict=True))
        dE_da = [2 * (aj - tj) for tj, aj in zip(t, out, strict=True)]
    else:
        raise NotImplementedError(loss)
    delta: list[float] = []
    for k in range(top, 0, -1):
        layer = layers[k]
        if k < top:
            above = layers[k + 1]
            dE_da = [sum(delta[q] * P[above.name][q][j] for q in range(above.size)) for j in range(layer.size)]
        delta = []
        for j in range(layer.size):
            slope = _SLOPE[layer.activation](nets[k][j], acts[k][j])
            v[f"dE/da.{layer.name}.{j}"], v[f"da/dn.{layer.name}.{j}"] = dE_da[j], slope
            delta.append(dE_da[j] * (1.0 if f"{layer.name}.{j}" in skip_slopes else slope))
            v[f"dE/dn.{layer.name}.{j}"] = delta[j]
        lr = net.training.learning_rate
        for j in range(layer.size):
            for i in range(layers[k - 1].size):
                g = delta[j] * acts[k - 1][i]
                v[f"dE/dw.{layer.name}.{j}.{i}"] = g
                v[f"dw.{layer.name}.{j}.{i}"] = -lr * g
                v[f"w.{layer.name}.{j}.{i}"] = P[layer.name][j][i] - lr * g
            if layer.bias:
                v[f"dE/db.{layer.name}.{j}"] = delta[j]
                v[f"db.{layer.name}.{j}"] = -lr * delta[j]
                v[f"b.{layer.name}.{j}"] = P[layer.name + "_bias"][j] - lr * delta[j]
    return v


def finite_difference(net, pattern: int, weight: str, h: float = 1e-6) -> float:
    """(E(w + h) − E(w − h)) / 2h for one weight, on one pattern (or sequence, for a recurrent network)."""
    key, index = parse_connection(weight)
    twin = net.copy()

    def loss() -> float:
        if twin.is_recurrent:
            return sequence_loss(twin, *twin.sequences[pattern])
        return twin.forward(twin.inputs[pattern], twin.targets[pattern]).loss

    old = twin.params[key][index]
    twin.params[key][index] = old + h
    up = loss()
    twin.params[key][index] = old - h
    down = loss()
    twin.params[key][index] = old
    return (up - down) / (2 * h)


def close(x: float, y: float, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    return math.isclose(x, y, rel_tol=rel, abs_tol=abs_)


# -- lessons to ask from ------------------------------------------------------------------------


def tour():
    return discover_lessons().get("tour")


def numeric_sources():
    return [(page, q) for page, q in quiz_questions(tour()) if isinstance(q, NumericQuestion)]


def lesson_with_terms(tmp_path: Path, network: str, terms: list[str], randomize: str, key: str = "pattern") -> object:
    """A lesson file with one numeric question per term id, on a bundled network."""
    questions = "\n".join(
        f'[[pages.questions]]\nkind = "numeric"\nprompt = "Compute {term}."\nnetwork = "{network}"\n'
        f'term = "{term}"\n{key} = 0\nrandomize = {randomize}\n'
        for term in terms
    )
    text = (
        f'[lesson]\nid = "terms"\ntitle = "Every term"\nsummary = "One question per term."\n\n'
        f'[[pages]]\nkind = "quiz"\ntitle = "Terms"\n\n{questions}'
    )
    path = tmp_path / "terms.toml"
    path.write_text(text, encoding="utf-8")
    return load_lesson(path)


def trace_ids(network: str) -> list[str]:
    from engine.kinds import build_trace
    from engine.netfile import load_network

    return [term.id for term in build_trace(load_network(Path("lessons/networks") / network), 0).terms]


# -- the bundled numeric questions, over many seeds ---------------------------------------------------


def test_the_tour_has_a_numeric_question():
    assert numeric_sources(), "the tour lesson should ask one numeric question"


@pytest.mark.parametrize("seed", SEEDS)
def test_bundled_numeric_answers_equal_an_independent_recomputation(seed):
    lesson = tour()
    for page, question in numeric_sources():
        item = make_item(lesson, page, question, seed)
        net = draw_network(question, seed)
        by_hand = reference(net, question.pattern)
        assert close(item.answer, by_hand[question.term], rel=1e-9, abs_=1e-15)
        if question.term.startswith("dE/dn."):  # δ_j = ∂E/∂b_j when unit j has a bias
            term = item.trace[question.term]
            layer, j = term.layer, term.unit
            if net.layers[[lay.name for lay in net.layers].index(layer)].bias:
                assert close(item.answer, finite_difference(net, question.pattern, f"{layer}_bias[{j}]"), 1e-5, 1e-9)
        assert_solution_multiplies_to_answer(item)
        assert_slips_are_what_the_mistakes_give(item, net, question.pattern)


def assert_solution_multiplies_to_answer(item: Item) -> None:
    steps = item.solution.steps
    assert steps[-1].id == item.question.term and steps[-1].value == item.answer
    assert [s.id for s in steps] == sorted((s.id for s in steps), key=item.trace.index), "steps in trace order"
    chain = item.solution.chain
    if chain is None:
        return
    for path in chain.paths:
        assert close(path.product, math.prod(f.value for f in path.factors))
    total = math.fsum(p.product for p in chain.paths)
    assert close(total, chain.total, 1e-12, 1e-15)
    term = item.trace[item.question.term]
    expected = term.value
    if term.kind in ("delta_w", "new_w"):
        key, index = parse_connection(weight_of(term))
        change = -item.network.training.learning_rate * total
        expected_from_chain = change if term.kind == "delta_w" else item.trace.weights_before[key][index] + change
        assert close(expected_from_chain, expected, 1e-9, 1e-15)
    else:
        assert close(total, expected, 1e-9, 1e-15)


def assert_slips_are_what_the_mistakes_give(item: Item, net, pattern: int) -> None:
    term = item.trace[item.question.term]
    names = [slip.name for slip in item.slips]
    assert len(names) == len(set(names))
    for n, slip in enumerate(item.slips):  # every slip can be told from the answer and from the others
        assert not any(
            check_numeric(slip.value, v, item.digits).correct for v in [item.answer, *(s.value for s in item.slips[:n])]
        )
    doubled = reference(_with_loss(net, "sse"), pattern)  # the ½ of half-SSE forgotten
    for slip in item.slips:
        first, *also = slip.name.split(" or ")  # two slips giving the same number are named together
        expected, rel, abs_ = slip_gives(item, net, pattern, term, doubled, first)
        assert close(slip.value, expected, rel, abs_), (first, slip.value, expected)
        for name in also:  # named too, because it gives the same number at the digits asked
            gives = slip_gives(item, net, pattern, term, doubled, name)[0]
            assert check_numeric(gives, slip.value, item.digits).correct
        verdict = item.check(fmt(slip.value))
        assert not verdict.correct and verdict.slip == slip.name


def slip_gives(item: Item, net, pattern: int, term, doubled, name: str) -> tuple[float, float, float]:
    """What the named slip gives, worked out from the reference and finite differences; the tolerances to use."""
    rel, abs_ = 1e-9, 1e-15
    if name == SIGN_FLIPPED:
        if term.kind == "new_w":
            key, index = parse_connection(weight_of(term))
            w = item.trace.weights_before[key][index]
            expected = w + net.training.learning_rate * item.trace[f"dE/d{term.id}"].value
        else:
            expected = -item.answer
    elif name == HALF_FORGOTTEN:
        expected = doubled[term.id]
    elif name == ALL_SLOPES_MISSING:
        units = [f"{layer.name}.{j}" for layer in net.layers[1:] for j in range(layer.size)]
        expected = reference(net, pattern, skip_slopes=units)[term.id]
    elif (unit := _unit_named(net, item, name)) is not None:
        expected = reference(net, pattern, skip_slopes=[unit])[term.id]
        if term.id == f"dE/dn.{unit}":
            assert close(expected, item.trace[f"dE/da.{unit}"].value), "δ without a(1 − a) is ∂E/∂a"
    elif name.endswith(SLOPE_MISSING):  # "a_h1 missing": ∂E/∂w_ij without a_i is δ_j
        key, (j, i) = parse_connection(weight_of(term))
        assert name == f"{item.trace.notation.a(net.layers[_below(net, key)].label(i), _below(net, key) == 0)} missing"
        delta = reference(net, pattern)[f"dE/dn.{key}.{j}"]
        lr, w = net.training.learning_rate, net.params[key][j, i]
        expected = {"dE_dw": delta, "delta_w": -lr * delta, "new_w": w - lr * delta}[term.kind]
    elif name == EPSILON_FORGOTTEN:  # Δw = −∂E/∂w: the step without its ε
        gradient = finite_difference(net, pattern, weight_of(term))
        key, index = parse_connection(weight_of(term))
        change = -gradient + net.training.momentum * float(net.velocity[key][index])
        expected = change if term.kind == "delta_w" else item.trace.weights_before[key][index] + change
        rel, abs_ = 1e-5, 1e-9
    else:
        raise AssertionError(f"a slip no test knows: {name}")
    return expected, rel, abs_


def _below(net, key: str) -> int:
    return [layer.name for layer in net.layers].index(key) - 1


def _with_loss(net, loss: str):
    from engine.losses import LOSSES

    twin = net.copy()
    twin.loss_name, twin.loss = loss, LOSSES[loss]
    return twin


def _unit_named(net, item: Item, slip_name: str) -> str | None:
    """The unit "layer.j" whose slope a slip's name says is missing ("a_h1(1 − a_h1) missing", "σ(n_h1) missing")."""
    N = item.trace.notation
    for layer, fn in zip(net.layers[1:], net.fns[1:], strict=True):
        for j, lab in enumerate(layer.labels):
            if slip_name == f"{fn.slope_symbols(N.a(lab), N.n(lab))} {SLOPE_MISSING}":
                return f"{layer.name}.{j}"
    return None


def test_same_seed_same_numbers_other_seed_other_numbers():
    lesson = tour()
    page, question = numeric_sources()[0]
    a, b, c = (make_item(lesson, page, question, s) for s in (5, 5, 6))
    assert a.answer == b.answer and a.givens == b.givens and a.slips == b.slips
    assert a.answer != c.answer and a.givens != c.givens


def test_a_numeric_item_gives_the_learner_every_number():
    lesson = tour()
    page, question = numeric_sources()[0]
    item = make_item(lesson, page, question, 11)
    groups = {g.group: dict(g.values) for g in item.givens}
    net = item.network
    assert list(groups["inputs"].values()) == net.inputs[0].tolist()
    assert list(groups["targets"].values()) == net.targets[0].tolist()
    assert list(groups["weights into hidden"].values()) == net.params["hidden"].ravel().tolist()
    assert list(groups["biases into output"].values()) == net.params["output_bias"].tolist()
    assert groups["settings"] == {"ε": 0.5}
    for value in groups["inputs"].values():
        assert 0 <= value <= 1 and round(value, 2) == value  # drawn from [0, 1], rounded for hand work
    assert "2 inputs → 2 hidden (sigmoid, biases) → 2 output (sigmoid, biases)" in item.summary
    assert "½" in item.summary and "ε = 0.50" in item.summary


def test_the_learner_s_number_is_placed_at_the_step_it_matches():
    lesson = tour()
    page, question = numeric_sources()[0]
    item = make_item(lesson, page, question, 3)
    dE_da = item.trace["dE/da.hidden.0"]
    assert item.matching_step(dE_da.value).id == "dE/da.hidden.0"
    assert item.matching_step(item.answer).id == question.term
    assert item.matching_step(12345.0) is None


# -- every kind of term the trace knows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("network", "randomize"),
    [
        ("two_two_two.toml", "{ weights = 0.5, inputs = [0.0, 1.0], targets = [0.0, 1.0] }"),
        ("one_hidden_unit.toml", "{ weights = 1.0, inputs = [-1.0, 1.0] }"),
        ("xor.toml", "{ weights = true }"),
        ("units_softplus.toml", "{ weights = 1.0 }"),
    ],
)
def test_every_term_of_a_feed_forward_trace_can_be_asked(tmp_path, network, randomize):
    lesson = lesson_with_terms(tmp_path, network, trace_ids(network), randomize)
    for page, question in quiz_questions(lesson):
        for seed in range(4):
            item = make_item(lesson, page, question, seed)
            net = draw_network(question, seed)
            assert close(item.answer, reference(net, 0)[question.term], 1e-9, 1e-15), question.term
            weight = weight_of(item.trace[question.term])
            if weight and question.term.startswith("dE/d"):
                assert close(item.answer, finite_difference(net, 0, weight), 1e-5, 1e-9)
            assert_solution_multiplies_to_answer(item)
            assert_slips_are_what_the_mistakes_give(item, net, 0)
            assert item.check(fmt(item.answer)).correct


def test_gradient_and_update_terms_have_their_chain_and_forward_terms_none(tmp_path):
    terms = ["n.hidden.0", "a.output.1", "E", "da/dn.hidden.1", "dE/da.output.0", "dE/dn.hidden.0", "dE/da.hidden.1"]
    terms += ["dE/dw.hidden.0.1", "dE/db.output.1", "dw.hidden.1.0", "w.output.0.1", "b.hidden.0"]
    lesson = lesson_with_terms(tmp_path, "two_two_two.toml", terms, "{ weights = true }")
    chains = {q.term: make_item(lesson, p, q, 1).solution.chain for p, q in quiz_questions(lesson)}
    no_chain = ["n.hidden.0", "a.output.1", "E", "da/dn.hidden.1", "dE/da.output.0"]  # one factor is no chain
    assert [t for t, c in chains.items() if c is None] == no_chain
    assert len(chains["dE/dw.hidden.0.1"].paths) == 2  # through o1 and through o2
    assert [p.label for p in chains["dE/dn.hidden.0"].paths] == ["through o1", "through o2"]
    assert [f.symbol for f in chains["dE/da.hidden.1"].paths[0].factors] == ["∂E/∂a_o1", "∂a_o1/∂n_o1", "∂n_o1/∂a_h2"]
    assert [f.symbol for f in chains["w.output.0.1"].paths[0].factors] == [
        "∂E/∂a_o1",
        "∂a_o1/∂n_o1",
        "∂n_o1/∂w_h2,o1",
    ]


def test_a_recurrent_network_s_terms_can_be_asked(tmp_path):
    ids = trace_ids("tiny_srn.toml")
    asked = [i for i in ids if i.startswith(("dE/dw.", "dw.", "w.", "a.", "E"))]
    lesson = lesson_with_terms(tmp_path, "tiny_srn.toml", asked, "{ weights = 0.8 }", key="sequence")
    for page, question in quiz_questions(lesson):
        for seed in range(6):
            item = make_item(lesson, page, question, seed)
            term = item.trace[question.term]
            assert item.answer == term.value
            assert any(g.group == "step 1" for g in item.givens)
            assert "errors sent all the way back in time" in item.summary
            weight = weight_of(term)
            if weight and term.kind == "dE_dw":
                net = draw_network(question, seed)
                assert close(item.answer, finite_difference(net, 0, weight), 1e-5, 1e-9)
                assert close(item.solution.chain.total, item.answer, 1e-9, 1e-15)
                for slip in item.slips:
                    if slip.name == HALF_FORGOTTEN:
                        assert close(slip.value, 2 * item.answer)
                    assert slip.name in (SIGN_FLIPPED, HALF_FORGOTTEN, INPUT_MISSING, ALL_SLOPES_MISSING) or (
                        slip.name.endswith(SLOPE_MISSING)
                    )


def test_a_slip_made_with_a_flipped_sign_is_told_and_explained(tmp_path):
    terms = ["dE/dn.hidden.0", "w.hidden.0.1"]  # a δ, and a new weight (whose sign slip steps up the gradient)
    lesson = lesson_with_terms(tmp_path, "two_two_two.toml", terms, "{ weights = 0.5 }")
    told = set()
    for page, question in quiz_questions(lesson):
        for seed in range(4):
            item = make_item(lesson, page, question, seed)
            flipped = item.slip(SIGN_FLIPPED)
            for slip in item.slips if flipped else ():
                if slip is flipped:
                    continue
                value = item.answer + flipped.value - slip.value  # mirrored as the sign slip mirrors the answer
                if slip.name == HALF_FORGOTTEN and question.term.startswith("dE/dn"):
                    assert close(value, -2 * item.answer)
                if any(
                    check_numeric(value, v, item.digits).correct for v in (item.answer, *(s.value for s in item.slips))
                ):
                    continue  # told as a slip of its own
                both = with_sign_flipped(slip.name)
                assert item.check(fmt(value)).slip == both
                assert item.slip(both).value == pytest.approx(value) and item.slip(both).how.startswith(slip.how)
                told.add((item.trace[question.term].kind, slip.name == HALF_FORGOTTEN))
    assert {("dE_dn", True), ("new_w", False)} <= told


def test_a_term_the_trace_does_not_have_is_a_generation_error(tmp_path):
    lesson = lesson_with_terms(tmp_path, "two_two_two.toml", ["dE/dw.hidden.0.7"], "{ weights = true }")
    page, question = quiz_questions(lesson)[0]
    with pytest.raises(GenerationError, match=r"no term 'dE/dw\.hidden\.0\.7'"):
        make_item(lesson, page, question, 0)


# -- chain assembly -----------------------------------------------------------------------------------


def chain_source():
    return next((p, q) for p, q in quiz_questions(tour()) if q.kind == "chain")


@pytest.mark.parametrize("seed", range(50))
def test_a_chain_item_offers_the_trace_s_factors_and_plausible_wrong_ones(seed):
    page, question = chain_source()
    item = make_item(tour(), page, question, seed)
    chain = item.trace.chain(question.weight)
    assert item.answer == tuple(f.symbol for f in chain.paths[0])
    assert set(item.answer) < set(item.choices) and len(item.choices) == len(set(item.choices))
    distractors = set(item.choices) - set(item.answer)
    assert 2 <= len(distractors) <= 4
    assert "∂E/∂t_out" in distractors and "∂n_out/∂a_out" in distractors  # a target, a slope upside down
    assert item.check(list(item.answer)).correct and item.check(list(reversed(item.answer))).correct
    wrong = [item.answer[0], sorted(distractors)[0], *item.answer[2:]]
    assert not item.check(wrong).correct and item.check(wrong).position == 1
    path = item.solution.chain.paths[0]
    assert close(path.product, math.prod(f.value for f in path.factors)) and close(path.product, chain.total.value)


def test_chain_options_are_shuffled_by_the_seed():
    page, question = chain_source()
    orders = {make_item(tour(), page, question, seed).choices for seed in range(10)}
    assert len(orders) > 5
    assert make_item(tour(), page, question, 4).choices == make_item(tour(), page, question, 4).choices


def test_a_multi_path_weight_asks_for_one_named_path(tmp_path):
    path = tmp_path / "chain.toml"
    path.write_text(
        '[lesson]\nid = "c"\ntitle = "C"\nsummary = "S"\n\n[[pages]]\nkind = "quiz"\ntitle = "Q"\n\n'
        '[[pages.questions]]\nkind = "chain"\nprompt = "Assemble ∂E/∂w."\nnetwork = "two_two_two.toml"\n'
        'weight = "hidden[0][1]"\n',
        encoding="utf-8",
    )
    lesson = load_lesson(path)
    page, question = quiz_questions(lesson)[0]
    seen = set()
    for seed in range(20):
        item = make_item(lesson, page, question, seed)
        chain = item.trace.chain("hidden[0][1]")
        n = [tuple(f.symbol for f in p) for p in chain.paths].index(item.answer)
        label = ["through o1", "through o2"][n]
        seen.add(label)
        assert "sum over 2 paths" in item.prompt and f"the path {label}" in item.prompt
        assert close(item.solution.chain.total, chain.products[n].value)
    assert seen == {"through o1", "through o2"}


# -- the other kinds ------------------------------------------------------------------------------------


def test_shuffled_choices_come_in_an_order_drawn_from_the_seed_and_the_explanation_follows():
    lesson = discover_lessons().get("generalized-delta")
    page, question = next((p, q) for p, q in quiz_questions(lesson) if "Choice (c)" in q.explanation)
    written = make_item(lesson, page, question, 3)
    assert written.choices == question.choices and written.order == () and written.answer == question.answer
    orders = set()
    for seed in range(8):
        item = make_item(lesson, page, question, seed, shuffle=True)
        assert item == make_item(lesson, page, question, seed, shuffle=True)  # the seed decides
        assert sorted(item.choices) == sorted(question.choices)
        assert item.choices[item.answer] == question.choices[question.answer]
        assert item.check(LETTERS[item.answer]).correct
        assert item.solution.expected == f"({LETTERS[item.answer]}) {question.choices[question.answer]}"
        shown = LETTERS[item.order.index(2)]  # where the written choice (c) now stands
        assert f"Choice ({shown})" in item.explanation
        orders.add(item.choices)
    assert len(orders) > 4


def test_choice_true_false_and_symbolic_items():
    lesson = tour()
    items = {q.kind: make_item(lesson, p, q, 0) for p, q in quiz_questions(lesson)}
    mc = items["multiple_choice"]
    assert mc.check("c").correct and not mc.check("a").correct
    assert mc.solution.expected.startswith("(c) Hidden units have no targets")
    tf = items["true_false"]
    assert tf.check("true").correct and tf.solution.expected == "true"
    sym = items["symbolic"]
    assert sym.check("σ(n)*(1-σ(n))").correct
    assert sym.solution.expected == "a·(1 − a)" and "a, n" in sym.form
    verdict = sym.check("-a*(1-a)")
    assert not verdict.correct and verdict.slip == SIGN_FLIPPED
    with pytest.raises(AnswerFormError):
        sym.check("__import__('os')")
    assert {i.seed for i in items.values()} == {0} and np.isscalar(items["numeric"].answer)
