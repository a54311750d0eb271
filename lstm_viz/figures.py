"""Pure Plotly figure builders: numpy arrays in, ``plotly.graph_objects.Figure`` out.

No streamlit here: the same figures work in Jupyter. Every visible string (titles, axis
labels, hover names) is an argument, so pages pass them already translated.

Conventions (see the design notes):

* Tokens go on ``x = arange(T)`` (or the true step numbers) with ``ticktext`` labels,
  because Plotly merges duplicate category labels.
* Arrays go to Plotly as float32 / int32 numpy arrays (binary-encoded), never lists.
* Gates live on a 0..1 sequential colour-blind-safe scale (Viridis, ``cmin=0, cmax=1``);
  signed quantities (candidate g, cell state c, hidden state h) on a diverging scale
  centred at 0 with a symmetric range (RdBu: red negative, white 0, blue positive, the same
  colours as the coloured-text view in lstm_viz.ui.render; ``cmid=0``).
* Long sequences are thinned to at most ``max_steps`` columns (every n-th step) and the
  title says so (``stride_note``).
* Hover shows token, step, unit and value.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

GATE_COLORSCALE = "Viridis"
SIGNED_COLORSCALE = "RdBu"
#: Okabe-Ito: a qualitative palette readable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
DEFAULT_MAX_STEPS = 400
MAX_TICK_LABELS = 60


@dataclass(frozen=True)
class HoverNames:
    """Translated names used inside hover boxes."""

    token: str = "token"
    step: str = "step"
    unit: str = "unit"
    value: str = "value"


@dataclass(frozen=True)
class HeatmapPanel:
    """One row of a heatmap stack.

    values: (T, n) activations of the units shown, already in display order
    scale:  "gate" (0..1 sequential) or "signed" (diverging around 0, symmetric)
    limit:  for "signed": the colour range is [-limit, limit]; None means max |values|
    """

    name: str
    title: str
    values: np.ndarray
    scale: str = "gate"
    limit: float | None = None


def escape_label(label: str) -> str:
    """Escape text for Plotly's pseudo-HTML (tick labels, hover, titles)."""
    return html.escape(str(label), quote=False)


def _f32(values) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(values, dtype=np.float32))


def _i32(values) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(values, dtype=np.int32))


def _thin_steps(n_steps: int, max_steps: int) -> np.ndarray:
    """Column indices kept when a sequence is longer than ``max_steps`` (every n-th, last kept)."""
    if n_steps <= max_steps:
        return np.arange(n_steps)
    stride = int(np.ceil(n_steps / max_steps))
    return np.arange(0, n_steps, stride)


def _title_with_note(title: str, note: str | None) -> str:
    if not note:
        return escape_label(title)
    return f"{escape_label(title)}<br><sup>{escape_label(note)}</sup>"


def _token_ticks(positions: np.ndarray, labels: Sequence[str], max_labels: int = MAX_TICK_LABELS):
    """tickvals/ticktext for token labels at ``positions``, thinned to at most ``max_labels``."""
    every = max(1, int(np.ceil(len(positions) / max_labels)))
    picked = np.arange(0, len(positions), every)
    return _i32(np.asarray(positions)[picked]), [escape_label(labels[i]) for i in picked]


def _coloraxis_name(index: int) -> str:
    return "coloraxis" if index == 0 else f"coloraxis{index + 1}"


def _symmetric_limit(values: np.ndarray, limit: float | None) -> float:
    if limit is not None:
        return float(limit)
    finite = np.abs(values[np.isfinite(values)]) if values.size else np.zeros(0)
    peak = float(finite.max()) if finite.size else 0.0
    return peak if peak > 0 else 1.0


