"""What every figure shares: colour scales, token ticks, escaping, array conversion, thinning.

Conventions (see the design notes):

* Tokens go on ``x = arange(T)`` (or the true step numbers) with ``ticktext`` labels, because plotly
  merges duplicate category labels; every label is shown while at most ``MAX_TICK_LABELS`` fit.
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


def title_with_note(title: str, note: str | None) -> str:
    """The escaped title, with ``note`` as a small second line when given."""
    if not note:
        return escape_label(title)
    return f"{escape_label(title)}<br><sup>{escape_label(note)}</sup>"


def token_ticks(positions, labels: Sequence[str], max_labels: int = MAX_TICK_LABELS):
    """``(tickvals int32, ticktext)`` for token ``labels`` at ``positions``: all of them when at most
    ``max_labels`` fit, else every n-th (a sentence stays readable, a long text stays legible)."""
    positions = np.asarray(positions)
    every = max(1, int(np.ceil(len(positions) / max_labels)))
    picked = np.arange(0, len(positions), every)
    return as_i32(positions[picked]), [escape_label(labels[i]) for i in picked]


def symmetric_limit(values: np.ndarray, limit: float | None) -> float:
    """Half-width of a signed colour range: ``limit`` if given, else max |finite value| (1 if all zero)."""
    if limit is not None:
        return float(limit)
    values = np.asarray(values)
    finite = np.abs(values[np.isfinite(values)]) if values.size else np.zeros(0)
    peak = float(finite.max()) if finite.size else 0.0
    return peak if peak > 0 else 1.0
