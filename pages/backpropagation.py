"""Backpropagation: the error δ flowing back through time, step by step; connectivity; the error surface's cliffs.

Thin view: losses, δ's and the gradient check are lstm_viz.analysis.backprop, the shares and connectivity
lstm_viz.gradients, the one-unit RNN lstm_viz.analysis.error_surface, all cached in lstm_viz.ui.backprop_cache;
the equations and sentences come from lstm_viz.ui.backprop_text, the figures from lstm_viz.figures.backpropagation.
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from lstm_viz.analysis.backprop import backward_step
from lstm_viz.analysis.step_terms import unit_terms
from lstm_viz.figures import backpropagation as figures
from lstm_viz.figures._style import HoverNames
from lstm_viz.figures.step_by_step import MAX_STRIP_UNITS, strip_window
from lstm_viz.gradients import PARAM_NAMES
from lstm_viz.ui import backprop_cache as runs
from lstm_viz.ui import backprop_text, budget, context, downloads, render, widgets
from lstm_viz.ui.cache import model_fingerprint
from lstm_viz.ui.gradient_cache import compared_models
from lstm_viz.ui.urlstate import KEY

SECTIONS = ("steps", "connectivity", "surface")
KINDS = ("rnn", "lstm", "gru")
PLAY_KEY, PLAY_DELAY_S = "bp.playing", 0.6
TO_ENTRY_KEY = "bp.to_entry"   # set when the loss changes: the view jumps to the step where the new loss enters
K = {name: f"lstmx.bp.{name}" for name in ("section", "loss", "loss_step", "param", "check_param", "check_seed",
                                           "conn_t", "w", "b", "lr", "clip")}
HEAT_STEPS, CHECK_STEPS, CHECK_ENTRIES, CONTEXT_TOKENS = 200, 300, 3, 40
ROWS = {  # (group, [rows]) per kind: what arrives at step t, what happens inside, what leaves
    "lstm": [("arrive", ["dh_loss", "dh_next", "dc_next"]), ("inside", ["dh", "do", "dc", "di", "dg", "df"]),
             ("leave", ["dc_prev", "dh_prev"])],
    "gru": [("arrive", ["dh_loss", "dh_next"]), ("inside", ["dh", "dz", "dn", "dr"]), ("leave", ["dh_prev"])],
    "rnn": [("arrive", ["dh_loss", "dh_next"]), ("inside", ["dh", "da"]), ("leave", ["dh_prev"])],
}


def md(ctx, key: str, **fmt) -> str:
    return render.backslash_markdown(ctx.t(key, **fmt))


def model_name(ctx, kind: str) -> str:
    name = ctx.t(f"bp.model.{kind}")
    return ctx.t("bp.yours", name=name) if kind == ctx.kind else name


def hover(ctx) -> HoverNames:
    return HoverNames(ctx.t("common.token"), ctx.t("common.step"), ctx.t("bp.unit_word"), ctx.t("bp.colorbar"))


def _shift(delta: int, last: int) -> None:
    st.session_state[PLAY_KEY] = False
    st.session_state[KEY["step"]] = min(max(int(st.session_state.get(KEY["step"], 0)) + delta, 0), last)


def _toggle_play(entry: int) -> None:
    playing = not st.session_state.get(PLAY_KEY, False)
    st.session_state[PLAY_KEY] = playing
    if playing and int(st.session_state.get(KEY["step"], 0)) <= 0:
        st.session_state[KEY["step"]] = entry         # play again from where the error enters


def _go_to_entry() -> None:
    st.session_state[TO_ENTRY_KEY] = True


def step_controls(ctx, result, entry: int) -> None:
    """Slider, back / forward / play, unit; the view opens at ``entry`` (and goes back there when the loss changes)
    on a unit whose error there is large (unit 0 is often saturated: its numbers would read 0.00 and 1e-15)."""
    first_visit = not st.session_state.get("bp.visited")
    st.session_state["bp.visited"] = True
    if first_visit or st.session_state.get("lstmx.previous_page") != ctx.page:
        st.session_state[PLAY_KEY] = False
        if ctx.step == 0:
            ctx.set_step(entry)                         # the backward pass starts where the loss reads the run
            if ctx.unit == 0 and result.loss_kind != "unit":   # the unit loss names its unit itself
                ctx.set_unit(runs.telling_unit(result.deltas, entry))
    if st.session_state.pop(TO_ENTRY_KEY, False):
        st.session_state[PLAY_KEY] = False
        ctx.set_step(entry)
    context.step_slider(ctx)
    back, forward, play, _, unit_col = st.columns([1.3, 1, 1.3, 0.9, 1.5], vertical_alignment="bottom")
    last, playing = ctx.T - 1, bool(st.session_state.get(PLAY_KEY, False))
    back.button(ctx.t("bp.prev"), icon=":material/skip_previous:", on_click=_shift, args=(-1, last),
                disabled=ctx.step <= 0, key="bp.prev", width="stretch")
    forward.button(ctx.t("bp.next"), icon=":material/skip_next:", on_click=_shift, args=(1, last),
                   disabled=ctx.step >= last, key="bp.next", width="stretch")
    play.button(ctx.t("bp.stop" if playing else "bp.play"), icon=":material/stop:" if playing else ":material/fast_rewind:",
                on_click=_toggle_play, args=(entry,), disabled=last <= 0, key="bp.play", width="stretch",
                type="primary" if playing else "secondary")
    context.unit_select(ctx, container=unit_col)


def entry_note(ctx, entry: int) -> None:
    """Why the δ's from t+1 are 0 at the step where the error enters, and why every δ is 0 after it."""
    t = ctx.step
    if t > entry:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.info(ctx.t("bp.after_loss", t=t, entry=entry), icon=":material/block:")
        right.button(ctx.t("bp.go_entry", entry=entry), on_click=_go_to_entry, key="bp.go_entry", width="stretch")
    elif t == entry:
        st.info(ctx.t("bp.enter_last" if t == ctx.T - 1 else "bp.enter_here", t=t), icon=":material/start:")


