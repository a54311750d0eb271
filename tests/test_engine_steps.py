"""One engine: the readable step functions and the fused sequence passes are the same computation.

For every cell (LSTM, GRU, RNN tanh / relu), batched and unbatched, float64:
* looping ``step_forward`` over the sequence gives the fused ``forward``'s every gate and state;
* looping ``step_backward`` from T-1 to 0 gives the fused ``backward``'s gradients, and its δ's
  (``return_deltas=True``);
* ``step_numbers`` (what the Step page shows) equals the trace, with pre-activations that add up.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_viz.nn import GATE_NAMES, GRU, LSTM, RNN, make_layer
from lstm_viz.nn.gru import gru_step_backward, gru_step_forward
from lstm_viz.nn.lstm import lstm_step_backward, lstm_step_forward
from lstm_viz.nn.rnn import rnn_step_backward, rnn_step_forward

INPUT, HIDDEN, STEPS, BATCH = 3, 5, 6, 2
CASES = {
    "lstm": lambda: LSTM(INPUT, HIDDEN, seed=1),
    "gru": lambda: GRU(INPUT, HIDDEN, seed=2),
    "rnn-tanh": lambda: RNN(INPUT, HIDDEN, seed=3),
    "rnn-relu": lambda: RNN(INPUT, HIDDEN, seed=4, nonlinearity="relu"),
}


def sequence(batched: bool, seed: int = 0):
    rng = np.random.default_rng(seed)
    lead = (STEPS, BATCH) if batched else (STEPS,)
    state = (BATCH, HIDDEN) if batched else (HIDDEN,)
    return (rng.normal(size=lead + (INPUT,)), 0.3 * rng.normal(size=state), 0.3 * rng.normal(size=state),
            rng.normal(size=lead + (HIDDEN,)), rng.normal(size=state))


def step_through(model, x, h0, c0):
    """Forward by stepping: (h per step, c per step or None, caches)."""
    params = [model.parameters()[name] for name in model.param_names]
    h, c, caches, hs, cs = h0, c0, [], [], []
    for x_t in x:
        if model.kind == "lstm":
            h, c, cache = lstm_step_forward(x_t, h, c, *params)
            cs.append(c)
        elif model.kind == "gru":
            h, cache = gru_step_forward(x_t, h, *params)
        else:
            h, cache = rnn_step_forward(x_t, h, *params, nonlinearity=model.nonlinearity)
        hs.append(h)
        caches.append(cache)
    return np.stack(hs), (np.stack(cs) if cs else None), caches


def step_back(model, caches, dh, dc_last):
    """Backward by stepping: (gradients summed over steps, per-step δh, δc, δa^x, δa^h)."""
    grads = {name: 0.0 for name in model.param_names}
    dh_next = np.zeros_like(dh[0])
    dc = dc_last if model.kind == "lstm" else None
    per_step = {"h": [], "c": [], "gates_x": [], "gates_h": [], "x": []}
    for t in range(len(caches) - 1, -1, -1):
        dh_t = dh[t] + dh_next
        if model.kind == "lstm":
            out = lstm_step_backward(dh_t, dc, caches[t])
            dc = out["c_prev"]
            per_step["c"].append(out["c"])
            gates_x = gates_h = out["gates"]
        elif model.kind == "gru":
            out = gru_step_backward(dh_t, caches[t])
            gates_x, gates_h = out["gates_x"], out["gates_h"]
        else:
            out = rnn_step_backward(dh_t, caches[t])
            gates_x = gates_h = out["gates"]
        per_step["h"].append(dh_t)
        per_step["gates_x"].append(gates_x)
        per_step["gates_h"].append(gates_h)
        per_step["x"].append(out["x"])
        dh_next = out["h_prev"]
        for name in model.param_names:
            grads[name] = grads[name] + out[name.removesuffix("_l0")]
    stacked = {k: np.stack(v[::-1]) for k, v in per_step.items() if v}
    grads["x"], grads["h0"] = stacked.pop("x"), dh_next
    if model.kind == "lstm":
        grads["c0"] = dc
    return grads, stacked


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_stepping_equals_the_fused_pass(case, batched):
    model = CASES[case]()
    x, h0, c0, dh, dc_last = sequence(batched, seed=len(case))
    if model.kind != "lstm":
        c0 = dc_last = None
    trace = model.forward(x, h0, c0)
    h, c, caches = step_through(model, x, h0, c0)
    np.testing.assert_allclose(trace.h, h, rtol=1e-12, atol=1e-13)
    if model.kind == "lstm":
        np.testing.assert_allclose(trace.c, c, rtol=1e-12, atol=1e-13)
    for t, cache in enumerate(caches):
        for gate in GATE_NAMES[model.kind] if model.kind != "rnn" else ():
            np.testing.assert_allclose(getattr(trace, gate)[t], cache[gate], rtol=1e-12, atol=1e-13)
    grads, deltas = model.backward(trace, dh, dc_last, return_deltas=True)
    stepped, stepped_deltas = step_back(model, caches, dh, dc_last)
    assert set(grads) == set(stepped)
    for name in grads:
        np.testing.assert_allclose(grads[name], stepped[name], rtol=1e-10, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(deltas.h, stepped_deltas["h"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(deltas.gates_x, stepped_deltas["gates_x"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(deltas.gates_h, stepped_deltas["gates_h"], rtol=1e-10, atol=1e-12)
    if model.kind == "lstm":
        np.testing.assert_allclose(deltas.c, stepped_deltas["c"], rtol=1e-10, atol=1e-12)
    # asking for the deltas does not change the gradients
    plain = model.backward(trace, dh, dc_last)
    for name in grads:
        np.testing.assert_array_equal(plain[name], grads[name])


@pytest.mark.parametrize("case", sorted(CASES))
def test_step_numbers_are_the_traces_numbers(case):
    model = CASES[case]()
    x, h0, c0, _, _ = sequence(False, seed=7)
    trace = model.forward(x, h0, c0 if model.kind == "lstm" else None)
    for t in (0, 3, STEPS - 1):
        numbers = model.step_numbers(trace, t)
        assert numbers.t == t and numbers.kind == model.kind
        np.testing.assert_array_equal(numbers.vectors["x"], trace.x[t])
        np.testing.assert_array_equal(numbers.vectors["h_prev"], trace.h_prev(t))
        np.testing.assert_allclose(numbers.vectors["h"], trace.h[t], rtol=1e-12, atol=1e-14)
        for name in ("i", "f", "g", "o", "c", "r", "z", "n", "hn"):
            if name in numbers.vectors:
                np.testing.assert_allclose(numbers.vectors[name], getattr(trace, name)[t], rtol=1e-12, atol=1e-14)
        weights = model.parameters()
        for k, gate in enumerate(GATE_NAMES[model.kind]):
            block = slice(k * HIDDEN, (k + 1) * HIDDEN)
            np.testing.assert_allclose(numbers.input_parts[gate],
                                       weights["weight_ih_l0"][block] @ trace.x[t] + weights["bias_ih_l0"][block])
            np.testing.assert_allclose(numbers.recurrent_parts[gate],
                                       weights["weight_hh_l0"][block] @ trace.h_prev(t) + weights["bias_hh_l0"][block])
            reset = numbers.vectors["r"] if (model.kind, gate) == ("gru", "n") else 1.0
            np.testing.assert_allclose(numbers.preactivations[gate],
                                       numbers.input_parts[gate] + reset * numbers.recurrent_parts[gate])
    with pytest.raises(ValueError, match="unbatched"):
        model.step_numbers(model.forward(np.zeros((2, 1, INPUT))), 0)


def test_parameter_breakdown_and_factory():
    for kind, blocks in (("rnn", 1), ("gru", 3), ("lstm", 4)):
        model = make_layer(kind, 7, 11, seed=0)
        counts = type(model).parameter_breakdown(7, 11)
        assert counts["blocks"] == blocks
        assert counts["weights"] == blocks * 11 * (7 + 11) and counts["biases"] == 2 * blocks * 11
        assert counts["total"] == model.num_parameters() == sum(p.size for p in model.parameters().values())
    assert make_layer("rnn", 2, 3, nonlinearity="relu").nonlinearity == "relu"
    assert make_layer("lstm", 2, 3, forget_bias=2.0).bias_ih[3:6].tolist() == [2.0] * 3
    with pytest.raises(ValueError, match="kind"):
        make_layer("transformer", 2, 3)


def test_parameter_count_matches_torch():
    torch = pytest.importorskip("torch")
    for kind, module in (("rnn", torch.nn.RNN), ("gru", torch.nn.GRU), ("lstm", torch.nn.LSTM)):
        expected = sum(p.numel() for p in module(7, 11).parameters())
        assert make_layer(kind, 7, 11).num_parameters() == expected
