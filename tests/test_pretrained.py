"""Shipped models: files load without pickle, vocabularies are sane, held-out text is predictable.

Held-out texts: the Python model is scored on this package's own source (lstm_viz/analysis/probes.py, written for this
project, so not part of the standard library it was trained on); the poetry model on two poems of its test split
(Wang Wei's 《皇甫岳云溪杂题五首 萍池》 and Meng Haoran's 《戏题》, poems k % 20 == 10 of chinese-poetry's Tang
poems), none of whose lines occurs in the training text (checked when this test was written).
The sentiment classifiers have their own tests (tests/test_sentiment.py).
"""

import math
from pathlib import Path

import numpy as np
import pytest

from lstm_viz.data import pretrained
from lstm_viz.nn.charlm import UNK, CharLM
from lstm_viz.nn.classifier import SentimentClassifier

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT_POEM = (
    "《皇甫岳云溪杂题五首 萍池》\n作者：王维\n春池深且广，会待轻舟回。\n靡靡绿萍合，垂杨埽复开。\n\n"
    "《戏题》\n作者：孟浩然\n客醉眠未起，主人呼解酲。\n已言鸡黍熟，复道瓮头清。\n"
)
LANGUAGE_MODELS = ["python-code", "tang-poetry"]
CLASSIFIERS = ["sentiment-en", "sentiment-zh"]


def test_models_are_listed_by_kind_and_each_file_is_small():
    names = pretrained.list_pretrained()
    assert names[:2] == LANGUAGE_MODELS
    assert pretrained.list_pretrained("char-lm") == LANGUAGE_MODELS
    assert pretrained.list_pretrained("sentiment-classifier") == [n for n in CLASSIFIERS if n in names]
    with pytest.raises(ValueError):
        pretrained.list_pretrained("nope")
    for n in names:
        assert (pretrained.PRETRAINED_DIR / f"{n}.npz").stat().st_size < 8_000_000, n
        card = pretrained.model_card(n)
        assert "Training time" in card
        if n in LANGUAGE_MODELS:
            assert "Validation loss (bits/char)" in card
        else:
            assert "Test accuracy" in card and "Baseline" in card and "Split" in card


def test_files_load_without_pickle_and_weights_are_float32():
    for name in pretrained.list_pretrained():
        with np.load(pretrained.PRETRAINED_DIR / f"{name}.npz", allow_pickle=False) as data:
            assert data["vocab"].dtype.kind == "U"
            assert data["weight_hh_l0"].dtype == np.float32
        model = pretrained.load_pretrained(name)
        expected = CharLM if pretrained.model_kind(name) == "char-lm" else SentimentClassifier
        assert isinstance(model, expected) and model.name == name
        for array in model.params.values():
            assert np.all(np.isfinite(array))


def test_unknown_name_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown pretrained model"):
        pretrained.load_pretrained("nope")


def test_cached_weights_cannot_be_corrupted():
    """Every load is its own copy: editing one (as training would) never reaches the cache or other users."""
    lm = pretrained.load_pretrained("python-code")
    before = lm.predict("def f(x):")
    for array in lm.params.values():
        array[...] = 0.0
    lm.weights_changed()
    assert not np.allclose(lm.predict("def f(x):"), before)
    again = pretrained.load_pretrained("python-code")
    np.testing.assert_array_equal(again.predict("def f(x):"), before)


def test_python_vocab_is_sane():
    lm = pretrained.load_pretrained("python-code")
    assert lm.vocab[0] == UNK and 80 <= lm.vocab_size <= 101
    for ch in " \n'\"()[]{}:#=._" + "abcxyzABCXYZ0123456789":
        assert ch in lm.char_to_id, ch
    assert lm.rnn.kind == "lstm" and lm.rnn.input_size == lm.embed_size
    x, tokens = lm.encode_text(lm.example_text)
    assert x.shape == (len(lm.example_text), lm.embed_size) and not lm.unknown_chars(lm.example_text)


def test_poetry_vocab_is_sane():
    lm = pretrained.load_pretrained("tang-poetry")
    assert lm.vocab[0] == UNK and 4000 <= lm.vocab_size <= 6000  # characters seen >= 10 times: 5,263 + <unk>
    for ch in "，。\n《》月山风春人白李杜":
        assert ch in lm.char_to_id, ch
    # the example (test-split poems) is inside the vocabulary
    assert lm.unknown_chars(lm.example_text) == []


