"""What every figure shares: colour scales, token ticks, escaping, array conversion, thinning.

Conventions (see the design notes):

* Tokens go on ``x = arange(T)`` (or the true step numbers) with ``ticktext`` labels, because plotly
  merges duplicate category labels; every label is shown while they fit (:func:`token_ticks`), never every
  n-th token (that reads as gibberish): a fixed axis then says step numbers, a pannable one
  (:func:`token_axis`) keeps every token and opens on a window that fits.
* Arrays go to plotly as float32 / int32 numpy arrays (binary-encoded), never lists.
* Gates live on a 0..1 sequential colour-blind-safe scale (Viridis, ``cmin=0, cmax=1``); signed
  quantities (candidate g, cell state c, hidden state h) on a diverging scale centred at 0 with a
  symmetric range (RdBu: red negative, white 0, blue positive, the colours of the coloured-text view
  in :mod:`lstm_viz.ui.render`; ``cmid=0``).
* Long sequences are thinned to every n-th step (:func:`thin_indices`) and the title says so.
* Text goes through :func:`escape_label` (plotly reads pseudo-HTML in labels, hover and titles).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

GATE_COLORSCALE = "Viridis"
SIGNED_COLORSCALE = "RdBu"
#: Okabe-Ito: a qualitative palette readable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Quantities in (0, 1) drawn on the gate scale; everything else is signed.
GATE_QUANTITIES = frozenset({"i", "f", "o", "r", "z"})
MAX_TICK_LABELS = 60


@dataclass(frozen=True)
class HoverNames:
    """Translated names used inside hover boxes."""

    token: str = "token"
    step: str = "step"
    unit: str = "unit"
    value: str = "value"


def escape_label(label: str) -> str:
    """Escape text for plotly's pseudo-HTML (tick labels, hover, titles).

    plotly decodes ``&lt; &gt; &amp;`` but would show ``&quot;`` literally, so quotes stay as they are.
    """
    return html.escape(str(label), quote=False)


def as_f32(values) -> np.ndarray:
    """A contiguous float32 array (plotly sends it binary-encoded)."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.float32))


