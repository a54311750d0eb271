"""Figure builders of the Gate heatmaps and Vanishing gradients pages, and the shared style: they carry the
exact numbers they are given (synthetic arrays, no engine needed)."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lstm_viz.figures import gate_heatmaps, vanishing_gradients
from lstm_viz.figures._style import (MAX_TICK_LABELS, HoverNames, colour_level_ticks, colour_levels, escape_label,
                                    fitting_count, labels_fit, small_int_array, thin_indices, token_axis, token_ticks)
from lstm_viz.figures.gate_heatmaps import HeatmapPanel

RNG = np.random.default_rng(7)


def _stack(n_steps=12, n_units=5, labels=None):
    labels = labels or [f"t{i % 3}" for i in range(n_steps)]  # duplicates on purpose
    gates = {name: RNG.random((n_steps, n_units)) for name in "fio"}
    panels = [HeatmapPanel(name, f"gate {name}", gates[name], "gate") for name in "fio"]
    cell = 4 * RNG.normal(size=(n_steps, n_units))
    hidden = np.tanh(RNG.normal(size=(n_steps, n_units)))
    panels += [
        HeatmapPanel("g", "candidate", np.tanh(RNG.normal(size=(n_steps, n_units))), "signed", 1.0),
        HeatmapPanel("c", "cell", cell, "signed"),
        HeatmapPanel("h", "hidden", hidden, "signed", 1.0),
    ]
    return panels, labels


def _rasters_and_overlays(fig):
    rasters = [trace for trace in fig.data if trace.type == "heatmap"]
    overlays = [trace for trace in fig.data if trace.type == "scatter" and trace.customdata is not None]
    return rasters, overlays


def test_heatmap_stack_draws_colour_levels_and_hovers_exact_float32_values():
    panels, labels = _stack()
    unit_ids = [4, 0, 2, 1, 3]
    fig = gate_heatmaps.state_heatmaps(panels, labels, unit_ids, title="T", x_title="x", y_title="y")
    assert isinstance(fig, go.Figure)
    assert fig.layout.yaxis.type == "category" and list(fig.layout.yaxis.categoryarray) == ["4", "0", "2", "1", "3"]
    assert fig.layout.yaxis.autorange == "reversed"  # first unit on top
    rasters, overlays = _rasters_and_overlays(fig)
    assert [trace.name for trace in rasters] == ["f", "i", "o", "g", "c", "h"]
    assert [trace.name for trace in overlays] == ["f", "i", "o", "g", "c", "h"]
    for raster, overlay, panel in zip(rasters, overlays, panels):
        axis = fig.layout[raster.coloraxis]
        low, high = float(axis.colorbar.ticktext[0]), float(axis.colorbar.ticktext[-1])
        # the raster: uint8 colour levels of values.T on the axis' [low, high], no hover of its own
        assert raster.z.dtype == np.uint8 and raster.hoverinfo == "skip"
        expected = np.rint(np.clip((panel.values.T - low) / (high - low), 0, 1) * 255)
        assert np.abs(raster.z.astype(int) - expected).max() <= 1   # low/high printed with 3 digits
        np.testing.assert_array_equal(raster.x, np.arange(len(labels)))
        assert list(raster.y) == [str(u) for u in unit_ids]
        # the overlay: one point per cell, row-major (unit k, step j) with the exact float32 value
        n_units, n_steps = len(unit_ids), len(labels)
        np.testing.assert_array_equal(overlay.x, np.tile(np.arange(n_steps), n_units))
        np.testing.assert_array_equal(overlay.y, np.repeat(unit_ids, n_steps))
        assert overlay.customdata.dtype == np.float32
        np.testing.assert_array_equal(overlay.customdata, panel.values.T.astype(np.float32).reshape(-1))
        for piece in ("%{x}", "%{x:d}", "%{y}", "%{customdata:.4f}"):
            assert piece in overlay.hovertemplate
        assert overlay.marker.opacity == 0 and overlay.marker.maxdisplayed == 1   # one SVG node, all hit-tested
    assert fig.layout.clickmode == "event+select"


def test_heatmap_without_selection_hovers_on_the_raster():
    panels, labels = _stack()
    fig = gate_heatmaps.state_heatmaps(panels, labels, range(5), selectable=False)
    rasters, overlays = _rasters_and_overlays(fig)
    assert not overlays
    for raster, panel in zip(rasters, panels):
        np.testing.assert_array_equal(raster.customdata, panel.values.T.astype(np.float32))
        assert "%{customdata:.4f}" in raster.hovertemplate and "%{x:d}" in raster.hovertemplate


def test_heatmap_colour_scales_gate_zero_one_signed_symmetric():
    panels, labels = _stack()
    fig = gate_heatmaps.state_heatmaps(panels, labels, range(5))
    rasters, _ = _rasters_and_overlays(fig)
    axes = {trace.name: trace.coloraxis for trace in rasters}
    assert axes["f"] == axes["i"] == axes["o"] == "coloraxis"
    gate_axis = fig.layout.coloraxis
    assert (gate_axis.cmin, gate_axis.cmax) == (0, 255)
    assert list(gate_axis.colorbar.ticktext) == ["0", "0.25", "0.5", "0.75", "1"]
    assert "Viridis" in json.dumps(gate_axis.colorscale.__repr__()) or gate_axis.colorscale[0][1] == "#440154"
    cell_axis = fig.layout[axes["c"]]
    peak = np.abs(panels[4].values).max()
    assert float(cell_axis.colorbar.ticktext[0]) == pytest.approx(-peak, rel=1e-2)
    assert float(cell_axis.colorbar.ticktext[-1]) == pytest.approx(peak, rel=1e-2)
    assert cell_axis.colorbar.ticktext[2] == "0"      # symmetric: the middle level is zero
    hidden_axis = fig.layout[axes["h"]]
    assert (hidden_axis.colorbar.ticktext[0], hidden_axis.colorbar.ticktext[-1]) == ("-1", "1")
    assert len({axes["g"], axes["c"], axes["h"], "coloraxis"}) == 4


def test_heatmap_duplicate_tokens_stay_apart_and_are_escaped():
    labels = ["<b>", "a", "a", "&", "<script>alert(1)</script>"]
    panels = [HeatmapPanel("f", "f", RNG.random((5, 2)))]
    fig = gate_heatmaps.state_heatmaps(panels, labels, [0, 1])
    assert list(fig.layout.xaxis.tickvals) == [0, 1, 2, 3, 4]
    assert list(fig.layout.xaxis.ticktext) == ["&lt;b&gt;", "a", "a", "&amp;", "&lt;script&gt;alert(1)&lt;/script&gt;"]
    assert "<script>" not in fig.to_json()


def test_heatmap_long_sequence_is_thinned_and_title_says_so():
    n_steps = 1000
    panels = [HeatmapPanel("f", "f", RNG.random((n_steps, 3)))]
    labels = [str(i) for i in range(n_steps)]
    fig = gate_heatmaps.state_heatmaps(panels, labels, [0, 1, 2], steps=np.arange(n_steps) + 50, title="Gates",
                                 max_steps=400, stride_note="every {stride}th of {total}", focus_step=500)
    raster, overlay = fig.data
    assert raster.z.shape[1] <= 400
    np.testing.assert_array_equal(raster.x, np.arange(0, n_steps, 3) + 50)
    np.testing.assert_array_equal(overlay.x[:raster.z.shape[1]], np.arange(0, n_steps, 3) + 50)
    np.testing.assert_array_equal(overlay.customdata, panels[0].values[::3].T.astype(np.float32).reshape(-1))
    assert "every 3th of 1000" in fig.layout.title.text
    # every kept token keeps its label; the axis opens on a window around the focus and pans
    np.testing.assert_array_equal(fig.layout.xaxis.tickvals, raster.x)
    assert list(fig.layout.xaxis.ticktext) == labels[::3]
    low, high = fig.layout.xaxis.range
    assert low < 500 < high and high - low < 400 * 3
    assert fig.layout.dragmode == "pan" and fig.layout.xaxis.fixedrange is False
    assert fig.layout.yaxis.fixedrange is True


def test_heatmap_short_sentence_shows_every_token_contiguously():
    """The complaint: 'T e c t ␣ h c ␣ a…' (every other token). A sentence that fits keeps all its tokens."""
    sentence = list("The cat, which had eaten, was full.")
    panels = [HeatmapPanel("f", "f", RNG.random((len(sentence), 2))), HeatmapPanel("i", "i", RNG.random((len(sentence), 2)))]
    fig = gate_heatmaps.state_heatmaps(panels, sentence, [0, 1])
    assert "".join(fig.layout.xaxis2.ticktext) == "The cat, which had eaten, was full."
    assert fig.layout.xaxis2.showticklabels and fig.layout.xaxis.showticklabels
    assert fig.layout.dragmode is False


def test_heatmap_rejects_bad_shapes_and_scales():
    with pytest.raises(ValueError):
        gate_heatmaps.state_heatmaps([HeatmapPanel("f", "f", np.zeros((3, 2)))], ["a", "b"], [0, 1])
    with pytest.raises(ValueError):
        gate_heatmaps.state_heatmaps([HeatmapPanel("f", "f", np.zeros((2, 2)), "weird")], ["a", "b"], [0, 1])
    with pytest.raises(ValueError):
        gate_heatmaps.state_heatmaps([], ["a"], [0])


def test_heatmap_constant_signed_panel_gets_a_nonzero_range():
    fig = gate_heatmaps.state_heatmaps([HeatmapPanel("c", "c", np.zeros((3, 2)), "signed")], ["a", "b", "c"], [0, 1])
    ticktext = fig.layout.coloraxis.colorbar.ticktext
    assert (ticktext[0], ticktext[-1]) == ("-1", "1")
    np.testing.assert_array_equal(fig.data[0].z, np.full((2, 3), 128))   # zero sits mid-scale (white)


def test_saturation_scatter_exact_fractions():
    left = {"f": np.array([0.1, 0.5, 0.0]), "i": np.array([0.9, 0.0, 0.25])}
    right = {"f": np.array([0.2, 0.25, 1.0]), "i": np.array([0.0, 0.5, 0.75])}
    fig = gate_heatmaps.saturation_scatter(left, right, [3, 7, 9], gate_titles={"f": "forget", "i": "input"},
                                     title="s", x_title="< 0.1", y_title="> 0.9")
    traces = [trace for trace in fig.data if trace.mode == "markers"]
    assert [trace.name for trace in traces] == ["forget", "input"]
    for trace, gate in zip(traces, ["f", "i"]):
        np.testing.assert_array_equal(trace.x, left[gate].astype(np.float32))
        np.testing.assert_array_equal(trace.y, right[gate].astype(np.float32))
        np.testing.assert_array_equal(trace.customdata, [3, 7, 9])
    assert "&lt; 0.1" in fig.layout.xaxis.title.text


def test_jacobian_figure_log_axis_curves_and_bound():
    distances = np.arange(6)
    curves = {"RNN": 0.5 ** distances, "LSTM": np.full(6, 0.9), "GRU": np.array([1, 0.8, 0.7, 0.0, 1e-30, 1e-300])}
    bound = 1.2 ** distances
    fig = vanishing_gradients.jacobian_norm_figure(distances, curves, bound=bound, bound_name="(γσ)^d", title="J")
    assert fig.layout.yaxis.type == "log"
    names = [trace.name for trace in fig.data]
    assert names == ["RNN", "LSTM", "GRU", "(γσ)^d"]
    for trace, values in zip(fig.data, [*curves.values(), bound]):
        np.testing.assert_array_equal(trace.x, distances)
        np.testing.assert_array_equal(trace.y, np.asarray(values, dtype=np.float64))
    assert fig.data[3].line.dash == "dash"
    # exploding norms beyond float32 survive
    fig = vanishing_gradients.jacobian_norm_figure(distances, {"RNN": 1e10 ** distances})
    assert np.isfinite(fig.data[0].y).all()


def test_gradient_contribution_bars_one_row_per_model():
    labels = ["a", "b", "a", "c"]
    contributions = {"RNN": np.array([1e-8, 1e-4, 1e-2, 1.0]), "LSTM": np.array([0.1, 0.2, 0.3, 0.4])}
    fig = vanishing_gradients.gradient_contribution_bars(contributions, labels, steps=np.arange(4) + 10,
                                             hover=HoverNames("词元", "步", "单元", "值"))
    assert len(fig.data) == 2
    for trace, (name, values) in zip(fig.data, contributions.items()):
        assert trace.name == name
        np.testing.assert_array_equal(trace.y, values.astype(np.float32))
        np.testing.assert_array_equal(trace.x, np.arange(4) + 10)
        assert list(trace.text) == labels
        assert "词元" in trace.hovertemplate
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "log"
    with pytest.raises(ValueError):
        vanishing_gradients.gradient_contribution_bars({"RNN": np.zeros(3)}, labels)


def test_forget_product_units_and_mean():
    products = RNG.random((5, 3))
    mean = products.mean(axis=1)
    fig = vanishing_gradients.forget_product_figure(products, [2, 5, 9], list("abcab"), mean=mean, unit_name="unit",
                                        mean_name="mean")
    assert [trace.name for trace in fig.data] == ["unit 2", "unit 5", "unit 9", "mean"]
    for index in range(3):
        np.testing.assert_array_equal(fig.data[index].y, products[:, index].astype(np.float32))
    np.testing.assert_array_equal(fig.data[3].y, mean.astype(np.float32))
    assert fig.layout.yaxis.type == "log"
    assert list(fig.layout.xaxis.ticktext) == list("abcab")


def test_spectral_scale_figure_marks_current_point():
    scales = np.linspace(0.1, 3, 30)
    fig = vanishing_gradients.spectral_scale_figure(scales, 1.3 * scales, 1.5, 1.95)
    np.testing.assert_allclose(fig.data[0].y, 1.3 * scales)
    assert fig.data[1].x[0] == 1.5 and fig.data[1].y[0] == pytest.approx(1.95)
    assert any(shape.y0 == 1.0 for shape in fig.layout.shapes)


def test_figures_serialise_numpy_binary_not_lists():
    panels, labels = _stack(n_steps=40, n_units=16)
    payload = json.loads(gate_heatmaps.state_heatmaps(panels, labels, range(16)).to_json())
    assert "bdata" in payload["data"][0]["z"]
    assert "bdata" in payload["data"][0]["x"]
    assert all("bdata" in payload["data"][1][key] for key in ("x", "y", "customdata"))


def test_spectral_scale_figure_threshold_line():
    scales = np.linspace(0.1, 3, 30)
    fig = vanishing_gradients.spectral_scale_figure(scales, 1.25 * scales, 1.0, 1.25, threshold_scale=0.8)
    assert any(shape.x0 == 0.8 and shape.x1 == 0.8 for shape in fig.layout.shapes)


def test_hover_steps_come_from_customdata_not_tick_text():
    labels = ["a", "b", "c"]
    bars = vanishing_gradients.gradient_contribution_bars({"RNN": np.ones(3)}, labels, steps=np.array([7, 8, 9]))
    belt = vanishing_gradients.forget_product_figure(np.ones((3, 1)), [0], labels, mean=np.ones(3), steps=np.array([7, 8, 9]))
    for trace in [*bars.data, *belt.data]:
        np.testing.assert_array_equal(trace.customdata, [7, 8, 9])
        assert "%{customdata}" in trace.hovertemplate and "%{x}" not in trace.hovertemplate


def test_signed_colours_match_the_coloured_text():
    """RdBu not reversed: red for negative, blue for positive, as lstm_viz.ui.render colours tokens."""
    fig = gate_heatmaps.state_heatmaps([HeatmapPanel("h", "h", np.array([[-1.0], [1.0]]), "signed", 1.0)], ["a", "b"], [0])
    axis = fig.layout.coloraxis
    assert not axis.reversescale
    low, high = axis.colorscale[0][1], axis.colorscale[-1][1]
    assert low.startswith("rgb(103,0,31)") and high.startswith("rgb(5,48,97)")  # dark red .. dark blue


def test_thinning_keeps_every_nth_and_the_last():
    np.testing.assert_array_equal(thin_indices(10, 20), np.arange(10))
    picked = thin_indices(1000, 100)
    assert len(picked) <= 100 and picked[0] == 0 and picked[-1] == 999
    assert set(np.diff(picked[:-1])) == {picked[1] - picked[0]}  # one stride up to the kept last step
    np.testing.assert_array_equal(thin_indices(1000, 400), np.arange(0, 1000, 3))


def test_token_ticks_show_every_label_that_fits():
    labels = ["<", "a", "&"] * 20   # 60 one-character tokens fit an 800 px axis
    tickvals, ticktext = token_ticks(np.arange(60) + 5, labels)
    np.testing.assert_array_equal(tickvals, np.arange(60) + 5)
    assert tickvals.dtype == np.int32 and ticktext[:3] == ["&lt;", "a", "&amp;"]
    assert len(token_ticks(np.arange(MAX_TICK_LABELS + 1), ["a"] * (MAX_TICK_LABELS + 1))[0]) < MAX_TICK_LABELS + 1


def test_token_ticks_that_cannot_fit_say_round_step_numbers_not_every_other_token():
    labels = list("The cat, which had eaten, was full. ") * 10   # 360 tokens
    tickvals, ticktext = token_ticks(np.arange(len(labels)), labels)
    assert len(tickvals) <= MAX_TICK_LABELS
    stride = int(tickvals[1] - tickvals[0])
    assert stride in (10, 20, 25, 50) and all(int(v) % stride == 0 for v in tickvals)
    assert ticktext == [str(int(v)) for v in tickvals]
    # wide labels (words, CJK) run out of room sooner than single characters
    assert labels_fit(list("床前明月光") * 12) is False and labels_fit(list("abcde") * 12) is True


def test_token_axis_keeps_every_token_and_opens_on_a_window_that_fits():
    labels = list("The cat, which had eaten, was full. ") * 10
    steps = np.arange(len(labels)) + 100
    axis = token_axis(steps, labels, focus=300)
    assert axis["window"] is True and axis["ticktext"] == [escape_label(label) for label in labels]
    np.testing.assert_array_equal(axis["tickvals"], steps)
    low, high = axis["range"]
    shown = int(high - low)
    assert low < 300 < high and shown == fitting_count(labels)
    assert labels_fit(labels[:shown]) and not labels_fit(labels[:shown + 8])
    short = token_axis(np.arange(5), list("abcde"))
    assert short["window"] is False and "range" not in short


def test_colour_levels_round_trip_within_half_a_level():
    values = np.array([[-2.0, -0.5, 0.0], [0.49, 2.0, 9.0]])
    levels = colour_levels(values, -2.0, 2.0)
    assert levels.dtype == np.uint8
    np.testing.assert_array_equal(levels, [[0, 96, 128], [159, 255, 255]])   # 9 clipped to the top
    positions, text = colour_level_ticks(-2.0, 2.0)
    np.testing.assert_array_equal(positions, [0, 63.75, 127.5, 191.25, 255])
    assert text == ["-2", "-1", "0", "1", "2"]
    assert small_int_array([0, 255]).dtype == np.uint8 and small_int_array([-1, 300]).dtype == np.int16
    assert small_int_array([0, 70_000]).dtype == np.int32


def test_step_budget_bounds_the_cells_drawn():
    assert gate_heatmaps.step_budget(6, 64, 80_000, 400) == 80_000 // (6 * 64)
    assert gate_heatmaps.step_budget(1, 1, 80_000, 400) == 400
    assert gate_heatmaps.step_budget(6, 10_000, 80_000, 400) == 50


def test_delta_heatmap_hover_reads_tokens_from_the_axis_not_a_per_cell_array():
    from lstm_viz.figures.backpropagation import delta_heatmap_figure

    labels = list("The cat, which had eaten, was full. ") * 4   # 144 tokens: more than fit
    panels = {"δh": RNG.normal(size=(len(labels), 8)), "δc": RNG.normal(size=(len(labels), 8))}
    fig = delta_heatmap_figure(panels, np.arange(len(labels)) + 10, labels, step=100)
    for trace in fig.data:
        assert trace.customdata is None and "%{x:d} (%{x})" in trace.hovertemplate
    assert list(fig.layout.xaxis2.ticktext) == [escape_label(label) for label in labels]   # every token a tick
    low, high = fig.layout.xaxis2.range
    assert low < 100 < high and fig.layout.dragmode == "pan"
    assert fig.layout.xaxis2.showticklabels and not fig.layout.xaxis.showticklabels
