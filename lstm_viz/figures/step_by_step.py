"""Figures of the Step by step page: the recurrent cell at one time step.

* :func:`lstm_cell_figure` draws the LSTM cell (conveyor belt c on top, gates f, i, g, o, the ⊗ / ⊕ nodes)
  with the live vectors as small colour strips and the chosen unit's values as labels;
* :func:`state_strips_figure` draws any named vectors as strips (GRU, RNN, or a plain overview).

The numbers come from the engine (``model.step_numbers(trace, t)``); these functions only index and draw
them. Colours follow :mod:`lstm_viz.figures._style`: gates on Viridis 0..1, signed values on RdBu around 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ._style import GATE_COLORSCALE, GATE_QUANTITIES, SIGNED_COLORSCALE, as_f32, as_i32

MAX_STRIP_UNITS = 64


def strip_window(hidden: int, unit: int, cap: int = MAX_STRIP_UNITS) -> tuple[int, int]:
    """[start, stop) of at most ``cap`` units containing ``unit`` (the strips shown for large H)."""
    if hidden <= cap:
        return 0, hidden
    start = int(np.clip(unit - cap // 2, 0, hidden - cap))
    return start, start + cap


# ---- LSTM cell drawing -----------------------------------------------------------------------------------------

# Layout in data coordinates: x 0..16, y -1.4..10. Belt (c) at y=8.2, hidden path at y=1.6.
_BELT_Y = 8.2
_GATE_Y = 5.0
_GATES_X = {"f": 4.4, "i": 6.6, "g": 8.6, "o": 10.8}
_MUL_F = (4.4, _BELT_Y)
_ADD = (8.6, _BELT_Y)
_MUL_IG = (7.6, 6.9)
_TANH_C = (12.4, 6.9)
_MUL_O = (12.4, 5.0)
_BOX = (2.4, 13.4)
_STRIP_W = 1.8
_STRIP_H = 0.32


@dataclass(frozen=True)
class CellLabels:
    """Translated names drawn in the cell figure."""

    title: str = ""
    forget: str = "forget gate"
    input: str = "input gate"
    candidate: str = "candidate"
    output: str = "output gate"
    belt: str = "cell state (conveyor belt)"
    gates_colorbar: str = "gate"
    signed_colorbar: str = "value"
    unit: str = "unit"
    strips_note: str = ""
    peephole: str = "peephole"


class _FigureBuilder:
    """Collects traces, shapes and annotations as plain dicts and validates them once in :meth:`figure`
    (plotly's add_shape / add_annotation re-validate every earlier item: quadratic, ~10 ms each here)."""

    def __init__(self):
        self.data: list = []
        self.shapes: list[dict] = []
        self.annotations: list[dict] = []

    def add_trace(self, trace) -> None:
        self.data.append(trace)

    def add_shape(self, **shape) -> None:
        self.shapes.append(shape)

    def add_annotation(self, **annotation) -> None:
        self.annotations.append(annotation)

    def figure(self, **layout) -> go.Figure:
        return go.Figure(data=self.data, layout={**layout, "shapes": self.shapes, "annotations": self.annotations})


def _strip(fig, values: np.ndarray, x0: float, y0: float, width: float, height: float, name: str,
           signed: bool, first_unit: int, unit_label: str, highlight: int | None = None) -> None:
    """One colour strip: values (n,) as a 1×n heatmap filling [x0, x0+width] × [y0, y0+height];
    ``highlight`` (a unit number) is outlined."""
    values = as_f32(values).reshape(1, -1)  # (1, n)
    n = values.shape[1]
    dx = width / max(n, 1)
    units = as_i32(np.arange(first_unit, first_unit + n)).reshape(1, -1)
    fig.add_trace(go.Heatmap(
        z=values, x0=x0 + dx / 2, dx=dx, y0=y0 + height / 2, dy=height,
        coloraxis="coloraxis2" if signed else "coloraxis", customdata=units, name=name,
        hovertemplate=f"{name}[%{{customdata}}] = %{{z:.4f}}<extra></extra>", xgap=0.5,
    ))
    fig.add_shape(type="rect", x0=x0, x1=x0 + width, y0=y0, y1=y0 + height, line=dict(color="#444", width=0.8))
    if highlight is not None and 0 <= highlight - first_unit < n:
        left = x0 + (highlight - first_unit) * dx
        fig.add_shape(type="rect", x0=left, x1=left + dx, y0=y0 - 0.06, y1=y0 + height + 0.06,
                      line=dict(color="#000", width=2))


def lstm_cell_figure(numbers, unit: int, labels: CellLabels = CellLabels(), cap: int = MAX_STRIP_UNITS,
                     height: int = 560, peephole_terms: dict[str, float] | None = None) -> go.Figure:
    """The LSTM cell at step t: belt, gates, ⊗/⊕ nodes, live strips (≤ cap units) and ``unit``'s values.

    ``peephole_terms`` (a peephole LSTM): also draw the peephole connections (dashed, from the belt): c_{t-1}
    into the forget and input gates, c_t into the output gate, labelled with the unit's terms
    {"i": w_ci·c_{t-1}, "f": w_cf·c_{t-1}, "o": w_co·c_t} (from lstm_viz.analysis.step_terms).

    numbers: the engine's :class:`lstm_viz.nn.StepNumbers` of an LSTM step (``model.step_numbers(trace, t)``);
    only its ``vectors`` are drawn: x (I,), h_prev, c_prev, i, f, g, o, c, h (H,) each.
    """
    v = numbers.vectors
    u = {name: float(vector[unit]) for name, vector in v.items() if name != "x"}  # the unit's scalars
    H = len(v["h"])
    start, stop = strip_window(H, unit, cap)
    sl = slice(start, stop)
    fig = _FigureBuilder()
    line = dict(color="#333", width=2)

    def arrow(x0, y0, x1, y1, color="#333"):
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                           showarrow=True, arrowhead=2, arrowsize=1.1, arrowwidth=1.6, arrowcolor=color)

    def node(xy, symbol):
        fig.add_shape(type="circle", x0=xy[0] - 0.32, x1=xy[0] + 0.32, y0=xy[1] - 0.32, y1=xy[1] + 0.32,
                      line=dict(color="#333", width=1.5), fillcolor="#fff")
        fig.add_annotation(x=xy[0], y=xy[1], text=symbol, showarrow=False, font=dict(size=16))

    def label(x, y, text, size=12, color="#222", **kw):
        fig.add_annotation(x=x, y=y, text=text, showarrow=False, font=dict(size=size, color=color),
                           bgcolor="rgba(255,255,255,0.85)", borderpad=1, **kw)

    # cell body
    fig.add_shape(type="rect", x0=_BOX[0], x1=_BOX[1], y0=0.4, y1=9.2, line=dict(color="#888", width=1.5),
                  fillcolor="rgba(240,240,240,0.5)", layer="below")
    # belt c_{t-1} -> ⊗ f -> ⊕ i·g -> c_t
    fig.add_shape(type="line", x0=1.0, y0=_BELT_Y, x1=15.0, y1=_BELT_Y, line=dict(color="#D55E00", width=4),
                  layer="below")
    label(7.9, 9.6, labels.belt, size=12, color="#D55E00")
    node(_MUL_F, "×")
    node(_ADD, "+")
    # hidden path: h_{t-1} and x_t merge, feed the four gates
    fig.add_shape(type="line", x0=1.0, y0=1.6, x1=_GATES_X["o"], y1=1.6, line=line, layer="below")
    fig.add_shape(type="line", x0=3.2, y0=-0.35, x1=3.2, y1=1.6, line=line, layer="below")
    gate_text = {"f": ("σ", labels.forget), "i": ("σ", labels.input), "g": ("tanh", labels.candidate),
                 "o": ("σ", labels.output)}
    for name, gx in _GATES_X.items():
        fig.add_shape(type="line", x0=gx, y0=1.6, x1=gx, y1=_GATE_Y - 0.45, line=line, layer="below")
        fig.add_shape(type="rect", x0=gx - 0.55, x1=gx + 0.55, y0=_GATE_Y - 0.45, y1=_GATE_Y + 0.45,
                      line=dict(color="#0072B2" if name != "g" else "#009E73", width=2), fillcolor="#fff")
        fig.add_annotation(x=gx, y=_GATE_Y, text=f"<b>{gate_text[name][0]}</b>", showarrow=False,
                           font=dict(size=13))
        label(gx, _GATE_Y - 0.75, gate_text[name][1], size=10, color="#555")
    # gate outputs to the nodes
    arrow(_GATES_X["f"], _GATE_Y + 0.45, _MUL_F[0], _MUL_F[1] - 0.34)
    node(_MUL_IG, "×")
    arrow(_GATES_X["i"], _GATE_Y + 0.45, _MUL_IG[0] - 0.25, _MUL_IG[1] - 0.25)
    arrow(_GATES_X["g"], _GATE_Y + 0.45, _MUL_IG[0] + 0.25, _MUL_IG[1] - 0.25)
    arrow(_MUL_IG[0], _MUL_IG[1] + 0.32, _ADD[0] - 0.2, _ADD[1] - 0.28)
    # output: tanh(c_t) ⊗ o -> h_t
    fig.add_shape(type="line", x0=_TANH_C[0], y0=_BELT_Y, x1=_TANH_C[0], y1=_TANH_C[1] + 0.35, line=line)
    fig.add_shape(type="rect", x0=_TANH_C[0] - 0.5, x1=_TANH_C[0] + 0.5, y0=_TANH_C[1] - 0.35,
                  y1=_TANH_C[1] + 0.35, line=dict(color="#009E73", width=2), fillcolor="#fff")
    fig.add_annotation(x=_TANH_C[0], y=_TANH_C[1], text="<b>tanh</b>", showarrow=False, font=dict(size=12))
    node(_MUL_O, "×")
    arrow(_TANH_C[0], _TANH_C[1] - 0.35, _MUL_O[0], _MUL_O[1] + 0.34)
    arrow(_GATES_X["o"] + 0.55, _GATE_Y, _MUL_O[0] - 0.34, _MUL_O[1])
    fig.add_shape(type="line", x0=_MUL_O[0], y0=_MUL_O[1] - 0.34, x1=_MUL_O[0], y1=1.0, line=line)
    arrow(_MUL_O[0], 1.0, 15.6, 1.0)

    if peephole_terms is not None:
        _peephole_connections(fig, peephole_terms, labels.peephole, arrow, label)

    # live strips (units start..stop) and the chosen unit's scalar values
    w, sh = _STRIP_W, _STRIP_H
    low_y = 2.55
    strips = [
        # name, vector, x0, y0, signed, label text
        ("c_prev", v["c_prev"][sl], 0.1, _BELT_Y + 0.35, True, f"c<sub>t−1</sub> = {u['c_prev']:.3f}"),
        ("c", v["c"][sl], 13.9, _BELT_Y + 0.35, True, f"c<sub>t</sub> = {u['c']:.3f}"),
        ("h_prev", v["h_prev"][sl], 0.1, 1.95, True, f"h<sub>t−1</sub> = {u['h_prev']:.3f}"),
        ("h", v["h"][sl], 13.9, 1.35, True, f"h<sub>t</sub> = {u['h']:.3f}"),
        ("f", v["f"][sl], _GATES_X["f"] + 0.3, 6.0, False, f"f = {u['f']:.3f}"),
        ("i", v["i"][sl], _GATES_X["i"] - w / 2, low_y, False, f"i = {u['i']:.3f}"),
        ("g", v["g"][sl], _GATES_X["g"] - w / 2, low_y, True, f"g = {u['g']:.3f}"),
        ("o", v["o"][sl], _GATES_X["o"] - w / 2, low_y, False, f"o = {u['o']:.3f}"),
    ]
    for name, values, x0, y0, signed, text in strips:
        _strip(fig, values, x0, y0, w, sh, name, signed, start, labels.unit, highlight=unit)
        label(x0 + w / 2, y0 + sh + 0.3, text, size=12)
    # x_t (input size I, not the unit window)
    _strip(fig, v["x"][:cap], 3.2 - w / 2, -0.75, w, sh, "x", True, 0, labels.unit)
    label(3.2 + w / 2 + 0.45, -0.6, "x<sub>t</sub>", size=12)

    if labels.strips_note:
        fig.add_annotation(x=0.0, y=-1.05, xref="x", yref="y", xanchor="left", text=labels.strips_note,
                           showarrow=False, font=dict(size=10, color="#666"))
    return fig.figure(
        title=dict(text=labels.title, x=0.01, font=dict(size=15)),
        height=height, margin=dict(l=10, r=10, t=40 if labels.title else 10, b=10),
        xaxis=dict(visible=False, range=[-0.1, 15.9], fixedrange=True),
        yaxis=dict(visible=False, range=[-1.1, 10.0], fixedrange=True),
        coloraxis=dict(colorscale=GATE_COLORSCALE, cmin=0.0, cmax=1.0,
                       colorbar=dict(title=dict(text=labels.gates_colorbar), x=1.0, len=0.45, y=0.78,
                                     thickness=12)),
        coloraxis2=dict(colorscale=SIGNED_COLORSCALE, cmid=0.0, cmin=-1.0, cmax=1.0,
                        colorbar=dict(title=dict(text=labels.signed_colorbar), x=1.0, len=0.45, y=0.24,
                                      thickness=12)),
        plot_bgcolor="#fff", showlegend=False,
    )


