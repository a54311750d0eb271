"""The app in a real browser: every page renders without an exception and draws its charts; the shared
sidebar takes English and Chinese text; the step slider, the language switch and shared links work."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from apptest_support import registered_pages
from appdriver import ARTIFACTS, EXCEPTION, PLOTLY_CHART, ROOT, StreamlitServer, wait_idle, wait_rerun

SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
TEXT_AREA = f"{SIDEBAR} textarea"


PAGES = registered_pages()
DEFAULT_PAGE = PAGES[0] if PAGES else "step_by_step"


def t(key: str, lang: str = "en") -> str:
    from lstm_viz.ui import i18n

    return i18n.t(key, lang)


def page_url(base: str, page_id: str, **params) -> str:
    path = "/" if page_id == DEFAULT_PAGE else f"/{page_id}"
    return base + path + (("?" + urlencode(params)) if params else "")


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=60_000)


def assert_healthy(page, where: str) -> None:
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        raise AssertionError(f"{where}: exception shown: {exceptions.first.inner_text()[:500]}")
    charts = page.locator(PLOTLY_CHART)
    for k in range(charts.count()):
        chart = charts.nth(k)
        assert chart.locator(".js-plotly-plot .main-svg").count() > 0, f"{where}: chart {k} not drawn"
        box = chart.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 50, f"{where}: chart {k} has no size"


def assert_on_page(page, page_id: str) -> None:
    expected = "" if page_id == DEFAULT_PAGE else f"/{page_id}"
    assert urlsplit(page.url).path.rstrip("/") == expected, f"expected page {page_id}, landed on {page.url}"
    assert query(page).get("page", page_id) == page_id


def screenshot(page, name: str) -> None:
    """A screenshot of the whole app (the main area scrolls inside the page, so grow the viewport first)."""
    height = page.evaluate(
        "() => Math.max(900, ...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 6000)})
    page.wait_for_timeout(300)
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def wait_query(page, name: str, value: str, timeout_ms=15_000) -> None:
    """Wait until the URL's query parameter ``name`` equals ``value`` (the app writes the URL after a run)."""
    page.wait_for_function(
        "([n, v]) => new URLSearchParams(location.search).get(n) === v", arg=[name, value], timeout=timeout_ms
    )


def type_text(page, text: str) -> None:
    area = page.locator(TEXT_AREA).first
    area.click()
    area.fill(text)
    area.press("Control+Enter")  # Streamlit commits a text area on Ctrl+Enter (or on blur)
    wait_rerun(page)


def step_slider(page, lang="en"):
    label = t("common.step", lang)
    slider = page.locator(f'{MAIN} [data-testid="stSlider"]').filter(has_text=label).first
    return slider.locator('input[type="range"]').first


# ----------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page_id", PAGES)
def test_every_page_renders_without_exception_and_draws_its_charts(page, app_url, page_id):
    open_page(page, page_url(app_url, page_id, page=page_id))  # the app's own link form: path + ?page=
    assert_on_page(page, page_id)
    assert_healthy(page, page_id)
    assert page.locator(TEXT_AREA).count() == 1, "the shared sidebar is missing"
    nav_links = page.locator('[data-testid="stSidebarNav"] a')
    assert nav_links.count() == len(PAGES)
    screenshot(page, f"page-{page_id}-en")


OTHER_PAGE = next((p for p in PAGES if p != DEFAULT_PAGE), DEFAULT_PAGE)


def test_a_bare_page_path_opens_that_page(page, app_url):
    """/<page> without query parameters (a bookmark, a hand-typed address) must open that page."""
    open_page(page, page_url(app_url, OTHER_PAGE))
    assert_on_page(page, OTHER_PAGE)
    assert_healthy(page, f"/{OTHER_PAGE}")


@pytest.mark.xfail(
    (ROOT / "pages").is_dir(),
    reason="with a pages/ directory beside app.py, Streamlit starts in its v1 multipage mode and runs "
    "pages/<page>.py alone (no app.py, no sidebar, no context) until some session has called st.navigation; "
    "renaming the folder fixes it",
    strict=True,
)
def test_first_visit_of_a_fresh_server_can_be_a_deep_link(page):
    """A shared link to a page must work even when it is the server's first request since start-up."""
    with StreamlitServer(log_path=ARTIFACTS / "e2e-fresh-server.log") as server:
        open_page(page, page_url(server.url, OTHER_PAGE, page=OTHER_PAGE))
        assert page.locator(TEXT_AREA).count() == 1, "the page ran without app.py (no shared sidebar)"
        assert_healthy(page, f"{OTHER_PAGE} as first request")
        assert_on_page(page, OTHER_PAGE)


# ----------------------------------------------------------------------------- sidebar text


