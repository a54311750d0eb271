"""Vanishing and exploding gradients: RNN vs LSTM vs GRU on the same text and sizes, like for like.

The three compared networks are freshly initialised with the same sizes, seed and init scale (the sidebar's
model itself when it is such a random network); a trained sidebar model can be added as a labelled extra curve,
and the conveyor belt is drawn for it when it is an LSTM. Thin view: the study is
lstm_viz.analysis.gradient_study, cached per (weights, inputs, scale) in lstm_viz.ui.gradient_cache (with the
measured trend of a curve); figures come from lstm_viz.figures.vanishing_gradients.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.analysis import gradient_study as study_lib
from lstm_viz.figures import vanishing_gradients as figures
from lstm_viz.figures._style import HoverNames
from lstm_viz.gradients import PARAM_NAMES
from lstm_viz.ui import budget, context, downloads, render, widgets
from lstm_viz.ui.cache import model_fingerprint
from lstm_viz.ui.gradient_cache import (compared_models, forget_product, gradient_study, layer_curves,
                                        measured_trend, power_of_ten)

SCALE_RANGE = (0.1, 3.0)
SCALE_STEP = 0.05
BELT_TOP_UNITS = 3
KEY_SCALE, KEY_GRU, KEY_PARAM, KEY_OWN = "lstmx.vg.scale", "lstmx.vg.gru", "lstmx.vg.param", "lstmx.vg.own"
OWN = "own"   # the studies' key of the sidebar's (trained) model, next to the fresh "rnn", "lstm", "gru"
TREND_STYLE = {"vanishing": ("blue", "down"), "exploding": ("red", "up"), "neither": ("gray", "off")}
PARAMS = sorted(PARAM_NAMES, key=lambda name: name != "weight_hh_l0")   # the recurrent weights first


def md(ctx, key: str, **fmt) -> str:
    """A translated string of ours for a markdown sink, shown literally (no markdown, no $…$ math in it)."""
    return render.backslash_markdown(ctx.t(key, **fmt))


def fresh_page_model(ctx) -> bool:
    """Is the sidebar's model itself a freshly initialised network (the random source)?"""
    return ctx.model_settings.get("source") == "random"


def model_name(ctx, key: str) -> str:
    """Legend name of a study: the fresh kinds, the sidebar's own random model, or the sidebar's trained model."""
    if key == OWN:
        return ctx.t("grad.own_model", name=ctx.t(f"grad.model.{ctx.kind}"))
    name = ctx.t(f"grad.model.{key}")
    if fresh_page_model(ctx):
        return ctx.t("grad.current_model", name=name) if key == ctx.kind else name
    return ctx.t("grad.fresh_model", name=name)


def controls(ctx) -> tuple[float, bool, bool]:
    """(scale s, include the GRU?, add the sidebar's trained model?)."""
    col_scale, col_gru = st.columns([3, 1])
    widgets.clamp_float(KEY_SCALE, *SCALE_RANGE, default=1.0)
    scale = col_scale.slider(ctx.t("grad.scale"), SCALE_RANGE[0], SCALE_RANGE[1], step=SCALE_STEP, key=KEY_SCALE,
                             help=ctx.t("grad.scale_help"), format="%.2f")
    if KEY_GRU not in st.session_state:
        st.session_state[KEY_GRU] = True
    with col_gru:
        st.write("")
        show_gru = st.checkbox(ctx.t("grad.show_gru"), key=KEY_GRU)
    show_own = False
    if not fresh_page_model(ctx):
        show_own = st.checkbox(ctx.t("grad.own_toggle", name=ctx.t(f"grad.model.{ctx.kind}")), key=KEY_OWN,
                               value=False, help=ctx.t("grad.own_toggle_help"))
    return round(float(scale), 4), bool(show_gru), bool(show_own)


