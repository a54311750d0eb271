"""Finite differences: the one central-difference loop, a numerical Jacobian, and the gradient check.

    ∂f/∂θ_j ≈ (f(θ + ε e_j) − f(θ − ε e_j)) / 2ε          error O(ε²)

Every finite difference in the project (the gradient check shown in the app, the tests of every backward)
goes through :func:`central_difference`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np

__all__ = ["central_difference", "numerical_jacobian", "gradient_check", "GradientCheckResult"]


def central_difference(function: Callable[[], Any], array: np.ndarray, *, indices=None,
                       eps: float = 1e-6) -> np.ndarray:
    """(f(a + ε e_j) − f(a − ε e_j)) / 2ε for each entry j of ``array``, float64.

    ``array`` is perturbed in place and restored, so it may be a live (even non-contiguous) view into a
    model's weights; ``function`` takes no arguments, reads the current values and returns a float or an
    array. ``indices``: flat indices to differentiate (default all). Returns ``array.shape + out.shape``
    for all entries, or ``(len(indices),) + out.shape`` when ``indices`` is given.
    """
    chosen = range(array.size) if indices is None else np.asarray(indices).reshape(-1)
    columns = []
    for flat_index in chosen:
        index = np.unravel_index(int(flat_index), array.shape)
        saved = array[index]
        array[index] = saved + eps
        plus = np.array(function(), dtype=np.float64)
        array[index] = saved - eps
        minus = np.array(function(), dtype=np.float64)
        array[index] = saved
        columns.append((plus - minus) / (2.0 * eps))
    if indices is not None:
        return np.array(columns, dtype=np.float64).reshape((len(columns),) + np.shape(columns[0] if columns else ()))
    out_shape = np.shape(columns[0]) if columns else ()
    return np.array(columns, dtype=np.float64).reshape(array.shape + out_shape)


def numerical_jacobian(fn: Callable[[np.ndarray], Any], x, eps: float = 1e-6) -> np.ndarray:
    """Central-difference Jacobian (float64) of fn: (n,) -> (m,) at x: J (m, n),
    J[:, j] = (fn(x + ε e_j) − fn(x − ε e_j)) / 2ε. x may have any shape (it is flattened)."""
    x = np.array(x, dtype=np.float64)
    columns = central_difference(lambda: np.reshape(fn(x), -1), x, indices=np.arange(x.size), eps=eps)  # (n, m)
    return columns.T


@dataclass
class GradientCheckResult:
    """Outcome of :func:`gradient_check`.

    numerical: name -> central-difference gradient (NaN where not checked);
    checked: name -> flat indices that were checked; max_abs_error / max_rel_error per name,
    rel = |num − ana| / max(|num| + |ana|, tiny); ok: every checked entry satisfies
    |num − ana| ≤ atol + rtol·max(|num|, |ana|).
    """

    numerical: dict[str, np.ndarray]
    analytic: dict[str, np.ndarray] | None
    checked: dict[str, np.ndarray]
    max_abs_error: dict[str, float] = field(default_factory=dict)
    max_rel_error: dict[str, float] = field(default_factory=dict)
    ok: bool = True

    def summary(self) -> str:
        if self.analytic is None:
            return "numerical gradients only (no analytic gradients given)"
        lines = [f"gradient check {'passed' if self.ok else 'FAILED'}"]
        for name in self.numerical:
            lines.append(
                f"  {name}: {len(self.checked[name])} entries, max abs err {self.max_abs_error[name]:.3e}, "
                f"max rel err {self.max_rel_error[name]:.3e}"
            )
        return "\n".join(lines)

    def raise_if_failed(self) -> None:
        if not self.ok:
            raise AssertionError(self.summary())


def gradient_check(
    fn: Callable[[dict[str, np.ndarray]], float],
    params: Mapping[str, Any] | np.ndarray,
    analytic: Mapping[str, Any] | np.ndarray | None = None,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    max_entries: int | None = None,
    seed: int = 0,
) -> GradientCheckResult:
    """Compare analytic gradients with central differences in float64.

    Args:
        fn: scalar loss as a function of a dict of float64 arrays with the keys of
            ``params``: ``fn(p) -> float``. It must read the values from ``p`` (perturbed in
            place one entry at a time), e.g.
            ``lambda p: loss(LSTM.from_torch(p).forward(x).h)``.
        params: name -> array (or one array, named "x"). Copied; the originals are untouched.
        analytic: name -> gradient of the same shape (optional; None = only compute).
        eps: step ε of (fn(θ + ε) − fn(θ − ε)) / 2ε.
        rtol, atol: entry passes if |num − ana| ≤ atol + rtol·max(|num|, |ana|).
        max_entries: check at most this many randomly chosen entries per parameter.
        seed: for that choice.
    """
    if isinstance(params, np.ndarray) or not isinstance(params, Mapping):
        params = {"x": params}
        if analytic is not None and not isinstance(analytic, Mapping):
            analytic = {"x": analytic}
    values = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
    rng = np.random.default_rng(seed)
    numerical: dict[str, np.ndarray] = {}
    checked: dict[str, np.ndarray] = {}
    for name, array in values.items():
        indices = np.arange(array.size)
        if max_entries is not None and array.size > max_entries:
            indices = np.sort(rng.choice(array.size, size=max_entries, replace=False))
        grad = np.full(array.size, np.nan)
        grad[indices] = central_difference(lambda: float(fn(values)), array, indices=indices, eps=eps)
        numerical[name] = grad.reshape(array.shape)
        checked[name] = indices
    result = GradientCheckResult(numerical=numerical, analytic=None, checked=checked)
    if analytic is None:
        return result
    result.analytic = {name: np.asarray(analytic[name], dtype=np.float64) for name in values}
    for name in values:
        ana = result.analytic[name]
        if ana.shape != values[name].shape:
            raise ValueError(f"analytic gradient {name} has shape {ana.shape}, parameter {values[name].shape}")
        idx = checked[name]
        num_c = numerical[name].reshape(-1)[idx]
        ana_c = ana.reshape(-1)[idx]
        err = np.abs(num_c - ana_c)
        scale = np.maximum(np.abs(num_c), np.abs(ana_c))
        result.max_abs_error[name] = float(err.max()) if err.size else 0.0
        result.max_rel_error[name] = (
            float((err / np.maximum(np.abs(num_c) + np.abs(ana_c), np.finfo(float).tiny)).max()) if err.size else 0.0
        )
        if np.any(err > atol + rtol * scale) or not np.all(np.isfinite(num_c)):
            result.ok = False
    return result
