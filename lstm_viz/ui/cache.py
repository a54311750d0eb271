"""Cached computations: (text, settings) -> tokens, inputs and the full trace.

Moving the step slider or switching page reruns the script; these wrappers make that a cache hit.
``st.cache_data`` pickles results, so every caller gets its own copy (nobody can mutate a shared object).
Objects that cannot be hashed (a network from the Train page, an uploaded model) are passed with a leading
underscore (not hashed) together with a ``fingerprint`` string that is.

A class opens the same link at once: the shipped networks, the random models and every run up to
``SHARED_RUN_BYTES`` are one object shared by all sessions (``st.cache_resource``; the run's arrays are
read-only, so a page that tried to write into them would fail loudly instead of changing another visitor's
view). Copying them per rerun cost CPU on every rerun and memory in every session. Bigger runs are still
copied per caller from ``st.cache_data``, under the server's byte budget (``server.maxCacheDataSize``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from lstm_viz.analysis import probes
from lstm_viz.data import pretrained, weight_files
from lstm_viz.data import text as textlib
from lstm_viz.nn import LSTM

from . import budget

MAX_TOKENS = budget.MAX_TOKENS
EMBED_DIM = 16
# A trace of 2,000 tokens at H = 256 is ~33 MB (float64): keep few per process, drop idle ones after an hour.
RUNS_KEPT = 8
RUN_TTL_S = 3600
# Runs up to this size (estimated) are shared by all sessions: at most RUNS_KEPT x 8 MB outside the byte budget.
SHARED_RUN_BYTES = 8 * 2**20


#: |state| above this counts as overflowed: the pages square and multiply states (norms, products, colour
#: scales), and 1e100² is still finite while 1e200² is not. Bounded cells (tanh, σ) stay within a few units.
MAX_ABS_STATE = 1e100


class NonFiniteTrace(ValueError):
    """The forward pass overflowed: ``step`` is the first time step whose states are NaN or infinite (or that
    overflowed while computed), ``largest`` the largest finite |state| before it."""

    def __init__(self, step: int, largest: float):
        super().__init__(f"the states overflow at step {step} (largest finite |h| before it: {largest:.3g})")
        self.step, self.largest = int(step), float(largest)


def checked_forward(model, x: np.ndarray, **state):
    """``model.forward(x)``, refusing a trace that overflowed (NonFiniteTrace) instead of charting NaN.

    Huge but finite weights (say 1e300 in a ReLU RNN) make W·h overflow to inf and then inf − inf = NaN; numpy
    only warns. The pass runs with overflow and invalid operations silenced (no warnings in the server log) and
    every state of the trace is checked afterwards: h (and c for an LSTM) of every layer and direction must be
    finite and at most MAX_ABS_STATE in size.
    """
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        trace = model.forward(x, **state)
    first, largest = _first_non_finite(trace)
    if first is not None:
        raise NonFiniteTrace(first, largest)
    return trace


def _first_non_finite(trace) -> tuple[int | None, float]:
    """(first step, in reading order of the cell where it happens, with an h or c that is NaN, infinite or over
    MAX_ABS_STATE; the largest |value| before it) — (None, 0.0) for a usable trace."""
    cells = [cell for row in trace.layers for cell in row] if hasattr(trace, "layers") else [trace]
    first, largest = None, 0.0
    for cell in cells:
        for name in ("h", "c"):
            values = getattr(cell, name, None)
            if values is None:
                continue
            values = np.asarray(values)                                   # (T, H)
            with np.errstate(invalid="ignore"):
                usable = (np.abs(values) <= MAX_ABS_STATE).reshape(values.shape[0], -1).all(axis=1)   # (T,)
            if not usable.all():
                step = int(np.argmin(usable))
                if first is None or step < first:
                    first = step
                    before = np.abs(values[:step])
                    largest = float(before.max()) if before.size else 0.0
    return first, largest


@dataclass
class Run:
    """One forward pass over the (possibly truncated) text."""

    tokens: list[str]   # (T,)
    total_tokens: int   # before the cap
    x: np.ndarray       # (T, I)
    trace: object       # lstm_viz.Trace, or a StackTrace for a stacked / bidirectional network


def tokenize(text: str, tokenization: str) -> list[str]:
    if tokenization == "words":
        return list(textlib.tokenize_words(text))
    return list(textlib.tokenize_chars(text))


def embed(tokens: list[str], dim: int) -> np.ndarray:
    return np.asarray(textlib.hash_embedding(tokens, dim, seed=0, dtype=np.float64))  # (T, dim)


def model_fingerprint(model) -> str:
    """A short hash of a model's kind and weights (cache key for unhashable models)."""
    digest = hashlib.sha1(str(getattr(model, "kind", "?")).encode())
    for name, array in sorted(model.state_dict().items()):
        a = np.ascontiguousarray(np.asarray(array))
        digest.update(name.encode())
        digest.update(str(a.shape).encode())
        digest.update(a.data)               # the array's own buffer (contiguous): no copy of the weights
    return digest.hexdigest()[:16]


