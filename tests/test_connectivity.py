"""input_connectivity against PyTorch's autograd Jacobian and against central differences."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_viz import GRU, LSTM, RNN
from lstm_viz.analysis.gradcheck import numerical_jacobian
from lstm_viz.gradients import input_connectivity

STEPS, INPUT, HIDDEN = 6, 3, 5
CASES = {
    "lstm": lambda: LSTM(INPUT, HIDDEN, seed=1),
    "gru": lambda: GRU(INPUT, HIDDEN, seed=2),
    "rnn-tanh": lambda: RNN(INPUT, HIDDEN, seed=3),
    "rnn-relu": lambda: RNN(INPUT, HIDDEN, seed=4, nonlinearity="relu"),
}


def sequence(seed=0):
    return np.random.default_rng(seed).normal(size=(STEPS, INPUT))


@pytest.mark.parametrize("case", sorted(CASES))
def test_connectivity_equals_central_differences(case):
    model = CASES[case]()
    x = sequence(1)
    jacobian = numerical_jacobian(lambda flat: model.forward(flat.reshape(STEPS, INPUT)).h, x.reshape(-1))
    blocks = jacobian.reshape(STEPS, HIDDEN, STEPS, INPUT).transpose(0, 2, 1, 3)  # [t, k] -> (H, I)
    np.testing.assert_allclose(input_connectivity(model, x), np.linalg.norm(blocks, axis=(2, 3)), atol=1e-8)
    np.testing.assert_allclose(input_connectivity(model, x, ord=2), np.linalg.norm(blocks, 2, axis=(2, 3)),
                               atol=1e-8)
    assert np.all(np.triu(input_connectivity(model, x), 1) == 0)  # the future never moves the past
    f32 = input_connectivity(model, x, dtype=np.float32)
    np.testing.assert_allclose(f32, input_connectivity(model, x), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_connectivity_matches_torch_autograd_jacobian(kind):
    torch = pytest.importorskip("torch")
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](INPUT, HIDDEN).double()
    model = {"lstm": LSTM, "gru": GRU, "rnn": RNN}[kind].from_torch(module.state_dict())
    x = sequence(2)
    jacobian = torch.autograd.functional.jacobian(lambda inputs: module(inputs)[0], torch.from_numpy(x))
    blocks = jacobian.numpy().transpose(0, 2, 1, 3)  # (T, T, H, I)
    np.testing.assert_allclose(input_connectivity(model, x), np.linalg.norm(blocks, axis=(2, 3)), atol=1e-12)


def test_connectivity_refuses_what_it_does_not_cover():
    x = sequence()
    with pytest.raises(ValueError, match="one-layer"):
        input_connectivity(LSTM(INPUT, HIDDEN, num_layers=2), x)
    with pytest.raises(ValueError, match="peephole"):
        input_connectivity(LSTM(INPUT, HIDDEN, peephole=True), x)
    with pytest.raises(ValueError, match="ord"):
        input_connectivity(LSTM(INPUT, HIDDEN), x, ord=1)
    with pytest.raises(ValueError, match="one sequence"):
        input_connectivity(LSTM(INPUT, HIDDEN), x, trace=LSTM(INPUT, HIDDEN).forward(x[:, None]))
