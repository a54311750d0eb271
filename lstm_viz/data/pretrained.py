"""Character-level language models shipped with the package (numpy only).

    from lstm_viz.data.pretrained import list_pretrained, load_pretrained
    list_pretrained()                    # ["python-code", "tang-poetry"]
    lm = load_pretrained("python-code")  # a CharLM; lm.rnn is the LSTM the app visualises

The ``.npz`` files live in ``lstm_viz/data/weights/`` next to a model card (``<name>.md``) that
states the corpus, vocabulary, hyper-parameters, training time and losses.  They were produced by
``scripts/train_lm.py``.  Files are read once (``allow_pickle=False``) and cached; every call
returns a new ``CharLM`` whose weight arrays are shared **read-only** views
(``setflags(write=False)``), so no caller can corrupt the cached copy.  To fine-tune, copy first:
``lm.params = {n: a.copy() for n, a in lm.params.items()}``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from ..nn.charlm import CharLM

PRETRAINED_DIR = Path(__file__).resolve().parent / "weights"

# Display order: the code model first (it has the clearest interpretable cells).
_ORDER = ("python-code", "tang-poetry")


def list_pretrained() -> list[str]:
    """Names of the shipped models that are present on disk."""
    present = {p.stem for p in PRETRAINED_DIR.glob("*.npz")}
    return [n for n in _ORDER if n in present] + sorted(present - set(_ORDER))


def _path(name: str) -> Path:
    if name not in list_pretrained():
        raise ValueError(f"unknown pretrained model {name!r}; available: {', '.join(list_pretrained()) or 'none'}")
    return PRETRAINED_DIR / f"{name}.npz"


@functools.lru_cache(maxsize=8)
def _load_cached(name: str) -> CharLM:
    return CharLM.load(_path(name), dtype=np.float32)


def load_pretrained(name: str) -> CharLM:
    """A new ``CharLM`` for ``name`` (its own copy of the weights: edits never reach the cache). ValueError if unknown."""
    return _load_cached(name).copy()


def model_card(name: str) -> str:
    """The markdown model card shipped next to the weights ('' if missing)."""
    card = _path(name).with_suffix(".md")
    return card.read_text(encoding="utf-8") if card.is_file() else ""
