"""Backpropagation page (AppTest): every plotted number equals the core's own recomputation.

The page runs on the small random LSTM (``src=random``: H = 32, hash embedding of size 16); the tests rebuild the
same model and inputs from the engine and compare the δ's, norms, shares, gradient check, connectivity, the error
surface and the descents with what the charts and tables carry.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from lstm_viz import GRU, LSTM, RNN
from lstm_viz.analysis import error_surface
from lstm_viz.analysis.backprop import backward_step, check_entries, hidden_unit_loss, language_model_loss
from lstm_viz.data import text as textlib
from lstm_viz.gradients import gradient_contributions, input_connectivity
from lstm_viz.ui import i18n
from lstm_viz.ui.backprop_cache import PROBLEM, SCALES, SCALE_TOKENS, pick_entries

from conftest import ToyNetwork, open_page_via_app, page_html, page_texts, plotly_specs
from conftest import decode_plotly_array as decode

PAGE = "pages/backpropagation.py"
SECTION = "lstmx.bp.section"


def open_page(state: dict | None = None, **kwargs):
    return open_page_via_app(PAGE, state, timeout=120, **kwargs)


def chart(at, title_part: str) -> dict:
    for figure in plotly_specs(at):
        if title_part in figure["layout"].get("title", {}).get("text", ""):
            return figure
    raise AssertionError(f"no chart titled like {title_part!r}: {[f['layout'].get('title') for f in plotly_specs(at)]}")


def by_name(figure) -> dict[str, dict]:
    return {trace.get("name"): trace for trace in figure["data"]}


def engine(text: str, hidden: int = 32, seed: int = 0):
    """The page's inputs and the three models it compares (its own LSTM; fresh RNN and GRU, same seed)."""
    x = textlib.hash_embedding(textlib.tokenize_chars(text), 16, seed=0, dtype=np.float64)
    return x, {"lstm": LSTM(16, hidden, seed=seed, forget_bias=1.0), "rnn": RNN(16, hidden, seed=seed),
               "gru": GRU(16, hidden, seed=seed)}


def strip_rows(at) -> np.ndarray:
    """The strips' values without the empty header rows ("arriving", "inside the step", "leaving")."""
    z = decode(chart(at, "the error flowing through")["data"][0]["z"])
    return z[~np.all(np.isnan(z), axis=1)]


def norms(values) -> np.ndarray:
    return np.linalg.norm(np.asarray(values, dtype=np.float64), axis=1)


