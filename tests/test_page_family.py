"""The LSTM family on the pages (AppTest): stacked, bidirectional and peephole networks from the sidebar, the URL
and uploads; the shared layer / direction picker; every number shown equals the engine's, recomputed here."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

from lstm_viz import LSTM
from lstm_viz.analysis.stack_views import parameter_counts
from lstm_viz.data import text as textlib
from lstm_viz.gradients import stack_jacobian_norms
from lstm_viz.ui import i18n, urlstate

from conftest import assert_clean_run, decode_plotly_array, heatmap_values, page_texts

TIMEOUT = 60
TEXT = "ab(cd)ef"
STACK = {"layers": 2, "bidir": 1, "peep": 1, "hidden": 6, "text": TEXT}


def engine_network(layers=2, bidirectional=True, peephole=True, hidden=6, seed=0):
    """The sidebar's random network and its forward pass, rebuilt here from the engine."""
    model = LSTM(16, hidden, seed=seed, forget_bias=1.0, num_layers=layers, bidirectional=bidirectional,
                 peephole=peephole)
    x = textlib.hash_embedding(textlib.tokenize_chars(TEXT), 16, seed=0, dtype=np.float64)
    return model, x, model.forward(x)


def chart(at, key: str) -> dict:
    """The figure JSON of the chart with widget key ``key``."""
    for element in at.get("plotly_chart"):
        if getattr(element, "key", None) == key:
            return json.loads(element.proto.spec)
    raise KeyError(f"no chart {key!r} (charts: {[getattr(e, 'key', None) for e in at.get('plotly_chart')]})")


def heatmap_z(figure: dict, name: str) -> np.ndarray:
    return heatmap_values(figure, name)


# ---- URL ------------------------------------------------------------------------------------------------------

def test_the_url_carries_the_network_shape_and_the_cell_and_refuses_bad_values():
    values, bad = urlstate.parse({"layers": "3", "bidir": "1", "peep": "0", "layer": "2", "dir": "1",
                                  "tlayers": "2", "tbidir": "1"})
    assert values == {"layers": 3, "bidir": 1, "peep": 0, "layer": 2, "dir": 1, "tlayers": 2, "tbidir": 1}
    assert bad == []
    values, bad = urlstate.parse({"layers": "5", "bidir": "yes", "peep": "2", "layer": "-1", "dir": "x",
                                  "tlayers": "0"})
    assert values == {} and sorted(bad) == ["bidir", "dir", "layer", "layers", "peep", "tlayers"]


def test_a_link_opens_a_stacked_bidirectional_peephole_network_and_a_bad_link_says_so(app_at):
    at = app_at(**STACK, layer=1, dir=1)
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert (ctx.num_layers, ctx.num_directions, ctx.peephole, ctx.layer, ctx.direction) == (2, 2, True, 1, 1)
    model, _, _ = engine_network()
    summary = " ".join(caption.value for caption in at.sidebar.caption)
    assert "2 layers · bidirectional · peephole" in summary and f"{model.num_parameters():,} parameters" in summary
    for name, value in {"layers": "2", "bidir": "1", "peep": "1", "layer": "1", "dir": "1"}.items():
        assert at.query_params[name] == [value] or at.query_params[name] == value
    at = app_at(layers=9, layer="top")
    assert_clean_run(at)
    assert any("layers" in warning.value and "layer" in warning.value for warning in at.sidebar.warning)


def test_a_layer_beyond_the_network_falls_back_to_its_top_layer(app_at):
    at = app_at(layers=2, layer=5, dir=1, hidden=6, text=TEXT)   # one direction only: dir 1 does not exist
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert (ctx.layer, ctx.direction) == (1, 0)


def test_sidebar_controls_build_the_network(app_at):
    at = app_at(hidden=6, text=TEXT)
    at.number_input(key="lstmx.layers").set_value(3).run(timeout=TIMEOUT)
    at.checkbox(key="lstmx.bidir").check().run(timeout=TIMEOUT)
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert (ctx.num_layers, ctx.num_directions, ctx.peephole) == (3, 2, False)
    assert at.query_params["layers"] in (["3"], "3") and at.query_params["bidir"] in (["1"], "1")


# ---- Step by step ---------------------------------------------------------------------------------------------