def state_heatmaps(
    panels: Sequence[HeatmapPanel],
    labels: Sequence[str],
    unit_ids: Sequence[int],
    *,
    steps: np.ndarray | None = None,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    hover: HoverNames = HoverNames(),
    max_steps: int = DEFAULT_MAX_STEPS,
    stride_note: str = "every {stride}th step of {total}",
    row_height: int | None = None,
) -> go.Figure:
    """A stack of heatmaps, one row per panel: steps along x, units along y.

    panels:   each with values (T, n), already restricted/ordered to ``unit_ids``
    labels:   (T,) display labels of the tokens (duplicates are fine: x is numeric)
    unit_ids: (n,) the true unit index of each column of ``values`` (top row first)
    steps:    (T,) true step number of each row of ``values`` (default arange(T))

    Each heatmap carries ``z = values.T`` as float32 (n, T'), ``x`` = the true step numbers
    (int32) with token tick labels, ``customdata`` (n, T') = the step of each cell (int16, for
    the hover), ``y`` = the unit numbers as category labels (top row first) and ``text``
    (n, T') = token labels; T' = T unless the
    sequence is longer than ``max_steps`` (then every n-th step; the title says so).
    """
    if not panels:
        raise ValueError("state_heatmaps needs at least one panel")
    n_steps = len(labels)
    unit_ids = _i32(unit_ids)
    n_units = unit_ids.shape[0]
    for panel in panels:
        if np.shape(panel.values) != (n_steps, n_units):
            raise ValueError(
                f"panel {panel.name!r} has shape {np.shape(panel.values)}, expected ({n_steps}, {n_units})"
            )
    steps = np.arange(n_steps) if steps is None else np.asarray(steps)
    kept = _thin_steps(n_steps, max_steps)
    stride = int(kept[1] - kept[0]) if kept.shape[0] > 1 else 1
    note = stride_note.format(stride=stride, total=n_steps) if kept.shape[0] < n_steps else None
    kept_steps = _i32(steps[kept])  # (T',)
    kept_labels = [labels[i] for i in kept]
    hover_tokens = np.array([escape_label(label) for label in kept_labels], dtype=object)

    n_rows = len(panels)
    per_row = row_height or int(np.clip(7 * n_units + 70, 130, 330))  # px per panel, gap included
    total_height = per_row * n_rows + 120
    fig = make_subplots(
        rows=n_rows,
        cols=1,
        shared_xaxes=True,
        # ~80 px between panels: room for the token labels of one panel and the title of the next
        vertical_spacing=min(80 / total_height, 0.5 / n_rows) if n_rows > 1 else 0.0,
        subplot_titles=[escape_label(panel.title) for panel in panels],
    )
    text = np.broadcast_to(hover_tokens, (n_units, kept.shape[0]))  # (n, T')
    unit_labels = [str(int(unit)) for unit in unit_ids]  # category axis: one row per unit, in this order
    # hover cannot show %{x} (Plotly prints the tick text, i.e. the token): the step goes in customdata
    step_dtype = np.int16 if kept_steps.size == 0 or int(kept_steps.max()) < 2**15 else np.int32
    step_data = np.ascontiguousarray(np.broadcast_to(kept_steps.astype(step_dtype), (n_units, kept.shape[0])))
    hovertemplate = (
        f"{escape_label(hover.token)}: %{{text}}<br>"
        f"{escape_label(hover.step)}: %{{customdata}}<br>"
        f"{escape_label(hover.unit)}: %{{y}}<br>"
        f"{escape_label(hover.value)}: %{{z:.4f}}"
    )

    # colour axes: one shared by all gate panels, one per signed panel
    coloraxes: dict[str, dict] = {}
    gate_axis: str | None = None
    for row, panel in enumerate(panels, start=1):
        values = np.asarray(panel.values)
        if panel.scale == "gate":
            if gate_axis is None:
                gate_axis = _coloraxis_name(len(coloraxes))
                coloraxes[gate_axis] = dict(colorscale=GATE_COLORSCALE, cmin=0.0, cmax=1.0, rows=[])
            name = gate_axis
        elif panel.scale == "signed":
            name = _coloraxis_name(len(coloraxes))
            limit = _symmetric_limit(values, panel.limit)
            coloraxes[name] = dict(colorscale=SIGNED_COLORSCALE, cmin=-limit, cmax=limit, cmid=0.0, rows=[])
        else:
            raise ValueError(f"unknown panel scale {panel.scale!r} (use 'gate' or 'signed')")
        coloraxes[name]["rows"].append(row)
        fig.add_trace(
            go.Heatmap(
                z=_f32(values[kept].T),  # (n, T')
                x=kept_steps,
                y=unit_labels,
                customdata=step_data,
                text=text,
                hovertemplate=hovertemplate + f"<extra>{escape_label(panel.title)}</extra>",
                coloraxis=name,
                name=panel.name,
                xgap=0,
                ygap=0,
            ),
            row=row,
            col=1,
        )

    layout_axes = {}
    for name, spec in coloraxes.items():
        rows = spec.pop("rows")
        domains = [fig.layout[f"yaxis{'' if r == 1 else r}"].domain for r in rows]
        low, high = min(d[0] for d in domains), max(d[1] for d in domains)
        layout_axes[name] = dict(
            **spec,
            colorbar=dict(y=(low + high) / 2, len=max(high - low, 0.08), yanchor="middle", thickness=14),
        )
    fig.update_layout(**layout_axes)

    tickvals, ticktext = _token_ticks(kept_steps, kept_labels)
    unit_every = max(1, int(np.ceil(n_units / 16)))
    for row in range(1, n_rows + 1):
        fig.update_yaxes(
            tickmode="array",
            type="category",
            categoryorder="array",
            categoryarray=unit_labels,
            tickvals=unit_labels[::unit_every],
            ticktext=unit_labels[::unit_every],
            autorange="reversed",
            title_text=escape_label(y_title) if y_title else None,
            row=row,
            col=1,
        )
        # token labels under every panel (a tall stack should not send the reader to the bottom)
        fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, showticklabels=True,
                         row=row, col=1)
    fig.update_xaxes(title_text=escape_label(x_title) if x_title else None, row=n_rows, col=1)
    fig.update_layout(
        title=_title_with_note(title, note),
        height=int(total_height),
        margin=dict(l=60, r=30, t=90 if note else 70, b=50),
    )
    return fig


