"""An address no page has (/home, /nope, a typo) lands on the first page without Streamlit's "Page not found"
dialog, keeping the link's settings (app.py registers a hidden forwarding page under that path for the run)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from apptest_support import registered_pages

from .appdriver import wait_idle

FIRST_PAGE = registered_pages()[0]

# Records every dialog that appears, however briefly, from before the first script of the page runs.
WATCH_DIALOGS = """
window.__lstmxDialogs = [];
new MutationObserver(() => {
  for (const dialog of document.querySelectorAll('[role="dialog"]')) {
    const text = dialog.innerText.slice(0, 200);
    if (text && !window.__lstmxDialogs.includes(text)) window.__lstmxDialogs.push(text);
  }
}).observe(document, {subtree: true, childList: true});
"""


def test_an_unknown_path_lands_on_the_first_page_without_a_page_not_found_dialog(page, app_url):
    # A fresh server's very first request runs in Streamlit's legacy pages/ mode, which says "Page not found"
    # before app.py runs (lstm_viz/ui/context.py): open the root once so this test sees what every later visitor sees.
    page.goto(app_url + "/", wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=90_000)
    page.context.add_init_script(WATCH_DIALOGS)
    for path in ("/home", "/nope?lang=zh&step=3", "/n%C3%B6pe"):
        page.goto(app_url + path, wait_until="domcontentloaded")
        page.wait_for_function("(path) => location.pathname === path && document.querySelector('h1')",
                               arg=f"/{FIRST_PAGE}", timeout=90_000)
        wait_idle(page, timeout_ms=90_000)
        assert page.evaluate("window.__lstmxDialogs") == [], f"{path}: a dialog appeared"
        query = {name: values[-1] for name, values in parse_qs(urlsplit(page.url).query).items()}
        if "lang=zh" in path:
            assert query["lang"] == "zh" and query["step"] == "3", page.url     # the link's settings are kept
