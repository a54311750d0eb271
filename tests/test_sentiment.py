"""The sentiment classifier (lstm_viz.nn.classifier) and the shipped sentiment-zh / sentiment-en models.

Unit tests use small float64 classifiers: gradients against central differences, the per-step probabilities
against predictions on prefixes, both token contributions against their definitions, tokenizers, unknown
tokens, save/load. The shipped-model tests score held-out test examples of the documented split (stored
below, taken from the test part of the split that ``scripts/train_sentiment.py`` prints).
"""

import io
import json
from pathlib import Path

import numpy as np
import pytest

from lstm_viz.analysis.gradcheck import central_difference
from lstm_viz.nn.charlm import CharLM
from lstm_viz.nn.classifier import PARAM_NAMES, UNK, ClassifierConfig, SentimentClassifier, tokenize
from lstm_viz.pretrained import load_pretrained, model_card


def small(tokenizer="char", dtype=np.float64, seed=3) -> SentimentClassifier:
    vocab = list("好不差很书") if tokenizer == "char" else ["good", "bad", "not", "film", "a", "!"]
    clf = SentimentClassifier(vocab, ClassifierConfig(tokenizer, 5, 4, 1.0, seed), name="tiny",
                              example_text="书很好" if tokenizer == "char" else "a good film", dtype=dtype)
    rng = np.random.default_rng(seed)
    for array in clf.params.values():  # away from the initial zeros of the biases and head
        array += rng.normal(0.0, 0.3, array.shape).astype(dtype)
    clf.weights_changed()
    return clf


# ----------------------------------------------------------------------------- tokenizers and vocabulary


def test_tokenizers():
    assert tokenize("书 很好，\n不差！", "char") == ["书", "很", "好", ",", "不", "差", "!"]  # NFKC: ，-> ,
    assert tokenize("It's NOT bad—at all! Don’t.", "word") == ["it's", "not", "bad", "—", "at", "all", "!", "don't", "."]
    assert tokenize("   ", "word") == [] and tokenize("", "char") == []
    with pytest.raises(ValueError):
        tokenize("x", "bpe")


def test_unknown_tokens_are_listed_once_in_order_and_read_as_unk():
    clf = small()
    assert clf.unknown_tokens("书很棒棒，好") == ["棒", ","]
    assert clf.unknown_tokens("书很好") == []
    ids = clf.encode_ids("书棒")
    assert ids[1] == clf.unk_id and clf.vocab[clf.unk_id] == UNK
    words = small("word")
    assert words.unknown_tokens("A GOOD movie, a good film") == ["movie", ","]


def test_trained_network_protocol():
    clf = small()
    x, tokens = clf.encode_text("书 很好")
    assert tokens == ["书", "很", "好"] and x.shape == (3, 5) and x.dtype == np.float64
    assert clf.rnn.kind == "lstm" and clf.rnn.input_size == 5 and clf.name == "tiny" and clf.example_text
    trace = clf.rnn.forward(x)
    np.testing.assert_allclose(np.asarray(trace.h), clf.hidden_states("书很好")[0])
    with pytest.raises(ValueError, match="empty"):
        clf.encode_text("   ")
    # not a character language model: the Cells page must not mistake it for one
    assert not hasattr(clf, "top_k") and not hasattr(clf, "bits_per_char")


# ----------------------------------------------------------------------------- predictions


def test_step_probabilities_are_the_predictions_on_prefixes():
    clf = small()
    text = "书很好不差好"
    steps = clf.step_probabilities(text)
    assert steps.shape == (6,)
    assert steps[-1] == pytest.approx(clf.predict_proba(text), abs=1e-12)
    for t in range(len(text)):
        assert steps[t] == pytest.approx(clf.predict_proba(text[: t + 1]), abs=1e-12)
    np.testing.assert_allclose(1 / (1 + np.exp(-clf.step_logits(text))), steps)


def test_batch_predictions_equal_single_ones():
    clf = small("word")
    texts = ["a good film", "not good", "bad bad !", "a film", "good", "not a bad film !"]
    batch = clf.predict_proba_batch(texts, max_batch=2)
    np.testing.assert_allclose(batch, [clf.predict_proba(t) for t in texts], rtol=0, atol=1e-12)


def test_head_contributions_add_up_to_the_logit():
    clf = small()
    parts = clf.head_contributions("书很不好")
    assert parts.shape == (4,)
    assert parts.sum() + clf.b_out == pytest.approx(clf.logit("书很不好"), abs=1e-12)


# ----------------------------------------------------------------------------- gradients


def test_training_gradients_match_central_differences():
    clf = small()
    ids = np.array([[0, 1, 2], [3, 4, 5], [1, 1, 0], [2, 5, 3]])  # (T=4, B=3)
    labels = np.array([1, 0, 1])
    _, _, grads = clf.loss_and_grads(ids, labels)
    assert set(grads) == set(PARAM_NAMES)
    loss = lambda: clf.loss_and_grads(ids, labels)[0]  # noqa: E731
    for name, array in clf.params.items():
        picks = np.arange(array.size) if array.size <= 40 else np.random.default_rng(0).choice(array.size, 40, replace=False)
        numeric = central_difference(loss, array, indices=picks)
        np.testing.assert_allclose(grads[name].reshape(-1)[picks], numeric, rtol=1e-5, atol=1e-8, err_msg=name)


