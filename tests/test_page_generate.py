"""Generate page (AppTest): the text and every step's top-5 are CharLM.generate's, the cell is the engine's at the
step that chose the character, temperature / top-k / length / seed (also from the URL), out-of-vocabulary primes."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from conftest import APP_PATH, assert_clean_run, page_texts, plotly_specs
from conftest import decode_plotly_array as decode
from lstm_viz.data.pretrained import list_pretrained, load_pretrained
from lstm_viz.ui import generate_runs as runs

pytestmark = pytest.mark.slow
TIMEOUT = 60
needs_models = pytest.mark.skipif(not {"python-code", "tang-poetry"} <= set(list_pretrained("char-lm")),
                                  reason="the shipped language models are not present")


def open_page(state: dict | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.query_params.update({"src": "random", "page": "generate", **{k: str(v) for k, v in query.items()}})
    at.run()
    assert_clean_run(at)
    return at


def shown_text(at) -> str:
    return at.code[0].value


def bar_probs(at) -> np.ndarray:
    bar = next(t for spec in plotly_specs(at) for t in spec["data"] if t["type"] == "bar")
    return decode(bar["x"])


@needs_models
def test_default_generation_is_the_models():
    at = open_page()
    assert at.selectbox(key=runs.KEY_MODEL).value == "python-code"
    lm = load_pretrained("python-code")
    gen = lm.generate(runs.DEFAULTS["len"], runs.DEFAULT_PRIME["python-code"], temperature=runs.DEFAULTS["temp"],
                      seed=runs.DEFAULTS["seed"], shown=runs.SHOWN)
    assert shown_text(at) == gen.text
    np.testing.assert_allclose(bar_probs(at), gen.top_probs[0], atol=1e-6)


@needs_models
def test_stepping_shows_that_steps_candidates_and_the_cell_that_chose():
    at = open_page({runs.KEY_PRIME: "class ", runs.KEY_LEN: 30, runs.KEY_SEED: 5, runs.KEY_UNIT: 3})
    at.slider(key=runs.KEY_STEP).set_value(7).run()
    assert_clean_run(at)
    lm = load_pretrained("python-code")
    gen = lm.generate(30, "class ", temperature=runs.DEFAULTS["temp"], seed=5, shown=runs.SHOWN)
    np.testing.assert_allclose(bar_probs(at), gen.top_probs[7], atol=1e-6)
    t = len("class ") + 7 - 1                                    # the state that gave character 7's distribution
    trace = lm.rnn.forward(lm.encode_text(gen.text)[0])
    cell = plotly_specs(at)[-1]
    assert f"Step {t}, unit 3" in cell["layout"]["title"]["text"]
    assert f"{trace.f[t, 3]:.2f}" in page_texts(at)
    at.button(key="gen.next").click().run()
    assert at.session_state[runs.KEY_STEP] == 8
    np.testing.assert_allclose(bar_probs(at), gen.top_probs[8], atol=1e-6)


@needs_models
def test_options_from_the_url_and_a_bad_one():
    at = open_page(prime="for ", temp="0.3", topk="1", len="25", gseed="9")
    assert at.slider(key=runs.KEY_TEMP).value == pytest.approx(0.3)
    lm = load_pretrained("python-code")
    gen = lm.generate(25, "for ", temperature=0.3, top_k=1, seed=9, shown=runs.SHOWN)
    assert shown_text(at) == gen.text
    assert all(p[0] == pytest.approx(1.0) for p in gen.top_probs)            # top-1: greedy
    assert at.query_params["temp"] in ("0.3", ["0.3"])
    bad = open_page(temp="9")
    assert bad.slider(key=runs.KEY_TEMP).value == pytest.approx(runs.DEFAULTS["temp"])
    assert any("temp" in w.value for w in bad.sidebar.warning)


@needs_models
def test_another_sample_changes_the_seed_and_the_text():
    at = open_page({runs.KEY_LEN: 40})
    first = shown_text(at)
    at.button(key="gen.another").click().run()
    assert_clean_run(at)
    assert at.session_state[runs.KEY_SEED] == 1
    assert shown_text(at) != first


@needs_models
def test_empty_prime_and_chinese_prime_into_the_code_model():
    at = open_page({runs.KEY_PRIME: "", runs.KEY_LEN: 10})
    assert "drawn uniformly" in page_texts(at)
    at = open_page({runs.KEY_PRIME: "床前明月光", runs.KEY_LEN: 10})
    warning = " ".join(w.value for w in at.warning)
    assert "python-code" in warning and "5 of the distinct tokens" in warning
    switch = at.button(key="vocab.switch.generate.tang-poetry")
    switch.click().run()
    assert_clean_run(at)
    assert at.session_state[runs.KEY_MODEL] == "tang-poetry"


@needs_models
def test_chinese_page_uses_the_poetry_model():
    at = open_page(lang="zh")
    assert at.selectbox(key=runs.KEY_MODEL).value == "tang-poetry"
    assert "生成的文本" in page_texts(at)
    lm = load_pretrained("tang-poetry")
    gen = lm.generate(runs.DEFAULTS["len"], runs.DEFAULT_PRIME["tang-poetry"], temperature=runs.DEFAULTS["temp"],
                      seed=0, shown=runs.SHOWN)
    assert shown_text(at) == gen.text


@pytest.mark.parametrize("prime", ["<script>alert(1)</script>", "$x$ **b**", "\x00\x07", "👩‍👩‍👧‍👦"])
def test_hostile_primes_never_crash(prime):
    at = open_page({runs.KEY_PRIME: prime, runs.KEY_LEN: 8})
    assert "<script>" not in " ".join(str(e.proto.body) for e in at.get("html"))
