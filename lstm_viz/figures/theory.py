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


# ---- the four input/output forms (one-to-one, many-to-one, one-to-many, many-to-many) ----------------------------
#: form -> (steps unrolled, steps that take an input, steps that give an output, outputs fed back as the next input)
IO_FORMS = {
    "one_to_one": (1, (0,), (0,), False),
    "many_to_one": (4, (0, 1, 2, 3), (3,), False),
    "one_to_many": (4, (0,), (0, 1, 2, 3), True),
    "many_to_many": (4, (0, 1, 2, 3), (0, 1, 2, 3), False),
}
_INPUT_COLOR, _STATE_COLOR, _OUTPUT_COLOR = "#E69F00", "#009E73", "#0072B2"

from ._style import escape_label  # noqa: E402  (this block's own import: the header is shared)


def io_form_figure(form: str, title: str = "", note: str = "",
                   words: tuple[str, str, str] = ("input", "LSTM state", "output"), height: int = 250) -> go.Figure:
    """One of :data:`IO_FORMS` unrolled in time: inputs (bottom) -> the recurrent state (middle, arrows along time)
    -> outputs (top); in one-to-many each output is read back as the next step's input (dashed)."""
    steps, inputs, outputs, feedback = IO_FORMS[form]
    fig = go.Figure()
    levels = {"input": 0.0, "state": 1.0, "output": 2.0}
    half = 0.32

    def box(x, y, color, text=""):
        fig.add_shape(type="rect", x0=x - half, x1=x + half, y0=y - 0.22, y1=y + 0.22, line=dict(color=color, width=2),
                      fillcolor=color, opacity=0.85)
        if text:
            fig.add_annotation(x=x, y=y, text=text, showarrow=False, font=dict(color="#fff", size=11))

    def arrow(x0, y0, x1, y1, dash=False, color="#444"):
        if dash:   # a dashed path, the arrow head on its last stretch
            fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=color, width=1.6, dash="dot"))
            x0, y0 = x0 + 0.8 * (x1 - x0), y0 + 0.8 * (y1 - y0)
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
                           arrowhead=2, arrowsize=1, arrowwidth=1.6, arrowcolor=color, standoff=2, startstandoff=2)

    for t in range(steps):
        box(t, levels["state"], _STATE_COLOR, "h")
        if t + 1 < steps:
            arrow(t + half, levels["state"], t + 1 - half, levels["state"])
        if t in inputs:
            box(t, levels["input"], _INPUT_COLOR, "x")
            arrow(t, levels["input"] + 0.22, t, levels["state"] - 0.22)
        if t in outputs:
            box(t, levels["output"], _OUTPUT_COLOR, "y")
            arrow(t, levels["state"] + 0.22, t, levels["output"] - 0.22)
        if feedback and t in outputs and t + 1 < steps:   # the sample is the next input
            arrow(t + half * 0.6, levels["output"] - 0.22, t + 1 - half * 0.6, levels["state"] + 0.22, dash=True,
                  color=_OUTPUT_COLOR)
    for name, y, color in (("input", 0.0, _INPUT_COLOR), ("state", 1.0, _STATE_COLOR), ("output", 2.0, _OUTPUT_COLOR)):
        label = words[("input", "state", "output").index(name)]
        fig.add_annotation(x=-0.5, y=y, text=escape_label(label), showarrow=False, xanchor="right",
                           font=dict(color=color, size=11))
    fig.update_xaxes(visible=False, range=[-1.9, max(steps, 2) - 0.4])
    fig.update_yaxes(visible=False, range=[-0.45, 2.45])
    head = escape_label(title) + (f"<br><sup>{escape_label(note)}</sup>" if note else "")
    fig.update_layout(title=dict(text=head, x=0.02), height=height, margin=dict(l=5, r=5, t=55, b=5),
                      plot_bgcolor="#fff", showlegend=False, dragmode=False)
    return fig
