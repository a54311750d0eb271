"""The Backpropagation page in a real browser: the backward steps draw and move (t − 1), the three sections render
their charts, the error-surface options land in the link, and screenshots at a desktop and a phone size, in
English and 中文, go to test-artifacts/ (backprop-*.png)."""

from __future__ import annotations

from lstm_viz.ui import i18n

from .appdriver import ARTIFACTS, PLOTLY_CHART, rerun, wait_idle
from .test_app_e2e import MAIN, assert_healthy, page_url, query

def open_page(page, url: str) -> None:
    """Open ``url`` and wait for the app (a first visit computes every cached run: allow a busy machine time)."""
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=240_000)


SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def full_screenshot(page, name: str, width: int, height: int) -> None:
    """The whole page at ``width`` (the main area scrolls inside the page, so grow the viewport first)."""
    page.set_viewport_size({"width": width, "height": height})
    wait_idle(page)
    total = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(int(total) + 40, height), 9000)})
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": width, "height": height})


def choose_section(page, section: str, lang: str) -> None:
    with rerun(page):
        page.locator(f'{MAIN} [data-testid="stRadio"] label').filter(
            has_text=i18n.t(f"bp.section.{section}", lang)).first.click()
    wait_idle(page, timeout_ms=120_000)


def test_backpropagation_page_steps_sections_and_screenshots(page, app_url):
    open_page(page, page_url(app_url, "backpropagation", page="backpropagation", src="random", lang="en"))
    assert_healthy(page, "backpropagation")
    text = page.locator(MAIN).inner_text()
    assert "Backward step t = " in text and page.locator(PLOTLY_CHART).count() == 4
    last = int(query(page)["step"])
    assert f"Backward step t = {last} (steps 0 to " in text         # it opens where the loss enters
    with rerun(page):
        page.locator(f"{MAIN} button").filter(has_text=i18n.t("bp.prev", "en")).first.click()
    assert f"Backward step t = {last - 1} (steps 0 to " in page.locator(MAIN).inner_text()
    assert page.locator(f'{MAIN} [data-testid="stDataFrame"]').count() == 1    # the gradient check
    assert page.locator(f"{MAIN} .katex").count() >= 1                          # the equations

    for lang in ("en", "zh"):
        if lang == "zh":
            open_page(page, page_url(app_url, "backpropagation", page="backpropagation", src="random", lang="zh"))
        for section in ("steps", "connectivity", "surface"):
            choose_section(page, section, lang)
            assert_healthy(page, f"{section} ({lang})")
            assert page.locator(PLOTLY_CHART).count() == {"steps": 4, "connectivity": 1, "surface": 3}[section]
            if section == "surface":
                assert query(page).get("bp") == "surface"
            for size, (width, height) in SIZES.items():
                full_screenshot(page, f"backprop-{section}-{lang}-{size}", width, height)
