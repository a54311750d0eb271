"""Jacobian norms, bounds and per-step gradient contributions (lstm_viz.analysis.jacobians)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_viz import GRU, LSTM, RNN
from lstm_viz.gradients import (
    PARAM_NAMES,
    cell_jacobian_norms,
    forget_gate_product,
    gradient_check,
    gradient_contributions,
    gradient_shares,
    jacobian_norms,
    numerical_jacobian,
    rnn_jacobian_bound,
)

T, I, H = 7, 3, 5


def make_model(kind, seed=0, hidden=H, inputs=I):
    if kind == "lstm":
        return LSTM(inputs, hidden, seed=seed)
    if kind == "gru":
        return GRU(inputs, hidden, seed=seed)
    return RNN(inputs, hidden, seed=seed, nonlinearity=kind.split("-")[1])


KINDS = ["lstm", "gru", "rnn-tanh", "rnn-relu"]


def sequence(seed=0, steps=T, inputs=I, batch=None, scale=1.0):
    shape = (steps, inputs) if batch is None else (steps, batch, inputs)
    return scale * np.random.default_rng(100 + seed).standard_normal(shape)


def finite_difference_jacobians(model, x, h0=None, c0=None, state="h", out="h"):
    """[∂out_{T-1}/∂state_k for k = 0..T-1] by perturbing state_k (the other state held
    fixed) and re-running the tail x[k+1:] of the sequence."""
    trace = model.forward(x, h0=h0, c0=c0) if model.kind == "lstm" else model.forward(x, h0=h0)
    steps = len(x)
    jacobians = []
    for k in range(steps):
        h_k = np.array(trace.h[k])
        c_k = np.array(trace.c[k]) if model.kind == "lstm" else None

        def tail(value, k=k, h_k=h_k, c_k=c_k):
            h_start, c_start = (value, c_k) if state == "h" else (h_k, value)
            if k == steps - 1:
                return h_start if out == "h" else c_start
            if model.kind == "lstm":
                tail_trace = model.forward(x[k + 1:], h0=h_start, c0=c_start)
            else:
                tail_trace = model.forward(x[k + 1:], h0=h_start)
            return tail_trace.h[-1] if out == "h" else tail_trace.c[-1]

        start = h_k if state == "h" else c_k
        jacobians.append(numerical_jacobian(tail, start, eps=1e-6))
    return jacobians


# ----------------------------------------------------------------------------- Jacobian norms
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", [0, 1])
def test_jacobian_norms_match_finite_differences(kind, seed):
    model = make_model(kind, seed)
    x = sequence(seed)
    h0 = 0.3 * np.random.default_rng(seed).standard_normal(H)
    c0 = 0.5 * np.random.default_rng(seed + 7).standard_normal(H) if kind == "lstm" else None
    jacobians = finite_difference_jacobians(model, x, h0=h0, c0=c0)
    fro = jacobian_norms(model, x, ord="fro", h0=h0, c0=c0)
    spectral = jacobian_norms(model, x, ord=2, h0=h0, c0=c0)
    assert fro.shape == spectral.shape == (T,)
    np.testing.assert_allclose(fro, [np.linalg.norm(J, "fro") for J in jacobians], rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(spectral, [np.linalg.norm(J, 2) for J in jacobians], rtol=1e-6, atol=1e-12)
    assert fro[-1] == pytest.approx(np.sqrt(H)) and spectral[-1] == pytest.approx(1.0)


@settings(max_examples=30, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    steps=st.integers(1, 5),
    hidden=st.integers(1, 4),
    seed=st.integers(0, 2**16),
    weight_scale=st.sampled_from([0.1, 1.0, 3.0]),
)
def test_jacobian_norms_match_finite_differences_for_random_sizes(kind, steps, hidden, seed, weight_scale):
    model = make_model(kind, seed, hidden=hidden, inputs=2).scaled_recurrent(weight_scale)
    x = sequence(seed, steps=steps, inputs=2)
    jacobians = finite_difference_jacobians(model, x)
    np.testing.assert_allclose(jacobian_norms(model, x), [np.linalg.norm(J) for J in jacobians],
                               rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(jacobian_norms(model, x, ord=2), [np.linalg.norm(J, 2) for J in jacobians],
                               rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 3])
def test_cell_jacobian_norms_match_finite_differences(seed):
    model = LSTM(I, H, seed=seed)
    x = sequence(seed)
    jacobians = finite_difference_jacobians(model, x, state="c", out="c")
    np.testing.assert_allclose(cell_jacobian_norms(model, x), [np.linalg.norm(J) for J in jacobians],
                               rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(cell_jacobian_norms(model, x, ord=2), [np.linalg.norm(J, 2) for J in jacobians],
                               rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_jacobian_norms_match_torch_autograd(kind):
    torch = pytest.importorskip("torch")
    model = make_model(kind, seed=5)
    x = sequence(5)
    trace = model.forward(x)
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}.get(kind)
    if module is None:
        torch_model = torch.nn.RNN(I, H, nonlinearity=kind.split("-")[1])
    else:
        torch_model = module(I, H)
    torch_model = torch_model.double()
    torch_model.load_state_dict({k: torch.as_tensor(np.array(v)) for k, v in model.state_dict().items()})
    x_t = torch.as_tensor(x)
    expected_fro, expected_2 = [], []
    for k in range(T):
        if k == T - 1:
            jac = np.eye(H)
        else:
            c_k = torch.as_tensor(np.array(trace.c[k])).view(1, H) if kind == "lstm" else None

            def tail(h_k, k=k, c_k=c_k):
                state = (h_k.view(1, H), c_k) if kind == "lstm" else h_k.view(1, H)
                return torch_model(x_t[k + 1:], state)[0][-1]

            jac = torch.autograd.functional.jacobian(tail, torch.as_tensor(np.array(trace.h[k]))).numpy()
        expected_fro.append(np.linalg.norm(jac))
        expected_2.append(np.linalg.norm(jac, 2))
    np.testing.assert_allclose(jacobian_norms(model, x), expected_fro, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(jacobian_norms(model, x, ord=2), expected_2, rtol=1e-10, atol=1e-14)


def test_precomputed_trace_gives_the_same_norms():
    model = LSTM(I, H, seed=2)
    x = sequence(2)
    h0, c0 = np.full(H, 0.1), np.full(H, -0.2)
    direct = jacobian_norms(model, x, h0=h0, c0=c0)
    np.testing.assert_array_equal(direct, jacobian_norms(model, None, trace=model.forward(x, h0=h0, c0=c0)))
    assert not np.allclose(direct, jacobian_norms(model, x))


@pytest.mark.parametrize("kind", KINDS)
def test_single_step_is_identity(kind):
    model = make_model(kind)
    x = sequence(steps=1)
    np.testing.assert_allclose(jacobian_norms(model, x), [np.sqrt(H)])
    np.testing.assert_allclose(jacobian_norms(model, x, ord=2), [1.0])


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn-tanh"])
def test_long_vanishing_sequence_stays_finite_in_log10(kind):
    """Rescaling by powers of two: norms far below float64's range are still exact in log10."""
    model = make_model(kind, hidden=4).scaled_recurrent(0.05)
    x = sequence(steps=2500, inputs=I, scale=3.0)  # saturating inputs: tiny slopes
    logs = jacobian_norms(model, x, log10=True)
    assert np.all(np.isfinite(logs))
    assert logs[0] < -330  # underflows float64 (min normal ~1e-308), yet finite in log10
    plain = jacobian_norms(model, x)
    assert plain[0] == 0.0  # honest underflow, without a warning
    tail = plain > 1e-290
    np.testing.assert_allclose(np.log10(plain[tail]), logs[tail], rtol=1e-12, atol=1e-12)
    # float32 chain: same answer to ~1e-5 relative (1e-5 in log10 units is tighter still)
    np.testing.assert_allclose(jacobian_norms(model, x, log10=True, dtype=np.float32), logs, atol=1e-4)


