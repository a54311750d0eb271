"""The LSTM family in a real browser: a 2-layer bidirectional PyTorch LSTM, saved as .npz with the snippet of
docs/weights-format.md, is uploaded and explored whole (every layer and direction on Step by step, Gate heatmaps
and Vanishing gradients). Screenshots go to $FAMILY_SHOTS_DIR (default: test-artifacts/)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest

from .appdriver import ARTIFACTS, PLOTLY_CHART, rerun, wait_idle
from .test_app_e2e import (DEFAULT_PAGE, MAIN, NAV_LINKS, PAGES, SIDEBAR, assert_healthy, open_page, page_url,
                           query, t, wait_query)

SHOTS = Path(os.environ.get("FAMILY_SHOTS_DIR") or ARTIFACTS)
INPUT, HIDDEN = 16, 12


def torch_lstm_npz() -> tuple[bytes, dict[str, np.ndarray]]:
    """nn.LSTM(16, 12, num_layers=2, bidirectional=True) saved the way docs/weights-format.md says."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    lstm = torch.nn.LSTM(INPUT, HIDDEN, num_layers=2, bidirectional=True)
    sd = lstm.state_dict()
    arrays = {k: v.detach().cpu().numpy() for k, v in sd.items()}
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)   # the README's np.savez("my_lstm.npz", **{...}), into memory
    return buffer.getvalue(), arrays


def shot(page, name: str) -> None:
    """A 1280×900 screenshot of what a visitor sees first."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    wait_idle(page)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
    height = page.evaluate(   # and the whole page (the main area scrolls inside: grow the viewport)
        "() => Math.max(900, ...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
        ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 6000)})
    wait_idle(page)
    page.screenshot(path=str(SHOTS / f"{name}-full.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def go_to(page, page_id: str) -> None:
    with rerun(page):
        page.locator(NAV_LINKS).nth(PAGES.index(page_id)).click()
    wait_idle(page, timeout_ms=90_000)
    assert_healthy(page, page_id)


def pick_layer(page, layer: int) -> None:
    box = page.locator(f'{MAIN} [data-testid="stSelectbox"]').filter(has_text=t("family.layer")).first
    box.click()
    with rerun(page):
        page.locator('[data-testid="stSelectboxVirtualDropdown"] li, [role="option"]').filter(
            has_text=str(layer)).first.click()


def pick_direction(page, direction: int) -> None:
    radio = page.locator(f'{MAIN} [data-testid="stRadio"]').filter(has_text=t("family.direction")).first
    with rerun(page):
        radio.locator("label").filter(has_text=t(f"family.dir.{direction}")).first.click()


def chart_count(page) -> int:
    return page.locator(f"{MAIN} {PLOTLY_CHART}").count()


@pytest.mark.skipif(not {"step_by_step", "gate_heatmaps", "vanishing_gradients"} <= set(PAGES),
                    reason="the family pages are not registered")
def test_a_stacked_bidirectional_torch_lstm_is_uploaded_and_explored_whole(page, app_url):
    npz, arrays = torch_lstm_npz()
    open_page(page, page_url(app_url, DEFAULT_PAGE, text="The cat (which had eaten) was full."))
    with rerun(page):
        page.locator(f'{SIDEBAR} [data-testid="stRadio"] label').filter(has_text=t("sidebar.src.upload")).first.click()
    with rerun(page):
        page.locator(f'{SIDEBAR} [data-testid="stFileUploader"] input[type="file"]').set_input_files(
            {"name": "my_lstm.npz", "mimeType": "application/octet-stream", "buffer": npz})
    wait_idle(page, timeout_ms=90_000)
    assert_healthy(page, "after uploading the 2-layer bidirectional LSTM")
    sidebar = page.locator(SIDEBAR).inner_text()
    assert "2 layers · bidirectional" in sidebar, sidebar[-600:]
    assert "all of it is loaded" in sidebar and "only layer 0" not in sidebar
    total = sum(value.size for value in arrays.values())
    assert f"{total:,}" in sidebar, "the summary does not count every layer's parameters"

    # Step by step: layer 0 forward first, the tower and both directions; then layer 1, reverse
    main = page.locator(MAIN).inner_text()
    assert t("step.tower_title") in main and "Both directions" in main
    charts_layer0 = chart_count(page)
    assert charts_layer0 >= 3, "cell, tower and both-directions charts expected"
    pick_layer(page, 1)
    wait_query(page, "layer", "1")
    pick_direction(page, 1)
    wait_query(page, "dir", "1")
    assert_healthy(page, "Step by step, layer 1 reverse")
    main = page.locator(MAIN).inner_text()
    assert "layer 1, reverse" in main and t("family.reverse_note")[:30] in main
    assert f"size {2 * HIDDEN} = 2·H" in main, "layer 1 must read layer 0's concatenated output"
    shot(page, "family-step")

    # Gate heatmaps: the same cell (carried across pages), the every-layer strip and the heatmaps
    go_to(page, "gate_heatmaps")
    assert (query(page).get("layer"), query(page).get("dir")) == ("1", "1")
    main = page.locator(MAIN).inner_text()
    assert t("heatmaps.overview_title") in main and "layer 1, reverse" in main
    assert chart_count(page) >= 3
    shot(page, "family-heatmaps")

    # Vanishing gradients: the per-layer curves of the whole stack
    go_to(page, "vanishing_gradients")
    main = page.locator(MAIN).inner_text()
    assert t("grad.layers_header") in main
    shot(page, "family-gradients")
    layers_chart = page.get_by_text(t("grad.layers_header"))
    layers_chart.scroll_into_view_if_needed()
    shot(page, "family-gradients-layers")