def choose_loss(ctx, is_lm: bool) -> tuple[str, int]:
    options = list((runs.LOSSES_LM if is_lm and ctx.T >= 2 else ()) + runs.LOSSES_HIDDEN)
    widgets.keep_valid(K["loss"], options, options[0])
    if K["loss"] not in st.session_state:
        st.session_state[K["loss"]] = options[0]
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    kind = left.radio(ctx.t("bp.loss"), options, key=K["loss"], format_func=lambda o: ctx.t(f"bp.loss.{o}"),
                      horizontal=True, on_change=_go_to_entry)   # options: our markdown with $…$ math
    loss_step = max(ctx.T - 2, 0)
    if kind == "lm_step":
        widgets.clamp_int(K["loss_step"], 0, ctx.T - 2, default=ctx.T - 2)
        loss_step = int(right.number_input(ctx.t("bp.loss_step"), 0, ctx.T - 2, step=1, key=K["loss_step"],
                                           help=ctx.t("bp.loss_step_help"), on_change=_go_to_entry))
    if not is_lm:
        st.caption(ctx.t("bp.no_lm"))
    return kind, loss_step


def loss_line(ctx, result, labels, loss_step: int) -> str:
    """The loss and its value (markdown). The target character is user text, so that line is escaped whole; the
    hidden-state losses hold only our $…$ math and numbers."""
    value = render.number(result.loss, ".4f")
    if result.loss_kind == "lm_step":
        return md(ctx, "bp.loss_value.lm_step", target=f"“{labels[loss_step + 1]}”", s=loss_step, value=value)
    if result.loss_kind == "lm_mean":
        return md(ctx, "bp.loss_value.lm_mean", n=ctx.T - 1, value=value)
    return ctx.t(f"bp.loss_value.{result.loss_kind}", unit=ctx.unit, value=value)


def strips_section(ctx, step, d: dict, u: dict) -> None:
    rows, groups = [], []
    for group, names in ROWS[ctx.kind]:
        groups.append((len(rows), ctx.t(f"bp.group.{group}")))
        rows += [(f"{ctx.t(f'bp.row.{name}')} = {render.number(d[name], '.3g')}", step.vectors[name])
                 for name in names]
    fig = figures.delta_strips_figure(rows, ctx.unit, title=ctx.t("bp.strips_title", kind=ctx.kind.upper(), t=ctx.step),
                                      unit_label=ctx.t("bp.unit_word"), colorbar=ctx.t("bp.colorbar"), groups=groups)
    st.plotly_chart(fig, config={"displayModeBar": False}, key="bp.strips", width="stretch")
    start, stop = strip_window(ctx.H, ctx.unit)
    st.caption(ctx.t("bp.strips_capped", H=ctx.H, start=start, stop=stop - 1, unit=ctx.unit)
               if ctx.H > MAX_STRIP_UNITS else ctx.t("bp.strips_all", H=ctx.H, unit=ctx.unit))
    downloads.figure_downloads(fig, dict(step.vectors), f"bptt_step_{ctx.step}", lang=ctx.lang)


