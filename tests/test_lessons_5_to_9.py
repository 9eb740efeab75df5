"""Lessons 3 and 6-10 (delta and Hebb, training XOR, hidden representations, activations and losses,
structure in time, unrolling):
their shape, the networks they add, and the value sources they need (settings, mean error by kind).

The numbers the lessons quote are checked against the engine in test_lesson_values.py, with every
other bundled lesson; here are the claims that are not numbers in the text.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.kinds import total_loss, train
from engine.netfile import load_network
from tutor.kinds import QuizPage, TextPage, TracePage, TrainPage, UnrollPage
from tutor.lessons import bundled_dir, check_values, load_lesson
from tutor.lessons.networks import load_ref

LESSONS = {
    3: ("03_delta_hebb.toml", "delta-hebb"),  # the PDP pre-lecture quiz: right after credit assignment
    6: ("06_training_xor.toml", "training-xor"),
    7: ("07_hidden_representations.toml", "hidden-representations"),
    8: ("08_activations_losses.toml", "activations-losses"),
    9: ("09_structure_in_time.toml", "structure-in-time"),
    10: ("10_unrolling.toml", "unrolling"),
}
QUESTION_KINDS = {"multiple_choice", "true_false", "symbolic", "numeric", "chain"}


@pytest.mark.parametrize("order", sorted(LESSONS))
def test_each_lesson_has_text_an_interactive_page_a_quiz_and_ends_with_a_summary(order):
    name, lesson_id = LESSONS[order]
    lesson = load_lesson(bundled_dir() / name)
    assert (lesson.id, lesson.order) == (lesson_id, order)
    kinds = [type(page) for page in lesson.pages]
    assert TextPage in kinds and QuizPage in kinds
    assert {TracePage, UnrollPage} & set(kinds)
    assert isinstance(lesson.pages[-1], TextPage) and lesson.pages[-1].title == "Summary"
    assert len(lesson.pages) <= 10  # one sitting (docs/authoring.md): tighten or split rather than lengthen
    quiz = next(page for page in lesson.pages if isinstance(page, QuizPage))
    assert 5 <= len(quiz.questions) <= 7
    assert len({question.kind for question in quiz.questions}) >= 3
    assert {question.kind for question in quiz.questions} <= QUESTION_KINDS


def test_the_lessons_come_in_teaching_order_with_their_ids_kept():
    """The PDP pre-lecture quiz needs only the delta rule and motivates hidden units: it follows credit
    assignment, before the chain rule. Ids never change, so saved progress still matches."""
    from tutor.lessons import discover_lessons

    assert [lesson.id for lesson in discover_lessons([]).lessons][:11] == [
        "tour",
        "hidden-units",
        "credit-assignment",
        "delta-hebb",
        "chain-rule",
        "generalized-delta",
        "training-xor",
        "hidden-representations",
        "activations-losses",
        "structure-in-time",
        "unrolling",
    ]


def test_every_question_kind_is_used_across_the_lessons():
    kinds = set()
    for name, _ in LESSONS.values():
        for page in load_lesson(bundled_dir() / name).pages:
            if isinstance(page, QuizPage):
                kinds |= {question.kind for question in page.questions}
    assert kinds == QUESTION_KINDS


@pytest.mark.parametrize("order", [3, 6, 7, 9])
def test_the_lessons_that_answer_by_experiment_have_train_pages(order):
    lesson = load_lesson(bundled_dir() / LESSONS[order][0])
    assert any(isinstance(page, TrainPage) for page in lesson.pages)


# -- the claims of "Training XOR" that are not numbers -------------------------------------------


def _xor(name: str, seed: int, epochs: int = 3000, **training) -> tuple:
    net = load_network(bundled_dir() / "networks" / name, seed=seed)
    for key, value in training.items():
        setattr(net.training, key, value)
    return net, train(net, epochs=epochs)


def test_xor_with_seed_9_grows_an_and_and_an_or_detector():
    net, result = _xor("xor.toml", 9)
    assert result.stopped_early
    hidden = net.forward(net.inputs, net.targets).activation[1] > 0.5
    assert hidden[:, 0].tolist() == [False, False, False, True]  # AND
    assert hidden[:, 1].tolist() == [False, True, True, True]  # OR


@pytest.mark.parametrize(
    ("seed", "first", "second"),
    [(3, [1, 0, 0, 0], [0, 0, 0, 1]), (1, [0, 1, 0, 0], [1, 1, 0, 1])],  # NOR and AND; one odd input each
)
def test_other_seeds_split_xor_in_other_ways(seed, first, second):
    net, result = _xor("xor.toml", seed)
    assert result.stopped_early
    hidden = (net.forward(net.inputs, net.targets).activation[1] > 0.5).astype(int)
    assert hidden[:, 0].tolist() == first and hidden[:, 1].tolist() == second


def test_a_third_hidden_unit_is_not_always_put_to_new_use():
    net, _ = _xor("xor_3hidden.toml", 4, epochs=1000)
    hidden = net.forward(net.inputs, net.targets).activation[1]
    assert np.abs(hidden[:, 0] - hidden[:, 2]).max() < 0.1  # two units compute nearly the same thing
    net, _ = _xor("xor_3hidden.toml", 11, epochs=1000)
    weights = np.abs(net.params["output"][0])
    assert weights[1] < 0.1 * weights.max()  # one unit almost idle


def test_three_hidden_units_solve_the_seeds_that_trap_two():
    for seed in (4, 11):
        assert not _xor("xor.toml", seed, epochs=2000)[1].stopped_early
    for seed in range(4, 20):  # the page starts at seed 4; `n` steps through the next ones
        assert _xor("xor_3hidden.toml", seed, epochs=1000)[1].stopped_early, seed


def test_momentum_speeds_xor_about_eightfold():
    with_momentum = _xor("xor.toml", 1)[1].epochs
    without = _xor("xor.toml", 1, momentum=0.0)[1]
    assert without.stopped_early and 6 < without.epochs / with_momentum < 10


# -- "Delta rule and Hebb rule": the pre-lecture quiz, by experiment --------------------------------


def _assoc(name: str, epochs: int):
    net = load_network(bundled_dir() / "networks" / f"assoc_{name}.toml")
    train(net, epochs=epochs)
    return net


def test_hebb_and_delta_agree_after_one_pass_on_orthogonal_inputs_only():
    assert np.allclose(_assoc("orthogonal_hebb", 1).params["output"], _assoc("orthogonal_delta", 1).params["output"])
    assert not np.allclose(
        _assoc("independent_hebb", 1).params["output"], _assoc("independent_delta", 1).params["output"]
    )
    # after more passes the delta rule stops and the Hebb rule keeps adding
    assert np.allclose(_assoc("orthogonal_delta", 3).params["output"], _assoc("orthogonal_delta", 1).params["output"])
    assert np.allclose(_assoc("orthogonal_hebb", 3).params["output"], 3 * _assoc("orthogonal_hebb", 1).params["output"])


def test_the_three_input_sets_are_what_the_lesson_says():
    sets = {
        name: load_network(bundled_dir() / "networks" / f"assoc_{name}.toml").inputs
        for name in ("orthogonal_delta", "independent_delta", "dependent_delta")
    }
    for inputs in sets.values():
        assert np.array_equal(inputs[:2], sets["orthogonal_delta"][:2])  # x1 and x2 are shared
    orthogonal = sets["orthogonal_delta"]
    assert np.allclose(orthogonal @ orthogonal.T, np.eye(3))  # orthogonal and normalised
    independent = sets["independent_delta"]
    assert np.linalg.matrix_rank(independent) == 3 and not np.allclose(independent @ independent.T, np.eye(3))
    dependent = sets["dependent_delta"]
    assert np.linalg.matrix_rank(dependent) == 2 and np.allclose(dependent[2], dependent[0] - dependent[1])


def test_the_delta_rule_on_dependent_inputs_settles_near_the_least_squares_best():
    net = _assoc("dependent_delta", 300)
    x, t = net.inputs, net.targets
    best, *_ = np.linalg.lstsq(x, t, rcond=None)
    least = 0.5 * float(((x @ best - t) ** 2).sum())
    assert least == pytest.approx(2 / 3)
    assert least < total_loss(net) < least + 0.01


def test_the_delta_rule_learns_independent_inputs_exactly():
    assert total_loss(_assoc("independent_delta", 20)) < 1e-10


# -- lesson 9: truncation cuts the only link to step 1 ---------------------------------------------


def test_truncation_removes_the_long_range_gradient():
    from engine.recurrent import backward_by_lag, forward_sequence

    net = load_network(bundled_dir() / "networks" / "srn_four_steps.toml")
    x, t = net.sequences[0]
    only_last = np.array([0.0, 0.0, 0.0, 1.0])
    full = backward_by_lag(net, forward_sequence(net, x, t), None, sources=only_last).gradients
    cut = backward_by_lag(net, forward_sequence(net, x, t), 1, sources=only_last).gradients
    assert full["hidden"][0, 0] < 0 and cut["hidden"][0, 0] == 0


# -- value sources added for these lessons -------------------------------------------------------

STREAM_NET = """
name = "Short temporal XOR stream"

