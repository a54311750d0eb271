"""Chromium: every page's typed path, lecture mode at 1920 x 1080 (sizes measured in the page), play / stop and
the keys on the Step page, the phone view (390 x 844), a long text's link.

LSTMX_E2E_URL points these tests at a running server instead of the shared one of the e2e session.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from apptest_support import registered_pages

from .appdriver import ARTIFACTS, EXCEPTION, rerun, wait_idle

PAGES = registered_pages()
FIRST_PAGE = PAGES[0]
SIDEBAR = '[data-testid="stSidebar"]'
MAIN = '[data-testid="stMain"]'
DIALOG = '[role="dialog"]'
LECTURE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
PHONE_AGENT = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"


def t(key: str, lang: str = "en", **fmt) -> str:
    from lstm_viz.ui import i18n

    return i18n.t(key, lang, **fmt)


@pytest.fixture(scope="module")
def base(request) -> str:
    return os.environ.get("LSTMX_E2E_URL") or request.getfixturevalue("app_url")


@pytest.fixture
def tab(browser):
    """A new visitor with the given viewport: ``tab(viewport) -> page``; fails on JavaScript errors."""
    opened = []

    def make(viewport, user_agent=None):
        context = browser.new_context(viewport=viewport, locale="en-US", user_agent=user_agent)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        opened.append((context, page))
        return page

    yield make
    for context, page in opened:
        errors = list(page.js_errors)
        context.close()
        assert not errors, f"JavaScript errors in the page: {errors}"


def open_url(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=120_000)
    wait_idle(page, timeout_ms=120_000)
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()[:300]


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def step_now(page) -> int:
    page.wait_for_function("() => new URLSearchParams(location.search).has('step')")
    return int(query(page)["step"])


# ---- every page's path -----------------------------------------------------------------------------------------

def test_typing_each_page_path_opens_that_page_and_the_address_is_only_the_path(tab, base):
    """A typed /step_by_step used to say "page not found" (the default page lived at / only)."""
    page = tab({"width": 1280, "height": 900})
    for page_id in [*PAGES, ""]:
        page.goto(f"{base}/{page_id}", wait_until="domcontentloaded", timeout=120_000)
        expected = page_id or FIRST_PAGE           # the bare root forwards to the first page
        try:
            page.wait_for_function(
                "(path) => location.pathname.replace(/\\/$/, '') === path && document.querySelector('h1')",
                arg=f"/{expected}", timeout=120_000)
        except Exception as exc:  # noqa: BLE001 - say which page
            raise AssertionError(f"/{page_id}: landed on {page.url}") from exc
        assert page.locator(DIALOG).count() == 0, f"/{page_id}: {page.locator(DIALOG).first.inner_text()[:200]}"
        assert "page" not in query(page), page.url
        nav = page.locator(f'{SIDEBAR} [data-testid="stSidebarNav"] a[aria-current="page"]')
        assert t(f"nav.{expected}") in nav.first.inner_text(), f"/{page_id}: the menu marks another page"


# ---- lecture mode ------------------------------------------------------------------------------------------------

SIZES_JS = """
() => {
  const px = (el) => parseFloat(getComputedStyle(el).fontSize);
  const body = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,'
                                          + ' [data-testid="stMain"] [data-testid="stMarkdownContainer"] p')]
      .filter(el => el.offsetParent !== null && !el.closest('[data-testid="stCaptionContainer"]')
              && !el.closest('[data-testid="stWidgetLabel"]') && el.innerText.trim().length > 3)
      ;
  const smallest = body.reduce((a, b) => (px(b) < px(a) ? b : a), body[0]);
  const chart = [...document.querySelectorAll('.js-plotly-plot .main-svg text')]
      .filter(el => el.textContent.trim().length > 0).map(px);
  return {body: px(smallest), nBody: body.length, chart: Math.min(...chart), nChart: chart.length,
          smallest: smallest.innerText.slice(0, 60)};
}
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_lecture_mode_at_1920_has_room_sized_text_and_a_collapsed_sidebar(tab, base, lang):
    page = tab(LECTURE)
    open_url(page, f"{base}/{FIRST_PAGE}?lecture=1&lang={lang}")
    assert query(page)["lecture"] == "1"
    folded = page.locator(f"{SIDEBAR} textarea").evaluate("el => el.getBoundingClientRect().right <= 0")
    assert folded, "the sidebar is open in lecture mode"
    sizes = page.evaluate(SIZES_JS)
    assert sizes["nBody"] > 3 and sizes["body"] >= 22, str(sizes)
    assert sizes["nChart"] > 10 and sizes["chart"] >= 18, sizes
    shot(page, f"lecture-1920-{lang}")