def sigma_section(ctx, rnn_study, scale: float, container) -> None:
    """Metrics (σ_max, with a badge of what the RNN's curve measurably did) + the σ_max(s) line with the threshold."""
    sigma, base_sigma = rnn_study.sigma_max, rnn_study.base_sigma_max
    threshold = study_lib.critical_scale(base_sigma)
    regime = study_lib.gradient_regime(sigma)
    distances, norms = study_lib.by_distance(rnn_study.jacobian_norms)
    trend = measured_trend(norms)
    color, arrow = TREND_STYLE[trend]
    with container:
        col_metrics, col_fig = st.columns([1, 1])
        m1, m2 = col_metrics.columns(2)
        m1.metric(ctx.t("grad.sigma"), f"{sigma:.3f}", help=ctx.t("grad.sigma_help"),
                  delta=ctx.t(f"grad.trend.{trend}"), delta_color=color, delta_arrow=arrow)
        m2.metric(ctx.t("grad.threshold"), f"{threshold:.3f}", help=ctx.t("grad.threshold_help"))
        col_metrics.markdown(ctx.t(f"grad.regime.{regime}") + ("" if ctx.lang == "zh" else " ") +
                             ctx.t("grad.trend_note", value=power_of_ten(norms[-1]), distance=int(distances[-1])))
        col_metrics.caption(ctx.t("grad.slider_hint", threshold=f"{threshold:.2f}"))
        scales, sigmas = study_lib.sigma_against_scale(base_sigma, *SCALE_RANGE)
        fig = figures.spectral_scale_figure(
            scales, sigmas, scale, sigma, title=ctx.t("grad.sigma_fig_title"), x_title=ctx.t("grad.sigma_x"),
            y_title=ctx.t("grad.sigma_y"), current_name=ctx.t("grad.sigma_current"),
            threshold_name=ctx.t("grad.sigma_threshold"), threshold_scale=threshold,
        )
        col_fig.plotly_chart(fig, width="stretch", key="vg.sigma")
        # full width: in the half-width column the two buttons' labels were cut
        downloads.figure_downloads(fig, {"scale": scales, "sigma_max": sigmas}, "sigma_max_vs_scale", lang=ctx.lang)


def jacobian_section(ctx, studies, start: int) -> None:
    window = ctx.T - start
    by_distance = {kind: study_lib.by_distance(study.jacobian_norms)[1] for kind, study in studies.items()}
    curves = {model_name(ctx, kind): values for kind, values in by_distance.items()}
    distances, bound = study_lib.by_distance(studies["rnn"].bound)
    note = ctx.t("grad.capped", shown=window, total=ctx.T, hidden=ctx.H) if start > 0 else None
    fig = figures.jacobian_norm_figure(
        distances, curves, bound=bound, bound_name=ctx.t("grad.bound"), title=ctx.t("grad.jac_title"),
        x_title=ctx.t("grad.jac_x"), y_title=ctx.t("grad.jac_y"), hover_distance=ctx.t("grad.hover_distance"),
    )
    st.plotly_chart(fig, width="stretch", key="vg.jacobians")
    if note:
        st.info(render.backslash_markdown(note), icon=":material/speed:")
    st.caption(ctx.t("grad.jac_caption"))
    data = {"distance": distances}
    data.update({f"norm_{kind}": values for kind, values in by_distance.items()})
    data["rnn_bound"] = bound
    downloads.figure_downloads(fig, data, "jacobian_norms", lang=ctx.lang)


def window_axis(ctx, start: int) -> tuple[list[str], np.ndarray]:
    """Token labels and sentence positions of the chosen cell's reading steps start..T-1 (reversed for a
    reverse cell, which read the text from the end: plotted at their positions, they read in sentence order)."""
    positions = np.array([ctx.cell_step(k) for k in range(start, ctx.T)], dtype=np.int64)
    return [ctx.labels[p] for p in positions], positions


