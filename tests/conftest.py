"""Shared test fixtures, in particular for Streamlit AppTest runs of the app.

    def test_theory_page(app_at):
        at = app_at("theory", lang="zh", hidden=64)      # page id or "pages/theory.py"; query params as kwargs
        assert not at.exception

    def test_widget(app_at):
        at = app_at("step_by_step")
        at.slider(key="w.step").set_value(3).run()

``app_at`` opens app.py (st.navigation routes the pages) with the given query params; the page is selected
through ``?page=<id>`` (app.py switches to it on the session's first run). ``at.switch_page("pages/x.py")``
works for later switches. Sidebar widget keys: lstmx.lang, lstmx.text, lstmx.tok, lstmx.src, lstmx.seed,
lstmx.hidden, lstmx.fbias (see lstm_viz/ui/urlstate.py); shared step/unit widgets: w.step, w.unit.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import numpy as np
import pytest

from lstm_viz.analysis.gradcheck import central_difference  # noqa: F401  (the one finite-difference loop)

ROOT = Path(__file__).resolve().parents[1]
APP_PATH = ROOT / "app.py"
APPTEST_TIMEOUT = 30

# Texts every page must survive (shown safely, explained, never a traceback).
HOSTILE_TEXTS = {
    "empty": "",
    "spaces": "   ",
    "script": "<script>alert(1)</script>",
    "markdown_latex": "$x$ **b**",
    "emoji_zwj": "👩‍👩‍👧‍👦 family 🏳️‍🌈",
    "controls": "\x00\x07",
    "long": ("the quick brown fox jumps over the lazy dog. " * 112)[:5000],
    "chinese": "床前明月光，疑是地上霜。",
}


# ---- the PyTorch oracle in CI -----------------------------------------------------------------------------------
# .ci/run sets LSTMX_REQUIRE_TORCH=1 when it installed torch. The oracle tests then must run: torch is imported
# up front (a broken install stops the run instead of turning into importorskip skips) and any test that still
# skips for a reason naming torch is reported as a failure.

def torch_required() -> bool:
    return os.environ.get("LSTMX_REQUIRE_TORCH") == "1"


def pytest_configure(config):
    if torch_required():
        import torch  # noqa: F401


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and torch_required():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)  # (path, line, why)
        if "torch" in reason.lower():
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: skipped although CI installed torch (LSTMX_REQUIRE_TORCH=1): {reason}"


def page_id(page: str) -> str:
    """"pages/theory.py", "theory.py" or "theory" -> "theory"."""
    return Path(page).stem


@pytest.fixture
def app_at():
    """Factory: ``app_at(page=None, run=True, **query_params) -> AppTest`` (already run unless run=False).

    A new visitor sees a shipped trained model; tests pin the small random LSTM (``src=random``) unless they
    pass ``src`` themselves, so their expected numbers do not depend on the shipped weights.
    """
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None, *, run: bool = True, **query) -> AppTest:
        at = AppTest.from_file(str(APP_PATH), default_timeout=APPTEST_TIMEOUT)
        query.setdefault("src", "random")
        params = {name: str(value) for name, value in query.items()}
        if page:
            params["page"] = page_id(page)
        at.query_params.update(params)
        if run:
            at.run()
        return at

    return make


@pytest.fixture
def hostile_texts() -> dict[str, str]:
    return dict(HOSTILE_TEXTS)


def error_texts(at) -> list[str]:
    """The messages of every st.error on the current page (main area and sidebar)."""
    return [element.value for element in at.error]


def assert_clean_run(at) -> None:
    """No uncaught exception in the run (st.exception elements are how AppTest reports tracebacks)."""
    assert not at.exception, [e.value for e in at.exception]


def plotly_specs(at) -> list[dict]:
    """The figure JSON of every st.plotly_chart on the current page, in order."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def plotly_trace(at, name: str) -> dict:
    """The first plotly trace called ``name`` on the page (KeyError if none)."""
    for spec in plotly_specs(at):
        for trace in spec["data"]:
            if trace.get("name") == name:
                return trace
    raise KeyError(name)


def decode_plotly_array(value) -> np.ndarray:
    """A plotly array back to numpy: typed arrays arrive as {"dtype", "bdata" (base64), "shape"}."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            dims = [int(d) for d in str(shape).split(",")] if isinstance(shape, str) else list(shape)
            array = array.reshape(dims)
        return array
    return np.asarray(value)


def open_page_via_app(page: str, state: dict | None = None, *, query: dict | None = None,
                      preset: dict | None = None, timeout: float = APPTEST_TIMEOUT):
    """app.py run once, then ``state`` put in the session, then a switch to ``page`` and its run (no exception).

    ``query`` (default ``{"src": "random"}``: the small random LSTM, whose numbers the tests recompute from the
    engine) goes into the URL and ``preset`` into the session before the first run.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP_PATH), default_timeout=timeout)
    for key, value in (preset or {}).items():
        at.session_state[key] = value
    if query is None:
        at.query_params["src"] = "random"  # the engine numbers the tests compare with are the small random LSTM's
    else:
        at.query_params.update(query)
    at.run()
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


class ToyNetwork:
    """A TrainedNetwork (see the spec's protocol) around a GRU or RNN, as the Train page would store it."""

    def __init__(self, rnn):
        self.rnn, self.name, self.example_text = rnn, "toy", "abc"

    def encode_text(self, text):
        tokens = list(text)
        x = np.stack([np.sin(np.arange(self.rnn.input_size) * (ord(ch) % 13 + 1)) for ch in tokens])  # (T, I)
        return x, tokens


def page_html(at) -> list:
    """The page's own st.html elements (not the app shell's CSS and phone hint, lstm_viz.ui.theme)."""
    from lstm_viz.ui import theme

    return [element for element in at.get("html") if theme.SHELL_MARK not in str(element.proto.body)]


def page_texts(at) -> str:
    """All markdown, caption, title, header, alert and html text of the page joined (for content checks)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [str(element.proto.body) for element in at.get("html")]
    return "\n".join(parts)


def heatmap_values(figure: dict, name: str | None = None) -> np.ndarray:
    """The exact values (n, T') a heatmap panel shows: the gate heatmaps draw uint8 colour levels and carry the
    exact values once, in the panel's clickable overlay (a scatter trace of the same name, customdata);
    other heatmaps hold their values in z. ``name``: the panel's trace name (default: the first heatmap)."""
    rasters = [trace for trace in figure["data"] if trace.get("type") == "heatmap"
               and (name is None or trace.get("name") == name)]
    raster = rasters[0]
    z = decode_plotly_array(raster["z"])
    overlay = next((trace for trace in figure["data"] if trace.get("type") == "scatter"
                    and trace.get("name") == raster.get("name") and "customdata" in trace), None)
    if overlay is None:
        return z
    return decode_plotly_array(overlay["customdata"]).reshape(z.shape)
