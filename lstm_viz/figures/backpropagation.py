"""Figures of the Backpropagation page: the error flowing back through time, connectivity, the error surface.

* :func:`delta_strips_figure`     the δ's arriving at, inside and leaving step t, as colour strips over the units
* :func:`delta_heatmap_figure`    δh (and δc) over (step, unit)
* :func:`delta_norms_figure`      ‖δh_t‖ (and ‖δc_t‖) per step for several models, log scale
* :func:`share_bars_figure`       each step's share of ∇_W, the chosen step highlighted
* :func:`connectivity_figure`     ‖∂h_t/∂x_k‖ over (t, k), one panel per model
* :func:`surface_figure`          the one-unit RNN's loss over (w, b) with gradient-descent trajectories
* :func:`descent_loss_figure`     the loss along each trajectory
* :func:`scale_norms_figure`      an LSTM's gradient norm against the recurrent scale, with the clipping threshold

Arrays in, ``go.Figure`` out; every visible string is an argument (the page passes it translated). Our titles,
axis titles, trace names and row labels may use plotly's ``<sub>`` / ``<sup>`` (:func:`math_label` lets exactly
those through); token labels are user text and are only escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._style import (
    OKABE_ITO, SIGNED_COLORSCALE, HoverNames, as_f32, as_i32, escape_label, math_label, math_title, symmetric_limit,
    token_axis, token_ticks,
)
from .step_by_step import MAX_STRIP_UNITS, strip_window

HIGHLIGHT = "#D55E00"
PLAIN = "#9aa5b1"


def _signed_zero_free(values: np.ndarray) -> np.ndarray:
    """float32 values with −0.0 made +0.0 (hover and colour bar would print "−0")."""
    return as_f32(values) + np.float32(0.0)


def delta_strips_figure(rows: Sequence[tuple[str, np.ndarray]], unit: int, *, title: str = "",
                        unit_label: str = "unit", colorbar: str = "δ", cap: int = MAX_STRIP_UNITS,
                        groups: Sequence[tuple[int, str]] = ()) -> go.Figure:
    """One strip per (label, vector (H,)) row, top to bottom, at most ``cap`` units around ``unit``.

    One diverging scale for every row (symmetric around 0), so strips compare; ``unit`` is outlined;
    ``groups`` are (first row index, caption) pairs: an empty, bold-labelled row above that row
    ("arriving", "leaving", ...).
    """
    H = len(rows[0][1]) if rows else 0
    start, stop = strip_window(H, unit, cap)
    shown = [_signed_zero_free(np.asarray(vector)[start:stop]) for _, vector in rows]
    limit = symmetric_limit(np.concatenate(shown) if shown else np.zeros(1), None)
    captions = dict(groups)
    z_rows, labels = [], []
    for k, (label, _) in enumerate(rows):
        if k in captions:   # a header row: no values (drawn empty), its caption as the label
            z_rows.append(np.full(stop - start, np.nan, dtype=np.float32))
            labels.append(f"<b>{math_label(captions[k])}</b>")
        z_rows.append(shown[k])
        labels.append(math_label(label))
    z = np.stack(z_rows) if z_rows else np.zeros((0, 0), dtype=np.float32)   # (rows, units)
    y = as_i32(np.arange(len(labels)))
    fig = go.Figure(go.Heatmap(
        z=z, x=as_i32(np.arange(start, stop)), y=y, colorscale=SIGNED_COLORSCALE, zmid=0.0, zmin=-limit, zmax=limit,
        xgap=1, ygap=3, colorbar=dict(title=dict(text=math_label(colorbar)), thickness=12),
        customdata=np.asarray([[label] * (stop - start) for label in labels], dtype=object),
        hovertemplate=f"%{{customdata}}<br>{math_label(unit_label)} %{{x}}: %{{z:.4g}}<extra></extra>",
        hoverongaps=False,
    ))
    if start <= unit < stop:
        fig.add_vrect(x0=unit - 0.5, x1=unit + 0.5, line=dict(color="#000", width=2))
    fig.update_layout(
        title=dict(text=math_label(title), x=0.01, font=dict(size=15)), height=90 + 30 * len(labels),
        margin=dict(l=10, r=10, t=44 if title else 10, b=36), plot_bgcolor="#fff",
        yaxis=dict(tickmode="array", tickvals=y, ticktext=labels, autorange="reversed", fixedrange=True),
        xaxis=dict(title=dict(text=math_label(unit_label)), fixedrange=True),
    )
    return fig


def delta_heatmap_figure(panels: Mapping[str, np.ndarray], steps, labels: Sequence[str], *, step: int | None = None,
                         title: str = "", note: str | None = None, x_title: str = "step",
                         y_title: str = "unit", hover: HoverNames = HoverNames()) -> go.Figure:
    """One heatmap per (panel title, (W, H) δ array), steps on x (true step numbers, token ticks), units on y."""
    names = list(panels)
    steps = as_i32(steps)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.1,
                        subplot_titles=[math_label(name) for name in names])
    # every token is a tick (the axis pans when they do not fit), so the hover's %{x} prints the token and
    # %{x:d} the step: no per-cell token array (it was half of the page's payload)
    x_axis = token_axis(steps, labels, focus=step)
    windowed = x_axis.pop("window")
    for row, name in enumerate(names, start=1):
        values = _signed_zero_free(panels[name]).T    # (H, W): units on y
        limit = symmetric_limit(values, None)
        fig.add_trace(go.Heatmap(
            z=values, x=steps, y=as_i32(np.arange(values.shape[0])), colorscale=SIGNED_COLORSCALE, zmid=0.0,
            zmin=-limit, zmax=limit,
            colorbar=dict(len=0.9 / len(names), y=1 - (row - 0.5) / len(names), thickness=12),
            hovertemplate=(f"{escape_label(hover.step)} %{{x:d}} (%{{x}})<br>{escape_label(hover.unit)} %{{y}}"
                           f"<br>{math_label(name)}: %{{z:.4g}}<extra></extra>"),
        ), row=row, col=1)
        fig.update_yaxes(title_text=math_label(y_title), row=row, col=1)
        if step is not None:
            fig.add_vline(x=int(step), line=dict(color="#000", width=1.5, dash="dot"), row=row, col=1)
    fig.update_xaxes(**x_axis, tickangle=0, fixedrange=not windowed)
    fig.update_xaxes(showticklabels=False)
    fig.update_xaxes(showticklabels=True, row=len(names), col=1)
    fig.update_yaxes(fixedrange=True)
    if windowed:
        fig.update_layout(dragmode="pan")
    fig.update_xaxes(title_text=math_label(x_title), row=len(names), col=1)
    fig.update_layout(title=dict(text=math_title(title, note), x=0.01), height=170 + 230 * len(names),
                      margin=dict(l=10, r=10, t=80, b=40), plot_bgcolor="#fff")
    return fig


def delta_norms_figure(curves: Mapping[str, np.ndarray], steps, labels: Sequence[str], *, step: int | None = None,
                       model_of: Mapping[str, str] | None = None, dashed: Sequence[str] = (), title: str = "",
                       x_title: str = "step", y_title: str = "‖δ‖", hover: HoverNames = HoverNames()) -> go.Figure:
    """Lines (name -> (T,) norms) on a log y axis; curves of one model (``model_of[name]``) share a colour,
    names in ``dashed`` are drawn dashed (e.g. the ‖δc‖ ones)."""
    steps = as_i32(steps)
    tokens = np.asarray([escape_label(label) for label in labels], dtype=object)
    model_of = dict(model_of or {})
    palette: dict[str, str] = {}
    fig = go.Figure()
    for name, values in curves.items():
        model = model_of.get(name, name)
        colour = palette.setdefault(model, OKABE_ITO[len(palette) % len(OKABE_ITO)])
        fig.add_trace(go.Scatter(
            x=steps, y=as_f32(values), mode="lines+markers", name=math_label(name), customdata=tokens,
            line=dict(color=colour, width=2, dash="dash" if name in dashed else "solid"), marker=dict(size=4),
            hovertemplate=(f"{escape_label(hover.step)} %{{x}} (%{{customdata}})<br>{math_label(name)}: "
                           f"%{{y:.4g}}<extra></extra>"),
        ))
    if step is not None:
        fig.add_vline(x=int(step), line=dict(color="#000", width=1.5, dash="dot"))
    tickvals, ticktext = token_ticks(steps, labels)
    fig.update_layout(
        title=dict(text=math_label(title), x=0.01), height=440, margin=dict(l=10, r=10, t=60, b=40),
        xaxis=dict(title=dict(text=math_label(x_title)), tickmode="array", tickvals=tickvals, ticktext=ticktext),
        yaxis=dict(title=dict(text=math_label(y_title)), type="log", exponentformat="power"),
        legend=dict(orientation="h", y=-0.2), plot_bgcolor="#fff",
    )
    return fig


def share_bars_figure(values: np.ndarray, steps, labels: Sequence[str], step: int, *, title: str = "",
                      x_title: str = "step", y_title: str = "", name: str = "", chosen_name: str = "",
                      hover: HoverNames = HoverNames()) -> go.Figure:
    """(T,) bars of each step's share ‖∇_{W,k} L‖, the bar of ``step`` in the highlight colour."""
    steps = as_i32(steps)
    values = as_f32(values)
    colours = np.where(steps == int(step), HIGHLIGHT, PLAIN)
    tokens = np.asarray([escape_label(label) for label in labels], dtype=object)
    fig = go.Figure(go.Bar(
        x=steps, y=values, marker=dict(color=colours), name=math_label(name), customdata=tokens,
        hovertemplate=(f"{escape_label(hover.step)} %{{x}} (%{{customdata}})<br>{escape_label(hover.value)}: "
                       f"%{{y:.4g}}<extra></extra>"),
    ))
    chosen = np.flatnonzero(steps == int(step))
    if chosen.size:
        k = int(chosen[0])
        fig.add_trace(go.Scatter(x=steps[k:k + 1], y=values[k:k + 1], mode="markers", name=math_label(chosen_name),
                                 marker=dict(color=HIGHLIGHT, size=10, symbol="triangle-down"), hoverinfo="skip"))
    tickvals, ticktext = token_ticks(steps, labels)
    fig.update_layout(
        title=dict(text=math_label(title), x=0.01), height=360, margin=dict(l=10, r=10, t=60, b=40),
        xaxis=dict(title=dict(text=math_label(x_title)), tickmode="array", tickvals=tickvals, ticktext=ticktext),
        yaxis=dict(title=dict(text=math_label(y_title))), showlegend=False, plot_bgcolor="#fff", bargap=0.15,
    )
    return fig


