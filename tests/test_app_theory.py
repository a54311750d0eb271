"""The Theory page through app.py."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import HOSTILE_TEXTS, assert_clean_run, decode_plotly_array, page_texts, plotly_trace
from lstm_viz import GRU, LSTM, RNN
from lstm_viz.analysis.activations import activation_curves
from lstm_viz.figures import theory as figures
from lstm_viz.figures.theory import IO_FORMS  # the four input/output form diagrams

PAGE = "theory"


def counts(input_size, hidden_size):
    return {cell.kind: cell.parameter_breakdown(input_size, hidden_size) for cell in (RNN, GRU, LSTM)}


def test_parameter_counts_match_the_engine():
    shown = counts(16, 32)
    assert shown["lstm"]["total"] == LSTM(16, 32).num_parameters()
    assert shown["gru"]["total"] == GRU(16, 32).num_parameters()
    assert shown["rnn"]["total"] == RNN(16, 32).num_parameters()
    assert [shown[k]["blocks"] for k in ("rnn", "gru", "lstm")] == [1, 3, 4]
    fig = figures.parameter_count_figure(shown, {}, current="lstm")
    np.testing.assert_array_equal(fig.data[0].y, [shown[k]["weights"] for k in ("rnn", "gru", "lstm")])
    np.testing.assert_array_equal(fig.data[1].y, [shown[k]["biases"] for k in ("rnn", "gru", "lstm")])
    assert list(fig.data[0].marker.line.width) == [0, 0, 3]


def test_activation_derivative_maxima():
    curves = activation_curves()
    assert curves["sigmoid_prime"].max() == pytest.approx(0.25)
    assert curves["tanh_prime"].max() == pytest.approx(1.0)
    np.testing.assert_allclose(curves["tanh_prime"], 1 - np.tanh(curves["a"]) ** 2)
    np.testing.assert_allclose(curves["sigmoid"], 1 / (1 + np.exp(-curves["a"])), rtol=1e-12)


FAMILY_DIAGRAMS = 2   # the unrolled stacked and bidirectional networks


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_default_page(app_at, lang):
    at = app_at(PAGE, lang=lang)
    assert_clean_run(at)
    assert len(at.get("plotly_chart")) == 2 + len(IO_FORMS) + FAMILY_DIAGRAMS and len(at.latex) >= 4
    assert len(at.get("download_button")) == 4
    plotted = decode_plotly_array(plotly_trace(at, "σ′(a) = σ(a)(1 − σ(a))")["y"])  # same name in both languages
    assert plotted.max() == pytest.approx(0.25, abs=1e-6)


@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_hostile_texts_do_not_stop_the_theory(app_at, name):
    at = app_at(PAGE, text=HOSTILE_TEXTS[name])
    assert_clean_run(at)
    assert "<script>" not in page_texts(at)
    assert len(at.get("plotly_chart")) == 2 + len(IO_FORMS) + FAMILY_DIAGRAMS


def test_hidden_size_changes_the_counts(app_at):
    at = app_at(PAGE)
    at.slider(key="lstmx.hidden").set_value(64).run()
    assert_clean_run(at)
    table = at.table[0].value
    totals = [int(str(v).replace(",", "")) for v in table.iloc[:, -1]]
    assert totals == [counts(16, 64)[k]["total"] for k in ("rnn", "gru", "lstm")]
    assert "64" in page_texts(at)
