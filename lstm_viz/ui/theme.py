"""Lecture mode and the small-screen fixes: the page's CSS and the one place every chart passes through.

* :func:`inject` writes the app's CSS each run: equations scroll instead of being cut on a phone, Plotly's
  toolbar is hidden on a phone (it covered chart titles), a hint on narrow screens says where the text and
  model settings are (the sidebar is folded away behind the » button there), and in lecture mode a type
  scale for a projected room (body text 24 px at 1920 px wide) in high contrast.
* :func:`style_chart` is applied to every ``st.plotly_chart`` call of the app (:func:`install_chart_styling`,
  called by app.py): in lecture mode it scales every font of the figure by :data:`LECTURE_CHART_SCALE`, with
  :data:`LECTURE_MIN_CHART_PX` as the floor, and the margins and height with it; always, it drops the Plotly
  logo from the toolbar. Pages keep calling ``st.plotly_chart``; figures stay free of Streamlit.

    from lstm_viz.ui import theme
    theme.install_chart_styling()           # once per process (app.py)
    theme.inject(lecture=True, lang="zh")   # every run, before the page draws
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from . import i18n

LECTURE_KEY = "lstmx.lecture"
LECTURE_BODY_PX = 24          # body text in lecture mode (the brief of a room: >= 22 px at 1920 x 1080)
LECTURE_CHART_SCALE = 1.5     # chart fonts, margins and heights in lecture mode
LECTURE_MIN_CHART_PX = 18     # no chart text smaller than this in lecture mode
LECTURE_INK = "#000000"       # chart text without a colour of its own, in lecture mode
PLOTLY_DEFAULT_FONT_PX = 12   # Plotly's layout.font.size when a figure does not set one
PHONE_MAX_WIDTH_PX = 640      # "narrow screen": Streamlit folds the sidebar away below about this width
SHELL_MARK = "lstmx-shell"    # in both st.html elements of the app shell (tests tell them from a page's own)

_BASE_CSS = f"""
/* equations: scroll sideways instead of being cut at the right edge */
.katex-display {{ overflow-x: auto; overflow-y: hidden; padding-bottom: 2px; }}
/* the narrow-screen hint: shown only below {PHONE_MAX_WIDTH_PX}px */
[data-testid="stElementContainer"]:has(.lstmx-phone-hint) {{ display: none; }}
@media (max-width: {PHONE_MAX_WIDTH_PX}px) {{
  [data-testid="stElementContainer"]:has(.lstmx-phone-hint) {{ display: block; }}
  .stPlotlyChart .modebar-container {{ display: none !important; }}
}}
.lstmx-phone-hint {{ font-size: 0.9rem; padding: 0.4rem 0.6rem; border-radius: 0.4rem;
  background: #eef4ff; color: #0b3d91; border: 1px solid #b9cff5; }}
"""

# Lecture mode: Streamlit sizes its text in rem, so the root font size scales the whole interface; captions and
# disabled widgets lose their grey (contrast on a projector), links and the primary colour get darker.
_LECTURE_CSS = f"""
html {{ font-size: {LECTURE_BODY_PX}px; }}
[data-testid="stApp"], [data-testid="stMain"] {{ background: #ffffff; color: #000000; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, .stMarkdown p, .stMarkdown li {{ color: #000000 !important; opacity: 1 !important; }}
[data-testid="stMarkdownContainer"] {{ line-height: 1.5; }}
[data-testid="stCaptionContainer"], [data-testid="stMain"] button p {{ font-size: 0.95rem; }}
[data-testid="stMain"] h1 {{ font-size: 2.2rem; }}
[data-testid="stMain"] h2, [data-testid="stMain"] h3 {{ font-size: 1.5rem; }}
.katex {{ font-size: 1.15em; }}
a {{ color: #0041a8; }}
"""


def lecture_on() -> bool:
    """Lecture mode in this session (the sidebar toggle, or ``lecture=1`` in the link)."""
    import streamlit as st

    return bool(st.session_state.get(LECTURE_KEY, False))


def css(lecture: bool) -> str:
    """The app's CSS (the lecture type scale included when ``lecture``)."""
    return _BASE_CSS + (_LECTURE_CSS if lecture else "")


def inject(lecture: bool, lang: str) -> None:
    """Write the CSS (no space taken) and the narrow-screen hint (hidden on wide screens) at the page's top."""
    import streamlit as st

    st.html(f"<style>/* {SHELL_MARK} */{css(lecture)}</style>")
    st.html(f'<div class="lstmx-phone-hint {SHELL_MARK}">{i18n.t("common.phone_hint", lang)}</div>')


# ---- charts ------------------------------------------------------------------------------------------------

def _scaled(size, scale: float, minimum: float):
    """A font size (a number or one per point) times ``scale``, at least ``minimum``."""
    if isinstance(size, (int, float)) and not isinstance(size, bool):
        return max(float(size) * scale, minimum)
    if isinstance(size, (list, tuple, np.ndarray)):
        return np.maximum(np.asarray(size, dtype=np.float64) * scale, minimum)
    return size


def _scale_fonts(node, scale: float, minimum: float) -> None:
    """Scale the ``size`` of every font dict (``font``, ``tickfont``, ``textfont``, ...) below ``node``, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "template":           # the template's own defaults are replaced by layout.font below
                continue
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                value["size"] = _scaled(value["size"], scale, minimum)
            _scale_fonts(value, scale, minimum)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _scale_fonts(item, scale, minimum)


def lecture_figure(fig, scale: float = LECTURE_CHART_SCALE, minimum: float = LECTURE_MIN_CHART_PX):
    """A copy of ``fig`` for a projected room: every font ``scale`` times larger and at least ``minimum`` px,
    the layout's default font included, black where the figure sets no colour; the margins and a fixed height
    grow by ``scale`` (room for the text).
    """
    import plotly.graph_objects as go

    spec = fig.to_dict() if hasattr(fig, "to_dict") else dict(fig)
    layout = spec.setdefault("layout", {})
    base = layout.get("font", {}).get("size", PLOTLY_DEFAULT_FONT_PX)
    _scale_fonts(spec, scale, minimum)
    layout.setdefault("font", {})["size"] = _scaled(base, scale, minimum)
    layout["font"].setdefault("color", LECTURE_INK)     # Streamlit's chart theme greys the text otherwise
    for name, axis in layout.items():
        if (name.startswith("xaxis") or name.startswith("yaxis")) and isinstance(axis, dict):
            axis.setdefault("tickfont", {}).setdefault("color", LECTURE_INK)
            if isinstance(axis.get("title"), dict):
                axis["title"].setdefault("font", {}).setdefault("color", LECTURE_INK)
    for annotation in layout.get("annotations", []) or []:
        annotation.setdefault("font", {}).setdefault("color", LECTURE_INK)
    margin = layout.get("margin")
    if isinstance(margin, dict):
        for side in ("l", "r", "t", "b"):
            if isinstance(margin.get(side), (int, float)):
                margin[side] = math.ceil(margin[side] * scale)
    if isinstance(layout.get("height"), (int, float)):
        layout["height"] = math.ceil(layout["height"] * scale)
    return go.Figure(spec)


def chart_config(config: dict[str, Any] | None) -> dict[str, Any]:
    """The page's Plotly config with the app's defaults (no Plotly logo in the toolbar)."""
    merged = {"displaylogo": False}
    merged.update(config or {})
    return merged


def style_chart(figure, config: dict[str, Any] | None, lecture: bool):
    """(figure, config) as this session shows them: the lecture copy of the figure in lecture mode."""
    if lecture and hasattr(figure, "to_dict"):
        figure = lecture_figure(figure)
    return figure, chart_config(config)


def install_chart_styling() -> None:
    """Route every ``st.plotly_chart`` / ``container.plotly_chart`` of the app through :func:`style_chart`.

    Streamlit has no hook for this; wrapping its method once per process is the one place that reaches every
    page's charts without each page knowing about lecture mode. The wrapper reads the lecture flag of the
    session whose script is running (session state is per script thread), so sessions do not share it.
    """
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator

    original = DeltaGenerator.plotly_chart
    if getattr(original, "_lstmx_styled", False):
        return

    @functools.wraps(original)
    def plotly_chart(self, figure_or_data, *args, **kwargs):
        figure_or_data, kwargs["config"] = style_chart(figure_or_data, kwargs.get("config"), lecture_on())
        return original(self, figure_or_data, *args, **kwargs)

    plotly_chart._lstmx_styled = True
    DeltaGenerator.plotly_chart = plotly_chart
    st.plotly_chart = st._main.plotly_chart     # the module-level function is a method bound at import time
