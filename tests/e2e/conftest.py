"""Browser tests: one Streamlit server per test session on a free loopback port, driven by Chromium.

Everything here skips (with the reason) when no Chromium binary is found (Playwright itself is a dev
requirement). Screenshots and the server log go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from .appdriver import ARTIFACTS, StreamlitServer, find_chromium, launch_chromium

HERE = Path(__file__).resolve().parent
VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("browser tests need Chromium: apt-get install chromium (or set CHROMIUM_PATH)")
    return path


@pytest.fixture(scope="session")
def playwright_driver(chromium_path):
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver, chromium_path):
    instance = launch_chromium(playwright_driver, chromium_path)
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def app_url(chromium_path) -> str:
    """Base URL of the app, e.g. http://127.0.0.1:40123 (the server is stopped after the session)."""
    with StreamlitServer(log_path=ARTIFACTS / "e2e-streamlit.log") as server:
        yield server.url


@pytest.fixture
def page(browser):
    """A fresh browser context (= a new visitor, new Streamlit session); fails on JS errors and dialogs."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    tab = context.new_page()
    tab.js_errors = []
    tab.dialogs = []
    tab.on("pageerror", lambda error: tab.js_errors.append(str(error)))

    def on_dialog(dialog):
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    errors, dialogs = list(tab.js_errors), list(tab.dialogs)
    context.close()
    assert not dialogs, f"the page opened dialogs (injected script?): {dialogs}"
    assert not errors, f"JavaScript errors in the page: {errors}"


def pytest_configure(config):
    ARTIFACTS.mkdir(exist_ok=True)
