"""Step by step: the recurrent cell at one time step, with live values, equations and plain sentences."""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from lstm_viz import figures_cell as fc
from lstm_viz.ui import context, downloads, render
from lstm_viz.ui.urlstate import KEY

PLAY_KEY = "step.playing"
PLAY_DELAY_S = 0.6
CONTEXT_TOKENS = 40          # tokens shown on each side of step t


def _shift(delta: int) -> None:
    st.session_state[PLAY_KEY] = False
    st.session_state[KEY["step"]] = max(int(st.session_state.get(KEY["step"], 0)) + delta, 0)


def _toggle_play(last_step: int) -> None:
    playing = not st.session_state.get(PLAY_KEY, False)
    st.session_state[PLAY_KEY] = playing
    if playing and int(st.session_state.get(KEY["step"], 0)) >= last_step:
        st.session_state[KEY["step"]] = 0          # play again from the start


def num(value: float) -> str:
    """A number for LaTeX (only digits, sign, point: nothing from user text ever reaches st.latex)."""
    return f"{float(value):.3f}"


def par(value: float) -> str:
    """num() in parentheses when negative, for products and sums."""
    return f"({num(value)})" if value < 0 else num(value)


def pct(value: float) -> int:
    return int(round(100 * float(np.clip(value, 0.0, 1.0))))


def lstm_latex(u: dict, unit: int) -> str:
    rows = []
    for name, fn, w in (("i", r"\sigma", "i"), ("f", r"\sigma", "f"), ("g", r"\tanh", "g"), ("o", r"\sigma", "o")):
        rows.append(
            rf"{name}_t &= {fn}(W_{{i{w}}} x_t + b_{{i{w}}} + W_{{h{w}}} h_{{t-1}} + b_{{h{w}}})"
            rf" = {fn}({num(u['ax_' + name])} + {par(u['ah_' + name])}) = {fn}({num(u['a_' + name])})"
            rf" = {num(u[name])}"
        )
    rows.append(
        rf"c_t &= f_t\,c_{{t-1}} + i_t\,g_t = {num(u['f'])}\cdot{par(u['c_prev'])} + {num(u['i'])}\cdot{par(u['g'])}"
        rf" = {num(u['c'])}"
    )
    rows.append(rf"h_t &= o_t \tanh(c_t) = {num(u['o'])}\cdot\tanh({num(u['c'])}) = {num(u['h'])}")
    return r"\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}"


def gru_latex(u: dict, unit: int) -> str:
    rows = [
        rf"r_t &= \sigma(W_{{ir}} x_t + b_{{ir}} + W_{{hr}} h_{{t-1}} + b_{{hr}}) = \sigma({num(u['a_r'])}) = {num(u['r'])}",
        rf"z_t &= \sigma(W_{{iz}} x_t + b_{{iz}} + W_{{hz}} h_{{t-1}} + b_{{hz}}) = \sigma({num(u['a_z'])}) = {num(u['z'])}",
        rf"n_t &= \tanh(W_{{in}} x_t + b_{{in}} + r_t\,(W_{{hn}} h_{{t-1}} + b_{{hn}}))"
        rf" = \tanh({num(u['ax_n'])} + {num(u['r'])}\cdot{par(u['hn'])}) = {num(u['n'])}",
        rf"h_t &= (1 - z_t)\,n_t + z_t\,h_{{t-1}} = {num(1 - u['z'])}\cdot{par(u['n'])} + {num(u['z'])}\cdot{par(u['h_prev'])}"
        rf" = {num(u['h'])}",
    ]
    return r"\begin{aligned}" + r"\\ ".join(rows) + r"\end{aligned}"


def rnn_latex(u: dict, unit: int, nonlinearity: str) -> str:
    fn = r"\tanh" if nonlinearity == "tanh" else r"\mathrm{ReLU}"
    row = (rf"h_t &= {fn}(W_{{ih}} x_t + b_{{ih}} + W_{{hh}} h_{{t-1}} + b_{{hh}})"
           rf" = {fn}({num(u['ax_h'])} + {par(u['ah_h'])}) = {fn}({num(u['a_h'])}) = {num(u['h'])}")
    return r"\begin{aligned}" + row + r"\end{aligned}"


def lstm_sentences(ctx, u: dict, unit: int) -> list[str]:
    change = u["c"] - u["c_prev"]
    if abs(change) < 5e-3:
        change_text = ctx.t("step.unchanged")
    else:
        change_text = ctx.t("step.grew" if change > 0 else "step.shrank", d=f"{abs(change):.3f}")
    return [
        ctx.t("step.say_forget", unit=unit, keep=pct(u["f"]), forgot=100 - pct(u["f"]), f=f"{u['f']:.2f}"),
        ctx.t("step.say_candidate", g=f"{u['g']:.2f}",
              direction=ctx.t("step.positive" if u["g"] >= 0 else "step.negative")),
        ctx.t("step.say_input", pct=pct(u["i"]), g=f"{u['g']:.2f}", ig=f"{u['i'] * u['g']:.3f}"),
        ctx.t("step.say_memory", c_prev=f"{u['c_prev']:.3f}", c=f"{u['c']:.3f}", change=change_text),
        ctx.t("step.say_output", pct=pct(u["o"]), tanh_c=f"{np.tanh(u['c']):.3f}", h=f"{u['h']:.3f}"),
    ]


def gru_sentences(ctx, u: dict, unit: int) -> list[str]:
    return [
        ctx.t("step.say_reset", unit=unit, pct=pct(u["r"]), hn=f"{u['hn']:.3f}", r=f"{u['r']:.2f}"),
        ctx.t("step.say_update", keep=pct(u["z"]), take=100 - pct(u["z"]), h_prev=f"{u['h_prev']:.3f}",
              n=f"{u['n']:.3f}", z=f"{u['z']:.2f}", h=f"{u['h']:.3f}"),
    ]


