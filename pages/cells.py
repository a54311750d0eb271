"""Cells: next-character predictions of a character-level LM, the text coloured by a unit, and "find cells".

Thin view: the model is lstm_viz.nn.charlm.CharLM (the sidebar's network if it is one, else a shipped model from
lstm_viz.data.pretrained) with its own top_k / bits_per_char / predict; labels and the unit ranking come from
lstm_viz.analysis.probes, the figures from lstm_viz.figures.cells.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.analysis import probes
from lstm_viz.data.text import display_token
from lstm_viz.figures import cells as figures_cells
from lstm_viz.ui import cache, context, downloads, i18n, render, urlstate, widgets

MAX_CHARS = 2000           # characters analysed on this page
HEAT_WINDOW = 40           # steps in the top-k heatmap
HEAT_WINDOW_WIDE = 16      # ... when the text is mostly wide (CJK) characters, which need twice the room
TOP_K = 5
KEY_MODEL, KEY_EXAMPLE, KEY_STEP = "lstmx.cells.model", "lstmx.cells.example", "lstmx.cells.step"
KEY_UNIT, KEY_STATE, KEY_LABEL = "lstmx.cells.unit", "lstmx.cells.state", "lstmx.cells.label"
KEY_REGEX, KEY_TOP, KEY_FIND_STATE = "lstmx.cells.regex", "lstmx.cells.top", "lstmx.cells.find_state"
LABELS = list(probes.BUILTIN_LABELS) + ["regex"]
KEY_LABEL_MODEL = "lstmx.cells.label_model"
DEFAULT_REGEX = {"python-code": r"self", "tang-poetry": r"[，。？！]"}
# the labels with the clearest cells in the shipped models (cell state c): indentation c[85]/c[103], |r| ~ 0.8;
# position in the verse line c[17], r ~ 0.93
DEFAULT_LABEL = {"python-code": "indent", "tang-poetry": "column"}


def is_char_lm(network) -> bool:
    return all(hasattr(network, a) for a in ("top_k", "bits_per_char", "predict", "hidden_states", "encode_ids", "rnn"))


def display_labels(chars) -> list[str]:
    """Visible, safe labels for characters (multi-character vocabulary entries such as <unk> kept as is)."""
    return [display_token(ch) if len(ch) == 1 else ch for ch in chars]


def text_labels(text: str) -> list[str]:
    """Labels for the coloured text, which keeps its lines: a newline shows as ⏎ and then breaks the line, spaces
    and tabs stay blank (indentation reads as in an editor); everything else as :func:`display_labels`."""
    kept = {"\n": "⏎\n", " ": " ", "\t": "\t"}
    return [kept.get(ch) or display_token(ch) for ch in text]


def choose_model(ctx):
    """(CharLM, name, text, using the sidebar network?) or stop with a message."""
    network = ctx.network
    if is_char_lm(network):
        st.caption(ctx.t("cells.using_sidebar_model", name=render.escape_markdown(str(network.name))))
        lm, name, own = network, str(network.name), True
    else:
        names = cache.pretrained_names_of_kind("char-lm")   # the language models (not the sentiment classifiers)
        if not names:
            st.warning(ctx.t("cells.no_models"))
            st.stop()
        if st.session_state.get(KEY_MODEL) not in names:
            st.session_state[KEY_MODEL] = names[0]
        name = st.selectbox(
            ctx.t("cells.model"), names, key=KEY_MODEL, help=ctx.t("cells.model_help"),
            format_func=lambda n: ctx.t(f"cells.model.{n}") if f"cells.model.{n}" in _known_keys() else n,
        )
        try:
            lm = cache.load_pretrained(name)
        except Exception as exc:  # noqa: BLE001 - a broken file: message, not traceback
            st.error(ctx.t("cells.load_failed", reason=render.escape_markdown(str(exc))))
            st.stop()
        own = False
    if KEY_EXAMPLE not in st.session_state:
        # the model's own example shows its cells best, unless the user has typed a text of their own
        st.session_state[KEY_EXAMPLE] = not own or ctx.text == urlstate.example_text(ctx.lang)
    use_example = st.toggle(ctx.t("cells.use_example"), key=KEY_EXAMPLE, help=ctx.t("cells.use_example_help"))
    if use_example and lm.example_text:
        text = lm.example_text
        st.caption(ctx.t("cells.analysing.example", name=render.escape_markdown(name), chars=len(text)))
    else:
        if ctx.error:
            st.error(ctx.error)
            st.stop()
        text = ctx.text
        st.caption(ctx.t("cells.analysing.sidebar", chars=len(text)))
    return lm, name, text


def _known_keys() -> set[str]:
    return set(i18n.all_strings())


def predictions_section(ctx, text: str, labels: list[str], res: dict) -> None:
    st.subheader(ctx.t("cells.pred.header"))
    st.caption(ctx.t("cells.pred.explain"))
    T = len(text)
    if T > 1:
        widgets.clamp_int(KEY_STEP, 0, T - 1, default=min(ctx.step, T - 1))
        t = st.slider(ctx.t("cells.step"), 0, T - 1, key=KEY_STEP)
    else:
        t = 0
    chars = res["top_chars"][t]
    shown = display_labels(chars)
    actual = text[t + 1] if t + 1 < T else None
    if actual is not None:
        st.markdown(render.escape_markdown(ctx.t(
            "cells.pred.read", t=t, char=labels[t], next=display_labels(actual)[0],
            p=float(res["next_p"][t]), rank=int(res["next_rank"][t]),
        )))
    else:
        st.markdown(render.escape_markdown(ctx.t("cells.pred.read_last", t=t, char=labels[t])))
    left, right = st.columns([1, 2])
    with left:
        bar = figures_cells.topk_bar(shown, res["top_p"][t], actual=display_labels(actual)[0] if actual else None,
                                     title=ctx.t("cells.pred.bar_title", t=t), prob_label=ctx.t("cells.pred.prob"))
        st.plotly_chart(bar, width="stretch", key="cells_bar")
    with right:
        wide = figures_cells.wide_share(labels) > 0.2
        window = widgets.step_window(T, HEAT_WINDOW_WIDE if wide else HEAT_WINDOW, center=t)
        a, b, steps = window.start, window.stop, window.steps
        top_labels = [display_labels(res["top_chars"][s]) for s in steps]
        heat = figures_cells.topk_heatmap(
            steps, [labels[s] for s in steps], top_labels, res["top_p"][a:b], highlight=t,
            title=ctx.t("cells.pred.heat_title", a=a, b=b - 1), rank_label=ctx.t("cells.pred.rank"),
            prob_label=ctx.t("cells.pred.prob"),
        )
        st.plotly_chart(heat, width="stretch", key="cells_heat")
    # the downloads under the two charts, not inside their narrow columns (the button labels were cut there)
    bar_col, heat_col = st.columns(2)
    with bar_col:
        downloads.figure_downloads(bar, {"rank": np.arange(1, len(chars) + 1), "probability": res["top_p"][t]},
                                   f"cells_top{TOP_K}_step{t}", lang=ctx.lang)
    with heat_col:
        downloads.figure_downloads(heat, {"steps": steps, "top_probabilities": res["top_p"][a:b],
                                          "top_codepoints": np.array([[ord(c) if len(c) == 1 else -1 for c in
                                                                      res["top_chars"][s]] for s in steps])},
                                   f"cells_top{TOP_K}_steps{a}_{b - 1}", lang=ctx.lang)


def color_section(ctx, text: str, res: dict, H: int) -> None:
    st.subheader(ctx.t("cells.color.header"))
    st.caption(ctx.t("cells.color.explain"))
    col_unit, col_state = st.columns(2)
    widgets.clamp_int(KEY_UNIT, 0, H - 1, default=min(ctx.unit, H - 1))
    unit = int(col_unit.number_input(ctx.t("cells.unit"), 0, H - 1, step=1, key=KEY_UNIT))
    state = col_state.radio(ctx.t("cells.state"), ["h", "c"], key=KEY_STATE, horizontal=True,
                            format_func=lambda s: ctx.t(f"cells.state.{s}"))
    values = res[state][:, unit]
    render.colored_tokens(text_labels(text), values, title=ctx.t("cells.color.title", state=state, unit=unit))


def label_error_text(ctx, exc: ValueError) -> str:
    """A translated, markdown-safe reason for a label that cannot be used."""
    code = getattr(exc, "code", None)
    if code and f"cells.err.{code}" in _known_keys():
        details = {k: (render.visible(v, 300) if isinstance(v, str) else v) for k, v in exc.details.items()}
        message = ctx.t(f"cells.err.{code}", **details)
    else:
        message = render.visible(str(exc), 300)
    return render.escape_markdown(message)


def find_section(ctx, name: str, text: str, labels: list[str], res: dict) -> None:
    st.subheader(ctx.t("cells.find.header"))
    st.caption(ctx.t("cells.find.explain"))
    state_ = st.session_state
    if state_.get(KEY_LABEL_MODEL) != name or state_.get(KEY_LABEL) not in LABELS:
        # a new model: start from the label that suits it
        state_[KEY_LABEL] = DEFAULT_LABEL.get(name, "column")
        state_[KEY_REGEX] = DEFAULT_REGEX.get(name, r"\d+")
        state_[KEY_FIND_STATE] = "c"
        state_[KEY_LABEL_MODEL] = name
    c1, c2, c3 = st.columns([2, 1, 1])
    kind = c1.selectbox(ctx.t("cells.label"), LABELS, key=KEY_LABEL, format_func=lambda k: ctx.t(f"cells.label.{k}"))
    state = c2.radio(ctx.t("cells.state"), ["h", "c"], key=KEY_FIND_STATE, horizontal=True,
                     format_func=lambda s: ctx.t(f"cells.state.{s}"))
    widgets.clamp_int(KEY_TOP, 1, 6, default=3)
    top = int(c3.slider(ctx.t("cells.top"), 1, 6, key=KEY_TOP))
    pattern = ""
    if kind == "regex":
        pattern = st.text_input(ctx.t("cells.regex"), key=KEY_REGEX, max_chars=probes.MAX_PATTERN_CHARS,
                                help=ctx.t("cells.regex_help", cap=probes.MAX_REGEX_TEXT_CHARS))
        if not pattern:
            st.info(ctx.t("cells.regex_empty"))
            return
    try:
        y = cache.probe_label(kind, pattern, text)
        acts = res[state].astype(np.float64)                        # (T, H)
        scores = probes.score_units(acts, y, top)
    except ValueError as exc:
        st.warning(ctx.t("cells.label_error", reason=label_error_text(ctx, exc)))
        return
    if scores.label_drifts:
        st.info(ctx.t("cells.find.drift"))  # e.g. the column on a text without line breaks
    label_name = pattern if kind == "regex" else ctx.t(f"cells.label.{kind}")
    r, order, best = scores.r, scores.units, scores.best[0].unit
    if scores.weak:
        st.info(ctx.t("cells.find.weak"))
    st.markdown(render.escape_markdown(ctx.t("cells.find.best", state=state, unit=best, r=float(r[best]))))
    left, right = st.columns([1, 3])
    with left:
        st.dataframe({ctx.t("cells.find.table_unit"): order.astype(int),
                      ctx.t("cells.find.table_r"): np.round(r[order], 3)}, hide_index=True, width="stretch")
    with right:
        bars = figures_cells.correlation_bars(r, highlight=order.tolist(),
                                              title=ctx.t("cells.find.bars_title", label=label_name),
                                              unit_label=ctx.t("cells.find.table_unit"),
                                              r_label=ctx.t("cells.find.table_r"))
        st.plotly_chart(bars, width="stretch", key="cells_bars")
        downloads.figure_downloads(bars, {"unit": np.arange(r.size), "r": r}, f"cells_correlations_{kind}_{state}",
                                   lang=ctx.lang)
    fig = figures_cells.cells_vs_label(labels, y, acts[:, order], order.tolist(), r[order].tolist(),
                                       label_name=label_name, state_name=state,
                                       title=ctx.t("cells.find.plot_title", label=label_name))
    st.plotly_chart(fig, width="stretch", key="cells_vs_label")
    data = {"label": y}
    data.update({f"{state}_{u}": acts[:, u] for u in order})
    downloads.figure_downloads(fig, data, f"cells_best_units_{kind}_{state}", lang=ctx.lang)
    render.colored_tokens(text_labels(text), acts[:, best], title=ctx.t("cells.find.best_text", state=state, unit=best))
    render.colored_tokens(text_labels(text), y, diverging=False, title=ctx.t("cells.find.label_text"))


def main() -> None:
    ctx = context.get()
    st.title(ctx.t("cells.title"))
    st.caption(ctx.t("cells.intro"))
    lm, name, text = choose_model(ctx)
    total = len(text)
    text = text[:MAX_CHARS]
    if len(text) < 2:
        st.warning(ctx.t("cells.empty"))
        st.stop()
    if total > MAX_CHARS:
        st.info(ctx.t("cells.truncated", total=total, kept=MAX_CHARS))
    fingerprint = f"{name}:{lm.vocab_size}:{cache.model_fingerprint(lm.rnn)}"
    res = cache.char_lm_run(lm, fingerprint, text, TOP_K)
    labels = display_labels(text)
    H = int(res["h"].shape[1])
    if res["unknown"]:
        shown = " ".join(display_labels(res["unknown"][:30]))
        st.info(ctx.t("cells.unknown", n=len(res["unknown"]), chars=render.escape_markdown(shown)))
    st.caption(ctx.t("cells.summary", chars=len(text), vocab=lm.vocab_size, hidden=H, bpc=res["bpc"],
                     uniform=probes.uniform_bits_per_char(lm.vocab_size)))
    card = cache.model_card(name)
    if card:
        with st.expander(ctx.t("cells.card")):
            st.markdown(card)
    predictions_section(ctx, text, labels, res)
    color_section(ctx, text, res, H)
    find_section(ctx, name, text, labels, res)


main()