def test_exploding_jacobian_overflows_to_inf_quietly():
    """h stays at the fixed point 0 (x = 0, no bias), where tanh' = 1: J_k = W^(T-1-k) = 8^(T-1-k) I."""
    model = RNN(I, 4, seed=0)
    model.weight_hh[...] = 8.0 * np.eye(4)
    model.bias_ih[...] = 0.0
    model.bias_hh[...] = 0.0
    x = np.zeros((400, I))
    logs = jacobian_norms(model, x, ord=2, log10=True)
    np.testing.assert_allclose(logs, np.arange(399, -1, -1) * np.log10(8.0), rtol=1e-12)
    np.testing.assert_allclose(logs, rnn_jacobian_bound(model, 400, log10=True), rtol=1e-12)
    with np.errstate(over="raise"):
        plain = jacobian_norms(model, x, ord=2)
    assert np.isinf(plain[0]) and np.isfinite(plain[-50])


def test_dead_relu_units_give_exact_zeros():
    model = RNN(I, H, seed=0, nonlinearity="relu")
    model.bias_ih[...] = -100.0  # every unit dead: h = 0, slope 0
    x = sequence()
    norms = jacobian_norms(model, x)
    np.testing.assert_array_equal(norms[:-1], 0.0)
    logs = jacobian_norms(model, x, log10=True)
    assert np.all(np.isneginf(logs[:-1])) and logs[-1] == pytest.approx(0.5 * np.log10(H))


