"""Backpropagation through time, one step at a time, with the engine's numbers.

A loss on the current text gives δh_t from outside the network at every step (:func:`hidden_unit_loss`,
:func:`language_model_loss`). The engine's fused backward (``return_deltas=True``) gives every step's
δh_t and δc_t; :func:`backward_step` then replays step t with the cell's readable ``step_backward`` to lay
out what arrives (from the loss, from step t+1), the δ of every gate, and what leaves for step t−1:

    LSTM   δh_t = ∂L/∂h_t (loss) + W_hhᵀ δa_{t+1} (step t+1)
           δc_t = δc from step t+1 (f_{t+1} ⊙ δc_{t+1}) + δh_t ⊙ o_t ⊙ (1 − tanh² c_t)
           δo_t = δh_t ⊙ tanh c_t,  δi_t = δc_t ⊙ g_t,  δg_t = δc_t ⊙ i_t,  δf_t = δc_t ⊙ c_{t-1}
           leaving: δc_{t-1} ⊇ f_t ⊙ δc_t (the forget gate's share),  δh_{t-1} ⊇ W_hhᵀ δa_t
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..nn.gru import gru_step_backward
from ..nn.lstm import lstm_step_backward
from ..nn.rnn import rnn_step_backward

__all__ = ["hidden_unit_loss", "language_model_loss", "BackwardStep", "backward_step", "check_entries"]


def hidden_unit_loss(trace, unit: int | None = None) -> tuple[float, np.ndarray]:
    """E = h_{T-1}[unit] (or Σ_units h_{T-1} when unit is None) and ∂E/∂h_t (T, H): ones at the last step."""
    h = np.asarray(trace.h, dtype=np.float64)
    dh = np.zeros_like(h)
    if unit is None:
        dh[-1] = 1.0
        return float(h[-1].sum()), dh
    dh[-1, int(unit)] = 1.0
    return float(h[-1, int(unit)]), dh


def language_model_loss(network, text: str, step: int | None = None) -> tuple[float, np.ndarray]:
    """Next-character cross-entropy (nats) of a CharLM on ``text`` at ``step`` (predicting text[step+1]),
    or the mean over every step when None, and ∂L/∂h_t (T, H) for the network's LSTM (``network.rnn``).

    z_t = W_out h_t + b_out,  L = −log softmax(z_t)[c_{t+1}],  ∂L/∂h_t = W_outᵀ (softmax(z_t) − onehot)
    """
    from ..nn.losses import softmax_cross_entropy

    ids = network.encode_ids(text)
    if ids.size < 2:
        raise ValueError("the language-model loss needs at least two characters")
    net = network.net64
    logits, cache = net.forward(ids)  # (T, V)
    steps = ids.size - 1  # the last character predicts nothing we can check
    mask = np.zeros(ids.size)
    if step is None:
        mask[:steps] = 1.0
    else:
        if not 0 <= int(step) < steps:
            raise ValueError(f"step must be in 0..{steps - 1}")
        mask[int(step)] = 1.0
    targets = np.append(ids[1:], 0)  # (T,), the last target is masked out
    loss, dlogits = softmax_cross_entropy(logits, targets, mask=mask)
    return loss, dlogits @ net.w_out  # the head's backward: (T, V) @ (V, H)


@dataclass
class BackwardStep:
    """What flows through step t of the backward pass: name -> (H,) float64 (gate-value δ's included).

    LSTM names: dh_loss, dh_next, dh, dc_next, dc, do, di, dg, df, da_i, da_f, da_g, da_o, dc_prev, dh_prev.
    GRU: dh_loss, dh_next, dh, dz, dn, dr, dhn, da_r, da_z, da_n, dh_prev.  RNN: dh_loss, dh_next, dh, da, dh_prev.
    ``forget_share`` (LSTM): f_t, the fraction of the cell's error passed straight back to c_{t-1}.
    """

    kind: str
    t: int
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    forget_share: np.ndarray | None = None


def backward_step(model, trace, deltas, dh_loss: np.ndarray, t: int) -> BackwardStep:
    """Step t of the backward pass of an unbatched trace, replayed with the cell's ``step_backward``.

    ``deltas`` is ``model.backward(trace, dh_loss, return_deltas=True)[1]``; ``dh_loss`` (T, H) is what the
    loss sends to each h_t.
    """
    if trace.batched:
        raise ValueError("backward_step needs an unbatched trace")
    t = trace._step_index(t)
    params = {name: np.asarray(value, dtype=np.float64) for name, value in model.parameters().items()}
    x_t = np.asarray(trace.x[t], dtype=np.float64)
    h_prev = np.asarray(trace.h_prev(t), dtype=np.float64)
    c_prev = np.asarray(trace.c_prev(t), dtype=np.float64) if model.kind == "lstm" else None
    cache = model._step_cache(x_t, h_prev, c_prev, params)
    dh = np.asarray(deltas.h[t], dtype=np.float64)
    dh_loss_t = np.asarray(dh_loss[t], dtype=np.float64)
    vectors = {"dh_loss": dh_loss_t, "dh_next": dh - dh_loss_t, "dh": dh}
    hidden = model.hidden_size
    if model.kind == "lstm":
        dc_next = np.asarray(deltas.c[t + 1], dtype=np.float64) * np.asarray(trace.f[t + 1], dtype=np.float64) \
            if t + 1 < trace.num_steps else np.zeros(hidden)
        if getattr(model, "peephole", False) and t + 1 < trace.num_steps:
            w_ci, w_cf, _ = (params[name] for name in ("weight_ci_l0", "weight_cf_l0", "weight_co_l0"))
            gates_next = np.asarray(deltas.gates_x[t + 1], dtype=np.float64)
            dc_next = dc_next + gates_next[:hidden] * w_ci + gates_next[hidden:2 * hidden] * w_cf
        out = lstm_step_backward(dh, dc_next, cache)
        da = out["gates"]
        vectors |= {"dc_next": dc_next, "dc": out["c"], "do": out["do"], "di": out["di"], "dg": out["dg"],
                    "df": out["df"], "da_i": da[:hidden], "da_f": da[hidden:2 * hidden],
                    "da_g": da[2 * hidden:3 * hidden], "da_o": da[3 * hidden:], "dc_prev": out["c_prev"],
                    "dh_prev": out["h_prev"]}
        return BackwardStep("lstm", t, vectors, forget_share=cache["f"])
    if model.kind == "gru":
        out = gru_step_backward(dh, cache)
        da = out["gates_x"]
        vectors |= {"dz": out["dz"], "dn": out["dn"], "dr": out["dr"], "dhn": out["dhn"], "da_r": da[:hidden],
                    "da_z": da[hidden:2 * hidden], "da_n": da[2 * hidden:], "dh_prev": out["h_prev"]}
        return BackwardStep("gru", t, vectors)
    out = rnn_step_backward(dh, cache)
    vectors |= {"da": out["gates"], "dh_prev": out["h_prev"]}
    return BackwardStep("rnn", t, vectors)


def check_entries(model, x: np.ndarray, dh_loss: np.ndarray, entries, eps: float = 1e-6) -> list[dict]:
    """Gradient check of chosen parameter entries for E = Σ_t dh_loss_t · h_t (a linear read-out of h).

    entries: [(parameter name, flat index), ...]. Returns per entry {"name", "index", "bptt", "numerical",
    "relative_error"} with relative error |a − n| / max(|a| + |n|, 1e-300), the central difference taken on a
    float64 copy of the model (the model itself is not touched).
    """
    from .gradcheck import central_difference

    twin = model.copy() if model.dtype == np.float64 else type(model).from_torch(model.state_dict())
    x = np.asarray(x, dtype=np.float64)
    dh_loss = np.asarray(dh_loss, dtype=np.float64)
    grads = twin.backward(twin.forward(x), dh_loss)
    params = twin.parameters()
    results = []
    for name, index in entries:
        if name not in params:
            raise ValueError(f"no parameter {name!r} (parameters: {', '.join(params)})")
        array = params[name]
        index = int(index)
        if not 0 <= index < array.size:
            raise ValueError(f"{name} has {array.size} entries; index {index} is out of range")
        numerical = float(central_difference(lambda: float(np.sum(dh_loss * twin.forward(x).h)), array,
                                             indices=[index], eps=eps)[0])
        analytic = float(np.asarray(grads[name]).reshape(-1)[index])
        error = abs(analytic - numerical) / max(abs(analytic) + abs(numerical), 1e-300)
        results.append({"name": name, "index": index, "bptt": analytic, "numerical": numerical,
                        "relative_error": error})
    return results
