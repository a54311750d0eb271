"""Same weights, same input: lstm_viz and torch.nn agree on outputs and gradients (float64)."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_viz.nn import GRU, LSTM, RNN

torch = pytest.importorskip("torch")

INPUT, HIDDEN, STEPS, BATCH = 3, 5, 6, 2

CASES = {
    "lstm": (LSTM, "LSTM", {}),
    "gru": (GRU, "GRU", {}),
    "rnn-tanh": (RNN, "RNN", {"nonlinearity": "tanh"}),
    "rnn-relu": (RNN, "RNN", {"nonlinearity": "relu"}),
}


def torch_twin(model, kwargs):
    """torch.nn module of the same kind, float64, loaded with the model's weights."""
    torch_cls = getattr(torch.nn, type(model).__name__)
    twin = torch_cls(model.input_size, model.hidden_size, **kwargs).double()
    twin.load_state_dict(model.to_torch_state_dict())
    return twin


@pytest.mark.parametrize("batched", [False, True], ids=["unbatched", "batched"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_forward_and_gradients_match_torch(case, batched):
    cls, _, kwargs = CASES[case]
    model = cls(INPUT, HIDDEN, seed=11, **kwargs)
    twin = torch_twin(model, kwargs)
    rng = np.random.default_rng(4)
    lead = (STEPS, BATCH) if batched else (STEPS,)
    state = (BATCH, HIDDEN) if batched else (HIDDEN,)
    x = rng.normal(size=lead + (INPUT,))
    h0 = rng.normal(size=state)
    c0 = rng.normal(size=state) if model.kind == "lstm" else None
    dh = rng.normal(size=lead + (HIDDEN,))
    dc_last = rng.normal(size=state) if model.kind == "lstm" else None

    trace = model.forward(x, h0, c0)
    grads = model.backward(trace, dh, dc_last)

    x_t = torch.tensor(x, requires_grad=True)
    h0_t = torch.tensor(h0[None], requires_grad=True)  # torch wants (layers, [B], H)
    c0_t = torch.tensor(c0[None], requires_grad=True) if c0 is not None else None
    output, final = twin(x_t, (h0_t, c0_t) if c0 is not None else h0_t)
    objective = (output * torch.tensor(dh)).sum()
    if c0 is not None:
        objective = objective + (final[1][0] * torch.tensor(dc_last)).sum()
        np.testing.assert_allclose(trace.c[-1], final[1][0].detach().numpy(), rtol=0, atol=1e-9)
    objective.backward()

    np.testing.assert_allclose(trace.h, output.detach().numpy(), rtol=0, atol=1e-9)
    for name, parameter in twin.named_parameters():
        np.testing.assert_allclose(grads[name], parameter.grad.numpy(), rtol=0, atol=1e-7, err_msg=name)
    np.testing.assert_allclose(grads["x"], x_t.grad.numpy(), rtol=0, atol=1e-7)
    np.testing.assert_allclose(grads["h0"], h0_t.grad.numpy()[0], rtol=0, atol=1e-7)
    if c0 is not None:
        np.testing.assert_allclose(grads["c0"], c0_t.grad.numpy()[0], rtol=0, atol=1e-7)


def test_lstm_gates_match_torch_cell_by_cell():
    """Per-step gates agree with the torch formulas evaluated on torch's own hidden states."""
    model = LSTM(INPUT, HIDDEN, seed=2)
    cell = torch.nn.LSTMCell(INPUT, HIDDEN).double()
    cell.load_state_dict({k.removesuffix("_l0"): v for k, v in model.to_torch_state_dict().items()})
    x = np.random.default_rng(0).normal(size=(STEPS, INPUT))
    trace = model.forward(x)
    h = torch.zeros(1, HIDDEN, dtype=torch.float64)
    c = torch.zeros(1, HIDDEN, dtype=torch.float64)
    for t in range(STEPS):
        gates = cell.weight_ih @ torch.tensor(x[t]) + cell.bias_ih + cell.weight_hh @ h[0] + cell.bias_hh
        i, f, g, o = gates.detach().chunk(4)
        np.testing.assert_allclose(trace.i[t], torch.sigmoid(i).numpy(), atol=1e-12)
        np.testing.assert_allclose(trace.f[t], torch.sigmoid(f).numpy(), atol=1e-12)
        np.testing.assert_allclose(trace.g[t], torch.tanh(g).numpy(), atol=1e-12)
        np.testing.assert_allclose(trace.o[t], torch.sigmoid(o).numpy(), atol=1e-12)
        with torch.no_grad():
            h, c = cell(torch.tensor(x[t][None]), (h, c))
        np.testing.assert_allclose(trace.c[t], c[0].numpy(), atol=1e-12)


@pytest.mark.parametrize("case", sorted(CASES))
def test_torch_round_trip(case):
    cls, torch_name, kwargs = CASES[case]
    torch.manual_seed(0)
    original = getattr(torch.nn, torch_name)(INPUT, HIDDEN, **kwargs).double()
    model = cls.from_torch(original.state_dict(), **kwargs)  # tensors in
    assert (model.input_size, model.hidden_size) == (INPUT, HIDDEN)
    back = model.to_torch_state_dict()
    assert set(back) == set(original.state_dict())
    for name, tensor in original.state_dict().items():
        assert back[name].dtype == torch.float64
        assert torch.equal(back[name], tensor), name
    reloaded = getattr(torch.nn, torch_name)(INPUT, HIDDEN, **kwargs).double()
    reloaded.load_state_dict(back)
    x = torch.randn(STEPS, INPUT, dtype=torch.float64)
    with torch.no_grad():
        np.testing.assert_allclose(model.forward(x.numpy()).h, reloaded(x)[0].numpy(), atol=1e-12)


def test_from_torch_float32_and_gru_hn():
    torch.manual_seed(1)
    gru = torch.nn.GRU(INPUT, HIDDEN)  # float32 tensors
    model = GRU.from_torch(gru.state_dict(), dtype=np.float32)
    assert model.dtype == np.float32 and model.to_torch_state_dict()["weight_hh_l0"].dtype == torch.float32
    x = torch.randn(STEPS, BATCH, INPUT)
    trace = model.forward(x.numpy())
    with torch.no_grad():
        np.testing.assert_allclose(trace.h, gru(x)[0].numpy(), atol=1e-5)
        h_prev = torch.from_numpy(np.concatenate([trace.h0[None], trace.h[:-1]]))  # (T, B, H)
        hn = h_prev @ gru.weight_hh_l0[2 * HIDDEN:].T + gru.bias_hh_l0[2 * HIDDEN:]
    np.testing.assert_allclose(trace.hn, hn.numpy(), atol=1e-5)


def test_from_torch_module_with_more_layers_or_directions_loads_whole():
    two_layers = LSTM.from_torch(torch.nn.LSTM(INPUT, HIDDEN, num_layers=2).state_dict())
    assert (two_layers.num_layers, two_layers.bidirectional) == (2, False)
    bidirectional = GRU.from_torch(torch.nn.GRU(INPUT, HIDDEN, bidirectional=True).state_dict())
    assert (bidirectional.num_layers, bidirectional.bidirectional) == (1, True)
    with pytest.raises(ValueError):
        RNN.from_torch(torch.nn.LSTM(INPUT, HIDDEN).state_dict())