def _read_only(value, seen: set | None = None):
    """Mark every numpy array reachable from ``value`` read-only (dataclass fields, lists, dicts, and the
    attributes of this package's objects: a run's traces, or a shared network — a layer, a stack, a CharLM or
    classifier with its embedding, head and float64 twin), so a page that wrote into a shared object would fail
    loudly instead of changing what every other visitor sees; returns ``value``."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return value
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (list, tuple)):
        for item in value:
            _read_only(item, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _read_only(item, seen)
    elif hasattr(value, "__dataclass_fields__") or (type(value).__module__.startswith("lstm_viz.")
                                                     and hasattr(value, "__dict__")):
        for item in vars(value).values():
            _read_only(item, seen)
    return value


def estimated_run_bytes(text: str, hidden: int, num_layers: int = 1, bidirectional: bool = False) -> int:
    """An upper bound of a run's trace size: T <= len(text) tokens (capped), ~12 float64 arrays of (T, H) per
    cell."""
    tokens = min(len(text), MAX_TOKENS) + 1
    cells = max(int(num_layers), 1) * (2 if bidirectional else 1)
    return tokens * int(hidden) * cells * 12 * 8


@st.cache_resource(max_entries=16, show_spinner=False)
def random_model(seed: int, hidden: int, forget_bias: float, input_size: int = EMBED_DIM, num_layers: int = 1,
                 bidirectional: bool = False, peephole: bool = False):
    """The random LSTM of the sidebar: one layer unless asked (a StackedRecurrent for several layers or
    two directions). One object for all sessions: never mutate it."""
    return _read_only(LSTM(input_size, hidden, seed=seed, forget_bias=forget_bias,
                                      num_layers=int(num_layers), bidirectional=bool(bidirectional),
                                      peephole=bool(peephole)))


def random_run(text: str, tokenization: str, seed: int, hidden: int, forget_bias: float,
               max_tokens: int = MAX_TOKENS, num_layers: int = 1, bidirectional: bool = False,
               peephole: bool = False) -> Run:
    """The random LSTM over ``text``: a shared read-only run when small, a private copy otherwise."""
    args = (text, tokenization, seed, hidden, forget_bias, max_tokens, num_layers, bidirectional, peephole)
    if estimated_run_bytes(text, hidden, num_layers, bidirectional) <= SHARED_RUN_BYTES:
        return _shared_random_run(*args)
    return _copied_random_run(*args)


@st.cache_resource(max_entries=RUNS_KEPT, ttl=RUN_TTL_S, show_spinner=False)
def _shared_random_run(text: str, tokenization: str, seed: int, hidden: int, forget_bias: float, max_tokens: int,
                       num_layers: int, bidirectional: bool, peephole: bool) -> Run:
    return _read_only(_compute_random_run(text, tokenization, seed, hidden, forget_bias, max_tokens, num_layers,
                                          bidirectional, peephole))


@st.cache_data(max_entries=RUNS_KEPT, ttl=RUN_TTL_S, show_spinner=False)
def _copied_random_run(text: str, tokenization: str, seed: int, hidden: int, forget_bias: float, max_tokens: int,
                       num_layers: int, bidirectional: bool, peephole: bool) -> Run:
    return _compute_random_run(text, tokenization, seed, hidden, forget_bias, max_tokens, num_layers, bidirectional,
                               peephole)


def _compute_random_run(text: str, tokenization: str, seed: int, hidden: int, forget_bias: float,
                        max_tokens: int = MAX_TOKENS, num_layers: int = 1, bidirectional: bool = False,
                        peephole: bool = False) -> Run:
    tokens_all = tokenize(text, tokenization)
    tokens = tokens_all[:max_tokens]
    if not tokens:
        raise ValueError("no tokens")
    model = random_model(seed, hidden, forget_bias, num_layers=num_layers, bidirectional=bidirectional,
                         peephole=peephole)
    x = embed(tokens, model.input_size)                 # (T, 16)
    return Run(tokens, len(tokens_all), x, checked_forward(model, x))


@st.cache_data(max_entries=RUNS_KEPT, ttl=RUN_TTL_S, show_spinner=False)
def model_run(_model, fingerprint: str, text: str, tokenization: str, max_tokens: int = MAX_TOKENS) -> Run:
    """A bare recurrent model (uploaded weights): hash embedding of size ``input_size``."""
    tokens_all = tokenize(text, tokenization)
    tokens = tokens_all[:max_tokens]
    if not tokens:
        raise ValueError("no tokens")
    x = embed(tokens, _model.input_size)                # (T, I)
    return Run(tokens, len(tokens_all), x, checked_forward(_model, x))


def network_run(network, fingerprint: str, text: str, max_tokens: int = MAX_TOKENS) -> Run:
    """A trained network (TrainedNetwork protocol) over ``text`` with its own encode_text: a shared read-only
    run when small, a private copy otherwise."""
    rnn = network.rnn
    size = estimated_run_bytes(text, rnn.hidden_size, getattr(rnn, "num_layers", 1) or 1,
                               (getattr(rnn, "num_directions", 1) or 1) > 1)
    if size <= SHARED_RUN_BYTES:
        return _shared_network_run(network, fingerprint, text, max_tokens)
    return _copied_network_run(network, fingerprint, text, max_tokens)


@st.cache_resource(max_entries=RUNS_KEPT, ttl=RUN_TTL_S, show_spinner=False)
def _shared_network_run(_network, fingerprint: str, text: str, max_tokens: int = MAX_TOKENS) -> Run:
    return _read_only(_compute_network_run(_network, text, max_tokens))


@st.cache_data(max_entries=RUNS_KEPT, ttl=RUN_TTL_S, show_spinner=False)
def _copied_network_run(_network, fingerprint: str, text: str, max_tokens: int = MAX_TOKENS) -> Run:
    return _compute_network_run(_network, text, max_tokens)


def _compute_network_run(_network, text: str, max_tokens: int) -> Run:
    x_all, tokens_all = _network.encode_text(text)
    x_all = np.asarray(x_all)
    tokens_all = list(tokens_all)
    if len(tokens_all) == 0:
        raise ValueError("no tokens")
    x = x_all[:max_tokens]                              # (T, I)
    tokens = tokens_all[:max_tokens]
    return Run(tokens, len(tokens_all), x, checked_forward(_network.rnn, x))


def pretrained_names() -> tuple[str, ...]:
    """Names of the shipped models, or () when the weights folder cannot be read."""
    try:
        return tuple(pretrained.list_pretrained())
    except OSError:  # an unreadable model folder must not take the app down
        return ()


def pretrained_names_of_kind(kind: str) -> list[str]:
    """The shipped models of one kind ("char-lm" or "sentiment-classifier"); [] when none can be read."""
    try:
        return list(pretrained.list_pretrained(kind))
    except (OSError, ValueError, KeyError):  # an unreadable or half-written file must not take the app down
        return []


@st.cache_resource(max_entries=8, show_spinner=False)
def load_pretrained(name: str):
    """The shipped network ``name``, one object for all sessions (never mutate it; Train works on its own)."""
    network = pretrained.load_pretrained(name)
    _ = network.rnn          # build the float64 twin the pages read now, not lazily in several threads at once
    return _read_only(network)


@st.cache_resource(max_entries=8, show_spinner=False)
def pretrained_fingerprint(name: str) -> str:
    """:func:`model_fingerprint` of the shared shipped network ``name`` (computed once)."""
    return model_fingerprint(load_pretrained(name).rnn)


def model_card(name: str) -> str:
    """The shipped model's card (markdown), or '' when there is none or it cannot be read."""
    try:
        return pretrained.model_card(name) if name in pretrained.list_pretrained() else ""
    except (OSError, UnicodeDecodeError):  # an unreadable card file: the card is optional
        return ""