def saturation_scatter(
    left_saturated: Mapping[str, np.ndarray],
    right_saturated: Mapping[str, np.ndarray],
    unit_ids: Sequence[int],
    *,
    gate_titles: Mapping[str, str] | None = None,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    unit_name: str = "unit",
) -> go.Figure:
    """Gate saturation: per unit, fraction of steps with gate < 0.1 (x) vs > 0.9 (y).

    left_saturated, right_saturated: gate name -> (n,) fractions in [0, 1], same keys.
    One trace per gate; points on the anti-diagonal x + y = 1 are always saturated.
    """
    unit_ids = _i32(unit_ids)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=_f32([0.0, 1.0]),
            y=_f32([1.0, 0.0]),
            mode="lines",
            line=dict(color="#999999", dash="dot", width=1),
            hoverinfo="skip",
            showlegend=False,
            name="x+y=1",
        )
    )
    for index, gate in enumerate(left_saturated):
        label = (gate_titles or {}).get(gate, gate)
        fig.add_trace(
            go.Scatter(
                x=_f32(left_saturated[gate]),
                y=_f32(right_saturated[gate]),
                customdata=unit_ids,
                mode="markers",
                name=escape_label(label),
                marker=dict(size=8, opacity=0.75, color=OKABE_ITO[index % len(OKABE_ITO)],
                            symbol=("circle", "square", "diamond", "triangle-up")[index % 4]),
                hovertemplate=(
                    f"{escape_label(unit_name)} %{{customdata}}<br>"
                    f"{escape_label(x_title)}: %{{x:.3f}}<br>{escape_label(y_title)}: %{{y:.3f}}"
                    f"<extra>{escape_label(label)}</extra>"
                ),
            )
        )
    fig.update_xaxes(range=[-0.03, 1.03], title_text=escape_label(x_title), zeroline=False)
    fig.update_yaxes(range=[-0.03, 1.03], title_text=escape_label(y_title), zeroline=False,
                     scaleanchor="x", scaleratio=1)
    fig.update_layout(title=escape_label(title), height=480, legend=dict(orientation="h", y=-0.18))
    return fig


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
    distances = _i32(distances)
    fig = go.Figure()
    for index, (name, values) in enumerate(curves.items()):
        fig.add_trace(
            go.Scatter(
                x=distances,
                y=np.asarray(values, dtype=np.float64),  # float64: exploding norms overflow float32
                mode="lines+markers",
                marker=dict(size=4),
                line=dict(color=OKABE_ITO[index % len(OKABE_ITO)], width=2),
                name=escape_label(name),
                hovertemplate=f"{escape_label(hover_distance)} = %{{x}}<br>%{{y:.3e}}<extra>{escape_label(name)}</extra>",
            )
        )
    if bound is not None:
        fig.add_trace(
            go.Scatter(
                x=distances,
                y=np.asarray(bound, dtype=np.float64),
                mode="lines",
                line=dict(color="#555555", dash="dash", width=2),
                name=escape_label(bound_name),
                hovertemplate=f"{escape_label(hover_distance)} = %{{x}}<br>%{{y:.3e}}<extra>{escape_label(bound_name)}</extra>",
            )
        )
    if reference_one:
        fig.add_hline(y=1.0, line=dict(color="#999999", width=1, dash="dot"))
    fig.update_yaxes(type="log", title_text=escape_label(y_title), exponentformat="power")
    fig.update_xaxes(title_text=escape_label(x_title))
    fig.update_layout(title=_title_with_note(title, note), height=440, legend=dict(orientation="h", y=-0.2),
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
    steps = _i32(np.arange(n_steps) if steps is None else steps)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=[escape_label(name) for name in names])
    tokens = np.array([escape_label(label) for label in labels], dtype=object)
    for row, name in enumerate(names, start=1):
        values = np.asarray(contributions[name])
        if values.shape != (n_steps,):
            raise ValueError(f"contributions[{name!r}] has shape {values.shape}, expected ({n_steps},)")
        fig.add_trace(
            go.Bar(
                x=steps,
                y=_f32(values),
                text=tokens,
                customdata=steps,  # hover: %{x} would print the tick text (the token), not the step
                textposition="none",
                marker_color=OKABE_ITO[(row - 1) % len(OKABE_ITO)],
                name=escape_label(name),
                hovertemplate=(
                    f"{escape_label(hover.token)}: %{{text}}<br>{escape_label(hover.step)}: %{{customdata}}<br>"
                    f"{escape_label(hover.value)}: %{{y:.3e}}<extra>{escape_label(name)}</extra>"
                ),
                showlegend=False,
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(type="log" if log_y else "linear", exponentformat="power",
                         title_text=escape_label(y_title) if y_title else None, row=row, col=1)
    tickvals, ticktext = _token_ticks(steps, labels)
    for row in range(1, len(names) + 1):
        fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, row=row, col=1)
    fig.update_xaxes(title_text=escape_label(x_title) if x_title else None, row=len(names), col=1)
    fig.update_layout(title=_title_with_note(title, note), height=190 * len(names) + 140, bargap=0.1)
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
    unit_ids = _i32(unit_ids)
    n_steps = len(labels)
    if products.shape != (n_steps, unit_ids.shape[0]):
        raise ValueError(f"products has shape {products.shape}, expected ({n_steps}, {unit_ids.shape[0]})")
    steps = _i32(np.arange(n_steps) if steps is None else steps)
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
                y=_f32(products[:, index]),
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
                y=_f32(mean),
                text=tokens,
                customdata=steps,
                mode="lines",
                line=dict(color="#000000", width=3),
                name=escape_label(mean_name),
                hovertemplate=base + f"<extra>{escape_label(mean_name)}</extra>",
            )
        )
    tickvals, ticktext = _token_ticks(steps, labels)
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext, title_text=escape_label(x_title))
    fig.update_yaxes(type="log", exponentformat="power", title_text=escape_label(y_title))
    fig.update_layout(title=_title_with_note(title, note), height=420, legend=dict(orientation="h", y=-0.25))
    return fig


