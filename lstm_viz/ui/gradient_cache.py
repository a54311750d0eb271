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


def compared_models(model, kinds, seed: int) -> dict[str, tuple[object, str]]:
    """kind -> (model, fingerprint): ``model`` itself for its own kind, fresh layers (same sizes, ``seed``) for
    the others."""
    out = {}
    for kind in kinds:
        if kind == model.kind:
            out[kind] = (model, "ctx:" + model_fingerprint(model))
        else:
            out[kind] = (fresh_model(kind, model.input_size, model.hidden_size, seed),
                         f"fresh:{kind}:{model.input_size}:{model.hidden_size}:{seed}")
    return out


@st.cache_data(max_entries=96, show_spinner=False)
def gradient_study(_model, fingerprint: str, x: np.ndarray, scale: float, max_steps: int) -> GradientStudy:
    """Cached :func:`lstm_viz.analysis.gradient_study.compute_study`; keyed on ``fingerprint``, x, scale, cap."""
    return compute_study(_model, x, scale, max_steps)


@st.cache_data(max_entries=16, show_spinner=False)
def layer_curves(_model, fingerprint: str, x: np.ndarray, direction: int, max_steps: int):
    """Cached :func:`lstm_viz.analysis.stack_views.layer_curves` (the per-layer Jacobian curves of a stack)."""
    from lstm_viz.analysis.stack_views import layer_curves as compute

    return compute(_model, x, direction, max_steps)