def layers_section(ctx) -> None:
    """One curve per layer (and direction): how depth adds to the path from a state to the top's final state."""
    st.subheader(ctx.t("grad.layers_header"))
    cap = budget.layer_curves_cap(ctx.network_model)
    if cap == 0:
        st.info(ctx.t("grad.layers_too_big", H=ctx.H, cells=ctx.num_layers * ctx.num_directions),
                icon=":material/speed:")
        return
    x = np.ascontiguousarray(np.asarray(ctx.x, dtype=np.float64))     # (T, I) the network's input
    try:
        with st.spinner():
            curves = layer_curves(ctx.network_model, model_fingerprint(ctx.network_model), x, ctx.direction, cap)
    except (ValueError, FloatingPointError) as exc:
        st.error(ctx.t("grad.failed", reason=render.escape_markdown(render.visible(str(exc), limit=300))),
                 icon=":material/error:")
        return
    named = {}
    for layer in range(ctx.num_layers):
        for direction in range(ctx.num_directions):
            if curves.reaches(layer, direction):
                word = ctx.t(f"family.dir.{direction}") if ctx.num_directions > 1 else ""
                named[ctx.t("grad.layers_curve", layer=layer, direction=word).strip()] = curves.curve(layer, direction)
    fig = figures.jacobian_norm_figure(
        curves.distances, named, title=ctx.t("grad.layers_title", direction=ctx.t(f"family.dir_word.{ctx.direction}")),
        x_title=ctx.t("grad.layers_x"), y_title=ctx.t("grad.layers_y"), hover_distance=ctx.t("grad.hover_distance"),
    )
    st.plotly_chart(fig, width="stretch", key="vg.layers")
    if curves.start > 0:
        st.info(ctx.t("grad.layers_capped", shown=curves.window, total=ctx.T), icon=":material/speed:")
    st.caption(ctx.t("grad.layers_caption"))   # our prose with $…$ math: markdown, not escaped
    data = {"distance": curves.distances}
    data.update({name.replace(" ", "_"): values for name, values in named.items()})
    downloads.figure_downloads(fig, data, "jacobian_norms_per_layer", lang=ctx.lang)


def contributions_section(ctx, studies, start: int) -> None:
    st.subheader(ctx.t("grad.contrib_header"))
    st.caption(ctx.t("grad.contrib_caption"))
    if st.session_state.get(KEY_PARAM) not in PARAMS:
        st.session_state[KEY_PARAM] = "weight_hh_l0"
    param = st.selectbox(ctx.t("grad.param"), PARAMS, key=KEY_PARAM,
                         format_func=lambda name: ctx.t(f"grad.param.{name}"))
    labels, steps = window_axis(ctx, start)
    contributions = {model_name(ctx, kind): study.contributions[param] for kind, study in studies.items()}
    hover = HoverNames(ctx.t("common.token"), ctx.t("grad.hover.step"), ctx.t("grad.unit"),
                               ctx.t("grad.hover.value"))
    fig = figures.gradient_contribution_bars(
        contributions, labels, steps=steps, title=ctx.t("grad.contrib_title", param=ctx.t(f"grad.param.{param}")),
        x_title=ctx.t("grad.contrib_x"), y_title=ctx.t("grad.contrib_y"), hover=hover,
    )
    st.plotly_chart(fig, width="stretch", key="vg.contributions")
    data = {"step": steps, "token": np.asarray(labels, dtype=str)}
    data.update({f"{kind}_{param}": study.contributions[param] for kind, study in studies.items()})
    downloads.figure_downloads(fig, data, f"gradient_contributions_{param}", lang=ctx.lang)


