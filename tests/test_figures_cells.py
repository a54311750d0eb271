"""Pure figure builders of the Cells page: shapes, float32 payloads, escaped labels."""

import numpy as np
import plotly.graph_objects as go

from lstm_viz.figures import cells as figures_cells


def test_topk_bar_marks_the_actual_character():
    fig = figures_cells.topk_bar(["a", "<b>", "c"], np.array([0.5, 0.3, 0.1]), actual="<b>", title="<i>t</i>")
    assert isinstance(fig, go.Figure)
    bar = fig.data[0]
    assert list(bar.marker.color) == ["#1f77b4", "#ff7f0e", "#1f77b4"]
    assert "&lt;b&gt;" in fig.layout.yaxis.ticktext
    assert "<i>" not in fig.layout.title.text


def test_topk_heatmap_shape_and_highlight():
    steps = np.arange(10, 14)
    chars = [["x", "y"]] * 4
    fig = figures_cells.topk_heatmap(steps, list("abcd"), chars, np.full((4, 2), 0.25), highlight=12)
    hm = fig.data[0]
    assert np.asarray(hm.z).shape == (2, 4)
    assert np.asarray(hm.z).dtype == np.float32
    assert len(fig.layout.shapes) == 1


def test_cells_vs_label_rows_and_correlation_bars():
    T = 30
    y = (np.arange(T) % 5 == 0).astype(float)
    acts = np.stack([y, -y], axis=1)
    fig = figures_cells.cells_vs_label(list("x" * T), y, acts, [3, 7], [1.0, -1.0], label_name="lab")
    assert len(fig.data) == 3
    assert "r = +1.000" in fig.layout.annotations[1].text
    bars = figures_cells.correlation_bars(np.linspace(-1, 1, 8), highlight=[0, 7])
    colors = list(bars.data[0].marker.color)
    assert colors[0] == colors[7] == "#d62728" and colors[3] != "#d62728"


def test_wide_characters_get_fewer_tick_labels_and_a_larger_font():
    """CJK characters take twice a Latin letter's room: the top-k grid labels every other step and the
    activation plot fewer ticks than for Latin text of the same length."""
    poem = list("床前明月光疑是地上霜举头望明月低头思故乡春眠不觉晓")[:20]
    latin = list("abcdefghijklmnopqrst")
    assert figures_cells.wide_share(poem) == 1.0 and figures_cells.wide_share(latin) == 0.0
    top = [["，", "。", "月", "光", "山"]] * 20
    wide = figures_cells.topk_heatmap(np.arange(20), poem, top, np.full((20, 5), 0.2))
    narrow = figures_cells.topk_heatmap(np.arange(20), latin, [list("abcde")] * 20, np.full((20, 5), 0.2))
    assert len(wide.layout.xaxis.ticktext) <= figures_cells.MAX_WIDE_HEAT_TICK_LABELS < len(narrow.layout.xaxis.ticktext)
    assert wide.data[0].textfont.size > narrow.data[0].textfont.size
    T = 60
    long_poem = (poem * 3)[:T]
    y = np.zeros(T)
    acts = np.zeros((T, 1))
    fig = figures_cells.cells_vs_label(long_poem, y, acts, [0], [0.0], label_name="l")
    assert len(fig.layout.xaxis2.ticktext) <= figures_cells.MAX_WIDE_TICK_LABELS   # the bottom row carries the ticks
    fig = figures_cells.cells_vs_label(list("x" * T), y, acts, [0], [0.0], label_name="l")
    assert len(fig.layout.xaxis2.ticktext) == T
