"""Linked views in a real browser: clicking a cell of the Gate heatmaps selects that step and unit on every page.

One page load, one click, one page switch (a few seconds on a quiet machine)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from lstm_viz.ui import i18n

from .appdriver import PLOTLY_CHART, rerun, wait_idle

MAIN = '[data-testid="stMain"]'
NAV_LINKS = '[data-testid="stSidebarNav"] a'

# Page coordinates of the centre of cell (step, unit) in the first heatmap panel, from plotly's own axes.
CELL_CENTRE_JS = """
([step, unit]) => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  const x = xa.d2p(step), y = ya.d2p(String(unit));
  if (!isFinite(x) || !isFinite(y)) return null;
  return {x: box.left + xa._offset + x, y: box.top + ya._offset + y};
}
"""


def t(key: str) -> str:
    return i18n.t(key, "en")


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_clicking_a_heatmap_cell_selects_that_step_and_unit_on_the_step_page(page, app_url):
    page.goto(f"{app_url}/gate_heatmaps?page=gate_heatmaps", wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=90_000)
    step, unit = 5, 3
    page.locator(PLOTLY_CHART).first.scroll_into_view_if_needed()
    centre = page.evaluate(CELL_CENTRE_JS, [step, unit])
    assert centre is not None, "the heatmap has no cell (5, 3)"
    page.mouse.move(centre["x"], centre["y"])
    page.wait_for_timeout(100)   # plotly picks the hovered point on mouse move; the click selects it
    with rerun(page):
        page.mouse.click(centre["x"], centre["y"])
    page.wait_for_function(
        "([s, u]) => { const q = new URLSearchParams(location.search); return q.get('step') === s && q.get('unit') === u; }",
        arg=[str(step), str(unit)], timeout=15_000,
    )

    with rerun(page):
        page.locator(NAV_LINKS).first.click()   # the Step page (first in the menu)
    slider = page.locator(f'{MAIN} [data-testid="stSlider"]').filter(has_text=t("common.step")).first
    assert slider.locator('input[type="range"]').first.input_value() == str(step)
    unit_input = page.locator(f'{MAIN} [data-testid="stNumberInput"] input').first
    assert unit_input.input_value() == str(unit)
    assert (query(page).get("step"), query(page).get("unit")) == (str(step), str(unit))


# Hover a cell of the last panel: plotly draws one marker per overlay (marker.maxdisplayed) yet every cell must
# still show its token, step, unit and exact value.
LAST_PANEL_CELL_JS = """
([step, unit]) => {
  const gd = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const overlays = gd._fullData.filter(trace => trace.type === 'scatter' && trace.customdata);
  const last = overlays[overlays.length - 1], index = gd._fullData.indexOf(last);
  const plot = gd._fullData[index].xaxis + gd._fullData[index].yaxis;
  const sub = gd._fullLayout._plots[plot], box = gd.getBoundingClientRect();
  const k = Array.from(last.y).findIndex((u, i) => Number(u) === unit && Number(last.x[i]) === step);
  return {x: box.left + sub.xaxis._offset + sub.xaxis.d2p(step), y: box.top + sub.yaxis._offset + sub.yaxis.d2p(String(unit)),
          value: Number(last.customdata[k]), drawn: gd.querySelectorAll('.scatterlayer .point').length,
          overlays: overlays.length};
}
"""


def test_every_cell_of_every_panel_hovers_with_one_marker_drawn(page, app_url):
    page.goto(f"{app_url}/gate_heatmaps?page=gate_heatmaps", wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=90_000)
    unit = 2
    page.locator(PLOTLY_CHART).first.scroll_into_view_if_needed()
    cell = page.evaluate(LAST_PANEL_CELL_JS, [0, unit])
    assert cell["drawn"] <= cell["overlays"], cell            # not one SVG node per cell
    page.evaluate("(dy) => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, dy)", cell["y"] - 450)
    page.wait_for_timeout(300)                                   # the last panel in view
    for step in (3, 20, 41):
        cell = page.evaluate(LAST_PANEL_CELL_JS, [step, unit])
        assert 0 < cell["y"] < 900, cell
        page.mouse.move(cell["x"], cell["y"])
        page.wait_for_timeout(250)                               # plotly throttles hover
        text = page.locator(".hovertext").first.text_content()
        assert f"{t('heatmaps.hover.step')}: {step}" in text and f"{t('heatmaps.hover.unit')}: {unit}" in text, text
        assert f"{cell['value']:.4f}" in text, (text, cell["value"])
