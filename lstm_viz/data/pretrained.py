"""Models shipped with the package (numpy only): character language models and sentiment classifiers.

    from lstm_viz.data.pretrained import list_pretrained, load_pretrained
    list_pretrained()                    # ["python-code", "tang-poetry", "sentiment-en", "sentiment-zh"]
    list_pretrained("char-lm")           # the language models only ("sentiment-classifier": the classifiers)
    lm = load_pretrained("python-code")  # a CharLM; lm.rnn is the LSTM the app visualises
    clf = load_pretrained("sentiment-zh")  # a SentimentClassifier: predict_proba, step_probabilities, ...

The ``.npz`` files live in ``lstm_viz/data/weights/`` next to a model card (``<name>.md``) that
states the corpus, vocabulary, hyper-parameters, training time and losses.  They were produced by
``scripts/train_lm.py`` (language models) and ``scripts/train_sentiment.py`` (classifiers); the kind of a
file is the ``kind`` in its JSON metadata.  Files are read once (``allow_pickle=False``) and cached; every
call returns a new model whose weight arrays are shared **read-only** views
(``setflags(write=False)``), so no caller can corrupt the cached copy.  To fine-tune, copy first:
``lm.params = {n: a.copy() for n, a in lm.params.items()}``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from ..nn.charlm import CharLM
from ..nn.classifier import SentimentClassifier

PRETRAINED_DIR = Path(__file__).resolve().parent / "weights"

# Display order: the code model first (it has the clearest interpretable cells), then the classifiers.
_ORDER = ("python-code", "tang-poetry", "sentiment-en", "sentiment-zh")
#: the kinds of shipped model (the ``kind`` of a file's metadata)
KINDS = ("char-lm", "sentiment-classifier")


def list_pretrained(kind: str | None = None) -> list[str]:
    """Names of the shipped models present on disk, all of them or those of one of :data:`KINDS`."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    present = {p.stem for p in PRETRAINED_DIR.glob("*.npz") if not p.name.startswith(".")}
    names = [n for n in _ORDER if n in present] + sorted(present - set(_ORDER))
    return names if kind is None else [n for n in names if model_kind(n) == kind]


def model_kind(name: str) -> str:
    """"char-lm" or "sentiment-classifier": what :func:`load_pretrained` returns for ``name``."""
    path = PRETRAINED_DIR / f"{name}.npz"
    return _kind_of(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _kind_of(path: str, _mtime_ns: int) -> str:
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta_json"])) if "meta_json" in data.files else {}
    return "sentiment-classifier" if meta.get("kind") == "sentiment-classifier" else "char-lm"


def _path(name: str) -> Path:
    if name not in list_pretrained():
        raise ValueError(f"unknown pretrained model {name!r}; available: {', '.join(list_pretrained()) or 'none'}")
    return PRETRAINED_DIR / f"{name}.npz"


@functools.lru_cache(maxsize=8)
def _load_cached(name: str) -> CharLM | SentimentClassifier:
    path = _path(name)
    if model_kind(name) == "sentiment-classifier":
        return SentimentClassifier.load(path, dtype=np.float32)
    return CharLM.load(path, dtype=np.float32)


def load_pretrained(name: str) -> CharLM | SentimentClassifier:
    """A new model for ``name``: a ``CharLM`` (language models) or a ``SentimentClassifier`` ("sentiment-zh",
    "sentiment-en"), with its own copy of the weights (edits never reach the cache). ValueError if unknown."""
    return _load_cached(name).copy()


def model_card(name: str) -> str:
    """The markdown model card shipped next to the weights ('' if missing)."""
    card = _path(name).with_suffix(".md")
    return card.read_text(encoding="utf-8") if card.is_file() else ""
