"""One shared figure for a view many visitors look at together (a class that opened the same link).

    key = figure_cache.view_key(ctx, "step.cell", ctx.step, ctx.unit)
    fig = figure_cache.shared_figure(key, lambda: figures.lstm_cell_figure(numbers, ctx.unit, labels))

Building a Plotly figure is the largest cost of a Step page rerun (plotly validates every property); in a
class everyone shows the same step of the same network and text, so one build serves them all. The figure is
shared (``st.cache_resource``): callers hand it to ``st.plotly_chart`` and the download buttons, which only
read it; never change it. Only views fully described by their settings are shared (a random or shipped
network; not a network trained or uploaded in one session, whose name does not identify its weights).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

SHAREABLE_SOURCES = ("random", "pretrained")
FIGURES_KEPT = 64
FIGURE_TTL_S = 600


def view_key(ctx, *parts) -> str | None:
    """A key naming everything a figure of this view depends on (network, text, cell, language, ``parts``), or
    None when the view cannot be shared."""
    if ctx.model_settings.get("source") not in SHAREABLE_SOURCES:
        return None
    return repr((sorted(ctx.model_settings.items()), ctx.text, ctx.layer, ctx.direction, ctx.lang, parts))


def shared_figure(key: str | None, build: Callable[[], object]):
    """``build()`` once per ``key`` for all sessions (``key`` None: build a private one)."""
    if key is None:
        return build()
    return _shared(key, build)


@st.cache_resource(max_entries=FIGURES_KEPT, ttl=FIGURE_TTL_S, show_spinner=False)
def _shared(key: str, _build: Callable[[], object]):
    return _build()