@st.cache_data(max_entries=16, show_spinner=False)
def char_lm_run(_lm, fingerprint: str, text: str, top_k: int) -> dict:
    """A character LM over ``text``: states, its top-k guesses, the true next character's probability and rank.

    Keys: h, c (T, H) float32; top_chars T x k; top_p (T, k); next_p, next_rank (T-1,); bpc; unknown characters.
    """
    h, c = _lm.hidden_states(text)                                          # (T, H) each
    top_chars, top_p = _lm.top_k(text, top_k)                               # T x k, (T, k)
    next_p, next_rank = probes.next_char_scores(_lm.predict(text), _lm.encode_ids(text))  # (T-1,) each
    return {
        "h": h.astype(np.float32), "c": c.astype(np.float32), "top_chars": top_chars,
        "top_p": top_p.astype(np.float32), "next_p": next_p.astype(np.float32),
        "next_rank": next_rank.astype(np.int32), "bpc": _lm.bits_per_char(text), "unknown": _lm.unknown_chars(text),
    }


@st.cache_data(max_entries=64, show_spinner=False)
def probe_label(kind: str, pattern: str, text: str) -> np.ndarray:
    """The label (T,) of a built-in ``kind`` or, for kind "regex", of ``pattern`` (see lstm_viz.analysis.probes)."""
    if kind == "regex":
        return probes.regex_label(pattern, text)
    return probes.builtin_label(kind, text)


