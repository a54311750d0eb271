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

from ._style import GATE_COLORSCALE, GATE_QUANTITIES, SIGNED_COLORSCALE, as_f32, as_i32, escape_label, label_width_px

MAX_STRIP_UNITS = 64


def strip_window(hidden: int, unit: int, cap: int = MAX_STRIP_UNITS) -> tuple[int, int]:
    """[start, stop) of at most ``cap`` units containing ``unit`` (the strips shown for large H)."""
    if hidden <= cap:
        return 0, hidden
    start = int(np.clip(unit - cap // 2, 0, hidden - cap))
    return start, start + cap


# ---- LSTM cell drawing -----------------------------------------------------------------------------------------

#: Text sizes (px) of the drawing at ``scale=1``: labels at least 14 px (legible at 1280 and on a projector).
LABEL_PX, SYMBOL_PX, SMALL_PX = 14, 18, 14


@dataclass(frozen=True)
class CellGeometry:
    """Where the parts of the cell go, in data coordinates (x 0..width, y 0..height).

    gates: name -> centre of its box; each gate's name, value and strip sit in the column under
    (``wide``) or beside (``stacked``) the box. strips: name -> (x0, y0, label anchor "above"/"left").
    """

    width: float
    height: float
    gates: dict
    box: tuple            # (half width, half height) of a gate box
    mul_f: tuple
    add: tuple
    mul_ig: tuple
    tanh_c: tuple
    mul_o: tuple
    strip_w: float
    strip_h: float
    strips: dict           # name -> (x0, y0): lower-left corner of the strip
    lines: tuple           # plain connector polylines [(x, y), ...]
    arrows: tuple          # (x0, y0, x1, y1)
    belt: tuple            # belt polyline [(x, y), ...]
    gate_text_side: str    # "below" (wide) or "right" (stacked)
    body: tuple            # (x0, y0, x1, y1) of the cell body


def _wide_geometry() -> CellGeometry:
    """Landscape (≥ ~700 px wide): belt along the top, the four gates in a row, inputs along the bottom."""
    gx = {"f": 4.6, "i": 8.2, "g": 11.8, "o": 15.4}
    gy, belt_y, hid_y = 6.0, 10.6, 1.3
    mul_f, add, mul_ig = (gx["f"], belt_y), (10.0, belt_y), (10.0, 8.6)
    tanh_c, mul_o = (18.0, 8.4), (18.0, gy)
    bw, bh = 0.85, 0.5
    lines = (
        [(0.4, hid_y), (gx["o"], hid_y)],                     # h_{t-1} ⊕ x_t bus under the gates
        [(2.6, -0.2), (2.6, hid_y)],                          # x_t joins the bus
        *[[(x, hid_y), (x, gy - bh)] for x in gx.values()],   # the bus into every gate
        [(tanh_c[0], belt_y), (tanh_c[0], tanh_c[1] + 0.4)],  # c_t down into tanh
        [(mul_o[0], mul_o[1] - 0.35), (mul_o[0], 0.5)],       # tanh(c)·o down to the h_t line
    )
    arrows = (
        (gx["f"], gy + bh, mul_f[0], mul_f[1] - 0.36),
        (gx["i"], gy + bh, mul_ig[0] - 0.28, mul_ig[1] - 0.26),
        (gx["g"], gy + bh, mul_ig[0] + 0.28, mul_ig[1] - 0.26),
        (mul_ig[0], mul_ig[1] + 0.36, add[0], add[1] - 0.36),
        (tanh_c[0], tanh_c[1] - 0.4, mul_o[0], mul_o[1] + 0.36),
        (gx["o"] + bw, gy, mul_o[0] - 0.36, mul_o[1]),
        (mul_o[0], 0.5, 20.6, 0.5),
    )
    strips = {"c_prev": (0.2, belt_y + 0.35), "c": (18.3, belt_y + 0.35), "h_prev": (0.2, hid_y + 0.35),
              "h": (18.3, 0.85), "x": (0.2, -0.75)}
    for name, x in gx.items():
        strips[name] = (x - 1.2, gy - bh - 2.7)      # under the name and the value
    return CellGeometry(width=21.0, height=12.6, gates={k: (x, gy) for k, x in gx.items()}, box=(bw, bh),
                        mul_f=mul_f, add=add, mul_ig=mul_ig, tanh_c=tanh_c, mul_o=mul_o, strip_w=2.4, strip_h=0.36,
                        strips=strips, lines=lines, arrows=arrows, belt=((0.2, belt_y), (20.8, belt_y)),
                        gate_text_side="below", body=(2.0, 0.1, 19.6, 11.4))


def _stacked_geometry() -> CellGeometry:
    """Portrait (a phone): the belt runs down the left, the gates are rows with their name, value and strip
    to the right of each box; h_{t-1} ⊕ x_t come down a bus beside the boxes."""
    gx, belt_x, bus_x = 3.4, 1.1, 2.3
    gy = {"f": 19.4, "i": 16.2, "g": 13.0, "o": 7.0}
    mul_f, add, mul_ig = (belt_x, gy["f"]), (belt_x, 14.6), (2.0, 14.6)
    tanh_c, mul_o = (belt_x, 8.8), (belt_x, gy["o"])
    bw, bh = 0.7, 0.55
    lines = (
        [(4.6, 24.32), (bus_x, 24.32), (bus_x, gy["o"] + 1.2), (gx, gy["o"] + 1.2), (gx, gy["o"] + bh)],  # inputs
        [(4.6, 22.82), (bus_x, 22.82)],                                                    # x_t joins the bus
        *[[(bus_x, y + 1.2), (gx, y + 1.2), (gx, y + bh)] for name, y in gy.items() if name != "o"],
        [(belt_x, 10.25), (2.7, 10.25)],                                                  # c_t read out
        [(belt_x, 11.0), (belt_x, tanh_c[1] + 0.4)],                                      # c_t into tanh
        [(mul_o[0], mul_o[1] - 0.36), (mul_o[0], 4.7)],                                   # down to h_t
    )
    arrows = (
        (gx - bw, gy["f"], mul_f[0] + 0.36, mul_f[1]),
        (gx - bw, gy["i"], mul_ig[0] + 0.2, mul_ig[1] + 0.3),
        (gx - bw, gy["g"], mul_ig[0] + 0.2, mul_ig[1] - 0.3),
        (mul_ig[0] - 0.36, mul_ig[1], add[0] + 0.36, add[1]),
        (tanh_c[0], tanh_c[1] - 0.4, mul_o[0], mul_o[1] + 0.36),
        (gx - bw, gy["o"], mul_o[0] + 0.36, mul_o[1]),
        (mul_o[0], 4.7, mul_o[0], 3.9),
    )
    strips = {"h_prev": (4.6, 24.1), "x": (4.6, 22.6), "c_prev": (0.2, 24.1), "c": (2.7, 10.03),
              "h": (0.2, 2.6)}
    for name, y in gy.items():
        strips[name] = (gx + bw + 0.4, y - 1.05)
    return CellGeometry(width=10.0, height=26.0, gates={k: (gx, y) for k, y in gy.items()}, box=(bw, bh),
                        mul_f=mul_f, add=add, mul_ig=mul_ig, tanh_c=tanh_c, mul_o=mul_o, strip_w=4.8, strip_h=0.45,
                        strips=strips, lines=lines, arrows=arrows, belt=((belt_x, 23.9), (belt_x, 10.25)),
                        gate_text_side="right", body=(0.05, 4.3, 9.95, 21.9))


GEOMETRIES = {"wide": _wide_geometry, "stacked": _stacked_geometry}


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
        fig.add_shape(type="rect", x0=left, x1=left + dx, y0=y0 - 0.08, y1=y0 + height + 0.08,
                      line=dict(color="#000", width=2))


#: What each part computes (math, the same in every language); the unit's value is added below it.
_EXPLAIN = {
    "f": "f<sub>t</sub> = σ(W<sub>if</sub>x<sub>t</sub> + W<sub>hf</sub>h<sub>t−1</sub> + b<sub>f</sub>)"
         "<br>× c<sub>t−1</sub>: the share of the old cell state kept",
    "i": "i<sub>t</sub> = σ(W<sub>ii</sub>x<sub>t</sub> + W<sub>hi</sub>h<sub>t−1</sub> + b<sub>i</sub>)"
         "<br>× g<sub>t</sub>: how much of the candidate is written",
    "g": "g<sub>t</sub> = tanh(W<sub>ig</sub>x<sub>t</sub> + W<sub>hg</sub>h<sub>t−1</sub> + b<sub>g</sub>)"
         "<br>the new content, in (−1, 1)",
    "o": "o<sub>t</sub> = σ(W<sub>io</sub>x<sub>t</sub> + W<sub>ho</sub>h<sub>t−1</sub> + b<sub>o</sub>)"
         "<br>× tanh(c<sub>t</sub>): how much of the cell is shown",
    "add": "c<sub>t</sub> = f<sub>t</sub> ⊙ c<sub>t−1</sub> + i<sub>t</sub> ⊙ g<sub>t</sub>",
    "tanh": "tanh(c<sub>t</sub>), then h<sub>t</sub> = o<sub>t</sub> ⊙ tanh(c<sub>t</sub>)",
}


def _gate_title(name: str, symbol: str, two_lines: bool) -> str:
    """"forget gate <b>f</b>" (the symbol added unless the translated name already ends with it); with
    ``two_lines`` the last space becomes a line break ("forget<br>gate <b>f</b>"), CJK names stay whole."""
    text = str(name).strip()
    if text.endswith(f" {symbol}") or text == symbol:
        text = text[: -len(symbol)].rstrip()
    text = escape_label(text)
    if two_lines and " " in text:
        head, tail = text.rsplit(" ", 1)
        return f"{head}<br>{tail} <b>{symbol}</b>"
    return f"{text} <b>{symbol}</b>" if text else f"<b>{symbol}</b>"


def lstm_cell_figure(numbers, unit: int, labels: CellLabels = CellLabels(), cap: int = MAX_STRIP_UNITS,
                     height: int | None = None, peephole_terms: dict[str, float] | None = None,
                     layout: str = "wide", scale: float = 1.0) -> go.Figure:
    """The LSTM cell at step t: belt, gates, ⊗/⊕ nodes, live strips (≤ cap units) and ``unit``'s values.

    layout: "wide" (landscape: belt on top, gates in a row) or "stacked" (portrait, for a phone: the belt
    down the left, one row per gate). scale: multiplies every text size (labels are 14 px at 1; a lecture
    mode may pass 1.4). Labels without their own size follow the layout font (``fig.update_layout(font_size=
    ...)`` enlarges them too). Hovering a gate box, the ⊕ node or tanh explains what it computes with the
    unit's value now.

    ``peephole_terms`` (a peephole LSTM): also draw the peephole connections (dashed, from the belt): c_{t-1}
    into the forget and input gates, c_t into the output gate, labelled with the unit's terms
    {"i": w_ci·c_{t-1}, "f": w_cf·c_{t-1}, "o": w_co·c_t} (from lstm_viz.analysis.step_terms).

    numbers: the engine's :class:`lstm_viz.nn.StepNumbers` of an LSTM step (``model.step_numbers(trace, t)``);
    only its ``vectors`` are drawn: x (I,), h_prev, c_prev, i, f, g, o, c, h (H,) each.
    """
    if layout not in GEOMETRIES:
        raise ValueError(f"layout must be one of {sorted(GEOMETRIES)}, not {layout!r}")
    geo = GEOMETRIES[layout]()
    v = numbers.vectors
    u = {name: float(vector[unit]) for name, vector in v.items() if name != "x"}  # the unit's scalars
    H = len(v["h"])
    start, stop = strip_window(H, unit, cap)
    sl = slice(start, stop)
    fig = _FigureBuilder()
    scale = float(scale)
    line = dict(color="#333", width=2)
    stacked = layout == "stacked"

    def arrow(x0, y0, x1, y1, color="#333"):
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                           showarrow=True, arrowhead=2, arrowsize=1.1, arrowwidth=1.6, arrowcolor=color)

    def node(xy, symbol):
        fig.add_shape(type="circle", x0=xy[0] - 0.34, x1=xy[0] + 0.34, y0=xy[1] - 0.34, y1=xy[1] + 0.34,
                      line=dict(color="#333", width=1.5), fillcolor="#fff")
        fig.add_annotation(x=xy[0], y=xy[1], text=symbol, showarrow=False, font=dict(size=round(SYMBOL_PX * scale)))

    def label(x, y, text, color="#222", size=None, **kw):
        # no size: the layout font decides (14 px × scale, or a lecture mode's font_size)
        font = dict(color=color) if size is None else dict(color=color, size=round(size * scale))
        fig.add_annotation(x=x, y=y, text=text, showarrow=False, font=font, bgcolor="rgba(255,255,255,0.9)",
                           borderpad=1, **kw)

    def polyline(points, **style):
        for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
            fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, layer="below", **style)

    bx0, by0, bx1, by1 = geo.body
    fig.add_shape(type="rect", x0=bx0, x1=bx1, y0=by0, y1=by1, line=dict(color="#888", width=1.5),
                  fillcolor="rgba(240,240,240,0.5)", layer="below")
    polyline(list(geo.belt), line=dict(color="#D55E00", width=4))
    for points in geo.lines:
        polyline(points, line=line)
    for x0, y0, x1, y1 in geo.arrows:
        arrow(x0, y0, x1, y1)
    node(geo.mul_f, "×")
    node(geo.add, "+")
    node(geo.mul_ig, "×")
    node(geo.mul_o, "×")
    tx, ty = geo.tanh_c
    fig.add_shape(type="rect", x0=tx - 0.8, x1=tx + 0.8, y0=ty - 0.4, y1=ty + 0.4,
                  line=dict(color="#009E73", width=2), fillcolor="#fff")
    fig.add_annotation(x=tx, y=ty, text="<b>tanh</b>", showarrow=False,
                       font=dict(size=round(LABEL_PX * scale), color="#222"))

    # the gates: box with σ / tanh, name with its symbol, the unit's value, the strip of all units
    names = {"f": labels.forget, "i": labels.input, "g": labels.candidate, "o": labels.output}
    bw, bh = geo.box
    hover_x, hover_y, hover_text = [], [], []
    for name, (gx, gy) in geo.gates.items():
        fig.add_shape(type="rect", x0=gx - bw, x1=gx + bw, y0=gy - bh, y1=gy + bh,
                      line=dict(color="#009E73" if name == "g" else "#0072B2", width=2), fillcolor="#fff")
        fig.add_annotation(x=gx, y=gy, text=f"<b>{'tanh' if name == 'g' else 'σ'}</b>", showarrow=False,
                           font=dict(size=round((LABEL_PX if name == "g" else SYMBOL_PX) * scale), color="#222"))
        sx, sy = geo.strips[name]
        title = _gate_title(names[name], name, two_lines=not stacked)
        value = f"{name} = {u[name]:.3f}"
        if stacked:
            label(sx, gy + 0.25, title, xanchor="left")
            label(sx, gy - 0.35, value, xanchor="left", color="#444")
        else:   # a narrow column (~450 px) leaves ~75 px per gate: the name takes two short lines
            label(gx, gy - bh - 0.1, title, yanchor="top")
            label(gx, gy - bh - 1.75, value, color="#444")
        hover_x.append(gx)
        hover_y.append(gy)
        hover_text.append(f"<b>{escape_label(names[name])}</b><br>{_EXPLAIN[name]}<br>{labels.unit} {unit}: "
                          f"{name} = {u[name]:.4f}")
    hover_x += [geo.add[0], tx]
    hover_y += [geo.add[1], ty]
    hover_text += [f"{_EXPLAIN['add']}<br>{labels.unit} {unit}: c<sub>t</sub> = {u['f']:.4f}·{u['c_prev']:.4f} + "
                   f"{u['i']:.4f}·{u['g']:.4f} = {u['c']:.4f}",
                   f"{_EXPLAIN['tanh']}<br>{labels.unit} {unit}: h<sub>t</sub> = {u['o']:.4f}·tanh({u['c']:.4f}) = "
                   f"{u['h']:.4f}"]
    # invisible markers over the boxes carry the explanations (hover anywhere on a box)
    fig.add_trace(go.Scatter(x=as_f32(hover_x), y=as_f32(hover_y), mode="markers", text=hover_text,
                             marker=dict(size=round(34 * scale), symbol="square", opacity=0), hoverinfo="text",
                             hoverlabel=dict(align="left", font=dict(size=round(SMALL_PX * scale))), name=""))

    if peephole_terms is not None:
        _peephole_connections(fig, geo, peephole_terms, labels.peephole, arrow, label)

    # the belt's name and the state strips with the chosen unit's values
    if stacked:
        label(geo.belt[0][0] + 0.15, geo.body[3] - 0.5, escape_label(labels.belt), color="#D55E00", xanchor="left")
    else:
        label(geo.mul_f[0] + 0.5, geo.belt[0][1] + 0.75, escape_label(labels.belt), color="#D55E00", xanchor="left")
    state_text = {"c_prev": f"c<sub>t−1</sub> = {u['c_prev']:.3f}", "c": f"c<sub>t</sub> = {u['c']:.3f}",
                  "h_prev": f"h<sub>t−1</sub> = {u['h_prev']:.3f}", "h": f"h<sub>t</sub> = {u['h']:.3f}"}
    w, sh = geo.strip_w, geo.strip_h
    for name in ("c_prev", "c", "h_prev", "h", "f", "i", "g", "o"):
        x0, y0 = geo.strips[name]
        width = w if name in "figo" or not stacked else (2.0 if name == "c_prev" else 4.2)
        _strip(fig, v[name][sl], x0, y0, width, sh, name, name not in ("f", "i", "o"), start, labels.unit,
               highlight=unit)
        if name in state_text:   # right-hand strips: the label ends at the strip's end (never clipped)
            right = not stacked and name in ("c", "h")
            label(x0 + width if right else x0, y0 + sh + 0.3, state_text[name], xanchor="right" if right else "left")
    x0, y0 = geo.strips["x"]
    _strip(fig, v["x"][:cap], x0, y0, min(w, 4.2), sh, "x", True, 0, labels.unit)
    label(x0, y0 + sh + 0.3, "x<sub>t</sub>", xanchor="left")

    keys_px = round(64 * scale) if stacked else 0       # stacked: the colour keys go under the drawing
    note_lines = _wrap(labels.strips_note, 330 / scale if stacked else 1400) if labels.strips_note else []
    if note_lines:
        fig.add_annotation(x=0.0, y=0.0, yshift=-keys_px, xref="paper", yref="paper", xanchor="left", yanchor="top",
                           align="left",
                           text="<br>".join(escape_label(line) for line in note_lines), showarrow=False,
                           font=dict(size=round(SMALL_PX * scale), color="#555"))
    colorbars = (dict(orientation="h", x=0.02, xanchor="left", y=0.0, yanchor="top", len=0.45, thickness=10),
                 dict(orientation="h", x=0.98, xanchor="right", y=0.0, yanchor="top", len=0.45, thickness=10)) \
        if stacked else (dict(x=1.0, len=0.42, y=0.78, thickness=12), dict(x=1.0, len=0.42, y=0.24, thickness=12))
    title_px = round(16 * scale)
    top = title_px + 16 if labels.title else 8
    bottom = keys_px + (round((18 * len(note_lines) + 8) * scale) if note_lines else 8)
    default_height = round((860 if stacked else 600) * max(scale, 1.0))
    return fig.figure(
        title=dict(text=escape_label(labels.title) if labels.title else "", x=0.01, y=0.995, yanchor="top",
                   font=dict(size=title_px)),
        font=dict(size=round(LABEL_PX * scale)),
        height=height or default_height, margin=dict(l=6, r=6, t=top, b=bottom),
        xaxis=dict(visible=False, range=[-0.1, geo.width + 0.1], fixedrange=True),
        yaxis=dict(visible=False, range=[-1.0 if not stacked else 2.0, geo.height], fixedrange=True),
        coloraxis=dict(colorscale=GATE_COLORSCALE, cmin=0.0, cmax=1.0,
                       colorbar=dict(title=dict(text=escape_label(labels.gates_colorbar),
                                                side="top" if stacked else None), **colorbars[0])),
        coloraxis2=dict(colorscale=SIGNED_COLORSCALE, cmid=0.0, cmin=-1.0, cmax=1.0,
                        colorbar=dict(title=dict(text=escape_label(labels.signed_colorbar),
                                                 side="top" if stacked else None), **colorbars[1])),
        plot_bgcolor="#fff", showlegend=False, hovermode="closest",
    )


