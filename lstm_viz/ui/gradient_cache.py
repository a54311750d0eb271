"""Cached gradient studies for the Vanishing gradients page.

One :func:`gradient_study` per (model weights, inputs, recurrent scale, step cap): a slider
move back to a value seen before is a cache hit. Models cannot be hashed, so they are passed
with a leading underscore (not hashed) next to a ``fingerprint`` string that is
(:func:`lstm_viz.ui.cache.model_fingerprint`). Results are plain numpy arrays in a dataclass
(``st.cache_data`` pickles them: every caller gets its own copy).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import streamlit as st

#: The three kinds compared side by side, in display order.
KINDS = ("rnn", "lstm", "gru")


@dataclass
class GradientStudy:
    """Everything the page draws for one (scaled) model on the last ``steps`` inputs.

    start:          first step of the window (the study covers steps start .. T-1)
    jacobian_norms: (W,) k -> ||∂h_{T-1}/∂h_k||_2 for k = start .. T-1 (index k - start)
    bound:          (W,) RNN only: (σ_max(W_hh))^(T-1-k); None for the others
    sigma_max:      σ_max of the (scaled) recurrent weight matrix weight_hh (G·H, H)
    contributions:  parameter name -> (W,) ||∇_{W,k} E|| with E = Σ units of h_{T-1}
    forget_product: (W, H) LSTM only: Π_{j=k+1}^{T-1} f_j; None for the others
    """

    kind: str
    start: int
    jacobian_norms: np.ndarray
    bound: np.ndarray | None
    sigma_max: float
    contributions: dict[str, np.ndarray] = field(default_factory=dict)
    forget_product: np.ndarray | None = None


def build_model(kind: str, input_size: int, hidden_size: int, seed: int):
    """A fresh model of ``kind`` (same sizes and seed as the page's model)."""
    from lstm_viz import GRU, LSTM, RNN

    return {"rnn": RNN, "lstm": LSTM, "gru": GRU}[kind](int(input_size), int(hidden_size), seed=int(seed))


@st.cache_data(max_entries=16, show_spinner=False)
def fresh_model(kind: str, input_size: int, hidden_size: int, seed: int):
    return build_model(kind, input_size, hidden_size, seed)


def compute_study(model, x: np.ndarray, scale: float, max_steps: int) -> GradientStudy:
    """The study, uncached (numpy only): scale the recurrent weights, run, differentiate."""
    from lstm_viz.analysis import jacobians as gradients

    scaled = model.scaled_recurrent(float(scale)) if float(scale) != 1.0 else model
    x = np.asarray(x)
    total = x.shape[0]
    start = max(0, total - int(max_steps))
    h0 = c0 = None
    if start > 0:  # the states entering the window come from the full run
        full = scaled.forward(x[:start])
        h0 = np.asarray(full.h[-1])
        if scaled.kind == "lstm":
            c0 = np.asarray(full.c[-1])
    window = x[start:]  # (W, I)
    state = {"h0": h0}
    if scaled.kind == "lstm":
        state["c0"] = c0
    trace = scaled.forward(window, **state)
    norms = gradients.jacobian_norms(scaled, window, ord=2, trace=trace)
    bound = gradients.rnn_jacobian_bound(scaled, window.shape[0], ord=2) if scaled.kind == "rnn" else None
    contributions = gradients.gradient_contributions(scaled, window, trace=trace, **state)
    forget_product = gradients.forget_gate_product(trace) if scaled.kind == "lstm" else None
    sigma_max = float(np.linalg.norm(np.asarray(scaled.weight_hh, dtype=np.float64), 2))
    return GradientStudy(
        kind=scaled.kind, start=start, jacobian_norms=np.asarray(norms, dtype=np.float64),
        bound=None if bound is None else np.asarray(bound, dtype=np.float64), sigma_max=sigma_max,
        contributions={name: np.asarray(value, dtype=np.float64) for name, value in contributions.items()},
        forget_product=None if forget_product is None else np.asarray(forget_product, dtype=np.float64),
    )


@st.cache_data(max_entries=96, show_spinner=False)
def gradient_study(_model, fingerprint: str, x: np.ndarray, scale: float, max_steps: int) -> GradientStudy:
    """Cached :func:`compute_study`; keyed on ``fingerprint``, the inputs, the scale and the cap."""
    return compute_study(_model, x, scale, max_steps)