def load_uploaded(file_bytes: bytes):
    """weight_files.read_weights(bytes) -> (model, notes on what was inferred or skipped); ValueError if unusable.

    Read with the demo server's limits (lstm_viz.ui.budget: UPLOAD_MAX_HIDDEN, UPLOAD_MAX_PARAMETERS,
    UPLOAD_MAX_UNCOMPRESSED_BYTES; over one: weight_files.WeightFileTooLarge) and cached by the file's SHA-256,
    at most UPLOAD_CACHE_ENTRIES networks and UPLOAD_CACHE_BYTES (pickled) in all, least recently used dropped.
    """
    return _load_uploaded(file_bytes, hashlib.sha256(file_bytes).hexdigest())


@st.cache_data(max_entries=budget.UPLOAD_CACHE_ENTRIES, max_size=budget.UPLOAD_CACHE_BYTES, show_spinner=False)
def _load_uploaded(_file_bytes: bytes, sha256: str):
    loaded = weight_files.read_weights(
        _file_bytes, max_hidden=budget.UPLOAD_MAX_HIDDEN, max_parameters=budget.UPLOAD_MAX_PARAMETERS,
        max_uncompressed_bytes=budget.UPLOAD_MAX_UNCOMPRESSED_BYTES)
    return loaded.model, list(loaded.notes)
