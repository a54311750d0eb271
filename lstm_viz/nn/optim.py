"""Optimisation: the global gradient norm, clipping by it, and Adam, over dicts of numpy arrays.

    ‖g‖ = sqrt(Σ_p ‖g_p‖²)                      global norm (Pascanu, Mikolov & Bengio 2013)
    g ← g · min(1, max_norm / ‖g‖)              clipping keeps the direction, caps the length
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping, MutableMapping

import numpy as np

__all__ = ["global_norm", "clip_grad_norm", "Adam"]


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
        self._scratch: dict[str, np.ndarray] = {}

    def step(self, grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        bias1 = 1.0 - self.beta1**self.t
        bias2_sqrt = math.sqrt(1.0 - self.beta2**self.t)
        step_size = self.lr / bias1
        for name, p in self.params.items():
            g = grads.get(name)
            if g is None:
                continue
            if g.shape != p.shape:
                raise ValueError(f"gradient {name!r} has shape {g.shape}, parameter has {p.shape}")
            m, v = self.m[name], self.v[name]
            scratch = self._scratch.get(name)
            if scratch is None:
                scratch = self._scratch[name] = np.empty_like(p)
            # m = β1 m + (1-β1) g ;  v = β2 v + (1-β2) g²   (in place, one scratch buffer, no temporaries)
            np.multiply(g, 1.0 - self.beta1, out=scratch)
            m *= self.beta1
            m += scratch
            np.multiply(g, g, out=scratch)
            scratch *= 1.0 - self.beta2
            v *= self.beta2
            v += scratch
            # θ -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε)   (the same rounding order as torch.optim.Adam)
            np.sqrt(v, out=scratch)
            scratch /= bias2_sqrt
            scratch += self.eps
            np.divide(m, scratch, out=scratch)
            scratch *= step_size
            p -= scratch
