"""The app in a real browser: every page renders without an exception and draws its charts; the shared
sidebar takes English, Chinese and hostile text; the step slider, the language switch and shared links work.

Page loads are the expensive part on a busy machine, so each test does several things in one visit."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from apptest_support import registered_pages  # tests/ is on sys.path: the parent of the e2e package

from .appdriver import ARTIFACTS, EXCEPTION, PLOTLY_CHART, StreamlitServer, rerun, wait_idle

SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
NAV_LINKS = '[data-testid="stSidebarNav"] a'
TEXT_AREA = f"{SIDEBAR} textarea"

PAGES = registered_pages()
DEFAULT_PAGE = PAGES[0] if PAGES else "step_by_step"
OTHER_PAGE = next((p for p in PAGES if p != DEFAULT_PAGE), DEFAULT_PAGE)

ENGLISH = 'Long short-term memory keeps (nested (brackets)) and "quotes" open for a while.'
CHINESE = "长短期记忆网络会记住很久以前的信息。门控决定遗忘什么，写入什么，输出什么。"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> **bold** $x^2$ [link](javascript:alert(1))'


def t(key: str, lang: str = "en") -> str:
    from lstm_viz.ui import i18n

    return i18n.t(key, lang)


def page_url(base: str, page_id: str, **params) -> str:
    path = f"/{page_id}"   # every page's address is its path (the bare root forwards to the first page)
    return base + path + (("?" + urlencode(params)) if params else "")


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=90_000)


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def wait_query(page, name: str, value: str, timeout_ms=15_000) -> None:
    """Wait until the URL's query parameter ``name`` equals ``value`` (the app writes the URL after a run)."""
    page.wait_for_function(
        "([n, v]) => new URLSearchParams(location.search).get(n) === v", arg=[name, value], timeout=timeout_ms
    )


def wait_text_in_link(page, text: str, timeout_ms=15_000) -> None:
    """Wait until the link carries ``text``: as ``text=`` or compressed as ``tz=`` (whichever the app chose)."""
    from lstm_viz.ui.urlstate import compress_text

    page.wait_for_function(
        "([v, z]) => { const q = new URLSearchParams(location.search); return q.get('text') === v || q.get('tz') === z; }",
        arg=[text, compress_text(text)], timeout=timeout_ms,
    )


def assert_healthy(page, where: str) -> None:
    """No exception box; every Plotly chart drawn with a real size; the shared sidebar present."""
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        raise AssertionError(
            f"{where}: exception shown: {exceptions.first.inner_text()[:300]} (traceback in test-artifacts/*.log)"
        )
    charts = page.locator(PLOTLY_CHART)
    for k in range(charts.count()):
        chart = charts.nth(k)
        assert chart.locator(".js-plotly-plot .main-svg").count() > 0, f"{where}: chart {k} not drawn"
        box = chart.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 50, f"{where}: chart {k} has no size"
    assert page.locator(TEXT_AREA).count() == 1, f"{where}: the shared sidebar is missing"


def assert_on_page(page, page_id: str) -> None:
    expected = f"/{page_id}"
    assert urlsplit(page.url).path.rstrip("/") == expected, f"expected page {page_id}, landed on {page.url}"
    assert "page" not in query(page), "the page is in the path only"


