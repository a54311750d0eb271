"""Figures of the Theory page: the activation functions with their derivatives, parameter counts per cell type.

The curves and counts come from the core (:mod:`lstm_viz.analysis.activations`, the layers'
``parameter_breakdown``); these functions only draw them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ._style import as_f32, as_i32


def activation_figure(curves: dict[str, np.ndarray], names: dict[str, str], title: str = "",
                      max_labels: tuple[str, str] = ("max σ′ = 1/4", "max tanh′ = 1")) -> go.Figure:
    """σ, σ′, tanh, tanh′ with their derivative maxima (the γ of the gradient bound) marked at a = 0.

    curves: "a" (n,) and "sigmoid", "sigmoid_prime", "tanh", "tanh_prime" (n,) each, as
    :func:`lstm_viz.analysis.activations.activation_curves` returns them; names: key -> legend label.
    """
    a = as_f32(curves["a"])
    fig = go.Figure()
    styles = {
        "sigmoid": ("#0072B2", "solid"), "sigmoid_prime": ("#0072B2", "dash"),
        "tanh": ("#D55E00", "solid"), "tanh_prime": ("#D55E00", "dash"),
    }
    for key, (color, dash) in styles.items():
        fig.add_trace(go.Scatter(x=a, y=as_f32(curves[key]), name=names.get(key, key),
                                 mode="lines", line=dict(color=color, dash=dash, width=2.5)))
    fig.add_trace(go.Scatter(x=as_f32(np.zeros(2)), y=as_f32([0.25, 1.0]),
                             mode="markers", marker=dict(size=9, color=["#0072B2", "#D55E00"]), showlegend=False,
                             hoverinfo="skip"))
    for y, text, color, dy in ((0.25, max_labels[0], "#0072B2", 45), (1.0, max_labels[1], "#D55E00", -25)):
        fig.add_annotation(x=0.0, y=y, text=text, ax=-110, ay=dy, arrowhead=2, arrowcolor=color,
                           font=dict(color=color, size=13), bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(
        title=dict(text=title, x=0.01), height=380, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        xaxis=dict(title=dict(text="a"), zeroline=True), yaxis=dict(range=[-1.1, 1.15], zeroline=True),
        legend=dict(orientation="h", y=-0.18), plot_bgcolor="#fff",
    )
    fig.update_xaxes(gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee")
    return fig


def parameter_count_figure(counts: dict[str, dict[str, int]], names: dict[str, str], title: str = "",
                           weights_label: str = "weights", biases_label: str = "biases",
                           current: str | None = None) -> go.Figure:
    """Stacked bars: weights and biases per cell type (the current model's type outlined).

    counts: kind -> ``{"blocks", "weights", "biases", "total"}`` as the layers' ``parameter_breakdown``
    returns it; names: kind -> bar label.
    """
    kinds = list(counts)
    x = [names.get(k, k.upper()) for k in kinds]
    weights = as_i32([counts[k]["weights"] for k in kinds])
    biases = as_i32([counts[k]["biases"] for k in kinds])
    outline = [3 if k == current else 0 for k in kinds]
    fig = go.Figure([
        go.Bar(x=x, y=weights, name=weights_label, marker=dict(color="#0072B2", line=dict(width=outline,
                                                                                       color="#000"))),
        go.Bar(x=x, y=biases, name=biases_label, marker=dict(color="#E69F00"),
               text=[f"{int(counts[k]['total']):,}" for k in kinds], textposition="outside"),
    ])
    fig.update_layout(barmode="stack", title=dict(text=title, x=0.01), height=340,
                      margin=dict(l=10, r=10, t=40 if title else 10, b=10), legend=dict(orientation="h", y=-0.15),
                      yaxis=dict(range=[0, 1.18 * max(int(counts[k]["total"]) for k in kinds)]), plot_bgcolor="#fff")
    return fig
