"""Sentiment (many-to-one): a review read token by token, the probability after every token, each token's
contribution, the units the head reads, a what-if comparison and the Keras-style summary.

Thin view: the numbers are the classifier's (lstm_viz.nn.classifier.SentimentClassifier), cached and arranged by
lstm_viz.ui.sentiment_runs; the figures come from lstm_viz.figures.sentiment.
"""

from __future__ import annotations

import streamlit as st

from lstm_viz.figures import sentiment as figures
from lstm_viz.ui import cache, context, downloads, render, urlstate, vocab, widgets
from lstm_viz.ui import sentiment_runs as runs


def choose_classifier(ctx):
    """(classifier, shipped name or None) or stop with a message."""
    if runs.is_classifier(ctx.network):
        st.caption(ctx.t("sent.using_sidebar", name=render.escape_markdown(str(ctx.network.name))))
        return ctx.network, ctx.model_settings.get("pretrained")
    names = runs.classifier_names()
    runs.follow_language(ctx.lang, names)
    if not names:
        st.warning(ctx.t("sent.none"), icon=":material/sentiment_neutral:")
        st.stop()
    widgets.keep_valid(runs.KEY_MODEL, names, runs.default_classifier(ctx.lang, names))
    st.session_state.setdefault(runs.KEY_MODEL, runs.default_classifier(ctx.lang, names))
    name = st.selectbox(ctx.t("sent.model"), names, key=runs.KEY_MODEL, help=ctx.t("sent.model_help"))
    try:
        return cache.load_pretrained(name), name
    except Exception as exc:  # noqa: BLE001 - a broken file: a message, not a traceback
        st.error(ctx.t("sent.load_failed", reason=render.escape_markdown(render.visible(str(exc), 300))))
        st.stop()


def _use_example(example, names: list[str], shipped: bool) -> None:
    st.session_state[runs.KEY_TEXT], st.session_state[runs.KEY_WHATIF] = example.text, example.whatif
    wanted = f"sentiment-{example.lang}"
    if shipped and wanted in names:
        st.session_state[runs.KEY_MODEL] = wanted


def review_input(ctx, clf, name) -> str:
    lang = runs.classifier_language(clf)
    first = next(e for e in runs.EXAMPLES if e.lang == lang)
    own_text = runs.is_classifier(ctx.network) and ctx.text.strip() and ctx.text != urlstate.example_text(ctx.lang)
    st.session_state.setdefault(runs.KEY_TEXT, ctx.text if own_text else first.text)   # the sidebar's review, if any
    st.session_state.setdefault(runs.KEY_WHATIF, first.whatif)
    st.caption(ctx.t("sent.examples"))
    names, shipped = runs.classifier_names(), not runs.is_classifier(ctx.network)
    columns = st.columns(4)
    ordered = sorted(runs.EXAMPLES, key=lambda e: e.lang != lang)   # the classifier's language first
    for k, example in enumerate(ordered):
        short = example.text if len(example.text) <= 16 else example.text[:15] + "…"
        columns[k % 4].button(f"{ctx.t('sent.ex.' + example.key)} · {short}", key=f"sent.ex.{k}",
                              on_click=_use_example, args=(example, names, shipped), width="stretch",
                              help=example.text)
    st.text_area(ctx.t("sent.review"), key=runs.KEY_TEXT, max_chars=runs.MAX_CHARS, height=80,
                 help=ctx.t("sent.review_help", chars=runs.MAX_CHARS, tokens=runs.MAX_TOKENS))
    return st.session_state[runs.KEY_TEXT]


def run_or_stop(ctx, clf, key: str, text: str, *, note: bool = True):
    text, kept, total = runs.capped_text(clf, text)
    if kept == 0:
        st.info(ctx.t("sent.empty"))
        st.stop()
    if note and total > kept:
        st.info(ctx.t("sent.truncated", total=total, kept=kept))
    try:
        return runs.analyse(clf, key, text)
    except ValueError as exc:
        st.error(ctx.t("sent.failed", reason=render.escape_markdown(render.visible(str(exc), 300))))
        st.stop()