def heat_and_norms(ctx, result, x, labels) -> None:
    st.subheader(ctx.t("bp.heat_header"))
    window = widgets.step_window(ctx.T, HEAT_STEPS, center=ctx.step)
    rows = slice(window.start, window.stop)
    panels = {ctx.t("bp.heat_h"): result.deltas.h[rows]}
    if result.deltas.c is not None:
        panels[ctx.t("bp.heat_c")] = result.deltas.c[rows]
    note = None if window.is_full else ctx.t("bp.heat_capped", start=window.start, stop=window.stop - 1, T=ctx.T)
    fig = figures.delta_heatmap_figure(panels, window.steps, labels[rows], step=ctx.step, note=note,
                                       title=ctx.t("bp.heat_title", kind=ctx.kind.upper()),
                                       x_title=ctx.t("bp.step_axis"), y_title=ctx.t("bp.unit_word"), hover=hover(ctx))
    st.plotly_chart(fig, key="bp.heatmaps", width="stretch")
    downloads.figure_downloads(fig, {"delta_h": result.deltas.h[rows], **(
        {"delta_c": result.deltas.c[rows]} if result.deltas.c is not None else {})}, "bptt_deltas", lang=ctx.lang)

    seed = int(ctx.model_settings.get("seed", 0) or 0)
    curves, model_of, dashed = {}, {}, []
    for kind, (model, fingerprint) in compared_models(ctx.model, KINDS, seed).items():
        norms = runs.compared_delta_norms(model, fingerprint, x)
        name = model_name(ctx, kind)
        curves[ctx.t("bp.norm_h", name=name)] = norms["h"]
        model_of[ctx.t("bp.norm_h", name=name)] = kind
        if norms["c"] is not None:
            curves[ctx.t("bp.norm_c", name=name)] = norms["c"]
            model_of[ctx.t("bp.norm_c", name=name)] = kind
            dashed.append(ctx.t("bp.norm_c", name=name))
    fig = figures.delta_norms_figure(curves, np.arange(ctx.T), labels, step=ctx.step, model_of=model_of,
                                     dashed=dashed, title=ctx.t("bp.norms_title"), x_title=ctx.t("bp.step_axis"),
                                     y_title=ctx.t("bp.norms_y"), hover=hover(ctx))
    st.plotly_chart(fig, key="bp.norms", width="stretch")
    st.caption(ctx.t("bp.norms_caption"))
    downloads.figure_downloads(fig, {"step": np.arange(ctx.T), **curves}, "bptt_delta_norms", lang=ctx.lang)


def shares(ctx, result, labels) -> None:
    st.subheader(ctx.t("bp.share_header"))
    widgets.keep_valid(K["param"], list(PARAM_NAMES), "weight_hh_l0")
    if K["param"] not in st.session_state:
        st.session_state[K["param"]] = "weight_hh_l0"
    param = st.selectbox(ctx.t("bp.share_param"), list(PARAM_NAMES), key=K["param"],
                         format_func=lambda name: ctx.t(f"grad.param.{name}"))
    values = result.contributions[param]
    fig = figures.share_bars_figure(values, np.arange(ctx.T), labels, ctx.step,
                                    title=ctx.t("bp.share_title", param=ctx.t(f"grad.param.{param}")),
                                    x_title=ctx.t("bp.step_axis"), y_title=ctx.t("bp.share_y"), name=param,
                                    chosen_name=ctx.t("bp.chosen_step"), hover=hover(ctx))
    st.plotly_chart(fig, key="bp.shares", width="stretch")
    st.caption(ctx.t("bp.share_caption"))
    downloads.figure_downloads(fig, {"step": np.arange(ctx.T), f"share_{param}": values}, f"bptt_shares_{param}",
                               lang=ctx.lang)


