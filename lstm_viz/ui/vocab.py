"""Out-of-vocabulary text: say how many and which tokens a network cannot read, and offer a shipped model
whose vocabulary fits.

A shipped network has a vocabulary (a character LM: characters; a sentiment classifier: characters or words);
anything else reads as ``<unk>``. Every page that shows a network on a text calls :func:`show_unknown` (the
shared context does it for the sidebar's network and text, see ``context.show_text_notes``).

    vocab.show_unknown(lang, network, text, current="python-code", on_switch=vocab.switch_sidebar_model)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from lstm_viz.data.text import display_token
from lstm_viz.nn.classifier import tokenize as classifier_tokenize

from . import cache, i18n, render
from .urlstate import KEY

MAX_LISTED = 30          # unknown tokens listed by name
MAX_SUGGESTED = 2        # shipped models offered instead
MAX_CHECKED_CHARS = 20_000


@dataclass(frozen=True)
class Reader:
    """How a network reads text: ``tokenizer`` "chars" (a character LM: every character) or a classifier's
    "char" / "word", and the tokens it knows."""

    tokenizer: str
    known: frozenset

    def tokens(self, text: str) -> list[str]:
        text = text[:MAX_CHECKED_CHARS]
        return list(text) if self.tokenizer == "chars" else classifier_tokenize(text, self.tokenizer)

    def unknown(self, text: str) -> tuple[list[str], int, int]:
        """(distinct unknown tokens in first-seen order, unknown occurrences, tokens)."""
        tokens = self.tokens(text)
        missing = [tok for tok in tokens if tok not in self.known]
        return list(dict.fromkeys(missing)), len(missing), len(tokens)


def reader_of(network) -> Reader | None:
    """The network's reader, or None when it has no vocabulary (the random LSTM, a bare uploaded layer)."""
    vocab = getattr(network, "vocab", None)
    if not vocab:
        return None
    tokenizer = getattr(network, "tokenizer", None) if hasattr(network, "unknown_tokens") else "chars"
    if tokenizer not in ("chars", "char", "word"):
        return None
    return Reader(str(tokenizer), frozenset(vocab) - {"<unk>"})


@st.cache_resource(max_entries=16, show_spinner=False)
def shipped_reader(name: str) -> Reader | None:
    """The reader of a shipped model (loaded once per process; a frozen, shareable object)."""
    try:
        return reader_of(cache.load_pretrained(name))
    except Exception:  # noqa: BLE001 - an unreadable file is simply not offered
        return None


def suggestions(text: str, current: str | None, kinds: tuple[str, ...] | None, missing_now: int) -> list[tuple[str, int]]:
    """Shipped models (name, unknown occurrences) that read ``text`` with fewer unknowns, fewest first."""
    kind_of = {n: k for k in ("char-lm", "sentiment-classifier") for n in cache.pretrained_names_of_kind(k)}
    names = [n for n in cache.pretrained_names() if kinds is None or kind_of.get(n) in kinds]
    ranked = []
    for name in names:
        if name == current:
            continue
        reader = shipped_reader(name)
        if reader is None:
            continue
        _, missing, _ = reader.unknown(text)
        if missing < missing_now:   # fewest unknowns first, then a model of the current one's kind
            ranked.append((missing, kind_of.get(name) != kind_of.get(current), name))
    return [(name, missing) for missing, _, name in sorted(ranked)[:MAX_SUGGESTED]]


def switch_sidebar_model(name: str) -> None:
    """Callback: show the shipped model ``name`` in the sidebar (every page follows)."""
    st.session_state[KEY["src"]] = "pretrained"
    st.session_state[KEY["model"]] = name


def show_unknown(lang: str, network, text: str, *, current: str | None = None,
                 kinds: tuple[str, ...] | None = None,
                 on_switch: Callable[[str], None] = switch_sidebar_model, key: str = "sidebar") -> list[str]:
    """If ``network`` cannot read some of ``text``: a note (how many, which) and buttons to switch to shipped
    models that read it better. Returns the distinct unknown tokens ([] when all are known or no vocabulary)."""
    reader = reader_of(network)
    if reader is None or not text:
        return []
    unknown, missing, total = reader.unknown(text)
    if not unknown:
        return []
    t = lambda k, **fmt: i18n.t(k, lang, **fmt)  # noqa: E731
    listed = " ".join(display_token(tok) for tok in unknown[:MAX_LISTED]) + (" …" if len(unknown) > MAX_LISTED else "")
    name = render.escape_markdown(str(current or getattr(network, "name", "?")))
    st.warning(t("vocab.unknown", model=name, n=len(unknown), missing=missing, total=total,
                 tokens=render.escape_markdown(listed)), icon=":material/translate:")
    offered = suggestions(text, current, kinds, missing)
    if offered:
        columns = st.columns(len(offered) + 1)
        for column, (other, other_missing) in zip(columns, offered):
            label = t("vocab.switch" if other_missing == 0 else "vocab.switch_partial", model=other, missing=other_missing)
            column.button(render.backslash_markdown(label), key=f"vocab.switch.{key}.{other}", on_click=on_switch,
                          args=(other,), icon=":material/swap_horiz:",
                          help=render.backslash_markdown(t("vocab.switch_help", model=other)) if other_missing == 0 else None)
    return unknown


def show_for_context(ctx) -> None:
    """The sidebar's network on the sidebar's text (called by ``context.show_text_notes``)."""
    if ctx.network is None:
        return
    current = ctx.model_settings.get("pretrained") if ctx.model_settings.get("source") == "pretrained" else None
    show_unknown(ctx.lang, ctx.network, ctx.text, current=current, key=f"ctx.{ctx.page}")
