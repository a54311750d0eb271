"""The LSTM family: stacked, bidirectional and peephole networks.

* Stacked / bidirectional LSTM, GRU, RNN against PyTorch (float64): outputs, h_n, c_n to 1e-9 and every
  gradient (parameters, x, h0, c0) to 1e-7 of the gradient's scale, for 1–3 layers, both directions,
  batched and unbatched.
* Peephole LSTM (no torch twin): central differences on every parameter and input, and an independent
  re-derivation of the forward written here from the equations.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_viz import GRU, LSTM, RNN
from lstm_viz.analysis.gradcheck import central_difference
from lstm_viz.nn import StackedRecurrent, StackTrace, make_layer
from lstm_viz.nn.sequence import SequenceModel

INPUT, HIDDEN, STEPS, BATCH = 3, 4, 5, 2
CLASSES = {"lstm": LSTM, "gru": GRU, "rnn": RNN}


def close_to_scale(actual, expected, rtol, name=""):
    scale = max(float(np.abs(expected).max()), 1e-12)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=rtol * scale, err_msg=name)


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
@pytest.mark.parametrize("bidirectional", [False, True], ids=["one-way", "bidirectional"])
@pytest.mark.parametrize("num_layers", [1, 2, 3])
@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_matches_torch(kind, num_layers, bidirectional, batched):
    torch = pytest.importorskip("torch")
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](
        INPUT, HIDDEN, num_layers=num_layers, bidirectional=bidirectional).double()
    model = CLASSES[kind].from_torch(module.state_dict())
    assert (model.num_layers, model.bidirectional) == (num_layers, bidirectional)
    directions = 2 if bidirectional else 1
    rng = np.random.default_rng(num_layers * 10 + directions)
    lead = (STEPS, BATCH) if batched else (STEPS,)
    state_shape = (num_layers * directions,) + ((BATCH,) if batched else ()) + (HIDDEN,)
    x = rng.normal(size=lead + (INPUT,))
    h0, c0 = 0.4 * rng.normal(size=state_shape), 0.4 * rng.normal(size=state_shape)
    d_output = rng.normal(size=lead + (directions * HIDDEN,))

    x_t = torch.tensor(x, requires_grad=True)
    h0_t, c0_t = torch.tensor(h0, requires_grad=True), torch.tensor(c0, requires_grad=True)
    state_t = (h0_t, c0_t) if kind == "lstm" else h0_t
    out_t, final_t = module(x_t, state_t)
    out_t.backward(torch.tensor(d_output))

    trace = model.forward(x, h0, c0 if kind == "lstm" else None)
    np.testing.assert_allclose(trace.output, out_t.detach().numpy(), rtol=0, atol=1e-9)
    h_n_t = final_t[0] if kind == "lstm" else final_t
    np.testing.assert_allclose(trace.h_n, h_n_t.detach().numpy(), rtol=0, atol=1e-9)
    if kind == "lstm":
        np.testing.assert_allclose(trace.c_n, final_t[1].detach().numpy(), rtol=0, atol=1e-9)
    assert len(trace.layers) == num_layers and all(len(row) == directions for row in trace.layers)

    grads = model.backward(trace, d_output)
    for name, parameter in module.named_parameters():
        close_to_scale(grads[name], parameter.grad.numpy(), 1e-7, name)
    close_to_scale(grads["x"], x_t.grad.numpy(), 1e-7, "x")
    if num_layers * directions > 1:  # a one-layer network keeps its (H,) / (B, H) state gradients
        close_to_scale(grads["h0"], h0_t.grad.numpy(), 1e-7, "h0")
        if kind == "lstm":
            close_to_scale(grads["c0"], c0_t.grad.numpy(), 1e-7, "c0")
    assert set(grads) >= {name for name, _ in module.named_parameters()} | {"x", "h0"}

    round_trip = model.to_torch_state_dict()
    assert set(round_trip) == set(module.state_dict())


def test_stack_gradients_of_final_states_by_central_differences():
    """∂L/∂h_n and ∂L/∂c_n flow into every cell (L = Σ a⊙output + Σ b⊙h_n + Σ c⊙c_n)."""
    model = LSTM(INPUT, HIDDEN, num_layers=2, bidirectional=True, seed=3)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(STEPS, INPUT))
    a, b, c = rng.normal(size=(STEPS, 2 * HIDDEN)), rng.normal(size=(4, HIDDEN)), rng.normal(size=(4, HIDDEN))

    def loss():
        trace = model.forward(x)
        return float(np.sum(a * trace.output) + np.sum(b * trace.h_n) + np.sum(c * trace.c_n))

    grads = model.backward(model.forward(x), a, dh_n=b, dc_n=c)
    for name, live in model.parameters().items():
        np.testing.assert_allclose(grads[name], central_difference(loss, live), rtol=1e-6, atol=1e-8, err_msg=name)
    np.testing.assert_allclose(grads["x"], central_difference(loss, x), rtol=1e-6, atol=1e-8)


def peephole_reference(model, x, h0, c0):
    """The peephole LSTM written out here from the equations (Gers & Schmidhuber 2000), one step at a time."""
    p = {name: np.asarray(value) for name, value in model.parameters().items()}
    H = model.hidden_size
    sig = lambda a: 1.0 / (1.0 + np.exp(-a))  # noqa: E731
    h, c, hs, cs = h0, c0, [], []
    for x_t in x:
        a = p["weight_ih_l0"] @ x_t + p["bias_ih_l0"] + p["weight_hh_l0"] @ h + p["bias_hh_l0"]
        i = sig(a[:H] + p["weight_ci_l0"] * c)
        f = sig(a[H:2 * H] + p["weight_cf_l0"] * c)
        g = np.tanh(a[2 * H:3 * H])
        c = f * c + i * g
        o = sig(a[3 * H:] + p["weight_co_l0"] * c)
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
def test_peephole_lstm_forward_and_every_gradient(batched):
    model = LSTM(INPUT, HIDDEN, seed=5, peephole=True)
    assert model.num_parameters() == 4 * HIDDEN * (INPUT + HIDDEN + 2) + 3 * HIDDEN
    rng = np.random.default_rng(1)
    lead = (STEPS, BATCH) if batched else (STEPS,)
    state = (BATCH, HIDDEN) if batched else (HIDDEN,)
    x, h0, c0 = rng.normal(size=lead + (INPUT,)), 0.5 * rng.normal(size=state), 0.5 * rng.normal(size=state)
    dh, dc_last = rng.normal(size=lead + (HIDDEN,)), rng.normal(size=state)
    trace = model.forward(x, h0, c0)
    for b in range(BATCH if batched else 1):
        pick = (lambda a: a[:, b]) if batched else (lambda a: a)
        h_ref, c_ref = peephole_reference(model, pick(x), h0[b] if batched else h0, c0[b] if batched else c0)
        np.testing.assert_allclose(pick(trace.h), h_ref, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(pick(trace.c), c_ref, rtol=1e-12, atol=1e-14)

    def loss():
        tr = model.forward(x, h0, c0)
        return float(np.sum(dh * tr.h) + np.sum(dc_last * tr.c[-1]))

    grads = model.backward(trace, dh, dc_last)
    for name, live in model.parameters().items():
        np.testing.assert_allclose(grads[name], central_difference(loss, live), rtol=1e-6, atol=1e-8, err_msg=name)
    for name, array in (("x", x), ("h0", h0), ("c0", c0)):
        np.testing.assert_allclose(grads[name], central_difference(loss, array), rtol=1e-6, atol=1e-8, err_msg=name)


def test_peephole_state_dict_stack_and_refusals():
    model = LSTM(INPUT, HIDDEN, num_layers=2, bidirectional=True, peephole=True, seed=2)
    names = set(model.state_dict())
    assert {"weight_ci_l0", "weight_cf_l1", "weight_co_l1_reverse"} <= names
    again = LSTM.from_torch(model.state_dict())
    assert again.peephole and again.num_layers == 2 and again.bidirectional
    x = np.random.default_rng(3).normal(size=(STEPS, INPUT))
    np.testing.assert_array_equal(again.forward(x).output, model.forward(x).output)
    with pytest.raises(ValueError, match="torch"):
        model.to_torch_state_dict()
    with pytest.raises(ValueError, match="peephole"):
        make_layer("gru", INPUT, HIDDEN, peephole=True)
    incomplete = {k: v for k, v in LSTM(INPUT, HIDDEN, peephole=True).state_dict().items() if k != "weight_co_l0"}
    with pytest.raises(ValueError, match="weight_co_l0"):
        LSTM.from_torch(incomplete)


def test_stack_shapes_cells_and_copies():
    model = GRU(INPUT, HIDDEN, num_layers=3, bidirectional=True, seed=0)
    assert isinstance(model, StackedRecurrent) and model.output_size == 2 * HIDDEN
    assert model.cell(1, 1).input_size == 2 * HIDDEN and model.cell(0, 0).input_size == INPUT
    assert model.num_parameters() == sum(v.size for v in model.parameters().values())
    trace = model.forward(np.ones((STEPS, INPUT)))
    assert isinstance(trace, StackTrace) and trace.output.shape == (STEPS, 2 * HIDDEN)
    assert trace.h_n.shape == (6, HIDDEN) and trace.c_n is None
    # the reverse cell's trace is in its reading order: its last step read position 0
    np.testing.assert_array_equal(trace.in_sentence_order(2, 1, "h")[0], trace.output[0, HIDDEN:])
    assert trace.positions(1).tolist() == list(range(STEPS - 1, -1, -1))
    numbers = model.step_numbers(trace, 2, layer=1, direction=1)
    np.testing.assert_allclose(numbers.vectors["h"], trace.layers[1][1].h[2], atol=1e-14)
    twin = model.copy()
    twin.cell(0, 0).weight_hh[...] = 0.0
    assert not np.allclose(model.cell(0, 0).weight_hh, 0.0)
    scaled = model.scaled_recurrent(0.5)
    np.testing.assert_allclose(scaled.cell(2, 1).weight_hh, 0.5 * model.cell(2, 1).weight_hh)
    with pytest.raises(IndexError):
        model.cell(3, 0)
    with pytest.raises(ValueError, match="num_layers"):
        LSTM(INPUT, HIDDEN, num_layers=0)
    with pytest.raises(ValueError, match=r"\(num_layers·D"):
        model.forward(np.ones((STEPS, INPUT)), h0=np.zeros((2, HIDDEN)))
    one = LSTM(INPUT, HIDDEN)  # a one-layer network answers the stack's questions too
    tr = one.forward(np.ones((STEPS, INPUT)))
    assert one.cell(0, 0) is one and tr.layers[0][0] is tr and tr.h_n.shape == (1, HIDDEN)
    np.testing.assert_array_equal(tr.output, tr.h)


@pytest.mark.parametrize("head", ["last", "every"])
def test_bidirectional_stacked_sequence_model_gradients(head):
    model = SequenceModel("lstm", 3, 1 if head == "last" else 2, vocab_size=5, embed_size=3, head=head,
                          objective="binary" if head == "last" else "classification", num_layers=2,
                          bidirectional=True, seed=4)
    rng = np.random.default_rng(6)
    ids = rng.integers(0, 5, size=(4, 2))
    targets = rng.integers(0, 2, size=(2, 1)).astype(float) if head == "last" else rng.integers(0, 2, size=(4, 2))
    loss, _, grads = model.loss_and_grads(ids, targets)
    for name, param in model.params.items():
        numeric = central_difference(lambda: model.loss_and_grads(ids, targets)[0], param)
        np.testing.assert_allclose(grads[name], numeric, atol=1e-7, rtol=1e-5, err_msg=name)


def test_stack_jacobian_norms_one_layer_equals_the_chain():
    from lstm_viz.gradients import jacobian_norms, stack_jacobian_norms

    x = np.random.default_rng(0).normal(size=(12, INPUT))
    for kind in ("lstm", "gru", "rnn"):
        model = make_layer(kind, INPUT, HIDDEN, seed=1)
        for ord in ("fro", 2):
            np.testing.assert_allclose(stack_jacobian_norms(model, x, ord=ord)[0, 0], jacobian_norms(model, x, ord=ord),
                                       rtol=1e-10, atol=1e-14)
    both = LSTM(INPUT, HIDDEN, bidirectional=True, seed=2)
    norms = stack_jacobian_norms(both, x)
    np.testing.assert_array_equal(norms[0, 1], 0.0)  # the forward final state never sees the reverse cell
    reverse_alone = jacobian_norms(both.cell(0, 1), x[::-1])  # the reverse cell reads the text backwards
    np.testing.assert_allclose(stack_jacobian_norms(both, x, direction=1)[0, 1], reverse_alone[::-1], rtol=1e-10)


def test_stack_jacobian_norms_through_two_layers_by_finite_differences():
    """Perturb layer 0's h at step k (its c held fixed), run on by hand with the step functions, read y."""
    from lstm_viz.gradients import stack_jacobian_norms
    from lstm_viz.nn.lstm import lstm_step_forward

    model = LSTM(INPUT, HIDDEN, num_layers=2, seed=3)
    x = np.random.default_rng(1).normal(size=(6, INPUT))
    weights = [[model.cell(layer).parameters()[name] for name in model.cell(layer).param_names] for layer in (0, 1)]

    def top_final_state(k, bump):
        h = [np.zeros(HIDDEN), np.zeros(HIDDEN)]
        c = [np.zeros(HIDDEN), np.zeros(HIDDEN)]
        for t, x_t in enumerate(x):
            h[0], c[0], _ = lstm_step_forward(x_t, h[0], c[0], *weights[0])
            if t == k:
                h[0] = h[0] + bump
            h[1], c[1], _ = lstm_step_forward(h[0], h[1], c[1], *weights[1])
        return h[1]

    eps = 1e-6
    for k in range(len(x)):
        jacobian = np.stack([(top_final_state(k, eps * e) - top_final_state(k, -eps * e)) / (2 * eps)
                             for e in np.eye(HIDDEN)], axis=1)
        np.testing.assert_allclose(stack_jacobian_norms(model, x)[0, 0, k], np.linalg.norm(jacobian), rtol=1e-6)
