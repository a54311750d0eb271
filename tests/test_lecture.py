"""Lecture mode (type scale, chart fonts, the link keeps it), the Step page's keys and speed, the Train page's
sidebar, the page CSS for phones (lstm_viz/ui/theme.py, sidebar.py, app.py, pages/step_by_step.py)."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from conftest import assert_clean_run, plotly_specs
from lstm_viz.ui import theme


def font_sizes(node, found=None) -> list[float]:
    """Every font size in a figure's JSON (layout and traces; not the template's)."""
    found = [] if found is None else found
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "template":
                continue
            if key.endswith("font") and isinstance(value, dict) and isinstance(value.get("size"), (int, float)):
                found.append(float(value["size"]))
            font_sizes(value, found)
    elif isinstance(node, list):
        for item in node:
            font_sizes(item, found)
    return found


def styles(at) -> str:
    return "\n".join(str(element.proto.body) for element in at.get("html") if "<style>" in element.proto.body)


# ---- the figure transform ---------------------------------------------------------------------------------------

def test_lecture_figure_scales_every_font_with_a_floor_and_leaves_the_original_alone():
    fig = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], colorbar=dict(tickfont=dict(size=10))))
    fig.add_annotation(text="small", font=dict(size=9), x=0, y=0)
    fig.update_layout(title=dict(text="title", font=dict(size=15)), height=300, margin=dict(t=40, l=30))
    big = theme.lecture_figure(fig)
    spec = big.to_dict()
    assert spec["layout"]["font"]["size"] == theme.PLOTLY_DEFAULT_FONT_PX * theme.LECTURE_CHART_SCALE
    assert spec["layout"]["title"]["font"]["size"] == 15 * theme.LECTURE_CHART_SCALE
    assert spec["layout"]["annotations"][0]["font"]["size"] == theme.LECTURE_MIN_CHART_PX   # 9 * 1.5 < 18
    assert spec["data"][0]["colorbar"]["tickfont"]["size"] == theme.LECTURE_MIN_CHART_PX
    assert spec["layout"]["height"] == 450 and spec["layout"]["margin"]["t"] == 60
    assert spec["layout"]["font"]["color"] == spec["layout"]["annotations"][0]["font"]["color"] == theme.LECTURE_INK
    assert fig.layout.title.font.size == 15 and fig.layout.height == 300      # the page's figure is untouched


def test_chart_config_keeps_the_page_options_and_drops_the_logo():
    assert theme.chart_config({"displayModeBar": False}) == {"displaylogo": False, "displayModeBar": False}
    assert theme.chart_config(None) == {"displaylogo": False}


def test_css_holds_the_phone_fixes_always_and_the_type_scale_only_in_lecture_mode():
    plain, lecture = theme.css(False), theme.css(True)
    for rule in (".katex-display { overflow-x: auto", ".modebar-container { display: none", "lstmx-phone-hint",
                 f"max-width: {theme.PHONE_MAX_WIDTH_PX}px"):
        assert rule in plain and rule in lecture
    assert f"html {{ font-size: {theme.LECTURE_BODY_PX}px; }}" in lecture and "html {" not in plain


# ---- through the app ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", ["step_by_step", "gate_heatmaps"])
def test_lecture_link_scales_every_chart_and_keeps_the_mode(app_at, page):
    at = app_at(page, text="lecture mode in a room", hidden=8, lecture=1)
    assert_clean_run(at)
    assert at.toggle(key="lstmx.lecture").value is True
    assert at.query_params["lecture"] == "1"
    assert f"font-size: {theme.LECTURE_BODY_PX}px" in styles(at)
    specs = plotly_specs(at)
    assert specs
    for spec in specs:
        sizes = font_sizes(spec)
        assert sizes and min(sizes) >= theme.LECTURE_MIN_CHART_PX, (page, sorted(sizes)[:5])


def test_without_lecture_mode_charts_keep_their_fonts_and_the_link_says_nothing(app_at):
    at = app_at("step_by_step", text="an ordinary day", hidden=8)
    assert_clean_run(at)
    assert "lecture" not in at.query_params
    assert f"font-size: {theme.LECTURE_BODY_PX}px" not in styles(at) and "katex-display" in styles(at)
    sizes = [size for spec in plotly_specs(at) for size in font_sizes(spec)]
    assert min(sizes) < theme.LECTURE_MIN_CHART_PX          # the page's own small labels (e.g. 10 px captions)
    assert all(json.loads(chart.proto.config).get("displaylogo") is False for chart in at.get("plotly_chart"))


def test_the_sidebar_toggle_turns_lecture_mode_on_and_off(app_at):
    at = app_at("step_by_step", text="toggle", hidden=8)
    at.toggle(key="lstmx.lecture").set_value(True).run()
    assert_clean_run(at)
    assert at.query_params["lecture"] == "1" and f"font-size: {theme.LECTURE_BODY_PX}px" in styles(at)
    at.toggle(key="lstmx.lecture").set_value(False).run()
    assert "lecture" not in at.query_params and f"font-size: {theme.LECTURE_BODY_PX}px" not in styles(at)


def test_the_phone_hint_is_on_every_page(app_at):
    at = app_at("theory", lang="zh")
    assert_clean_run(at)
    hints = [element.proto.body for element in at.get("html") if "lstmx-phone-hint" in element.proto.body]
    assert hints and "侧边栏" in hints[0]


def test_step_buttons_have_keys_and_the_speed_travels_in_the_link(app_at):
    at = app_at("step_by_step", text="keys and speed", hidden=8, speed="4")
    assert_clean_run(at)
    shortcuts = {key: at.button(key=key).proto.shortcut for key in ("step.prev", "step.next", "step.play")}
    assert shortcuts == {"step.prev": "left", "step.next": "right", "step.play": "space"}
    assert at.select_slider(key="step.speed").value == 4.0 and at.query_params["speed"] == "4"
    at.select_slider(key="step.speed").set_value(0.5).run()
    assert at.query_params["speed"] == "0.5"


def test_previous_and_next_clamp_at_the_ends_instead_of_being_disabled(app_at):
    at = app_at("step_by_step", text="abc", hidden=8)
    assert not at.button(key="step.prev").disabled
    at.button(key="step.prev").click().run()
    assert at.session_state["lstmx.step"] == 0
    for _ in range(4):
        at.button(key="step.next").click().run()
    assert at.session_state["lstmx.step"] == 2 and not at.button(key="step.next").disabled


def test_train_page_disables_the_shared_text_and_model_with_a_note(app_at):
    at = app_at("train", text="kept for the other pages", hidden=8)
    assert_clean_run(at)
    assert at.sidebar.text_area[0].disabled and at.radio(key="lstmx.src").disabled
    assert at.slider(key="lstmx.hidden").disabled
    assert any("Train" in info.value for info in at.sidebar.info)
    at.switch_page("pages/theory.py").run()
    assert_clean_run(at)
    assert not at.sidebar.text_area[0].disabled and at.sidebar.text_area[0].value == "kept for the other pages"
    assert not any("Train" in info.value for info in at.sidebar.info)
