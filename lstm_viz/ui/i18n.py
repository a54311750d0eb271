"""Translations: English / 中文.

Every module in :mod:`lstm_viz.ui.strings` defines ``STRINGS = {"key": {"en": "...", "zh": "..."}}``;
they are merged here on first use, so a page owner only adds a module, never edits this file.

    from lstm_viz.ui import i18n
    i18n.t("common.text", "zh")                   # -> "文本"
    i18n.t("step.forgot", "en", unit=7, pct=83)    # str.format fields

A missing key falls back to English, then to the key itself: a missing translation never raises.
Templates are always passed through ``str.format`` (write ``{{`` for a literal brace); a template whose
fields are missing is returned unformatted.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
DEFAULT_LANG = "en"


@lru_cache(maxsize=1)
def all_strings() -> dict[str, dict[str, str]]:
    """Merge ``STRINGS`` of every module in ``lstm_viz.ui.strings`` (later modules never override)."""
    from . import strings as package

    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for key, entry in getattr(module, "STRINGS", {}).items():
            merged.setdefault(key, dict(entry))
    return merged


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The text of ``key`` in ``lang`` with ``fmt`` substituted (``str.format``)."""
    entry = all_strings().get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry.get(DEFAULT_LANG) or key
    try:
        return template.format(**fmt)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template


def missing_translations() -> list[tuple[str, str]]:
    """(key, lang) pairs without a non-empty translation (tests assert this is empty)."""
    return [
        (key, lang)
        for key, entry in all_strings().items()
        for lang in LANGUAGES
        if not str(entry.get(lang, "")).strip()
    ]
