"""Figures of the Gate heatmaps page: every gate and state over the text, and gate saturation.

Heatmaps put steps along x (the true step numbers, token tick labels) and units along y (category
labels, first unit on top); gates share one 0..1 colour axis, each signed quantity gets its own
symmetric one (see :mod:`lstm_viz.figures._style`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ._style import (COLOUR_LEVELS, DEFAULT_AXIS_PX, GATE_COLORSCALE, OKABE_ITO, SIGNED_COLORSCALE, HoverNames,
                     as_f32, as_i32, colour_level_ticks, colour_levels, escape_label, small_int_array,
                     symmetric_limit, thin_indices, title_with_note, token_axis)

DEFAULT_MAX_STEPS = 400
#: points of each click overlay that are drawn (see :func:`state_heatmaps`); the rest are hit-tested only
OVERLAY_DRAWN_POINTS = 1
#: The panels of each model kind in display order: (quantity, colour scale, fixed symmetric limit or None).
#: Gates are in (0, 1); g, n and h in (-1, 1) (tanh); the LSTM cell state c is unbounded.
PANELS = {
    "lstm": [("f", "gate", None), ("i", "gate", None), ("o", "gate", None),
             ("g", "signed", 1.0), ("c", "signed", None), ("h", "signed", 1.0)],
    "gru": [("r", "gate", None), ("z", "gate", None), ("n", "signed", 1.0), ("h", "signed", 1.0)],
    "rnn": [("h", "signed", 1.0)],
}


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


def step_budget(n_panels: int, n_units: int, max_cells: int, max_steps: int = DEFAULT_MAX_STEPS,
                min_steps: int = 50) -> int:
    """Columns each heatmap may draw so that all panels together stay within ``max_cells`` cells
    (the browser's drawing time grows with them), between ``min_steps`` and ``max_steps``."""
    return int(min(max(max_cells // max(n_panels * n_units, 1), min_steps), max_steps))


def _coloraxis_name(index: int) -> str:
    return "coloraxis" if index == 0 else f"coloraxis{index + 1}"


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
    focus_step: int | None = None,
    selectable: bool = True,
    axis_px: float = DEFAULT_AXIS_PX,
) -> go.Figure:
    """A stack of heatmaps, one row per panel: steps along x, units along y; a click picks a (step, unit).

    panels:   each with values (T, n), already restricted/ordered to ``unit_ids``
    labels:   (T,) display labels of the tokens (duplicates are fine: x is numeric)
    unit_ids: (n,) the true unit index of each column of ``values`` (top row first)
    steps:    (T,) true step number of each row of ``values`` (default arange(T))

    Each panel is one raster ``go.Heatmap`` (``z = values.T`` float32 (n, T'), ``x`` = the true step
    numbers int32, ``y`` = the unit numbers as category labels, top row first; no hover of its own) and,
    when ``selectable``, one invisible ``go.Scatter`` over its cell centres: x (n·T',) int16/int32 step,
    y (n·T',) unit label, ``customdata`` (n·T',) float32 = the cell's value (the same float32 the colour
    shows). It carries the hover (token, step, unit, value) and the click: Streamlit reports heatmap cells
    as no points (plotly.js has no heatmap selection), scatter points it does, as {x: step, y: unit}.
    The overlay draws a single marker (``marker.maxdisplayed``): plotly.js still hovers and selects every point
    from its data, while the browser lays out one SVG node instead of n·T' (in headless Chromium a WebGL
    overlay cost ~0.8 s per figure to set up and an SVG one ~35 µs per drawn point).
    T' = T unless the sequence is longer than ``max_steps`` (then every n-th step; the title says so).

    Every token label is kept (:func:`token_axis`); when they do not fit in ``axis_px`` the x axis opens on
    the window around ``focus_step`` (default: the start) and pans sideways (drag).
    """
    if not panels:
        raise ValueError("state_heatmaps needs at least one panel")
    n_steps = len(labels)
    unit_ids = as_i32(unit_ids)
    n_units = unit_ids.shape[0]
    for panel in panels:
        if np.shape(panel.values) != (n_steps, n_units):
            raise ValueError(
                f"panel {panel.name!r} has shape {np.shape(panel.values)}, expected ({n_steps}, {n_units})"
            )
    steps = np.arange(n_steps) if steps is None else np.asarray(steps)
    kept = thin_indices(n_steps, max_steps)
    stride = int(kept[1] - kept[0]) if kept.shape[0] > 1 else 1
    note = stride_note.format(stride=stride, total=n_steps) if kept.shape[0] < n_steps else None
    kept_steps = as_i32(steps[kept])  # (T',)
    kept_labels = [labels[i] for i in kept]
    n_kept = kept.shape[0]

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
    unit_labels = [str(int(unit)) for unit in unit_ids]  # category axis: one row per unit, in this order
    # the overlay's cell centres, row-major like z: unit k, step j -> index k * T' + j
    cell_steps = small_int_array(np.tile(kept_steps, n_units))      # (n·T',)
    # numbers on the category axis land on the category of the same text (the unit labels are the numbers)
    cell_units = small_int_array(np.repeat(unit_ids, n_kept))       # (n·T',)
    # %{x} prints the tick text at x (the token); %{x:d} formats the number itself (the step)
    hovertemplate = (
        f"{escape_label(hover.token)}: %{{x}}<br>"
        f"{escape_label(hover.step)}: %{{x:d}}<br>"
        f"{escape_label(hover.unit)}: %{{y}}<br>"
        f"{escape_label(hover.value)}: %{{customdata:.4f}}"
    )

    # colour axes: one shared by all gate panels, one per signed panel
    coloraxes: dict[str, dict] = {}
    gate_axis: str | None = None
    for row, panel in enumerate(panels, start=1):
        values = np.asarray(panel.values)
        if panel.scale == "gate":
            if gate_axis is None:
                gate_axis = _coloraxis_name(len(coloraxes))
                coloraxes[gate_axis] = dict(colorscale=GATE_COLORSCALE, low=0.0, high=1.0, rows=[])
            name = gate_axis
        elif panel.scale == "signed":
            name = _coloraxis_name(len(coloraxes))
            limit = symmetric_limit(values, panel.limit)
            coloraxes[name] = dict(colorscale=SIGNED_COLORSCALE, low=-limit, high=limit, rows=[])
        else:
            raise ValueError(f"unknown panel scale {panel.scale!r} (use 'gate' or 'signed')")
        coloraxes[name]["rows"].append(row)
        z = as_f32(values[kept].T)  # (n, T')
        # the raster: colour indices only (uint8); the exact float32 values travel once, in the overlay's hover
        levels = colour_levels(z, coloraxes[name]["low"], coloraxes[name]["high"])  # (n, T') uint8
        fig.add_trace(
            go.Heatmap(z=levels, x=kept_steps, y=unit_labels, coloraxis=name, name=panel.name,
                       hoverinfo="skip" if selectable else None, xgap=0, ygap=0,
                       customdata=None if selectable else z,
                       hovertemplate=None if selectable else
                       hovertemplate + f"<extra>{escape_label(panel.title)}</extra>"),
            row=row,
            col=1,
        )
        if selectable:
            fig.add_trace(
                go.Scatter(
                    x=cell_steps, y=cell_units, customdata=z.reshape(-1), mode="markers", name=panel.name,
                    # one marker drawn, every cell hovered and clicked: plotly.js hit-tests all the points
                    # but puts only ``maxdisplayed`` of them in the SVG (no WebGL context, no n·T' DOM nodes)
                    marker=dict(size=6, opacity=0, color="#000", maxdisplayed=OVERLAY_DRAWN_POINTS),
                    showlegend=False, hovertemplate=hovertemplate + f"<extra>{escape_label(panel.title)}</extra>",
                ),
                row=row,
                col=1,
            )

    layout_axes = {}
    for name, spec in coloraxes.items():
        rows = spec.pop("rows")
        domains = [fig.layout[f"yaxis{'' if r == 1 else r}"].domain for r in rows]
        low, high = min(d[0] for d in domains), max(d[1] for d in domains)
        tickvals, ticktext = colour_level_ticks(spec.pop("low"), spec.pop("high"))
        layout_axes[name] = dict(
            **spec, cmin=0, cmax=COLOUR_LEVELS,
            colorbar=dict(y=(low + high) / 2, len=max(high - low, 0.08), yanchor="middle", thickness=14,
                          tickmode="array", tickvals=tickvals, ticktext=ticktext),
        )
    fig.update_layout(**layout_axes)

    x_axis = token_axis(kept_steps, kept_labels, axis_px=axis_px, focus=focus_step)
    windowed = x_axis.pop("window")
    if not windowed:
        x_axis["range"] = [float(kept_steps[0]) - 0.5, float(kept_steps[-1]) + 0.5] if n_kept else None
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
            fixedrange=True,
            title_text=escape_label(y_title) if y_title else None,
            row=row,
            col=1,
        )
        # token labels under the first panel and the last: every tick label costs the browser a text
        # measurement (six rows of them took most of the drawing time); the hover names each cell's token
        labelled = row == n_rows or row == 1
        fig.update_xaxes(**x_axis, tickangle=0, showticklabels=labelled, fixedrange=not windowed, row=row, col=1)
    fig.update_xaxes(title_text=escape_label(x_title) if x_title else None, row=n_rows, col=1)
    fig.update_layout(
        title=title_with_note(title, note),
        height=int(total_height),
        margin=dict(l=60, r=30, t=90 if note else 70, b=50),
        dragmode="pan" if windowed else False,
        hovermode="closest",
        clickmode="event+select",
        showlegend=False,
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
    unit_ids = as_i32(unit_ids)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=as_f32([0.0, 1.0]),
            y=as_f32([1.0, 0.0]),
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
                x=as_f32(left_saturated[gate]),
                y=as_f32(right_saturated[gate]),
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
