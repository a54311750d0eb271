"""The Sentiment and Generate pages and the four forms in a real browser: they render and draw, the Generate page
steps through its text, a Chinese prime in the code model is named and the poetry model offered, and the Theory
page's form diagrams link to the pages that show them."""

from __future__ import annotations

from urllib.parse import urlsplit

from lstm_viz.data.pretrained import list_pretrained
from lstm_viz.ui import i18n

from .appdriver import EXCEPTION, PLOTLY_CHART, rerun, wait_idle
from .test_app_e2e import MAIN, assert_healthy, open_page, page_url, screenshot


def test_sentiment_generate_and_the_four_forms(page, app_url):
    # Sentiment: a shipped classifier's example, or the clear message that none is shipped
    open_page(page, page_url(app_url, "sentiment", page="sentiment", src="random"))
    assert_healthy(page, "sentiment")
    if list_pretrained("sentiment-classifier"):
        tricky = page.locator(f"{MAIN} button").filter(has_text=i18n.t("sent.ex.tricky", "en")).first
        with rerun(page):
            tricky.click()
        assert page.locator(PLOTLY_CHART).count() >= 5
        assert page.locator(f"{MAIN} textarea").first.input_value() in ("not bad at all", "一点也不好")
    else:
        assert "No sentiment model is shipped" in page.locator(MAIN).inner_text()
    screenshot(page, "page-sentiment-e2e")

    # Generate: the text is drawn, Next moves one character on and the candidates follow
    open_page(page, page_url(app_url, "generate", page="generate", src="random", prime="def ", len="30", gseed="3"))
    assert_healthy(page, "generate")
    assert page.locator(PLOTLY_CHART).count() == 3             # top-5 bar, top-5 heatmap, the cell
    before = page.locator(f"{MAIN} [data-testid='stMarkdown']").filter(has_text="Character 0 of 30").count()
    assert before == 1
    with rerun(page):
        page.locator(f"{MAIN} button").filter(has_text=i18n.t("gen.next", "en")).first.click()
    assert page.locator(f"{MAIN} [data-testid='stMarkdown']").filter(has_text="Character 1 of 30").count() == 1
    assert page.locator(EXCEPTION).count() == 0

    # a Chinese prime in the code model: named, and the poetry model offered
    prime = page.locator(f'{MAIN} input[aria-label="{i18n.t("gen.prime", "en")}"]').first
    prime.fill("床前明月光")
    with rerun(page):
        prime.press("Enter")
    assert "does not know 5 of the distinct tokens" in page.locator(MAIN).inner_text()
    with rerun(page):
        page.locator(f"{MAIN} button").filter(has_text="tang-poetry").first.click()
    wait_idle(page)
    assert "does not know" not in page.locator(MAIN).inner_text()
    assert_healthy(page, "generate with the poetry model")

    # Theory: four form diagrams, each linking to its page
    open_page(page, page_url(app_url, "theory", page="theory", lang="zh", src="random"))
    assert_healthy(page, "theory")
    for form in ("one_to_one", "many_to_one", "one_to_many", "many_to_many"):
        assert i18n.t(f"forms.{form}", "zh") in page.locator(MAIN).inner_text()
    link = page.locator(f"{MAIN} a").filter(has_text=i18n.t("forms.link.one_to_many", "zh")).first
    with rerun(page):
        link.click()
    assert urlsplit(page.url).path.rstrip("/") == "/generate"
    assert_healthy(page, "generate from the theory link")
