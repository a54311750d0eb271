"""The LSTM cell drawing of the Step page: legible text (≥ 14 px, following a lecture font size), nothing
overlapping at a laptop's and a phone's width, hover explanations with the unit's numbers."""

import re

import numpy as np
import pytest

from lstm_viz import LSTM
from lstm_viz.figures import step_by_step
from lstm_viz.figures._style import label_width_px
from lstm_viz.figures.step_by_step import LABEL_PX, CellLabels, lstm_cell_figure

ZH = CellLabels(title="第 5 步 · 单元 3", forget="遗忘门 f", input="输入门 i", candidate="候选值 g", output="输出门 o",
                belt="细胞状态（传送带）", unit="单元", strips_note="显示全部 16 个单元；黑框为单元 3", peephole="窥视孔")
EN = CellLabels(title="Step 5 · unit 3", forget="forget gate f", input="input gate i", candidate="candidate g",
                output="output gate o", belt="cell state c: the conveyor belt",
                strips_note="All 16 units shown; the black box is unit 3")
PEEP = {"i": 0.125, "f": -0.25, "o": 0.5}


@pytest.fixture(scope="module")
def numbers():
    model = LSTM(6, 16, seed=3, peephole=True)
    trace = model.forward(np.random.default_rng(0).standard_normal((8, 6)))
    return model.step_numbers(trace, 5)


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


def _label_boxes(fig, plot_px: tuple[float, float]):
    """(x0, x1, y0, y1) in data units of every text annotation, from its estimated size at its font."""
    (x_lo, x_hi), (y_lo, y_hi) = fig.layout.xaxis.range, fig.layout.yaxis.range
    per_x, per_y = plot_px[0] / (x_hi - x_lo), plot_px[1] / (y_hi - y_lo)   # px per data unit
    base = fig.layout.font.size
    boxes = []
    for a in fig.layout.annotations:
        if not a.text or a.xref not in (None, "x"):
            continue
        size = a.font.size or base
        lines = a.text.split("<br>")
        width = max(label_width_px(_plain(line)) for line in lines) * size / 12 / per_x
        height = len(lines) * size * 1.15 / per_y
        x0 = {"left": a.x, "right": a.x - width}.get(a.xanchor, a.x - width / 2)
        y0 = a.y - height if a.yanchor == "top" else a.y - height / 2
        boxes.append((x0, x0 + width, y0, y0 + height, _plain(a.text)))
    return boxes


def _overlaps(boxes):
    found = []
    for k, (ax0, ax1, ay0, ay1, at) in enumerate(boxes):
        for bx0, bx1, by0, by1, bt in boxes[k + 1:]:
            if ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1:
                found.append((at, bt))
    return found


@pytest.mark.parametrize("labels", [EN, ZH], ids=["en", "zh"])
@pytest.mark.parametrize("layout, plot_px", [("wide", (900, 560)), ("wide", (440, 520)), ("stacked", (360, 760))],
                         ids=["wide-900", "wide-440", "stacked-360"])
@pytest.mark.parametrize("peephole", [None, PEEP], ids=["plain", "peephole"])
def test_no_label_overlaps_another_at_a_laptop_or_phone_width(numbers, labels, layout, plot_px, peephole):
    fig = lstm_cell_figure(numbers, 3, labels, layout=layout, peephole_terms=peephole)
    boxes = _label_boxes(fig, plot_px)
    assert len(boxes) >= 17
    assert _overlaps(boxes) == []
    (x_lo, x_hi), (y_lo, y_hi) = fig.layout.xaxis.range, fig.layout.yaxis.range
    for x0, x1, y0, y1, text in boxes:   # nothing clipped at the plot's edges
        assert x_lo <= x0 and x1 <= x_hi + 0.2 and y_lo <= y0 and y1 <= y_hi, text


def test_text_is_at_least_14_px_and_follows_the_scale_and_the_layout_font(numbers):
    fig = lstm_cell_figure(numbers, 3, EN, peephole_terms=PEEP)
    assert fig.layout.font.size == LABEL_PX >= 14
    sizes = [a.font.size or fig.layout.font.size for a in fig.layout.annotations if a.text]
    assert min(sizes) >= 14
    gate_names = [a for a in fig.layout.annotations if a.text and a.text.startswith("forget<br>gate <b>f</b>")]
    assert gate_names and gate_names[0].font.size is None   # inherits: update_layout(font_size=...) enlarges it
    big = lstm_cell_figure(numbers, 3, EN, scale=1.5)
    assert big.layout.font.size == 21
    assert min(a.font.size or big.layout.font.size for a in big.layout.annotations if a.text) >= 21
    assert big.layout.height > fig.layout.height


def test_hovering_a_gate_explains_it_with_the_units_value_now(numbers):
    fig = lstm_cell_figure(numbers, 3, ZH)
    hover = next(trace for trace in fig.data if trace.type == "scatter")
    v = numbers.vectors
    texts = list(hover.text)
    assert len(texts) == 6 and hover.marker.opacity == 0
    for k, name in enumerate("figo"):
        assert f"{name} = {v[name][3]:.4f}" in texts[k] and "单元 3" in texts[k]
    assert "遗忘门" in texts[0] and "σ(" in texts[0] and "tanh(" in texts[2]
    assert f"= {v['c'][3]:.4f}" in texts[4] and f"= {v['h'][3]:.4f}" in texts[5]


def test_strips_carry_the_vectors_and_outline_the_unit(numbers):
    for layout in ("wide", "stacked"):
        fig = lstm_cell_figure(numbers, 3, EN, layout=layout)
        strips = {trace.name: trace for trace in fig.data if trace.type == "heatmap"}
        assert set(strips) == {"c_prev", "c", "h_prev", "h", "f", "i", "g", "o", "x"}
        for name in ("f", "c", "h"):
            np.testing.assert_array_equal(strips[name].z[0], numbers.vectors[name].astype(np.float32))
    with pytest.raises(ValueError):
        lstm_cell_figure(numbers, 3, EN, layout="diagonal")


def test_gate_names_get_their_symbol_once():
    assert step_by_step._gate_title("forget gate f", "f", two_lines=True) == "forget<br>gate <b>f</b>"
    assert step_by_step._gate_title("forget gate", "f", two_lines=False) == "forget gate <b>f</b>"
    assert step_by_step._gate_title("遗忘门 f", "f", two_lines=True) == "遗忘门 <b>f</b>"
    assert step_by_step._gate_title("<i>", "i", two_lines=True) == "&lt;i&gt; <b>i</b>"


def test_a_long_note_is_wrapped_on_a_phone():
    lines = step_by_step._wrap("All 256 units are too many: 64 around unit 200 shown (200 outlined)", 200)
    assert len(lines) >= 2 and all(label_width_px(line) <= 200 for line in lines)
    assert " ".join(lines) == "All 256 units are too many: 64 around unit 200 shown (200 outlined)"