def test_jacobian_argument_errors():
    lstm = LSTM(I, H)
    with pytest.raises(ValueError, match="one sequence"):
        jacobian_norms(lstm, sequence(batch=2))
    with pytest.raises(ValueError, match="ord"):
        jacobian_norms(lstm, sequence(), ord=1)
    with pytest.raises(ValueError, match="dtype"):
        jacobian_norms(lstm, sequence(), dtype=np.int64)
    with pytest.raises(ValueError, match="LSTM"):
        cell_jacobian_norms(GRU(I, H), sequence())
    with pytest.raises(ValueError, match="c0"):
        jacobian_norms(GRU(I, H), sequence(), c0=np.zeros(H))
    with pytest.raises(ValueError, match="unbatched"):
        jacobian_norms(lstm, None, trace=lstm.forward(sequence(batch=2)))


# ----------------------------------------------------------------------------- cell path
def test_forget_gate_product():
    model = LSTM(I, H, seed=4)
    trace = model.forward(sequence(4))
    product = forget_gate_product(trace)
    assert product.shape == (T, H)
    np.testing.assert_array_equal(product[-1], 1.0)
    for k in range(T):
        np.testing.assert_allclose(product[k], np.prod(trace.f[k + 1:], axis=0), rtol=1e-14)
    batched = forget_gate_product(model.forward(sequence(4, batch=3)))
    assert batched.shape == (T, 3, H)
    assert forget_gate_product(model.forward(sequence(steps=1))).tolist() == [[1.0] * H]
    with pytest.raises(ValueError):
        forget_gate_product(GRU(I, H).forward(sequence()))


def test_cell_jacobian_is_the_forget_product_when_gates_ignore_h():
    """With W_hh = 0 the gates do not depend on h, so ∂c_{T-1}/∂c_k = diag(Π f_j) exactly."""
    model = LSTM(I, H, seed=1).scaled_recurrent(0.0)
    x = sequence(1)
    product = forget_gate_product(model.forward(x))
    np.testing.assert_allclose(cell_jacobian_norms(model, x), np.linalg.norm(product, axis=1), rtol=1e-12)
    np.testing.assert_allclose(cell_jacobian_norms(model, x, ord=2), product.max(axis=1), rtol=1e-12)


