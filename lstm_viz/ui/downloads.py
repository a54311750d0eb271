"""Download buttons for every figure: the figure as standalone HTML, its data as CSV or NPZ.

    downloads.figure_downloads(fig, {"forget_gate": f, "tokens": labels}, "gates")

Data rules (:func:`data_file`): a single 1-D/2-D array, or several 1-D/2-D arrays with the same first
dimension, become one CSV (columns ``name`` or ``name[j]``); anything else becomes an ``.npz``
(``np.savez_compressed``; text columns stored as unicode arrays, loadable with ``allow_pickle=False``).
Files are produced only when the button is clicked (deferred callables), so a rerun costs nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import numpy as np

# Plotly.js inline makes the HTML work offline (a lecture hall without network) at ~4.6 MB per file.
_HTML_INCLUDE_PLOTLYJS = True


def safe_basename(name: str) -> str:
    """A file-name-safe stem (letters, digits, - and _)."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", str(name)).strip("_")
    return stem[:80] or "figure"


def _as_columns(data: Mapping[str, object]) -> dict[str, np.ndarray] | None:
    """Arrays of the same length (1-D or 2-D) -> ordered columns; None when a CSV cannot hold them."""
    arrays = {name: np.asarray(value) for name, value in data.items()}
    if not arrays or any(a.ndim not in (1, 2) for a in arrays.values()):
        return None
    lengths = {a.shape[0] for a in arrays.values()}
    if len(lengths) != 1:
        return None
    columns: dict[str, np.ndarray] = {}
    for name, a in arrays.items():
        if a.ndim == 1:
            columns[name] = a
        else:
            for j in range(a.shape[1]):
                columns[f"{name}[{j}]"] = a[:, j]
    return columns


def to_csv(data: Mapping[str, object]) -> str | None:
    """CSV text of ``data`` (see module doc) or None when it does not fit a table."""
    columns = _as_columns(data)
    if columns is None:
        return None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns.keys())
    n = len(next(iter(columns.values())))
    cols = list(columns.values())
    for k in range(n):
        writer.writerow([_cell(c[k]) for c in cols])
    return out.getvalue()


def _cell(value) -> str:
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def to_npz(data: Mapping[str, object]) -> bytes:
    """``np.savez_compressed`` bytes; object arrays (e.g. token lists) stored as unicode arrays."""
    arrays = {}
    for name, value in data.items():
        a = np.asarray(value)
        if a.dtype == object:
            a = a.astype(str)
        arrays[safe_basename(name)] = a
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def data_file(data: Mapping[str, object], basename: str) -> tuple[str | bytes, str, str]:
    """(content, file name, mime) for ``data``: CSV when it is a table, NPZ otherwise."""
    stem = safe_basename(basename)
    text = to_csv(data)
    if text is not None:
        return text, f"{stem}.csv", "text/csv"
    return to_npz(data), f"{stem}.npz", "application/octet-stream"


def figure_html(fig) -> str:
    """The figure as one standalone HTML document (plotly.js inline: works offline)."""
    return fig.to_html(include_plotlyjs=_HTML_INCLUDE_PLOTLYJS, full_html=True)


def figure_downloads(fig, data: Mapping[str, object] | None, basename: str, *, lang: str | None = None) -> None:
    """Two download buttons side by side: figure (HTML) and data (CSV / NPZ)."""
    import streamlit as st

    from . import i18n

    if lang is None:
        lang = st.session_state.get("lstmx.lang", i18n.DEFAULT_LANG)
    stem = safe_basename(basename)
    left, right = st.columns(2)
    with left:
        st.download_button(
            i18n.t("common.download_figure", lang),
            data=lambda: figure_html(fig),
            file_name=f"{stem}.html",
            mime="text/html",
            key=f"dl_fig_{stem}",
            on_click="ignore",
            icon=":material/download:",
        )
    if data:
        with right:
            is_table = _as_columns(data) is not None
            label = "common.download_csv" if is_table else "common.download_npz"
            st.download_button(
                i18n.t(label, lang),
                data=lambda: data_file(data, stem)[0],
                file_name=f"{stem}.csv" if is_table else f"{stem}.npz",
                mime="text/csv" if is_table else "application/octet-stream",
                key=f"dl_data_{stem}",
                on_click="ignore",
                icon=":material/table:",
            )
