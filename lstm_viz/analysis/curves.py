"""Learning curves for display: a bias-corrected exponential moving average (numpy only)."""

from __future__ import annotations

import numpy as np


def smooth(values: np.ndarray, weight: float = 0.9) -> np.ndarray:
    """Bias-corrected exponential moving average of a curve (T,) -> (T,) float64.

    s_t = (Σ_{k<=t} w^{t-k} (1 - w) v_k) / (1 - w^{t+1}), so a constant curve stays constant
    and the first point is v_0 itself (TensorBoard's smoothing, with Adam's bias correction).
    """
    values = np.asarray(values, dtype=np.float64)
    out = np.empty_like(values)
    running = 0.0
    for t, value in enumerate(values):
        running = weight * running + (1.0 - weight) * value
        out[t] = running / (1.0 - weight ** (t + 1))
    return out
