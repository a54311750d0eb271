"""Shipped language models: files load without pickle, vocabularies are sane, held-out text is predictable.

Held-out texts: the Python model is scored on this package's own source (lstm_viz/analysis/probes.py, written for this
project, so not part of the standard library it was trained on); the poetry model on two validation poems
(Wang Changling's 《同从弟南斋玩月忆山阴崔少府》 and Meng Haoran's 《临洞庭上张丞相》), held out from training and
with no line of four or more characters occurring in the training text (checked when this test was written).
"""

import math
from pathlib import Path

import numpy as np
import pytest

from lstm_viz.data import pretrained
from lstm_viz.nn.charlm import UNK, CharLM

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT_POEM = (
    "《同从弟南斋玩月忆山阴崔少府》\n作者：王昌龄\n高卧南斋时，开帷月初吐。\n清辉淡水木，演漾在窗户。\n"
    "苒苒几盈虚，澄澄变今古。\n美人清江畔，是夜越吟苦。\n千里其如何，微风吹兰杜。\n\n"
    "《临洞庭上张丞相》\n作者：孟浩然\n八月湖水平，涵虚混太清。\n气蒸云梦泽，波撼岳阳城。\n"
    "欲济无舟楫，端居耻圣明。\n坐观垂钓者，徒有羡鱼情。\n"
)


def test_both_models_are_listed_and_small():
    names = pretrained.list_pretrained()
    assert names[:2] == ["python-code", "tang-poetry"]
    total = sum((pretrained.PRETRAINED_DIR / f"{n}.npz").stat().st_size for n in names)
    assert total < 5_000_000
    for n in names:
        card = pretrained.model_card(n)
        assert "Validation loss (bits/char)" in card and "Training time" in card


def test_files_load_without_pickle_and_weights_are_float32():
    for name in pretrained.list_pretrained():
        with np.load(pretrained.PRETRAINED_DIR / f"{name}.npz", allow_pickle=False) as data:
            assert data["vocab"].dtype.kind == "U"
            assert data["weight_hh_l0"].dtype == np.float32
        lm = pretrained.load_pretrained(name)
        assert isinstance(lm, CharLM) and lm.name == name
        for array in lm.params.values():
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
    assert lm.vocab[0] == UNK and 2000 <= lm.vocab_size <= 3001
    for ch in "，。\n《》月山风春人白李杜":
        assert ch in lm.char_to_id, ch
    # the example (held-out poems) has two rare characters outside the vocabulary: the page says so
    assert len(lm.unknown_chars(lm.example_text)) <= 3


def test_python_model_predicts_held_out_code_far_better_than_uniform():
    lm = pretrained.load_pretrained("python-code")
    source = (ROOT / "lstm_viz" / "analysis" / "probes.py").read_text(encoding="utf-8")[3000:9000]  # mostly code
    bpc = lm.bits_per_char(source)
    uniform = math.log2(lm.vocab_size)  # 6.64 bits
    assert bpc < 0.5 * uniform, bpc  # measured 2.09 bits/char


def test_poetry_model_predicts_a_held_out_poem_better_than_uniform():
    lm = pretrained.load_pretrained("tang-poetry")
    bpc = lm.bits_per_char(HELD_OUT_POEM)
    uniform = math.log2(lm.vocab_size)  # 11.55 bits
    assert bpc < uniform - 3.0, bpc  # measured 7.43 bits/char


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
    assert abs(best.r) > 0.6, best


@pytest.mark.parametrize("name", ["python-code", "tang-poetry"])
def test_predictions_unchanged_by_the_engine_rewrite(name):
    """Reference numbers computed by the code before the one-engine rewrite (tests/data): same to 1e-6."""
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
