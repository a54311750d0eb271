"""Unit ordering, selection, saturation and window helpers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_viz.analysis import units as analysis

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
    np.testing.assert_array_equal(analysis.parse_unit_list("3, 5, 10-12", 20), [3, 5, 10, 11, 12])
    np.testing.assert_array_equal(analysis.parse_unit_list("2；1 1、０", 5), [2, 1, 0])
    np.testing.assert_array_equal(analysis.parse_unit_list("4-2", 5), [4, 3, 2])
    for spec, reason in [("", "empty"), ("  ,", "empty"), ("a", "syntax"), ("<b>1</b>", "syntax"),
                         ("1-x", "syntax"), ("7", "range"), ("3-9", "range"), ("-1", "syntax"), ("²", "syntax"), ("1 - 3", "syntax")]:
        with pytest.raises(analysis.UnitListError) as info:
            analysis.parse_unit_list(spec, 5)
        assert info.value.reason == reason
    assert len(analysis.parse_unit_list("0-999999", 10**6, max_items=100)) == 100


def test_saturation_fractions():
    gate = np.array([[0.05, 0.5], [0.95, 0.5], [0.01, 0.99], [0.5, 0.92]])
    left, right = analysis.saturation_fractions(gate)
    np.testing.assert_allclose(left, [0.5, 0.0])
    np.testing.assert_allclose(right, [0.25, 0.5])


def test_windows_and_strides():
    assert analysis.step_window(10, 20) == analysis.StepWindow(0, 10, 10)
    assert analysis.step_window(1000, 400) == analysis.StepWindow(600, 1000, 1000)
    assert analysis.step_window(1000, 400, center=10) == analysis.StepWindow(0, 400, 1000)
    assert analysis.step_window(1000, 400, center=500).steps[0] == 300
    picked = analysis.stride_indices(1000, 100)
    assert len(picked) <= 100 and picked[0] == 0 and picked[-1] == 999


def test_by_distance_and_spectral_norm():
    distance, values = analysis.by_distance(np.array([10.0, 20.0, 30.0]))
    np.testing.assert_array_equal(distance, [0, 1, 2])
    np.testing.assert_array_equal(values, [30.0, 20.0, 10.0])
    assert analysis.spectral_norm(np.diag([3.0, -4.0])) == pytest.approx(4.0)