def mind_section(ctx, labels, run) -> None:
    p = float(run["p"])
    verdict = ctx.t("sent.positive" if p >= 0.5 else "sent.negative")
    st.metric(ctx.t("sent.verdict"), f"{p:.3f} · {verdict}")
    st.caption(ctx.t("sent.verdict_caption", n=len(labels), z=float(run["logit"])))
    st.subheader(ctx.t("sent.mind.header"))
    st.caption(ctx.t("sent.mind.explain"))
    fig = figures.probability_curve([figures.Curve(ctx.t("sent.whatif.a"), labels, run["probs"])],
                                    title=ctx.t("sent.mind.title"), step_label=ctx.t("sent.token"),
                                    prob_label=ctx.t("sent.prob"))
    st.plotly_chart(fig, width="stretch", key="sent.curve")
    downloads.figure_downloads(fig, {"p_positive": run["probs"], "gradient_x_input": run["gxi"],
                                     "leave_one_out": run["loo"]}, "sentiment_steps", lang=ctx.lang)


def contributions_section(ctx, labels, run) -> None:
    st.subheader(ctx.t("sent.contrib.header"))
    st.caption(ctx.t("sent.contrib.explain"))
    render.colored_tokens(labels, run["gxi"], title=ctx.t("sent.contrib.gxi"))
    render.colored_tokens(labels, run["loo"], title=ctx.t("sent.contrib.loo"))


def head_section(ctx, clf, name, review, labels, run) -> None:
    st.subheader(ctx.t("sent.head.header"))
    st.caption(ctx.t("sent.head.explain", b=float(run["b_out"])))
    positive, negative = runs.top_units(run["head"])
    units = positive + negative
    if not units:
        st.info(ctx.t("sent.head.none"))
        return
    left, right = st.columns([1, 2])
    bars = figures.unit_push_bars(units, run["head"][units], title=ctx.t("sent.head.bars"),
                                  unit_label=ctx.t("sent.head.unit"))
    left.plotly_chart(bars, width="stretch", key="sent.bars")
    traces = figures.unit_traces(labels, run["h"][:, units], units, run["head"][units].tolist(),
                                 title=ctx.t("sent.head.traces"), step_label=ctx.t("sent.token"))
    right.plotly_chart(traces, width="stretch", key="sent.traces")
    unit_col, step_col, heat_col = st.columns([1, 1.4, 2], vertical_alignment="bottom")
    widgets.keep_valid("sent.open_unit", units, units[0])
    unit = unit_col.selectbox(ctx.t("sent.head.open_unit"), units, key="sent.open_unit")
    if step_col.button(ctx.t("sent.head.to_step"), icon=":material/linear_scale:", on_click=runs.open_in_sidebar,
                       args=(name, review, unit, None), key="sent.to_step"):
        st.switch_page("pages/step_by_step.py")
    if heat_col.button(ctx.t("sent.head.to_heatmaps"), icon=":material/grid_on:", on_click=runs.open_in_sidebar,
                       args=(name, review, units[0], units), key="sent.to_heatmaps"):
        st.switch_page("pages/gate_heatmaps.py")
    st.caption(ctx.t("sent.head.links_note"))


