"""Plotly figures for the Train page: loss and accuracy curves of several models side by side.

Pure functions, arrays in, ``plotly.graph_objects.Figure`` out (no streamlit), so the same
figures work in a notebook. Curves are downsampled to at most ``max_points`` points and sent as
float32 arrays (binary-encoded by plotly).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

__all__ = ["MODEL_COLORS", "smooth", "downsample", "training_curves_figure"]

MODEL_COLORS = {"rnn": "#d62728", "lstm": "#1f77b4", "gru": "#2ca02c"}
_FALLBACK_COLORS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def smooth(values: np.ndarray, weight: float = 0.9) -> np.ndarray:
    """Bias-corrected exponential moving average: s_t = (Σ_k w^{t-k}(1-w) v_k) / (1 - w^{t+1})."""
    values = np.asarray(values, dtype=np.float64)
    out = np.empty_like(values)
    running = 0.0
    for t, v in enumerate(values):
        running = weight * running + (1.0 - weight) * v
        out[t] = running / (1.0 - weight ** (t + 1))
    return out


def downsample(steps: np.ndarray, values: np.ndarray, max_points: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Evenly spaced subset (always keeping the last point) so long runs stay light in the browser."""
    n = len(values)
    if n <= max_points:
        return np.asarray(steps), np.asarray(values)
    idx = np.unique(np.linspace(0, n - 1, max_points).round().astype(int))
    return np.asarray(steps)[idx], np.asarray(values)[idx]


def training_curves_figure(
    losses: Mapping[str, np.ndarray],
    metrics: Mapping[str, np.ndarray],
    *,
    loss_title: str = "loss",
    metric_title: str = "accuracy",
    step_title: str = "step",
    baseline: float | None = None,
    baseline_label: str = "baseline",
    chance: float | None = None,
    chance_label: str = "chance",
    log_loss: bool = True,
    smoothing: float = 0.9,
    max_points: int = 600,
    colors: Mapping[str, str] | None = None,
    height: int = 380,
) -> go.Figure:
    """Two panels side by side: loss (left, log scale) and metric (right) per model, smoothed.

    losses / metrics: label -> (steps,) arrays (one entry per training step, step 1 first).
    baseline: a horizontal reference on the loss panel (e.g. 0.167, the adding problem's
    predict-the-mean MSE); chance: one on the metric panel (e.g. 0.25 for four classes).
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=(loss_title, metric_title), horizontal_spacing=0.1)
    colors = dict(colors or {})
    for k, label in enumerate(losses):
        color = colors.get(label) or MODEL_COLORS.get(str(label).lower()) or _FALLBACK_COLORS[k % len(_FALLBACK_COLORS)]
        for col, series in ((1, losses.get(label)), (2, metrics.get(label))):
            if series is None or len(series) == 0:
                continue
            values = np.asarray(series, dtype=np.float64)
            values = smooth(values, smoothing) if smoothing else values
            steps = np.arange(1, len(values) + 1)
            xs, ys = downsample(steps, values, max_points)
            fig.add_trace(
                go.Scatter(
                    x=xs.astype(np.float32),
                    y=ys.astype(np.float32),
                    mode="lines",
                    name=str(label),
                    legendgroup=str(label),
                    showlegend=col == 1,
                    line=dict(color=color, width=2),
                    hovertemplate=f"{label}<br>%{{x:.0f}}: %{{y:.4g}}<extra></extra>",
                ),
                row=1,
                col=col,
            )
    if baseline is not None:
        fig.add_hline(y=baseline, line=dict(color="gray", dash="dash"), annotation_text=baseline_label, row=1, col=1)
    if chance is not None:
        fig.add_hline(y=chance, line=dict(color="gray", dash="dash"), annotation_text=chance_label, row=1, col=2)
    fig.update_xaxes(title_text=step_title)
    if log_loss:
        fig.update_yaxes(type="log", dtick=1, exponentformat="power", row=1, col=1)  # one labelled tick per decade
    fig.update_yaxes(range=[-0.02, 1.02], row=1, col=2)
    fig.update_layout(height=height, margin=dict(l=50, r=20, t=40, b=45), legend=dict(orientation="h", y=-0.2))
    return fig
