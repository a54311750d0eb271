"""The Step page's sentences and equation note (lstm_viz.ui.step_text, strings/step.py): words true to the numbers."""

import re

import numpy as np
import pytest

from lstm_viz import LSTM
from lstm_viz.analysis.step_terms import unit_terms
from lstm_viz.ui import i18n, step_text


def en(key, **fmt):
    return i18n.t(key, "en", **fmt)


@pytest.mark.parametrize("c_prev, c, words", [
    (0.0, -0.092, "became negative"),          # from zero: not "shrank"
    (0.001, 0.25, "became positive"),
    (0.3, -0.1, "changed sign"),
    (-0.1, -0.3, "|c| grew by 0.200"),         # c went down, its size went up
    (-0.4, -0.1, "|c| shrank by 0.300"),
    (0.5, 0.2, "|c| shrank by 0.300"),
    (0.2, 0.0, "|c| shrank by 0.200"),
    (0.5, 0.501, "almost unchanged"),
])
def test_the_memory_sentence_says_what_the_cell_state_did(c_prev, c, words):
    assert words in step_text.memory_change(en, c_prev, c)
    assert step_text.memory_change(lambda key, **fmt: i18n.t(key, "zh", **fmt), c_prev, c).strip()


def test_lstm_sentences_use_the_engine_numbers():
    model = LSTM(3, 4, seed=2)
    x = np.random.default_rng(0).normal(size=(5, 3))
    u = unit_terms(model.step_numbers(model.forward(x), 3), 1)
    memory = step_text.lstm_sentences(en, u, 1)[3]
    assert f"from {u['c_prev']:.3f} to {u['c']:.3f}" in memory
    assert step_text.memory_change(en, u["c_prev"], u["c"]) in memory


def test_the_caption_and_the_equations_use_one_notation():
    """The note under the equations names the weights as the equations do (W_ii, W_hi, ...), not W·x + U·h."""
    u = {key: 0.1 for key in ("ax_i", "ah_i", "a_i", "i", "ax_f", "ah_f", "a_f", "f", "ax_g", "ah_g", "a_g", "g",
                              "ax_o", "ah_o", "a_o", "o", "c_prev", "c", "h")}
    latex = step_text.equations("lstm", u)
    symbols = set(re.findall(r"W_\{([ih])([ifgo])\}", latex))
    assert symbols == {(part, gate) for part in "ih" for gate in "ifgo"}
    for lang in ("en", "zh"):
        note = i18n.t("step.equations_note", lang)
        assert "U·" not in note and "U h" not in note
        assert "W_{i\\ast}" in note and "W_{h\\ast}" in note and "W_{ii}" in note and "W_{hi}" in note
        assert note.count("$") % 2 == 0      # every formula closed (rendered by st.caption)


def test_a_value_that_rounds_to_zero_is_printed_without_a_minus_sign():
    assert step_text.num(-1e-9) == "0.000" and step_text.par(-1e-9) == "0.000"
    assert step_text.num(-0.0004) == "0.000" and step_text.num(-0.0006) == "-0.001"
    assert step_text.par(-0.25) == "(-0.250)"