# ----------------------------------------------------------------------------- bounds
def rnn_with_sigma(sigma_max, seed, nonlinearity, hidden=8):
    model = RNN(I, hidden, seed=seed, nonlinearity=nonlinearity)
    weight = np.random.default_rng(seed).standard_normal((hidden, hidden))
    model.weight_hh[...] = weight * (sigma_max / np.linalg.norm(weight, 2))
    return model


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("sigma_max", [0.5, 0.9, 0.99, 1.0, 1.01, 1.2, 2.0, 5.0])
def test_measured_norms_never_exceed_the_pascanu_bound(nonlinearity, sigma_max):
    steps = 40
    for seed in range(4):
        model = rnn_with_sigma(sigma_max, seed, nonlinearity)
        assert np.linalg.norm(model.weight_hh, 2) == pytest.approx(sigma_max)
        x = sequence(seed, steps=steps, scale=0.5)
        bound = rnn_jacobian_bound(model, steps)
        assert bound.shape == (steps,) and bound[-1] == 1.0
        np.testing.assert_allclose(bound, sigma_max ** np.arange(steps - 1, -1, -1.0), rtol=1e-12)
        measured = jacobian_norms(model, x, ord=2)
        assert np.all(measured <= bound * (1 + 1e-9)), (seed, measured / bound)
        measured_fro = jacobian_norms(model, x, ord="fro")
        bound_fro = rnn_jacobian_bound(model, steps, ord="fro")
        np.testing.assert_allclose(bound_fro, np.sqrt(8) * bound, rtol=1e-12)
        assert np.all(measured_fro <= bound_fro * (1 + 1e-9))
        log_measured = jacobian_norms(model, x, ord=2, log10=True)
        assert np.all(log_measured <= rnn_jacobian_bound(model, steps, log10=True) + 1e-9)


def test_bound_is_tight_for_a_scaled_orthogonal_linear_regime():
    """tanh ≈ identity near 0: with tiny inputs and h0 = 0 the bound (σ_max)^(T-1-k) is reached."""
    hidden, steps = 6, 12
    q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((hidden, hidden)))
    model = RNN(I, hidden, seed=0)
    model.weight_hh[...] = 0.9 * q
    model.bias_ih[...] = 0.0
    model.bias_hh[...] = 0.0
    x = sequence(steps=steps, scale=1e-7)
    np.testing.assert_allclose(jacobian_norms(model, x, ord=2), rnn_jacobian_bound(model, steps), rtol=1e-9)


def test_bound_arguments():
    model = RNN(I, H)
    with pytest.raises(ValueError):
        rnn_jacobian_bound(LSTM(I, H), 5)
    with pytest.raises(ValueError):
        rnn_jacobian_bound(model, 0)
    np.testing.assert_allclose(rnn_jacobian_bound(model, 3, gamma=0.25),
                               (0.25 * np.linalg.norm(model.weight_hh, 2)) ** np.array([2.0, 1.0, 0.0]))
    huge = rnn_with_sigma(50.0, 0, "tanh")
    assert np.isinf(rnn_jacobian_bound(huge, 400)[0])
    assert np.isfinite(rnn_jacobian_bound(huge, 400, log10=True)).all()
    zero = model.scaled_recurrent(0.0)
    np.testing.assert_array_equal(rnn_jacobian_bound(zero, 3), [0.0, 0.0, 1.0])
    assert rnn_jacobian_bound(zero, 3, log10=True)[-1] == 0.0


# ----------------------------------------------------------------------------- contributions
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("batch", [None, 3])
@pytest.mark.parametrize("default_dh", [True, False])
def test_shares_sum_to_the_backward_gradient(kind, batch, default_dh):
    model = make_model(kind, seed=2)
    x = sequence(2, batch=batch)
    trace = model.forward(x)
    if default_dh:
        dh = None
        dh_full = np.zeros(trace.h.shape)
        dh_full[-1] = 1.0
    else:
        dh = dh_full = np.random.default_rng(9).standard_normal(trace.h.shape)
    shares = gradient_shares(model, x, dh)
    grads = model.backward(trace, dh_full)
    for name in PARAM_NAMES:
        assert shares[name].shape == (T,) + grads[name].shape
        np.testing.assert_allclose(shares[name].sum(axis=0), grads[name], rtol=1e-10, atol=1e-13)
    norms = gradient_contributions(model, x, dh)
    assert set(norms) == set(PARAM_NAMES)
    for name in PARAM_NAMES:
        expected = np.linalg.norm(shares[name].reshape(T, -1), axis=1)
        np.testing.assert_allclose(norms[name], expected, rtol=1e-10, atol=1e-14)


