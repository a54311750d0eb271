"""Cached runs of the Backpropagation page (the numerics are lstm_viz.analysis.backprop, .error_surface and
lstm_viz.gradients; this module only calls them, bounds their size and caches the results).

Models cannot be hashed: they are passed with a leading underscore next to a ``fingerprint`` string that is
(:func:`lstm_viz.ui.cache.model_fingerprint`). ``st.cache_data`` pickles results, so every caller gets a copy.
Every cache is bounded in entries and, through the step caps below, in size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from lstm_viz.analysis import backprop, error_surface
from lstm_viz.gradients import gradient_contributions, input_connectivity
from lstm_viz.nn.charlm import CharLM

#: the losses a page can put on the text (the language-model ones only for a character language model)
LOSSES_LM = ("lm_step", "lm_mean")
LOSSES_HIDDEN = ("sum", "unit")
#: the one-unit RNN of the error-surface section and the grid its loss is drawn on (41 × 41 points)
PROBLEM = error_surface.OneUnitProblem()
SURFACE_W = (0.0, 3.0)
SURFACE_B = (-0.6, 0.4)
SURFACE_POINTS = 41
#: recurrent scales for the LSTM's exploding gradient, and how many tokens it reads
SCALES = tuple(float(s) for s in np.round(np.linspace(0.5, 6.0, 23), 4))
SCALE_TOKENS = 60
TTL_S = 3600


def is_language_model(network) -> bool:
    """True for a character language model (its next-character loss is defined on the text)."""
    return isinstance(network, CharLM)   # a classifier also has ids and a float64 net, but no next-token head


def step_norms(values) -> np.ndarray | None:
    """(T,) Euclidean norm of each step's row of a (T, H) δ array (None stays None).

    A read-out of the engine's δ's for a chart; kept here until the core offers it.
    """
    if values is None:
        return None
    return np.sqrt(np.sum(np.square(np.asarray(values, dtype=np.float64)), axis=1))


def entry_step(dh_loss: np.ndarray) -> int:
    """The last step the loss reads (a row of ∂L/∂h_t (T, H) that is not 0): where the backward pass starts.
    Every δ after it is 0."""
    reads = np.flatnonzero(np.any(np.asarray(dh_loss) != 0, axis=1))
    return int(reads[-1]) if reads.size else len(dh_loss) - 1


def telling_unit(deltas, step: int) -> int:
    """The unit with the largest error at ``step``: |δc| for an LSTM (the error that reached its cell, so its
    gates are not saturated shut), |δh| otherwise. The first unit a page shows, rather than unit 0."""
    values = deltas.c if getattr(deltas, "c", None) is not None else deltas.h
    return int(np.argmax(np.abs(np.asarray(values)[int(step)])))


@dataclass
class BackwardPass:
    """One loss on the text and the engine's backward from it."""

    loss_kind: str
    loss: float
    dh_loss: np.ndarray                 # (T, H) ∂L/∂h_t from the loss
    deltas: object                      # lstm_viz.nn.Deltas: .h, .c (LSTM), .gates_x, .gates_h
    contributions: dict                 # parameter name -> (T,) ‖∇_{W,k} L‖
    norm_h: np.ndarray                  # (T,) ‖δh_t‖
    norm_c: np.ndarray | None           # (T,) ‖δc_t‖ (LSTM)


@st.cache_data(max_entries=6, ttl=TTL_S, show_spinner=False)
def backward_pass(_model, _trace, _network, fingerprint: str, text: str, loss_kind: str, loss_step: int,
                  unit: int) -> BackwardPass:
    """The loss ``loss_kind`` on the run (``text`` = the tokens the trace read) and the engine's backward."""
    if loss_kind in LOSSES_LM:
        loss, dh_loss = backprop.language_model_loss(_network, text, loss_step if loss_kind == "lm_step" else None)
        if dh_loss.shape != np.shape(_trace.h):
            raise ValueError("the language model read a different number of characters than the trace")
    elif loss_kind == "unit":
        loss, dh_loss = backprop.hidden_unit_loss(_trace, unit)
    else:
        loss, dh_loss = backprop.hidden_unit_loss(_trace, None)
    _, deltas = _model.backward(_trace, dh_loss, return_deltas=True)
    contributions = gradient_contributions(_model, None, dh_loss, trace=_trace)
    return BackwardPass(loss_kind, float(loss), dh_loss, deltas, contributions, step_norms(deltas.h),
                        step_norms(deltas.c))


