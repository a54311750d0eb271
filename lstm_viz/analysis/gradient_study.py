"""The vanishing / exploding gradient study behind the Vanishing gradients page (numpy only).

For one model, its recurrent weights scaled by s (W_hh -> s·W_hh), and the last steps of an input:

* ‖∂h_{T-1}/∂h_k‖_2 for every step k of the window (:func:`lstm_viz.gradients.jacobian_norms`);
* RNN: the bound (σ_max(W_hh))^(T-1-k) (Pascanu, Mikolov & Bengio 2013, with γ = max tanh′ = 1);
* σ_max(s·W_hh), which says the regime: the bound forces vanishing when σ_max < 1 and allows
  exploding when σ_max > 1 (:func:`gradient_regime`);
* each step's share of the gradient of E = Σ_units h_{T-1} for the four parameters;
* LSTM: the forget-gate product Π_{j=k+1}^{T-1} f_j along the conveyor belt, and the units that keep
  their memory longest (:func:`longest_memory_units`).

    study = compute_study(LSTM(16, 32), x, scale=1.0, max_steps=200)
    distances, norms = by_distance(study.jacobian_norms)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lstm_viz.gradients import forget_gate_product, gradient_contributions, jacobian_norms, rnn_jacobian_bound

#: The kinds compared side by side, in display order.
COMPARED_KINDS = ("rnn", "lstm", "gru")
#: |σ_max − 1| up to this counts as the critical regime.
CRITICAL_TOLERANCE = 0.02


@dataclass
class GradientStudy:
    """Everything the page draws for one (scaled) model on the last ``W`` steps of the input.

    start:          first step of the window (the study covers steps start .. T-1)
    jacobian_norms: (W,) k -> ||∂h_{T-1}/∂h_k||_2 for k = start .. T-1 (index k - start)
    bound:          (W,) RNN only: (σ_max(W_hh))^(T-1-k); None for the others
    sigma_max:      σ_max of the scaled recurrent weight matrix s·weight_hh (G·H, H)
    base_sigma_max: σ_max of the model's own weight_hh (scale 1)
    contributions:  parameter name -> (W,) ||∇_{W,k} E|| with E = Σ units of h_{T-1}
    forget_product: (W, H) LSTM only: Π_{j=k+1}^{T-1} f_j; None for the others
    """

    kind: str
    start: int
    jacobian_norms: np.ndarray
    bound: np.ndarray | None
    sigma_max: float
    base_sigma_max: float
    contributions: dict[str, np.ndarray] = field(default_factory=dict)
    forget_product: np.ndarray | None = None


def spectral_norm(matrix: np.ndarray) -> float:
    """Largest singular value σ_max of a 2-D matrix (0 for an empty one)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    if matrix.size == 0:
        return 0.0
    return float(np.linalg.svd(matrix, compute_uv=False)[0])


def compute_study(model, x: np.ndarray, scale: float, max_steps: int) -> GradientStudy:
    """Scale the recurrent weights by ``scale``, run the last ``max_steps`` steps of x (T, I), differentiate.

    The states entering the window come from running the scaled model over the steps before it.
    """
    scaled = model.scaled_recurrent(float(scale)) if float(scale) != 1.0 else model
    x = np.asarray(x)
    total = x.shape[0]
    start = max(0, total - int(max_steps))
    state = {"h0": None}
    if scaled.kind == "lstm":
        state["c0"] = None
    if start > 0:
        before = scaled.forward(x[:start])
        state["h0"] = np.asarray(before.h[-1])
        if scaled.kind == "lstm":
            state["c0"] = np.asarray(before.c[-1])
    window = x[start:]  # (W, I)
    trace = scaled.forward(window, **state)
    norms = jacobian_norms(scaled, window, ord=2, trace=trace)
    bound = rnn_jacobian_bound(scaled, window.shape[0], ord=2) if scaled.kind == "rnn" else None
    contributions = gradient_contributions(scaled, window, trace=trace, **state)
    forget_product = forget_gate_product(trace) if scaled.kind == "lstm" else None
    return GradientStudy(
        kind=scaled.kind, start=start, jacobian_norms=np.asarray(norms, dtype=np.float64),
        bound=None if bound is None else np.asarray(bound, dtype=np.float64),
        sigma_max=spectral_norm(scaled.weight_hh), base_sigma_max=spectral_norm(model.weight_hh),
        contributions={name: np.asarray(value, dtype=np.float64) for name, value in contributions.items()},
        forget_product=None if forget_product is None else np.asarray(forget_product, dtype=np.float64),
    )


def gradient_regime(sigma_max: float, tolerance: float = CRITICAL_TOLERANCE) -> str:
    """"vanishing" (σ_max < 1), "exploding" (σ_max > 1) or "critical" (within ``tolerance`` of 1)."""
    if abs(float(sigma_max) - 1.0) <= tolerance:
        return "critical"
    return "vanishing" if sigma_max < 1.0 else "exploding"


def critical_scale(base_sigma_max: float) -> float:
    """The scale s* with σ_max(s*·W_hh) = s*·σ_max(W_hh) = 1 (inf when W_hh is zero)."""
    return 1.0 / base_sigma_max if base_sigma_max > 0 else float("inf")


def sigma_against_scale(base_sigma_max: float, low: float, high: float, n: int = 59) -> tuple[np.ndarray, np.ndarray]:
    """(scales (n,), σ_max(s·W_hh) (n,)) on [low, high]: linear in s, since σ_max(s W) = s σ_max(W) for s ≥ 0."""
    scales = np.linspace(low, high, n)
    return scales, scales * float(base_sigma_max)


def by_distance(per_step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Re-index a per-step quantity ``q[k]`` (k = 0..W-1) by distance ``d = W-1-k`` from the last step.

    Returns ``(d (W,), q[W-1-d] (W,))`` so ``d = 0`` is the last step itself.
    """
    per_step = np.asarray(per_step)
    return np.arange(per_step.shape[0], dtype=np.int64), per_step[::-1].copy()


def longest_memory_units(forget_product: np.ndarray, n: int, first: int | None = None) -> list[int]:
    """Units whose forget-gate product from the first step of the window is largest (memory kept longest).

    forget_product: (W, H). Returns ``first`` (when given) followed by the top ``n`` other units, best first
    (ties: lower unit first).
    """
    ranked = [int(u) for u in np.argsort(-np.asarray(forget_product)[0], kind="stable")[:n]]
    if first is None:
        return ranked
    return [int(first)] + [u for u in ranked if u != int(first)]


def mean_over_units(per_unit: np.ndarray) -> np.ndarray:
    """(W, H) -> (W,): the average over the hidden units (the belt's thick black line)."""
    return np.asarray(per_unit).mean(axis=1)
