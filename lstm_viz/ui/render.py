"""Safe rendering of user text.

User text may contain ``<script>``, ``$x$``, ``**bold**``, emoji, control characters. It is never handed to
markdown or to an HTML sink unescaped:

* :func:`safe_text` shows it verbatim (``st.code``, no markdown, no HTML);
* :func:`tokens_html` escapes every label (HTML specials plus the markdown/LaTeX specials ``$ * _ ` ~ \\``)
  before wrapping it in a coloured ``<span>``; :func:`colored_tokens` renders that with ``st.html``
  (sanitised HTML, never parsed as markdown).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Characters that markdown / KaTeX would interpret; as entities they are inert everywhere.
_INERT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "$": "&#36;", "*": "&#42;", "_": "&#95;", "`": "&#96;", "~": "&#126;", "\\": "&#92;",
          "[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;", "#": "&#35;", "|": "&#124;"}


def escape_html(text: str) -> str:
    """HTML-escape ``text`` and neutralise markdown/LaTeX specials (safe inside st.html or st.markdown)."""
    return "".join(_INERT.get(ch, ch) for ch in str(text))   # one pass: entities are never re-escaped


def escape_markdown(text: str) -> str:
    """Text for a markdown sink (labels, captions) that must show literally; see :func:`escape_html`."""
    return escape_html(text)


_BACKSLASHED = str.maketrans({ch: "\\" + ch for ch in "\\`*_{}[]<>()#+-.!|$~"})


def backslash_markdown(text: str) -> str:
    """Text for a markdown sink that does not decode HTML entities (widget labels, help, metric labels):
    every markdown / LaTeX special is backslash-escaped, so ``h_{T-1}`` shows literally."""
    return str(text).translate(_BACKSLASHED)


def number(value: float, spec: str = ".3f") -> str:
    """``format(value, spec)`` without a minus on zero: −0.0, and anything that rounds to 0 (−0.0004 at .3f),
    prints as 0 / 0.000, never "-0" or "-0.000"."""
    text = format(float(value) + 0.0, spec)   # + 0.0 turns −0.0 into +0.0
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text


def visible(text: str, limit: int = 200) -> str:
    """Control characters as ``U+XXXX`` and length capped: a one-line, printable preview of user text."""
    out = []
    for ch in str(text)[:limit]:
        code = ord(ch)
        if ch == "\n":
            out.append("⏎")
        elif code < 32 or code == 127 or 0x80 <= code < 0xA0:
            out.append(f"U+{code:04X}")
        else:
            out.append(ch)
    more = "…" if len(str(text)) > limit else ""
    return "".join(out) + more


def safe_text(text: str, *, max_chars: int = 5000) -> None:
    """Show user text verbatim as text (``st.code``: no markdown, no HTML), capped at ``max_chars``."""
    import streamlit as st

    shown = str(text)
    if len(shown) > max_chars:
        shown = shown[:max_chars] + " …"
    st.code(visible(shown, limit=len(shown)) if has_controls(shown) else shown, language=None, wrap_lines=True)


def has_controls(text: str) -> bool:
    """True if ``text`` holds control characters other than newline and tab."""
    return any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in text)


def _rgba(value: float, vmin: float, vmax: float, diverging: bool) -> str:
    """Background colour: diverging red (low) / white / blue (high), like plotly's RdBu; or white -> green."""
    if not np.isfinite(value):
        return "rgba(128,128,128,0.35)"
    if diverging:
        half = max(abs(vmin), abs(vmax)) or 1.0
        s = float(np.clip(value / half, -1.0, 1.0))
        if s >= 0:
            return f"rgba(33,102,172,{number(0.8 * s)})"
        return f"rgba(178,24,43,{number(0.8 * -s)})"
    span = (vmax - vmin) or 1.0
    s = float(np.clip((value - vmin) / span, 0.0, 1.0))
    return f"rgba(44,160,44,{number(0.85 * s)})"


def tokens_html(
    labels: Sequence[str],
    values: np.ndarray,
    *,
    vmin: float | None = None,
    vmax: float | None = None,
    diverging: bool = True,
    highlight: int | None = None,
    max_tokens: int = 2000,
    title: str | None = None,
) -> str:
    """HTML of ``labels`` (T,) on backgrounds coloured by ``values`` (T,) (Karpathy et al. 2015 style).

    Every label is escaped; the value is in the ``title`` tooltip. ``highlight`` outlines one step.
    """
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    n = min(len(labels), len(values), max_tokens)
    finite = values[:n][np.isfinite(values[:n])]
    lo = float(vmin) if vmin is not None else (float(finite.min()) if finite.size else -1.0)
    hi = float(vmax) if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    spans = []
    for k in range(n):
        label = escape_html(labels[k])
        border = "outline:2px solid #222;" if highlight == k else ""
        spans.append(
            f'<span title="t={k}: {number(values[k])}" style="background:{_rgba(values[k], lo, hi, diverging)};'
            f'{border}padding:1px 0;border-radius:2px;white-space:pre">{label}</span>'
        )
    head = f"<div style='font-size:0.85em;color:#555'>{escape_html(title)}</div>" if title else ""
    return (
        f"{head}<div style=\"font-family:ui-monospace,Menlo,Consolas,'Noto Sans Mono CJK SC',monospace;"
        f"line-height:1.9;word-break:break-all\">{''.join(spans)}</div>"
    )


def colored_tokens(labels: Sequence[str], values: np.ndarray, **kwargs) -> str:
    """Render :func:`tokens_html` with ``st.html``; returns the HTML (handy in tests)."""
    import streamlit as st

    markup = tokens_html(labels, values, **kwargs)
    st.html(markup)
    return markup
