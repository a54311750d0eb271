"""Pure plotly figures for the Cells page (arrays in, ``go.Figure`` out; no streamlit).

Tokens sit on ``x = step numbers`` with ``ticktext`` labels (plotly would merge duplicate category
labels); arrays go to plotly as float32 / int32 numpy arrays.  Every label passed in must already
be a visible, display-safe token (``lstm_viz.data.text.display_token``); it is HTML-escaped here too.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

MAX_TICK_LABELS = 60


def _esc(label: str) -> str:
    return html.escape(str(label), quote=False)  # plotly decodes &lt; &gt; &amp; but shows &quot; literally


def _f32(values) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float32))


def _ticks(steps: np.ndarray, labels: Sequence[str], max_labels: int = MAX_TICK_LABELS):
    every = max(1, int(np.ceil(len(steps) / max_labels)))
    keep = np.arange(0, len(steps), every)
    return np.asarray(steps)[keep].astype(np.int32), [_esc(labels[k]) for k in keep]


def topk_bar(candidates: Sequence[str], probs: np.ndarray, *, actual: str | None = None,
             title: str = "", prob_label: str = "probability") -> go.Figure:
    """Horizontal bars of the k most likely next characters (best on top); the actual next one in orange."""
    probs = _f32(probs).reshape(-1)
    k = len(candidates)
    colors = ["#ff7f0e" if actual is not None and c == actual else "#1f77b4" for c in candidates]
    fig = go.Figure(go.Bar(
        x=probs, y=np.arange(k, dtype=np.int32), orientation="h", marker_color=colors,
        text=[f"{p:.3f}" for p in probs], textposition="auto",
        hovertemplate="%{customdata}: %{x:.4f}<extra></extra>", customdata=[_esc(c) for c in candidates],
    ))
    fig.update_yaxes(tickmode="array", tickvals=np.arange(k, dtype=np.int32), ticktext=[_esc(c) for c in candidates],
                     autorange="reversed")
    fig.update_xaxes(range=[0, 1], title_text=_esc(prob_label))
    fig.update_layout(title=_esc(title), height=80 + 38 * k, margin=dict(l=60, r=20, t=50, b=40), showlegend=False)
    return fig


def topk_heatmap(steps: np.ndarray, input_labels: Sequence[str], topk_labels: Sequence[Sequence[str]],
                 topk_probs: np.ndarray, *, highlight: int | None = None, title: str = "",
                 rank_label: str = "rank", prob_label: str = "p") -> go.Figure:
    """Steps (x) by rank 1..k (y), coloured by probability, each cell showing the predicted character.

    ``steps`` (n,) step numbers, ``input_labels`` (n,) the character read at each step,
    ``topk_labels`` n x k predicted characters, ``topk_probs`` (n, k).
    """
    steps = np.asarray(steps, dtype=np.int32)
    probs = _f32(topk_probs)  # (n, k)
    n, k = probs.shape
    text = np.array([[_esc(topk_labels[s][r]) for s in range(n)] for r in range(k)], dtype=object)  # (k, n)
    fig = go.Figure(go.Heatmap(
        z=probs.T, x=steps, y=np.arange(1, k + 1, dtype=np.int32), zmin=0.0, zmax=1.0, colorscale="Blues",
        text=text, texttemplate="%{text}", textfont=dict(size=11),
        customdata=np.array([[_esc(input_labels[s]) for s in range(n)]] * k, dtype=object),
        hovertemplate="t=%{x} read %{customdata}<br>" + _esc(rank_label) + " %{y}: %{text} p=%{z:.3f}<extra></extra>",
        colorbar=dict(title=_esc(prob_label), thickness=12),
    ))
    tickvals, ticktext = _ticks(steps, [input_labels[s] for s in range(n)])
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, tickangle=0)
    fig.update_yaxes(autorange="reversed", title_text=_esc(rank_label), dtick=1)
    if highlight is not None and steps.size and steps[0] <= highlight <= steps[-1]:
        fig.add_vrect(x0=highlight - 0.5, x1=highlight + 0.5, line_width=2, line_color="#d62728")
    fig.update_layout(title=_esc(title), height=140 + 34 * k, margin=dict(l=50, r=20, t=50, b=40))
    return fig


def cells_vs_label(labels: Sequence[str], label_values: np.ndarray, activations: np.ndarray,
                   units: Sequence[int], rs: Sequence[float], *, label_name: str, state_name: str = "h",
                   title: str = "") -> go.Figure:
    """The label (top row) and the best units' activations (one row each) over the text.

    ``labels`` (T,) display tokens, ``label_values`` (T,), ``activations`` (T, n) for ``units`` (n,).
    """
    label_values = _f32(label_values)
    activations = _f32(activations)
    T = label_values.shape[0]
    steps = np.arange(T, dtype=np.int32)
    n = activations.shape[1]
    titles = [_esc(label_name)] + [f"{_esc(state_name)}[{u}]  r = {r:+.3f}" for u, r in zip(units, rs)]
    fig = make_subplots(rows=n + 1, cols=1, shared_xaxes=True, vertical_spacing=0.04, subplot_titles=titles)
    hover_tokens = [_esc(x) for x in labels[:T]]
    fig.add_trace(go.Scatter(x=steps, y=label_values, mode="lines", line=dict(shape="hv", color="#7f7f7f"),
                             fill="tozeroy", name=_esc(label_name), customdata=hover_tokens,
                             hovertemplate="t=%{x} %{customdata}: %{y:.3g}<extra></extra>"), row=1, col=1)
    palette = ("#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
    for j, u in enumerate(units):
        fig.add_trace(go.Scatter(x=steps, y=activations[:, j], mode="lines", line=dict(color=palette[j % 6], width=1.5),
                                 name=f"{_esc(state_name)}[{u}]", customdata=hover_tokens,
                                 hovertemplate="t=%{x} %{customdata}: %{y:.3f}<extra></extra>"), row=j + 2, col=1)
    tickvals, ticktext = _ticks(steps, list(labels[:T]))
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, tickangle=0, row=n + 1, col=1)
    fig.update_layout(title=_esc(title), height=120 + 120 * (n + 1), showlegend=False,
                      margin=dict(l=50, r=20, t=70, b=40), hovermode="x unified")
    return fig


def correlation_bars(r: np.ndarray, *, highlight: Sequence[int] = (), title: str = "",
                     unit_label: str = "unit", r_label: str = "Pearson r") -> go.Figure:
    """Every unit's correlation with the label (x = unit index); the best units in red."""
    r = _f32(r).reshape(-1)
    H = r.shape[0]
    colors = np.array(["#9ecae1"] * H, dtype=object)
    for u in highlight:
        if 0 <= u < H:
            colors[u] = "#d62728"
    fig = go.Figure(go.Bar(x=np.arange(H, dtype=np.int32), y=r, marker_color=list(colors),
                           hovertemplate=_esc(unit_label) + " %{x}: r=%{y:.3f}<extra></extra>"))
    fig.update_yaxes(range=[-1, 1], title_text=_esc(r_label))
    fig.update_xaxes(title_text=_esc(unit_label))
    fig.update_layout(title=_esc(title), height=260, margin=dict(l=50, r=20, t=50, b=40), bargap=0.1)
    return fig