def gradient_check(ctx, result, x, loss_step: int) -> None:
    st.subheader(ctx.t("bp.check_header"))
    st.caption(ctx.t("bp.check_caption"))
    end = loss_step + 1 if result.loss_kind == "lm_step" else ctx.T   # the window holds the loss
    start = max(0, end - budget.gradcheck_window_cap(budget.cells_of(ctx.model)[0], CHECK_ENTRIES, CHECK_STEPS))
    choices = ["any", *PARAM_NAMES]
    widgets.keep_valid(K["check_param"], choices, "any")
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    param = left.selectbox(ctx.t("bp.check_param"), choices, key=K["check_param"], format_func=lambda name: (
        ctx.t("bp.check_any") if name == "any" else ctx.t(f"grad.param.{name}")))
    if right.button(ctx.t("bp.check_new"), icon=":material/casino:", key="bp.check_new", width="stretch"):
        st.session_state[K["check_seed"]] = int(st.session_state.get(K["check_seed"], 0)) + 1
    seed = int(st.session_state.get(K["check_seed"], 0))
    rows = []
    window_x, window_dh = x[start:end], result.dh_loss[start:end]
    with st.spinner():
        for k, (kind, (model, fingerprint)) in enumerate(compared_models(ctx.model, KINDS, int(
                ctx.model_settings.get("seed", 0) or 0)).items()):
            entries = runs.pick_entries(model, CHECK_ENTRIES, seed * 7 + k, None if param == "any" else param)
            for row in runs.gradient_check(model, f"{fingerprint}:{start}:{end}", window_x, window_dh, entries):
                rows.append({ctx.t("bp.col.model"): model_name(ctx, kind), ctx.t("bp.col.param"): row["name"],
                             ctx.t("bp.col.index"): row["index"], ctx.t("bp.col.bptt"): row["bptt"],
                             ctx.t("bp.col.numerical"): row["numerical"], ctx.t("bp.col.error"): row["relative_error"]})
    st.dataframe(rows, hide_index=True, width="stretch", key="bp.check_table", column_config={
        ctx.t("bp.col.bptt"): st.column_config.NumberColumn(format="%.6e"),
        ctx.t("bp.col.numerical"): st.column_config.NumberColumn(format="%.6e"),
        ctx.t("bp.col.error"): st.column_config.NumberColumn(format="%.1e")})
    if start > 0 or end < ctx.T:
        st.caption(ctx.t("bp.check_capped", n=end - start, T=ctx.T))
    worst = max((row[ctx.t("bp.col.error")] for row in rows), default=0.0)
    (st.success if worst < 1e-6 else st.warning)(ctx.t("bp.check_ok" if worst < 1e-6 else "bp.check_bad",
                                                       err=f"{worst:.1e}"))


def steps_section(ctx, labels) -> None:
    is_lm = runs.is_language_model(ctx.network) and not getattr(ctx, "is_stack", False)
    loss_kind, loss_step = choose_loss(ctx, is_lm)
    x = np.ascontiguousarray(np.asarray(ctx.trace.x, dtype=np.float64))   # (T, I) what the cell read
    fingerprint = model_fingerprint(ctx.model)
    try:
        with st.spinner():
            result = runs.backward_pass(ctx.model, ctx.trace, ctx.network if is_lm else None, fingerprint,
                                        "".join(ctx.tokens) if is_lm else "", loss_kind, loss_step,
                                        ctx.unit if loss_kind == "unit" else 0)   # only the unit loss reads it
    except (ValueError, FloatingPointError) as exc:
        st.error(ctx.t("bp.failed", reason=render.escape_markdown(render.visible(str(exc), limit=300))),
                 icon=":material/error:")
        return
    entry = runs.entry_step(result.dh_loss)
    step_controls(ctx, result, entry)
    st.markdown("**" + loss_line(ctx, result, labels, loss_step) + "**")
    t = ctx.step
    st.markdown(ctx.t("bp.current", t=t, last=ctx.T - 1) + f" **{render.escape_markdown(labels[t])}**")
    entry_note(ctx, entry)
    lo, hi = max(0, t - CONTEXT_TOKENS), min(ctx.T, t + CONTEXT_TOKENS + 1)
    render.colored_tokens(labels[lo:hi], result.deltas.h[lo:hi, ctx.unit], highlight=t - lo)
    st.caption(md(ctx, "bp.context", unit=ctx.unit))

    step = backward_step(ctx.model, ctx.trace, result.deltas, result.dh_loss, t)   # the cell's step_backward
    d = {name: float(vector[ctx.unit]) for name, vector in step.vectors.items()}
    u = unit_terms(ctx.model.step_numbers(ctx.trace, t), ctx.unit)
    left, right = st.columns([3, 2])
    with left:
        strips_section(ctx, step, d, u)
    with right:
        st.subheader(ctx.t("bp.what_happened", unit=ctx.unit))
        for sentence in backprop_text.sentences(ctx.kind, ctx.t, d, u, ctx.unit, t):
            st.markdown("- " + sentence)
    st.subheader(ctx.t("bp.equations", unit=ctx.unit, t=t))
    st.latex(backprop_text.equations(ctx.kind, d, u))
    st.caption(ctx.t("bp.equations_note"))
    st.divider()
    heat_and_norms(ctx, result, x, labels)
    st.divider()
    shares(ctx, result, labels)
    st.divider()
    gradient_check(ctx, result, x, loss_step)

    if st.session_state.get(PLAY_KEY):
        if ctx.step > 0:
            st.caption(ctx.t("bp.playing"))
            time.sleep(PLAY_DELAY_S)
            st.session_state[KEY["step"]] = ctx.step - 1
        else:
            st.session_state[PLAY_KEY] = False
        st.rerun()


