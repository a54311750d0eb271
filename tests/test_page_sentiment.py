"""Sentiment page (AppTest): every plotted number is the classifier's own, the examples, the what-if, the summary,
the links to the other pages, hostile text, the URL, and the message when no classifier is shipped.

The page is tested on small seeded classifiers built here (a word one and a character one), handed to the app as
the sidebar's network (``src=trained``), so the numbers do not depend on the shipped weights.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from conftest import APP_PATH, HOSTILE_TEXTS, assert_clean_run, page_texts, plotly_specs
from conftest import decode_plotly_array as decode
from lstm_viz.data.pretrained import list_pretrained
from lstm_viz.nn.classifier import ClassifierConfig, SentimentClassifier
from lstm_viz.ui import sentiment_runs, urlstate

TIMEOUT = 60
WORDS = ("a film not bad at all good great dull wonderful boring moving with brilliant performances , . i it "
         "was but expected to hate love awful lifeless mess that wastes fine cast sharp").split()
CHARS = list("这家酒店服务很好差房间干净下次还会再来一点也不质量太了用两天就坏非常失望，。")


def tiny_classifier(tokenizer: str = "word", seed: int = 3) -> SentimentClassifier:
    vocab = WORDS if tokenizer == "word" else CHARS
    clf = SentimentClassifier(vocab, ClassifierConfig(tokenizer=tokenizer, embed_size=8, hidden_size=10, seed=seed),
                              name=f"tiny-{tokenizer}", dtype=np.float64)
    rng = np.random.default_rng(seed)
    clf.params["w_out"][...] = rng.normal(0.0, 1.5, clf.params["w_out"].shape)  # a head that says something
    clf.weights_changed()
    return clf


@pytest.fixture(scope="module")
def word_clf():
    return tiny_classifier("word")


@pytest.fixture(scope="module")
def char_clf():
    return tiny_classifier("char")


def open_page(clf, state: dict | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT)
    at.session_state["trained_network"] = clf
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.query_params.update({"src": "trained", "page": "sentiment", **{k: str(v) for k, v in query.items()}})
    at.run()
    assert_clean_run(at)
    return at


def traces_named(at) -> dict[str, dict]:
    out = {}
    for spec in plotly_specs(at):
        for trace in spec["data"]:
            out.setdefault(trace.get("name"), trace)
    return out


def colored_values(at, title: str) -> np.ndarray:
    """The values in the tooltips of the coloured text titled ``title``."""
    for element in at.get("html"):
        body = str(element.proto.body)
        if title in body:
            return np.array([float(v) for v in re.findall(r'title="t=\d+: (-?[0-9.]+|nan)"', body)])
    raise KeyError(title)


def test_the_curve_and_the_contributions_are_the_classifiers(word_clf):
    review = "not bad at all , a wonderful film"
    at = open_page(word_clf, {sentiment_runs.KEY_TEXT: review})
    curve = traces_named(at)["A (review)"]
    np.testing.assert_allclose(decode(curve["y"]), word_clf.step_probabilities(review), atol=1e-6)
    assert list(curve["customdata"]) == [tok + " " for tok in word_clf.tokenize(review)]
    np.testing.assert_allclose(colored_values(at, "Gradient × input"), word_clf.gradient_x_input(review), atol=6e-4)
    np.testing.assert_allclose(colored_values(at, "Leave-one-out"), word_clf.leave_one_out(review), atol=6e-4)
    assert f"{word_clf.predict_proba(review):.3f}" in at.metric[0].value


def test_the_units_that_decided_and_their_traces(word_clf):
    review = "i expected to hate it , but it was great ."
    at = open_page(word_clf, {sentiment_runs.KEY_TEXT: review})
    head = word_clf.head_contributions(review)
    assert np.isclose(head.sum() + word_clf.b_out, word_clf.logit(review))
    order = np.argsort(-head)
    positive = [int(u) for u in order[:3] if head[u] > 0]
    negative = [int(u) for u in order[::-1][:3] if head[u] < 0]
    units = positive + negative
    bars = next(t for spec in plotly_specs(at) for t in spec["data"] if t["type"] == "bar")
    np.testing.assert_allclose(decode(bars["x"]), head[units], atol=1e-6)
    h, _ = word_clf.hidden_states(review)
    names = traces_named(at)
    for u in units:
        np.testing.assert_allclose(decode(names[f"h[{u}]"]["y"]), h[:, u], atol=1e-6)


def test_what_if_overlays_both_curves_and_the_gate_differences(word_clf):
    a, b = "not bad at all", "not good at all"
    at = open_page(word_clf, {sentiment_runs.KEY_TEXT: a, sentiment_runs.KEY_WHATIF: b, sentiment_runs.KEY_UNIT: 4})
    names = traces_named(at)
    np.testing.assert_allclose(decode(names["B (changed)"]["y"]), word_clf.step_probabilities(b), atol=1e-6)
    trace_a = word_clf.rnn.forward(word_clf.encode_text(a)[0])
    trace_b = word_clf.rnn.forward(word_clf.encode_text(b)[0])
    np.testing.assert_allclose(decode(names["A (review): forget gate f"]["y"]), trace_a.f[:, 4], atol=1e-6)
    np.testing.assert_allclose(decode(names["B (changed): forget gate f"]["y"]), trace_b.f[:, 4], atol=1e-6)
    heat = [t for spec in plotly_specs(at) for t in spec["data"] if t["type"] == "heatmap"]
    assert len(heat) == 4                                                  # i, f, g, o
    units = [int(u) for u in heat[0]["y"]]
    np.testing.assert_allclose(decode(heat[1]["z"]), (trace_b.f - trace_a.f)[:, units].T, atol=1e-6)
    assert f"{word_clf.predict_proba(b):.3f}" in page_texts(at)


def test_the_keras_summary_is_read_from_the_model(char_clf):
    review = "一点也不好"
    at = open_page(char_clf, {sentiment_runs.KEY_TEXT: review})
    table = at.table[0].value
    params = [int(str(v).replace(",", "")) for v in table.iloc[:, -1]]
    V, E, H = char_clf.vocab_size, char_clf.embed_size, char_clf.hidden_size
    assert params == [V * E, 4 * H * (E + H) + 8 * H, H + 1]
    assert sum(params) == char_clf.num_parameters()
    assert list(table.iloc[:, 1]) == [f"(None, 5, {E})", f"(None, {H})", "(None, 1)"]
    assert f"{char_clf.num_parameters():,}" in page_texts(at)


def test_examples_fill_the_review_and_the_what_if(word_clf):
    at = open_page(word_clf)
    tricky = next(b for b in at.button if b.label.startswith("tricky: negation") and "not bad" in b.label)
    tricky.click().run()
    assert_clean_run(at)
    assert at.session_state[sentiment_runs.KEY_TEXT] == "not bad at all"
    assert at.session_state[sentiment_runs.KEY_WHATIF] == "not good at all"
    np.testing.assert_allclose(decode(traces_named(at)["A (review)"]["y"]),
                               word_clf.step_probabilities("not bad at all"), atol=1e-6)


def test_chinese_classifier_in_chinese(char_clf):
    at = open_page(char_clf, lang="zh")
    assert at.session_state[sentiment_runs.KEY_TEXT] == next(e.text for e in sentiment_runs.EXAMPLES if e.lang == "zh")
    assert "哪些单元做了决定" in page_texts(at)
    names = traces_named(at)
    review = at.session_state[sentiment_runs.KEY_TEXT]
    np.testing.assert_allclose(decode(names["A（原评论）"]["y"]), char_clf.step_probabilities(review), atol=1e-6)


def test_unknown_tokens_are_named(word_clf):
    at = open_page(word_clf, {sentiment_runs.KEY_TEXT: "not bad at all , zebra giraffe"})
    warning = " ".join(w.value for w in at.warning)
    assert "2 of the distinct tokens" in warning and "zebra giraffe" in warning and "<unk>" in warning


def test_the_links_put_the_classifier_and_review_into_the_sidebar(word_clf):
    review = "a wonderful film , not boring"
    at = open_page(word_clf, {sentiment_runs.KEY_TEXT: review})
    unit = at.selectbox(key="sent.open_unit").value
    at.button(key="sent.to_step").click().run()
    assert_clean_run(at)
    assert at.session_state["lstmx.text"] == review
    assert at.session_state["lstmx.unit"] == unit
    assert at.session_state["lstmx.page"] == "step_by_step"
    assert at.session_state["lstmx.src"] == "trained"


def test_heatmap_link_sets_the_unit_list(word_clf):
    at = open_page(word_clf, {sentiment_runs.KEY_TEXT: "dull boring mess"})
    at.button(key="sent.to_heatmaps").click().run()
    assert_clean_run(at)
    assert at.session_state["lstmx.page"] == "gate_heatmaps"
    assert at.session_state["lstmx.hm.subset"] == "list"
    assert at.session_state["lstmx.text"] == "dull boring mess"


@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_hostile_reviews_never_crash(word_clf, name):
    at = open_page(word_clf, {sentiment_runs.KEY_TEXT: HOSTILE_TEXTS[name], sentiment_runs.KEY_WHATIF: HOSTILE_TEXTS[name]})
    html = " ".join(str(e.proto.body) for e in at.get("html"))
    assert "<script>" not in html
    if not word_clf.tokenize(HOSTILE_TEXTS[name]):
        assert any("at least one token" in i.value for i in at.info)
    if name == "long":
        assert any("analyses the first 200" in i.value for i in at.info)


def test_the_review_is_in_the_url(word_clf):
    at = open_page(word_clf, review="not bad at all", whatif="not good at all")
    assert at.session_state[sentiment_runs.KEY_TEXT] == "not bad at all"
    assert at.query_params["review"] == ["not bad at all"] or at.query_params["review"] == "not bad at all"
    np.testing.assert_allclose(decode(traces_named(at)["B (changed)"]["y"]),
                               word_clf.step_probabilities("not good at all"), atol=1e-6)


def test_a_long_review_travels_compressed_and_opens_the_same_review(char_clf):
    """The review and the what-if text go into the link like the sidebar's text: compressed (rz=, wz=) when that is
    shorter, within the link's budget; a visitor of the link reads the same texts."""
    review = "".join(CHARS[(7 * k) % len(CHARS)] for k in range(1500))
    whatif = review[:-1] + "差"
    at = open_page(char_clf, {sentiment_runs.KEY_TEXT: review, sentiment_runs.KEY_WHATIF: whatif})
    link = {name: at.query_params[name] for name in at.query_params}
    assert "rz" in link and "wz" in link and "review" not in link and "whatif" not in link
    assert len(urlencode(link)) <= urlstate.MAX_QUERY_CHARS
    assert not at.sidebar.warning                                 # the link carries both texts whole
    visitor = open_page(char_clf, **link)
    assert visitor.session_state[sentiment_runs.KEY_TEXT] == review
    assert visitor.session_state[sentiment_runs.KEY_WHATIF] == whatif


def test_without_a_classifier_the_page_says_so_or_offers_the_shipped_ones(app_at):
    at = app_at("sentiment")
    assert_clean_run(at)
    shipped = list_pretrained("sentiment-classifier")
    if shipped:
        assert at.selectbox(key=sentiment_runs.KEY_MODEL).options == shipped
    else:
        assert any("No sentiment model is shipped" in w.value for w in at.warning)


def test_an_example_review_follows_the_language_switch(app_at):
    at = app_at("sentiment", run=False)
    at.session_state[sentiment_runs.KEY_TEXT] = "not bad at all"
    at.run()
    at.sidebar.radio(key="lstmx.lang").set_value("zh").run()
    assert_clean_run(at)
    assert at.session_state[sentiment_runs.KEY_TEXT] == "一点也不好"
    assert at.session_state[sentiment_runs.KEY_WHATIF] == "一点也不差"
    if "sentiment-zh" in list_pretrained("sentiment-classifier"):
        assert at.session_state[sentiment_runs.KEY_MODEL] == "sentiment-zh"
