"""The Guided lesson (AppTest): every stop renders in English and 中文, previous / next / the picker move and the URL
follows, a bad ``stop`` in a link gives a clear note and stop 1, the numbers drawn are the engine's (recomputed here),
and "open this in the full page" hands the stop's state to that page."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lstm_viz import LSTM
from lstm_viz.data import text as textlib
from lstm_viz.data.pretrained import load_pretrained
from lstm_viz.gradients import jacobian_norms
from lstm_viz.nn import make_layer
from lstm_viz.ui import i18n
from lstm_viz.ui import lesson as lib

from conftest import assert_clean_run, decode_plotly_array, heatmap_values, page_texts

TIMEOUT = 60
N = len(lib.STOPS)


def header(at) -> str:
    return at.header[0].value


def title(number: int, lang: str = "en") -> str:
    return f"{number}. " + i18n.t(f"lesson.{lib.STOPS[number - 1].key}.title", lang)


def charts(at) -> dict[str, dict]:
    return {element.key: json.loads(element.proto.spec) for element in at.get("plotly_chart")}


def stop_param(at) -> str:
    value = at.query_params["stop"]
    return value[-1] if isinstance(value, list) else value


def test_every_stop_has_a_view_and_strings_in_both_languages():
    import importlib.util
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "pages" / "lesson.py").read_text(encoding="utf-8")
    views = source[source.index("VIEWS = {"):]
    keys = [stop.key for stop in lib.STOPS]
    assert len(set(keys)) == N >= 10
    for key in keys:
        assert f'"{key}":' in views, f"stop {key} has no view function"
        for part in ("title", "body"):
            entry = i18n.all_strings().get(f"lesson.{key}.{part}")
            assert entry and entry["en"].strip() and entry["zh"].strip(), (key, part)
    assert not [k for k in i18n.missing_translations() if k[0].startswith(("lesson.", "nav.lesson"))]
    assert importlib.util.find_spec("lstm_viz.ui.strings.lesson") is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_stop_renders_and_next_walks_through_all_of_them(app_at, lang):
    at = app_at("lesson", lang=lang, stop=1)
    for number in range(1, N + 1):
        assert_clean_run(at)
        assert header(at) == title(number, lang)
        assert stop_param(at) == str(number)
        assert at.get("plotly_chart"), f"stop {number} draws no chart"
        assert at.latex, f"stop {number} has no equation"
        assert not at.error, [e.value for e in at.error]
        progress = at.get("progress")[0].proto
        assert progress.text == i18n.t("lesson.progress", lang, k=number, n=N) and progress.value == 100 * number // N
        next_button = at.button(key="lesson.next.bottom")
        if number == N:
            assert next_button.disabled
        else:
            next_button.click().run(timeout=TIMEOUT)


def test_the_url_previous_and_the_picker_choose_the_stop(app_at):
    at = app_at("lesson", stop=4)
    assert_clean_run(at)
    assert header(at) == title(4) and stop_param(at) == "4"
    at.button(key="lesson.prev.bottom").click().run(timeout=TIMEOUT)
    assert header(at) == title(3) and stop_param(at) == "3"
    at.selectbox(key="w.lesson.pick").set_value(9).run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert header(at) == title(9) and stop_param(at) == "9"
    at = app_at("lesson", stop=1)
    assert at.button(key="lesson.prev.bottom").disabled


@pytest.mark.parametrize("raw, problem", [("abc", "bad"), ("2.5", "bad"), ("0", "range"), ("42", "range"),
                                          ("-3", "range")])
def test_a_bad_stop_in_the_link_gives_a_note_and_stop_1(app_at, raw, problem):
    at = app_at("lesson", stop=raw)
    assert_clean_run(at)
    assert header(at) == title(1)
    assert i18n.t(f"lesson.stop_{problem}", "en", n=N) in [info.value for info in at.info]
    assert stop_param(at) == "1"
    at.run(timeout=TIMEOUT)   # the note belongs to the link: the next run has none
    assert i18n.t(f"lesson.stop_{problem}", "en", n=N) not in [info.value for info in at.info]


def test_parse_stop():
    assert lib.parse_stop("3") == (3, None) and lib.parse_stop(" 11 ") == (11, None)
    assert lib.parse_stop(None) == (1, None)
    assert lib.parse_stop("x")[1] == "bad" and lib.parse_stop(str(N + 1)) == (1, "range")


def _sentence_input() -> np.ndarray:
    tokens = textlib.tokenize_chars(lib.SENTENCE)
    return np.asarray(textlib.hash_embedding(tokens, 16, seed=0, dtype=np.float64))      # (T, 16)


def test_the_vanishing_gradient_stop_draws_the_engines_rnn_and_lstm_like_for_like(app_at):
    at = app_at("lesson", stop=2)
    assert_clean_run(at)
    figure = charts(at)["lesson.vanishing"]
    curves = {trace["name"]: decode_plotly_array(trace["y"]).astype(float) for trace in figure["data"]}
    x = _sentence_input()
    rnn = make_layer("rnn", 16, 32, seed=0)
    lstm = LSTM(16, 32, seed=0, forget_bias=1.0)
    np.testing.assert_allclose(curves["simple RNN"], jacobian_norms(rnn, x, ord=2)[::-1], rtol=1e-6)
    np.testing.assert_allclose(curves["LSTM"], jacobian_norms(lstm, x, ord=2)[::-1], rtol=1e-6)
    sigma = np.linalg.norm(rnn.weight_hh, 2)
    assert f"= {sigma:.3f}" in page_texts(at)


def test_the_forget_gate_stop_shows_the_code_models_gates_and_opens_gate_heatmaps_with_them(app_at):
    at = app_at("lesson", stop=4)
    assert_clean_run(at)
    lm = load_pretrained("python-code")
    x, _ = lm.encode_text(lib.CODE)
    trace = lm.rnn.forward(np.asarray(x))
    figure = charts(at)["lesson.forget"]
    units = [int(u) for u in figure["data"][0]["y"]]
    np.testing.assert_allclose(heatmap_values(figure), trace.f[:, units].T, rtol=1e-5,
                               atol=1e-6)
    t = lib.CODE_QUOTE_STEP
    assert f"f = {trace.f[t, units[0]]:.3f}" in page_texts(at)      # the keeper's gate, in the sentence
    at.button(key="lesson.open").click().run(timeout=TIMEOUT)
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert ctx.page == "gate_heatmaps"
    assert (ctx.model_settings["source"], ctx.model_settings["pretrained"], ctx.text) == ("pretrained", "python-code",
                                                                                        lib.CODE)
    assert (ctx.step, ctx.unit) == (t, units[0])
    assert at.session_state["lstmx.hm.list"] == ", ".join(str(u) for u in units)


def test_the_cell_update_stop_uses_the_sidebars_network_or_says_why_not(app_at):
    at = app_at("lesson", stop=7, hidden=8, text="abcdef", step=3, unit=2)
    assert_clean_run(at)
    model = LSTM(16, 8, seed=0, forget_bias=1.0)
    trace = model.forward(np.asarray(textlib.hash_embedding(list("abcdef"), 16, seed=0, dtype=np.float64)))
    assert f"h = {trace.h[3, 2]:.3f}" in page_texts(at)
    assert i18n.t("lesson.update.fallback", "en") not in [info.value for info in at.info]
    at.sidebar.text_area[0].input("   ").run(timeout=TIMEOUT)            # no usable text: the code model instead
    assert_clean_run(at)
    assert i18n.t("lesson.update.fallback", "en") in [info.value for info in at.info]
    assert "lesson.update" in charts(at)
