"""Figures of the Sentiment page (many-to-one): the probability after every token, the units the head reads,
their traces, and a what-if comparison of two texts.

The numbers come from the classifier (:class:`lstm_viz.nn.classifier.SentimentClassifier`); these functions only
draw them. Tokens go on ``x = arange(T)`` with token tick labels (duplicates are fine).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._style import (OKABE_ITO, SIGNED_COLORSCALE, as_f32, as_i32, escape_label, math_label, symmetric_limit,
                     token_ticks)

POSITIVE_COLOR = "#2166ac"   # blue: towards positive (the colours of the coloured text)
NEGATIVE_COLOR = "#b2182b"   # red: towards negative


@dataclass(frozen=True)
class Curve:
    """One text's probability after every token: ``labels`` (T,) display tokens, ``probs`` (T,)."""

    name: str
    labels: Sequence[str]
    probs: np.ndarray
    dash: str = "solid"
    color: str = OKABE_ITO[0]


def merged_labels(first: Sequence[str], second: Sequence[str]) -> list[str]:
    """Token labels for an axis two texts share: "bad/good" where they differ, the longer text's tail after."""
    n = max(len(first), len(second))
    out = []
    for t in range(n):
        a = str(first[t]).strip() if t < len(first) else ""
        b = str(second[t]).strip() if t < len(second) else ""
        out.append(a if a == b or not b else (b if not a else f"{a}/{b}"))
    return out


def probability_curve(curves: Sequence[Curve], *, title: str = "", step_label: str = "token",
                      prob_label: str = "P(positive)", threshold_label: str = "0.5") -> go.Figure:
    """P(positive) after each token, one line per text (the first text's tokens on the axis), 0.5 dashed."""
    fig = go.Figure()
    for curve in curves:
        probs = as_f32(curve.probs).reshape(-1)
        steps = as_i32(np.arange(probs.shape[0]))
        hover = [escape_label(label) for label in curve.labels[: probs.shape[0]]]
        fig.add_trace(go.Scatter(
            x=steps, y=probs, mode="lines+markers", name=escape_label(curve.name), customdata=hover,
            line=dict(color=curve.color, dash=curve.dash, width=2.5), marker=dict(size=7),
            hovertemplate="t=%{x} %{customdata}: %{y:.3f}<extra>" + escape_label(curve.name) + "</extra>",
        ))
    fig.add_hline(y=0.5, line=dict(color="#888", dash="dot", width=1), annotation_text=escape_label(threshold_label),
                  annotation_position="right")
    if curves:
        axis = merged_labels(curves[0].labels, curves[1].labels) if len(curves) > 1 else list(curves[0].labels)
        tickvals, ticktext = token_ticks(np.arange(len(axis)), axis)
        fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext)
    fig.update_xaxes(title_text=escape_label(step_label))
    fig.update_yaxes(range=[-0.02, 1.02], title_text=escape_label(prob_label))
    fig.update_layout(title=escape_label(title), height=340, margin=dict(l=50, r=30, t=50, b=40),
                      legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"),
                      plot_bgcolor="#fff", hovermode="closest")
    fig.update_xaxes(gridcolor="#eee")
    fig.update_yaxes(gridcolor="#eee")
    return fig


def unit_push_bars(units: Sequence[int], contributions: np.ndarray, *, title: str = "", unit_label: str = "unit",
                   value_label: str = "w·h") -> go.Figure:
    """Horizontal bars of w_out[j]·h_T[j] for the chosen units (blue pushes positive, red negative)."""
    values = as_f32(contributions).reshape(-1)
    names = [f"{escape_label(unit_label)} {int(u)}" for u in units]
    colors = [POSITIVE_COLOR if v >= 0 else NEGATIVE_COLOR for v in values]
    positions = as_i32(np.arange(values.shape[0]))
    fig = go.Figure(go.Bar(x=values, y=positions, orientation="h", marker_color=colors,
                           text=[f"{v:+.2f}" for v in values], textposition="outside", cliponaxis=False,
                           customdata=names, hovertemplate="%{customdata}: %{x:.4f}<extra></extra>"))
    reach = 1.45 * symmetric_limit(values, None)   # room for the labels outside the bars
    fig.update_xaxes(range=[-reach if (values < 0).any() else -0.05 * reach, reach if (values > 0).any() else 0.05 * reach])
    fig.update_yaxes(tickmode="array", tickvals=positions, ticktext=names, autorange="reversed")
    fig.update_xaxes(title_text=escape_label(value_label), zeroline=True, zerolinecolor="#444")
    fig.update_layout(title=math_label(title), height=90 + 30 * max(values.shape[0], 1),
                      margin=dict(l=70, r=20, t=50, b=40), showlegend=False, plot_bgcolor="#fff")
    return fig


