"""Figures of the Vanishing gradients page: Jacobian norms by distance, per-step gradient contributions,
forget-gate products along the conveyor belt, σ_max of the recurrent weights against the slider scale.

Norms and products go on log axes with one labelled tick per decade (or per few decades when the range is
huge), no minor labels; exploding norms are sent as float64 (they overflow float32). Titles, axis titles and
trace names are our own strings, written with plotly's ``<sub>`` / ``<sup>`` for sub- and superscripts
(``‖∂h<sub>T−1</sub>/∂h<sub>k</sub>‖``): :func:`math_label` escapes them and lets exactly those tags through.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._style import OKABE_ITO, HoverNames, as_f32, as_i32, escape_label, math_label, math_title, token_ticks


MAX_DECADE_LABELS = 8


def _decade(value: float) -> int:
    """The power of ten of ``value`` as printed (9.6e-3 -> -3): the label the axis would carry."""
    return int(f"{float(value):e}".split("e")[1])


def decade_ticks(*arrays) -> dict:
    """Log-axis settings: a labelled tick every n decades, n = ceil(span / MAX_DECADE_LABELS) (at least 1), over the
    positive finite values of ``arrays``; no minor (2, 5) labels, powers of ten written as 10^k."""
    values = np.concatenate([np.ravel(np.asarray(a, dtype=np.float64)) for a in arrays if a is not None] or [[1.0]])
    values = values[np.isfinite(values) & (values > 0)]
    span = _decade(values.max()) - _decade(values.min()) if values.size else 1   # decades the axis covers
    return dict(type="log", dtick=max(1, int(np.ceil(span / MAX_DECADE_LABELS))), minor=dict(showgrid=False),
                exponentformat="power")


def jacobian_norm_figure(
    distances: np.ndarray,
    curves: Mapping[str, np.ndarray],
    *,
    bound: np.ndarray | None = None,
    bound_name: str = "bound",
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    reference_one: bool = True,
    hover_distance: str = "T−1−k",
    note: str | None = None,
) -> go.Figure:
    """‖∂h_{T-1}/∂h_k‖ against distance d = T-1-k on a log y axis.

    distances: (D,) ints; curves: model name -> (D,) norms; bound: (D,) theoretical bound
    (dashed). Non-positive values cannot show on a log axis and are left out by Plotly;
    the arrays are passed unchanged. ``reference_one`` draws y = 1.
    """
    distances = as_i32(distances)
    fig = go.Figure()
    for index, (name, values) in enumerate(curves.items()):
        fig.add_trace(
            go.Scatter(
                x=distances,
                y=np.asarray(values, dtype=np.float64),  # float64: exploding norms overflow float32
                mode="lines+markers",
                marker=dict(size=4),
                line=dict(color=OKABE_ITO[index % len(OKABE_ITO)], width=2),
                name=math_label(name),
                hovertemplate=f"{math_label(hover_distance)} = %{{x}}<br>%{{y:.3e}}<extra>{math_label(name)}</extra>",
            )
        )
    if bound is not None:
        fig.add_trace(
            go.Scatter(
                x=distances,
                y=np.asarray(bound, dtype=np.float64),
                mode="lines",
                line=dict(color="#555555", dash="dash", width=2),
                name=math_label(bound_name),
                hovertemplate=f"{math_label(hover_distance)} = %{{x}}<br>%{{y:.3e}}<extra>{math_label(bound_name)}</extra>",
            )
        )
    if reference_one:
        fig.add_hline(y=1.0, line=dict(color="#999999", width=1, dash="dot"))
    fig.update_yaxes(title_text=math_label(y_title), **decade_ticks(*curves.values(), bound, 1.0))
    fig.update_xaxes(title_text=math_label(x_title))
    fig.update_layout(title=math_title(title, note), height=440, legend=dict(orientation="h", y=-0.2),
                      hovermode="x unified")
    return fig


def gradient_contribution_bars(
    contributions: Mapping[str, np.ndarray],
    labels: Sequence[str],
    *,
    steps: np.ndarray | None = None,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    hover: HoverNames = HoverNames(),
    log_y: bool = True,
    note: str | None = None,
) -> go.Figure:
    """Per-time-step contributions ‖∇_{W,k} E‖ as bars, one subplot row per model.

    contributions: model name -> (T,) norms of step k's share of ∇_W E (same T for all);
    labels: (T,) token labels; steps: (T,) true step numbers (default arange(T)).
    """
    names = list(contributions)
    if not names:
        raise ValueError("gradient_contribution_bars needs at least one model")
    n_steps = len(labels)
    steps = as_i32(np.arange(n_steps) if steps is None else steps)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[math_label(name) for name in names])
    tokens = np.array([escape_label(label) for label in labels], dtype=object)
    for row, name in enumerate(names, start=1):
        values = np.asarray(contributions[name])
        if values.shape != (n_steps,):
            raise ValueError(f"contributions[{name!r}] has shape {values.shape}, expected ({n_steps},)")
        fig.add_trace(
            go.Bar(
                x=steps,
                y=as_f32(values),
                text=tokens,
                customdata=steps,  # hover: %{x} would print the tick text (the token), not the step
                textposition="none",
                marker_color=OKABE_ITO[(row - 1) % len(OKABE_ITO)],
                name=math_label(name),
                hovertemplate=(
                    f"{escape_label(hover.token)}: %{{text}}<br>{escape_label(hover.step)}: %{{customdata}}<br>"
                    f"{escape_label(hover.value)}: %{{y:.3e}}<extra>{math_label(name)}</extra>"
                ),
                showlegend=False,
            ),
            row=row,
            col=1,
        )
        axis = decade_ticks(values) if log_y else dict(type="linear")
        fig.update_yaxes(title_text=math_label(y_title) if y_title else None, row=row, col=1, **axis)
    tickvals, ticktext = token_ticks(steps, labels)
    for row in range(1, len(names) + 1):
        fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, row=row, col=1)
    fig.update_xaxes(title_text=math_label(x_title) if x_title else None, row=len(names), col=1)
    fig.update_layout(title=math_title(title, note), height=190 * len(names) + 140, bargap=0.1)
    return fig


def forget_product_figure(
    products: np.ndarray,
    unit_ids: Sequence[int],
    labels: Sequence[str],
    *,
    mean: np.ndarray | None = None,
    steps: np.ndarray | None = None,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    unit_name: str = "unit",
    mean_name: str = "mean",
    hover: HoverNames = HoverNames(),
    note: str | None = None,
) -> go.Figure:
    """Forget-gate product along the conveyor belt, Π_{j=k+1}^{T-1} f_j, on a log y axis.

    products: (T, n) for the units ``unit_ids`` (n,); mean: (T,) optional average over all
    units (drawn thick, black). x = step k with token tick labels.
    """
    products = np.asarray(products)
    unit_ids = as_i32(unit_ids)
    n_steps = len(labels)
    if products.shape != (n_steps, unit_ids.shape[0]):
        raise ValueError(f"products has shape {products.shape}, expected ({n_steps}, {unit_ids.shape[0]})")
    steps = as_i32(np.arange(n_steps) if steps is None else steps)
    tokens = np.array([escape_label(label) for label in labels], dtype=object)
    fig = go.Figure()
    # hover: %{x} would print the tick text (the token), so the step goes in customdata
    base = (f"{escape_label(hover.token)}: %{{text}}<br>{escape_label(hover.step)}: %{{customdata}}<br>"
            f"{escape_label(hover.value)}: %{{y:.3e}}")
    for index, unit in enumerate(unit_ids):
        label = f"{unit_name} {int(unit)}"
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=as_f32(products[:, index]),
                text=tokens,
                customdata=steps,
                mode="lines",
                line=dict(color=OKABE_ITO[index % (len(OKABE_ITO) - 1)], width=1.5),
                name=escape_label(label),
                hovertemplate=base + f"<extra>{escape_label(label)}</extra>",
            )
        )
    if mean is not None:
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=as_f32(mean),
                text=tokens,
                customdata=steps,
                mode="lines",
                line=dict(color="#000000", width=3),
                name=escape_label(mean_name),
                hovertemplate=base + f"<extra>{escape_label(mean_name)}</extra>",
            )
        )
    tickvals, ticktext = token_ticks(steps, labels)
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, title_text=math_label(x_title))
    fig.update_yaxes(title_text=math_label(y_title), **decade_ticks(products, mean))
    fig.update_layout(title=math_title(title, note), height=420, legend=dict(orientation="h", y=-0.25))
    return fig


def spectral_scale_figure(
    scales: np.ndarray,
    sigma_max: np.ndarray,
    current_scale: float,
    current_sigma: float,
    *,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    current_name: str = "current",
    threshold_name: str = "σ_max = 1",
    threshold_scale: float | None = None,
) -> go.Figure:
    """σ_max(s·W_hh) against the slider scale s, with the σ_max = 1 threshold and the current (s, σ_max).

    scales: (S,), sigma_max: (S,) (linear in s: σ_max(s W) = s σ_max(W)); current_scale, current_sigma: the
    marked point; threshold_scale: the s* where σ_max = 1, drawn as a dotted vertical line when given.
    """
    scales = np.asarray(scales, dtype=np.float64)
    sigma_max = np.asarray(sigma_max, dtype=np.float64)
    current_sigma = float(current_sigma)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=scales, y=sigma_max, mode="lines", line=dict(color=OKABE_ITO[0], width=2),
                             name="σ<sub>max</sub>", showlegend=False,
                             hovertemplate="s = %{x:.2f}<br>σ<sub>max</sub> = %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=np.array([current_scale]), y=np.array([current_sigma]), mode="markers",
                             marker=dict(size=12, color=OKABE_ITO[3], symbol="diamond"),
                             name=math_label(current_name),
                             hovertemplate="s = %{x:.2f}<br>σ<sub>max</sub> = %{y:.3f}<extra></extra>"))
    # The reference lines are named in the legend, below the plot: a label on the line would sit on the marker
    # (the current point is often near σ_max = 1, the interesting place).
    threshold_line = dict(color="#555555", dash="dash", width=1.5)
    fig.add_hline(y=1.0, line=threshold_line)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=threshold_line, name=math_label(threshold_name),
                             hoverinfo="skip"))
    if threshold_scale is not None and np.isfinite(threshold_scale):
        star_line = dict(color="#555555", dash="dot", width=1.5)
        fig.add_vline(x=float(threshold_scale), line=star_line)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=star_line,
                                 name=f"s* = {threshold_scale:.3f}", hoverinfo="skip"))
    fig.update_xaxes(title_text=math_label(x_title), range=[float(scales.min()), float(scales.max())])
    fig.update_yaxes(title_text=math_label(y_title), rangemode="tozero")
    fig.update_layout(title=math_label(title), height=340, margin=dict(t=50, b=40),
                      legend=dict(orientation="h", y=-0.3, x=0))
    return fig
