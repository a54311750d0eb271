"""The activation functions of the cells and their derivatives, for the Theory page (numpy only).

Their derivative maxima are the γ of the vanishing-gradient bound: max σ′ = σ′(0) = 1/4 and
max tanh′ = tanh′(0) = 1.
"""

from __future__ import annotations

import numpy as np


def activation_curves(lo: float = -6.0, hi: float = 6.0, n: int = 241) -> dict[str, np.ndarray]:
    """a (n,) evenly spaced on [lo, hi] and, at each a: σ(a), σ′(a) = σ(1 − σ), tanh(a), tanh′(a) = 1 − tanh².

    σ(a) = 1 / (1 + e^{−a}) is computed as ½(1 + tanh(a/2)), which never overflows.
    """
    a = np.linspace(lo, hi, n)
    sigmoid = 0.5 * (1.0 + np.tanh(0.5 * a))
    tanh = np.tanh(a)
    return {"a": a, "sigmoid": sigmoid, "sigmoid_prime": sigmoid * (1.0 - sigmoid),
            "tanh": tanh, "tanh_prime": 1.0 - tanh * tanh}