def test_step_page_draws_the_chosen_cell_with_peepholes_the_tower_and_both_directions(app_at):
    at = app_at("step_by_step", **STACK, layer=1, dir=1, step=2, unit=3)
    assert_clean_run(at)
    _, _, trace = engine_network()
    T = len(TEXT)
    reverse_cell = trace.layers[1][1]          # reading order: its step T-1-2 read position 2
    cell = chart(at, "step.cell")
    np.testing.assert_allclose(heatmap_z(cell, "h").ravel(), reverse_cell.h[T - 1 - 2], rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(heatmap_z(cell, "f").ravel(), reverse_cell.f[T - 1 - 2], rtol=1e-6, atol=1e-7)
    dashed = [shape for shape in cell["layout"]["shapes"] if shape.get("line", {}).get("dash") == "dash"]
    assert len(dashed) == 4, "the peephole connections (c_{t-1} -> f, i and c_t -> o) are drawn"
    assert "peephole" in " ".join(a.get("text", "") for a in cell["layout"]["annotations"])
    assert any(r"w_{ci} c_{t-1}" in latex.value and r"w_{co} c_t" in latex.value for latex in at.latex)
    tower = chart(at, "step.tower")
    assert "<b>1</b>" in " ".join(a.get("text", "") for a in tower["layout"]["annotations"])
    both = chart(at, "step.bidir")
    z_rows = [decode_plotly_array(t["z"]).ravel() for t in both["data"]]
    np.testing.assert_allclose(z_rows[0], trace.layers[1][0].h[2], rtol=1e-6, atol=1e-7)       # h→ at position 2
    np.testing.assert_allclose(z_rows[1], reverse_cell.h[T - 1 - 2], rtol=1e-6, atol=1e-7)    # h← at position 2
    np.testing.assert_allclose(np.concatenate(z_rows[2:]), trace.output[2], rtol=1e-6, atol=1e-7)
    text = page_texts(at)
    assert "Drawn: layer 1 (reverse)" in text and "Its input is the output of layer 0" in text
    assert "layer 1, reverse" in cell["layout"]["title"]["text"]


def test_the_picker_moves_the_step_page_to_another_cell_and_into_the_url(app_at):
    at = app_at("step_by_step", **STACK)
    at.selectbox(key="w.cell.layer").set_value(1).run(timeout=TIMEOUT)
    at.radio(key="w.cell.dir").set_value(1).run(timeout=TIMEOUT)
    assert_clean_run(at)
    assert (at.session_state["lstmx.layer"], at.session_state["lstmx.dir"]) == (1, 1)
    assert at.query_params["layer"] in (["1"], "1") and at.query_params["dir"] in (["1"], "1")
    ctx = at.session_state["lstmx.ctx"]
    assert ctx.model is ctx.network_model.cell(1, 1) and ctx.model.input_size == 12


def test_one_layer_networks_show_no_picker_and_no_tower(app_at):
    at = app_at("step_by_step", hidden=6, text=TEXT)
    assert_clean_run(at)
    keys = {getattr(element, "key", None) for element in at.get("plotly_chart")}
    assert "step.tower" not in keys and "step.bidir" not in keys
    assert not [box for box in at.selectbox if box.key == "w.cell.layer"]


# ---- Gate heatmaps ------------------------------------------------------------------------------------------

def test_heatmaps_show_the_chosen_cell_in_sentence_order_and_every_layer_strip(app_at):
    at = app_at("gate_heatmaps", **STACK, layer=0, dir=1)
    assert_clean_run(at)
    _, _, trace = engine_network()
    figure = chart(at, "hm.heatmaps")
    np.testing.assert_allclose(heatmap_z(figure, "h"), trace.layers[0][1].h[::-1].T, rtol=1e-6, atol=1e-7)
    overview = chart(at, "hm.overview")
    z = decode_plotly_array(overview["data"][0]["z"])
    assert z.shape == (4, len(TEXT))
    np.testing.assert_allclose(z[-1], np.abs(trace.layers[0][0].h).mean(axis=1), rtol=1e-6)   # layer 0 →, bottom
    np.testing.assert_allclose(z[0], np.abs(trace.layers[1][1].h[::-1]).mean(axis=1), rtol=1e-6)
    assert any(label.startswith("▶") for label in overview["layout"]["yaxis"]["ticktext"])


# ---- Vanishing gradients -------------------------------------------------------------------------------------

def test_vanishing_gradients_draws_one_curve_per_layer_from_the_engine(app_at):
    at = app_at("vanishing_gradients", layers=2, bidir=1, hidden=6, text=TEXT, dir=0)
    assert_clean_run(at)
    model, x, _ = engine_network(peephole=False)
    norms = stack_jacobian_norms(model, x, direction=0)                 # (L, D, T)
    figure = chart(at, "vg.layers")
    curves = {trace["name"]: decode_plotly_array(trace["y"]).astype(float) for trace in figure["data"]
              if trace["name"].startswith("layer")}
    assert set(curves) == {"layer 0 forward →", "layer 0 ← reverse", "layer 1 forward →"}   # top ← cannot reach y
    np.testing.assert_allclose(curves["layer 1 forward →"], norms[1, 0][::-1], rtol=1e-6)
    np.testing.assert_allclose(curves["layer 0 ← reverse"], norms[0, 1][::-1], rtol=1e-6)


# ---- Theory, Train ------------------------------------------------------------------------------------------

def test_theory_gives_the_family_counts_with_the_current_numbers(app_at):
    at = app_at("theory", **STACK)
    assert_clean_run(at)
    model, _, _ = engine_network()
    counts = parameter_counts("lstm", 16, 6, 2, 2, True)
    assert counts.total == model.num_parameters()
    text = page_texts(at)
    assert f"{counts.formula()} = {counts.total:,}" in text
    keys = {getattr(element, "key", None) for element in at.get("plotly_chart")}
    assert {"theory.stacked", "theory.bidir"} <= keys


def test_train_page_trains_a_stacked_bidirectional_network(app_at):
    at = app_at("train")
    at.selectbox(key="train.task").set_value("first_symbol")
    at.slider(key="train.length").set_value(6)
    at.multiselect(key="train.kinds").set_value(["lstm"])
    at.number_input(key="train.steps").set_value(2)
    at.number_input(key="lstmx.train.layers").set_value(2)
    at.toggle(key="lstmx.train.bidir").set_value(True)
    submit = next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:train.form"))
    submit.click().run(timeout=TIMEOUT)
    assert_clean_run(at)
    network = at.session_state["trained_network"]
    assert network.rnn.num_layers == 2 and network.rnn.bidirectional
    assert at.query_params["tlayers"] in (["2"], "2") and at.query_params["tbidir"] in (["1"], "1")


def test_uploaded_bidirectional_peephole_file_is_explored_whole(app_at):
    model = LSTM(16, 5, seed=4, num_layers=2, bidirectional=True, peephole=True)
    buffer = io.BytesIO()
    np.savez(buffer, **model.state_dict())
    at = app_at("step_by_step", src="upload", text=TEXT)
    at.file_uploader(key="lstmx.upload").upload("peep.npz", buffer.getvalue()).run(timeout=TIMEOUT)
    assert_clean_run(at)
    ctx = at.session_state["lstmx.ctx"]
    assert (ctx.num_layers, ctx.num_directions, ctx.peephole) == (2, 2, True)
    assert "2 layers · bidirectional · peephole" in " ".join(c.value for c in at.sidebar.caption)


@pytest.mark.parametrize("lang", ["zh"])
def test_the_family_controls_in_chinese(app_at, lang):
    at = app_at("step_by_step", lang=lang, **STACK)
    assert_clean_run(at)
    assert "2 层 · 双向 · 窥视孔" in " ".join(c.value for c in at.sidebar.caption)
    assert at.selectbox(key="w.cell.layer").label == i18n.t("family.layer", "zh")
    assert not [key for key, entry in i18n.all_strings().items()
                if key.startswith(("family.", "sidebar.layers", "sidebar.bidir", "sidebar.peep"))
                and not entry.get("zh")]


def test_the_per_layer_window_shrinks_with_the_network_and_uses_the_last_positions():
    from lstm_viz.analysis import stack_views

    from lstm_viz import LSTM
    from lstm_viz.ui import budget

    caps = [budget.layer_curves_cap(LSTM(16, 128, num_layers=layers, bidirectional=True)) for layers in (1, 2, 4)]
    assert caps == sorted(caps, reverse=True) and caps[0] > caps[-1] >= budget.MIN_USEFUL_WINDOW, caps
    assert budget.layer_curves_cap(LSTM(16, 512, num_layers=4, bidirectional=True)) == 0   # the page says so
    model, x, _ = engine_network(peephole=False)
    curves = stack_views.layer_curves(model, x, direction=1, max_steps=5)
    assert (curves.start, curves.window) == (len(TEXT) - 5, 5)
    np.testing.assert_allclose(curves.norms, stack_jacobian_norms(model, x[-5:], direction=1))
    np.testing.assert_array_equal(curves.curve(0, 0), curves.norms[0, 0])      # y at the window's position 0
    assert not curves.reaches(1, 0) and curves.reaches(1, 1)                     # top forward cannot reach y
