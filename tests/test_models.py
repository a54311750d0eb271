"""Tests for lstm_viz.nn.layers: shapes, gradients (central differences), dtypes, stability, bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from conftest import central_difference
from lstm_viz.nn import GRU, LSTM, RNN, Trace

INPUT, HIDDEN, STEPS, BATCH = 3, 4, 5, 2
PARAMS = ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")

MODEL_FACTORIES = {
    "lstm": lambda **kw: LSTM(INPUT, HIDDEN, **kw),
    "gru": lambda **kw: GRU(INPUT, HIDDEN, **kw),
    "rnn-tanh": lambda **kw: RNN(INPUT, HIDDEN, **kw),
    "rnn-relu": lambda **kw: RNN(INPUT, HIDDEN, nonlinearity="relu", **kw),
}


@pytest.fixture(params=sorted(MODEL_FACTORIES))
def make_model(request):
    return MODEL_FACTORIES[request.param]


def random_inputs(model, batched: bool, seed: int = 0):
    rng = np.random.default_rng(seed)
    lead = (STEPS, BATCH) if batched else (STEPS,)
    state = (BATCH, HIDDEN) if batched else (HIDDEN,)
    x = rng.normal(size=lead + (INPUT,))
    h0 = 0.5 * rng.normal(size=state)
    c0 = 0.5 * rng.normal(size=state) if model.kind == "lstm" else None
    dh = rng.normal(size=lead + (HIDDEN,))
    dc_last = rng.normal(size=state) if model.kind == "lstm" else None
    return x, h0, c0, dh, dc_last


def loss(model, x, h0, c0, dh, dc_last):
    """L = Σ dh ⊙ h (+ Σ dc_last ⊙ c_{T-1}): its gradients are what backward(dh, dc_last) returns."""
    trace = model.forward(x, h0, c0)
    value = float(np.sum(dh * trace.h))
    if dc_last is not None:
        value += float(np.sum(dc_last * trace.c[-1]))
    return value


# ----------------------------------------------------------------------------- gradients


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
def test_backward_matches_central_differences(make_model, batched):
    model = make_model(seed=3)
    x, h0, c0, dh, dc_last = random_inputs(model, batched, seed=1)
    if model.kind == "rnn" and model.nonlinearity == "relu":
        # keep pre-activations away from the kink at 0, where differences are not derivatives
        model.bias_ih = model.bias_ih + 0.3
    trace = model.forward(x, h0, c0)
    grads = model.backward(trace, dh, dc_last)

    def objective():
        return loss(model, x, h0, c0, dh, dc_last)

    for name, live in model.parameters().items():
        numeric = central_difference(objective, live)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)
    inputs = {"x": x, "h0": h0} | ({"c0": c0} if model.kind == "lstm" else {})
    for name, array in inputs.items():
        numeric = central_difference(objective, array)
        assert grads[name].shape == array.shape
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)
    expected_keys = set(PARAMS) | set(inputs)
    assert set(grads) == expected_keys


def test_lstm_dc_last_only(make_model):
    """With dh = 0, only dc_last drives the gradient; for non-LSTM models dc_last is refused."""
    model = make_model(seed=0)
    x, h0, c0, dh, dc_last = random_inputs(model, batched=False)
    trace = model.forward(x, h0, c0)
    if model.kind != "lstm":
        with pytest.raises(ValueError, match="only for an LSTM"):
            model.backward(trace, dh, dc_last=np.zeros(HIDDEN))
        return
    grads = model.backward(trace, np.zeros_like(dh), dc_last)
    numeric = central_difference(lambda: loss(model, x, h0, c0, np.zeros_like(dh), dc_last), c0)
    np.testing.assert_allclose(grads["c0"], numeric, rtol=1e-6, atol=1e-8)


# ----------------------------------------------------------------------------- forward


def test_lstm_trace_equations_step_by_step():
    """The trace satisfies the LSTM equations written out with a plain sigmoid."""
    model = LSTM(INPUT, HIDDEN, seed=1)
    x, h0, c0, *_ = random_inputs(model, batched=False, seed=2)
    trace = model.forward(x, h0, c0)

    def sigmoid(a):
        return 1.0 / (1.0 + np.exp(-a))

    h, c = h0, c0
    for t in range(STEPS):
        a = model.weight_ih @ x[t] + model.bias_ih + model.weight_hh @ h + model.bias_hh  # (4H,)
        i, f, g, o = np.split(a, 4)
        i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip("ifgo", (i, f, g, o)):
            np.testing.assert_allclose(getattr(trace, name)[t], value, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(trace.c[t], c, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(trace.h[t], h, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(trace.h_prev(t + 1) if t + 1 < STEPS else trace.h[-1], h)


def test_gru_trace_equations_step_by_step():
    model = GRU(INPUT, HIDDEN, seed=1)
    x, h0, *_ = random_inputs(model, batched=False, seed=2)
    trace = model.forward(x, h0)

    def sigmoid(a):
        return 1.0 / (1.0 + np.exp(-a))

    hidden = HIDDEN
    h = h0
    for t in range(STEPS):
        ai = model.weight_ih @ x[t] + model.bias_ih  # (3H,)
        ah = model.weight_hh @ h + model.bias_hh  # (3H,)
        r = sigmoid(ai[:hidden] + ah[:hidden])
        z = sigmoid(ai[hidden:2 * hidden] + ah[hidden:2 * hidden])
        n = np.tanh(ai[2 * hidden:] + r * ah[2 * hidden:])
        np.testing.assert_allclose(trace.hn[t], ah[2 * hidden:], rtol=1e-12, atol=1e-14)
        h = (1 - z) * n + z * h
        for name, value in zip("rzn", (r, z, n)):
            np.testing.assert_allclose(getattr(trace, name)[t], value, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(trace.h[t], h, rtol=1e-12, atol=1e-14)


def test_batched_equals_unbatched_per_sequence(make_model):
    model = make_model(seed=2)
    x, h0, c0, dh, dc_last = random_inputs(model, batched=True)
    trace = model.forward(x, h0, c0)
    grads = model.backward(trace, dh, dc_last)
    assert trace.batched and trace.batch_size == BATCH
    for b in range(BATCH):
        single = model.forward(x[:, b], h0[b], None if c0 is None else c0[b])
        assert not single.batched and single.batch_size is None
        np.testing.assert_allclose(trace.h[:, b], single.h, rtol=1e-12, atol=1e-14)
        single_grads = model.backward(single, dh[:, b], None if dc_last is None else dc_last[b])
        np.testing.assert_allclose(grads["x"][:, b], single_grads["x"], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(grads["h0"][b], single_grads["h0"], rtol=1e-10, atol=1e-12)


def test_trace_shapes_and_fields(make_model):
    model = make_model()
    for batched in (False, True):
        x, h0, c0, *_ = random_inputs(model, batched)
        trace = model.forward(x, h0, c0)
        lead = (STEPS, BATCH) if batched else (STEPS,)
        state = lead[1:] + (HIDDEN,)
        assert isinstance(trace, Trace) and trace.kind == model.kind and trace.batched == batched
        assert trace.num_steps == STEPS and trace.hidden_size == HIDDEN
        assert trace.x.shape == lead + (INPUT,) and trace.h.shape == lead + (HIDDEN,)
        assert trace.h0.shape == state
        np.testing.assert_array_equal(trace.h_prev(0), h0)
        np.testing.assert_array_equal(trace.h_prev(3), trace.h[2])
        arrays = trace.arrays()
        assert list(arrays)[0] == "x" and list(arrays)[-1] == "h"
        names = {"lstm": ["i", "f", "g", "o", "c", "tanh_c"], "gru": ["r", "z", "hn", "n"], "rnn": []}[model.kind]
        assert list(arrays)[1:-1] == names
        for name in names:
            assert arrays[name].shape == lead + (HIDDEN,), name
        assert set(model.gate_names) <= set(names)
        if model.kind == "lstm":
            assert trace.c0.shape == state
            np.testing.assert_array_equal(trace.c_prev(0), c0)
            np.testing.assert_array_equal(trace.c_prev(-1), trace.c[-2])
        else:
            with pytest.raises(AttributeError):
                trace.c_prev(0)
        with pytest.raises(IndexError):
            trace.h_prev(STEPS)
        assert not trace.h.flags.writeable  # shared with backward: read-only


def test_forward_does_not_touch_caller_arrays(make_model):
    model = make_model()
    x, h0, c0, *_ = random_inputs(model, batched=True)
    copies = [a.copy() for a in (x, h0) + ((c0,) if c0 is not None else ())]
    model.forward(x, h0, c0)
    for original, copy in zip([x, h0] + ([c0] if c0 is not None else []), copies):
        np.testing.assert_array_equal(original, copy)
        assert original.flags.writeable


def test_zero_initial_state_default(make_model):
    model = make_model()
    x = np.random.default_rng(0).normal(size=(STEPS, INPUT))
    np.testing.assert_array_equal(model.forward(x).h, model.forward(x, np.zeros(HIDDEN)).h)
    np.testing.assert_array_equal(model.forward(x).h0, np.zeros(HIDDEN))


# ----------------------------------------------------------------------------- parameters


def test_parameter_layout_and_init():
    lstm, gru, rnn = LSTM(3, 5, seed=0), GRU(3, 5, seed=0), RNN(3, 5, seed=0)
    for model, gates in ((lstm, 4), (gru, 3), (rnn, 1)):
        assert model.weight_ih.shape == (gates * 5, 3) and model.weight_hh.shape == (gates * 5, 5)
        assert model.bias_ih.shape == model.bias_hh.shape == (gates * 5,)
        assert model.num_parameters() == gates * 5 * (3 + 5 + 2) == sum(v.size for v in model.state_dict().values())
        bound = 1 / np.sqrt(5)
        assert np.abs(model.weight_hh).max() <= bound
        assert model.dtype == np.float64
    assert lstm.gate_names == ("i", "f", "g", "o") and gru.gate_names == ("r", "z", "n") and rnn.gate_names == ()
    assert (lstm.kind, gru.kind, rnn.kind) == ("lstm", "gru", "rnn")
    np.testing.assert_array_equal(lstm.bias_ih[5:10], 1.0)  # forget_bias on the input side...
    np.testing.assert_array_equal(lstm.bias_hh[5:10], 0.0)  # ...and zero on the recurrent side
    assert np.all(np.abs(LSTM(3, 5, forget_bias=None).bias_ih) <= 1 / np.sqrt(5))
    np.testing.assert_array_equal(LSTM(3, 5, forget_bias=2.5).bias_ih[5:10], 2.5)
    # seeded: same seed same weights, other seed other weights
    np.testing.assert_array_equal(LSTM(3, 5, seed=7).weight_hh, LSTM(3, 5, seed=7).weight_hh)
    assert not np.array_equal(LSTM(3, 5, seed=7).weight_hh, LSTM(3, 5, seed=8).weight_hh)


def test_views_write_through_and_state_dict_copies(make_model):
    model = make_model()
    x = np.random.default_rng(0).normal(size=(STEPS, INPUT))
    before = model.forward(x).h.copy()
    snapshot = model.state_dict()
    snapshot["weight_hh_l0"][:] = 0.0  # a copy: the model is unchanged
    np.testing.assert_array_equal(model.forward(x).h, before)
    model.weight_hh *= 0.0  # a view: the model changes
    assert np.all(model.weight_hh == 0)
    model.load_state_dict(model.state_dict() | {"weight_hh_l0": snapshot["weight_hh_l0"] + 1.0})
    np.testing.assert_array_equal(model.weight_hh, 1.0)
    model.parameters()["bias_ih_l0"][:] = 2.0
    np.testing.assert_array_equal(model.bias_ih, 2.0)
    with pytest.raises(ValueError, match="shape"):
        model.weight_ih = np.zeros((1, 1))


def test_scaled_recurrent_and_copy(make_model):
    model = make_model()
    scaled = model.scaled_recurrent(2.5)
    assert type(scaled) is type(model) and scaled is not model
    np.testing.assert_allclose(scaled.weight_hh, 2.5 * model.weight_hh)
    np.testing.assert_array_equal(scaled.weight_ih, model.weight_ih)
    np.testing.assert_array_equal(scaled.bias_hh, model.bias_hh)
    assert getattr(scaled, "nonlinearity", None) == getattr(model, "nonlinearity", None)
    assert not np.shares_memory(scaled.weight_hh, model.weight_hh)
    with pytest.raises(ValueError):
        model.scaled_recurrent(float("nan"))
    with pytest.raises(ValueError, match="overflows"):
        make_model(dtype=np.float32).scaled_recurrent(1e39)
    if model.kind == "lstm":
        assert LSTM(INPUT, HIDDEN, forget_bias=None).scaled_recurrent(2.0).forget_bias is None


def test_from_state_dict_round_trip_numpy(make_model):
    model = make_model(seed=5)
    kwargs = {"nonlinearity": model.nonlinearity} if model.kind == "rnn" else {}
    clone = type(model).from_torch(model.state_dict(), **kwargs)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(clone.state_dict()[name], value)
    x = np.random.default_rng(0).normal(size=(STEPS, INPUT))
    np.testing.assert_array_equal(clone.forward(x).h, model.forward(x).h)
    # LSTMCell-style names (no _l0) and missing biases (bias=False) are accepted
    cell_names = {k.removesuffix("_l0"): v for k, v in model.state_dict().items() if k.startswith("weight")}
    no_bias = type(model).from_torch(cell_names, **kwargs)
    np.testing.assert_array_equal(no_bias.bias_ih, 0.0)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda sd: sd | {"weight_hh_l0": sd["weight_hh_l0"][:, :-1]}, "weight_hh_l0"),
        (lambda sd: sd | {"weight_ih_l0": sd["weight_ih_l0"][:-1]}, "weight_ih_l0"),
        (lambda sd: sd | {"bias_ih_l0": sd["bias_ih_l0"][:-1]}, "bias_ih_l0"),
        (lambda sd: {k: v for k, v in sd.items() if k != "weight_ih_l0"}, "missing"),
        (lambda sd: sd | {"weight_ih_l1": sd["weight_ih_l0"]}, "layer 1"),  # a second layer, incomplete
        (lambda sd: sd | {"weight_ih_l2": sd["weight_ih_l0"]}, "without gaps"),
        (lambda sd: sd | {"bias_hh_l0": np.full_like(sd["bias_hh_l0"], np.nan)}, "NaN"),
    ],
)
def test_from_torch_validates(change, message):
    state = LSTM(3, 4).state_dict()
    with pytest.raises(ValueError, match=message):
        LSTM.from_torch(change(state))
    with pytest.raises(ValueError):
        GRU.from_torch(LSTM(3, 4).state_dict())  # 4H rows are not a GRU


def test_constructor_validation():
    with pytest.raises(ValueError, match="hidden_size"):
        LSTM(3, 0)
    with pytest.raises(ValueError, match="input_size"):
        GRU(2.5, 4)
    with pytest.raises(ValueError, match="dtype"):
        RNN(3, 4, dtype=np.int32)
    with pytest.raises(ValueError, match="nonlinearity"):
        RNN(3, 4, nonlinearity="sigmoid")


# ----------------------------------------------------------------------------- dtypes, stability


def test_float32_runs_and_keeps_dtype(make_model):
    model = make_model(dtype=np.float32)
    reference = make_model(dtype=np.float64)
    assert model.dtype == np.float32
    for batched in (False, True):
        x, h0, c0, dh, dc_last = random_inputs(model, batched)
        trace = model.forward(x, h0, c0)  # float64 inputs are cast to the model dtype
        grads = model.backward(trace, dh, dc_last)
        assert trace.h.dtype == np.float32 and trace.x.dtype == np.float32
        assert all(g.dtype == np.float32 for g in grads.values())
        trace64 = reference.forward(x, h0, c0)
        np.testing.assert_allclose(trace.h, trace64.h, rtol=1e-4, atol=1e-5)
        grads64 = reference.backward(trace64, dh, dc_last)
        for name in PARAMS + ("x", "h0"):
            np.testing.assert_allclose(grads[name], grads64[name], rtol=1e-3, atol=1e-4, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn-tanh"])
def test_saturating_models_are_stable_with_huge_weights_and_inputs(kind, dtype):
    """Weights ×100, inputs ±1e4: no overflow warning, no NaN, bounded states."""
    model = MODEL_FACTORIES[kind](seed=0, dtype=dtype)
    for name, live in model.parameters().items():
        live *= 100.0
    rng = np.random.default_rng(0)
    x = 1e4 * rng.choice([-1.0, 1.0], size=(40, BATCH, INPUT))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning (overflow, invalid) fails the test
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            trace = model.forward(x)
            grads = model.backward(trace, rng.normal(size=trace.h.shape))
    for name, array in trace.arrays().items():
        assert np.isfinite(array).all(), name
    assert np.abs(trace.h).max() <= 1.0
    for name, array in grads.items():
        assert np.isfinite(array).all(), name


def test_relu_rnn_with_exploding_weights_does_not_warn():
    model = RNN(INPUT, HIDDEN, nonlinearity="relu").scaled_recurrent(1e6)
    model.bias_ih = np.abs(model.bias_ih) + 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = model.forward(np.ones((60, INPUT)))
        model.backward(trace, np.ones_like(trace.h))
    assert not np.isfinite(trace.h[-1]).all()  # honest overflow (inf / NaN), documented


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "x, message",
    [
        (np.zeros(INPUT), "dimension"),
        (np.zeros((2, 2, 2, INPUT)), "dimension"),
        (np.zeros((STEPS, INPUT + 1)), "input_size"),
        (np.zeros((0, INPUT)), "T >= 1"),
        (np.zeros((STEPS, 0, INPUT)), "batch size 0"),
        (np.full((STEPS, INPUT), np.nan), "NaN"),
        (np.full((STEPS, INPUT), np.inf), "infinite"),
        (np.array([["a"] * INPUT] * STEPS), "numeric"),
    ],
)
def test_forward_rejects_bad_x(make_model, x, message):
    with pytest.raises(ValueError, match=message):
        make_model().forward(x)


def test_float32_model_rejects_values_beyond_float32():
    with pytest.raises(ValueError, match="too large for float32"):
        LSTM(INPUT, HIDDEN, dtype=np.float32).forward(np.full((STEPS, INPUT), 1e300))


def test_forward_rejects_bad_states(make_model):
    model = make_model()
    x = np.zeros((STEPS, BATCH, INPUT))
    with pytest.raises(ValueError, match="h0"):
        model.forward(x, h0=np.zeros(HIDDEN))  # batched x needs (B, H)
    with pytest.raises(ValueError, match="h0"):
        model.forward(x[:, 0], h0=np.zeros((2, HIDDEN)))
    # torch's state shape (num_layers·D = 1, [B], H) is accepted too
    np.testing.assert_array_equal(model.forward(x, h0=np.full((1, BATCH, HIDDEN), 0.1)).h,
                                  model.forward(x, h0=np.full((BATCH, HIDDEN), 0.1)).h)
    with pytest.raises(ValueError, match="NaN"):
        model.forward(x, h0=np.full((BATCH, HIDDEN), np.nan))
    if model.kind == "lstm":
        with pytest.raises(ValueError, match="c0"):
            model.forward(x, c0=np.zeros((BATCH, HIDDEN + 1)))
    else:
        with pytest.raises(ValueError, match="c0"):
            model.forward(x, c0=np.zeros((BATCH, HIDDEN)))


def test_backward_rejects_bad_arguments(make_model):
    model = make_model()
    trace = model.forward(np.zeros((STEPS, INPUT)))
    with pytest.raises(ValueError, match="dh"):
        model.backward(trace, np.zeros((STEPS, HIDDEN + 1)))
    with pytest.raises(ValueError, match="NaN"):
        model.backward(trace, np.full((STEPS, HIDDEN), np.nan))
    other = GRU(INPUT, HIDDEN) if model.kind != "gru" else LSTM(INPUT, HIDDEN)
    with pytest.raises(ValueError, match="Trace"):
        model.backward(other.forward(np.zeros((STEPS, INPUT))), np.zeros((STEPS, HIDDEN)))
    with pytest.raises(ValueError, match="Trace"):
        model.backward("not a trace", np.zeros((STEPS, HIDDEN)))
    if model.kind == "lstm":
        with pytest.raises(ValueError, match="dc_last"):
            model.backward(trace, np.zeros((STEPS, HIDDEN)), dc_last=np.zeros(HIDDEN + 1))


def test_trace_pickles_compactly_and_still_backpropagates(make_model):
    """st.cache_data pickles traces: buffers only, views rebuilt, backward unchanged."""
    import copy
    import pickle

    model = make_model()
    x, h0, c0, dh, dc_last = random_inputs(model, batched=True)
    trace = model.forward(x, h0, c0)
    restored = pickle.loads(pickle.dumps(trace))
    assert np.shares_memory(restored.h, restored._h_all) and not restored.h.flags.writeable
    for (name, array), again in zip(trace.arrays().items(), restored.arrays().values()):
        np.testing.assert_array_equal(array, again, err_msg=name)
    expected = model.backward(trace, dh, dc_last)
    for other in (restored, copy.deepcopy(trace)):
        grads = model.backward(other, dh, dc_last)
        for name in expected:
            np.testing.assert_array_equal(grads[name], expected[name], err_msg=name)


def test_any_small_shape_batched_matches_unbatched_and_gradient_shapes():
    """Property: for random small sizes, batch columns equal separate runs; grads have input shapes."""
    hypothesis = pytest.importorskip("hypothesis")
    strategies = hypothesis.strategies

    @hypothesis.settings(max_examples=15, deadline=None, derandomize=True)
    @hypothesis.given(
        kind=strategies.sampled_from(sorted(MODEL_FACTORIES)),
        steps=strategies.integers(1, 6), batch=strategies.integers(1, 3),
        inputs=strategies.integers(1, 4), hidden=strategies.integers(1, 5),
        seed=strategies.integers(0, 2**16),
    )
    def check(kind, steps, batch, inputs, hidden, seed):
        cls = {"lstm": LSTM, "gru": GRU}.get(kind, RNN)
        kwargs = {"nonlinearity": kind.split("-")[1]} if cls is RNN else {}
        model = cls(inputs, hidden, seed=seed, **kwargs)
        rng = np.random.default_rng(seed)
        x = rng.normal(size=(steps, batch, inputs))
        trace = model.forward(x)
        grads = model.backward(trace, np.ones_like(trace.h))
        assert grads["x"].shape == x.shape and grads["h0"].shape == (batch, hidden)
        assert grads["weight_hh_l0"].shape == model.weight_hh.shape
        for b in range(batch):
            np.testing.assert_allclose(model.forward(x[:, b]).h, trace.h[:, b], rtol=1e-12, atol=1e-14)

    check()
