"""BPTT step by step: the replayed step equals the fused backward; the δ's equal PyTorch's autograd."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_viz import GRU, LSTM, RNN
from lstm_viz.analysis.backprop import backward_step, check_entries, hidden_unit_loss, language_model_loss
from lstm_viz.nn.charlm import CharLM, CharLMConfig

STEPS, INPUT, HIDDEN = 6, 3, 4
CASES = {"lstm": lambda: LSTM(INPUT, HIDDEN, seed=1), "gru": lambda: GRU(INPUT, HIDDEN, seed=2),
         "rnn": lambda: RNN(INPUT, HIDDEN, seed=3), "peephole": lambda: LSTM(INPUT, HIDDEN, seed=4, peephole=True)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_replayed_steps_chain_into_the_fused_backward(case):
    model = CASES[case]()
    rng = np.random.default_rng(0)
    x, dh_loss = rng.normal(size=(STEPS, INPUT)), rng.normal(size=(STEPS, HIDDEN))
    trace = model.forward(x)
    grads, deltas = model.backward(trace, dh_loss, return_deltas=True)
    for t in range(STEPS):
        step = backward_step(model, trace, deltas, dh_loss, t)
        v = step.vectors
        np.testing.assert_allclose(v["dh_loss"] + v["dh_next"], deltas.h[t], atol=1e-13)
        leaving = grads["h0"] if t == 0 else deltas.h[t - 1] - dh_loss[t - 1]
        np.testing.assert_allclose(v["dh_prev"], leaving, rtol=1e-10, atol=1e-13)
        if model.kind == "lstm":
            np.testing.assert_allclose(v["dc"], deltas.c[t], rtol=1e-10, atol=1e-13)
            np.testing.assert_allclose(np.concatenate([v["da_i"], v["da_f"], v["da_g"], v["da_o"]]),
                                       deltas.gates_x[t], rtol=1e-10, atol=1e-13)
            if t == 0:
                np.testing.assert_allclose(v["dc_prev"], grads["c0"], rtol=1e-10, atol=1e-13)
            else:
                np.testing.assert_allclose(v["dc_prev"], backward_step(model, trace, deltas, dh_loss, t - 1).vectors["dc_next"],
                                           rtol=1e-10, atol=1e-13)
            np.testing.assert_allclose(step.forget_share, trace.f[t], atol=1e-14)


def test_lstm_deltas_match_torch_autograd_on_every_intermediate():
    torch = pytest.importorskip("torch")
    model = LSTM(INPUT, HIDDEN, seed=5)
    rng = np.random.default_rng(1)
    x, dh_loss = rng.normal(size=(STEPS, INPUT)), rng.normal(size=(STEPS, HIDDEN))
    cell = torch.nn.LSTMCell(INPUT, HIDDEN).double()
    cell.load_state_dict({k.removesuffix("_l0"): torch.from_numpy(v) for k, v in model.state_dict().items()})
    h, c = torch.zeros(1, HIDDEN, dtype=torch.float64), torch.zeros(1, HIDDEN, dtype=torch.float64)
    hs, cs = [], []
    for x_t in torch.from_numpy(x):
        h, c = cell(x_t[None], (h, c))
        h.retain_grad()
        c.retain_grad()
        hs.append(h)
        cs.append(c)
    (torch.stack(hs)[:, 0] * torch.from_numpy(dh_loss)).sum().backward()
    _, deltas = model.backward(model.forward(x), dh_loss, return_deltas=True)
    np.testing.assert_allclose(deltas.h, np.stack([h.grad[0].numpy() for h in hs]), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(deltas.c, np.stack([c.grad[0].numpy() for c in cs]), rtol=1e-10, atol=1e-13)


def test_losses_and_their_gradients():
    model = LSTM(INPUT, HIDDEN, seed=6)
    trace = model.forward(np.ones((STEPS, INPUT)))
    value, dh = hidden_unit_loss(trace, unit=2)
    assert value == pytest.approx(trace.h[-1, 2]) and dh.sum() == 1.0 and dh[-1, 2] == 1.0
    total, dh_all = hidden_unit_loss(trace)
    assert total == pytest.approx(trace.h[-1].sum()) and dh_all[-1].tolist() == [1.0] * HIDDEN

    lm = CharLM(list("abcd"), CharLMConfig(embed_size=3, hidden_size=HIDDEN, seed=1), dtype=np.float64)
    text = "abcabd"
    loss, dh_lm = language_model_loss(lm, text)  # mean over the 5 predictions
    chunk_loss, _, _ = lm.loss_and_grads(lm.encode_ids(text))
    assert loss == pytest.approx(chunk_loss, rel=1e-12)
    eps = 1e-6
    x, _ = lm.encode_text(text)
    trace = lm.rnn.forward(x)
    head = lambda h: -np.log(np.exp(h @ lm.w_out.T + lm.b_out)[2, lm.encode_ids(text)[3]]  # noqa: E731
                             / np.exp(h @ lm.w_out.T + lm.b_out)[2].sum())
    one_step, dh_one = language_model_loss(lm, text, step=2)
    assert one_step == pytest.approx(head(trace.h), rel=1e-10)
    bumped = np.array(trace.h)
    bumped[2, 1] += eps
    lowered = np.array(trace.h)
    lowered[2, 1] -= eps
    assert dh_one[2, 1] == pytest.approx((head(bumped) - head(lowered)) / (2 * eps), rel=1e-6)
    assert np.all(dh_one[[0, 1, 3, 4, 5]] == 0)
    with pytest.raises(ValueError):
        language_model_loss(lm, text, step=5)


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradient_check_of_chosen_entries(case):
    model = CASES[case]()
    rng = np.random.default_rng(2)
    x, dh_loss = rng.normal(size=(STEPS, INPUT)), rng.normal(size=(STEPS, HIDDEN))
    entries = [(name, int(rng.integers(0, value.size))) for name, value in model.parameters().items()]
    results = check_entries(model, x, dh_loss, entries)
    assert [r["name"] for r in results] == [name for name, _ in entries]
    assert max(r["relative_error"] for r in results) < 1e-7
    with pytest.raises(ValueError):
        check_entries(model, x, dh_loss, [("weight_hh_l0", 10**6)])
