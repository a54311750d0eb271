"""Each step's share of a parameter gradient: ∇_W E = Σ_k ∇_{W,k} E.

The error terms come from the engine's own backward (``model.backward(..., return_deltas=True)``), so this
module holds no BPTT of its own. For step k, with δa_k the gradient on the gate pre-activations (input side
δa^x_k, recurrent side δa^h_k; they differ only in the GRU's candidate block)::

    ∇_{W_ih,k} E = δa^x_k x_kᵀ,   ∇_{W_hh,k} E = δa^h_k h_{k-1}ᵀ,   ∇_{b_ih,k} E = δa^x_k,   ∇_{b_hh,k} E = δa^h_k

Default error E = Σ_units h_{T-1} (δh zero except ones at the last step): the shares then show how much
each earlier step can still contribute to learning a long-range dependency.
"""

from __future__ import annotations

import numpy as np

__all__ = ["step_deltas", "gradient_shares", "gradient_contributions"]


def _default_dh(trace) -> np.ndarray:
    """∂E/∂h_t for E = Σ_units h_{T-1}: zeros except ones at the last step."""
    dh = np.zeros(trace.h.shape)
    dh[-1] = 1.0
    return dh


def step_deltas(model, x=None, dh=None, h0=None, c0=None, *, trace=None):
    """(trace, gradients, deltas) of one backward pass of ``model`` from ``dh`` (default: E = Σ h_{T-1}).

    x (T, [B], I) is run forward unless ``trace`` is given; deltas is the engine's :class:`lstm_viz.nn.Deltas`.
    """
    if trace is None:
        trace = model.forward(x, h0, c0)  # c0 given to a GRU or RNN is refused there
    if dh is None:
        dh = _default_dh(trace)
    grads, deltas = model.backward(trace, dh, return_deltas=True)
    return trace, grads, deltas


def _batched_terms(model, x, dh, h0, c0, trace):
    """δa^x, δa^h (T, B, G·H), inputs x_k (T, B, I) and h_{k-1} (T, B, H), all float64 with a batch axis."""
    trace, _, deltas = step_deltas(model, x, dh, h0, c0, trace=trace)

    def batched(a):  # (T, [B], ·) -> (T, B, ·) float64
        a = np.asarray(a, dtype=np.float64)
        return a if trace.batched else a[:, None]

    h = batched(trace.h)
    h_prev = np.concatenate([batched(trace.h0[None] if trace.batched else trace.h0[None, :])[:1], h[:-1]])
    return batched(deltas.gates_x), batched(deltas.gates_h), batched(trace.x), h_prev


def gradient_shares(model, x, dh=None, h0=None, c0=None, *, trace=None) -> dict[str, np.ndarray]:
    """Each step's share of every parameter gradient: name -> (T, *param.shape).

    weight_ih: δa^x_k x_kᵀ, weight_hh: δa^h_k h_{k-1}ᵀ, bias_ih / bias_hh: δa^x_k / δa^h_k (summed over the
    batch if x is batched). Summing over k gives ``model.backward(trace, dh)``. Memory T·|W|: use
    :func:`gradient_contributions` for just the norms.
    """
    da_x, da_h, inputs, h_prev = _batched_terms(model, x, dh, h0, c0, trace)
    return {
        "weight_ih_l0": np.einsum("tbg,tbi->tgi", da_x, inputs),  # (T, G·H, I)
        "weight_hh_l0": np.einsum("tbg,tbh->tgh", da_h, h_prev),  # (T, G·H, H)
        "bias_ih_l0": da_x.sum(axis=1),  # (T, G·H)
        "bias_hh_l0": da_h.sum(axis=1),  # (T, G·H)
    }


def _outer_sum_norms(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """(T,) ||Σ_b left[t,b] right[t,b]ᵀ||_F = sqrt(Σ_{b,b'} (l_b·l_b')(r_b·r_b'))."""
    gram_left = np.einsum("tbg,tcg->tbc", left, left)  # (T, B, B)
    gram_right = np.einsum("tbi,tci->tbc", right, right)  # (T, B, B)
    squared = np.einsum("tbc,tbc->t", gram_left, gram_right)
    return np.sqrt(np.maximum(squared, 0.0))


def gradient_contributions(model, x, dh=None, h0=None, c0=None, *, trace=None) -> dict[str, np.ndarray]:
    """name -> (T,) Frobenius norm of each step k's share of ∇_W E for the four parameters.

    Each share is a rank-1 (or, batched, rank-B) outer product, so its norm is computed without forming
    it: ||δa xᵀ||_F = ||δa|| ||x||.
    """
    da_x, da_h, inputs, h_prev = _batched_terms(model, x, dh, h0, c0, trace)
    return {
        "weight_ih_l0": _outer_sum_norms(da_x, inputs),
        "weight_hh_l0": _outer_sum_norms(da_h, h_prev),
        "bias_ih_l0": np.linalg.norm(da_x.sum(axis=1), axis=-1),
        "bias_hh_l0": np.linalg.norm(da_h.sum(axis=1), axis=-1),
    }