_PEEP_COLOR = "#D55E00"


def _peephole_connections(fig, terms: dict[str, float], name: str, arrow, label) -> None:
    """Dashed belt -> gate lines: c_{t-1} into f and i (left), c_t into o (right), with the unit's w·c terms."""
    dash = dict(color=_PEEP_COLOR, width=1.6, dash="dash")
    # c_{t-1} from the belt's left end down to y = 5.7, across to the f and i gate tops
    fig.add_shape(type="line", x0=3.0, y0=_BELT_Y, x1=3.0, y1=5.75, line=dash)
    fig.add_shape(type="line", x0=3.0, y0=5.75, x1=_GATES_X["i"] - 0.25, y1=5.75, line=dash)
    arrow(_GATES_X["f"] - 0.25, 5.75, _GATES_X["f"] - 0.25, _GATE_Y + 0.47, color=_PEEP_COLOR)
    arrow(_GATES_X["i"] - 0.25, 5.75, _GATES_X["i"] - 0.25, _GATE_Y + 0.47, color=_PEEP_COLOR)
    label(2.45, 6.6, f"{name}<br>w<sub>cf</sub>c = {terms['f']:.3f}<br>w<sub>ci</sub>c = {terms['i']:.3f}",
          size=10, color=_PEEP_COLOR)
    # c_t from the belt's right part down to y = 5.75, across to the o gate top
    fig.add_shape(type="line", x0=13.3, y0=_BELT_Y, x1=13.3, y1=5.75, line=dash)
    fig.add_shape(type="line", x0=13.3, y0=5.75, x1=_GATES_X["o"] + 0.25, y1=5.75, line=dash)
    arrow(_GATES_X["o"] + 0.25, 5.75, _GATES_X["o"] + 0.25, _GATE_Y + 0.47, color=_PEEP_COLOR)
    label(14.35, 6.6, f"{name}<br>w<sub>co</sub>c<sub>t</sub> = {terms['o']:.3f}", size=10, color=_PEEP_COLOR)