def controls(ctx) -> None:
    if st.session_state.get("lstmx.previous_page") != ctx.page:
        st.session_state[PLAY_KEY] = False         # play belongs to this visit: leaving the page stops it
    context.step_slider(ctx)
    prev_col, next_col, play_col, _, unit_col = st.columns([1, 1, 1, 1.5, 1.5], vertical_alignment="bottom")
    last = ctx.T - 1
    playing = bool(st.session_state.get(PLAY_KEY, False))
    prev_col.button(ctx.t("step.prev"), icon=":material/skip_previous:", on_click=_shift, args=(-1,),
                    disabled=ctx.step <= 0, key="step.prev", width="stretch")
    next_col.button(ctx.t("step.next"), icon=":material/skip_next:", on_click=_shift, args=(1,),
                    disabled=ctx.step >= last, key="step.next", width="stretch")
    play_col.button(ctx.t("step.stop" if playing else "step.play"),
                    icon=":material/stop:" if playing else ":material/play_arrow:", on_click=_toggle_play,
                    args=(last,), disabled=last <= 0, key="step.play", width="stretch",
                    type="primary" if playing else "secondary")
    context.unit_select(ctx, container=unit_col)


def token_context(ctx) -> None:
    t = ctx.step
    st.markdown(ctx.t("step.current_token", t=t, T=ctx.T) + f" **{render.escape_markdown(ctx.labels[t])}**")
    lo, hi = max(0, t - CONTEXT_TOKENS), min(ctx.T, t + CONTEXT_TOKENS + 1)
    values = np.asarray(ctx.trace.h[lo:hi, ctx.unit], dtype=np.float64)
    render.colored_tokens(ctx.labels[lo:hi], values, vmin=-1.0, vmax=1.0, highlight=t - lo)
    st.caption(ctx.t("step.context", unit=ctx.unit))


def strips_note(ctx) -> str:
    start, stop = fc.strip_window(ctx.H, ctx.unit)
    if ctx.H > fc.MAX_STRIP_UNITS:
        return ctx.t("step.strips_capped", H=ctx.H, start=start, stop=stop - 1, unit=ctx.unit)
    return ctx.t("step.strips_all", H=ctx.H, unit=ctx.unit)


def main() -> None:
    ctx = context.require()
    st.title(ctx.t("step.title"))
    st.caption(ctx.t("step.intro"))
    controls(ctx)
    token_context(ctx)

    cell = fc.cell_step(ctx.model, ctx.trace, ctx.step, ctx.unit)
    u = cell.unit_values
    data = {name: vec for name, vec in cell.vectors.items()}
    left, right = st.columns([3, 2])
    with left:
        if ctx.kind == "lstm":
            labels = fc.CellLabels(
                title=ctx.t("step.cell_title", t=ctx.step, unit=ctx.unit), forget=ctx.t("step.forget"),
                input=ctx.t("step.input"), candidate=ctx.t("step.candidate"), output=ctx.t("step.output"),
                belt=ctx.t("step.belt"), gates_colorbar=ctx.t("step.gates_cb"),
                signed_colorbar=ctx.t("step.signed_cb"), unit=ctx.t("step.unit_word"),
            )
            fig = fc.lstm_cell_figure(cell, labels)
        else:
            st.info(ctx.t("step.other_model", kind=ctx.kind.upper()), icon=":material/info:")
            symbols = {"x": "xₜ", "h_prev": "hₜ₋₁", "hn": "Wₕₙhₜ₋₁+bₕₙ", "h": "hₜ"}
            names = {name: f"{symbols.get(name, name + 'ₜ')}  ({u[name]:.3f})" if name in u else symbols.get(name, name)
                     for name in cell.vectors}
            fig = fc.state_strips_figure(cell.vectors, names, ctx.unit,
                                         title=ctx.t("step.strips_title", kind=ctx.kind.upper(), t=ctx.step),
                                         unit_label=ctx.t("step.unit_word"))
        st.plotly_chart(fig, config={"displayModeBar": False}, key="step.cell")
        st.caption(strips_note(ctx))
        downloads.figure_downloads(fig, data, f"step_{ctx.step}_unit_{ctx.unit}", lang=ctx.lang)
    with right:
        st.subheader(ctx.t("step.what_happened", unit=ctx.unit))
        if ctx.kind == "lstm":
            sentences = lstm_sentences(ctx, u, ctx.unit)
        elif ctx.kind == "gru":
            sentences = gru_sentences(ctx, u, ctx.unit)
        else:
            sentences = [ctx.t("step.say_rnn", unit=ctx.unit, a=f"{u['a_h']:.3f}", h=f"{u['h']:.3f}")]
        for sentence in sentences:
            st.markdown("- " + sentence)
    st.subheader(ctx.t("step.equations", unit=ctx.unit))
    if ctx.kind == "lstm":
        st.latex(lstm_latex(u, ctx.unit))
    elif ctx.kind == "gru":
        st.latex(gru_latex(u, ctx.unit))
    else:
        st.latex(rnn_latex(u, ctx.unit, str(getattr(ctx.model, "nonlinearity", "tanh"))))
    st.caption(ctx.t("step.equations_note"))

    if st.session_state.get(PLAY_KEY):
        if ctx.step < ctx.T - 1:
            st.caption(ctx.t("step.playing"))
            time.sleep(PLAY_DELAY_S)
            st.session_state[KEY["step"]] = ctx.step + 1
        else:
            st.session_state[PLAY_KEY] = False
        st.rerun()


main()
