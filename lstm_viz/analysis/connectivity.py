"""Connectivity: how strongly each earlier input still moves the state (Distill, "Memorization in RNNs").

``input_connectivity(model, x)[t, k] = || ∂h_t / ∂x_k ||`` for k ≤ t (0 above the diagonal), for an LSTM,
GRU or RNN on one sequence, computed analytically by forward-mode differentiation through the trace.

The tangents of the state with respect to every earlier input are carried forward together: at step t,
``P_t = ∂h_t/∂[x_0 … x_t]`` is (H, (t+1)·I), one (H, I) block per input step, and each step is one GEMM
with the recurrent weights over all blocks at once plus element-wise work (gates of the trace):

    LSTM   δa = W_hh δh_{t-1} (+ W_ih for the new block k = t)              (4H, N)
           δi = i(1−i) δa_i,  δf = f(1−f) δa_f,  δg = (1−g²) δa_g,  δo = o(1−o) δa_o
           δc_t = δf ⊙ c_{t-1} + f ⊙ δc_{t-1} + δi ⊙ g + i ⊙ δg
           δh_t = δo ⊙ tanh c_t + o ⊙ (1 − tanh² c_t) ⊙ δc_t
    GRU    δr = r(1−r)(δa^x_r + W_hr δh),  δz = z(1−z)(δa^x_z + W_hz δh),  δhn = W_hn δh
           δn = (1−n²)(δa^x_n + δr ⊙ hn + r ⊙ δhn),   δh_t = (1−z) δn + δz ⊙ (h_{t-1} − n) + z δh_{t-1}
    RNN    δh_t = φ'(a_t) (W_ih δx + W_hh δh_{t-1})

where δa^x = W_ih for the new block (∂x_t/∂x_t = I) and 0 for the earlier ones. Cost Σ_t 2·G·H²·(t+1)·I
flops: O(T² H² I), in large GEMMs.
"""

from __future__ import annotations

import numpy as np

__all__ = ["input_connectivity"]


def input_connectivity(model, x, ord="fro", *, trace=None, h0=None, c0=None, dtype=np.float64) -> np.ndarray:
    """(T, T) [t, k] = || ∂h_t / ∂x_k || for k ≤ t, 0 above the diagonal.

    Args:
        model: a one-layer, one-direction LSTM (peepholes not supported), GRU or RNN.
        x: (T, I) one sequence (ignored when ``trace`` is given).
        ord: "fro" (Frobenius) or 2 (spectral norm of each (H, I) block).
        trace: the model's unbatched trace of x (skips the forward pass).
        dtype: float64 (default) or float32 (about twice as fast; values below ~1e-38 become 0).
    """
    if ord not in ("fro", 2):
        raise ValueError(f"ord must be 'fro' or 2, got {ord!r}")
    if getattr(model, "num_layers", 1) != 1 or getattr(model, "num_directions", 1) != 1:
        raise ValueError("input_connectivity needs a one-layer, one-direction network (pick one cell)")
    if getattr(model, "peephole", False):
        raise ValueError("input_connectivity does not cover peephole connections")
    if trace is None:
        kwargs = {"h0": h0} | ({"c0": c0} if model.kind == "lstm" else {})
        trace = model.forward(np.asarray(x), **kwargs)
    if trace.batched:
        raise ValueError("input_connectivity needs one sequence (x of shape (T, I))")
    dtype = np.dtype(dtype)
    steps, hidden = trace.h.shape
    inputs = model.input_size
    w_ih = np.asarray(model.weight_ih, dtype=dtype)  # (G·H, I)
    w_hh = np.asarray(model.weight_hh, dtype=dtype)  # (G·H, H)
    columns = steps * inputs
    d_h = np.zeros((hidden, columns), dtype=dtype)  # ∂h_t / ∂x_k, blocks k = 0 .. t
    d_c = np.zeros((hidden, columns), dtype=dtype) if model.kind == "lstm" else None
    out = np.zeros((steps, steps))
    f64 = lambda a: np.asarray(a, dtype=dtype)  # noqa: E731
    for t in range(steps):
        n_old, n = t * inputs, (t + 1) * inputs
        old = slice(0, n_old)
        if model.kind == "lstm":
            _lstm_tangents(d_h, d_c, old, slice(n_old, n), w_ih, w_hh, hidden,
                           f64(trace.i[t]), f64(trace.f[t]), f64(trace.g[t]), f64(trace.o[t]),
                           f64(trace.c_prev(t)), f64(trace.tanh_c[t]))
        elif model.kind == "gru":
            _gru_tangents(d_h, old, slice(n_old, n), w_ih, w_hh, hidden, f64(trace.r[t]), f64(trace.z[t]),
                          f64(trace.n[t]), f64(trace.hn[t]), f64(trace.h_prev(t)))
        else:
            slope = f64((trace.h[t] > 0) if model.nonlinearity == "relu" else 1.0 - trace.h[t] ** 2)[:, None]
            if n_old:
                d_h[:, old] = slope * (w_hh @ d_h[:, old])
            d_h[:, n_old:n] = slope * w_ih
        blocks = d_h[:, :n].reshape(hidden, t + 1, inputs).transpose(1, 0, 2)  # (t+1, H, I)
        if ord == "fro":
            out[t, :t + 1] = np.sqrt(np.einsum("khi,khi->k", blocks, blocks, dtype=np.float64))
        else:
            out[t, :t + 1] = np.linalg.norm(blocks.astype(np.float64), 2, axis=(1, 2))
    return out


