"""Elman's (1990) classic results, reproduced with fixed seeds (qualitative, not tight thresholds)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.kinds import train
from engine.netfile import load_network
from engine.recurrent import forward_sequence, position_errors
from engine.tasks import LETTERS, letters, temporal_xor


def mean_by_kind(net) -> dict[str, float]:
    stream = net.test_stream
    errors = position_errors(net, stream.inputs, stream.targets)
    kinds = np.array(stream.kinds)
    return {kind: float(errors[kinds == kind].mean()) for kind in set(stream.kinds)}


def test_streams_are_reproducible_and_well_formed():
    a, b = temporal_xor(30, 5), temporal_xor(30, 5)
    assert np.array_equal(a.inputs, b.inputs)
    bits = [int(x) for x in a.labels] + [int(a.targets[-1, 0])]
    for i in range(0, 27, 3):
        assert bits[i + 2] == bits[i] ^ bits[i + 1]
    assert np.array_equal(a.targets[:-1], a.inputs[1:])  # the target is the next input
    text = "".join(letters(200, 1).labels)
    for word in ("ba", "dii", "guuu"):
        assert word in text
    assert "bi" not in text and "gaa" not in text
    assert letters(10, 1).inputs[0].tolist() == list(LETTERS[letters(10, 1).labels[0]])


@pytest.fixture(scope="module")
def temporal_xor_4():
    net = load_network("lessons/networks/temporal_xor_4.toml")
    train(net)  # 30 passes through the 3,000-bit stream, as the file says
    return net


def test_temporal_xor_error_drops_at_every_third_bit(temporal_xor_4):
    errors = mean_by_kind(temporal_xor_4)
    assert errors["xor-next"] < 0.6 * errors["random-next"]
    assert errors["random-next"] > 0.1  # the random bits stay unpredictable (chance is 0.125)


def test_temporal_xor_error_pattern_repeats_with_period_three(temporal_xor_4):
    stream = temporal_xor_4.test_stream
    errors = position_errors(temporal_xor_4, stream.inputs, stream.targets)
    by_phase = [errors[phase::3].mean() for phase in range(3)]
    assert int(np.argmin(by_phase)) == 1  # input t is the 2nd bit of a triple: the XOR comes next


def test_two_hidden_units_learn_it_too_from_the_files_seed():
    net = load_network("lessons/networks/temporal_xor.toml")
    train(net, epochs=30)
    errors = mean_by_kind(net)
    assert errors["xor-next"] < 0.85 * errors["random-next"]


@pytest.fixture(scope="module")
def letter_net():
    net = load_network("lessons/networks/letters.toml")
    train(net, epochs=5)
    return net


def test_letters_vowels_are_predictable_consonants_are_not(letter_net):
    errors = mean_by_kind(letter_net)
    assert errors["consonant-next"] > 5 * errors["first-vowel-next"]
    assert errors["consonant-next"] > 5 * errors["vowel-next"]


def test_letters_that_a_consonant_comes_is_predicted_everywhere(letter_net):
    stream = letter_net.test_stream
    outputs = forward_sequence(letter_net, stream.inputs, stream.targets).activation[-1]
    kinds = np.array(stream.kinds)
    consonant_bit_error = np.abs(outputs[:, 0] - stream.targets[:, 0])
    for kind in ("consonant-next", "first-vowel-next", "vowel-next"):
        assert consonant_bit_error[kinds == kind].mean() < 0.1
    # ...while which consonant comes is not: the High and Back bits stay uncertain there
    uncertain = np.abs(outputs[:, 3:5] - stream.targets[:, 3:5])[kinds == "consonant-next"].mean()
    assert uncertain > 0.2
