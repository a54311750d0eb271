"""Cached gradient studies for the Vanishing gradients page (the numerics are lstm_viz.analysis.gradient_study).

One :func:`gradient_study` per (model weights, inputs, recurrent scale, step cap): a slider move back to a
value seen before is a cache hit. Models cannot be hashed, so they are passed with a leading underscore
(not hashed) next to a ``fingerprint`` string that is (:func:`lstm_viz.ui.cache.model_fingerprint`).
``st.cache_data`` pickles the results: every caller gets its own copy.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.analysis.gradient_study import GradientStudy, compute_study
from lstm_viz.nn import make_layer

from .cache import model_fingerprint


@st.cache_data(max_entries=16, show_spinner=False)
def fresh_model(kind: str, input_size: int, hidden_size: int, seed: int):
    """A fresh layer of ``kind`` with the page model's sizes and seed (default forget bias)."""
    return make_layer(kind, int(input_size), int(hidden_size), seed=int(seed))


def compared_models(model, kinds, seed: int, *, fresh_page_model: bool = True) -> dict[str, tuple[object, str]]:
    """kind -> (model, fingerprint): freshly initialised layers with ``model``'s input and hidden sizes and the
    same ``seed`` (PyTorch's init U(−1/√H, 1/√H), forget bias 1), and ``model`` itself for its own kind when
    ``fresh_page_model`` (the default; Vanishing gradients passes False for a trained sidebar model, so that its
    three curves are like for like)."""
    out = {}
    for kind in kinds:
        if kind == model.kind and fresh_page_model:
            out[kind] = (model, "ctx:" + model_fingerprint(model))
        else:
            out[kind] = (fresh_model(kind, model.input_size, model.hidden_size, seed),
                         f"fresh:{kind}:{model.input_size}:{model.hidden_size}:{seed}")
    return out


#: the farthest norm below this counts as vanished; above 1 (the identity at distance 0) as grown
VANISHED_BELOW = 1e-3


def measured_trend(norms_by_distance: np.ndarray) -> str:
    """What a Jacobian-norm curve (d -> ‖∂h_{T-1}/∂h_{T-1-d}‖, d = 0 first) actually did over the window:
    "vanishing" (the farthest norm < VANISHED_BELOW), "exploding" (the farthest norm > 1, grown past the identity)
    or "neither". σ_max > 1 allows exploding but does not force it; this is the measured outcome."""
    norms = np.asarray(norms_by_distance, dtype=np.float64)
    if norms.size < 2 or not np.isfinite(norms[-1]):
        return "exploding" if norms.size >= 2 else "neither"
    if norms[-1] < VANISHED_BELOW:
        return "vanishing"
    return "exploding" if norms[-1] > 1.0 else "neither"


def power_of_ten(value: float) -> str:
    """1.2e-12 -> "1.2·10⁻¹²" (for sentences and badges)."""
    value = float(value)
    if value == 0 or not np.isfinite(value):
        return f"{value:g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    exponent = int(exponent)
    if -2 <= exponent <= 2:
        return f"{value:.3g}"
    return f"{mantissa}·10{str(exponent).translate(str.maketrans('-0123456789', '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'))}"


@st.cache_data(max_entries=96, show_spinner=False)
def gradient_study(_model, fingerprint: str, x: np.ndarray, scale: float, max_steps: int) -> GradientStudy:
    """Cached :func:`lstm_viz.analysis.gradient_study.compute_study`; keyed on ``fingerprint``, x, scale, cap."""
    return compute_study(_model, x, scale, max_steps)


@st.cache_data(max_entries=32, show_spinner=False)
def forget_product(_model, fingerprint: str, x: np.ndarray, scale: float, max_steps: int) -> np.ndarray:
    """(W, H) Π_{j=k+1}^{T-1} f_j of an LSTM over the same window as :func:`gradient_study` (the last ``max_steps``
    steps, entered with the states of the steps before), without its Jacobians: one forward pass, for the belt."""
    from lstm_viz.gradients import forget_gate_product

    scaled = _model.scaled_recurrent(float(scale)) if float(scale) != 1.0 else _model
    start = max(0, x.shape[0] - int(max_steps))
    state = {"h0": None, "c0": None}
    if start > 0:
        before = scaled.forward(x[:start])
        state = {"h0": np.asarray(before.h[-1]), "c0": np.asarray(before.c[-1])}
    return np.asarray(forget_gate_product(scaled.forward(x[start:], **state)), dtype=np.float64)


@st.cache_data(max_entries=16, show_spinner=False)
def layer_curves(_model, fingerprint: str, x: np.ndarray, direction: int, max_steps: int):
    """Cached :func:`lstm_viz.analysis.stack_views.layer_curves` (the per-layer Jacobian curves of a stack)."""
    from lstm_viz.analysis.stack_views import layer_curves as compute

    return compute(_model, x, direction, max_steps)
