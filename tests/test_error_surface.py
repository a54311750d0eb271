"""The one-unit RNN's error surface, its cliff, gradient descent with and without clipping."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_viz import LSTM
from lstm_viz.analysis.error_surface import OneUnitProblem, descend, gradient_norms_by_scale, loss_and_gradient, loss_surface

PROBLEM = OneUnitProblem()


@pytest.mark.parametrize("w, b", [(0.5, 0.1), (1.2, -0.06), (2.5, -0.3), (3.0, 0.2)])
def test_gradient_is_the_derivative_of_the_surface(w, b):
    eps = 1e-7
    _, grad = loss_and_gradient(PROBLEM, w, b)
    numeric_w = (loss_and_gradient(PROBLEM, w + eps, b)[0] - loss_and_gradient(PROBLEM, w - eps, b)[0]) / (2 * eps)
    numeric_b = (loss_and_gradient(PROBLEM, w, b + eps)[0] - loss_and_gradient(PROBLEM, w, b - eps)[0]) / (2 * eps)
    np.testing.assert_allclose(grad, [numeric_w, numeric_b], rtol=1e-5, atol=1e-9)


def test_the_surface_has_a_cliff_where_the_attractor_flips():
    w_values, b_values = np.linspace(1.5, 3.0, 7), np.linspace(-0.6, 0.2, 41)
    surface = loss_surface(PROBLEM, w_values, b_values)
    assert surface.shape == (41, 7)
    plateau_low, plateau_high = (1 - PROBLEM.target) ** 2, (1 + PROBLEM.target) ** 2
    for column in surface.T:  # along b, for every w > 1: from the h -> -1 plateau to the h -> +1 one
        assert column[0] == pytest.approx(plateau_high, abs=0.15) and column[-1] == pytest.approx(plateau_low, abs=0.05)
        assert np.abs(np.diff(column)).max() > 2.0  # one grid step of 0.02 in b: a wall, not a slope
    with pytest.raises(ValueError):
        loss_surface(PROBLEM, np.zeros(200), np.zeros(200))


def test_clipping_caps_the_step_that_the_cliff_would_throw():
    start, lr = (1.05, -0.15), 0.05
    plain = descend(PROBLEM, start, lr, steps=100)
    clipped = descend(PROBLEM, start, lr, steps=100, clip=0.5)
    assert plain.grad_norms.max() > 10  # it meets the cliff
    assert plain.jumps.max() > 1.0  # ... and one step flies off
    assert clipped.jumps.max() <= lr * 0.5 + 1e-12  # clipped: never longer than lr·c
    assert clipped.losses[-1] < clipped.losses[0]
    with pytest.raises(ValueError):
        descend(PROBLEM, start, lr=-1.0)


def test_an_lstm_gradient_still_explodes_and_clipping_caps_it():
    model = LSTM(4, 16, seed=0)
    x = np.random.default_rng(0).normal(size=(60, 4))
    result = gradient_norms_by_scale(model, x, [1.0, 4.0, 8.0, 16.0], clip=1.0)
    assert result["norm"][-1] > 1e4 * result["norm"][0]  # large recurrent weights: exploding
    np.testing.assert_array_equal(result["clipped"], np.minimum(result["norm"], 1.0))