# ---- generic strips (GRU, RNN) -------------------------------------------------------------------------------

def state_strips_figure(vectors: dict[str, np.ndarray], names: dict[str, str], unit: int,
                        cap: int = MAX_STRIP_UNITS, title: str = "", unit_label: str = "unit",
                        height: int | None = None) -> go.Figure:
    """One labelled strip per vector (rows), at most ``cap`` columns around ``unit``; gates 0..1, others signed.

    vectors: name -> (n,); names: name -> row label (translated, may contain the unit's value).
    """
    order = list(vectors)
    fig = go.Figure()
    n_rows = len(order)
    for k, name in enumerate(order):
        vector = np.asarray(vectors[name])
        start, stop = strip_window(len(vector), unit if name != "x" else 0, cap)
        values = as_f32(vector[start:stop]).reshape(1, -1)   # (1, n)
        y = n_rows - 1 - k
        fig.add_trace(go.Heatmap(
            z=values, x0=start, dx=1, y0=y, dy=1,
            coloraxis="coloraxis" if name in GATE_QUANTITIES else "coloraxis2", name=name,
            hovertemplate=f"{names.get(name, name)}<br>{unit_label} %{{x}}: %{{z:.4f}}<extra></extra>", xgap=1,
        ))
    fig.update_layout(
        title=dict(text=title, x=0.01, font=dict(size=15)),
        height=height or (70 + 46 * n_rows), margin=dict(l=10, r=10, t=40 if title else 10, b=30),
        yaxis=dict(tickmode="array", tickvals=as_i32(np.arange(n_rows)),
                   ticktext=[names.get(name, name) for name in reversed(order)], fixedrange=True),
        xaxis=dict(title=dict(text=unit_label), fixedrange=True),
        coloraxis=dict(colorscale=GATE_COLORSCALE, cmin=0.0, cmax=1.0,
                       colorbar=dict(len=0.5, y=0.75, thickness=12)),
        coloraxis2=dict(colorscale=SIGNED_COLORSCALE, cmid=0.0, cmin=-1.0, cmax=1.0,
                        colorbar=dict(len=0.5, y=0.25, thickness=12)),
        plot_bgcolor="#fff", showlegend=False,
    )
    fig.add_vline(x=unit, line=dict(color="#000", width=1, dash="dot"))
    return fig