def screenshot(page, name: str) -> None:
    """A screenshot of the whole app (the main area scrolls inside the page, so grow the viewport first)."""
    height = page.evaluate(
        "() => Math.max(900, ...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 6000)})
    wait_idle(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def type_text(page, text: str) -> None:
    area = page.locator(TEXT_AREA).first
    area.fill(text)
    with rerun(page):
        area.press("Control+Enter")  # Streamlit commits a text area on Ctrl+Enter (or on blur)


def step_slider(page, lang="en"):
    slider = page.locator(f'{MAIN} [data-testid="stSlider"]').filter(has_text=t("common.step", lang)).first
    return slider.locator('input[type="range"]').first


def choose_language(page, label: str) -> None:
    with rerun(page):
        page.locator(f'{SIDEBAR} [data-testid="stRadio"] label').filter(has_text=label).first.click()


# ----------------------------------------------------------------------------- every page


@pytest.mark.parametrize("page_id", PAGES)
def test_every_page_renders_without_exception_and_draws_its_charts(page, app_url, page_id):
    open_page(page, page_url(app_url, page_id, page=page_id))  # an older link form: path + ?page=
    assert_on_page(page, page_id)
    assert_healthy(page, page_id)
    assert page.locator(NAV_LINKS).count() == len(PAGES)
    screenshot(page, f"page-{page_id}-en")


def test_a_bare_page_path_with_invalid_params_opens_that_page(page, app_url):
    """/<page> typed by hand (no ?page=) with junk parameters: that page, defaults, a note, no traceback."""
    open_page(page, page_url(app_url, OTHER_PAGE, step="-5", unit="abc", hidden="99999", lang="xx", seed="1e400"))
    assert_on_page(page, OTHER_PAGE)
    assert_healthy(page, f"/{OTHER_PAGE} with invalid params")


def test_first_visit_of_a_fresh_server_can_be_a_deep_link(page):
    """A shared link to a page must work even when it is the server's first request since start-up.

    (With a pages/ folder beside app.py, Streamlit runs in its legacy multipage mode until the first
    st.navigation call of the process, so such a request runs the page file alone unless the app handles it:
    lstm_viz/ui/context.py.) The full app: the shared sidebar, app.py's menu (its page titles, in its order).
    """
    with StreamlitServer(log_path=ARTIFACTS / "e2e-fresh-server.log") as server:
        open_page(page, page_url(server.url, OTHER_PAGE, lang="zh"))
        assert_healthy(page, f"{OTHER_PAGE} as the first request of a fresh server")
        assert_on_page(page, OTHER_PAGE)
        menu = page.locator(NAV_LINKS)
        assert menu.count() == len(PAGES), "not app.py's menu"
        for k, page_id in enumerate(PAGES):
            assert t(f"nav.{page_id}", "zh") in menu.nth(k).inner_text(), f"menu entry {k} is not app.py's"


# ----------------------------------------------------------------------------- sidebar text


def test_typing_english_chinese_hostile_and_empty_text_in_the_sidebar(page, app_url):
    open_page(page, page_url(app_url, DEFAULT_PAGE))
    for name, text in (("en", ENGLISH), ("zh", CHINESE)):
        type_text(page, text)
        assert page.locator(TEXT_AREA).first.input_value() == text
        wait_text_in_link(page, text)
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


# ----------------------------------------------------------------------------- step slider and language


def test_step_slider_language_switch_and_page_switch_keep_the_view(page, app_url):
    open_page(page, page_url(app_url, DEFAULT_PAGE))

    thumb = step_slider(page)
    assert thumb.input_value() == "0"
    for expected in ("1", "2", "3"):
        with rerun(page):
            thumb.focus()
            thumb.press("ArrowRight")
        assert step_slider(page).input_value() == expected
    wait_query(page, "step", "3")
    assert_healthy(page, "after moving the step")

    choose_language(page, "中文")
    wait_query(page, "lang", "zh")
    nav_text = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert re.search(r"[\u4e00-\u9fff]", nav_text), f"navigation not translated: {nav_text!r}"
    assert page.get_by_text(t("common.step", "zh")).count() >= 1
    assert step_slider(page, "zh").input_value() == "3", "switching the language lost the step"
    assert_healthy(page, "Chinese interface")
    screenshot(page, f"page-{DEFAULT_PAGE}-zh")

    # The step and the language are shared across pages.
    if len(PAGES) > 1:
        with rerun(page):
            page.locator(NAV_LINKS).nth(PAGES.index(OTHER_PAGE)).click()
        assert_on_page(page, OTHER_PAGE)
        assert_healthy(page, f"{OTHER_PAGE} after the switch")
        assert (query(page).get("step"), query(page).get("lang")) == ("3", "zh")
        screenshot(page, f"page-{OTHER_PAGE}-zh")

    choose_language(page, "English")
    wait_query(page, "lang", "en")
    assert page.get_by_text(t("common.step", "en")).count() + page.locator(NAV_LINKS).count() >= 1
    assert not re.search(r"[\u4e00-\u9fff]", page.locator('[data-testid="stSidebarNav"]').inner_text())


# ----------------------------------------------------------------------------- shared links


def test_a_shared_link_lands_on_the_same_view(page, browser, app_url):
    target = OTHER_PAGE
    text = "门控 gates 记忆"
    open_page(page, page_url(app_url, target, lang="zh", text=text, step=4, unit=2, src="random", hidden=16))
    assert_healthy(page, "shared link")
    assert_on_page(page, target)
    assert page.locator(TEXT_AREA).first.input_value() == text
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


# ----------------------------------------------------------------------------- weight upload


def test_uploading_weights_in_the_browser(page, app_url):
    """A real upload through the widget (upload size limit, XSRF cookie, interop) and a refused file."""
    from lstm_viz import GRU
    from lstm_viz.data.weight_files import weights_to_bytes

    open_page(page, page_url(app_url, DEFAULT_PAGE))
    with rerun(page):
        page.locator(f'{SIDEBAR} [data-testid="stRadio"] label').filter(has_text=t("sidebar.src.upload")).first.click()
    uploader = page.locator(f'{SIDEBAR} [data-testid="stFileUploader"] input[type="file"]')
    assert uploader.count() == 1

    gru_file = weights_to_bytes(GRU(16, 12, seed=3))
    weights = {"name": "my_gru.npz", "mimeType": "application/octet-stream", "buffer": gru_file}
    with rerun(page):
        uploader.set_input_files(weights)
    assert_healthy(page, "after uploading a GRU")
    sidebar_text = page.locator(SIDEBAR).inner_text()
    assert "GRU" in sidebar_text and "12" in sidebar_text, "the uploaded GRU is not in use"

    garbage = {"name": "broken.npz", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04 not really a zip"}
    with rerun(page):
        uploader.set_input_files(garbage)
    assert_healthy(page, "after uploading a broken file")
    assert t("sidebar.upload_error").split("{")[0].strip() in page.locator(SIDEBAR).inner_text()