def belt_section(ctx, product: np.ndarray, start: int, model_label: str) -> None:
    """The forget-gate products (W, H) of the window starting at ``start``, drawn for ``model_label``."""
    st.subheader(ctx.t("grad.belt_header"))
    units = study_lib.longest_memory_units(product, BELT_TOP_UNITS, first=ctx.unit)
    mean = study_lib.mean_over_units(product)  # (W,)
    labels, steps = window_axis(ctx, start)
    hover = HoverNames(ctx.t("common.token"), ctx.t("grad.hover.step"), ctx.t("grad.unit"), "Π f")
    fig = figures.forget_product_figure(
        product[:, units], units, labels, mean=mean, steps=steps, title=ctx.t("grad.belt_title", model=model_label),
        x_title=ctx.t("grad.belt_x"), y_title=ctx.t("grad.belt_y"), unit_name=ctx.t("grad.unit"),
        mean_name=ctx.t("grad.belt_mean"), hover=hover,
    )
    st.plotly_chart(fig, width="stretch", key="vg.belt")
    st.caption(ctx.t("grad.belt_caption", model=render.escape_markdown(model_label), unit=ctx.unit, n=BELT_TOP_UNITS))
    data = {"step": steps, "token": np.asarray(labels, dtype=str), "mean_over_units": mean}
    data.update({f"unit_{u}": product[:, u] for u in units})
    downloads.figure_downloads(fig, data, "forget_gate_product", lang=ctx.lang)


def main() -> None:
    ctx = context.require()
    st.title(ctx.t("grad.title"))
    st.caption(ctx.t("grad.intro"))
    widgets.layer_picker(ctx)
    if ctx.is_stack:
        st.caption(md(ctx, "grad.cell_input_note", layer=ctx.layer, inputs=ctx.model.input_size,
                      direction=ctx.t(f"family.dir_word.{ctx.direction}")))
    scale, show_gru, show_own = controls(ctx)
    kinds = [kind for kind in study_lib.COMPARED_KINDS if show_gru or kind != "gru"]
    cell = budget.cells_of(ctx.model)[0]
    cap = budget.chain_window_cap(cell, kinds)          # the demo server's budget (lstm_viz.ui.budget)
    if cap == 0:
        st.info(md(ctx, "budget.chain_too_large", H=ctx.H, min_steps=budget.MIN_USEFUL_WINDOW,
                   seconds=f"{budget.CHAIN_S:g}", fits=budget.largest_chain_hidden(cell.input_size, kinds)),
                icon=":material/speed:")
        return
    seed = int(ctx.model_settings.get("seed", 0) or 0)   # the fresh models share the sidebar's seed
    x = np.ascontiguousarray(np.asarray(ctx.trace.x, dtype=np.float64))  # (T, I) the chosen cell's input, its order
    models = compared_models(ctx.model, kinds, seed, fresh_page_model=fresh_page_model(ctx))
    own_fingerprint = "ctx:" + model_fingerprint(ctx.model)
    if show_own:
        models[OWN] = (ctx.model, own_fingerprint)
    own_lstm = ctx.kind == "lstm" and not fresh_page_model(ctx)   # the belt is drawn for a trained LSTM
    try:
        with st.spinner():
            studies = {key: gradient_study(model, fingerprint, x, scale, cap)
                       for key, (model, fingerprint) in models.items()}
            belt = (forget_product(ctx.model, own_fingerprint, x, scale, cap) if own_lstm
                    else studies["lstm"].forget_product)
    except (ValueError, FloatingPointError, np.linalg.LinAlgError) as exc:
        st.error(ctx.t("grad.failed", reason=render.escape_markdown(render.visible(str(exc), limit=300))),
                 icon=":material/error:")
        return
    start = studies["rnn"].start
    belt_key = OWN if own_lstm else "lstm"

    sigma_section(ctx, studies["rnn"], scale, st.container())
    jacobian_section(ctx, studies, start)
    st.divider()
    if ctx.is_stack:
        layers_section(ctx)
        st.divider()
    contributions_section(ctx, studies, start)
    st.divider()
    belt_section(ctx, belt, start, model_name(ctx, belt_key))
    st.divider()
    st.subheader(ctx.t("grad.why_header"))
    st.markdown(ctx.t("grad.why_body"))


main()
