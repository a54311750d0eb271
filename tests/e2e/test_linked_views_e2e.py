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