def as_i32(values) -> np.ndarray:
    """A contiguous int32 array (step numbers, unit numbers)."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.int32))


def thin_indices(total: int, max_points: int) -> np.ndarray:
    """Every n-th index of ``range(total)`` so that at most ``max_points`` remain; the last is always kept.

    ``total <= max_points`` keeps everything. The stride is ``ceil((total - 1) / (max_points - 1))``.
    """
    total, max_points = int(total), max(int(max_points), 2)
    if total <= max_points:
        return np.arange(total, dtype=np.int64)
    stride = int(np.ceil((total - 1) / (max_points - 1)))
    picked = np.arange(0, total, stride, dtype=np.int64)
    if picked[-1] != total - 1:
        picked = np.append(picked, total - 1)
    return picked


def _with_note(head: str, note: str | None) -> str:
    """An already-escaped title, with ``note`` (escaped here) as a small second line when given."""
    return head if not note else f"{head}<br><sup>{escape_label(note)}</sup>"


def title_with_note(title: str, note: str | None) -> str:
    """The escaped title, with ``note`` as a small second line when given."""
    return _with_note(escape_label(title), note)


def math_title(title: str, note: str | None = None) -> str:
    """Our own title through :func:`math_label` (``<sub>``/``<sup>`` kept), with ``note`` as in title_with_note."""
    return _with_note(math_label(title), note)


#: Width (px) a token axis is assumed to have when the figure does not say: a full-width chart of the wide
#: layout at 1280 px leaves ~800 px of plot area; half-width columns pass their own.
DEFAULT_AXIS_PX = 800
_TICK_CHAR_PX, _TICK_WIDE_CHAR_PX, _TICK_GAP_PX = 6.5, 12.5, 2.0   # 12 px tick font; CJK glyphs are wider
NICE_STRIDES = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)


def label_width_px(label: str) -> float:
    """Rough width of a tick label at the 12 px tick font, gap included (wide East Asian glyphs count more)."""
    return _TICK_GAP_PX + sum(
        _TICK_WIDE_CHAR_PX if unicodedata.east_asian_width(ch) in "WF" else _TICK_CHAR_PX for ch in str(label)
    )


def labels_fit(labels: Sequence[str], axis_px: float = DEFAULT_AXIS_PX) -> bool:
    """Whether every label fits side by side on an axis ``axis_px`` wide (each takes an equal slot, so the
    widest label decides)."""
    if not len(labels):
        return True
    return max(label_width_px(label) for label in labels) * len(labels) <= axis_px


def fitting_count(labels: Sequence[str], axis_px: float = DEFAULT_AXIS_PX) -> int:
    """How many consecutive slots fit on the axis (at least 2), from the widest of ``labels``."""
    widest = max((label_width_px(label) for label in labels), default=_TICK_GAP_PX + _TICK_CHAR_PX)
    return max(2, int(axis_px // widest))


def token_ticks(positions, labels: Sequence[str], max_labels: int | None = MAX_TICK_LABELS,
                axis_px: float = DEFAULT_AXIS_PX):
    """``(tickvals int32, ticktext)`` for token ``labels`` at ``positions`` (for a fixed, unscrolled axis).

    Every token label while they fit (at most ``max_labels`` of them, and their estimated widths within
    ``axis_px``): a sentence stays readable. When they cannot fit, the ticks are step numbers at a round
    stride (0, 10, 20, ...) and the tokens stay in the hover: every n-th character of a sentence reads as
    gibberish. Figures that can scroll use :func:`token_axis` instead, which keeps every token.
    """
    positions = np.asarray(positions)
    n = len(positions)
    cap = n if max_labels is None else int(max_labels)
    if n <= cap and labels_fit(labels, axis_px):
        return as_i32(positions), [escape_label(label) for label in labels]
    slots = min(cap, fitting_count([str(int(p)) for p in positions[-1:]] or ["0"], axis_px))
    stride = next((s for s in NICE_STRIDES if n / s <= slots), int(np.ceil(n / slots)))
    picked = [k for k in range(n) if int(positions[k]) % stride == 0]
    if not picked:   # positions that are not whole steps: every stride-th one
        picked = list(range(0, n, stride))
    return as_i32(positions[picked]), [str(int(positions[k])) for k in picked]


def token_axis(positions, labels: Sequence[str], *, axis_px: float = DEFAULT_AXIS_PX, focus=None) -> dict:
    """x-axis settings that show every token label (for figures that may pan; pass ``focus`` to open there).

    When every label fits: all ticks, the whole range. Otherwise all ticks too, but the axis opens on the
    contiguous window of steps that fits (around ``focus``, a position, else the start): drag (or use the
    range slider) to scroll; tokens are never thinned to every n-th one. Returns ``tickmode``, ``tickvals``
    (int32), ``ticktext`` and, for a window, ``range`` = [first - 0.5, last + 0.5]; ``window`` (bool) says
    which case it is (pop it before handing the dict to plotly).
    """
    positions = np.asarray(positions)
    n = len(positions)
    axis = dict(tickmode="array", tickvals=as_i32(positions), ticktext=[escape_label(label) for label in labels])
    if n == 0 or labels_fit(labels, axis_px):
        return {**axis, "window": False}
    shown = min(fitting_count(labels, axis_px), n)
    centre = 0 if focus is None else int(np.searchsorted(positions, focus))
    first = int(np.clip(centre - shown // 2, 0, n - shown))
    return {**axis, "window": True,
            "range": [float(positions[first]) - 0.5, float(positions[first + shown - 1]) + 0.5]}


def symmetric_limit(values: np.ndarray, limit: float | None) -> float:
    """Half-width of a signed colour range: ``limit`` if given, else max |finite value| (1 if all zero)."""
    if limit is not None:
        return float(limit)
    values = np.asarray(values)
    finite = np.abs(values[np.isfinite(values)]) if values.size else np.zeros(0)
    peak = float(finite.max()) if finite.size else 0.0
    return peak if peak > 0 else 1.0


#: Colour levels of a raster panel: z sent as uint8 0..255 (the colour needs no more; hover shows exact values).
COLOUR_LEVELS = 255


def colour_levels(values, cmin: float, cmax: float) -> np.ndarray:
    """uint8 colour indices of ``values`` on [cmin, cmax]: ``round((v - cmin) / (cmax - cmin) · 255)``, clipped
    (non-finite values -> 0). For a heatmap drawn only for its colours (``hoverinfo="skip"``): a quarter of the
    float32 bytes. Pair it with ``cmin=0, cmax=COLOUR_LEVELS`` and :func:`colour_level_ticks` on the colour bar."""
    values = np.asarray(values, dtype=np.float64)
    span = float(cmax) - float(cmin) or 1.0
    scaled = np.where(np.isfinite(values), (values - float(cmin)) / span, 0.0)
    return np.ascontiguousarray(np.rint(np.clip(scaled, 0.0, 1.0) * COLOUR_LEVELS).astype(np.uint8))


def colour_level_ticks(cmin: float, cmax: float, count: int = 5) -> tuple[np.ndarray, list[str]]:
    """Colour-bar ticks for :func:`colour_levels`: ``count`` evenly spaced values from cmin to cmax, as
    (positions on 0..255 float32, their values as text, 3 significant digits)."""
    values = np.linspace(float(cmin), float(cmax), int(count))
    positions = np.linspace(0.0, COLOUR_LEVELS, int(count))
    return as_f32(positions), [f"{value:.3g}" for value in values]


def small_int_array(values) -> np.ndarray:
    """Integers in the smallest plotly-typed array that holds them (uint8, int16 or int32): fewer bytes."""
    values = np.asarray(values)
    if values.size == 0:
        return values.astype(np.uint8)
    low, high = int(values.min()), int(values.max())
    for dtype in (np.uint8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return np.ascontiguousarray(values.astype(dtype))
    return np.ascontiguousarray(values.astype(np.float64))


_SCRIPT_TAG = re.compile(r"&lt;(/?su[bp])&gt;")


def math_label(text: str | None) -> str:
    """Escape ``text`` for plotly, then let ``<sub>``, ``</sub>``, ``<sup>``, ``</sup>`` through again (and no
    other markup): ``‖∂h<sub>T−1</sub>‖`` shows T−1 as a subscript, ``<b>`` or ``<a href>`` stays literal text.

    For our own titles only (user text goes through escape_label alone).
    """
    return _SCRIPT_TAG.sub(r"<\1>", escape_label(text or ""))