def test_weight_hh_share_uses_previous_state():
    model = LSTM(I, H, seed=3)
    x = sequence(3)
    h0 = np.full(H, 0.5)
    trace = model.forward(x, h0=h0)
    shares = gradient_shares(model, x, h0=h0)
    bias_share = shares["bias_hh_l0"][0]  # δa_0
    np.testing.assert_allclose(shares["weight_hh_l0"][0], np.outer(bias_share, h0), rtol=1e-12)
    np.testing.assert_allclose(shares["weight_hh_l0"][2], np.outer(shares["bias_hh_l0"][2], trace.h[1]), rtol=1e-12)
    np.testing.assert_allclose(shares["weight_ih_l0"][2], np.outer(shares["bias_ih_l0"][2], x[2]), rtol=1e-12)


def test_default_contributions_vanish_backwards_for_a_small_rnn():
    model = RNN(I, H, seed=0).scaled_recurrent(0.3)
    norms = gradient_contributions(model, sequence(steps=30))["weight_hh_l0"]
    assert norms[0] < 1e-6 * norms[-2]


def test_gru_bias_shares_differ_only_in_the_candidate_block():
    model = GRU(I, H, seed=1)
    shares = gradient_shares(model, sequence(1))
    np.testing.assert_array_equal(shares["bias_ih_l0"][:, :2 * H], shares["bias_hh_l0"][:, :2 * H])
    assert not np.allclose(shares["bias_ih_l0"][:, 2 * H:], shares["bias_hh_l0"][:, 2 * H:])


# ----------------------------------------------------------------------------- gradient check
@pytest.mark.parametrize("cls", [LSTM, GRU, RNN])
def test_gradient_check_confirms_backward(cls):
    model = cls(I, 4, seed=0)
    x = sequence(0, steps=5)
    weights = np.random.default_rng(1).standard_normal((5, 4))

    def loss(params):
        return float(np.sum(weights * cls.from_torch(params).forward(x).h))

    analytic = model.backward(model.forward(x), weights)
    result = gradient_check(loss, model.state_dict(), analytic, max_entries=25)
    result.raise_if_failed()
    assert result.ok and "passed" in result.summary()
    assert all(len(idx) <= 25 for idx in result.checked.values())


def test_gradient_check_catches_a_wrong_gradient():
    def loss(params):
        return float(np.sum(params["w"] ** 3))

    w = np.array([1.0, -2.0, 0.5])
    good = gradient_check(loss, {"w": w}, {"w": 3 * w**2})
    assert good.ok and good.max_rel_error["w"] < 1e-8
    bad = gradient_check(loss, {"w": w}, {"w": 3 * w**2 + np.array([0, 1e-3, 0])})
    assert not bad.ok
    with pytest.raises(AssertionError, match="FAILED"):
        bad.raise_if_failed()
    np.testing.assert_array_equal(w, [1.0, -2.0, 0.5])  # caller's array untouched
    plain = gradient_check(lambda p: float(np.sum(np.sin(p["x"]))), np.array([0.1, 0.2]))
    np.testing.assert_allclose(plain.numerical["x"], np.cos([0.1, 0.2]), rtol=1e-9)
    with pytest.raises(ValueError, match="shape"):
        gradient_check(loss, {"w": w}, {"w": np.zeros(2)})


def test_numerical_jacobian():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(numerical_jacobian(lambda v: a @ v, np.ones(3)), a, atol=1e-9)
    np.testing.assert_allclose(numerical_jacobian(np.tanh, np.array([0.3, -1.0])),
                               np.diag(1 - np.tanh([0.3, -1.0]) ** 2), rtol=1e-8)


def test_spectral_norms_equal_the_largest_singular_value_also_for_near_low_rank_products():
    from lstm_viz.analysis.jacobians import spectral_norms

    rng = np.random.default_rng(7)
    dense = rng.normal(size=(5, 48, 48))
    low_rank = rng.normal(size=(5, 48, 3)) @ rng.normal(size=(5, 3, 48)) * 1e-3 + dense * 1e-11   # a vanishing chain
    for stack in (dense, low_rank, np.zeros((2, 48, 48))):
        expected = np.linalg.svd(stack, compute_uv=False)[:, 0]
        np.testing.assert_allclose(spectral_norms(stack), expected, rtol=1e-12, atol=0.0)
