"""The error surface of a one-unit RNN and its cliff, gradient descent on it with and without clipping,
and an LSTM whose gradient still explodes (after Pascanu, Mikolov & Bengio 2013, "On the difficulty of
training recurrent neural networks", Fig. 6 and §3).

The network is the engine's own ``RNN(1, 1)`` (tanh), read on a fixed sequence: a kick x_0 = 1, then zeros::

    h_t = tanh(w h_{t-1} + u x_t + b),   h_{-1} = 0,   L(w, b) = (h_{T-1} − y)²

with u fixed. For w > 1 the unit has two attractors (h → +1 or −1) and which one it falls into flips
where b crosses a curve near 0: the loss jumps from (1 − y)² to (1 + y)² there — the cliff. Near it the
gradient is huge, so a plain gradient step lands far away; clipping the gradient norm to a threshold
(g ← g · min(1, c / ‖g‖)) keeps the step's direction and caps its length.

Every loss and gradient is one forward / backward of the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nn import RNN

__all__ = ["OneUnitProblem", "loss_and_gradient", "loss_surface", "Descent", "descend", "gradient_norms_by_scale"]


@dataclass(frozen=True)
class OneUnitProblem:
    """The fixed sequence and target: T steps, a kick ``kick`` at step 0, input weight u, target y."""

    steps: int = 50
    kick: float = 1.0
    input_weight: float = 0.5
    target: float = 0.7

    def inputs(self) -> np.ndarray:
        x = np.zeros((self.steps, 1))  # (T, 1)
        x[0, 0] = self.kick
        return x


def _network(problem: OneUnitProblem, w: float, b: float) -> RNN:
    net = RNN(1, 1, seed=None)
    net.weight_ih = [[problem.input_weight]]
    net.weight_hh = [[w]]
    net.bias_ih = [b]
    net.bias_hh = [0.0]
    return net


def loss_and_gradient(problem: OneUnitProblem, w: float, b: float) -> tuple[float, np.ndarray]:
    """L(w, b) and (∂L/∂w, ∂L/∂b) by the engine's forward and backward (δh_{T-1} = 2 (h_{T-1} − y))."""
    net = _network(problem, w, b)
    trace = net.forward(problem.inputs())
    error = float(trace.h[-1, 0]) - problem.target
    dh = np.zeros_like(trace.h)  # (T, 1)
    dh[-1, 0] = 2.0 * error
    grads = net.backward(trace, dh)
    return error * error, np.array([grads["weight_hh_l0"][0, 0], grads["bias_ih_l0"][0]])


def loss_surface(problem: OneUnitProblem, w_values, b_values) -> np.ndarray:
    """(len(b_values), len(w_values)) L(w, b) over the grid (rows b, columns w)."""
    w_values, b_values = np.asarray(w_values, dtype=float), np.asarray(b_values, dtype=float)
    if w_values.size * b_values.size > 10_000:
        raise ValueError("at most 10,000 grid points")
    x = problem.inputs()
    surface = np.empty((b_values.size, w_values.size))
    for row, b in enumerate(b_values):
        for col, w in enumerate(w_values):
            h_last = float(_network(problem, w, b).forward(x).h[-1, 0])
            surface[row, col] = (h_last - problem.target) ** 2
    return surface


@dataclass
class Descent:
    """A gradient-descent run: points (n+1, 2) as (w, b), losses (n+1,), gradient norms before clipping (n+1,)."""

    points: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    clip: float | None

    @property
    def jumps(self) -> np.ndarray:
        """(n,) length of every step taken."""
        return np.linalg.norm(np.diff(self.points, axis=0), axis=1)


def descend(problem: OneUnitProblem, start: tuple[float, float], lr: float, steps: int = 60,
            clip: float | None = None) -> Descent:
    """Plain gradient descent θ ← θ − lr·g from ``start``; with ``clip``, g ← g·min(1, clip/‖g‖) first."""
    if not (lr > 0 and np.isfinite(lr)):
        raise ValueError("the learning rate must be a positive number")
    if clip is not None and not clip > 0:
        raise ValueError("the clipping threshold must be positive")
    steps = int(steps)
    if not 1 <= steps <= 1000:
        raise ValueError("steps must be between 1 and 1000")
    theta = np.array(start, dtype=float)
    points, losses, norms = [theta.copy()], [], []
    for _ in range(steps):
        loss, grad = loss_and_gradient(problem, *theta)
        norm = float(np.linalg.norm(grad))
        losses.append(loss)
        norms.append(norm)
        if clip is not None and norm > clip:
            grad = grad * (clip / norm)
        theta = theta - lr * grad
        points.append(theta.copy())
    loss, grad = loss_and_gradient(problem, *theta)
    losses.append(loss)
    norms.append(float(np.linalg.norm(grad)))
    return Descent(np.array(points), np.array(losses), np.array(norms), clip)


def gradient_norms_by_scale(model, x: np.ndarray, scales, clip: float | None = None) -> dict[str, np.ndarray]:
    """Global gradient norm of E = Σ_units h_{T-1} for the model with its recurrent weights scaled.

    Returns "scale" (S,), "norm" (S,) the norm ‖∇_θ E‖ over the four parameters, and with ``clip`` also
    "clipped" (S,) = min(norm, clip): "the LSTM solves vanishing, but exploding gradients remain" and
    clipping caps them.
    """
    from .contributions import step_deltas

    scales = np.asarray(scales, dtype=float)
    norms = np.empty(scales.size)
    for k, scale in enumerate(scales):
        scaled = model.scaled_recurrent(float(scale))
        _, grads, _ = step_deltas(scaled, np.asarray(x))
        norms[k] = np.sqrt(sum(float(np.sum(np.asarray(grads[name], dtype=float) ** 2))
                               for name in scaled.param_names))
    result = {"scale": scales, "norm": norms}
    if clip is not None:
        result["clipped"] = np.minimum(norms, clip)
    return result