def test_logit_gradient_matches_central_differences_on_the_inputs():
    clf = small()
    dx, x, tokens = clf.logit_gradient("书很不好")
    logit_of = lambda: float(np.asarray(clf.rnn.forward(x).h)[-1] @ clf.w_out + clf.b_out)  # noqa: E731
    np.testing.assert_allclose(dx, central_difference(logit_of, x), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(clf.gradient_x_input("书很不好"), (dx * x).sum(axis=1))


def test_leave_one_out_recomputes_without_each_token():
    clf = small()
    text = "书很不好"
    loo = clf.leave_one_out(text)
    full = clf.logit(text)
    for t in range(len(text)):
        assert loo[t] == pytest.approx(full - clf.logit(text[:t] + text[t + 1:]), abs=1e-12)
    assert clf.leave_one_out("好")[0] == pytest.approx(clf.logit("好") - clf.b_out)  # empty text: head on zero state


# ----------------------------------------------------------------------------- files


def test_save_load_round_trip_without_pickle(tmp_path):
    clf = small("word", dtype=np.float32)
    clf.info = {"test_accuracy": 0.5}
    path = tmp_path / "clf.npz"
    clf.save(path)
    again = SentimentClassifier.load(path)
    assert again.vocab == clf.vocab and again.config == clf.config and again.info == clf.info
    assert again.name == "tiny" and again.example_text == "a good film"
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(again.params[name], clf.params[name])
    assert again.predict_proba("not a good film") == clf.predict_proba("not a good film")
    buffer = io.BytesIO()
    clf.save(buffer)
    buffer.seek(0)
    assert SentimentClassifier.is_classifier_file(buffer)
    with np.load(path, allow_pickle=False) as data:
        assert data["vocab"].dtype.kind == "U" and data["weight_hh_l0"].dtype == np.float32


def test_load_rejects_other_files(tmp_path):
    lm = CharLM(list("ab"))
    lm.save(tmp_path / "lm.npz")
    assert not SentimentClassifier.is_classifier_file(tmp_path / "lm.npz")
    with pytest.raises(ValueError, match="not a sentiment classifier"):
        SentimentClassifier.load(tmp_path / "lm.npz")
    clf = small(dtype=np.float32)
    clf.params["w_out"][0, 0] = np.nan
    clf.save(tmp_path / "bad.npz")
    with pytest.raises(ValueError, match="finite"):
        SentimentClassifier.load(tmp_path / "bad.npz")


def test_copy_is_independent():
    clf = small()
    twin = clf.copy()
    before = clf.predict_proba("书很好")
    for array in twin.params.values():
        array[...] = 0.0
    twin.weights_changed()
    assert clf.predict_proba("书很好") == before and twin.predict_proba("书很好") == pytest.approx(0.5)


# ----------------------------------------------------------------------------- the shipped models

SAMPLE = Path(__file__).resolve().parent / "data" / "sentiment_test_sample.json"


@pytest.fixture(scope="module")
def sample():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["sentiment-zh", "sentiment-en"])
def test_shipped_classifier_loads_through_the_public_api(name):
    clf = load_pretrained(name)
    assert isinstance(clf, SentimentClassifier) and clf.name == name
    assert clf.rnn.kind == "lstm" and clf.rnn.num_directions == 1
    assert clf.tokenizer == ("char" if name.endswith("zh") else "word")
    x, tokens = clf.encode_text(clf.example_text)
    assert x.shape == (len(tokens), clf.embed_size) and not clf.unknown_tokens(clf.example_text)
    steps = clf.step_probabilities(clf.example_text)
    assert steps.shape == (len(tokens),) and steps[-1] == pytest.approx(clf.predict_proba(clf.example_text))
    assert "Test accuracy" in model_card(name)


@pytest.mark.parametrize("name", ["sentiment-zh", "sentiment-en"])
def test_shipped_classifier_on_held_out_test_examples(name, sample):
    """The first 100 test-split examples (in the split's order): as many right as when this test was written."""
    part = sample[name]
    clf = load_pretrained(name)
    texts = [e["text"] for e in part["examples"]]
    labels = np.array([e["label"] for e in part["examples"]])
    probs = clf.predict_proba_batch(texts)
    correct = int(np.sum((probs > 0.5) == (labels == 1)))
    assert correct >= part["correct_when_written"] - 2, (correct, part["correct_when_written"])
    card_accuracy = clf.info["test_accuracy"]  # the whole test split, measured by the training script
    assert correct / len(texts) == pytest.approx(card_accuracy, abs=0.12)
    for text in texts[:5]:  # the batch path is the single path
        assert clf.predict_proba(text) == pytest.approx(probs[texts.index(text)], abs=1e-12)


def test_shipped_classifiers_clear_cases():
    """Plain cases both ways. Negation is only partly learnt: "一点也不好" (not good at all) comes out negative
    (0.08 when written), but "一点也不差" and English "not bad at all" come out negative too (0.04, 0.06), so they
    are not asserted; the model cards list them."""
    zh, en = load_pretrained("sentiment-zh"), load_pretrained("sentiment-en")
    assert zh.predict_proba("非常好，推荐") > 0.8 and zh.predict_proba("很好") > 0.8
    assert zh.predict_proba("太差了，很失望") < 0.2 and zh.predict_proba("一点也不好") < 0.3
    assert en.predict_proba("a wonderful, moving film") > 0.8
    assert en.predict_proba("a dull, tedious mess") < 0.2
    steps = zh.step_probabilities("一点也不好")  # the curve: undecided, then negative at 好 after 不
    assert steps.shape == (5,) and steps[-1] < steps[0]
