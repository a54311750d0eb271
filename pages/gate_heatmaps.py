"""Gate heatmaps: every gate and state over the whole text, units ordered and filtered.

Thin view: the context holds the trace; ordering, clustering, subsets and saturation come from
lstm_viz.analysis.units, the widgets' helpers from lstm_viz.ui.widgets, the figures from
lstm_viz.figures.gate_heatmaps.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.analysis import stack_views
from lstm_viz.analysis import units as analysis
from lstm_viz.figures import family as family_figures
from lstm_viz.figures import gate_heatmaps as figures
from lstm_viz.figures.gate_heatmaps import PANELS
from lstm_viz.figures._style import HoverNames
from lstm_viz.ui import context, downloads, render, widgets

MAX_UNITS_DRAWN = 64       # rows per heatmap panel (keeps the chart payload under ~2 MB)
MAX_STEPS_DRAWN = 400      # columns per heatmap panel (wider windows are strided)
MAX_CELLS_DRAWN = 80_000   # heatmap cells in all panels together: keeps the page's data under 1.5 MB
DEFAULT_WINDOW = 300       # default stretch of steps for long texts
MAX_COLORED_TOKENS = 2000

# widget keys start with "lstmx." so the shared sidebar keeps them across page switches
KEY_SHOW, KEY_SORT, KEY_BASIS = "lstmx.hm.show", "lstmx.hm.sort", "lstmx.hm.basis"
KEY_SUBSET, KEY_RANGE, KEY_TOPK, KEY_LIST = "lstmx.hm.subset", "lstmx.hm.range", "lstmx.hm.topk", "lstmx.hm.list"
KEY_WINDOW, KEY_TEXT_QTY = "lstmx.hm.window", "lstmx.hm.textqty"
KEY_CLICKED = "lstmx.hm.clicked"   # the last heatmap cell clicked (step, unit), applied once


def choose_units(ctx, arrays: dict[str, np.ndarray], panel_names: list[str]) -> np.ndarray:
    """Subset widgets + order widgets -> unit indices (display order)."""
    H = ctx.H
    col_sort, col_basis, col_subset = st.columns([1.2, 1, 1.2])
    widgets.keep_valid(KEY_SORT, list(analysis.ORDERS), "index")
    sort = col_sort.selectbox(ctx.t("heatmaps.sort"), list(analysis.ORDERS), key=KEY_SORT,
                              format_func=lambda m: ctx.t(f"heatmaps.sort.{m}"), help=ctx.t("heatmaps.sort_help"))
    default_basis = "h" if "h" in panel_names else panel_names[0]
    widgets.keep_valid(KEY_BASIS, panel_names, default_basis)
    if KEY_BASIS not in st.session_state:
        st.session_state[KEY_BASIS] = default_basis
    basis = col_basis.selectbox(ctx.t("heatmaps.basis"), panel_names, key=KEY_BASIS,
                                format_func=lambda name: ctx.t(f"heatmaps.panel.{name}"))
    subset_modes = ["all", "range", "topk", "list"]
    widgets.keep_valid(KEY_SUBSET, subset_modes, "all")
    subset = col_subset.radio(ctx.t("heatmaps.subset"), subset_modes, key=KEY_SUBSET, horizontal=True,
                              format_func=lambda m: ctx.t(f"heatmaps.subset.{m}"))
    basis_values = arrays[basis]  # (T, H)

    units = np.arange(H, dtype=np.int64)
    if subset == "range" and H > 1:
        widgets.clamp_pair(KEY_RANGE, 0, H - 1, (0, min(H - 1, 15)))
        low, high = st.slider(ctx.t("heatmaps.range"), 0, H - 1, key=KEY_RANGE)
        units = np.arange(low, high + 1, dtype=np.int64)
    elif subset == "topk":
        widgets.clamp_int(KEY_TOPK, 1, H, default=min(H, 8))
        k = st.number_input(ctx.t("heatmaps.topk"), min_value=1, max_value=H, step=1, key=KEY_TOPK,
                            help=ctx.t("heatmaps.topk_help"))
        units = analysis.top_k_units(basis_values, int(k))
    elif subset == "list":
        if KEY_LIST not in st.session_state:
            st.session_state[KEY_LIST] = f"0-{min(H - 1, 7)}"
        spec = st.text_input(ctx.t("heatmaps.list"), key=KEY_LIST, max_chars=500, help=ctx.t("heatmaps.list_help"))
        try:
            units = widgets.parse_unit_list(spec, H)
        except widgets.UnitListError as exc:
            st.warning(ctx.t(f"heatmaps.list_error.{exc.reason}", item=render.escape_markdown(exc.item),
                             last=H - 1, count=H), icon=":material/warning:")

    order = analysis.unit_order(basis_values[:, units], sort)  # positions within ``units``
    ordered = units[order]
    if ordered.shape[0] > MAX_UNITS_DRAWN:
        st.info(ctx.t("heatmaps.units_capped", total=ordered.shape[0], shown=MAX_UNITS_DRAWN),
                icon=":material/info:")
        ordered = ordered[:MAX_UNITS_DRAWN]
    return ordered


def choose_window(ctx, max_steps: int = MAX_STEPS_DRAWN) -> widgets.StepWindow:
    """For long texts, a range slider over the steps; short texts show everything."""
    T = ctx.T
    default_size = min(DEFAULT_WINDOW, max_steps)
    if T <= default_size:
        return widgets.StepWindow(0, T, T)
    default = widgets.step_window(T, default_size, center=ctx.step)
    widgets.clamp_pair(KEY_WINDOW, 0, T - 1, (default.start, default.stop - 1))
    first, last = st.slider(ctx.t("heatmaps.window"), 0, T - 1, key=KEY_WINDOW,
                            help=ctx.t("heatmaps.window_help", max=max_steps))
    return widgets.StepWindow(first, last + 1, T)


def follow_clicked_cell(ctx, event) -> None:
    """A click on a heatmap cell (the overlay's point {x: step, y: unit}) selects that step and unit on every
    page. Only a new click counts: the chart keeps its selection across reruns, which must not undo a later
    move of the step slider."""
    points = list((event or {}).get("selection", {}).get("points", []) or [])
    clicked = None
    if points:
        try:
            clicked = (int(round(float(points[0]["x"]))), int(round(float(points[0]["y"]))))
        except (KeyError, TypeError, ValueError):
            clicked = None
    if clicked is not None and clicked != st.session_state.get(KEY_CLICKED):
        ctx.set_step(clicked[0])
        ctx.set_unit(clicked[1])
    st.session_state[KEY_CLICKED] = clicked


def heatmap_section(ctx, arrays, panel_specs) -> None:
    panel_names = [name for name, _, _ in panel_specs]
    widgets.keep_valid(KEY_SHOW, panel_names, panel_names)
    if KEY_SHOW not in st.session_state:
        st.session_state[KEY_SHOW] = panel_names
    shown = st.multiselect(ctx.t("heatmaps.quantities"), panel_names, key=KEY_SHOW,
                           format_func=lambda name: ctx.t(f"heatmaps.panel.{name}"))
    units = choose_units(ctx, arrays, panel_names)
    max_steps = figures.step_budget(max(len(shown), 1), len(units), MAX_CELLS_DRAWN, MAX_STEPS_DRAWN)
    window = choose_window(ctx, max_steps)
    if not shown:
        st.info(ctx.t("heatmaps.quantities_none"), icon=":material/info:")
        return
    steps = window.steps
    labels = [ctx.labels[t] for t in steps]
    panels = [
        figures.HeatmapPanel(name, ctx.t(f"heatmaps.panel.{name}"), arrays[name][window.start:window.stop][:, units],
                             scale, limit)
        for name, scale, limit in panel_specs if name in shown
    ]
    hover = HoverNames(ctx.t("common.token"), ctx.t("heatmaps.hover.step"), ctx.t("heatmaps.hover.unit"),
                               ctx.t("heatmaps.hover.value"))
    fig = figures.state_heatmaps(
        panels, labels, units, steps=steps,
        title=ctx.t("heatmaps.fig_title", kind=ctx.kind.upper(), units=len(units), steps=len(steps))
        + (f" · {ctx.cell_name()}" if ctx.is_stack else ""),
        x_title=ctx.t("heatmaps.x_title"), y_title=ctx.t("heatmaps.y_title"), hover=hover,
        max_steps=max_steps, stride_note=ctx.t("heatmaps.stride_note", stride="{stride}", total="{total}"),
        focus_step=ctx.step,
    )
    event = st.plotly_chart(fig, width="stretch", key="hm.heatmaps", on_select="rerun", selection_mode="points")
    follow_clicked_cell(ctx, event)
    shown_units = ", ".join(str(u) for u in units[:64]) + (" …" if len(units) > 64 else "")
    st.caption(ctx.t("heatmaps.order_caption", units=shown_units))
    data = {"tokens": np.asarray(labels, dtype=str), "steps": steps, "unit_ids": units}
    data.update({panel.name: np.asarray(panel.values) for panel in panels})
    downloads.figure_downloads(fig, data, "gate_heatmaps", lang=ctx.lang)


def colored_text_section(ctx, arrays, panel_specs) -> None:
    st.subheader(ctx.t("heatmaps.text_title"))
    st.caption(ctx.t("heatmaps.text_caption"))
    panel_names = [name for name, _, _ in panel_specs]
    col_unit, col_qty = st.columns(2)
    with col_unit:
        unit = context.unit_select(ctx, key="w.unit.hm")
    default_qty = "c" if "c" in panel_names else panel_names[-1]
    widgets.keep_valid(KEY_TEXT_QTY, panel_names, default_qty)
    if KEY_TEXT_QTY not in st.session_state:
        st.session_state[KEY_TEXT_QTY] = default_qty
    quantity = col_qty.selectbox(ctx.t("heatmaps.text_quantity"), panel_names, key=KEY_TEXT_QTY,
                                 format_func=lambda name: ctx.t(f"heatmaps.panel.{name}"))
    scale = next(scale for name, scale, _ in panel_specs if name == quantity)
    values = np.asarray(arrays[quantity][:, unit], dtype=np.float64)  # (T,)
    shown = min(ctx.T, MAX_COLORED_TOKENS)
    gate = scale == "gate"
    render.colored_tokens(
        ctx.labels[:shown], values[:shown], diverging=not gate,
        vmin=0.0 if gate else None, vmax=1.0 if gate else None,
        highlight=ctx.step, max_tokens=MAX_COLORED_TOKENS,
        title=ctx.t("heatmaps.text_label", quantity=ctx.t(f"heatmaps.panel.{quantity}"), unit=unit,
                    vmin=float(values.min()), vmax=float(values.max())),
    )
    if ctx.T > shown:
        st.caption(ctx.t("heatmaps.text_truncated", shown=shown, total=ctx.T))
    table = downloads.to_csv({"step": np.arange(ctx.T), "token": np.asarray(ctx.labels, dtype=str),
                              f"{quantity}_unit{unit}": values})
    st.download_button(ctx.t("heatmaps.download_text"), data=table, file_name=f"{quantity}_unit{unit}.csv",
                       mime="text/csv", key="hm.dl_text", on_click="ignore", icon=":material/table:")


def saturation_section(ctx, arrays) -> None:
    st.subheader(ctx.t("heatmaps.sat_title"))
    gates = [name for name, scale, _ in PANELS.get(ctx.kind, ()) if scale == "gate"]   # values in (0, 1)
    if not gates:
        st.info(ctx.t("heatmaps.sat_none"), icon=":material/info:")
        return
    left, right = {}, {}
    for gate in gates:
        left[gate], right[gate] = analysis.saturation_fractions(arrays[gate])
    units = np.arange(ctx.H)
    fig = figures.saturation_scatter(
        left, right, units, gate_titles={gate: ctx.t(f"heatmaps.panel.{gate}") for gate in gates},
        title=ctx.t("heatmaps.sat_fig_title"), x_title=ctx.t("heatmaps.sat_x"), y_title=ctx.t("heatmaps.sat_y"),
        unit_name=ctx.t("heatmaps.hover.unit"),
    )
    col_fig, col_text = st.columns([3, 2])
    with col_fig:
        st.plotly_chart(fig, width="stretch", key="hm.saturation")
    with col_text:
        st.caption(ctx.t("heatmaps.sat_caption", units=ctx.H))
    data = {"unit": units}
    for gate in gates:
        data[f"{gate}_below_0.1"] = left[gate]
        data[f"{gate}_above_0.9"] = right[gate]
    downloads.figure_downloads(fig, data, "gate_saturation", lang=ctx.lang)


def overview_section(ctx) -> None:
    """A compact strip per layer and direction (top layer first): the mean |h| at every position."""
    st.subheader(ctx.t("heatmaps.overview_title"))
    window = widgets.step_window(ctx.T, MAX_STEPS_DRAWN, center=ctx.step)
    rows = []
    for layer, direction, values in reversed(stack_views.mean_abs_states(ctx.network_trace)):
        marker = "▶ " if (layer, direction) == (ctx.layer, ctx.direction) else ""
        name = ctx.t("heatmaps.overview_row", layer=layer,
                     direction=ctx.t(f"family.dir.{direction}") if ctx.num_directions > 1 else "")
        rows.append((marker + name.strip(), values[window.start:window.stop]))
    fig = family_figures.layer_overview_figure(
        rows, [ctx.labels[t] for t in window.steps], window.steps, value_name=ctx.t("heatmaps.overview_value"),
        token_name=ctx.t("common.token"),
    )
    st.plotly_chart(fig, width="stretch", key="hm.overview", config={"displayModeBar": False})
    st.caption(ctx.t("heatmaps.overview_caption"))


def main() -> None:
    ctx = context.require()
    st.title(ctx.t("heatmaps.title"))
    st.caption(ctx.t("heatmaps.intro"))
    widgets.layer_picker(ctx)
    panel_specs = PANELS.get(ctx.kind, PANELS["rnn"])
    arrays = {name: ctx.sentence(name) for name, _, _ in panel_specs}  # each (T, H), sentence order
    if ctx.is_stack:
        overview_section(ctx)
    heatmap_section(ctx, arrays, panel_specs)
    st.divider()
    colored_text_section(ctx, arrays, panel_specs)
    st.divider()
    saturation_section(ctx, arrays)


main()
