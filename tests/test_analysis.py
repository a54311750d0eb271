"""Unit ordering, selection and saturation (lstm_viz.analysis.units); unit lists and step windows
(lstm_viz.ui.widgets); the gradient study's helpers (lstm_viz.analysis.gradient_study)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_viz.analysis import gradient_study
from lstm_viz.analysis import units as analysis
from lstm_viz.ui import widgets

RNG = np.random.default_rng(3)


def test_index_mean_variance_orders():
    values = np.array([[0.0, 1.0, 0.5], [0.0, 3.0, -0.5], [0.0, 2.0, 0.5]])
    np.testing.assert_array_equal(analysis.unit_order(values, "index"), [0, 1, 2])
    np.testing.assert_array_equal(analysis.unit_order(values, "mean"), [1, 2, 0])
    np.testing.assert_array_equal(analysis.unit_order(values, "variance"), [1, 2, 0])
    with pytest.raises(ValueError):
        analysis.unit_order(values, "nope")


def test_cluster_order_groups_correlated_units():
    base = RNG.normal(size=(80, 2))
    groups = np.concatenate([base[:, [0]] + 0.01 * RNG.normal(size=(80, 4)),
                             base[:, [1]] + 0.01 * RNG.normal(size=(80, 4))], axis=1)
    permutation = RNG.permutation(8)
    shuffled = groups[:, permutation]
    order = analysis.unit_order(shuffled, "cluster")
    original_group = permutation[order] // 4  # which hidden factor each displayed unit follows
    assert sorted(order.tolist()) == list(range(8))
    assert np.count_nonzero(np.diff(original_group)) == 1  # one block per group


def test_cluster_order_handles_constant_units_without_warnings():
    values = np.concatenate([np.ones((10, 3)), RNG.normal(size=(10, 2))], axis=1)
    order = analysis.cluster_order(values)
    assert sorted(order.tolist()) == list(range(5))
    distance = analysis.correlation_distance(values)
    assert np.isfinite(distance).all() and np.allclose(np.diag(distance), 0)


def test_greedy_chain_used_for_many_units(monkeypatch):
    monkeypatch.setattr(analysis, "AGGLOMERATIVE_MAX_UNITS", 4)
    order = analysis.cluster_order(RNG.normal(size=(20, 9)))
    assert sorted(order.tolist()) == list(range(9)) and order[0] == 0


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 25), st.sampled_from(analysis.ORDERS), st.integers(0, 10_000))
def test_every_order_is_a_permutation(n_steps, n_units, method, seed):
    values = np.random.default_rng(seed).normal(size=(n_steps, n_units))
    order = analysis.unit_order(values, method)
    assert sorted(order.tolist()) == list(range(n_units))


def test_top_k_by_variance():
    values = np.stack([np.zeros(5), np.arange(5.0), 10 * np.arange(5.0), np.ones(5)], axis=1)
    np.testing.assert_array_equal(analysis.top_k_units(values, 2), [1, 2])
    np.testing.assert_array_equal(analysis.top_k_units(values, 99), [0, 1, 2, 3])


def test_parse_unit_list():
    np.testing.assert_array_equal(widgets.parse_unit_list("3, 5, 10-12", 20), [3, 5, 10, 11, 12])
    np.testing.assert_array_equal(widgets.parse_unit_list("2；1 1、０", 5), [2, 1, 0])
    np.testing.assert_array_equal(widgets.parse_unit_list("4-2", 5), [4, 3, 2])
    for spec, reason in [("", "empty"), ("  ,", "empty"), ("a", "syntax"), ("<b>1</b>", "syntax"),
                         ("1-x", "syntax"), ("7", "range"), ("3-9", "range"), ("-1", "syntax"), ("²", "syntax"), ("1 - 3", "syntax")]:
        with pytest.raises(widgets.UnitListError) as info:
            widgets.parse_unit_list(spec, 5)
        assert info.value.reason == reason
    assert len(widgets.parse_unit_list("0-999999", 10**6, max_items=100)) == 100


def test_saturation_fractions():
    gate = np.array([[0.05, 0.5], [0.95, 0.5], [0.01, 0.99], [0.5, 0.92]])
    left, right = analysis.saturation_fractions(gate)
    np.testing.assert_allclose(left, [0.5, 0.0])
    np.testing.assert_allclose(right, [0.25, 0.5])


def test_step_windows():
    assert widgets.step_window(10, 20) == widgets.StepWindow(0, 10, 10)
    assert widgets.step_window(1000, 400) == widgets.StepWindow(600, 1000, 1000)
    assert widgets.step_window(1000, 400, center=10) == widgets.StepWindow(0, 400, 1000)
    assert widgets.step_window(1000, 400, center=500).steps[0] == 300


def test_by_distance_and_spectral_norm():
    distance, values = gradient_study.by_distance(np.array([10.0, 20.0, 30.0]))
    np.testing.assert_array_equal(distance, [0, 1, 2])
    np.testing.assert_array_equal(values, [30.0, 20.0, 10.0])
    assert gradient_study.spectral_norm(np.diag([3.0, -4.0])) == pytest.approx(4.0)
    matrix = RNG.normal(size=(12, 4))
    assert gradient_study.spectral_norm(matrix) == pytest.approx(np.linalg.norm(matrix, 2), rel=1e-12)


def test_gradient_regime_and_critical_scale():
    assert [gradient_study.gradient_regime(s) for s in (0.5, 0.99, 1.0, 1.015, 1.5)] == \
        ["vanishing", "critical", "critical", "critical", "exploding"]
    assert gradient_study.critical_scale(1.25) == pytest.approx(0.8)
    assert gradient_study.critical_scale(0.0) == float("inf")
    scales, sigmas = gradient_study.sigma_against_scale(1.25, 0.1, 3.0, n=30)
    np.testing.assert_allclose(scales, np.linspace(0.1, 3.0, 30))
    np.testing.assert_allclose(sigmas, 1.25 * scales)


def test_longest_memory_units_put_the_chosen_unit_first():
    product = np.array([[0.2, 0.9, 0.5, 0.9], [1.0, 1.0, 1.0, 1.0]])  # (W=2, H=4); row 0 = from the first step
    assert gradient_study.longest_memory_units(product, 2) == [1, 3]  # ties: lower unit first
    assert gradient_study.longest_memory_units(product, 2, first=3) == [3, 1]
    assert gradient_study.longest_memory_units(product, 2, first=0) == [0, 1, 3]
    np.testing.assert_allclose(gradient_study.mean_over_units(product), [0.625, 1.0])


def test_compute_study_window_state_comes_from_the_steps_before():
    """A capped study equals the engine run over the window from the state the earlier steps left."""
    from lstm_viz import LSTM, gradients

    model = LSTM(3, 5, seed=4)
    x = RNG.normal(size=(30, 3))
    study = gradient_study.compute_study(model, x, 1.5, max_steps=12)
    assert study.start == 18 and study.kind == "lstm"
    scaled = model.scaled_recurrent(1.5)
    before = scaled.forward(x[:18])
    expected = gradients.jacobian_norms(scaled, x[18:], ord=2, h0=before.h[-1], c0=before.c[-1])
    np.testing.assert_allclose(study.jacobian_norms, expected, rtol=1e-12)
    trace = scaled.forward(x[18:], h0=before.h[-1], c0=before.c[-1])
    np.testing.assert_allclose(study.forget_product, gradients.forget_gate_product(trace), rtol=1e-12)
    assert study.sigma_max == pytest.approx(1.5 * study.base_sigma_max, rel=1e-12)
    assert study.base_sigma_max == pytest.approx(np.linalg.norm(model.weight_hh, 2), rel=1e-12)
    assert study.bound is None and set(study.contributions) >= {"weight_hh_l0", "weight_ih_l0"}