[[layers]]
name = "input"
size = 1

[[layers]]
name = "hidden"
size = 2
context = true
bias = true

[[layers]]
name = "output"
size = 1
bias = true

[training]
update = "step"
bptt_steps = 0
initial_context = 0.5

[stream]
task = "temporal_xor"
length = 30
seed = 1
test_length = 30
"""

LESSON = """
[lesson]
id = "v"
title = "Values"
summary = "S"

[[pages]]
kind = "text"
title = "T"
text = "T"

[[values]]
quote = "{quote}"
network = "{network}"
{source}
"""


def _value_problems(tmp_path, quote: str, network: str, source: str) -> list:
    (tmp_path / "networks").mkdir(exist_ok=True)
    (tmp_path / "networks" / "stream.toml").write_text(STREAM_NET, encoding="utf-8")
    path = tmp_path / "v.toml"
    path.write_text(LESSON.format(quote=quote, network=network, source=source), encoding="utf-8")
    lesson = load_lesson(path)
    return [(problem.line, problem.message) for problem in check_values(lesson.values)]


def test_mean_error_is_the_test_streams_mean_error_by_what_comes_next(tmp_path):
    from engine.recurrent import position_errors

    (tmp_path / "networks").mkdir()
    (tmp_path / "networks" / "stream.toml").write_text(STREAM_NET, encoding="utf-8")
    net = load_network(tmp_path / "networks" / "stream.toml")
    train(net, epochs=2)
    stream = net.test_stream
    errors = position_errors(net, stream.inputs, stream.targets)
    mean = float(np.mean([e for e, kind in zip(errors, stream.kinds, strict=True) if kind == "xor-next"]))
    quote = f"{mean:.6f}"
    assert _value_problems(tmp_path, quote, "stream.toml", 'mean_error = "xor-next"\ntrain_epochs = 2') == []
    wrong = f"{mean + 0.001:.6f}"
    [(line, message)] = _value_problems(tmp_path, wrong, "stream.toml", 'mean_error = "xor-next"\ntrain_epochs = 2')
    assert line == 13 and "the mean error where xor-next" in message


def test_mean_error_names_what_is_missing(tmp_path):
    [(_, message)] = _value_problems(tmp_path, ".1", "stream.toml", 'mean_error = "xor-nxt"')
    assert "no positions of kind 'xor-nxt'" in message and "xor-next" in message
    [(_, message)] = _value_problems(tmp_path, ".1", "xor.toml", 'mean_error = "xor-next"')
    assert "has no [stream]" in message


def test_the_stopping_criterion_and_weight_range_are_settings(tmp_path):
    assert _value_problems(tmp_path, ".04", "xor.toml", 'setting = "ecrit"') == []
    assert _value_problems(tmp_path, ".5", "xor.toml", 'setting = "weight_range"') == []
    [(_, message)] = _value_problems(tmp_path, ".04", "two_two_two.toml", 'setting = "ecrit"')
    assert "no ecrit" in message


def test_a_trained_network_is_reused_without_sharing_its_state(tmp_path):
    source = "total_loss = true\ntrain_epochs = 281"
    assert _value_problems(tmp_path, ".0386", "xor.toml", source) == []
    assert _value_problems(tmp_path, ".0386", "xor.toml", source) == []  # from the cache, same answer
    assert _value_problems(tmp_path, ".0386", "xor.toml", source + "\nstart = { seed = 1 }") == []


# -- lesson 8: two hidden units learn temporal XOR only partly (issue 15, item 1) --------------------


def _mean_errors(net) -> dict[str, float]:
    from engine.recurrent import position_errors

    stream = net.test_stream
    errors = position_errors(net, stream.inputs, stream.targets)
    kinds = sorted(set(stream.kinds))
    return {k: float(np.mean([e for e, kind in zip(errors, stream.kinds, strict=True) if kind == k])) for k in kinds}


def test_two_hidden_units_learn_the_xor_bits_only_partly_and_stay_there():
    net = load_network(bundled_dir() / "networks" / "temporal_xor.toml")
    train(net, epochs=50)
    after_50 = _mean_errors(net)
    train(net, epochs=50)  # fifty more passes, as on the page "Where the error drops"
    after_100 = _mean_errors(net)
    for errors in (after_50, after_100):
        # better than guessing where the XOR bit comes next, but far from learned (the 4-unit file gets .0554)
        assert 0.08 < errors["xor-next"] < 0.8 * errors["random-next"]
        assert errors["random-next"] == pytest.approx(0.125, abs=0.01)
    assert abs(after_100["xor-next"] - after_50["xor-next"]) < 0.002  # "barely move it"


# -- issue 15: claims of the second edition that are not numbers in the text -----------------------


def _is_temporal_xor(bits: str, offset: int) -> bool:
    b = [int(c) for c in bits]
    return all(b[i] ^ b[i + 1] == b[i + 2] for i in range(offset, len(b) - 2, 3))


def test_the_slides_temporal_xor_stream_is_no_xor_stream_and_elmans_is():
    # docs/errata.md: the recurrent lecture's "10100011110101…" fits no alignment of triples
    assert not any(_is_temporal_xor("10100011110101", offset) for offset in range(3))
    assert _is_temporal_xor("101000011110101", 0)


def test_dependent_patterns_with_targets_that_fit_are_learned_exactly():
    # lesson "Delta rule and Hebb rule": linear independence is enough, not necessary
    net = load_network(bundled_dir() / "networks" / "assoc_dependent_delta.toml")
    assert np.allclose(net.inputs[2], net.inputs[0] - net.inputs[1])
    net.targets[2] = net.targets[0] - net.targets[1]  # targets obeying the inputs' relation
    train(net, epochs=300)
    assert total_loss(net) < 1e-10
    net = load_network(bundled_dir() / "networks" / "assoc_dependent_delta.toml")  # the lesson's own targets
    train(net, epochs=300)
    assert total_loss(net) > 0.6


def test_the_softmax_delta_is_the_sum_of_its_k_equals_j_and_k_not_j_cases():
    from engine.kinds import build_trace

    net = load_network(bundled_dir() / "networks" / "softmax_ce.toml")
    trace = build_trace(net, 0)
    a = np.array([trace["a.output.0"].value, trace["a.output.1"].value])
    t = net.targets[0]
    for j in range(2):
        same = (-t[j] / a[j]) * a[j] * (1 - a[j])  # k = j
        others = sum((-t[k] / a[k]) * (-a[k] * a[j]) for k in range(2) if k != j)  # k ≠ j
        assert same + others == pytest.approx(trace[f"dE/dn.output.{j}"].value, abs=1e-12)
        assert same + others == pytest.approx(a[j] - t[j], abs=1e-12)


def test_the_numbered_xor_network_names_its_biases_as_the_slides_do():
    from engine.kinds import build_trace

    net = load_network(bundled_dir() / "networks" / "xor_numbered.toml")
    trace = build_trace(net, 3, "xa")
    assert trace["dE/db.output.0"].symbol == "∂E/∂w_6,5"  # bias unit 6 feeds the output unit 5
    assert trace["dE/db.hidden.0"].symbol == "∂E/∂w_0,3" and trace["dE/db.hidden.1"].symbol == "∂E/∂w_0,4"
    assert "w_6,5" in trace["n.output.0"].formula and "w_0,5" not in trace["n.output.0"].formula


def test_e1_to_e3_push_the_input_weight_down_and_e4_up():
    # lesson "Unrolling in time", page "An error that has to travel"
    from engine.kinds import build_trace

    net = load_network(bundled_dir() / "networks" / "srn_four_steps.toml")
    trace = build_trace(net, 0)
    parts = [trace[f"dE{t}/dw.hidden.0.0"].value for t in (1, 2, 3, 4)]
    assert all(part > 0 for part in parts[:3]) and parts[3] < 0
    assert parts[0] > 5 * parts[1] > 25 * parts[2]  # about tenfold smaller per step back
    assert all(trace[f"a.output.0@t{t}"].value > 0.5 for t in (1, 2, 3))  # outputs above ½, targets 0
    assert sum(parts) == pytest.approx(trace["dE/dw.hidden.0.0"].value)


# -- "What hidden units learn": the codes the encoders find ----------------------------------------


def test_the_4_2_4_encoder_learns_a_two_bit_code_that_its_outputs_decode():
    net = load_network(bundled_dir() / "networks" / "encoder_424.toml")
    result = train(net)
    assert result.stopped_early and result.epochs == 93
    trained = net.forward(net.inputs, net.targets)
    # the trace page's weights are the run's, rounded to one decimal: the same code
    page = load_lesson(bundled_dir() / "07_hidden_representations.toml").pages[2]
    rounded = load_ref(page.network)
    for key, value in net.params.items():
        assert np.allclose(rounded.params[key], np.round(value, 1))
    for activation in (trained.activation, rounded.forward(rounded.inputs, rounded.targets).activation):
        hidden, output = activation[1], activation[-1]
        assert ((hidden < 0.1) | (hidden > 0.9)).all()  # every unit near 0 or 1
        corners = {tuple(row) for row in (hidden > 0.5).astype(int).tolist()}
        assert len(corners) == 4  # four patterns, four corners of the square
        assert (output.argmax(axis=1) == np.arange(4)).all()


def test_the_8_3_8_encoder_settles_with_middling_hidden_values_its_outputs_still_read():
    net = load_network(bundled_dir() / "networks" / "encoder_838.toml")
    result = train(net)
    assert result.stopped_early and result.epochs == 370
    activation = net.forward(net.inputs, net.targets).activation
    hidden, output = activation[1], activation[-1]
    middling = (hidden > 0.3) & (hidden < 0.7)
    assert middling.any() and middling[5, :2].all()  # pattern 6: h1 and h2 in between
    assert abs(hidden[1, 2] - hidden[2, 2]) < 0.01  # patterns 2 and 3 share h3 ...
    assert abs(hidden[1, 1] - hidden[2, 1]) > 0.9  # ... and differ on h2
    assert (output.argmax(axis=1) == np.arange(8)).all()


def test_the_relu_network_computes_xor_as_or_but_not_and():
    net = load_network(bundled_dir() / "networks" / "xor_relu.toml")
    activation = net.forward(net.inputs, net.targets).activation
    assert activation[-1].ravel().tolist() == [0, 1, 1, 0]
    assert activation[1][:, 0].tolist() == [0, 1, 1, 2]  # h1: x1 + x2, on when at least one input is
    assert activation[1][:, 1].tolist() == [0, 0, 0, 1]  # h2: AND
    assert total_loss(net) == 0
