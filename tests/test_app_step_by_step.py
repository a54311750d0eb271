"""The Step by step page through app.py: hostile texts, widgets, and the numbers the engine computed."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import HOSTILE_TEXTS, assert_clean_run, decode_plotly_array, page_texts, plotly_trace

PAGE = "step_by_step"


def engine_trace(text, hidden=32, seed=0, forget_bias=1.0, tokenization="chars"):
    """What the app should have computed, straight from the engine."""
    from lstm_viz import LSTM
    from lstm_viz.data import text as textlib

    tokens = (textlib.tokenize_words if tokenization == "words" else textlib.tokenize_chars)(text)[:2000]
    x = textlib.hash_embedding(tokens, 16, seed=0)
    model = LSTM(16, hidden, seed=seed, forget_bias=forget_bias)
    return model, tokens, model.forward(x)


def test_default_page(app_at):
    at = app_at(PAGE)
    assert_clean_run(at)
    assert at.get("plotly_chart") and at.latex
    assert len(at.get("download_button")) == 2


# each hostile text once, half of them with the Chinese interface
HOSTILE_CASES = [(name, "zh" if k % 2 else "en") for k, name in enumerate(HOSTILE_TEXTS)]


@pytest.mark.parametrize("name, lang", HOSTILE_CASES)
def test_hostile_texts(app_at, name, lang):
    text = HOSTILE_TEXTS[name]
    at = app_at(PAGE, text=text, lang=lang)
    assert_clean_run(at)
    shown = page_texts(at)
    assert "<script>" not in shown and "**b**" not in shown
    for latex in at.latex:  # only numbers reach LaTeX
        assert "script" not in latex.value and "**" not in latex.value
    if not text.strip():
        assert at.error, "an empty text is explained"
    else:
        assert not at.error and at.get("plotly_chart")


def test_plotted_strips_are_the_engine_numbers(app_at):
    text = "numbers, please"
    at = app_at(PAGE, text=text, hidden=24, step=5, unit=3)
    assert_clean_run(at)
    model, _, trace = engine_trace(text, hidden=24)
    for name in ("f", "i", "g", "o", "c", "h"):
        plotted = decode_plotly_array(plotly_trace(at, name)["z"]).reshape(-1)
        np.testing.assert_allclose(plotted, getattr(trace, name)[5], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(decode_plotly_array(plotly_trace(at, "c_prev")["z"]).reshape(-1), trace.c[4],
                               rtol=1e-6, atol=1e-7)
    latex = at.latex[0].value
    assert f"{trace.f[5, 3]:.3f}" in latex and f"{trace.h[5, 3]:.3f}" in latex and f"{trace.c[5, 3]:.3f}" in latex
    forgot = 100 - int(round(100 * trace.f[5, 3]))
    assert f"{forgot}%" in page_texts(at)


def test_large_hidden_size_caps_the_strips(app_at):
    at = app_at(PAGE, text="wide", hidden=200, unit=150)
    assert_clean_run(at)
    _, _, trace = engine_trace("wide", hidden=200)
    strip = decode_plotly_array(plotly_trace(at, "h")["z"]).reshape(-1)
    assert strip.size == 64
    np.testing.assert_allclose(strip, trace.h[0, 118:182], rtol=1e-6, atol=1e-7)
    assert "118" in page_texts(at)  # says which units are shown


def test_step_slider_and_buttons(app_at):
    at = app_at(PAGE, text="abcdef")
    at.slider(key="w.step").set_value(3).run()
    assert_clean_run(at)
    assert at.query_params["step"] == "3"
    at.button(key="step.next").click().run()
    assert at.slider(key="w.step").value == 4
    at.button(key="step.prev").click().run()
    at.button(key="step.prev").click().run()
    assert at.slider(key="w.step").value == 2 and at.query_params["step"] == "2"


def test_play_runs_to_the_end_and_stops(app_at):
    """Play shows the first step for one interval, then one step per tick (the fragment's timer, which AppTest
    does not run: a rerun after the interval stands for a tick), stops at the last step and says Play again."""
    at = app_at(PAGE, text="abc")
    at.button(key="step.play").click().run()
    assert_clean_run(at)
    assert at.session_state["step.playing"] and at.session_state["lstmx.step"] == 0
    assert at.button(key="step.play").label == "Stop"
    at.run()                                       # a rerun within the interval is not a tick
    assert at.session_state["lstmx.step"] == 0
    seen = []
    for _ in range(5):
        at.session_state["step.shown_at"] = 0.0    # the interval has passed
        at.run()
        assert_clean_run(at)
        seen.append(at.session_state["lstmx.step"])
        if not at.session_state["step.playing"]:
            break
    assert seen == [1, 2, 2] and at.query_params["step"] == "2"
    assert at.button(key="step.play").label == "Play"


def playing_at_step_1(app_at):
    at = app_at(PAGE, text="a longer text to play through")
    at.button(key="step.play").click().run()
    at.session_state["step.shown_at"] = 0.0        # the interval has passed: a tick
    at.run()
    assert at.session_state["step.playing"] and at.session_state["lstmx.step"] == 1
    return at


def test_a_stop_that_reaches_the_server_twice_stops(app_at):
    """While the view plays, one press can reach the server twice: with the rerun of the fragment's timer (which does
    not draw the buttons again) and then with its own. AppTest runs no fragments: play turned off by hand before the
    press stands for its first delivery. Stop used to toggle, and its second delivery started play again."""
    at = playing_at_step_1(app_at)
    at.session_state["step.playing"] = False      # the first delivery of Stop
    at.button(key="step.play").click().run()       # the same Stop, the buttons not drawn since
    assert_clean_run(at)
    assert not at.session_state["step.playing"] and at.button(key="step.play").label == "Play"
    at.button(key="step.play").click().run()       # a press of the Play the page shows now plays
    assert at.session_state["step.playing"] and at.button(key="step.play").label == "Stop"


def test_a_step_pressed_while_playing_that_reaches_the_server_twice_steps_once(app_at):
    at = playing_at_step_1(app_at)
    at.session_state["step.playing"] = False      # the first delivery of Next: play stopped, one step on
    at.session_state["lstmx.step"] = 2
    at.button(key="step.next").click().run()       # the same press again
    assert_clean_run(at)
    assert at.session_state["lstmx.step"] == 2 and at.query_params["step"] == "2"
    assert not at.session_state["step.playing"] and at.button(key="step.play").label == "Play"
    at.button(key="step.next").click().run()       # a press of the page as shown now steps
    assert at.session_state["lstmx.step"] == 3


def test_next_while_playing_stops_and_steps(app_at):
    at = playing_at_step_1(app_at)
    at.button(key="step.next").click().run()
    assert_clean_run(at)
    assert not at.session_state["step.playing"] and at.session_state["lstmx.step"] == 2
    assert at.button(key="step.play").label == "Play"


def test_leaving_the_page_stops_play(app_at):
    """Play started, the user opens Theory and comes back: the page waits instead of playing on."""
    at = app_at(PAGE, text="a longer text to play through")
    at.session_state["step.playing"] = True      # as if Play had been pressed and the page left mid-play
    at.switch_page("pages/theory.py").run()
    assert_clean_run(at)
    at.switch_page(f"pages/{PAGE}.py").run()
    assert_clean_run(at)
    assert not at.session_state["step.playing"]
    assert at.session_state["lstmx.step"] == 0


def test_unit_select_changes_the_equations(app_at):
    at = app_at(PAGE, text="units", hidden=10)
    at.number_input(key="w.unit").set_value(7).run()
    assert_clean_run(at)
    _, _, trace = engine_trace("units", hidden=10)
    assert at.query_params["unit"] == "7"
    assert f"{trace.o[0, 7]:.3f}" in at.latex[0].value


@pytest.mark.parametrize("widget, value", [("lstmx.tok", "words"), ("lstmx.lang", "zh")])
def test_sidebar_radios(app_at, widget, value):
    at = app_at(PAGE, text="two words and more")
    at.radio(key=widget).set_value(value).run()
    assert_clean_run(at)
    if widget == "lstmx.tok":
        assert at.slider(key="w.step").max == 3  # "two", "words", "and", "more"


def test_hidden_size_and_seed_change_the_model(app_at):
    at = app_at(PAGE, text="resize")
    at.slider(key="lstmx.hidden").set_value(7).run()
    assert_clean_run(at)
    assert decode_plotly_array(plotly_trace(at, "h")["z"]).size == 7
    at.number_input(key="lstmx.seed").set_value(5).run()
    _, _, trace = engine_trace("resize", hidden=7, seed=5)
    np.testing.assert_allclose(decode_plotly_array(plotly_trace(at, "h")["z"]).reshape(-1), trace.h[0],
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kind", ["GRU", "RNN"])
def test_uploaded_gru_and_rnn_have_their_own_equations(app_at, kind):
    import lstm_viz
    from lstm_viz.data import weight_files as interop

    model = getattr(lstm_viz, kind)(16, 6, seed=2)
    at = app_at(PAGE, src="upload", text="other cells", step=2, unit=4)
    at.file_uploader(key="lstmx.upload").upload(f"{kind}.npz", interop.weights_to_bytes(model)).run()
    assert_clean_run(at)
    from lstm_viz.data import text as textlib

    trace = model.forward(textlib.hash_embedding(textlib.tokenize_chars("other cells"), 16, seed=0))
    latex = at.latex[0].value
    assert f"{trace.h[2, 4]:.3f}" in latex
    assert ("z_t" in latex) == (kind == "GRU")
    np.testing.assert_allclose(decode_plotly_array(plotly_trace(at, "h")["z"]).reshape(-1), trace.h[2],
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_unit_terms_are_the_engine_step_numbers(kind):
    """The page's per-unit numbers are the engine's step t, picked at the unit (and they satisfy the equations)."""
    from lstm_viz.analysis.step_terms import unit_terms
    from lstm_viz.nn import make_layer

    model = make_layer(kind, 5, 7, seed=3)
    x = np.random.default_rng(0).normal(size=(6, 5))
    trace = model.forward(x)
    t, unit = 4, 2
    u = unit_terms(model.step_numbers(trace, t), unit)
    np.testing.assert_allclose(u["h"], trace.h[t, unit], rtol=1e-12)
    np.testing.assert_allclose(u["h_prev"], trace.h[t - 1, unit], rtol=1e-12)
    gates = {"lstm": "ifgo", "gru": "rzn", "rnn": "h"}[kind]
    for gate in gates:
        np.testing.assert_allclose(u[gate], getattr(trace, gate)[t, unit], rtol=1e-12)
        if not (kind == "gru" and gate == "n"):
            assert u[f"a_{gate}"] == pytest.approx(u[f"ax_{gate}"] + u[f"ah_{gate}"], rel=1e-12)
    sigmoid = lambda a: 1 / (1 + np.exp(-a))  # noqa: E731 - an independent check of the engine's numbers
    if kind == "lstm":
        assert u["f"] == pytest.approx(sigmoid(u["a_f"]), rel=1e-12)
        assert u["c"] == pytest.approx(u["f"] * u["c_prev"] + u["ig"], rel=1e-12)
        assert u["h"] == pytest.approx(u["o"] * u["tanh_c"], rel=1e-12)
        assert u["dc"] == pytest.approx(trace.c[t, unit] - trace.c[t - 1, unit], rel=1e-12)
    elif kind == "gru":
        assert u["a_n"] == pytest.approx(u["ax_n"] + u["r"] * u["ah_n"], rel=1e-12)
        assert u["h"] == pytest.approx(u["one_minus_z"] * u["n"] + u["z"] * u["h_prev"], rel=1e-12)
    else:
        assert u["h"] == pytest.approx(np.tanh(u["a_h"]), rel=1e-12)