def connectivity_section(ctx, labels) -> None:
    st.subheader(ctx.t("bp.conn_header"))
    st.caption(ctx.t("bp.conn_intro"))
    n = min(ctx.T, budget.connectivity_cap(budget.cells_of(ctx.model)[0]))   # T²·H² work: the server's budget
    if n < ctx.T:
        st.info(md(ctx, "bp.conn_cap_info", n=n, T=ctx.T, H=ctx.H), icon=":material/speed:")
    x = np.ascontiguousarray(np.asarray(ctx.trace.x, dtype=np.float64)[:n])
    panels = {}
    try:
        with st.spinner():
            for kind, (model, fingerprint) in compared_models(ctx.model, KINDS, int(
                    ctx.model_settings.get("seed", 0) or 0)).items():
                panels[model_name(ctx, kind)] = runs.connectivity(model, fingerprint, x)
    except (ValueError, FloatingPointError) as exc:
        st.error(ctx.t("bp.failed", reason=render.escape_markdown(render.visible(str(exc), limit=300))),
                 icon=":material/error:")
        return
    widgets.clamp_int(K["conn_t"], 0, n - 1, default=n - 1)
    t = int(st.slider(ctx.t("bp.conn_t"), 0, max(n - 1, 1), key=K["conn_t"], disabled=n <= 1)) if n > 1 else 0
    fig = figures.connectivity_figure(panels, labels[:n], step=t, title=ctx.t("bp.conn_title"),
                                      note=ctx.t("bp.conn_capped", n=n, T=ctx.T, H=ctx.H) if n < ctx.T else None,
                                      x_title="k", y_title="t", colorbar=ctx.t("bp.conn_cb"))
    st.plotly_chart(fig, key="bp.connectivity", width="stretch")
    st.caption(md(ctx, "bp.conn_caption"))
    downloads.figure_downloads(fig, {name.replace(" ", "_"): values for name, values in panels.items()},
                               "connectivity", lang=ctx.lang)
    for name, values in panels.items():
        render.colored_tokens(labels[:t + 1], values[t, :t + 1], diverging=False, vmin=0.0, highlight=t,
                              title=ctx.t("bp.conn_text", name=name, t=t))