# ---- play, stop, keys ----------------------------------------------------------------------------------------------

def start_playing(page, base):
    """The Step page at 4 steps per second, playing from step 0 until step 2 or further: returns (Play, Stop)."""
    open_url(page, f"{base}/{FIRST_PAGE}?speed=4&step=0")
    play = page.locator(f'{MAIN} [data-testid="stButton"] button').filter(has_text=t("step.play"))
    with rerun(page):
        play.click()
    stop = page.locator(f'{MAIN} [data-testid="stButton"] button').filter(has_text=t("step.stop"))
    stop.wait_for()
    page.wait_for_function("() => Number(new URLSearchParams(location.search).get('step')) >= 2", timeout=30_000)
    return play, stop


def assert_stays_stopped(page, play) -> None:
    """Stop landed: Play again within seconds, short of the last step (play that ran on to the end of the text stops
    by itself and must not pass for a Stop), and the step stays put."""
    try:
        play.wait_for(timeout=10_000)                            # the button says Play again
    except PlaywrightTimeoutError:
        dialogs = page.locator(DIALOG)
        raise AssertionError("no Play button 10 s after Stop" + (
            f"; the page says: {dialogs.first.inner_text()[:300]}" if dialogs.count() else "")) from None
    page.wait_for_timeout(1500)                                  # a tick already on its way may still land once
    wait_idle(page, timeout_ms=120_000)
    stopped = step_now(page)
    slider = page.locator(f'{MAIN} [data-testid="stSlider"] input[type="range"][aria-label="{t("common.step")}"]')
    last = int(slider.get_attribute("max"))
    assert stopped < last, "play ran on to the end of the text"
    for _ in range(3):
        page.wait_for_timeout(750)                               # three intervals at 4 steps per second
        assert step_now(page) == stopped, "still playing after Stop"
    assert page.locator(f'{MAIN} [data-testid="stButton"] button').filter(has_text=t("step.stop")).count() == 0


def test_stop_always_lands_while_playing(tab, base):
    page = tab({"width": 1280, "height": 900})
    play, stop = start_playing(page, base)
    stop.evaluate("button => { button.dataset.lstmxMark = 'same'; }")   # the very DOM node, marked
    first = step_now(page)
    page.wait_for_function("(s) => Number(new URLSearchParams(location.search).get('step')) > s", arg=first,
                           timeout=30_000)
    assert stop.get_attribute("data-lstmx-mark") == "same", "the Stop button was re-created while playing"
    stop.click()
    assert_stays_stopped(page, play)


class PressDeliveredTwice:
    """Stands between the page and the server and makes certain the race that lost a Stop in about 1 run in 3.

    While the view plays, the browser's timer sends the fragment's rerun with the state of every widget, so a press
    made a moment before rides along with it, and the press's own rerun follows with the press again. Here the first
    rerun that carries a press of ``button_key`` reaches the server as such a timer's rerun (a copy when the timer did
    not catch the press itself), and the press's own rerun is held back until :meth:`release`, so the server runs the
    two one after the other (not coalesced into one run). The route also drops the browser's list of the messages it
    has cached from every rerun: held or queued, that list goes stale (the browser keeps a big message for two runs
    only) and the server would answer with references the browser no longer has.
    """

    def __init__(self, page, button_key: str):
        self.button_key, self.fragment_id, self.timer_sent, self.held, self.server = button_key, None, False, None, None
        page.route_web_socket(lambda url: url.endswith("/_stcore/stream"), self.connect)

    def pressed(self, rerun_script) -> bool:
        return any(w.id.endswith(f"-{self.button_key}") and w.WhichOneof("value") == "trigger_value"
                   and w.trigger_value for w in rerun_script.widget_states.widgets)

    def connect(self, ws) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        server = ws.connect_to_server()

        def from_page(message):
            if not isinstance(message, bytes):
                server.send(message)
                return
            back = BackMsg()
            back.ParseFromString(message)
            rerun_script = back.rerun_script
            if back.WhichOneof("type") == "rerun_script":
                rerun_script.ClearField("cached_message_hashes")
                if rerun_script.is_auto_rerun:
                    self.fragment_id = rerun_script.fragment_id
                    self.timer_sent |= self.pressed(rerun_script)
                elif self.fragment_id and self.held is None and self.pressed(rerun_script):
                    if not self.timer_sent:
                        timer = BackMsg()
                        timer.CopyFrom(back)
                        timer.rerun_script.fragment_id = self.fragment_id
                        timer.rerun_script.is_auto_rerun = True
                        server.send(timer.SerializeToString())
                        self.timer_sent = True
                    self.held, self.server = back.SerializeToString(), server
                    return
            server.send(back.SerializeToString())

        ws.on_message(from_page)
        server.on_message(lambda message: ws.send(message))

    def press(self, page, button) -> None:
        """Click ``button``: the press reaches the server with a timer's rerun, which has run on return."""
        assert self.fragment_id, "no timer rerun seen while playing"
        button.click()
        for _ in range(100):
            if self.held is not None:
                break
            page.wait_for_timeout(50)
        assert self.held is not None, "the press never reached the server"
        page.wait_for_timeout(1000)

    def release(self) -> None:
        """The press's own rerun: the same press, the second time."""
        self.server.send(self.held)