def whatif_section(ctx, clf, key, labels, run) -> None:
    st.subheader(ctx.t("sent.whatif.header"))
    st.caption(ctx.t("sent.whatif.explain"))
    other = st.text_area(ctx.t("sent.whatif.text"), key=runs.KEY_WHATIF, max_chars=runs.MAX_CHARS, height=68)
    run_b = run_or_stop(ctx, clf, key, other, note=False)
    labels_b = runs.token_labels(clf, run_b["tokens"])
    st.caption(ctx.t("sent.whatif.verdicts", pa=float(run["p"]), pb=float(run_b["p"]),
                     d=float(run_b["p"]) - float(run["p"])))
    if run_b["tokens"] == run["tokens"]:
        st.info(ctx.t("sent.whatif.same"))
    curves = figures.probability_curve(
        [figures.Curve(ctx.t("sent.whatif.a"), labels, run["probs"]),
         figures.Curve(ctx.t("sent.whatif.b"), labels_b, run_b["probs"], dash="dash", color="#D55E00")],
        title=ctx.t("sent.whatif.curves"), step_label=ctx.t("sent.token"), prob_label=ctx.t("sent.prob"))
    st.plotly_chart(curves, width="stretch", key="sent.whatif.curves")
    positive, negative = runs.top_units(run["head"])
    units = (positive + negative) or [0]
    H = int(clf.hidden_size)
    widgets.clamp_int(runs.KEY_UNIT, 0, H - 1, default=units[0])
    unit = int(st.number_input(ctx.t("sent.whatif.unit"), 0, H - 1, step=1, key=runs.KEY_UNIT))
    names = {g: ctx.t(f"sent.gate.{g}") for g in runs.GATES}
    gates = figures.whatif_gates({g: run[g][:, unit] for g in runs.GATES}, {g: run_b[g][:, unit] for g in runs.GATES},
                                 labels, labels_b, names=names, title=ctx.t("sent.whatif.gates", unit=unit),
                                 text_names=(ctx.t("sent.whatif.a"), ctx.t("sent.whatif.b")),
                                 step_label=ctx.t("sent.token"))
    st.plotly_chart(gates, width="stretch", key="sent.whatif.gates")
    diffs, T = runs.gate_differences(run, run_b, units)
    if len(run["tokens"]) != len(run_b["tokens"]):
        st.caption(ctx.t("sent.whatif.lengths", ta=len(run["tokens"]), tb=len(run_b["tokens"]), T=T))
    heat = figures.gate_difference_heatmap(diffs, labels_b[:T], units, names=names, unit_label=ctx.t("sent.head.unit"),
                                           title=ctx.t("sent.whatif.diff_title"))
    st.plotly_chart(heat, width="stretch", key="sent.whatif.diff")
    st.caption(ctx.t("sent.whatif.diff", T=T))


def summary_section(ctx, clf, T: int) -> None:
    st.subheader(ctx.t("sent.summary.header"))
    rows = runs.summary_rows(clf, T)
    st.table({ctx.t("sent.summary.layer"): [r["layer"] for r in rows],
              ctx.t("sent.summary.shape"): [r["shape"] for r in rows],
              ctx.t("sent.summary.params"): [f"{r['params']:,}" for r in rows]})
    st.caption(ctx.t("sent.summary.total", total=int(clf.num_parameters()), T=T))


def main() -> None:
    ctx = context.get()
    st.title(ctx.t("sent.title"))
    st.caption(ctx.t("sent.intro"))
    clf, name = choose_classifier(ctx)
    if name:
        card = cache.model_card(name)
        if card:
            with st.expander(ctx.t("sent.card")):
                st.markdown(card)
    review = review_input(ctx, clf, name)
    key = runs.fingerprint(clf)
    vocab.show_unknown(ctx.lang, clf, review, current=name, kinds=("sentiment-classifier",), key="sentiment",
                       on_switch=vocab.switch_sidebar_model if name is None or runs.is_classifier(ctx.network)
                       else runs.switch_page_model)
    run = run_or_stop(ctx, clf, key, review)
    labels = runs.token_labels(clf, run["tokens"])
    mind_section(ctx, labels, run)
    contributions_section(ctx, labels, run)
    head_section(ctx, clf, name, review, labels, run)
    whatif_section(ctx, clf, key, labels, run)
    summary_section(ctx, clf, len(labels))


main()
