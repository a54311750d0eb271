"""The Sentiment page's cached runs: a classifier over a review (probabilities, contributions, states, gates),
the what-if comparison, the Keras-style summary, the example reviews and the hand-over to other pages.

Every number is the classifier's (:class:`lstm_viz.nn.classifier.SentimentClassifier`): ``step_probabilities``,
``gradient_x_input``, ``leave_one_out``, ``head_contributions`` and the LSTM engine's trace; this module only
caches, caps and arranges them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from lstm_viz.data.text import display_token

from . import cache
from .urlstate import KEY

MAX_TOKENS = 200          # leave-one-out runs T forward passes of T steps: keep T bounded
MAX_CHARS = 2000          # characters a review may have
TOP_UNITS = 3             # units shown per direction (towards positive / towards negative)
GATES = ("i", "f", "g", "o")
KEY_TEXT, KEY_WHATIF, KEY_MODEL = "lstmx.sent.text", "lstmx.sent.whatif", "lstmx.sent.model"
KEY_UNIT = "lstmx.sent.unit"


@dataclass(frozen=True)
class Example:
    key: str          # string key of its button label
    lang: str         # "en" | "zh": the classifier it is written for
    text: str
    whatif: str       # the same review with one word changed


EXAMPLES = (
    Example("good", "en", "A wonderful, moving film with brilliant performances.",
            "A wonderful, boring film with brilliant performances."),
    Example("bad", "en", "A dull, lifeless mess that wastes a fine cast.",
            "A sharp, lifeless mess that wastes a fine cast."),
    Example("tricky", "en", "not bad at all", "not good at all"),
    Example("turn", "en", "I expected to hate it, but it was great.", "I expected to love it, but it was awful."),
    Example("good", "zh", "这家酒店服务很好，房间干净，下次还会再来。", "这家酒店服务很差，房间干净，下次还会再来。"),
    Example("bad", "zh", "质量太差了，用了两天就坏了，非常失望。", "质量太好了，用了两天就坏了，非常失望。"),
    Example("tricky", "zh", "一点也不好", "一点也不差"),
    Example("turn", "zh", "本来以为会很差，没想到还不错。", "本来以为会很好，没想到还不错。"),
)


def is_classifier(network) -> bool:
    """Whether ``network`` is a sentiment classifier (the page's methods are all there)."""
    return all(hasattr(network, name) for name in ("step_probabilities", "gradient_x_input", "leave_one_out",
                                                   "head_contributions", "tokenize", "encode_text", "rnn"))


def classifier_language(clf) -> str:
    """"zh" for a character tokenizer (Chinese reviews), "en" for words."""
    return "zh" if getattr(clf, "tokenizer", "word") == "char" else "en"


def classifier_names() -> list[str]:
    """The shipped sentiment classifiers ([] when none is shipped or the folder cannot be read)."""
    return cache.pretrained_names_of_kind("sentiment-classifier")


def default_classifier(lang: str, names: list[str]) -> str | None:
    preferred = f"sentiment-{lang}"
    return preferred if preferred in names else (names[0] if names else None)


def fingerprint(clf) -> str:
    """A short hash of a classifier's name, vocabulary size and every weight (the cache key)."""
    digest = hashlib.sha1(f"{getattr(clf, 'name', '?')}:{len(getattr(clf, 'vocab', ()))}".encode())
    for name, array in sorted(clf.params.items()):
        a = np.ascontiguousarray(np.asarray(array))
        digest.update(name.encode())
        digest.update(str(a.shape).encode())
        digest.update(a.tobytes())
    return digest.hexdigest()[:16]


def capped_text(clf, text: str, max_tokens: int = MAX_TOKENS) -> tuple[str, int, int]:
    """(the text the page analyses, tokens kept, tokens in total): at most ``max_tokens`` tokens.

    A longer text is cut to its first tokens, joined back so the classifier reads exactly those tokens.
    """
    tokens = clf.tokenize(text[:MAX_CHARS])
    if len(tokens) <= max_tokens:
        return text[:MAX_CHARS], len(tokens), len(tokens)
    joiner = "" if clf.tokenizer == "char" else " "
    return joiner.join(tokens[:max_tokens]), max_tokens, len(tokens)


def token_labels(clf, tokens) -> list[str]:
    """Visible labels; words get a trailing space so the coloured text reads as a sentence."""
    sep = "" if clf.tokenizer == "char" else " "
    return [(display_token(tok) if len(tok) == 1 else tok) + sep for tok in tokens]


@st.cache_data(max_entries=32, show_spinner=False)
def analyse(_clf, key: str, text: str) -> dict:
    """Everything the page draws for one text (ValueError for a text without tokens).

    Keys: tokens (T,), probs (T,), gxi (T,), loo (T,), head (H,) = w_out·h_T per unit, h, c (T, H), gates
    i/f/g/o (T, H) float32, logit, b_out, w_out (H,), unknown tokens.
    """
    x, tokens = _clf.encode_text(text)
    trace = _clf.rnn.forward(x)
    out = {
        "tokens": list(tokens), "probs": _clf.step_probabilities(text), "gxi": _clf.gradient_x_input(text),
        "loo": _clf.leave_one_out(text), "head": _clf.head_contributions(text), "logit": _clf.logit(text),
        "p": _clf.predict_proba(text), "b_out": _clf.b_out, "w_out": np.asarray(_clf.w_out).copy(),
        "unknown": _clf.unknown_tokens(text),
        "h": np.asarray(trace.h, dtype=np.float32), "c": np.asarray(trace.c, dtype=np.float32),
    }
    for gate in GATES:
        out[gate] = np.asarray(getattr(trace, gate), dtype=np.float32)
    return out


def top_units(head: np.ndarray, n: int = TOP_UNITS) -> tuple[list[int], list[int]]:
    """(units pushing hardest towards positive, towards negative), strongest first; only true pushes."""
    order = np.argsort(-np.asarray(head), kind="stable")
    positive = [int(u) for u in order[:n] if head[u] > 0]
    negative = [int(u) for u in order[::-1][:n] if head[u] < 0]
    return positive, negative


def gate_differences(run_a: dict, run_b: dict, units: list[int]) -> tuple[dict[str, np.ndarray], int]:
    """Gate name -> (T, n) B − A over the first T = min(T_a, T_b) steps for ``units``; and T."""
    T = min(len(run_a["tokens"]), len(run_b["tokens"]))
    return {g: run_b[g][:T][:, units] - run_a[g][:T][:, units] for g in GATES}, T


def summary_rows(clf, T: int | None) -> list[dict]:
    """Keras-style rows (layer, output shape, parameters), read from the classifier's own arrays."""
    params = clf.params
    rnn_names = [name for name in params if name not in ("embedding", "w_out", "b_out")]
    V, E = params["embedding"].shape
    H = int(clf.hidden_size)
    steps = "None" if T is None else str(T)
    return [
        {"layer": f"embedding (Embedding {V}×{E})", "shape": f"(None, {steps}, {E})",
         "params": int(params["embedding"].size)},
        {"layer": f"lstm (LSTM {H})", "shape": f"(None, {H})",
         "params": int(sum(params[name].size for name in rnn_names))},
        {"layer": "dense (Dense 1, sigmoid)", "shape": "(None, 1)",
         "params": int(params["w_out"].size + params["b_out"].size)},
    ]


def open_in_sidebar(clf_name: str | None, review: str, unit: int | None = None, units: list[int] | None = None) -> None:
    """Callback: make the sidebar show this classifier on this review (so Step by step / Gate heatmaps show it),
    with the shared unit and the heatmaps' unit list set."""
    state = st.session_state
    if clf_name is not None:                      # a shipped classifier; a sidebar network stays as it is
        state[KEY["src"]] = "pretrained"
        state[KEY["model"]] = clf_name
    state[KEY["text"]] = review
    if unit is not None:
        state[KEY["unit"]] = int(unit)
        state[KEY["step"]] = 0
    if units:
        state["lstmx.hm.subset"] = "list"
        state["lstmx.hm.list"] = ", ".join(str(u) for u in units)


def switch_page_model(name: str) -> None:
    """Callback (out-of-vocabulary offer): read the review with the shipped classifier ``name``."""
    st.session_state[KEY_MODEL] = name


def follow_language(lang: str, names: list[str]) -> None:
    """After a language switch: an example review becomes the same example in the new language, read by that
    language's shipped classifier (a review the user typed stays as it is)."""
    state = st.session_state
    previous = state.get("lstmx.sent.lang")
    state["lstmx.sent.lang"] = lang
    if previous is None or previous == lang:
        return
    shown = next((e for e in EXAMPLES if e.text == state.get(KEY_TEXT)), None)
    if shown is None or shown.lang == lang:
        return
    twin = next(e for e in EXAMPLES if e.lang == lang and e.key == shown.key)
    state[KEY_TEXT], state[KEY_WHATIF] = twin.text, twin.whatif
    if f"sentiment-{lang}" in names and state.get(KEY_MODEL) in (f"sentiment-{previous}", None):
        state[KEY_MODEL] = f"sentiment-{lang}"