def test_a_stop_that_reaches_the_server_twice_still_stops(tab, base):
    """Stop used to toggle: applied twice (with the timer's rerun, then with its own) it started play again."""
    page = tab({"width": 1280, "height": 900})
    route = PressDeliveredTwice(page, "step.play")
    play, stop = start_playing(page, base)
    route.press(page, stop)
    route.release()
    assert_stays_stopped(page, play)


def test_the_arrow_keys_step(tab, base):
    page = tab({"width": 1280, "height": 900})
    stopped = 5
    open_url(page, f"{base}/{FIRST_PAGE}?speed=4&step={stopped}")
    page.locator("h1").first.click()                            # the focus off any field
    with rerun(page):
        page.keyboard.press("ArrowRight")
    assert step_now(page) == stopped + 1
    with rerun(page):
        page.keyboard.press("ArrowLeft")
    assert step_now(page) == stopped


# ---- the phone ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_phone_shows_where_the_sidebar_is_and_no_toolbar_or_cut_equations(tab, base, lang):
    page = tab(PHONE, PHONE_AGENT)
    open_url(page, f"{base}/{FIRST_PAGE}?lang={lang}")
    assert t("step.keys", lang) not in page.locator(MAIN).inner_text()   # no keyboard on a phone
    assert page.locator(f'{MAIN} [data-testid="stButton"] kbd').count() == 0   # nor key hints on the buttons
    hint = page.locator(".lstmx-phone-hint")
    assert hint.is_visible() and hint.inner_text().strip() == t("common.phone_hint", lang)
    page.locator('[data-testid="stPlotlyChart"]').first.hover()
    bars = page.locator(".modebar-container")
    assert all(not bars.nth(k).is_visible() for k in range(bars.count()))
    equations = page.locator(".katex-display").first
    equations.scroll_into_view_if_needed()
    overflow = equations.evaluate("el => [getComputedStyle(el).overflowX, el.scrollWidth, el.clientWidth]")
    assert overflow[0] == "auto" and overflow[2] <= PHONE["width"], overflow   # scrolls inside the screen
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    shot(page, f"phone-{lang}")


def test_wide_screen_has_no_phone_hint(tab, base):
    page = tab({"width": 1280, "height": 900})
    open_url(page, f"{base}/theory")
    assert page.locator(".lstmx-phone-hint").count() == 1 and not page.locator(".lstmx-phone-hint").is_visible()


# ---- a long text's link ------------------------------------------------------------------------------------------

def test_a_long_chinese_text_gives_a_short_link_that_opens_with_a_note(tab, base):
    from lstm_viz.ui import urlstate

    text = "".join(chr(0x4E00 + (k * 7919) % 6000) for k in range(20_000))
    page = tab({"width": 1280, "height": 900})
    open_url(page, f"{base}/theory?tz={urlstate.compress_text(text)}")
    assert page.locator(f"{SIDEBAR} textarea").input_value() == text
    assert len(urlsplit(page.url).query) <= urlstate.MAX_QUERY_CHARS
    note = page.locator(f'{SIDEBAR} [data-testid="stAlert"]').filter(has_text="20,000")
    assert note.count() == 1
    other = tab({"width": 1280, "height": 900})                  # the visitor of the short link
    open_url(other, page.url)
    carried = other.locator(f"{SIDEBAR} textarea").input_value()
    assert 1000 < len(carried) < 20_000 and text.startswith(carried)
