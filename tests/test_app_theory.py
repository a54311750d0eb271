"""The Theory page through app.py."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("streamlit")

from conftest import HOSTILE_TEXTS, assert_clean_run, decode_plotly_array, page_texts, plotly_trace  # noqa: E402
from lstm_viz import figures_cell as fc  # noqa: E402

PAGE = "theory"


def test_parameter_counts_match_the_engine():
    from lstm_viz import GRU, LSTM, RNN

    counts = fc.parameter_counts(16, 32)
    assert counts["lstm"]["total"] == LSTM(16, 32).num_parameters()
    assert counts["gru"]["total"] == GRU(16, 32).num_parameters()
    assert counts["rnn"]["total"] == RNN(16, 32).num_parameters()
    assert [counts[k]["blocks"] for k in ("rnn", "gru", "lstm")] == [1, 3, 4]


def test_activation_derivative_maxima():
    curves = fc.activation_curves()
    assert curves["sigmoid_prime"].max() == pytest.approx(0.25)
    assert curves["tanh_prime"].max() == pytest.approx(1.0)
    np.testing.assert_allclose(curves["tanh_prime"], 1 - np.tanh(curves["a"]) ** 2)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_default_page(app_at, lang):
    at = app_at(PAGE, lang=lang)
    assert_clean_run(at)
    assert len(at.get("plotly_chart")) == 2 and len(at.latex) >= 4
    assert len(at.get("download_button")) == 4
    plotted = decode_plotly_array(plotly_trace(at, "σ′(a) = σ(a)(1 − σ(a))")["y"])  # same name in both languages
    assert plotted.max() == pytest.approx(0.25, abs=1e-6)


@pytest.mark.parametrize("name", list(HOSTILE_TEXTS))
def test_hostile_texts_do_not_stop_the_theory(app_at, name):
    at = app_at(PAGE, text=HOSTILE_TEXTS[name])
    assert_clean_run(at)
    assert "<script>" not in page_texts(at)
    assert len(at.get("plotly_chart")) == 2


def test_hidden_size_changes_the_counts(app_at):
    at = app_at(PAGE)
    at.slider(key="lstmx.hidden").set_value(64).run()
    assert_clean_run(at)
    table = at.table[0].value
    totals = [int(str(v).replace(",", "")) for v in table.iloc[:, -1]]
    assert totals == [fc.parameter_counts(16, 64)[k]["total"] for k in ("rnn", "gru", "lstm")]
    assert "64" in page_texts(at)