def spectral_scale_figure(
    scales: np.ndarray,
    sigma_max: np.ndarray,
    current_scale: float,
    *,
    title: str = "",
    x_title: str = "",
    y_title: str = "",
    current_name: str = "current",
    threshold_name: str = "σ_max = 1",
    threshold_scale: float | None = None,
) -> go.Figure:
    """σ_max(s·W_hh) against the slider scale s, with the σ_max = 1 threshold and the current s.

    scales: (S,), sigma_max: (S,) (linear in s: σ_max(s W) = s σ_max(W)); threshold_scale: the
    s* where σ_max = 1, drawn as a dotted vertical line when given.
    """
    scales = np.asarray(scales, dtype=np.float64)
    sigma_max = np.asarray(sigma_max, dtype=np.float64)
    current_sigma = float(np.interp(current_scale, scales, sigma_max))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=scales, y=sigma_max, mode="lines", line=dict(color=OKABE_ITO[0], width=2),
                             name="σ_max", hovertemplate="s = %{x:.2f}<br>σ_max = %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=np.array([current_scale]), y=np.array([current_sigma]), mode="markers",
                             marker=dict(size=12, color=OKABE_ITO[3], symbol="diamond"),
                             name=escape_label(current_name),
                             hovertemplate="s = %{x:.2f}<br>σ_max = %{y:.3f}<extra></extra>"))
    fig.add_hline(y=1.0, line=dict(color="#555555", dash="dash", width=1.5),
                  annotation_text=escape_label(threshold_name), annotation_position="top left")
    if threshold_scale is not None and np.isfinite(threshold_scale):
        fig.add_vline(x=float(threshold_scale), line=dict(color="#555555", dash="dot", width=1.5),
                      annotation_text=f"s* = {threshold_scale:.3f}", annotation_position="bottom right")
    fig.update_xaxes(title_text=escape_label(x_title))
    fig.update_yaxes(title_text=escape_label(y_title), rangemode="tozero")
    fig.update_layout(title=escape_label(title), height=300, showlegend=False, margin=dict(t=60, b=40))
    return fig
