"""Gate heatmaps page (AppTest): defaults, hostile texts, widget changes, numbers equal the engine's."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_viz import LSTM
from lstm_viz.analysis import units as analysis
from lstm_viz.data import text as textlib
from lstm_viz.ui import i18n

from conftest import ToyNetwork, open_page_via_app, page_html
from conftest import decode_plotly_array as decode
from conftest import plotly_specs as charts

PAGE = "pages/gate_heatmaps.py"
PANEL_ORDER = ["f", "i", "o", "g", "c", "h"]


def open_page(state: dict | None = None):
    """The page on the small random LSTM (``src=random``): the engine numbers below are its."""
    return open_page_via_app(PAGE, state)


def heatmap_traces(at, chart: int = 0) -> dict[str, dict]:
    """Per panel: the raster's x (steps) and y (units) with "z" = the exact values (n, T') the panel's
    clickable overlay carries (the raster itself holds uint8 colour levels)."""
    data = charts(at)[chart]["data"]
    rasters = [trace for trace in data if trace.get("type") == "heatmap"]
    overlays = {trace["name"]: trace for trace in data if trace.get("type") == "scatter"}
    out = {}
    for raster in rasters:
        levels = decode(raster["z"])                                    # (n, T') uint8
        exact = decode(overlays[raster["name"]]["customdata"]).reshape(levels.shape)
        out[raster["name"]] = {**raster, "z": exact, "levels": levels}
    return out


def engine_trace(text: str, hidden: int = 32, seed: int = 0, forget_bias: float = 1.0):
    """The same forward pass, computed here from the engine (independent of the page and its cache)."""
    tokens = textlib.tokenize_chars(text)
    x = textlib.hash_embedding(tokens, 16, seed=0, dtype=np.float64)
    return LSTM(16, hidden, seed=seed, forget_bias=forget_bias).forward(x)


def current_text(at) -> str:
    return at.session_state["lstmx.text"]


def units_shown(trace: dict) -> np.ndarray:
    return np.array([int(unit) for unit in trace["y"]])


def test_default_page_shows_all_panels_with_engine_numbers():
    at = open_page()
    assert at.title[0].value == "Gate heatmaps"
    traces = heatmap_traces(at)
    assert list(traces) == PANEL_ORDER
    reference = engine_trace(current_text(at))
    T, H = reference.h.shape
    for name in PANEL_ORDER:
        z = decode(traces[name]["z"])
        assert z.dtype == np.float32 and z.shape == (H, T)
        np.testing.assert_allclose(z, getattr(reference, name).T, rtol=1e-6, atol=1e-6)
        np.testing.assert_array_equal(decode(traces[name]["x"]), np.arange(T))
        np.testing.assert_array_equal(units_shown(traces[name]), np.arange(H))
    layout = charts(at)[0]["layout"]
    ticks = layout["coloraxis"]["colorbar"]["ticktext"]   # gates on 0..1 (drawn as colour levels 0..255)
    assert (ticks[0], ticks[-1]) == ("0", "1") and layout["coloraxis"]["cmax"] == 255
    # saturation scatter: the forget gate fractions of every unit
    saturation = {trace.get("name"): trace for trace in charts(at)[1]["data"]}
    left, right = analysis.saturation_fractions(reference.f)
    forget = saturation["forget gate fₜ"]
    np.testing.assert_allclose(decode(forget["x"]), left.astype(np.float32))
    np.testing.assert_allclose(decode(forget["y"]), right.astype(np.float32))
    # coloured text and downloads are there
    assert len(page_html(at)) == 1
    assert len(at.get("download_button")) >= 5


@pytest.mark.parametrize("order", ["mean", "variance", "cluster"])
def test_sort_orders_match_analysis(order):
    at = open_page()
    at.selectbox(key="lstmx.hm.sort").set_value(order).run()
    assert not at.exception
    reference = engine_trace(current_text(at))
    expected = analysis.unit_order(reference.h, order)
    traces = heatmap_traces(at)
    np.testing.assert_array_equal(units_shown(traces["f"]), expected)
    np.testing.assert_allclose(decode(traces["f"]["z"]), reference.f[:, expected].T, atol=1e-6)
    # ordering by another quantity
    at.selectbox(key="lstmx.hm.basis").set_value("c").run()
    expected_c = analysis.unit_order(reference.c, order)
    np.testing.assert_array_equal(units_shown(heatmap_traces(at)["h"]), expected_c)


def test_subsets_range_topk_list():
    at = open_page()
    reference = engine_trace(current_text(at))
    at.radio(key="lstmx.hm.subset").set_value("range").run()
    at.slider(key="lstmx.hm.range").set_value((3, 9)).run()
    assert not at.exception
    traces = heatmap_traces(at)
    np.testing.assert_array_equal(units_shown(traces["o"]), np.arange(3, 10))
    np.testing.assert_allclose(decode(traces["o"]["z"]), reference.o[:, 3:10].T, atol=1e-6)

    at.radio(key="lstmx.hm.subset").set_value("topk").run()
    at.number_input(key="lstmx.hm.topk").set_value(5).run()
    np.testing.assert_array_equal(units_shown(heatmap_traces(at)["h"]), analysis.top_k_units(reference.h, 5))

    at.radio(key="lstmx.hm.subset").set_value("list").run()
    at.text_input(key="lstmx.hm.list").input("5, 2, 7-8").run()
    traces = heatmap_traces(at)
    np.testing.assert_array_equal(units_shown(traces["c"]), [5, 2, 7, 8])
    np.testing.assert_allclose(decode(traces["c"]["z"]), reference.c[:, [5, 2, 7, 8]].T, atol=1e-6)

    # combined with an order: the subset, sorted by variance of h
    at.selectbox(key="lstmx.hm.sort").set_value("variance").run()
    subset = np.array([5, 2, 7, 8])
    expected = subset[np.argsort(-reference.h[:, subset].var(axis=0), kind="stable")]
    np.testing.assert_array_equal(units_shown(heatmap_traces(at)["c"]), expected)


@pytest.mark.parametrize("spec", ["<script>alert(1)</script>", "99", "**$x$**", ""])
def test_bad_unit_list_warns_and_shows_all_units(spec):
    at = open_page({"lstmx.hm.subset": "list"})
    at.text_input(key="lstmx.hm.list").input(spec).run()
    assert not at.exception
    assert len(at.warning) == 1
    warning = at.warning[0].value
    assert "<script>" not in warning and "**" not in warning
    np.testing.assert_array_equal(units_shown(heatmap_traces(at)["f"]), np.arange(32))


def test_quantity_selection_and_empty_selection():
    at = open_page()
    at.multiselect(key="lstmx.hm.show").set_value(["c", "f"]).run()
    assert list(heatmap_traces(at)) == ["f", "c"]  # display order is fixed
    at.multiselect(key="lstmx.hm.show").set_value([]).run()
    assert not at.exception
    assert any("at least one" in info.value for info in at.info)


def test_colored_text_follows_the_unit_and_quantity():
    at = open_page()
    at.number_input(key="w.unit.hm").set_value(5).run()
    at.selectbox(key="lstmx.hm.textqty").set_value("f").run()
    assert not at.exception
    assert at.session_state["lstmx.unit"] == 5
    body = page_html(at)[0].proto.body
    reference = engine_trace(current_text(at))
    assert "forget gate fₜ, unit 5" in body
    assert f"t=0: {reference.f[0, 5]:.3f}" in body


HOSTILE = [
    "<script>alert('x')</script> <b>bold</b> &amp;",
    "$\\frac{a}{b}$ **not bold** `code` [link](http://example.invalid) # heading",
    "👩‍👩‍👧 🇨🇳 é\u0301 \x07\x00 tab\tnew\nline",
    "床前明月光，疑是地上霜。" * 3,
    "a" * 5,
    "x",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_texts_render_as_text(text):
    at = open_page({"lstmx.text": text})
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    body = page_html(at)[0].proto.body
    assert "<script>" not in body and "<b>bold" not in body
    spec = at.get("plotly_chart")[0].proto.spec
    assert "<script>" not in spec and "<b>bold" not in spec


def test_empty_text_shows_message_not_traceback():
    at = open_page({"lstmx.text": "   \n  "})
    assert not at.exception
    assert len(at.error) == 1
    assert len(at.get("plotly_chart")) == 0


def test_long_text_gets_a_window():
    text = ("The quick brown fox jumps over the lazy dog. " * 30)[:1200]
    at = open_page({"lstmx.text": text})
    window = at.slider(key="lstmx.hm.window")
    first, last = window.value
    assert last - first + 1 <= 400
    at.slider(key="lstmx.hm.window").set_value((100, 249)).run()
    traces = heatmap_traces(at)
    np.testing.assert_array_equal(decode(traces["f"]["x"]), np.arange(100, 250))
    reference = engine_trace(text)
    np.testing.assert_allclose(decode(traces["f"]["z"]), reference.f[100:250].T, atol=1e-6)
    # a wide window is strided, and the title says so
    at.slider(key="lstmx.hm.window").set_value((0, 1199)).run()
    traces = heatmap_traces(at)
    assert decode(traces["f"]["z"]).shape[1] <= 400
    assert "every" in charts(at)[0]["layout"]["title"]["text"]


def test_payload_stays_bounded_for_a_long_text_and_many_units():
    """500 tokens, H = 64, all six panels: the page narrows the window so its charts stay under 1.5 MB."""
    text = ("The quick brown fox jumps over the lazy dog. " * 12)[:500]
    at = open_page({"lstmx.text": text, "lstmx.hidden": 64})
    traces = list(heatmap_traces(at).values())
    assert len(traces) == 6
    shown_steps = decode(traces[0]["x"])
    assert 50 <= shown_steps.size < 500
    reference = engine_trace(text, hidden=64)
    order = units_shown(traces[0])
    np.testing.assert_allclose(decode(traces[0]["z"]), reference.f[shown_steps][:, order].T, atol=1e-6)
    sent = sum(len(chart.proto.spec) for chart in at.get("plotly_chart"))
    assert sent < 1.5e6


def test_chinese_labels():
    at = open_page({"lstmx.lang": "zh"})
    assert at.title[0].value == "门控热力图"
    figure = charts(at)[0]
    assert figure["layout"]["annotations"][0]["text"] == "遗忘门 fₜ"


def test_other_hidden_size_and_gru_like_kinds_do_not_break_widget_state():
    at = open_page({"lstmx.hm.subset": "range", "lstmx.hm.range": (20, 31)})
    at.session_state["lstmx.hidden"] = 8
    at.run()
    assert not at.exception
    assert units_shown(heatmap_traces(at)["f"]).max() <= 7


def test_every_heatmaps_string_in_both_languages():
    keys = [key for key in i18n.all_strings() if key.startswith("heatmaps.")]
    assert len(keys) > 30
    for key in keys:
        entry = i18n.all_strings()[key]
        assert entry.get("en", "").strip() and entry.get("zh", "").strip(), key


def test_trained_model_from_the_link_is_capped_to_64_rows():
    at = open_page_via_app(PAGE, query={"src": "pretrained", "model": "python-code"})
    ctx = at.session_state["lstmx.ctx"]
    if ctx.model_settings["source"] != "pretrained":
        pytest.skip("no trained model shipped")
    assert ctx.H > 64
    traces = heatmap_traces(at)
    np.testing.assert_array_equal(units_shown(traces["f"]), np.arange(64))
    np.testing.assert_allclose(decode(traces["f"]["z"]), np.asarray(ctx.trace.f)[:, :64].T, atol=1e-6)
    assert any("first 64" in info.value for info in at.info)


def open_with_network(rnn):
    return open_page_via_app(PAGE, query={"src": "trained"}, preset={"trained_network": ToyNetwork(rnn)})


@pytest.mark.parametrize("kind, panels", [("gru", ["r", "z", "n", "h"]), ("rnn", ["h"])])
def test_gru_and_rnn_networks(kind, panels):
    from lstm_viz import GRU, RNN

    rnn = {"gru": GRU, "rnn": RNN}[kind](8, 6, seed=1)
    at = open_with_network(rnn)
    ctx = at.session_state["lstmx.ctx"]
    assert ctx.kind == kind
    traces = heatmap_traces(at)
    assert list(traces) == panels
    x, _ = ToyNetwork(rnn).encode_text(ctx.text)
    reference = rnn.forward(x)
    for name in panels:
        np.testing.assert_allclose(decode(traces[name]["z"]), getattr(reference, name).T, atol=1e-6)
    if kind == "rnn":
        assert len(at.get("plotly_chart")) == 1
        assert any("no gates" in info.value for info in at.info)
    else:
        assert len(at.get("plotly_chart")) == 2
