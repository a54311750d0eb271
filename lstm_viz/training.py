"""Training: losses, Adam, gradient-norm clipping, a sequence model with heads, a train loop.

Numpy only (layer 1 of the design). Every function works on plain arrays and on dicts of
arrays keyed by parameter name, so the same optimiser trains the recurrent layer, the
embedding and the output layer together.

Losses return ``(loss, gradient)`` so a backward pass can start from them:

    softmax cross-entropy   L = -1/N Σ_n log softmax(z_n)[y_n],   ∂L/∂z_n = (softmax(z_n) - onehot(y_n)) / N
    mean squared error      L = 1/N Σ_n (p_n - y_n)²,            ∂L/∂p_n = 2 (p_n - y_n) / N
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, MutableMapping

import numpy as np

__all__ = [
    "log_softmax",
    "softmax",
    "softmax_cross_entropy",
    "mse_loss",
    "global_norm",
    "clip_grad_norm",
    "Adam",
]


# ----------------------------------------------------------------------------- losses


def log_softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z)_k = z_k - m - log Σ_j exp(z_j - m), m = max_j z_j (stable log-sum-exp)."""
    logits = np.asarray(logits)
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(z)_k = exp(z_k - m) / Σ_j exp(z_j - m), m = max_j z_j."""
    logits = np.asarray(logits)
    shifted = np.exp(logits - np.max(logits, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


def softmax_cross_entropy(
    logits: np.ndarray, targets: np.ndarray, mask: np.ndarray | None = None
) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy and its gradient with respect to the logits.

    logits  (..., V) unnormalised scores
    targets (...)    integer class ids in [0, V)
    mask    (...)    optional 0/1 weights; the mean is over the positions with mask 1

    L = -1/N Σ_n m_n log softmax(z_n)[y_n],  N = Σ_n m_n
    ∂L/∂z_n = m_n (softmax(z_n) - onehot(y_n)) / N
    """
    logits = np.asarray(logits)
    targets = np.asarray(targets)
    if not np.issubdtype(logits.dtype, np.floating):
        raise ValueError("logits must be a floating point array")
    if targets.shape != logits.shape[:-1]:
        raise ValueError(f"targets shape {targets.shape} must equal logits shape without the last axis {logits.shape[:-1]}")
    vocab = logits.shape[-1]
    flat_logits = logits.reshape(-1, vocab)  # (N, V)
    flat_targets = targets.reshape(-1).astype(np.int64)  # (N,)
    if flat_targets.size and (flat_targets.min() < 0 or flat_targets.max() >= vocab):
        raise ValueError(f"targets must be class ids in [0, {vocab})")
    if mask is None:
        weights = np.ones(flat_targets.shape, dtype=logits.dtype)
    else:
        weights = np.asarray(mask, dtype=logits.dtype).reshape(-1)
        if weights.shape != flat_targets.shape:
            raise ValueError("mask must have the shape of targets")
    count = float(weights.sum())
    if count <= 0:
        raise ValueError("softmax_cross_entropy needs at least one position with mask 1")
    log_probs = log_softmax(flat_logits)  # (N, V)
    rows = np.arange(flat_targets.size)
    loss = float(-(weights * log_probs[rows, flat_targets]).sum() / count)
    dlogits = np.exp(log_probs)  # softmax, (N, V)
    dlogits[rows, flat_targets] -= 1.0
    dlogits *= (weights / count)[:, None]
    return loss, dlogits.reshape(logits.shape)


def mse_loss(prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over all elements and its gradient.

    L = 1/N Σ_n (p_n - y_n)²,   ∂L/∂p = 2 (p - y) / N
    """
    prediction = np.asarray(prediction)
    target = np.asarray(target, dtype=prediction.dtype)
    if prediction.shape != target.shape:
        raise ValueError(f"prediction shape {prediction.shape} != target shape {target.shape}")
    if prediction.size == 0:
        raise ValueError("mse_loss needs at least one element")
    diff = prediction - target
    loss = float(np.mean(diff * diff))
    return loss, (2.0 / diff.size) * diff


# ----------------------------------------------------------------------------- clipping


def global_norm(grads: Mapping[str, np.ndarray] | Iterable[np.ndarray]) -> float:
    """‖g‖ = sqrt(Σ_p ‖g_p‖²) over every array (the 'global norm' of Pascanu et al. 2013)."""
    arrays = grads.values() if isinstance(grads, Mapping) else grads
    total = 0.0
    for g in arrays:
        g = np.asarray(g).ravel()
        total += float(np.dot(g, g))
    return math.sqrt(total)


def clip_grad_norm(grads: MutableMapping[str, np.ndarray], max_norm: float) -> float:
    """Scale every gradient in place by min(1, max_norm / ‖g‖); return the norm before clipping.

    Same rule as torch.nn.utils.clip_grad_norm_ (with its 1e-6 guard): the direction is kept,
    only the length is capped. A non-finite norm leaves the gradients untouched (the caller
    decides what to do; the train loop skips such a step).
    """
    if max_norm <= 0:
        raise ValueError("max_norm must be positive")
    norm = global_norm(grads)
    if math.isfinite(norm) and norm > max_norm:
        scale = max_norm / (norm + 1e-6)
        for g in grads.values():
            g *= scale
    return norm


# ----------------------------------------------------------------------------- Adam


class Adam:
    """Adam (Kingma & Ba 2015) over a dict of numpy arrays, updated in place.

        m_t = β1 m_{t-1} + (1-β1) g_t
        v_t = β2 v_{t-1} + (1-β2) g_t²
        m̂_t = m_t / (1-β1^t),  v̂_t = v_t / (1-β2^t)
        θ_t = θ_{t-1} - lr · m̂_t / (sqrt(v̂_t) + ε)

    ``params`` maps names to the arrays being trained (the optimiser keeps references and
    writes into them); ``step(grads)`` takes gradients under the same names. Names missing
    from ``grads`` are left alone for that step.
    """

    def __init__(
        self,
        params: Mapping[str, np.ndarray],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ):
        if lr <= 0:
            raise ValueError("learning rate must be positive")
        if not (0.0 <= betas[0] < 1.0 and 0.0 <= betas[1] < 1.0):
            raise ValueError("betas must be in [0, 1)")
        for name, p in params.items():
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise ValueError(f"parameter {name!r} must be a floating point numpy array")
            if not p.flags.writeable:
                raise ValueError(f"parameter {name!r} is read-only; Adam updates in place")
        self.params = dict(params)
        self.lr = float(lr)
        self.beta1, self.beta2 = float(betas[0]), float(betas[1])
        self.eps = float(eps)
        self.t = 0
        self.m = {name: np.zeros_like(p) for name, p in self.params.items()}
        self.v = {name: np.zeros_like(p) for name, p in self.params.items()}

    def step(self, grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        bias1 = 1.0 - self.beta1**self.t
        bias2 = 1.0 - self.beta2**self.t
        step_size = self.lr / bias1
        for name, p in self.params.items():
            g = grads.get(name)
            if g is None:
                continue
            if g.shape != p.shape:
                raise ValueError(f"gradient {name!r} has shape {g.shape}, parameter has {p.shape}")
            m, v = self.m[name], self.v[name]
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * (g * g)
            # θ -= lr/(1-β1^t) · m / (sqrt(v/(1-β2^t)) + ε)
            denom = np.sqrt(v / bias2)
            denom += self.eps
            p -= step_size * (m / denom)