_PEEP_COLOR = "#D55E00"


def _wrap(text: str, width_px: float) -> list[str]:
    """``text`` in lines of at most ~``width_px`` at the small font (plotly annotations do not wrap); breaks
    after spaces or CJK punctuation, else anywhere (CJK text has no spaces)."""
    lines, current = [], ""
    for ch in str(text):
        if label_width_px(current + ch) > width_px and current:
            cut = max(current.rfind(" "), *(current.rfind(p) for p in "，；。、,;"))
            if cut > len(current) // 2:
                lines.append(current[:cut + 1].rstrip())
                current = current[cut + 1:].lstrip()
            else:
                lines.append(current)
                current = ""
        current += ch
    return lines + ([current] if current.strip() else [])


def _peephole_connections(fig, geo: CellGeometry, terms: dict[str, float], name: str, arrow, label) -> None:
    """Dashed belt -> gate lines: c_{t-1} into f and i, c_t into o, with the unit's w·c terms."""
    dash = dict(color=_PEEP_COLOR, width=1.6, dash="dash")
    (fx, fy), (ix, iy), (ox, oy) = geo.gates["f"], geo.gates["i"], geo.gates["o"]
    bw, bh = geo.box
    text_in = f"{name}<br>w<sub>cf</sub>c = {terms['f']:.3f}<br>w<sub>ci</sub>c = {terms['i']:.3f}"
    text_out = f"{name}<br>w<sub>co</sub>c<sub>t</sub> = {terms['o']:.3f}"
    if geo.gate_text_side == "below":
        belt_y, y = geo.belt[0][1], fy + bh + 0.75
        x_in, x_out = 3.0, geo.tanh_c[0] - 1.0
        fig.add_shape(type="line", x0=x_in, y0=belt_y, x1=x_in, y1=y, line=dash)
        fig.add_shape(type="line", x0=x_in, y0=y, x1=ix - 0.3, y1=y, line=dash)
        arrow(fx - 0.3, y, fx - 0.3, fy + bh + 0.02, color=_PEEP_COLOR)
        arrow(ix - 0.3, y, ix - 0.3, iy + bh + 0.02, color=_PEEP_COLOR)
        label(x_in - 0.2, y + 1.05, text_in, color=_PEEP_COLOR, size=SMALL_PX)
        fig.add_shape(type="line", x0=x_out, y0=belt_y, x1=x_out, y1=y, line=dash)
        fig.add_shape(type="line", x0=x_out, y0=y, x1=ox + 0.3, y1=y, line=dash)
        arrow(ox + 0.3, y, ox + 0.3, oy + bh + 0.02, color=_PEEP_COLOR)
        label(x_out - 0.15, y + 0.85, text_out, color=_PEEP_COLOR, size=SMALL_PX, xanchor="right")
    else:   # stacked: short dashed stubs from the belt into each gate box's left side, the terms beside o
        belt_x = geo.belt[0][0]
        for gx, gy in ((fx, fy + 0.3), (ix, iy + 0.3)):
            arrow(belt_x, gy, gx - bw - 0.02, gy, color=_PEEP_COLOR)
        arrow(belt_x, oy - 0.3, ox - bw - 0.02, oy - 0.3, color=_PEEP_COLOR)
        label(geo.strips["o"][0], oy - 1.9, f"{text_in}<br>w<sub>co</sub>c<sub>t</sub> = {terms['o']:.3f}",
              color=_PEEP_COLOR, size=SMALL_PX, xanchor="left", yanchor="top")


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