def surface_section(ctx) -> None:
    st.subheader(ctx.t("bp.surf_header"))
    st.caption(ctx.t("bp.surf_intro"))
    for key, low, high, default in ((K["w"], 0.0, 3.0, 1.05), (K["b"], -0.6, 0.4, -0.15), (K["lr"], 0.005, 0.5, 0.05),
                                    (K["clip"], 0.05, 5.0, 0.5)):
        widgets.clamp_float(key, low, high, default)
    c1, c2, c3, c4 = st.columns(4)
    w = c1.number_input(ctx.t("bp.start_w"), 0.0, 3.0, step=0.05, key=K["w"], format="%.2f")
    b = c2.number_input(ctx.t("bp.start_b"), -0.6, 0.4, step=0.05, key=K["b"], format="%.2f")
    lr = c3.slider(ctx.t("bp.lr"), 0.005, 0.5, step=0.005, key=K["lr"], format="%.3f")
    clip = c4.slider(ctx.t("bp.clip"), 0.05, 5.0, step=0.05, key=K["clip"], format="%.2f")
    with st.spinner():
        surface = runs.loss_surface()
        plain, clipped = runs.descents(round(float(w), 4), round(float(b), 4), round(float(lr), 4), 100,
                                       round(float(clip), 4))
    names = (ctx.t("bp.plain"), ctx.t("bp.clipped", c=f"{clip:g}"))
    fig = figures.surface_figure(surface["w"], surface["b"], surface["loss"], dict(zip(names, (plain.points, clipped.points))),
                                 title=ctx.t("bp.surf_title"), colorbar="L", start_name=ctx.t("bp.start"))
    # one full-width row: in the chart's side column labels and values were cut (3.5e-18 showed as "3.5…")
    metrics = st.columns(5)
    for column, (key, value) in zip(metrics, (
            ("bp.longest_jump", plain.jumps.max()), ("bp.longest_jump_clipped", clipped.jumps.max()),
            ("bp.largest_grad", plain.grad_norms.max()), ("bp.final_loss", plain.losses[-1]),
            ("bp.final_loss_clipped", clipped.losses[-1]))):
        column.metric(ctx.t(key), render.number(value, ".3g"))
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(fig, key="bp.surface", width="stretch")
        downloads.figure_downloads(fig, {"plain_w": plain.points[:, 0], "plain_b": plain.points[:, 1],
                                         "plain_loss": plain.losses, "clipped_w": clipped.points[:, 0],
                                         "clipped_b": clipped.points[:, 1], "clipped_loss": clipped.losses},
                                   "error_surface_paths", lang=ctx.lang)
    with right:
        loss_fig = figures.descent_loss_figure(dict(zip(names, (plain.losses, clipped.losses))),
                                               title=ctx.t("bp.loss_curve_title"), x_title=ctx.t("bp.iteration"))
        st.plotly_chart(loss_fig, key="bp.descent_loss", width="stretch")
    st.caption(md(ctx, "bp.surf_caption"))

    st.subheader(ctx.t("bp.explode_header"))
    seed = int(ctx.model_settings.get("seed", 0) or 0)
    model, fingerprint = compared_models(ctx.model, ("lstm",), seed)["lstm"]
    tokens = budget.scale_sweep_cap(budget.cells_of(ctx.model)[0], len(runs.SCALES), runs.SCALE_TOKENS)
    x = np.ascontiguousarray(np.asarray(ctx.trace.x, dtype=np.float64)[:tokens])   # a fresh LSTM reads it too
    with st.spinner():
        result = runs.norms_by_scale(model, fingerprint, x, round(float(clip), 4))
    fig = figures.scale_norms_figure(result["scale"], result["norm"], result["clipped"], clip,
                                     title=ctx.t("bp.explode_title"), x_title=ctx.t("bp.explode_x"),
                                     y_title=ctx.t("bp.explode_y"), norm_name=ctx.t("bp.explode_norm"),
                                     clipped_name=ctx.t("bp.explode_clipped"),
                                     clip_name=ctx.t("bp.explode_threshold", c=f"{clip:g}"))
    st.plotly_chart(fig, key="bp.explode", width="stretch")
    st.caption(ctx.t("bp.explode_caption", n=len(x),
                  which=ctx.t("bp.explode_yours" if ctx.kind == "lstm" else "bp.explode_fresh")))
    downloads.figure_downloads(fig, result, "lstm_gradient_norm_by_scale", lang=ctx.lang)


def main() -> None:
    ctx = context.require()
    st.title(ctx.t("bp.title"))
    st.caption(md(ctx, "bp.intro"))
    widgets.keep_valid(K["section"], list(SECTIONS), SECTIONS[0])
    if K["section"] not in st.session_state:
        st.session_state[K["section"]] = SECTIONS[0]
    section = st.radio(ctx.t("bp.section"), SECTIONS, key=K["section"], horizontal=True,
                       format_func=lambda s: ctx.t(f"bp.section.{s}"), label_visibility="collapsed")
    labels = ctx.labels[::-1] if getattr(ctx, "reverse", False) else ctx.labels   # the cell's reading order
    if section == "steps":
        steps_section(ctx, labels)
    elif section == "connectivity":
        connectivity_section(ctx, labels)
    else:
        surface_section(ctx)


main()
