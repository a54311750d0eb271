"""Figure builders of the Gate heatmaps and Vanishing gradients pages, and the shared style: they carry the
exact numbers they are given (synthetic arrays, no engine needed)."""

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from lstm_viz.figures import gate_heatmaps, vanishing_gradients
from lstm_viz.figures._style import MAX_TICK_LABELS, HoverNames, thin_indices, token_ticks
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


def test_heatmap_stack_carries_values_transposed_as_float32():
    panels, labels = _stack()
    unit_ids = [4, 0, 2, 1, 3]
    fig = gate_heatmaps.state_heatmaps(panels, labels, unit_ids, title="T", x_title="x", y_title="y")
    assert isinstance(fig, go.Figure)
    assert fig.layout.yaxis.type == "category" and list(fig.layout.yaxis.categoryarray) == ["4", "0", "2", "1", "3"]
    assert fig.layout.yaxis.autorange == "reversed"  # first unit on top
    assert [trace.name for trace in fig.data] == ["f", "i", "o", "g", "c", "h"]
    for trace, panel in zip(fig.data, panels):
        assert isinstance(trace.z, np.ndarray) and trace.z.dtype == np.float32
        np.testing.assert_array_equal(trace.z, panel.values.T.astype(np.float32))
        np.testing.assert_array_equal(trace.x, np.arange(len(labels)))
        assert list(trace.y) == [str(u) for u in unit_ids]
        assert list(trace.text[0]) == labels and trace.text.shape == (5, 12)
        np.testing.assert_array_equal(trace.customdata, np.broadcast_to(np.arange(12), (5, 12)))
        for piece in ("%{text}", "%{customdata}", "%{y}", "%{z"):
            assert piece in trace.hovertemplate


def test_heatmap_colour_scales_gate_zero_one_signed_symmetric():
    panels, labels = _stack()
    fig = gate_heatmaps.state_heatmaps(panels, labels, range(5))
    axes = {trace.name: trace.coloraxis for trace in fig.data}
    assert axes["f"] == axes["i"] == axes["o"] == "coloraxis"
    gate_axis = fig.layout.coloraxis
    assert (gate_axis.cmin, gate_axis.cmax) == (0.0, 1.0)
    assert "Viridis" in json.dumps(gate_axis.colorscale.__repr__()) or gate_axis.colorscale[0][1] == "#440154"
    cell_axis = fig.layout[axes["c"]]
    peak = np.abs(panels[4].values).max()
    assert cell_axis.cmin == pytest.approx(-peak) and cell_axis.cmax == pytest.approx(peak)
    assert cell_axis.cmid == 0.0
    hidden_axis = fig.layout[axes["h"]]
    assert (hidden_axis.cmin, hidden_axis.cmax) == (-1.0, 1.0)
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
                                 max_steps=400, stride_note="every {stride}th of {total}")
    trace = fig.data[0]
    assert trace.z.shape[1] <= 400
    np.testing.assert_array_equal(trace.x, np.arange(0, n_steps, 3) + 50)
    np.testing.assert_array_equal(trace.customdata[0], np.arange(0, n_steps, 3) + 50)
    np.testing.assert_array_equal(trace.z, panels[0].values[::3].T.astype(np.float32))
    assert "every 3th of 1000" in fig.layout.title.text
    assert len(fig.layout.xaxis.tickvals) <= MAX_TICK_LABELS


def test_heatmap_rejects_bad_shapes_and_scales():
    with pytest.raises(ValueError):
        gate_heatmaps.state_heatmaps([HeatmapPanel("f", "f", np.zeros((3, 2)))], ["a", "b"], [0, 1])
    with pytest.raises(ValueError):
        gate_heatmaps.state_heatmaps([HeatmapPanel("f", "f", np.zeros((2, 2)), "weird")], ["a", "b"], [0, 1])
    with pytest.raises(ValueError):
        gate_heatmaps.state_heatmaps([], ["a"], [0])


def test_heatmap_constant_signed_panel_gets_a_nonzero_range():
    fig = gate_heatmaps.state_heatmaps([HeatmapPanel("c", "c", np.zeros((3, 2)), "signed")], ["a", "b", "c"], [0, 1])
    assert fig.layout.coloraxis.cmin == -1.0 and fig.layout.coloraxis.cmax == 1.0


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
    labels = [f"<{i}>" for i in range(MAX_TICK_LABELS)]
    tickvals, ticktext = token_ticks(np.arange(MAX_TICK_LABELS) + 5, labels)
    np.testing.assert_array_equal(tickvals, np.arange(MAX_TICK_LABELS) + 5)
    assert tickvals.dtype == np.int32 and ticktext[0] == "&lt;0&gt;"
    tickvals, _ = token_ticks(np.arange(10 * MAX_TICK_LABELS), labels * 10)
    assert len(tickvals) <= MAX_TICK_LABELS


def test_step_budget_bounds_the_cells_drawn():
    assert gate_heatmaps.step_budget(6, 64, 80_000, 400) == 80_000 // (6 * 64)
    assert gate_heatmaps.step_budget(1, 1, 80_000, 400) == 400
    assert gate_heatmaps.step_budget(6, 10_000, 80_000, 400) == 50