def test_steps_section_matches_the_engine():
    at = open_page()
    assert at.title[0].value == "How an LSTM learns: backpropagation through time"
    text = at.session_state["lstmx.text"]
    x, models = engine(text)
    lstm = models["lstm"]
    T = len(x)
    assert at.session_state["lstmx.step"] == T - 1  # Σ h_T−1 enters at the last step: the backward pass starts there
    trace = lstm.forward(x)
    loss, dh = hidden_unit_loss(trace, None)       # the default loss: Σ_j h_T−1[j]
    assert f"**$L = \\sum_j h_{{T-1}}[j] = {loss:.4f}$**" in [m.value for m in at.markdown]
    _, deltas = lstm.backward(trace, dh, return_deltas=True)

    # the strips of step T−1: every row is the cell's step_backward
    step = backward_step(lstm, trace, deltas, dh, T - 1)
    order = ["dh_loss", "dh_next", "dc_next", "dh", "do", "dc", "di", "dg", "df", "dc_prev", "dh_prev"]
    np.testing.assert_allclose(strip_rows(at), np.stack([step.vectors[n] for n in order]).astype(np.float32))

    # the page opens on the unit whose cell got the largest error there (not unit 0, which may be saturated)
    unit = int(np.argmax(np.abs(deltas.c[T - 1])))
    assert at.session_state["lstmx.unit"] == unit
    # the equations carry that unit's numbers of this step
    latex = at.get("latex")[0].value
    assert f"{step.vectors['dc'][unit]:.3f}" in latex or f"{step.vectors['dc'][unit]:.3e}".split("e")[0] in latex
    assert "forget gate" in page_texts(at) and f"{round(100 * float(trace.f[T - 1, unit]))}%" in page_texts(at)

    # heatmaps of δh, δc over (step, unit)
    heat = chart(at, "every unit at every step")["data"]
    np.testing.assert_allclose(decode(heat[0]["z"]), deltas.h.T.astype(np.float32))
    np.testing.assert_allclose(decode(heat[1]["z"]), deltas.c.T.astype(np.float32))

    # ‖δh_t‖, ‖δc_t‖ of the three kinds for E = Σ h_{T−1}
    lines = by_name(chart(at, "RNN, LSTM and GRU"))
    for kind, model in models.items():
        tr = model.forward(x)
        _, d = model.backward(tr, hidden_unit_loss(tr, None)[1], return_deltas=True)
        name = {"lstm": "LSTM (yours)", "rnn": "RNN", "gru": "GRU"}[kind]
        np.testing.assert_allclose(decode(lines[f"‖δh‖ {name}"]["y"]), norms(d.h).astype(np.float32), rtol=1e-6)
        if kind == "lstm":
            np.testing.assert_allclose(decode(lines[f"‖δc‖ {name}"]["y"]), norms(d.c).astype(np.float32), rtol=1e-6)

    # each step's share of ∇W_hh, the chosen step highlighted
    bars = chart(at, "Share of each step")["data"][0]
    expected = gradient_contributions(lstm, x, dh)["weight_hh_l0"]
    np.testing.assert_allclose(decode(bars["y"]), expected.astype(np.float32), rtol=1e-6)
    colours = bars["marker"]["color"]
    assert colours[T - 1] != colours[0]

    # the gradient check: the table holds check_entries of the entries the page picked
    table = at.dataframe[0].value
    assert list(table["model"].unique()) == ["RNN", "LSTM (yours)", "GRU"]
    for k, kind in enumerate(("rnn", "lstm", "gru")):
        entries = pick_entries(models[kind], 3, k, None)
        rows = check_entries(models[kind], x, dh, entries)
        shown = table[table["model"] == {"lstm": "LSTM (yours)", "rnn": "RNN", "gru": "GRU"}[kind]]
        np.testing.assert_allclose(shown["BPTT"].to_numpy(), [r["bptt"] for r in rows], rtol=1e-12)
        np.testing.assert_allclose(shown["central difference"].to_numpy(), [r["numerical"] for r in rows], rtol=1e-12)
        assert shown["relative error"].max() < 1e-6
    assert len(at.success) == 1
    assert len(at.get("download_button")) == 8


def test_stepping_back_the_unit_and_the_loss():
    at = open_page()
    x, models = engine(at.session_state["lstmx.text"])
    T = len(x)
    at.button(key="bp.prev").click().run()
    assert not at.exception and at.session_state["lstmx.step"] == T - 2
    at.session_state["lstmx.unit"] = 5
    at.radio(key="lstmx.bp.loss").set_value("unit").run()
    assert not at.exception
    assert at.session_state["lstmx.step"] == T - 1          # a new loss: back to the step where it enters
    at.button(key="bp.prev").click().run()
    assert not at.exception and at.session_state["lstmx.step"] == T - 2
    lstm = models["lstm"]
    trace = lstm.forward(x)
    loss, dh = hidden_unit_loss(trace, 5)
    _, deltas = lstm.backward(trace, dh, return_deltas=True)
    step = backward_step(lstm, trace, deltas, dh, T - 2)
    np.testing.assert_allclose(strip_rows(at)[3], step.vectors["dh"].astype(np.float32))
    assert at.query_params["bploss"] == "unit"
    # play runs backward from here (one step per rerun) and stops at step 0
    at.session_state["lstmx.step"] = 1
    at.button(key="bp.play").click().run()
    assert not at.exception and at.session_state["lstmx.step"] == 0
    assert at.session_state["bp.playing"] is False


def test_connectivity_section_matches_the_core():
    at = open_page({SECTION: "connectivity"})
    x, models = engine(at.session_state["lstmx.text"])
    T = len(x)
    heat = by_name(chart(at, "∂h<sub>t</sub>/∂x<sub>k</sub>"))
    figure = chart(at, "∂h<sub>t</sub>/∂x<sub>k</sub>")
    assert [a["text"] for a in figure["layout"]["annotations"][:3]] == ["RNN", "LSTM (yours)", "GRU"]
    for k, kind in enumerate(("rnn", "lstm", "gru")):
        expected = input_connectivity(models[kind], x, dtype=np.float32)
        np.testing.assert_allclose(decode(figure["data"][k]["z"]), expected.astype(np.float32), rtol=1e-6)
    assert heat  # the panels are drawn
    html = [h.proto.body for h in page_html(at)]
    assert len(html) == 3 and all(f"t={T - 1}:" in body for body in html)
    at.slider(key="lstmx.bp.conn_t").set_value(10).run()
    assert not at.exception
    assert all("t=10:" in h.proto.body and "t=11:" not in h.proto.body for h in page_html(at))