def connectivity_figure(panels: Mapping[str, np.ndarray], labels: Sequence[str], *, step: int | None = None,
                        title: str = "", note: str | None = None, x_title: str = "k", y_title: str = "t",
                        colorbar: str = "", hover: HoverNames = HoverNames()) -> go.Figure:
    """(t, k) heatmaps of ‖∂h_t/∂x_k‖ side by side (panel title -> (T, T)) on one 0..max colour scale."""
    names = list(panels)
    fig = make_subplots(rows=1, cols=len(names), horizontal_spacing=0.06,
                        subplot_titles=[math_label(name) for name in names])
    T = len(labels)
    axis = as_i32(np.arange(T))
    tickvals, ticktext = token_ticks(axis, labels, max_labels=30)                   # t: down the first panel
    x_tickvals, x_ticktext = token_ticks(axis, labels, max_labels=max(4, 36 // max(len(names), 1)))  # k: narrow panels
    top = max((symmetric_limit(panels[name], None) for name in names), default=1.0)
    for col, name in enumerate(names, start=1):
        values = as_f32(panels[name])
        fig.add_trace(go.Heatmap(
            z=values, x=axis, y=axis, colorscale="Viridis", zmin=0.0, zmax=top, showscale=col == len(names),
            colorbar=dict(title=dict(text=math_label(colorbar)), thickness=12),
            hovertemplate=(f"t=%{{y}}, k=%{{x}}<br>{math_label(name)}: %{{z:.4g}}<extra></extra>"),
        ), row=1, col=col)
        fig.update_xaxes(title_text=math_label(x_title), tickmode="array", tickvals=x_tickvals, ticktext=x_ticktext,
                         tickangle=0, row=1, col=col)
        fig.update_yaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, autorange="reversed",
                         showticklabels=col == 1, row=1, col=col, title_text=math_label(y_title) if col == 1 else None)
        if step is not None and 0 <= step < T:
            fig.add_hline(y=int(step), line=dict(color=HIGHLIGHT, width=1.5), row=1, col=col)
    fig.update_layout(title=dict(text=math_title(title, note), x=0.01), height=460,
                      margin=dict(l=10, r=10, t=90, b=40), plot_bgcolor="#fff")
    return fig


def surface_figure(w_values, b_values, loss: np.ndarray, paths: Mapping[str, np.ndarray], *, title: str = "",
                   x_title: str = "w", y_title: str = "b", colorbar: str = "L", start_name: str = "start") -> go.Figure:
    """Contour of L(w, b) (rows b, columns w) and trajectories (name -> (n, 2) points (w, b)), kept in view."""
    fig = go.Figure(go.Contour(
        z=as_f32(loss), x=as_f32(w_values), y=as_f32(b_values), colorscale="Cividis", ncontours=24,
        contours=dict(coloring="heatmap"), line=dict(width=0.5), colorbar=dict(title=dict(text=math_label(colorbar)),
                                                                                 thickness=12),
        hovertemplate=f"{math_label(x_title)}=%{{x:.3f}}, {math_label(y_title)}=%{{y:.3f}}<br>"
                      f"{math_label(colorbar)}=%{{z:.4f}}<extra></extra>",
    ))
    colours = iter(("#E69F00", "#56B4E9", "#CC79A7"))
    first = None
    for name, points in paths.items():
        points = as_f32(points)
        first = points[0] if first is None else first
        fig.add_trace(go.Scatter(
            x=points[:, 0], y=points[:, 1], mode="lines+markers", name=math_label(name),
            line=dict(color=next(colours, "#fff"), width=2), marker=dict(size=5),
            hovertemplate=f"{math_label(name)}<br>{math_label(x_title)}=%{{x:.3f}}, "
                          f"{math_label(y_title)}=%{{y:.3f}}<extra></extra>",
        ))
    if first is not None:
        fig.add_trace(go.Scatter(x=first[:1], y=first[1:2], mode="markers", name=math_label(start_name),
                                 marker=dict(color="#fff", size=12, symbol="star", line=dict(color="#000", width=1))))
    w_values, b_values = np.asarray(w_values), np.asarray(b_values)
    fig.update_layout(
        title=dict(text=math_label(title), x=0.01), height=520, margin=dict(l=10, r=10, t=60, b=40),
        xaxis=dict(title=dict(text=math_label(x_title)), range=[float(w_values[0]), float(w_values[-1])]),
        yaxis=dict(title=dict(text=math_label(y_title)), range=[float(b_values[0]), float(b_values[-1])]),
        legend=dict(orientation="h", y=-0.15),
    )
    return fig


def descent_loss_figure(curves: Mapping[str, np.ndarray], *, title: str = "", x_title: str = "iteration",
                        y_title: str = "L") -> go.Figure:
    """The loss along each trajectory (name -> (n+1,)), log y."""
    fig = go.Figure()
    for colour, (name, values) in zip(("#E69F00", "#56B4E9", "#CC79A7"), curves.items()):
        values = as_f32(values)
        fig.add_trace(go.Scatter(x=as_i32(np.arange(values.size)), y=values, mode="lines", name=math_label(name),
                                 line=dict(color=colour, width=2)))
    fig.update_layout(title=dict(text=math_label(title), x=0.01), height=320, margin=dict(l=10, r=10, t=60, b=40),
                      xaxis=dict(title=dict(text=math_label(x_title))),
                      yaxis=dict(title=dict(text=math_label(y_title)), type="log", exponentformat="power"),
                      legend=dict(orientation="h", y=-0.25), plot_bgcolor="#fff")
    return fig


def scale_norms_figure(scales, norms, clipped, clip: float, *, title: str = "", x_title: str = "s",
                       y_title: str = "‖∇θ E‖", norm_name: str = "norm", clipped_name: str = "clipped",
                       clip_name: str = "threshold") -> go.Figure:
    """The gradient norm (and the clipped norm) against the recurrent scale, log y, the threshold as a line."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=as_f32(scales), y=as_f32(norms), mode="lines+markers", name=math_label(norm_name),
                             line=dict(color="#D55E00", width=2)))
    fig.add_trace(go.Scatter(x=as_f32(scales), y=as_f32(clipped), mode="lines", name=math_label(clipped_name),
                             line=dict(color="#0072B2", width=3, dash="dash")))
    fig.add_hline(y=float(clip), line=dict(color="#555", width=1, dash="dot"),
                  annotation_text=math_label(clip_name), annotation_position="top left")
    fig.update_layout(title=dict(text=math_label(title), x=0.01), height=380, margin=dict(l=10, r=10, t=60, b=40),
                      xaxis=dict(title=dict(text=math_label(x_title))),
                      yaxis=dict(title=dict(text=math_label(y_title)), type="log", exponentformat="power"),
                      legend=dict(orientation="h", y=-0.2), plot_bgcolor="#fff")
    return fig
