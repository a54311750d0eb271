"""Vanishing gradients page (AppTest): the charts carry the numbers lstm_viz.gradients computes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from lstm_viz import GRU, LSTM, RNN
from lstm_viz import gradients
from lstm_viz.data import text as textlib
from lstm_viz.ui import budget, i18n

from conftest import ToyNetwork, open_page_via_app, plotly_specs
from conftest import decode_plotly_array as decode

PAGE = "pages/vanishing_gradients.py"


def open_page(state: dict | None = None):
    """The page on the small random LSTM (``src=random``): the engine numbers below are its."""
    return open_page_via_app(PAGE, state)


def chart(at, title_part: str) -> dict:
    for figure in plotly_specs(at):
        if title_part in figure["layout"].get("title", {}).get("text", ""):
            return figure
    raise AssertionError(f"no chart titled like {title_part!r}")


def traces(figure) -> dict[str, dict]:
    return {trace.get("name"): trace for trace in figure["data"]}


def engine(text: str, hidden: int = 32, seed: int = 0, scale: float = 1.0):
    """Inputs and the three models, built here from the engine (as the page promises: same x, H, seed)."""
    x = textlib.hash_embedding(textlib.tokenize_chars(text), 16, seed=0, dtype=np.float64)
    models = {"rnn": RNN(16, hidden, seed=seed), "lstm": LSTM(16, hidden, seed=seed, forget_bias=1.0),
              "gru": GRU(16, hidden, seed=seed)}
    if scale != 1.0:
        models = {kind: model.scaled_recurrent(scale) for kind, model in models.items()}
    return x, models


NAMES = {"rnn": "simple RNN (tanh)", "lstm": "LSTM (your model)", "gru": "GRU"}
BOUND = "RNN bound σ<sub>max</sub><sup>T−1−k</sup>"


def check_jacobians(at, x, models, start=0):
    figure = chart(at, "against the distance")
    shown = traces(figure)
    window = x[start:]
    for kind, model in models.items():
        state = {}
        if start:
            full = model.forward(x[:start])
            state["h0"] = full.h[-1]
            if kind == "lstm":
                state["c0"] = full.c[-1]
        expected = gradients.jacobian_norms(model, window, ord=2, **state)[::-1]
        np.testing.assert_allclose(decode(shown[NAMES[kind]]["y"]), expected, rtol=1e-9, atol=0)
        np.testing.assert_array_equal(decode(shown[NAMES[kind]]["x"]), np.arange(len(window)))
    bound = gradients.rnn_jacobian_bound(models["rnn"], len(window), ord=2)[::-1]
    np.testing.assert_allclose(decode(shown[BOUND]["y"]), bound, rtol=1e-12)
    assert figure["layout"]["yaxis"]["type"] == "log"
    return shown


def sigma_metric(at) -> float:
    return float(at.metric[0].value)


def test_default_page_matches_the_engine():
    at = open_page()
    assert at.title[0].value == "Vanishing and exploding gradients"
    text = at.session_state["lstmx.text"]
    x, models = engine(text)
    check_jacobians(at, x, models)
    sigma = np.linalg.norm(models["rnn"].weight_hh, 2)
    assert sigma_metric(at) == pytest.approx(sigma, abs=1e-3)
    assert float(at.metric[1].value) == pytest.approx(1 / sigma, abs=1e-3)
    # contributions for W_hh
    bars = traces(chart(at, "Per-step contributions"))
    for kind, model in models.items():
        expected = gradients.gradient_contributions(model, x)["weight_hh_l0"]
        np.testing.assert_allclose(decode(bars[NAMES[kind]]["y"]), expected.astype(np.float32), rtol=1e-6)
    # the conveyor belt: forget-gate products of the LSTM
    product = gradients.forget_gate_product(models["lstm"].forward(x))
    belt = traces(chart(at, "Forget-gate product"))
    np.testing.assert_allclose(decode(belt["unit 0"]["y"]), product[:, 0].astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(decode(belt["mean over all units"]["y"]), product.mean(axis=1).astype(np.float32),
                               rtol=1e-6)
    longest = np.argsort(-product[0], kind="stable")[:3]
    assert {f"unit {u}" for u in longest} <= set(belt)
    assert len(at.get("download_button")) == 8
    assert any("additive" in md.value for md in at.subheader)


@pytest.mark.parametrize("scale, regime", [(0.5, "must"), (2.5, "necessary, not sufficient")])
def test_scale_slider_across_the_threshold(scale, regime):
    at = open_page()
    base_sigma = sigma_metric(at)
    at.slider(key="lstmx.vg.scale").set_value(scale).run()
    assert not at.exception
    assert sigma_metric(at) == pytest.approx(scale * base_sigma, abs=2e-3)
    assert any(regime in md.value for md in at.markdown)
    text = at.session_state["lstmx.text"]
    x, models = engine(text, scale=scale)
    shown = check_jacobians(at, x, models)
    rnn = decode(shown[NAMES["rnn"]]["y"])
    bound = decode(shown[BOUND]["y"])
    assert np.all(rnn <= bound * (1 + 1e-9))  # the bound holds on both sides of the threshold
    if scale < 1:
        assert rnn[-1] < 1e-6  # vanished
    # the badge says what the RNN's curve did at its far end, coloured by that outcome
    trend, colour = ("vanishes", "blue") if rnn[-1] < 1e-3 else ("grows", "red") if rnn[-1] > 1 else ("neither", "gray")
    badge = at.metric[0].proto
    assert f"measured: {trend}" in badge.delta
    assert any(f"at distance {len(rnn) - 1}." in md.value for md in at.markdown)
    assert colour in str(badge).lower()
    # the current point on the σ_max(s) line
    sigma_fig = traces(chart(at, "against s"))
    assert decode(sigma_fig["current s"]["x"])[0] == pytest.approx(scale)
    assert decode(sigma_fig["current s"]["y"])[0] == pytest.approx(np.linalg.norm(models["rnn"].weight_hh, 2), rel=1e-9)


def test_gru_toggle_and_parameter_choice():
    at = open_page()
    at.checkbox(key="lstmx.vg.gru").uncheck().run()
    assert not at.exception
    assert set(traces(chart(at, "against the distance"))) == {NAMES["rnn"], NAMES["lstm"], BOUND}
    at.selectbox(key="lstmx.vg.param").set_value("bias_ih_l0").run()
    x, models = engine(at.session_state["lstmx.text"])
    bars = traces(chart(at, "Per-step contributions"))
    assert set(bars) == {NAMES["rnn"], NAMES["lstm"]}
    expected = gradients.gradient_contributions(models["lstm"], x)["bias_ih_l0"]
    np.testing.assert_allclose(decode(bars[NAMES["lstm"]]["y"]), expected.astype(np.float32), rtol=1e-6)


def test_long_text_caps_the_jacobians_and_says_so():
    text = ("It was the best of times, it was the worst of times. " * 6)[:300]
    at = open_page({"lstmx.text": text})
    x, models = engine(text)
    assert len(x) == 300
    check_jacobians(at, x, models, start=100)
    assert any("last 200 of 300" in info.value for info in at.info)


HOSTILE = [
    "<script>alert('x')</script> <b>bold</b>",
    "$\\frac{a}{b}$ **not bold** _x_ `code`",
    "👩‍👩‍👧 🇨🇳 \x07 tab\tnew\nline",
    "x",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_texts(text):
    at = open_page({"lstmx.text": text})
    assert not at.exception
    assert len(at.get("plotly_chart")) == 4
    for element in at.get("plotly_chart"):
        assert "<script>" not in element.proto.spec and "<b>bold" not in element.proto.spec


def test_empty_text_shows_message():
    at = open_page({"lstmx.text": ""})
    assert not at.exception
    assert len(at.error) == 1 and len(at.get("plotly_chart")) == 0


def test_chinese_page():
    at = open_page({"lstmx.lang": "zh"})
    assert at.title[0].value == "梯度消失与梯度爆炸"
    assert "简单 RNN（tanh）" in traces(chart(at, "随距离"))


def test_every_gradient_string_in_both_languages():
    strings = i18n.all_strings()
    keys = [key for key in strings if key.startswith("grad.")]
    assert len(keys) > 30
    for key in keys:
        assert strings[key].get("en", "").strip() and strings[key].get("zh", "").strip(), key


@pytest.mark.slow  # H = 192: three Jacobian chains with SVDs (seconds with one BLAS thread, longer on a busy machine)
def test_trained_model_from_the_link_caps_the_steps():
    at = open_page_via_app(PAGE, query={"src": "pretrained", "model": "python-code"}, timeout=90)
    ctx = at.session_state["lstmx.ctx"]
    if ctx.model_settings["source"] != "pretrained":
        pytest.skip("no trained model shipped")
    shown = traces(chart(at, "against the distance"))
    window = min(ctx.T, budget.chain_window_cap(budget.cells_of(ctx.model)[0]))   # the server's budget
    assert decode(shown["LSTM, fresh"]["y"]).shape == (window,)
    x = np.asarray(ctx.x)
    start = ctx.T - window
    fresh = LSTM(ctx.model.input_size, ctx.H, seed=int(ctx.model_settings["seed"]))   # like for like: fresh, same sizes
    state = {}
    if start:
        full = fresh.forward(x[:start])
        state = {"h0": full.h[-1], "c0": full.c[-1]}
    expected = gradients.jacobian_norms(fresh, x[start:], ord=2, **state)[::-1]
    np.testing.assert_allclose(decode(shown["LSTM, fresh"]["y"]), expected, rtol=1e-9)
    if start:
        assert any(f"last {window} of {ctx.T}" in info.value for info in at.info)


@pytest.mark.parametrize("kind", ["gru", "rnn"])
def test_gru_or_rnn_network_is_compared_with_fresh_models(kind):
    """A trained network: the default compares fresh networks only (like for like); the checkbox adds it."""
    rnn = {"gru": GRU, "rnn": RNN}[kind](8, 6, seed=1)
    at = open_page_via_app(PAGE, query={"src": "trained"}, preset={"trained_network": ToyNetwork(rnn)})
    ctx = at.session_state["lstmx.ctx"]
    x = np.asarray(ctx.x)
    seed = int(ctx.model_settings["seed"])
    fresh = {"rnn": RNN(8, 6, seed=seed), "lstm": LSTM(8, 6, seed=seed), "gru": GRU(8, 6, seed=seed)}
    shown = traces(chart(at, "against the distance"))
    names = {"rnn": "simple RNN (tanh), fresh", "lstm": "LSTM, fresh", "gru": "GRU, fresh"}
    assert set(shown) == {*names.values(), BOUND}
    for k, name in names.items():
        np.testing.assert_allclose(decode(shown[name]["y"]), gradients.jacobian_norms(fresh[k], x, ord=2)[::-1],
                                   rtol=1e-9)
    assert len(at.get("plotly_chart")) == 4
    at.checkbox(key="lstmx.vg.own").check().run()
    assert not at.exception
    own = {"gru": "GRU, trained (your model)", "rnn": "simple RNN (tanh), trained (your model)"}[kind]
    shown = traces(chart(at, "against the distance"))
    np.testing.assert_allclose(decode(shown[own]["y"]), gradients.jacobian_norms(rnn, x, ord=2)[::-1], rtol=1e-9)
    assert own in traces(chart(at, "Per-step contributions"))


def test_a_trained_lstm_is_compared_like_for_like_and_keeps_the_conveyor_belt():
    """The default visitor's case: a trained LSTM. The curves are three fresh networks; the belt is the trained one's."""
    lstm = LSTM(8, 6, seed=3)
    at = open_page_via_app(PAGE, query={"src": "trained"}, preset={"trained_network": ToyNetwork(lstm)})
    ctx = at.session_state["lstmx.ctx"]
    x = np.asarray(ctx.x)
    seed = int(ctx.model_settings["seed"])
    shown = traces(chart(at, "against the distance"))
    assert "LSTM, trained (your model)" not in shown
    np.testing.assert_allclose(decode(shown["LSTM, fresh"]["y"]),
                               gradients.jacobian_norms(LSTM(8, 6, seed=seed), x, ord=2)[::-1], rtol=1e-9)
    belt = chart(at, "Forget-gate product")
    assert "LSTM, trained (your model)" in belt["layout"]["title"]["text"]
    product = gradients.forget_gate_product(lstm.forward(x))
    np.testing.assert_allclose(decode(traces(belt)["mean over all units"]["y"]), product.mean(axis=1).astype(np.float32),
                               rtol=1e-6)
    assert any("freshly initialised" in caption.value for caption in at.caption)


def test_titles_and_prose_carry_no_raw_latex():
    """Chart titles use sub/superscripts, prose uses $…$ (rendered), never the raw h_{T−1} of a LaTeX source."""
    at = open_page()
    for figure in plotly_specs(at):
        title = figure["layout"].get("title", {}).get("text", "")
        assert "_{" not in title and "^{" not in title and "\\" not in title, title
        for trace in figure["data"]:
            assert "_{" not in str(trace.get("name", "")), trace.get("name")
    jac = chart(at, "against the distance")
    assert "∂h<sub>T−1</sub>/∂h<sub>k</sub>" in jac["layout"]["title"]["text"]
    for element in [*at.caption, *at.markdown]:
        text = element.value
        outside_math = re.sub(r"\$[^$]*\$", "", re.sub(r"\$\$.*?\$\$", "", text, flags=re.S))
        assert "_{" not in outside_math and "\\partial" not in outside_math, text[:120]


def test_log_axes_have_one_label_per_decade_and_the_threshold_in_the_legend():
    at = open_page()
    for title in ("against the distance", "Per-step contributions", "Forget-gate product"):
        layout = chart(at, title)["layout"]
        logs = [axis for name, axis in layout.items() if name.startswith("yaxis") and axis.get("type") == "log"]
        assert logs and all(axis["dtick"] >= 1 and axis["exponentformat"] == "power" for axis in logs), title
    sigma = chart(at, "against s")
    assert not sigma["layout"].get("annotations")            # nothing written on the plot next to the marker
    assert "σ<sub>max</sub> = 1 (threshold)" in traces(sigma)


def test_measured_trend_reads_the_far_end_of_the_curve():
    from lstm_viz.ui.gradient_cache import measured_trend, power_of_ten

    assert measured_trend(np.array([1.0, 0.5, 1e-12])) == "vanishing"
    assert measured_trend(np.array([1.0, 3.0, 40.0])) == "exploding"
    assert measured_trend(np.array([1.0, 0.5, 0.1])) == "neither"
    assert measured_trend(np.array([1.0, np.inf])) == "exploding"
    assert power_of_ten(1.2e-12) == "1.2·10⁻¹²" and power_of_ten(3.4e5) == "3.4·10⁵" and power_of_ten(0.5) == "0.5"


def test_the_belt_alone_equals_the_full_studys_forget_product():
    """The belt of a trained LSTM is computed without its Jacobians; same window, same numbers as the study."""
    from lstm_viz.analysis.gradient_study import compute_study
    from lstm_viz.ui.gradient_cache import forget_product

    model = LSTM(5, 7, seed=4)
    x = np.random.default_rng(1).normal(size=(30, 5))
    for scale in (1.0, 1.7):
        study = compute_study(model, x, scale, 12)
        np.testing.assert_allclose(forget_product(model, "test:lstm", x, scale, 12), study.forget_product, rtol=1e-12)
