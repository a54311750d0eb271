"""Figures of the LSTM family: stacked and bidirectional networks (arrays in, plotly figures out).

* :func:`stack_tower_figure` — the small tower beside the Step page's cell: every layer (and direction) of
  the stack at one position, the drawn cell highlighted, where its input comes from;
* :func:`bidirectional_states_figure` — both directions' hidden states at step t and their concatenation;
* :func:`layer_overview_figure` — a compact strip per layer / direction (Gate heatmaps);
* :func:`unrolled_stack_figure` / :func:`unrolled_bidirectional_figure` — the Theory page's diagrams.

No numerics here: the values come from the engine's traces (via the page context).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from ._style import SIGNED_COLORSCALE, as_f32, as_i32, symmetric_limit, token_ticks

CELL_FILL = "#fff"
DRAWN_FILL = "#FFE8A3"
FORWARD_COLOR = "#0072B2"
REVERSE_COLOR = "#CC79A7"
_NO_AXES = dict(visible=False, fixedrange=True)


def _arrow(annotations: list, x0, y0, x1, y1, color="#555", width=1.4) -> None:
    annotations.append(dict(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                            showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=width, arrowcolor=color))


def _text(annotations: list, x, y, text, size=11, color="#222", **kw) -> None:
    annotations.append(dict(x=x, y=y, text=text, showarrow=False, font=dict(size=size, color=color), **kw))


def _box(shapes: list, x, y, w, h, fill=CELL_FILL, color="#555", width=1.5) -> None:
    shapes.append(dict(type="rect", x0=x - w / 2, x1=x + w / 2, y0=y - h / 2, y1=y + h / 2,
                       line=dict(color=color, width=width), fillcolor=fill))


def stack_tower_figure(num_layers: int, num_directions: int, layer: int, direction: int, *, title: str = "",
                       input_label: str = "x", output_label: str = "output",
                       direction_labels: Sequence[str] = ("→", "←"), height: int = 360) -> go.Figure:
    """Layers bottom (0) to top, one column per direction; the drawn cell (layer, direction) is filled and its
    input arrows are bold: from x_t for layer 0, from every direction of layer − 1 above that."""
    shapes, annotations = [], []
    columns = [0.0] if num_directions == 1 else [-0.75, 0.75]
    width, box_h = (1.3 if num_directions == 1 else 1.1), 0.56
    y_of = lambda l: 1.0 + l  # noqa: E731 - layer l's row
    _text(annotations, 0.0, 0.0, input_label, size=12)
    for l in range(num_layers):
        for d, cx in enumerate(columns):
            drawn = (l, d) == (layer, direction)
            color = FORWARD_COLOR if d == 0 else REVERSE_COLOR
            _box(shapes, cx, y_of(l), width, box_h, fill=DRAWN_FILL if drawn else CELL_FILL,
                 color=color, width=3 if drawn else 1.3)
            name = f"<b>{l}</b>" if drawn else str(l)
            suffix = f" {direction_labels[d]}" if num_directions > 1 else ""
            _text(annotations, cx, y_of(l), f"L{name}{suffix}", size=12 if drawn else 11)
            # inputs: x_t for layer 0, every direction of the layer below for the others
            sources = [(0.0, 0.2)] if l == 0 else [(sx, y_of(l - 1) + box_h / 2) for sx in columns]
            for sx, sy in sources:
                feeds_drawn = drawn
                _arrow(annotations, sx, sy, cx, y_of(l) - box_h / 2, color="#111" if feeds_drawn else "#bbb",
                       width=2.4 if feeds_drawn else 1.0)
    top = y_of(num_layers - 1) + box_h / 2
    for cx in columns:
        _arrow(annotations, cx, top, 0.0, top + 0.45, color="#bbb", width=1.0)
    _text(annotations, 0.0, top + 0.62, output_label, size=12)
    return go.Figure(layout=dict(
        title=dict(text=title, x=0.02, font=dict(size=13)), height=height,
        margin=dict(l=4, r=4, t=36 if title else 6, b=6), shapes=shapes, annotations=annotations,
        xaxis=dict(_NO_AXES, range=[-1.6, 1.6]), yaxis=dict(_NO_AXES, range=[-0.35, num_layers + 0.95]),
        plot_bgcolor="#fff", showlegend=False,
    ))


def bidirectional_states_figure(forward_h: np.ndarray, reverse_h: np.ndarray, unit: int, *,
                                row_names: Sequence[str] = ("h→", "h←", "[h→ | h←]"), title: str = "",
                                unit_label: str = "unit", cap: int = 32, height: int = 230) -> go.Figure:
    """Three rows at one position: h→ (H,) on the left half, h← (H,) on the right half, and the output row
    holding both: the concatenation [h→ | h←] (2H,). At most ``cap`` units per direction around ``unit``; the
    signed colour scale spans ± the largest |value| shown."""
    hidden = len(forward_h)
    start = int(np.clip(unit - cap // 2, 0, max(hidden - cap, 0)))
    stop = min(hidden, start + cap)
    n = stop - start
    units = as_i32(np.arange(start, stop))
    data = []
    left = np.arange(n, dtype=np.float32)
    right = left + n + 1                                    # one empty column between the halves
    rows = [(2, left, forward_h, row_names[0]), (1, right, reverse_h, row_names[1]),
            (0, left, forward_h, row_names[2]), (0, right, reverse_h, row_names[2])]
    for y, xs, values, name in rows:
        data.append(go.Heatmap(
            z=as_f32(np.asarray(values)[start:stop]).reshape(1, -1), x=xs, y=[y], customdata=units.reshape(1, -1),
            coloraxis="coloraxis", xgap=1, ygap=4, name=name,
            hovertemplate=f"{name}<br>{unit_label} %{{customdata}}: %{{z:.4f}}<extra></extra>",
        ))
    shapes = [dict(type="rect", x0=x - 0.5, x1=x + 0.5, y0=-0.5, y1=2.5, line=dict(color="#000", width=2))
              for x in ((unit - start), (unit - start) + n + 1) if 0 <= unit - start < n]
    shapes.append(dict(type="line", x0=n, x1=n, y0=-0.5, y1=0.5, line=dict(color="#000", width=2)))
    tick_x = [float(n // 2), float(n + 1 + n // 2)]
    limit = symmetric_limit(np.concatenate([np.asarray(forward_h)[start:stop], np.asarray(reverse_h)[start:stop]]),
                            None)   # the colours span the values shown (small states stay visible)
    return go.Figure(data=data, layout=dict(
        title=dict(text=title, x=0.01, font=dict(size=14)), height=height,
        margin=dict(l=10, r=10, t=36 if title else 8, b=30), shapes=shapes,
        yaxis=dict(tickmode="array", tickvals=[2, 1, 0], ticktext=list(row_names), fixedrange=True),
        xaxis=dict(tickmode="array", tickvals=tick_x,
                   ticktext=[f"{unit_label} {start}–{stop - 1} →", f"{unit_label} {start}–{stop - 1} ←"],
                   fixedrange=True, zeroline=False, showgrid=False),
        coloraxis=dict(colorscale=SIGNED_COLORSCALE, cmid=0.0, cmin=-limit, cmax=limit,
                       colorbar=dict(thickness=10, len=0.9)),
        plot_bgcolor="#fff", showlegend=False,
    ))


def layer_overview_figure(rows: Sequence[tuple[str, np.ndarray]], token_labels: Sequence[str],
                          steps: np.ndarray, *, title: str = "", value_name: str = "mean |h|",
                          token_name: str = "token", height: int | None = None) -> go.Figure:
    """One thin row per (layer, direction): ``rows`` = [(label, values (W,))] over the positions ``steps``
    (W,); the top layer first. Tokens on x = arange with their labels. Shades from white (0) to black (the
    largest value of all rows), so the rows compare with each other."""
    z = as_f32(np.stack([np.asarray(values) for _, values in rows])) if rows else np.zeros((0, 0), np.float32)
    labels = [label for label, _ in rows]
    steps = as_i32(steps)
    tickvals, ticktext = token_ticks(steps, list(token_labels))
    fig = go.Figure(go.Heatmap(
        z=z, x=steps, y=as_i32(np.arange(len(rows))), colorscale="Greys", zmin=0.0,
        zmax=float(z.max()) if z.size and float(z.max()) > 0 else 1.0,   # the strongest row sets the scale
        customdata=np.asarray(list(token_labels), dtype=object).reshape(1, -1).repeat(len(rows), axis=0),
        hovertemplate=f"%{{text}}<br>{token_name} %{{x}} %{{customdata}}<br>{value_name} = %{{z:.3f}}<extra></extra>",
        text=np.asarray(labels, dtype=object).reshape(-1, 1).repeat(len(steps), axis=1),
        colorbar=dict(thickness=10, title=dict(text=value_name)), ygap=2,
    ))
    fig.update_layout(
        title=dict(text=title, x=0.01, font=dict(size=14)), height=height or (60 + 26 * max(len(rows), 1)),
        margin=dict(l=10, r=10, t=34 if title else 6, b=40),
        yaxis=dict(tickmode="array", tickvals=as_i32(np.arange(len(rows))), ticktext=labels, fixedrange=True,
                   autorange="reversed"),
        xaxis=dict(tickmode="array", tickvals=tickvals, ticktext=ticktext, fixedrange=True),
        plot_bgcolor="#fff",
    )
    return fig


def unrolled_stack_figure(num_layers: int = 3, steps: int = 4, *, title: str = "", x_label: str = "x",
                          height: int = 330) -> go.Figure:
    """A stack unrolled in time: a grid of cells (layer l, step t), recurrent arrows to the right, layer arrows up."""
    shapes, annotations = [], []
    for t in range(steps):
        _text(annotations, 2.0 * t, -0.15, f"{x_label}<sub>{t}</sub>", size=12)
        for l in range(num_layers):
            _box(shapes, 2.0 * t, 1.0 + l, 1.1, 0.55, color=FORWARD_COLOR)
            _text(annotations, 2.0 * t, 1.0 + l, f"h<sup>({l})</sup><sub>{t}</sub>", size=12)
            _arrow(annotations, 2.0 * t, 0.05 if l == 0 else l + 0.27, 2.0 * t, 1.0 + l - 0.28)
            if t + 1 < steps:
                _arrow(annotations, 2.0 * t + 0.55, 1.0 + l, 2.0 * t + 1.45, 1.0 + l, color=FORWARD_COLOR)
        _arrow(annotations, 2.0 * t, num_layers + 0.27, 2.0 * t, num_layers + 0.62)
        _text(annotations, 2.0 * t, num_layers + 0.78, f"y<sub>{t}</sub>", size=12)
    for l in range(num_layers):
        _text(annotations, -1.25, 1.0 + l, f"layer {l}", size=11, color="#666")
    return go.Figure(layout=dict(
        title=dict(text=title, x=0.01, font=dict(size=14)), height=height,
        margin=dict(l=6, r=6, t=36 if title else 6, b=6), shapes=shapes, annotations=annotations,
        xaxis=dict(_NO_AXES, range=[-1.9, 2.0 * steps - 1.0]), yaxis=dict(_NO_AXES, range=[-0.5, num_layers + 1.0]),
        plot_bgcolor="#fff", showlegend=False,
    ))


def unrolled_bidirectional_figure(steps: int = 4, *, title: str = "", x_label: str = "x",
                                  height: int = 330) -> go.Figure:
    """A bidirectional layer unrolled in time: forward cells (arrows right), reverse cells (arrows left), both
    feeding the output y_t = [h→_t | h←_t]."""
    shapes, annotations = [], []
    for t in range(steps):
        x = 2.0 * t
        _text(annotations, x, -0.15, f"{x_label}<sub>{t}</sub>", size=12)
        _box(shapes, x, 1.0, 1.1, 0.5, color=FORWARD_COLOR)
        _text(annotations, x, 1.0, f"h→<sub>{t}</sub>", size=12, color=FORWARD_COLOR)
        _box(shapes, x, 2.0, 1.1, 0.5, color=REVERSE_COLOR)
        _text(annotations, x, 2.0, f"h←<sub>{t}</sub>", size=12, color=REVERSE_COLOR)
        _arrow(annotations, x, 0.05, x, 0.74)
        # x_t also reaches the reverse cell, and h→_t the output: both routed in the gaps between the cells
        shapes.append(dict(type="path", path=f"M {x - 0.15},0.1 L {x - 0.75},0.45 L {x - 0.75},1.55",
                           line=dict(color="#999", width=1.0)))
        _arrow(annotations, x - 0.75, 1.55, x - 0.35, 1.74, color="#999", width=1.0)
        if t + 1 < steps:
            _arrow(annotations, x + 0.55, 1.0, x + 1.45, 1.0, color=FORWARD_COLOR)
            _arrow(annotations, x + 1.45, 2.0, x + 0.55, 2.0, color=REVERSE_COLOR)
        shapes.append(dict(type="path", path=f"M {x + 0.3},1.25 L {x + 0.75},1.5 L {x + 0.75},2.55",
                           line=dict(color=FORWARD_COLOR, width=1.0)))
        _arrow(annotations, x + 0.75, 2.55, x + 0.35, 2.94, color=FORWARD_COLOR, width=1.0)
        _arrow(annotations, x, 2.25, x, 2.93)
        _box(shapes, x, 3.2, 1.4, 0.5, fill="#f3f3f3", color="#555")
        _text(annotations, x, 3.2, f"[h→<sub>{t}</sub> | h←<sub>{t}</sub>]", size=11)
    return go.Figure(layout=dict(
        title=dict(text=title, x=0.01, font=dict(size=14)), height=height,
        margin=dict(l=6, r=6, t=36 if title else 6, b=6), shapes=shapes, annotations=annotations,
        xaxis=dict(_NO_AXES, range=[-1.0, 2.0 * steps - 1.0]), yaxis=dict(_NO_AXES, range=[-0.5, 3.7]),
        plot_bgcolor="#fff", showlegend=False,
    ))