ENGLISH = "Long short-term memory keeps (nested (brackets)) and \"quotes\" open for a while."
CHINESE = "长短期记忆网络会记住很久以前的信息。门控决定遗忘什么，写入什么，输出什么。"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> **bold** $x^2$ [link](javascript:alert(1))'


def test_typing_english_chinese_hostile_and_empty_text_in_the_sidebar(page, app_url):
    """One visitor types four texts in a row (one page load keeps the browser run short)."""
    open_page(page, page_url(app_url, DEFAULT_PAGE))
    for name, text in (("en", ENGLISH), ("zh", CHINESE)):
        type_text(page, text)
        assert page.locator(TEXT_AREA).first.input_value() == text
        wait_query(page, "text", text)
        assert_healthy(page, f"after typing {name} text")
        visible = page.locator(MAIN).inner_text()
        assert any(ch in visible for ch in text[:12] if not ch.isspace()), f"the {name} text is not shown"
        screenshot(page, f"text-{name}")

    # Hostile text is shown as text, never run (the page fixture also fails on any dialog).
    type_text(page, HOSTILE)
    assert_healthy(page, "hostile text")
    assert page.locator(f"{MAIN} script").count() == 0
    assert page.locator(f"{MAIN} img[src='x']").count() == 0

    # Whitespace only: a clear message, not a traceback.
    type_text(page, "   ")
    assert page.locator(EXCEPTION).count() == 0
    assert page.locator('[data-testid="stAlert"]').count() >= 1


# ----------------------------------------------------------------------------- step slider


def test_moving_the_step_slider_updates_the_view_and_the_url(page, app_url):
    open_page(page, page_url(app_url, DEFAULT_PAGE))
    thumb = step_slider(page)
    assert thumb.input_value() == "0"
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowRight")
    wait_rerun(page)
    wait_query(page, "step", "3")
    assert step_slider(page).input_value() == "3"
    assert_healthy(page, "after moving the step")
    # The step is shared across pages: the next page opens at the same step.
    if len(PAGES) > 1:
        page.locator('[data-testid="stSidebarNav"] a').nth(1).click()
        wait_rerun(page)
        assert_healthy(page, "second page after moving the step")
        assert query(page).get("step") == "3"


# ----------------------------------------------------------------------------- language


def test_switching_to_chinese_translates_the_interface(page, app_url):
    open_page(page, page_url(app_url, DEFAULT_PAGE))
    page.locator(f'{SIDEBAR} [data-testid="stRadio"] label').filter(has_text="中文").first.click()
    wait_rerun(page)
    wait_query(page, "lang", "zh")
    nav_text = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert re.search(r"[\u4e00-\u9fff]", nav_text), f"navigation not translated: {nav_text!r}"
    assert page.get_by_text(t("common.step", "zh")).count() >= 1
    assert_healthy(page, "Chinese interface")
    screenshot(page, f"page-{DEFAULT_PAGE}-zh")
    # ... and back.
    page.locator(f'{SIDEBAR} [data-testid="stRadio"] label').filter(has_text="English").first.click()
    wait_rerun(page)
    wait_query(page, "lang", "en")
    assert page.get_by_text(t("common.step", "en")).count() >= 1


# ----------------------------------------------------------------------------- shared links


def test_a_shared_link_lands_on_the_same_view(page, browser, app_url):
    target = PAGES[1] if len(PAGES) > 1 else DEFAULT_PAGE
    text = "门控 gates 记忆"
    open_page(page, page_url(app_url, target, page=target, lang="zh", text=text, step=4, unit=2, hidden=16))
    assert_healthy(page, "shared link")
    assert page.locator(TEXT_AREA).first.input_value() == text
    assert_on_page(page, target)
    params = query(page)
    assert (params.get("lang"), params.get("step"), params.get("unit"), params.get("hidden")) == ("zh", "4", "2", "16")

    # Copy the address bar into a brand-new visitor's browser: same page, same settings.
    shared = page.url
    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        open_page(other, shared)
        assert_healthy(other, "copied link")
        assert other.locator(TEXT_AREA).first.input_value() == text
        assert urlsplit(other.url).path == urlsplit(shared).path
        assert query(other) == params
        checked = other.locator(f'{SIDEBAR} [data-testid="stRadio"] input[type="radio"]:checked').first
        assert checked.evaluate("e => e.closest('label').innerText").strip() == "中文"
    finally:
        other.context.close()


def test_a_link_with_hostile_or_invalid_params_still_opens(page, app_url):
    url = page_url(app_url, DEFAULT_PAGE, step="-5", unit="abc", hidden="99999", lang="xx", page="../../etc", seed="1e400")
    open_page(page, url)
    assert_healthy(page, "invalid params")
    assert page.locator(TEXT_AREA).count() == 1
