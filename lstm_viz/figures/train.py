"""Figures of the Train page: loss and accuracy curves of several models side by side.

Curves are smoothed by the core (:func:`lstm_viz.analysis.curves.smooth`), thinned to at most
``max_points`` points (:func:`lstm_viz.figures._style.thin_indices`) and sent as float32 arrays.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lstm_viz.analysis.curves import smooth

from ._style import as_f32, thin_indices

__all__ = ["MODEL_COLORS", "training_curves_figure"]

MODEL_COLORS = {"rnn": "#d62728", "lstm": "#1f77b4", "gru": "#2ca02c"}
_FALLBACK_COLORS = ("#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


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
            values = smooth(series, smoothing) if smoothing else np.asarray(series, dtype=np.float64)
            kept = thin_indices(len(values), max_points)  # (n,) <= max_points, last step kept
            fig.add_trace(
                go.Scatter(
                    x=as_f32(kept + 1),  # training steps start at 1
                    y=as_f32(values[kept]),
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