def _lstm_tangents(d_h, d_c, old, new, w_ih, w_hh, hidden, i, f, g, o, c_prev, tanh_c):
    """One LSTM step of the tangents, in place: columns ``old`` through W_hh, ``new`` from W_ih."""
    col = lambda v: v[:, None]  # noqa: E731  (H,) -> (H, 1), broadcast over the columns
    width = new.stop
    d_a = np.empty((4 * hidden, width), dtype=d_h.dtype)  # (4H, N)
    if old.stop:
        np.matmul(w_hh, d_h[:, old], out=d_a[:, old])
    d_a[:, new] = w_ih
    d_i = d_a[:hidden] * col(i * (1.0 - i))
    d_f = d_a[hidden:2 * hidden] * col(f * (1.0 - f))
    d_g = d_a[2 * hidden:3 * hidden] * col(1.0 - g * g)
    d_o = d_a[3 * hidden:] * col(o * (1.0 - o))
    cell = d_f * col(c_prev) + d_i * col(g) + d_g * col(i)
    cell[:, old] += d_c[:, old] * col(f)
    d_c[:, :width] = cell
    d_h[:, :width] = d_o * col(tanh_c) + cell * col(o * (1.0 - tanh_c * tanh_c))


def _gru_tangents(d_h, old, new, w_ih, w_hh, hidden, r, z, n, hn, h_prev):
    """One GRU step of the tangents, in place."""
    col = lambda v: v[:, None]  # noqa: E731
    width = new.stop
    d_rec = np.zeros((3 * hidden, width), dtype=d_h.dtype)  # W_hh δh_{t-1}: only the old columns
    if old.stop:
        np.matmul(w_hh, d_h[:, old], out=d_rec[:, old])
    d_in = np.zeros((3 * hidden, width), dtype=d_h.dtype)  # W_ih δx: only the new block
    d_in[:, new] = w_ih
    d_r = (d_in[:hidden] + d_rec[:hidden]) * col(r * (1.0 - r))
    d_z = (d_in[hidden:2 * hidden] + d_rec[hidden:2 * hidden]) * col(z * (1.0 - z))
    d_n = (d_in[2 * hidden:] + d_r * col(hn) + d_rec[2 * hidden:] * col(r)) * col(1.0 - n * n)
    result = d_n * col(1.0 - z) + d_z * col(h_prev - n)
    result[:, old] += d_h[:, old] * col(z)
    d_h[:, :width] = result
