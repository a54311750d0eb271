"""How gradients flow back through time: Jacobian norms (one layer and through a stack), bounds, the forget-gate product.

Numpy only. Works with the ``LSTM``, ``GRU`` and ``RNN`` of :mod:`lstm_viz.nn` through
their public contract (torch-layout ``weight_hh`` and the ``Trace`` fields).

Jacobians through time
----------------------
For a sequence of T steps, ``jacobian_norms`` gives, for every k = 0..T-1,
``|| ∂h_{T-1} / ∂h_k ||``: how much the last hidden state moves when the state at step k
moves (k is the *input* of the rest of the sequence; for the LSTM the cell c_k is held
fixed). Row k = T-1 is the identity (norm √H for "fro", 1 for 2).

It is computed analytically by chaining one-step Jacobians backwards from T-1, carrying
the H×H matrices (never a 2H×2H one). For the LSTM, with A_h = ∂h_{T-1}/∂h_k and
A_c = ∂h_{T-1}/∂c_k, one step (gates of step k, W_* the gate blocks of ``weight_hh``)::

    B         = A_h · diag(o_k ⊙ (1 − tanh² c_k)) + A_c                    (= total ∂h_{T-1}/∂c_k)
    A_h^{k-1} = [B·diag(g i(1−i)) | B·diag(c_{k-1} f(1−f)) | B·diag(i(1−g²)) | A_h·diag(tanh c_k o(1−o))] · W_hh
    A_c^{k-1} = B · diag(f_k)

which is computed as B·(Σ_{i,f,g} diag(d_g) W_g) + A_h·(diag(d_o) W_o): two H×H GEMMs per
step (the (H, 4H) @ (4H, H) product re-associated, half the flops) plus element-wise work.
GRU (blocks r, z, n), one H×H GEMM per step::

    A^{k-1} = A·diag(z_k) + [A·diag(d_r) | A·diag(d_z) | A·diag(d_hn)] · W_hh
            = A · (diag(z_k) + diag(d_r) W_r + diag(d_z) W_z + diag(d_hn) W_n)
    d_n = (1 − z)(1 − n²),  d_r = d_n ⊙ hn ⊙ r(1−r),  d_z = (h_{k-1} − n) ⊙ z(1−z),  d_hn = d_n ⊙ r

and the RNN ``A^{k-1} = A·diag(φ'(a_k)) · W_hh``. The matrices are rescaled by exact powers
of two at every step (and the exponent tracked), so 1000 steps of vanishing or exploding
products neither underflow into slow denormals nor overflow; the returned norm underflows
to 0 (or overflows to inf) only when the true value is outside float64's range. Use
``log10=True`` to get log10 norms that are always finite (-inf only for an exact zero).

References: Hochreiter (1991), Bengio, Simard & Frasconi (1994) on vanishing gradients;
Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks",
ICML 2013 (the bound in :func:`rnn_jacobian_bound`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["jacobian_norms", "cell_jacobian_norms", "forget_gate_product", "rnn_jacobian_bound", "stack_jacobian_norms"]

_ORD2_CHUNK = 64  # matrices per batched σ_max call for ord=2
_LOG10_2 = np.log10(2.0)


# ----------------------------------------------------------------------------- helpers
def _unbatched_trace(model, x, h0, c0, trace):
    """The model's trace for an unbatched sequence x (T, I) (or the given trace)."""
    if trace is None:
        x_arr = np.asarray(x)
        if x_arr.ndim != 2:
            raise ValueError(
                f"x must be one sequence (T, I); got shape {x_arr.shape} "
                "(for a batch, call once per sequence)"
            )
        trace = model.forward(x_arr, h0, c0)  # c0 given to a GRU or RNN is refused there
    if trace.batched:
        raise ValueError("jacobian norms need an unbatched trace (x of shape (T, I))")
    if trace.kind != model.kind:
        raise ValueError(f"trace is from a {trace.kind}, model is a {model.kind}")
    return trace


