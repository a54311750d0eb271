"""The Generate page's cached run: a character LM's ``generate`` (temperature, top-k, seed) and the LSTM's trace
over prime + generated text, arranged for stepping through (top-5 per step, the chosen character's probability).

The numbers are :meth:`lstm_viz.nn.charlm.CharLM.generate`'s and the engine's forward; this module caches,
bounds and arranges them.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.data.text import display_token

from . import cache

SHOWN = 5                     # candidates kept per generated character
MAX_PRIME_CHARS = 500
LENGTH_RANGE = (1, 400)       # characters generated (bounded: the page steps through all of them)
TEMPERATURE_RANGE = (0.1, 2.0)
TOP_K_RANGE = (0, 100)        # 0: no cut, sample from every character
DEFAULTS = {"temp": 0.8, "topk": 0, "len": 120, "seed": 0}
KEY_MODEL, KEY_PRIME, KEY_TEMP = "lstmx.gen.model", "lstmx.gen.prime", "lstmx.gen.temp"
KEY_TOPK, KEY_LEN, KEY_SEED, KEY_STEP = "lstmx.gen.topk", "lstmx.gen.len", "lstmx.gen.seed", "lstmx.gen.step"
KEY_UNIT = "lstmx.gen.unit"
DEFAULT_PRIME = {"python-code": "def ", "tang-poetry": "春"}


def is_char_lm(network) -> bool:
    return all(hasattr(network, a) for a in ("generate", "top_k", "encode_text", "vocab", "rnn"))


def char_lm_names() -> list[str]:
    return cache.pretrained_names_of_kind("char-lm")


def default_model(lang: str, names: list[str]) -> str | None:
    preferred = "tang-poetry" if lang == "zh" else "python-code"
    return preferred if preferred in names else (names[0] if names else None)


def labels_of(chars) -> list[str]:
    """Visible labels for characters (vocabulary entries such as <unk> kept as they are)."""
    return [display_token(ch) if len(ch) == 1 else ch for ch in chars]


@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def generate(_lm, fingerprint: str, prime: str, n: int, temperature: float, top_k: int, seed: int) -> dict:
    """``CharLM.generate`` plus the trace over prime + generated text.

    Keys: prime, generated, text; top_chars n x SHOWN (padded with ""), top_probs (n, SHOWN) float32;
    chosen_p (n,) the probability of the drawn character when it is among the shown ones (NaN otherwise);
    source_step (n,) the step whose state gave each distribution (-1: the first character of an empty prime,
    drawn uniformly); trace (the LSTM over ``text``).
    """
    gen = _lm.generate(int(n), prime, temperature=float(temperature), seed=int(seed),
                       top_k=int(top_k) if top_k else None, shown=SHOWN)
    rows, probs = [], np.zeros((len(gen.generated), SHOWN), dtype=np.float32)
    chosen = np.full(len(gen.generated), np.nan, dtype=np.float32)
    for s, (chars, p) in enumerate(zip(gen.top_chars, gen.top_probs)):
        k = min(len(chars), SHOWN)
        rows.append(list(chars[:k]) + [""] * (SHOWN - k))
        probs[s, :k] = np.asarray(p[:k], dtype=np.float32)
        if gen.generated[s] in chars[:k]:
            chosen[s] = probs[s, list(chars[:k]).index(gen.generated[s])]
    P = len(prime)
    source = np.arange(P - 1, P - 1 + len(gen.generated), dtype=np.int64)   # state t predicts character t + 1
    x, _ = _lm.encode_text(gen.text)
    return {"prime": gen.prime, "generated": gen.generated, "text": gen.text, "top_chars": rows, "top_probs": probs,
            "chosen_p": chosen, "source_step": source, "trace": _lm.rnn.forward(x)}
