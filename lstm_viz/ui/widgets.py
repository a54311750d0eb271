"""Small widget helpers shared by the pages: keep stored widget values valid, read a unit list, step windows.

Streamlit keeps a widget's value in ``st.session_state[key]``. When the model or the text changes, a stored
value can fall outside the widget's new range (a unit 40 of a model with H = 8): the clamp helpers put it
back in range *before* the widget is drawn, which Streamlit requires.

    widgets.clamp_int("lstmx.cells.unit", 0, H - 1, default=0)
    unit = st.number_input("unit", 0, H - 1, key="lstmx.cells.unit")
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import streamlit as st


def clamp_int(key: str, low: int, high: int, default: int) -> None:
    """Store ``st.session_state[key]`` as an int in [low, high]; missing or unreadable -> ``default``."""
    value = st.session_state.get(key, default)
    try:
        st.session_state[key] = int(min(max(int(value), int(low)), int(high)))
    except (TypeError, ValueError):
        st.session_state[key] = int(default)


def clamp_float(key: str, low: float, high: float, default: float) -> None:
    """Store ``st.session_state[key]`` as a float in [low, high] (a slider's value); missing or unreadable
    -> ``default``."""
    value = st.session_state.get(key, default)
    try:
        st.session_state[key] = float(min(max(float(value), float(low)), float(high)))
    except (TypeError, ValueError):
        st.session_state[key] = float(default)


def clamp_pair(key: str, low: int, high: int, default: tuple[int, int]) -> None:
    """Store ``st.session_state[key]`` as an ordered pair (a, b), low <= a <= b <= high (a range slider's value);
    missing or unreadable -> ``default``."""
    value = st.session_state.get(key, default)
    try:
        a, b = (int(min(max(int(v), int(low)), int(high))) for v in value)
    except (TypeError, ValueError):
        st.session_state[key] = tuple(default)
        return
    st.session_state[key] = (min(a, b), max(a, b))


def keep_valid(key: str, options: list, default) -> None:
    """Reset a stored value that is no longer one of ``options`` (e.g. the model kind changed) to ``default``;
    a stored list (multiselect) keeps its valid items, or becomes ``default`` when none is left."""
    value = st.session_state.get(key)
    if isinstance(value, list):
        kept = [item for item in value if item in options]
        if kept != value:
            st.session_state[key] = kept or default
    elif value is not None and value not in options:
        st.session_state[key] = default


# ---- a user's list of units ------------------------------------------------------------------------------------

class UnitListError(ValueError):
    """A unit list like ``"3, 5, 10-12"`` could not be read.

    ``reason`` is ``"syntax"`` (the ``item`` is not a number or range), ``"range"`` (a unit outside
    0..H-1) or ``"empty"``; pages translate it.
    """

    def __init__(self, reason: str, item: str = "", n_units: int = 0):
        self.reason, self.item, self.n_units = reason, item, n_units
        super().__init__(f"unit list: {reason} {item!r} (units are 0..{n_units - 1})")


_RANGE_ITEM = re.compile(r"([0-9]+)[-–:]([0-9]+)")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_unit_list(spec: str, n_units: int, max_items: int = 4096) -> np.ndarray:
    """Read ``"3, 5, 10-12"`` into unit indices ``[3, 5, 10, 11, 12]`` (first-seen order, no repeats).

    Separators: commas, semicolons, whitespace and their full-width forms. Ranges ``a-b`` are inclusive
    (either direction). Raises :class:`UnitListError` on anything else.
    """
    items = [item for item in re.split(r"[,;，；、\s]+", spec.strip()) if item]
    if not items:
        raise UnitListError("empty", "", n_units)
    chosen: list[int] = []
    seen: set[int] = set()
    for item in items:
        item_ascii = item.translate(_FULL_WIDTH_DIGITS)
        if re.fullmatch(r"[0-9]+", item_ascii):
            start = stop = int(item_ascii)
        else:
            match = _RANGE_ITEM.fullmatch(item_ascii)
            if match is None:
                raise UnitListError("syntax", item[:40], n_units)
            start, stop = int(match.group(1)), int(match.group(2))
        if max(start, stop) >= n_units:
            raise UnitListError("range", item[:40], n_units)
        step = 1 if stop >= start else -1
        for unit in range(start, stop + step, step):
            if unit not in seen:
                seen.add(unit)
                chosen.append(unit)
            if len(chosen) >= max_items:
                return np.asarray(chosen, dtype=np.int64)
    return np.asarray(chosen, dtype=np.int64)


# ---- a window of steps -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StepWindow:
    """A contiguous range of steps ``start <= t < stop`` out of ``total``."""

    start: int
    stop: int
    total: int

    @property
    def is_full(self) -> bool:
        return self.start == 0 and self.stop == self.total

    @property
    def steps(self) -> np.ndarray:
        return np.arange(self.start, self.stop, dtype=np.int64)


def step_window(total: int, max_steps: int, center: int | None = None) -> StepWindow:
    """The window of at most ``max_steps`` steps containing ``center`` (default: the last steps)."""
    total, max_steps = int(total), max(int(max_steps), 1)
    if total <= max_steps:
        return StepWindow(0, total, total)
    if center is None:
        return StepWindow(total - max_steps, total, total)
    start = min(max(int(center) - max_steps // 2, 0), total - max_steps)
    return StepWindow(start, start + max_steps, total)


# ---- the layer / direction of a stacked or bidirectional network -------------------------------------------------

def _sync_cell(widget_key: str, which: str) -> None:
    from . import urlstate

    value = st.session_state.get(widget_key)
    if value is not None:
        st.session_state[urlstate.KEY[which]] = int(value)
        urlstate.set_param(which, int(value))


def layer_picker(ctx, *, key: str = "w.cell", container=None) -> tuple[int, int]:
    """The shared layer / direction picker (Step by step, Gate heatmaps, Vanishing gradients): draws a layer
    selector for a stack and a direction switch for a bidirectional network, nothing for one cell.

    The choice is carried across pages and in the URL (``layer``, ``dir``); the context built on the next run
    hands the pages that cell. Returns ``(ctx.layer, ctx.direction)``.
    """
    where = container or st
    if not ctx.is_stack:
        return ctx.layer, ctx.direction
    columns = where.columns(2 if ctx.num_layers > 1 and ctx.num_directions > 1 else 1)
    column = iter(columns)
    if ctx.num_layers > 1:
        layer_key = f"{key}.layer"
        st.session_state[layer_key] = ctx.layer
        next(column).selectbox(
            ctx.t("family.layer"), list(range(ctx.num_layers)), key=layer_key, on_change=_sync_cell,
            args=(layer_key, "layer"), help=ctx.t("family.layer_help"),
            format_func=lambda layer: ctx.t("family.layer_bottom", layer=layer) if layer == 0 else (
                ctx.t("family.layer_top", layer=layer) if layer == ctx.num_layers - 1 else str(layer)),
        )
    if ctx.num_directions > 1:
        dir_key = f"{key}.dir"
        st.session_state[dir_key] = ctx.direction
        next(column).radio(
            ctx.t("family.direction"), [0, 1], key=dir_key, on_change=_sync_cell, args=(dir_key, "dir"),
            format_func=lambda d: ctx.t(f"family.dir.{d}"), help=ctx.t("family.direction_help"), horizontal=True,
        )
    if ctx.reverse:
        where.caption(ctx.t("family.reverse_note"))
    return ctx.layer, ctx.direction


def is_phone() -> bool:
    """True when the browser says it is a phone (a "Mobi" User-Agent, as phone browsers send): pages then pick
    their portrait layouts. Only a layout hint, never a security decision."""
    try:
        agent = st.context.headers.get("User-Agent", "") or ""
    except Exception:  # noqa: BLE001 - no request headers (AppTest, a script): not a phone
        return False
    return "Mobi" in agent