def _f64(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _prev_states(first: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """(T, ...) array of s_{t-1}: first, seq[0], ..., seq[T-2]."""
    return np.concatenate([_f64(first)[None], _f64(seq)[:-1]], axis=0)


def _check_ord(ord) -> str | int:
    if ord in ("fro", 2):
        return ord
    raise ValueError(f"ord must be 'fro' or 2, got {ord!r}")


def _check_dtype(dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def spectral_norms(matrices: np.ndarray) -> np.ndarray:
    """σ_max of each matrix of a (C, H, H) stack: σ_max(A) = √λ_max(A·Aᵀ) (batched GEMM + symmetric eigvalsh).

    Same value as the SVD's largest singular value to ~1e-15 relative (λ_max is computed to ε·‖A·Aᵀ‖ = ε·σ_max²),
    and far faster on the near-low-rank products a vanishing chain produces: there LAPACK's SVD slowed down
    ~25× (64 matrices of 192×192: 27 s against 2.6 s here), which broke the pages' time budget.
    """
    gram = np.matmul(matrices, np.swapaxes(matrices, -1, -2))     # (C, H, H) symmetric, PSD
    largest = np.linalg.eigvalsh(gram)[..., -1]                     # (C,) ascending order: the last is λ_max
    return np.sqrt(np.maximum(largest, 0.0))


class _NormRecorder:
    """Collects ||A_k|| · 2^{e_k} for k = T-1 .. 0; ord=2 via :func:`spectral_norms` in chunks."""

    def __init__(self, steps: int, hidden: int, ord):
        self.ord = ord
        self.mantissa = np.zeros(steps)  # norm of the rescaled matrix
        self.exponent = np.zeros(steps, dtype=np.int64)  # its power-of-two scale
        if ord == 2:
            self._chunk = np.empty((_ORD2_CHUNK, hidden, hidden))  # (C, H, H) float64
            self._chunk_steps: list[int] = []

    def record(self, k: int, matrix: np.ndarray, exponent: int) -> None:
        self.exponent[k] = exponent
        if self.ord == "fro":
            flat = matrix.reshape(-1)
            self.mantissa[k] = np.sqrt(np.dot(flat, flat))
        else:
            self._chunk[len(self._chunk_steps)] = matrix
            self._chunk_steps.append(k)
            if len(self._chunk_steps) == _ORD2_CHUNK:
                self._flush()

    def _flush(self) -> None:
        n = len(self._chunk_steps)
        if n:
            self.mantissa[self._chunk_steps] = spectral_norms(self._chunk[:n])
            self._chunk_steps = []

    def result(self, log10: bool) -> np.ndarray:
        if self.ord == 2:
            self._flush()
        if log10:
            with np.errstate(divide="ignore"):
                return np.log10(self.mantissa) + self.exponent * _LOG10_2
        with np.errstate(over="ignore", under="ignore"):
            return np.ldexp(self.mantissa, self.exponent)


def _rescale(exponent: int, *matrices: np.ndarray) -> tuple[int, bool]:
    """Scale matrices in place by an exact power of two so the largest Frobenius norm is in
    [0.5, 1); returns (new exponent, all_zero)."""
    largest = max(np.sqrt(np.dot(m.reshape(-1), m.reshape(-1))) for m in matrices)
    if largest == 0.0:
        return exponent, True
    if not np.isfinite(largest):
        raise FloatingPointError("Jacobian became non-finite (inf/NaN in the trace?)")
    _, e = np.frexp(largest)
    e = int(e)
    if e != 0:
        factor = np.ldexp(1.0, -e)
        for m in matrices:
            m *= factor
    return exponent + e, False


# ----------------------------------------------------------------------------- LSTM chain
def _lstm_step_factors(trace):
    """Per-step diagonal factors (all (T, ·), float64) of the LSTM one-step Jacobians."""
    H = trace.h.shape[-1]
    i, f, g, o = _f64(trace.i), _f64(trace.f), _f64(trace.g), _f64(trace.o)  # (T, H) each
    c = _f64(trace.c)
    tanh_c = np.tanh(c) if getattr(trace, "tanh_c", None) is None else _f64(trace.tanh_c)
    c_prev = _prev_states(trace.c0, c)  # (T, H)
    phi = o * (1.0 - tanh_c**2)  # ∂h_k/∂c_k (diagonal)   (T, H)
    gate_slopes = np.empty((len(i), 4, H))  # (T, 4, H): ∂c or ∂h per unit pre-activation
    gate_slopes[:, 0] = g * i * (1.0 - i)  # via input gate   (∂c_k/∂a_i)
    gate_slopes[:, 1] = c_prev * f * (1.0 - f)  # via forget gate  (∂c_k/∂a_f)
    gate_slopes[:, 2] = i * (1.0 - g**2)  # via candidate    (∂c_k/∂a_g)
    gate_slopes[:, 3] = tanh_c * o * (1.0 - o)  # via output gate  (∂h_k/∂a_o)
    return phi, gate_slopes, f


def _scaled_rows_sum(weights: np.ndarray, slopes: np.ndarray, out: np.ndarray, scratch: np.ndarray) -> np.ndarray:
    """out = Σ_g diag(slopes[g]) · weights[g]: weights (G, H, H) gate blocks, slopes (G, H)."""
    np.multiply(weights[0], slopes[0][:, None], out=out)
    for g in range(1, len(weights)):
        np.multiply(weights[g], slopes[g][:, None], out=scratch)
        out += scratch
    return out


def _lstm_chain(model, trace, record_cell: bool, recorder: _NormRecorder, dtype) -> None:
    """Backward chain of (A_h, A_c) = ∂out/∂(h_k, c_k); out = h_{T-1} or c_{T-1}.

    The three gates that act through c_k share the factor B, so
    A_h^{k-1} = B · (Σ_{g∈i,f,g} diag(d_g) W_g) + A_h · diag(d_o) W_o: two H×H GEMMs a step
    (the same product as [B·diag(d_i) | ... | A_h·diag(d_o)] · W_hh, re-associated).
    """
    steps, H = trace.h.shape
    W = np.ascontiguousarray(model.weight_hh, dtype=dtype).reshape(4, H, H)  # (4, H, H) blocks i f g o
    phi, gate_slopes, forget = (a.astype(dtype, copy=False) for a in _lstm_step_factors(trace))
    A_h = np.zeros((H, H), dtype=dtype)
    A_c = np.zeros((H, H), dtype=dtype)
    np.fill_diagonal(A_c if record_cell else A_h, 1.0)
    B = np.empty((H, H), dtype=dtype)
    via_cell = np.empty((H, H), dtype=dtype)  # Σ_{i,f,g} diag(d_g) W_g = ∂c_k/∂h_{k-1}
    via_output = np.empty((H, H), dtype=dtype)  # diag(d_o) W_o
    output_path = np.empty((H, H), dtype=dtype)
    scratch = np.empty((H, H), dtype=dtype)
    exponent = 0
    for k in range(steps - 1, -1, -1):
        recorder.record(k, A_c if record_cell else A_h, exponent)
        if k == 0:
            break
        np.multiply(A_h, phi[k], out=B)
        B += A_c  # total ∂out/∂c_k
        _scaled_rows_sum(W[:3], gate_slopes[k, :3], via_cell, scratch)
        np.multiply(W[3], gate_slopes[k, 3][:, None], out=via_output)
        np.matmul(A_h, via_output, out=output_path)
        np.multiply(B, forget[k], out=A_c)  # ∂out/∂c_{k-1}
        np.matmul(B, via_cell, out=A_h)  # ∂out/∂h_{k-1}
        A_h += output_path
        exponent, zero = _rescale(exponent, A_h, A_c)
        if zero:
            break  # everything earlier is exactly zero (mantissas stay 0)


def _gru_chain(model, trace, recorder: _NormRecorder, dtype) -> None:
    """A^{k-1} = A · (diag(z_k) + Σ_{r,z,n} diag(d_g) W_g): one H×H GEMM a step."""
    steps, H = trace.h.shape
    W = np.ascontiguousarray(model.weight_hh, dtype=dtype).reshape(3, H, H)  # (3, H, H) blocks r z n
    r, z, n, hn = _f64(trace.r), _f64(trace.z), _f64(trace.n), _f64(trace.hn)  # (T, H)
    h_prev = _prev_states(trace.h0, trace.h)  # (T, H)
    dn = (1.0 - z) * (1.0 - n**2)  # ∂h/∂(pre-activation of n)
    slopes = np.empty((steps, 3, H))  # (T, 3, H)
    slopes[:, 0] = dn * hn * r * (1.0 - r)  # via reset gate
    slopes[:, 1] = (h_prev - n) * z * (1.0 - z)  # via update gate
    slopes[:, 2] = dn * r  # via W_hn h_{k-1}
    slopes, z = slopes.astype(dtype, copy=False), z.astype(dtype, copy=False)
    A = np.eye(H, dtype=dtype)
    step_jacobian = np.empty((H, H), dtype=dtype)  # ∂h_k/∂h_{k-1}
    scratch = np.empty((H, H), dtype=dtype)
    diagonal = step_jacobian.reshape(-1)[:: H + 1]  # view of its diagonal
    exponent = 0
    for k in range(steps - 1, -1, -1):
        recorder.record(k, A, exponent)
        if k == 0:
            break
        _scaled_rows_sum(W, slopes[k], step_jacobian, scratch)
        diagonal += z[k]  # the leaky path z ⊙ h_{k-1}
        np.matmul(A, step_jacobian, out=scratch)
        A, scratch = scratch, A
        exponent, zero = _rescale(exponent, A)
        if zero:
            break


def _rnn_chain(model, trace, recorder: _NormRecorder, dtype) -> None:
    """A^{k-1} = A · diag(φ'(a_k)) W_hh."""
    steps, H = trace.h.shape
    W_hh = np.ascontiguousarray(model.weight_hh, dtype=dtype)  # (H, H)
    slope = _activation_slope(model, trace).astype(dtype, copy=False)  # (T, H)
    A = np.eye(H, dtype=dtype)
    step_jacobian = np.empty((H, H), dtype=dtype)
    scratch = np.empty((H, H), dtype=dtype)
    exponent = 0
    for k in range(steps - 1, -1, -1):
        recorder.record(k, A, exponent)
        if k == 0:
            break
        np.multiply(W_hh, slope[k][:, None], out=step_jacobian)
        np.matmul(A, step_jacobian, out=scratch)
        A, scratch = scratch, A
        exponent, zero = _rescale(exponent, A)
        if zero:
            break


def _activation_slope(model, trace) -> np.ndarray:
    """φ'(a_t) of an RNN from its outputs: 1 − h² (tanh) or [h > 0] (relu)."""
    h = _f64(trace.h)
    nonlinearity = getattr(model, "nonlinearity", "tanh")
    if nonlinearity == "relu":
        return (h > 0).astype(np.float64)
    return 1.0 - h**2


# ----------------------------------------------------------------------------- public API
def jacobian_norms(model, x, ord="fro", h0=None, c0=None, *, trace=None, log10: bool = False,
                   dtype=np.float64) -> np.ndarray:
    """(T,) k -> ||∂h_{T-1}/∂h_k||, the state at step k the input (LSTM: c_k held fixed).

    Args:
        model: LSTM, GRU or RNN.
        x: (T, I) one sequence (ignored when ``trace`` is given).
        ord: "fro" (Frobenius) or 2 (spectral norm, largest singular value).
        h0, c0: (H,) initial states (None = zeros).
        trace: a precomputed unbatched trace of ``model`` (skips the forward pass).
        log10: return log10 of the norms (finite even where the norm underflows float64).
        dtype: precision of the chain. float32 halves the GEMM time; thanks to the
            power-of-two rescaling it only costs accuracy (~1e-5 relative after 1000 steps).

    Analytic backward chain, see the module docstring; cost per step two (LSTM) or one
    (GRU, RNN) H×H GEMMs (ord=2 adds a batched SVD per 64 steps).
    """
    ord = _check_ord(ord)
    dtype = _check_dtype(dtype)
    trace = _unbatched_trace(model, x, h0, c0, trace)
    steps, hidden = trace.h.shape
    recorder = _NormRecorder(steps, hidden, ord)
    if model.kind == "lstm":
        _lstm_chain(model, trace, record_cell=False, recorder=recorder, dtype=dtype)
    elif model.kind == "gru":
        _gru_chain(model, trace, recorder, dtype)
    elif model.kind == "rnn":
        _rnn_chain(model, trace, recorder, dtype)
    else:
        raise ValueError(f"unsupported model kind {model.kind!r}")
    return recorder.result(log10)


def cell_jacobian_norms(model, x, ord="fro", h0=None, c0=None, *, trace=None, log10: bool = False,
                        dtype=np.float64) -> np.ndarray:
    """(T,) k -> ||∂c_{T-1}/∂c_k|| for an LSTM, h_k held fixed (all paths, gates included).

    Compare with :func:`forget_gate_product`, the "conveyor belt" part alone
    (diagonal Π f_j): the difference is what flows through the gates and h.
    """
    if model.kind != "lstm":
        raise ValueError(f"cell_jacobian_norms needs an LSTM, got a {model.kind.upper()}")
    ord = _check_ord(ord)
    dtype = _check_dtype(dtype)
    trace = _unbatched_trace(model, x, h0, c0, trace)
    steps, hidden = trace.h.shape
    recorder = _NormRecorder(steps, hidden, ord)
    _lstm_chain(model, trace, record_cell=True, recorder=recorder, dtype=dtype)
    return recorder.result(log10)


def forget_gate_product(trace) -> np.ndarray:
    """(T, [B], H) row k = Π_{j=k+1}^{T-1} f_j (row T-1 is ones): the diagonal of
    ∂c_{T-1}/∂c_k along the cell "conveyor belt" alone (ignoring the gates' dependence on h).
    """
    if trace.kind != "lstm":
        raise ValueError(f"forget_gate_product needs an LSTM trace, got a {trace.kind} trace")
    forget = _f64(trace.f)  # (T, [B], H)
    product = np.ones_like(forget)
    if len(forget) > 1:
        # product[k] = f[k+1] · f[k+2] ··· f[T-1]: reversed cumulative product of f[1:]
        product[:-1] = np.cumprod(forget[:0:-1], axis=0)[::-1]
    return product


def rnn_jacobian_bound(model, T: int, gamma: float = 1.0, ord=2, *, log10: bool = False) -> np.ndarray:
    """(T,) k -> (γ σ_max(W_hh))^(T-1-k), an upper bound of ||∂h_{T-1}/∂h_k||_2 for an RNN.

    Pascanu, Mikolov & Bengio (2013), "On the difficulty of training recurrent neural
    networks", ICML: ∂h_t/∂h_{t-1} = diag(φ'(a_t)) W_hh and ||diag(φ')||_2 ≤ γ, so
    ||∂h_{T-1}/∂h_k||_2 ≤ Π ||diag(φ')|| ||W_hh||_2 ≤ (γ σ_max)^(T-1-k). γ = 1 for tanh and
    relu (|φ'| ≤ 1), γ = 1/4 for the logistic sigmoid. If γ σ_max < 1 gradients must vanish
    exponentially; σ_max > 1/γ is necessary (not sufficient) for them to explode.

    ord="fro": ||A||_F ≤ √H ||A||_2, so the matching bound is √H (γ σ_max)^(T-1-k)
    (exact at k = T-1, where A = I).
    """
    if model.kind != "rnn":
        raise ValueError(f"rnn_jacobian_bound is for a plain RNN, got a {model.kind.upper()}")
    ord = _check_ord(ord)
    T = int(T)
    if T < 1:
        raise ValueError("T must be >= 1")
    sigma_max = float(np.linalg.norm(_f64(model.weight_hh), 2))
    rate = gamma * sigma_max
    powers = np.arange(T - 1, -1, -1, dtype=np.float64)  # T-1-k
    scale = np.sqrt(model.hidden_size) if ord == "fro" else 1.0
    if log10:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = powers * np.log10(rate) + np.log10(scale)
        if rate == 0.0:
            out[-1] = np.log10(scale)
        return out
    with np.errstate(over="ignore", under="ignore"):
        return scale * np.power(rate, powers)


# ----------------------------------------------------------------------------- stacks
def _seed_copies(trace, copies: int):
    """An unbatched trace seen as a batch of ``copies`` identical sequences (read-only broadcast views, no
    copy), so one backward carries ``copies`` seed vectors at once."""
    from ..nn import StackTrace, Trace

    def wide(a):  # (T+1 or T, 1, ·) -> (·, copies, ·) view
        return None if a is None else np.broadcast_to(a, (a.shape[0], copies) + a.shape[2:])

    if isinstance(trace, StackTrace):
        layers = [[_seed_copies(cell, copies) for cell in row] for row in trace.layers]
        output = np.broadcast_to(trace.output[:, None], (trace.output.shape[0], copies, trace.output.shape[-1]))
        return StackTrace(trace.kind, True, layers[0][0].x, layers, output, trace.h_n, trace.c_n,
                          nonlinearity=trace.nonlinearity)
    if not isinstance(trace, Trace) or trace.batched:
        raise ValueError("expected an unbatched trace")
    return Trace.from_buffers(trace.kind, True, wide(trace._x), wide(trace._h_all), gates=wide(trace._gates),
                              c_all=wide(trace._c_all), tanh_c=wide(trace._tanh_c), hn=wide(trace._hn),
                              nonlinearity=trace.nonlinearity)


def stack_jacobian_norms(model, x, ord="fro", *, direction: int = 0, h0=None, c0=None) -> np.ndarray:
    """(L, D, T) [l, d, t] = || ∂y / ∂h^{l,d}_t ||, y the top layer's final state of ``direction``.

    y is h^{L-1, fwd}_{T-1} (direction 0) or the reverse direction's state after it read the whole text
    (direction 1, sentence position 0). The input is the hidden state of layer l, direction d at sentence
    position t, its cell state held fixed (as in :func:`jacobian_norms`); entries that cannot reach y are 0.
    Works for any network, one layer or a stack, bidirectional or not, peepholes included.

    Computed with the engine's own backward: the sequence is run once per output unit (a batch of H
    copies), seeded with the unit vectors e_j on y, and every cell's δh_t (``return_deltas``) is row j of
    ∂y/∂h^{l,d}_t. Cost: one forward and one backward with batch H; memory ~ T·H·G·H per cell.
    """
    ord = _check_ord(ord)
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"x must be one sequence (T, I); got shape {x.shape}")
    directions = getattr(model, "num_directions", 1)
    if direction not in range(directions):
        raise ValueError(f"direction must be 0{' or 1' if directions == 2 else ''}, got {direction!r}")
    steps, hidden = x.shape[0], model.hidden_size
    stacked = getattr(model, "num_layers", 1) > 1 or directions > 1
    kwargs = {"h0": h0}
    if model.kind == "lstm":
        kwargs["c0"] = c0
    trace = _seed_copies(model.forward(x, **kwargs), hidden)  # one forward, its buffers seen H times
    d_output = np.zeros(trace.output.shape)  # (T, S, D·H)
    seeds = np.arange(hidden)
    position = steps - 1 if direction == 0 else 0
    d_output[position, seeds, direction * hidden + seeds] = 1.0
    if stacked:
        _, deltas = model.backward(trace, d_output, return_deltas=True)
    else:
        _, one = model.backward(trace, d_output, return_deltas=True)
        deltas = [[one]]
    layers = len(deltas)
    out = np.zeros((layers, directions, steps))
    for layer in range(layers):
        for d in range(directions):
            rows = np.asarray(deltas[layer][d].h, dtype=np.float64)  # (T in reading order, S, H)
            if d == 1:
                rows = rows[::-1]  # to sentence positions
            if ord == "fro":
                out[layer, d] = np.sqrt(np.einsum("tsh,tsh->t", rows, rows))
            else:
                out[layer, d] = np.linalg.norm(rows, 2, axis=(1, 2))
    return out
