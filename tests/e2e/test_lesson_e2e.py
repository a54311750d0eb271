"""The Guided lesson in a real browser: a stop's own link opens that stop (title and a drawn chart), and Next moves
on and rewrites the link. One page load and one click on the session's shared server."""

from __future__ import annotations

import pytest

from apptest_support import registered_pages  # tests/ is on sys.path: the parent of the e2e package

from .appdriver import PLOTLY_CHART, rerun, wait_idle
from .test_app_e2e import MAIN, assert_healthy, query, t, wait_query

# A fresh browser context loads Plotly's bundle first: on a starved CPU that alone can take a minute.
FIRST_LOAD_MS = 180_000


@pytest.mark.skipif("lesson" not in registered_pages(), reason="the lesson page is not registered")
def test_a_stop_link_opens_that_stop_with_its_chart_and_next_moves_on(page, app_url):
    from lstm_viz.ui.lesson import STOPS

    page.goto(f"{app_url}/lesson?stop=4", wait_until="domcontentloaded")
    wait_idle(page, timeout_ms=FIRST_LOAD_MS)
    assert_healthy(page, "lesson stop 4")
    heading = page.locator(f'{MAIN} [data-testid="stHeading"]').filter(has_text=t(f"lesson.{STOPS[3].key}.title"))
    assert heading.count() == 1
    assert page.locator(f"{MAIN} {PLOTLY_CHART} .js-plotly-plot .main-svg").count() >= 1
    assert query(page).get("stop") == "4"
    with rerun(page):
        page.locator(f"{MAIN} button").filter(has_text=t("lesson.next")).first.click()
    wait_query(page, "stop", "5")
    assert_healthy(page, "lesson stop 5")
    assert page.locator(f'{MAIN} [data-testid="stHeading"]').filter(
        has_text=t(f"lesson.{STOPS[4].key}.title")).count() == 1