def unit_traces(labels: Sequence[str], traces: np.ndarray, units: Sequence[int], pushes: Sequence[float], *,
                title: str = "", state_name: str = "h", step_label: str = "token") -> go.Figure:
    """h[:, u] over the text for the chosen units (T, n): blue units push positive, red ones negative."""
    traces = as_f32(traces)
    T = traces.shape[0]
    steps = as_i32(np.arange(T))
    hover = [escape_label(label) for label in labels[:T]]
    blues = ("#2166ac", "#4393c3", "#92c5de", "#053061")
    reds = ("#b2182b", "#d6604d", "#f4a582", "#67001f")
    n_pos = n_neg = 0
    fig = go.Figure()
    for j, (unit, push) in enumerate(zip(units, pushes)):
        if push >= 0:
            color, dash, n_pos = blues[n_pos % 4], "solid", n_pos + 1
        else:
            color, dash, n_neg = reds[n_neg % 4], "dash", n_neg + 1
        name = f"{escape_label(state_name)}[{int(unit)}]"
        fig.add_trace(go.Scatter(x=steps, y=traces[:, j], mode="lines+markers", name=name, customdata=hover,
                                 line=dict(color=color, dash=dash, width=2), marker=dict(size=5),
                                 hovertemplate="t=%{x} %{customdata}: %{y:.3f}<extra>" + name + "</extra>"))
    tickvals, ticktext = token_ticks(steps, list(labels[:T]))
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, title_text=escape_label(step_label),
                     gridcolor="#eee")
    fig.update_yaxes(range=[-1.05, 1.05], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee")
    fig.update_layout(title=escape_label(title), height=340, margin=dict(l=50, r=20, t=50, b=40),
                      legend=dict(orientation="h", y=-0.25), plot_bgcolor="#fff")
    return fig


def whatif_gates(gates_a: dict[str, np.ndarray], gates_b: dict[str, np.ndarray], labels_a: Sequence[str],
                 labels_b: Sequence[str], *, names: dict[str, str], text_names: tuple[str, str] = ("A", "B"),
                 title: str = "", step_label: str = "token") -> go.Figure:
    """One row per gate: the unit's gate over text A (solid) and text B (dashed), x = step.

    gates_a / gates_b: gate name -> (T_a,) / (T_b,) values of one unit; names: gate name -> row title.
    """
    keys = [k for k in gates_a if k in gates_b]
    fig = make_subplots(rows=len(keys), cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        subplot_titles=[escape_label(names.get(k, k)) for k in keys])
    for row, key in enumerate(keys, start=1):
        for values, labels, dash, color, text_name in ((gates_a[key], labels_a, "solid", OKABE_ITO[0], text_names[0]),
                                                       (gates_b[key], labels_b, "dash", OKABE_ITO[3], text_names[1])):
            values = as_f32(values).reshape(-1)
            hover = [escape_label(label) for label in labels[: values.shape[0]]]
            fig.add_trace(go.Scatter(
                x=as_i32(np.arange(values.shape[0])), y=values, mode="lines+markers", customdata=hover,
                name=f"{escape_label(text_name)}: {escape_label(names.get(key, key))}",
                showlegend=False,                      # the title says which line is which
                line=dict(color=color, dash=dash, width=2), marker=dict(size=5),
                hovertemplate="t=%{x} %{customdata}: %{y:.3f}<extra>" + escape_label(text_name) + "</extra>",
            ), row=row, col=1)
    axis = merged_labels(labels_a, labels_b)
    tickvals, ticktext = token_ticks(np.arange(len(axis)), axis)
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, row=len(keys), col=1)
    fig.update_xaxes(title_text=escape_label(step_label), row=len(keys), col=1)
    fig.update_layout(title=escape_label(title), height=110 + 150 * len(keys), margin=dict(l=50, r=20, t=80, b=40),
                      plot_bgcolor="#fff")
    return fig


def gate_difference_heatmap(differences: dict[str, np.ndarray], labels: Sequence[str], units: Sequence[int], *,
                            names: dict[str, str], title: str = "", unit_label: str = "unit") -> go.Figure:
    """One heatmap per gate of (B − A) over the common steps (x) and the chosen units (y), diverging at 0.

    differences: gate name -> (T, n) already subtracted; labels (T,) display tokens (text B's).
    """
    keys = list(differences)
    unit_ids = as_i32(units)
    limit = symmetric_limit(np.concatenate([np.asarray(d).reshape(-1) for d in differences.values()]), None)
    fig = make_subplots(rows=len(keys), cols=1, shared_xaxes=True, vertical_spacing=0.07,
                        subplot_titles=[escape_label(names.get(k, k)) for k in keys])
    T = len(labels)
    steps = as_i32(np.arange(T))
    hover = np.array([[escape_label(label) for label in labels]] * unit_ids.shape[0], dtype=object)
    for row, key in enumerate(keys, start=1):
        fig.add_trace(go.Heatmap(
            z=as_f32(differences[key]).T, x=steps, y=[f"{int(u)}" for u in unit_ids], coloraxis="coloraxis",
            text=hover, hovertemplate="t=%{x} %{text}<br>" + escape_label(unit_label)
            + " %{y}: %{z:+.3f}<extra>" + escape_label(names.get(key, key)) + "</extra>",
        ), row=row, col=1)
        fig.update_yaxes(type="category", autorange="reversed", row=row, col=1)
    tickvals, ticktext = token_ticks(steps, list(labels))
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, row=len(keys), col=1)
    per_row = int(np.clip(10 * unit_ids.shape[0] + 60, 110, 260))
    fig.update_layout(title=escape_label(title), height=100 + per_row * len(keys), margin=dict(l=50, r=20, t=80, b=40),
                      coloraxis=dict(colorscale=SIGNED_COLORSCALE, cmin=-limit, cmax=limit, cmid=0.0,
                                     colorbar=dict(title="B − A", thickness=12)))
    return fig