def test_python_model_predicts_held_out_code_far_better_than_uniform():
    lm = pretrained.load_pretrained("python-code")
    source = (ROOT / "lstm_viz" / "analysis" / "probes.py").read_text(encoding="utf-8")[3000:9000]  # mostly code
    bpc = lm.bits_per_char(source)
    uniform = math.log2(lm.vocab_size)  # 6.64 bits
    assert bpc < 0.5 * uniform, bpc  # measured 2.09 bits/char


def test_poetry_model_predicts_a_held_out_poem_better_than_uniform():
    lm = pretrained.load_pretrained("tang-poetry")
    bpc = lm.bits_per_char(HELD_OUT_POEM)
    uniform = math.log2(lm.vocab_size)  # 12.36 bits
    assert bpc < uniform - 5.0, bpc  # measured 6.28 bits/char (earlier weights)


def test_python_model_knows_syntax():
    lm = pretrained.load_pretrained("python-code")
    chars, _ = lm.top_k("    def __init__(self", k=3)
    assert chars[-1][0] in ",)"  # after "(self" comes "," or ")"
    chars, _ = lm.top_k("for i in range(len(x)", k=3)
    assert ")" in chars[-1]  # the bracket closes
    chars, _ = lm.top_k("if x:\n", k=3)
    assert chars[-1][0] == " "  # the block is indented


def test_python_model_has_interpretable_cells_on_its_example():
    """Karpathy-style cells: on the shipped example text, single cell-state units follow the line position,
    the indentation and the bracket depth (measured |r| 0.85, 0.85 and 0.68: c[148], c[85], c[108])."""
    from lstm_viz.analysis import probes as cells

    lm = pretrained.load_pretrained("python-code")
    text = lm.example_text
    _, c = lm.hidden_states(text)
    for label, at_least in (("column", 0.6), ("indent", 0.6), ("bracket_depth", 0.5)):
        best = cells.rank_units(c, cells.builtin_label(label, text), top=1)[0]
        assert abs(best.r) > at_least, (label, best)


def test_poetry_model_has_a_line_position_cell():
    from lstm_viz.analysis import probes as cells

    lm = pretrained.load_pretrained("tang-poetry")
    text = lm.example_text
    _, c = lm.hidden_states(text)
    best = cells.rank_units(c, cells.builtin_label("column", text), top=1)[0]
    assert abs(best.r) > 0.5, best  # measured |r| 0.58 (c[126]) for the chinese-poetry model


@pytest.mark.parametrize("name", ["python-code", "tang-poetry"])
def test_predictions_unchanged_by_the_engine_rewrite(name):
    """Reference numbers (tests/data): same to 1e-6.

    python-code: computed by the code before the one-engine rewrite on the weight file shipped now.
    tang-poetry: computed by PyTorch (nn.LSTM with the file's weights, its embedding and softmax head, float64)
    for the retrained weights, an oracle no one here wrote."""
    reference = np.load(ROOT / "tests" / "data" / "pretrained_reference.npz")
    lm = pretrained.load_pretrained(name)
    text = str(reference[f"{name}/text"])
    ids = lm.encode_ids(text)
    probs = lm.predict(text)
    np.testing.assert_allclose(probs[np.arange(len(ids) - 1), ids[1:]], reference[f"{name}/next_char_probs"],
                               atol=1e-6)
    np.testing.assert_allclose(np.sort(probs, axis=1)[:, ::-1][:, :10], reference[f"{name}/top_probs"], atol=1e-6)
    h, c = lm.hidden_states(text)
    np.testing.assert_allclose(h[-1], reference[f"{name}/h_last"], atol=1e-6)
    np.testing.assert_allclose(c[-1], reference[f"{name}/c_last"], atol=1e-6)


def test_poetry_model_has_title_and_rhyme_cells():
    """The model card's cells, on the shipped example (test-split poems): a unit that tells the title and author
    lines from the verse (card: c[3], r −0.89 on 20,000 test characters) and one that follows the rhyming half of
    a couplet (card: |r| 0.75)."""
    from lstm_viz.analysis import probes as cells

    lm = pretrained.load_pretrained("tang-poetry")
    text = lm.example_text
    _, c = lm.hidden_states(text)
    header = cells.rank_units(c, cells.builtin_label("poem_header", text), top=1)[0]
    assert abs(header.r) > 0.8, header          # measured c[3] r = -0.905 on the example
    rhyme = cells.rank_units(c, cells.builtin_label("rhyme_half", text), top=1)[0]
    assert abs(rhyme.r) > 0.6, rhyme            # measured |r| 0.71 on the example
