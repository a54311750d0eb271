"""Figures of the Cells page: next-character predictions of a character LM, and the units that follow a label.

Every label passed in must already be a visible, display-safe token (``lstm_viz.data.text.display_token``);
it is escaped here too (:func:`lstm_viz.figures._style.escape_label`). Wide characters (CJK, full-width
punctuation) take about twice the room of a Latin letter: figures holding them label fewer ticks and give each
heatmap cell a larger font (:func:`wide_share`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._style import MAX_TICK_LABELS, as_f32, as_i32, escape_label, token_ticks

#: tick labels shown at most on an axis of wide (CJK) characters, and per heatmap for the top-k grid
MAX_WIDE_TICK_LABELS = 20
MAX_HEAT_TICK_LABELS, MAX_WIDE_HEAT_TICK_LABELS = 40, 16


def wide_share(labels: Sequence[str]) -> float:
    """Share of ``labels`` holding an East Asian wide / full-width character (0 for an empty list)."""
    if not labels:
        return 0.0
    wide = sum(any(unicodedata.east_asian_width(ch) in "WF" for ch in str(label)) for label in labels)
    return wide / len(labels)


def _tick_budget(labels: Sequence[str], normal: int, wide: int) -> int:
    return wide if wide_share(labels) > 0.2 else normal


def topk_bar(candidates: Sequence[str], probs: np.ndarray, *, actual: str | None = None,
             title: str = "", prob_label: str = "probability") -> go.Figure:
    """Horizontal bars of the k most likely next characters (best on top); the actual next one in orange."""
    probs = as_f32(probs).reshape(-1)
    k = len(candidates)
    colors = ["#ff7f0e" if actual is not None and c == actual else "#1f77b4" for c in candidates]
    fig = go.Figure(go.Bar(
        x=probs, y=as_i32(np.arange(k)), orientation="h", marker_color=colors,
        text=[f"{p:.3f}" for p in probs], textposition="auto",
        hovertemplate="%{customdata}: %{x:.4f}<extra></extra>", customdata=[escape_label(c) for c in candidates],
    ))
    fig.update_yaxes(tickmode="array", tickvals=as_i32(np.arange(k)), ticktext=[escape_label(c) for c in candidates],
                     autorange="reversed")
    fig.update_xaxes(range=[0, 1], title_text=escape_label(prob_label))
    fig.update_layout(title=escape_label(title), height=80 + 38 * k, margin=dict(l=60, r=20, t=50, b=40), showlegend=False)
    return fig


def topk_heatmap(steps: np.ndarray, input_labels: Sequence[str], topk_labels: Sequence[Sequence[str]],
                 topk_probs: np.ndarray, *, highlight: int | None = None, title: str = "",
                 rank_label: str = "rank", prob_label: str = "p") -> go.Figure:
    """Steps (x) by rank 1..k (y), coloured by probability, each cell showing the predicted character.

    ``steps`` (n,) step numbers, ``input_labels`` (n,) the character read at each step,
    ``topk_labels`` n x k predicted characters, ``topk_probs`` (n, k).
    """
    steps = as_i32(steps)
    probs = as_f32(topk_probs)  # (n, k)
    n, k = probs.shape
    text = np.array([[escape_label(topk_labels[s][r]) for s in range(n)] for r in range(k)], dtype=object)  # (k, n)
    wide = wide_share([label for row in topk_labels for label in row]) > 0.2
    fig = go.Figure(go.Heatmap(
        z=probs.T, x=steps, y=as_i32(np.arange(1, k + 1)), zmin=0.0, zmax=1.0, colorscale="Blues",
        text=text, texttemplate="%{text}", textfont=dict(size=12 if wide else 11),
        xgap=1, ygap=1,
        customdata=np.array([[escape_label(input_labels[s]) for s in range(n)]] * k, dtype=object),
        hovertemplate="t=%{x} read %{customdata}<br>" + escape_label(rank_label) + " %{y}: %{text} p=%{z:.3f}<extra></extra>",
        colorbar=dict(title=escape_label(prob_label), thickness=12),
    ))
    read = [input_labels[s] for s in range(n)]
    tickvals, ticktext = token_ticks(steps, read, _tick_budget(read, MAX_HEAT_TICK_LABELS, MAX_WIDE_HEAT_TICK_LABELS))
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, tickangle=0,
                     tickfont=dict(size=13 if wide else 12))
    fig.update_yaxes(autorange="reversed", title_text=escape_label(rank_label), dtick=1)
    if highlight is not None and steps.size and steps[0] <= highlight <= steps[-1]:
        fig.add_vrect(x0=highlight - 0.5, x1=highlight + 0.5, line_width=2, line_color="#d62728")
    fig.update_layout(title=escape_label(title), height=140 + (40 if wide else 34) * k,
                      margin=dict(l=50, r=20, t=50, b=40))
    return fig


def cells_vs_label(labels: Sequence[str], label_values: np.ndarray, activations: np.ndarray,
                   units: Sequence[int], rs: Sequence[float], *, label_name: str, state_name: str = "h",
                   title: str = "") -> go.Figure:
    """The label (top row) and the best units' activations (one row each) over the text.

    ``labels`` (T,) display tokens, ``label_values`` (T,), ``activations`` (T, n) for ``units`` (n,).
    """
    label_values = as_f32(label_values)
    activations = as_f32(activations)
    T = label_values.shape[0]
    steps = as_i32(np.arange(T))
    n = activations.shape[1]
    titles = [escape_label(label_name)] + [f"{escape_label(state_name)}[{u}]  r = {r:+.3f}" for u, r in zip(units, rs)]
    fig = make_subplots(rows=n + 1, cols=1, shared_xaxes=True, vertical_spacing=0.04, subplot_titles=titles)
    hover_tokens = [escape_label(x) for x in labels[:T]]
    fig.add_trace(go.Scatter(x=steps, y=label_values, mode="lines", line=dict(shape="hv", color="#7f7f7f"),
                             fill="tozeroy", name=escape_label(label_name), customdata=hover_tokens,
                             hovertemplate="t=%{x} %{customdata}: %{y:.3g}<extra></extra>"), row=1, col=1)
    palette = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
    for j, u in enumerate(units):
        fig.add_trace(go.Scatter(x=steps, y=activations[:, j], mode="lines", line=dict(color=palette[j % 6], width=1.5),
                                 name=f"{escape_label(state_name)}[{u}]", customdata=hover_tokens,
                                 hovertemplate="t=%{x} %{customdata}: %{y:.3f}<extra></extra>"), row=j + 2, col=1)
    shown = list(labels[:T])
    tickvals, ticktext = token_ticks(steps, shown, _tick_budget(shown, MAX_TICK_LABELS, MAX_WIDE_TICK_LABELS))
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, tickangle=0, row=n + 1, col=1)
    fig.update_layout(title=escape_label(title), height=120 + 120 * (n + 1), showlegend=False,
                      margin=dict(l=50, r=20, t=70, b=40), hovermode="x unified")
    return fig


def correlation_bars(r: np.ndarray, *, highlight: Sequence[int] = (), title: str = "",
                     unit_label: str = "unit", r_label: str = "Pearson r") -> go.Figure:
    """Every unit's correlation with the label (x = unit index); the best units in red."""
    r = as_f32(r).reshape(-1)
    H = r.shape[0]
    colors = np.array(["#9ecae1"] * H, dtype=object)
    for u in highlight:
        if 0 <= u < H:
            colors[u] = "#d62728"
    fig = go.Figure(go.Bar(x=as_i32(np.arange(H)), y=r, marker_color=list(colors),
                           hovertemplate=escape_label(unit_label) + " %{x}: r=%{y:.3f}<extra></extra>"))
    fig.update_yaxes(range=[-1, 1], title_text=escape_label(r_label))
    fig.update_xaxes(title_text=escape_label(unit_label))
    fig.update_layout(title=escape_label(title), height=260, margin=dict(l=50, r=20, t=50, b=40), bargap=0.1)
    return fig
