"""Generate (one-to-many): a character LM writes after a prime text, with temperature, top-k, length and seed; the
generated text stepped through with the top-5 at each step and the cell's gates.

Thin view: the text and candidates come from lstm_viz.nn.charlm.CharLM.generate (cached and arranged by
lstm_viz.ui.generate_runs), the cell's numbers from the engine's step_numbers; the figures are the Cells page's
top-k charts (lstm_viz.figures.cells) and the Step page's cell drawing (lstm_viz.figures.step_by_step).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.analysis.step_terms import unit_terms
from lstm_viz.figures import cells as figures_cells
from lstm_viz.figures import step_by_step as figures_step
from lstm_viz.ui import cache, context, downloads, render, step_text, vocab, widgets
from lstm_viz.ui import generate_runs as runs

HEAT_WINDOW = 40


def choose_model(ctx):
    """(CharLM, shipped name or None) or stop with a message."""
    if runs.is_char_lm(ctx.network):
        st.caption(ctx.t("gen.using_sidebar", name=render.escape_markdown(str(ctx.network.name))))
        return ctx.network, ctx.model_settings.get("pretrained")
    names = runs.char_lm_names()
    if not names:
        st.warning(ctx.t("gen.none"))
        st.stop()
    widgets.keep_valid(runs.KEY_MODEL, names, runs.default_model(ctx.lang, names))
    st.session_state.setdefault(runs.KEY_MODEL, runs.default_model(ctx.lang, names))
    name = st.selectbox(ctx.t("gen.model"), names, key=runs.KEY_MODEL, on_change=_new_model)
    try:
        return cache.load_pretrained(name), name
    except Exception as exc:  # noqa: BLE001 - a broken file: a message, not a traceback
        st.error(ctx.t("gen.load_failed", reason=render.escape_markdown(render.visible(str(exc), 300))))
        st.stop()


def _new_model() -> None:
    st.session_state[runs.KEY_PRIME] = runs.DEFAULT_PRIME.get(st.session_state.get(runs.KEY_MODEL), "")


def _another_sample() -> None:
    st.session_state[runs.KEY_SEED] = (int(st.session_state.get(runs.KEY_SEED, 0)) + 1) % 2**31


def _shift(delta: int, last: int) -> None:
    st.session_state[runs.KEY_STEP] = int(np.clip(int(st.session_state.get(runs.KEY_STEP, 0)) + delta, 0, last))


def settings(ctx, name):
    state = st.session_state
    state.setdefault(runs.KEY_PRIME, runs.DEFAULT_PRIME.get(name, ""))
    widgets.clamp_float(runs.KEY_TEMP, *runs.TEMPERATURE_RANGE, default=runs.DEFAULTS["temp"])
    widgets.clamp_int(runs.KEY_TOPK, *runs.TOP_K_RANGE, default=runs.DEFAULTS["topk"])
    widgets.clamp_int(runs.KEY_LEN, *runs.LENGTH_RANGE, default=runs.DEFAULTS["len"])
    widgets.clamp_int(runs.KEY_SEED, 0, 2**31 - 1, default=runs.DEFAULTS["seed"])
    prime = st.text_input(ctx.t("gen.prime"), key=runs.KEY_PRIME, max_chars=runs.MAX_PRIME_CHARS,
                          help=ctx.t("gen.prime_help", n=runs.MAX_PRIME_CHARS))
    c1, c2, c3, c4, c5 = st.columns([2, 1, 2, 1, 1.2], vertical_alignment="bottom")
    temp = c1.slider(ctx.t("gen.temperature"), *runs.TEMPERATURE_RANGE, step=0.05, key=runs.KEY_TEMP,
                     help=ctx.t("gen.temperature_help"))
    top_k = c2.number_input(ctx.t("gen.top_k"), *runs.TOP_K_RANGE, step=1, key=runs.KEY_TOPK, help=ctx.t("gen.top_k_help"))
    length = c3.slider(ctx.t("gen.length"), *runs.LENGTH_RANGE, key=runs.KEY_LEN)
    seed = c4.number_input(ctx.t("gen.seed"), 0, 2**31 - 1, step=1, key=runs.KEY_SEED, help=ctx.t("gen.seed_help"))
    c5.button(ctx.t("gen.another"), icon=":material/casino:", on_click=_another_sample, key="gen.another")
    return prime, float(temp), int(top_k), int(length), int(seed)


def candidates_section(ctx, res, s: int) -> None:
    k = runs.SHOWN
    chars = runs.labels_of(res["top_chars"][s])
    chosen = runs.labels_of(res["generated"][s])[0]
    left, right = st.columns([1, 2])
    with left:
        bar = figures_cells.topk_bar(chars, res["top_probs"][s], actual=chosen, title=ctx.t("gen.bar_title", k=k, s=s),
                                     prob_label=ctx.t("gen.prob"))
        st.plotly_chart(bar, width="stretch", key="gen.bar")
    with right:
        window = widgets.step_window(len(res["generated"]), HEAT_WINDOW, center=s)
        steps = window.steps
        generated = runs.labels_of(res["generated"])
        heat = figures_cells.topk_heatmap(
            steps, [generated[j] for j in steps], [runs.labels_of(res["top_chars"][j]) for j in steps],
            res["top_probs"][window.start:window.stop], highlight=s, rank_label=ctx.t("gen.rank"),
            title=ctx.t("gen.heat_title", k=k, a=window.start, b=window.stop - 1), prob_label=ctx.t("gen.prob"))
        st.plotly_chart(heat, width="stretch", key="gen.heat")
        downloads.figure_downloads(heat, {"top_probabilities": res["top_probs"], "chosen_p": res["chosen_p"]},
                                   "generate_top5", lang=ctx.lang)


def cell_section(ctx, lm, res, s: int) -> None:
    t = int(res["source_step"][s])
    if t < 0:
        return
    text_labels = runs.labels_of(res["text"])
    st.subheader(ctx.t("gen.gates", s=s))
    st.caption(ctx.t("gen.gates_caption", t=t, s=s, prev=text_labels[t]))
    H = int(lm.hidden_size)
    widgets.clamp_int(runs.KEY_UNIT, 0, H - 1, default=0)
    unit = int(st.number_input(ctx.t("gen.unit"), 0, H - 1, step=1, key=runs.KEY_UNIT))
    numbers = lm.rnn.step_numbers(res["trace"], t)              # the engine's step t, every unit
    labels = figures_step.CellLabels(
        title=ctx.t("gen.cell_title", t=t, unit=unit), forget=ctx.t("step.forget"), input=ctx.t("step.input"),
        candidate=ctx.t("step.candidate"), output=ctx.t("step.output"), belt=ctx.t("step.belt"),
        gates_colorbar=ctx.t("step.gates_cb"), signed_colorbar=ctx.t("step.signed_cb"), unit=ctx.t("step.unit_word"))
    left, right = st.columns([3, 2])
    left.plotly_chart(figures_step.lstm_cell_figure(numbers, unit, labels), config={"displayModeBar": False},
                      key="gen.cell")
    with right:
        for sentence in step_text.sentences("lstm", ctx.t, unit_terms(numbers, unit), unit):
            st.markdown("- " + sentence)


def main() -> None:
    ctx = context.get()
    st.title(ctx.t("gen.title"))
    st.caption(ctx.t("gen.intro"))
    lm, name = choose_model(ctx)
    if name and cache.model_card(name):
        with st.expander(ctx.t("gen.card")):
            st.markdown(cache.model_card(name))
    prime, temp, top_k, length, seed = settings(ctx, name)
    vocab.show_unknown(ctx.lang, lm, prime, current=name, kinds=("char-lm",), key="generate",
                       on_switch=vocab.switch_sidebar_model if runs.is_char_lm(ctx.network) else _switch_page_model)
    try:
        res = runs.generate(lm, f"{name}:{cache.model_fingerprint(lm.rnn)}", prime, length, temp, top_k, seed)
    except ValueError as exc:
        st.error(ctx.t("gen.failed", reason=render.escape_markdown(render.visible(str(exc), 300))))
        st.stop()
    n = len(res["generated"])
    st.subheader(ctx.t("gen.output"))
    widgets.clamp_int(runs.KEY_STEP, 0, n - 1, default=0)
    s = int(st.session_state[runs.KEY_STEP])
    chosen_p = np.nan_to_num(res["chosen_p"], nan=0.0)                     # not among the shown: white
    values = np.concatenate([np.full(len(res["prime"]), np.nan, dtype=np.float32), chosen_p])   # prime: grey
    render.colored_tokens(runs.labels_of(res["text"]), values, vmin=0.0, vmax=1.0, diverging=False,
                          highlight=len(res["prime"]) + s)
    st.caption(ctx.t("gen.output_caption", k=runs.SHOWN))
    render.safe_text(res["text"])
    if n > 1:
        st.slider(ctx.t("gen.step"), 0, n - 1, key=runs.KEY_STEP)
    prev_col, next_col, _ = st.columns([1, 1, 4])
    prev_col.button(ctx.t("gen.prev"), icon=":material/skip_previous:", on_click=_shift, args=(-1, n - 1),
                    disabled=s <= 0, key="gen.prev", width="stretch")
    next_col.button(ctx.t("gen.next"), icon=":material/skip_next:", on_click=_shift, args=(1, n - 1),
                    disabled=s >= n - 1, key="gen.next", width="stretch")
    chosen = render.escape_markdown(runs.labels_of(res["generated"][s])[0])
    t = int(res["source_step"][s])
    if t < 0:
        st.markdown(ctx.t("gen.read_first", char=chosen))
    else:
        p = res["chosen_p"][s]
        st.markdown(ctx.t("gen.read", s=s, n=n, prev=render.escape_markdown(runs.labels_of(res["text"][t])[0]),
                          char=chosen, p=ctx.t("gen.not_shown", k=runs.SHOWN) if np.isnan(p) else f"{p:.3f}"))
    candidates_section(ctx, res, s)
    cell_section(ctx, lm, res, s)


def _switch_page_model(name: str) -> None:
    st.session_state[runs.KEY_MODEL] = name
    _new_model()


main()
