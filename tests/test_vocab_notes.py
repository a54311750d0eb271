"""Out-of-vocabulary text on every page (lstm_viz.ui.vocab through context.show_text_notes): how many tokens and
which, and a switch to the shipped model that reads them; a sentiment classifier as the sidebar's shipped network
on every page."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from apptest_support import registered_pages
from conftest import APP_PATH, assert_clean_run
from lstm_viz.data import pretrained
from lstm_viz.data.pretrained import list_pretrained, load_pretrained
from lstm_viz.nn.classifier import ClassifierConfig, SentimentClassifier
from lstm_viz.ui import vocab

pytestmark = pytest.mark.slow
TIMEOUT = 60
POEM = "床前明月光，疑是地上霜。"
needs_models = pytest.mark.skipif(not {"python-code", "tang-poetry"} <= set(list_pretrained("char-lm")),
                                  reason="the shipped language models are not present")


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT)
    at.query_params.update({"page": page, **{k: str(v) for k, v in query.items()}})
    at.run()
    assert_clean_run(at)
    return at


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


@needs_models
@pytest.mark.parametrize("page", ["step_by_step", "gate_heatmaps", "vanishing_gradients"])
def test_chinese_in_the_code_model_is_named_and_the_poetry_model_offered(page):
    at = open_page(page, src="pretrained", model="python-code", text=POEM)
    unknown = load_pretrained("python-code").unknown_chars(POEM)
    assert unknown
    text = warnings(at)
    assert f"does not know {len(unknown)} of the distinct tokens" in text
    assert all(ch in text for ch in unknown)
    at.button(key=f"vocab.switch.ctx.{page}.tang-poetry").click().run()
    assert_clean_run(at)
    assert at.session_state["lstmx.pretrained"] == "tang-poetry"
    assert "does not know" not in warnings(at)


@needs_models
def test_english_in_the_poetry_model_offers_the_code_model():
    at = open_page("step_by_step", src="pretrained", model="tang-poetry", text="def f(x): return x")
    assert "tang-poetry" in warnings(at)
    assert at.button(key="vocab.switch.ctx.step_by_step.python-code")


def test_the_random_lstm_has_no_vocabulary_to_complain_about():
    at = open_page("step_by_step", src="random", text=POEM)
    assert "does not know" not in warnings(at)


def test_reader_counts_like_the_classifier():
    clf = SentimentClassifier(["good", "bad", "not"], ClassifierConfig(tokenizer="word", embed_size=4, hidden_size=3))
    reader = vocab.reader_of(clf)
    distinct, missing, total = reader.unknown("Not good, not BAD at all!")
    assert distinct == clf.unknown_tokens("Not good, not BAD at all!") == [",", "at", "all", "!"]
    assert (missing, total) == (4, 8)


@pytest.fixture
def shipped_classifier(tmp_path, monkeypatch):
    """A weights folder holding the shipped files plus a tiny classifier "sentiment-tinytest"."""
    for source in pretrained.PRETRAINED_DIR.glob("*"):
        if not source.name.startswith("."):
            (tmp_path / source.name).symlink_to(source)
    clf = SentimentClassifier(list("好坏不是很一点也"), ClassifierConfig(tokenizer="char", embed_size=4, hidden_size=5,
                                                                  seed=1), name="sentiment-tinytest")
    clf.save(tmp_path / "sentiment-tinytest.npz")
    monkeypatch.setattr(pretrained, "PRETRAINED_DIR", tmp_path)
    return "sentiment-tinytest"


@pytest.mark.parametrize("page", registered_pages())
def test_a_shipped_classifier_in_the_sidebar_works_on_every_page(shipped_classifier, page):
    at = open_page(page, src="pretrained", model=shipped_classifier, text="一点也不好")
    assert at.session_state["lstmx.pretrained"] == shipped_classifier
    if page == "sentiment":
        assert "sidebar's classifier" in " ".join(c.value for c in at.caption)
        assert at.metric[0].value.startswith(f"{load_pretrained(shipped_classifier).predict_proba('一点也不好'):.3f}")
    if page == "cells":
        assert len(at.selectbox(key="lstmx.cells.model").options) == len(list_pretrained("char-lm"))  # no classifier
    assert np.isfinite(at.session_state["lstmx.unit"])