@st.cache_data(max_entries=8, ttl=TTL_S, show_spinner=False)
def compared_delta_norms(_model, fingerprint: str, x: np.ndarray) -> dict[str, np.ndarray | None]:
    """‖δh_t‖ and ‖δc_t‖ (LSTM) for E = Σ_units h_{T−1}: keys "h", "c"."""
    trace = _model.forward(x)
    _, dh = backprop.hidden_unit_loss(trace, None)
    _, deltas = _model.backward(trace, dh, return_deltas=True)
    return {"h": step_norms(deltas.h), "c": step_norms(deltas.c)}


@st.cache_data(max_entries=16, ttl=TTL_S, show_spinner=False)
def gradient_check(_model, fingerprint: str, x: np.ndarray, dh_loss: np.ndarray, entries: tuple) -> list[dict]:
    """:func:`lstm_viz.analysis.backprop.check_entries` of ``entries`` ((name, flat index), ...)."""
    return backprop.check_entries(_model, x, dh_loss, list(entries))


def pick_entries(model, count: int, seed: int, param: str | None = None) -> tuple[tuple[str, int], ...]:
    """``count`` random (parameter, flat index) pairs of ``model`` (of ``param`` only when given)."""
    rng = np.random.default_rng(int(seed))
    params = model.parameters()
    names = [param] if param in params else list(params)
    picked = []
    for k in range(int(count)):
        name = names[k % len(names)] if param is None else param
        picked.append((name, int(rng.integers(0, np.asarray(params[name]).size))))
    return tuple(picked)


@st.cache_data(max_entries=8, ttl=TTL_S, show_spinner=False)
def connectivity(_model, fingerprint: str, x: np.ndarray) -> np.ndarray:
    """(T, T) ‖∂h_t/∂x_k‖ (float32 tangents: about twice as fast, same picture)."""
    return input_connectivity(_model, x, ord="fro", dtype=np.float32)


@st.cache_data(max_entries=2, show_spinner=False)
def loss_surface() -> dict[str, np.ndarray]:
    """The one-unit RNN's loss over the (w, b) grid: "w" (W,), "b" (B,), "loss" (B, W)."""
    w_values = np.linspace(*SURFACE_W, SURFACE_POINTS)
    b_values = np.linspace(*SURFACE_B, SURFACE_POINTS)
    return {"w": w_values, "b": b_values, "loss": error_surface.loss_surface(PROBLEM, w_values, b_values)}


@st.cache_data(max_entries=64, ttl=TTL_S, show_spinner=False)
def descents(start_w: float, start_b: float, lr: float, steps: int, clip: float):
    """(plain, clipped) gradient-descent runs from (w, b) on the one-unit RNN."""
    start = (float(start_w), float(start_b))
    return (error_surface.descend(PROBLEM, start, float(lr), int(steps)),
            error_surface.descend(PROBLEM, start, float(lr), int(steps), clip=float(clip)))


@st.cache_data(max_entries=16, ttl=TTL_S, show_spinner=False)
def norms_by_scale(_model, fingerprint: str, x: np.ndarray, clip: float) -> dict[str, np.ndarray]:
    """The LSTM's gradient norm of E = Σ h_{T−1} against the recurrent scale, and min(norm, clip)."""
    return error_surface.gradient_norms_by_scale(_model, x, np.asarray(SCALES), clip=float(clip))