def test_surface_section_matches_the_core():
    at = open_page({SECTION: "surface"})
    at.slider(key="lstmx.bp.lr").set_value(0.05).run()
    figure = chart(at, "L(w, b)")
    w, b = np.linspace(0.0, 3.0, 41), np.linspace(-0.6, 0.4, 41)
    np.testing.assert_allclose(decode(figure["data"][0]["z"]),
                               error_surface.loss_surface(PROBLEM, w, b).astype(np.float32), rtol=1e-6)
    paths = by_name(figure)
    plain = error_surface.descend(PROBLEM, (1.05, -0.15), 0.05, 100)
    clipped = error_surface.descend(PROBLEM, (1.05, -0.15), 0.05, 100, clip=0.5)
    np.testing.assert_allclose(decode(paths["plain gradient descent"]["x"]), plain.points[:, 0].astype(np.float32))
    np.testing.assert_allclose(decode(paths["with clipping (c = 0.5)"]["y"]), clipped.points[:, 1].astype(np.float32))
    metrics = {m.label: m.value for m in at.metric}
    assert plain.jumps.max() > 1.0 and float(metrics["longest step, plain"]) == pytest.approx(plain.jumps.max(), rel=1e-2)
    assert float(metrics["longest step, clipped"]) <= 0.05 * 0.5 * 1.01
    losses = by_name(chart(at, "along each path"))
    np.testing.assert_allclose(decode(losses["plain gradient descent"]["y"]), plain.losses.astype(np.float32))
    # the LSTM's exploding gradient against the recurrent scale, with the clipping threshold
    x, models = engine(at.session_state["lstmx.text"])
    expected = error_surface.gradient_norms_by_scale(models["lstm"], x[:SCALE_TOKENS], SCALES, clip=0.5)
    lines = by_name(chart(at, "against the recurrent scale"))
    np.testing.assert_allclose(decode(lines["‖∇θ E‖"]["y"]), expected["norm"].astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(decode(lines["after clipping: min(‖∇θ E‖, c)"]["y"]),
                               expected["clipped"].astype(np.float32), rtol=1e-6)
    # a new learning rate and start move the paths; they are in the link
    at.slider(key="lstmx.bp.lr").set_value(0.2).run()
    at.number_input(key="lstmx.bp.w").set_value(2.0).run()
    assert not at.exception
    moved = error_surface.descend(PROBLEM, (2.0, -0.15), 0.2, 100)
    np.testing.assert_allclose(decode(by_name(chart(at, "L(w, b)"))["plain gradient descent"]["x"]),
                               moved.points[:, 0].astype(np.float32))
    assert at.query_params["bplr"] == "0.2" and at.query_params["bpw"] == "2" and at.query_params["bp"] == "surface"


def test_a_link_opens_the_section_with_its_options():
    at = open_page(query={"src": "random", "bp": "surface", "bplr": "0.1", "bpclip": "1"})
    assert not at.exception
    assert at.session_state["lstmx.bp.lr"] == pytest.approx(0.1)
    assert "with clipping (c = 1)" in by_name(chart(at, "L(w, b)"))
    bad = open_page(query={"src": "random", "bp": "nonsense", "bplr": "-3"})
    assert not bad.exception and bad.session_state[SECTION] == "steps"


def test_language_model_loss_from_the_shipped_model():
    at = open_page(query={"src": "pretrained", "model": "python-code"})
    ctx = at.session_state["lstmx.ctx"]
    if ctx.model_settings["source"] != "pretrained":
        pytest.skip("no trained model shipped")
    text = "".join(ctx.tokens)
    assert at.session_state["lstmx.bp.loss"] == "lm_step"
    loss, dh = language_model_loss(ctx.network, text, ctx.T - 2)
    assert f"{loss:.4f}".replace(".", "\\.") in page_texts(at)
    _, deltas = ctx.model.backward(ctx.model.forward(np.asarray(ctx.x)), dh, return_deltas=True)
    heat = chart(at, "every unit at every step")["data"]
    np.testing.assert_allclose(decode(heat[1]["z"]), deltas.c.T.astype(np.float32), rtol=1e-5, atol=1e-9)
    at.radio(key="lstmx.bp.loss").set_value("lm_mean").run()
    mean_loss, _ = language_model_loss(ctx.network, text, None)
    assert f"{mean_loss:.4f}".replace(".", "\\.") in page_texts(at)


def test_a_sentiment_classifier_gets_the_hidden_state_losses():
    at = open_page(query={"src": "pretrained", "model": "sentiment-en"})
    ctx = at.session_state["lstmx.ctx"]
    if ctx.model_settings.get("pretrained") != "sentiment-en":
        pytest.skip("no sentiment classifier shipped")
    assert not at.error and at.session_state["lstmx.bp.loss"] == "sum"
    assert "no language-model head" in page_texts(at) and len(at.get("plotly_chart")) == 4


@pytest.mark.parametrize("kind", ["gru", "rnn"])
def test_gru_and_rnn_networks(kind):
    rnn = {"gru": GRU, "rnn": RNN}[kind](8, 6, seed=1)
    at = open_page(query={"src": "trained"}, preset={"trained_network": ToyNetwork(rnn)})
    ctx = at.session_state["lstmx.ctx"]
    x = np.asarray(ctx.x)
    trace = rnn.forward(x)
    _, dh = hidden_unit_loss(trace, None)
    _, deltas = rnn.backward(trace, dh, return_deltas=True)
    step = backward_step(rnn, trace, deltas, dh, ctx.T - 1)
    order = {"gru": ["dh_loss", "dh_next", "dh", "dz", "dn", "dr", "dh_prev"],
             "rnn": ["dh_loss", "dh_next", "dh", "da", "dh_prev"]}[kind]
    np.testing.assert_allclose(strip_rows(at), np.stack([step.vectors[n] for n in order]).astype(np.float32))
    heat = chart(at, "every unit at every step")["data"]
    assert len(heat) == 1  # no cell state
    assert "no language-model head" in page_texts(at)
    assert f"{kind.upper()} (yours)" in set(at.dataframe[0].value["model"])


HOSTILE = ["<script>alert('x')</script> <b>bold</b>", "$\\frac{a}{b}$ **not bold** _x_ `code`", "👩‍👩‍👧 \x07 tab\tnew\nline", "x"]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("section", ["steps", "connectivity"])
def test_hostile_texts(text, section):
    at = open_page({"lstmx.text": text, SECTION: section})
    assert not at.exception
    assert at.get("plotly_chart")
    for element in at.get("plotly_chart"):
        assert "<script>" not in element.proto.spec and "<b>bold" not in element.proto.spec
    for element in at.get("html"):
        assert "<script>" not in element.proto.body


def test_empty_text_shows_message():
    at = open_page({"lstmx.text": ""})
    assert not at.exception and len(at.error) == 1 and not at.get("plotly_chart")


def test_chinese_page():
    at = open_page({"lstmx.lang": "zh"})
    assert at.title[0].value == "LSTM 如何学习：随时间反向传播"
    assert "LSTM" in chart(at, "流经的误差")["layout"]["title"]["text"]
    assert "RNN" in set(at.dataframe[0].value["模型"])


def test_every_backprop_string_in_both_languages():
    strings = i18n.all_strings()
    keys = [key for key in strings if key.startswith("bp.")]
    assert len(keys) > 80
    for key in keys:
        assert strings[key].get("en", "").strip() and strings[key].get("zh", "").strip(), key
    assert i18n.t("nav.backpropagation", "zh") == "反向传播"


# ---- where the backward pass starts, and no "-0" --------------------------------------------------------------

_SIGNED_NUMBER = re.compile(r"(?<![\w.])[-−]\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def negative_zeros(text: str) -> list[str]:
    """Numbers printed with a minus that are zero ("-0", "−0.000", "-0e+00")."""
    return [m.group() for m in _SIGNED_NUMBER.finditer(text) if float(m.group().replace("−", "-")) == 0.0]


def shown_numbers(at) -> str:
    """Prose, alerts, html, equations and the strips' row labels of the page."""
    strips = chart(at, "the error flowing through")["layout"]["yaxis"]["ticktext"]
    return "\n".join([page_texts(at), *(latex.value for latex in at.get("latex")), *strips])


def test_numbers_never_print_a_negative_zero():
    from lstm_viz.ui.backprop_text import equations, sentences
    from lstm_viz.ui.render import number

    assert [number(v, ".3g") for v in (-0.0, 0.0, -1e-20)] == ["0", "0", "-1e-20"]
    assert [number(v, ".3f") for v in (-0.0, -0.0004, -0.0006)] == ["0.000", "0.000", "-0.001"]
    assert negative_zeros("δo = -0, −0.000 and \\-0.0 but -1e-20, T−1, 10^{-0.5}, x-0") == ["-0", "−0.000", "-0.0"]
    rows = ("dh_loss", "dh_next", "dc_next", "dh", "do", "dc", "di", "dg", "df", "da_f", "dc_prev", "dh_prev", "dz",
            "dn", "da_n", "dr", "da")
    zeros = {name: -0.0 for name in rows}                     # a step after the loss: every δ is (−)0
    terms = {name: -0.0001 for name in ("tanh_c", "o", "c_prev", "g", "i", "f", "h_prev", "n", "one_minus_z", "hn",
                                        "z", "r", "h")}
    for kind in ("lstm", "gru", "rnn"):
        text = equations(kind, zeros, terms) + " ".join(sentences(kind, lambda key, **f: str(f), zeros, terms, 0, 3))
        assert not negative_zeros(text), (kind, negative_zeros(text))


def test_the_last_step_says_why_nothing_comes_back_from_the_future():
    at = open_page()
    T = len(at.session_state["lstmx.ctx"].tokens)
    assert at.session_state["lstmx.step"] == T - 1
    assert [info.value for info in at.info][:1] == [i18n.t("bp.enter_last", "en", t=T - 1)]
    rows = strip_rows(at)
    assert not rows[1].any() and not rows[2].any() and rows[0].any()   # δh, δc from t+1 are 0; ∂L/∂h is not
    assert not negative_zeros(shown_numbers(at))
    zh = open_page({"lstmx.lang": "zh"})
    assert i18n.t("bp.enter_last", "zh", t=T - 1) in [info.value for info in zh.info]


def test_a_language_model_opens_where_its_loss_enters_and_explains_the_steps_after_it():
    at = open_page(query={"src": "pretrained", "model": "python-code"})
    ctx = at.session_state["lstmx.ctx"]
    if ctx.model_settings["source"] != "pretrained":
        pytest.skip("no trained model shipped")
    T = ctx.T
    assert at.session_state["lstmx.bp.loss"] == "lm_step" and at.session_state["lstmx.bp.loss_step"] == T - 2
    assert at.session_state["lstmx.step"] == T - 2          # the prediction the loss reads, not the last step
    assert i18n.t("bp.enter_here", "en", t=T - 2) in [info.value for info in at.info]
    assert strip_rows(at)[0].any()                           # ∂L/∂h_t arrives: the strips are not all zero
    # a unit whose cell got a real error there (unit 0 of this model is saturated at this step)
    _, dh = language_model_loss(ctx.network, "".join(ctx.tokens), T - 2)
    _, deltas = ctx.model.backward(ctx.model.forward(np.asarray(ctx.x)), dh, return_deltas=True)
    assert at.session_state["lstmx.unit"] == int(np.argmax(np.abs(deltas.c[T - 2])))

    # a new loss step moves the view to it
    at.number_input(key="lstmx.bp.loss_step").set_value(10).run()
    assert not at.exception and at.session_state["lstmx.step"] == 10
    # a step after the prediction: every δ is 0, the page says why and offers the way back; no "-0" anywhere
    at.session_state["lstmx.step"] = 20
    at.run()
    assert i18n.t("bp.after_loss", "en", t=20, entry=10) in [info.value for info in at.info]
    assert not strip_rows(at).any()
    assert not negative_zeros(shown_numbers(at)), negative_zeros(shown_numbers(at))
    at.button(key="bp.go_entry").click().run()
    assert not at.exception and at.session_state["lstmx.step"] == 10


def test_the_unit_loss_keeps_its_unit():
    at = open_page(query={"src": "random", "bploss": "unit"})
    assert at.session_state["lstmx.bp.loss"] == "unit" and at.session_state["lstmx.unit"] == 0
