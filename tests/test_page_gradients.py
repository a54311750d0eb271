"""Vanishing gradients page (AppTest): the charts carry the numbers lstm_viz.gradients computes."""

from __future__ import annotations

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
    np.testing.assert_allclose(decode(shown["RNN bound (σ_max)^(T−1−k)"]["y"]), bound, rtol=1e-12)
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


@pytest.mark.parametrize("scale, regime", [(0.5, "must vanish"), (2.5, "may explode")])
def test_scale_slider_across_the_threshold(scale, regime):
    at = open_page()
    base_sigma = sigma_metric(at)
    at.slider(key="lstmx.vg.scale").set_value(scale).run()
    assert not at.exception
    assert sigma_metric(at) == pytest.approx(scale * base_sigma, abs=2e-3)
    assert regime in at.metric[0].proto.body or regime in str(at.metric[0].proto)
    text = at.session_state["lstmx.text"]
    x, models = engine(text, scale=scale)
    shown = check_jacobians(at, x, models)
    rnn = decode(shown[NAMES["rnn"]]["y"])
    bound = decode(shown["RNN bound (σ_max)^(T−1−k)"]["y"])
    assert np.all(rnn <= bound * (1 + 1e-9))  # the bound holds on both sides of the threshold
    if scale < 1:
        assert rnn[-1] < 1e-6  # vanished
    # the current point on the σ_max(s) line
    sigma_fig = traces(chart(at, "against s"))
    assert decode(sigma_fig["current s"]["x"])[0] == pytest.approx(scale)
    assert decode(sigma_fig["current s"]["y"])[0] == pytest.approx(np.linalg.norm(models["rnn"].weight_hh, 2), rel=1e-9)


def test_gru_toggle_and_parameter_choice():
    at = open_page()
    at.checkbox(key="lstmx.vg.gru").uncheck().run()
    assert not at.exception
    assert set(traces(chart(at, "against the distance"))) == {NAMES["rnn"], NAMES["lstm"], "RNN bound (σ_max)^(T−1−k)"}
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
    at = open_page_via_app(PAGE, query={"src": "pretrained", "model": "python-code"}, timeout=60)
    ctx = at.session_state["lstmx.ctx"]
    if ctx.model_settings["source"] != "pretrained":
        pytest.skip("no trained model shipped")
    shown = traces(chart(at, "against the distance"))
    window = min(ctx.T, budget.chain_window_cap(budget.cells_of(ctx.model)[0]))   # the server's budget
    assert decode(shown[NAMES["lstm"]]["y"]).shape == (window,)
    x = np.asarray(ctx.x)
    start = ctx.T - window
    state = {}
    if start:
        full = ctx.model.forward(x[:start])
        state = {"h0": full.h[-1], "c0": full.c[-1]}
    expected = gradients.jacobian_norms(ctx.model, x[start:], ord=2, **state)[::-1]
    np.testing.assert_allclose(decode(shown[NAMES["lstm"]]["y"]), expected, rtol=1e-9)
    if start:
        assert any(f"last {window} of {ctx.T}" in info.value for info in at.info)


@pytest.mark.parametrize("kind", ["gru", "rnn"])
def test_gru_or_rnn_network_is_compared_with_fresh_models(kind):
    rnn = {"gru": GRU, "rnn": RNN}[kind](8, 6, seed=1)
    at = open_page_via_app(PAGE, query={"src": "trained"}, preset={"trained_network": ToyNetwork(rnn)})
    ctx = at.session_state["lstmx.ctx"]
    shown = traces(chart(at, "against the distance"))
    name = {"gru": "GRU (your model)", "rnn": "simple RNN (tanh) (your model)"}[kind]
    x = np.asarray(ctx.x)
    np.testing.assert_allclose(decode(shown[name]["y"]), gradients.jacobian_norms(rnn, x, ord=2)[::-1], rtol=1e-9)
    seed = int(ctx.model_settings["seed"])
    lstm = LSTM(8, 6, seed=seed)  # the fresh LSTM: same sizes and seed (default forget bias)
    np.testing.assert_allclose(decode(shown["LSTM"]["y"]), gradients.jacobian_norms(lstm, x, ord=2)[::-1], rtol=1e-9)
    assert len(at.get("plotly_chart")) == 4
