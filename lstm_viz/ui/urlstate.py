"""The whole view in the URL: text, model settings, step, unit, page, language.

Query parameters are strings, may be hostile, and are dropped when the user switches page. So:

* on the first run of a session, :func:`restore_once` validates every parameter (bad -> default, noted in
  ``session_state["lstmx.bad_params"]``) and seeds ``st.session_state``; from then on session state is the truth;
* every run, :func:`write` re-writes the parameters from session state (only when they changed).

Parameter   session key          values
lang        lstmx.lang           en | zh
text        lstmx.text           any text (omitted while it is the example text of the language)
tok         lstmx.tok            chars | words
src         lstmx.src            random | pretrained | trained | upload
seed        lstmx.seed           0 .. 2**31-1
hidden      lstmx.hidden         4 .. 256
fbias       lstmx.fbias          -5 .. 5 (step 0.5)
layers      lstmx.layers         1 .. 4 (random network: stacked layers)
bidir       lstmx.bidir          0 | 1 (random network: bidirectional)
peep        lstmx.peep           0 | 1 (random network: peephole LSTM)
layer       lstmx.layer          0 .. 7, the layer the pages show (clamped once the network is known)
dir         lstmx.dir            0 | 1, the direction the pages show (1 = reverse; clamped likewise)
tlayers     lstmx.train.layers   1 .. 4 (Train page only: layers of the networks it trains)
tbidir      lstmx.train.bidir    0 | 1 (Train page only: bidirectional)
model       lstmx.pretrained     a name from lstm_viz.data.pretrained.list_pretrained()
step        lstmx.step           0 .. T-1 (clamped once the text is known)
unit        lstmx.unit           0 .. H-1 (clamped once the model is known)
page        lstmx.page           a page id (file stem), see app.py

Options of one page (:data:`PAGE_PARAMS`) are in that page's links only:
review, whatif, smodel   Sentiment: the review, its what-if variant, the shipped classifier
prime, temp, topk, len, gseed, gmodel   Generate: prime text, temperature, top-k (0 = all), length, seed, model
bp, bploss, bplr, bpw, bpb, bpclip   Backpropagation: section, loss, learning rate, start (w, b), clipping
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import i18n

MAX_TEXT_CHARS = 20_000

EXAMPLE_TEXTS = {
    "en": "The cat, which had eaten, was full. (Memory: brackets and quotes \"open\" and close.)",
    "zh": "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
}

# The shipped network a new visitor sees first, per interface language: networks that learned something,
# so their cells mean something (the random LSTM stays one click away).
DEFAULT_PRETRAINED = {"en": "python-code", "zh": "tang-poetry"}


@dataclass(frozen=True)
class Defaults:
    lang: str = "en"
    tok: str = "chars"
    src: str = "pretrained"
    seed: int = 0
    hidden: int = 32
    fbias: float = 1.0
    layers: int = 1
    bidir: int = 0
    peep: int = 0
    layer: int = 0
    dir: int = 0
    tlayers: int = 1
    tbidir: int = 0
    step: int = 0
    unit: int = 0
    page: str = "step_by_step"


DEFAULTS = Defaults()
SOURCES = ("random", "pretrained", "trained", "upload")
TOKENIZATIONS = ("chars", "words")
HIDDEN_RANGE = (4, 256)
SEED_RANGE = (0, 2**31 - 1)
FBIAS_RANGE = (-5.0, 5.0)
LAYERS_RANGE = (1, 4)          # layers of a random network
MAX_SHOWN_LAYER = 7            # layer index a link may name (uploads have up to 8 layers)

KEY = {
    "lang": "lstmx.lang", "text": "lstmx.text", "tok": "lstmx.tok", "src": "lstmx.src",
    "seed": "lstmx.seed", "hidden": "lstmx.hidden", "fbias": "lstmx.fbias", "model": "lstmx.pretrained",
    "step": "lstmx.step", "unit": "lstmx.unit", "page": "lstmx.page",
    "layers": "lstmx.layers", "bidir": "lstmx.bidir", "peep": "lstmx.peep", "layer": "lstmx.layer",
    "dir": "lstmx.dir", "tlayers": "lstmx.train.layers", "tbidir": "lstmx.train.bidir",
}


# Options of single pages: param -> (page id, session key, kind, bounds); kind "text" (bounds = max chars),
# "name" (a shipped model), "int" (lo, hi), "float" (lo, hi, step). Written only while that page is shown.
PAGE_PARAMS = {
    "review": ("sentiment", "lstmx.sent.text", "text", 2000),
    "whatif": ("sentiment", "lstmx.sent.whatif", "text", 2000),
    "smodel": ("sentiment", "lstmx.sent.model", "name", None),
    "prime": ("generate", "lstmx.gen.prime", "text", 500),
    "temp": ("generate", "lstmx.gen.temp", "float", (0.1, 2.0, 0.05)),
    "topk": ("generate", "lstmx.gen.topk", "int", (0, 100)),
    "len": ("generate", "lstmx.gen.len", "int", (1, 400)),
    "gseed": ("generate", "lstmx.gen.seed", "int", SEED_RANGE),
    "gmodel": ("generate", "lstmx.gen.model", "name", None),
    "bp": ("backpropagation", "lstmx.bp.section", "text", 20),
    "bploss": ("backpropagation", "lstmx.bp.loss", "text", 20),
    "bplr": ("backpropagation", "lstmx.bp.lr", "float", (0.005, 0.5, 0.005)),
    "bpw": ("backpropagation", "lstmx.bp.w", "float", (0.0, 3.0, 0.05)),
    "bpb": ("backpropagation", "lstmx.bp.b", "float", (-0.6, 0.4, 0.05)),
    "bpclip": ("backpropagation", "lstmx.bp.clip", "float", (0.05, 5.0, 0.05)),
    "stop": ("lesson", "lstmx.lesson.stop", "text", 20),   # Guided lesson: the stop (checked by the page)
}


def _page_param(name: str, raw: str, pretrained_names: tuple[str, ...]):
    """A page option's validated value (None when invalid)."""
    _page, _key, kind, bounds = PAGE_PARAMS[name]
    if kind == "text":
        return str(raw)[:bounds]
    if kind == "name":
        return raw if raw in pretrained_names else None
    if kind == "int":
        return _int(raw, *bounds)
    return _float(raw, *bounds)


def example_text(lang: str) -> str:
    return EXAMPLE_TEXTS.get(lang, EXAMPLE_TEXTS["en"])


def default_pretrained(lang: str, pretrained_names: tuple[str, ...]) -> str | None:
    """The shipped model shown by default for ``lang`` (None when no shipped model is present)."""
    preferred = DEFAULT_PRETRAINED.get(lang)
    if preferred in pretrained_names:
        return preferred
    return pretrained_names[0] if pretrained_names else None


def _int(value: str, lo: int, hi: int) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if lo <= number <= hi else None


def _float(value: str, lo: float, hi: float, step: float) -> float | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or not lo <= number <= hi:
        return None
    return round(round(number / step) * step, 6)


def parse(params: dict[str, str], page_ids: tuple[str, ...] = (), pretrained_names: tuple[str, ...] = ()):
    """Validated settings from raw query params -> (values dict keyed by param name, list of bad names).

    Absent params are simply left out; present but invalid ones are left out and reported.
    """
    values: dict[str, object] = {}
    bad: list[str] = []

    def take(name, parsed):
        if parsed is None:
            bad.append(name)
        else:
            values[name] = parsed

    for name, raw in params.items():
        raw = raw[-1] if isinstance(raw, list) else raw
        if raw is None:
            continue
        if name == "lang":
            take(name, raw if raw in i18n.LANGUAGES else None)
        elif name == "text":
            take(name, str(raw)[:MAX_TEXT_CHARS])
        elif name == "tok":
            take(name, raw if raw in TOKENIZATIONS else None)
        elif name == "src":
            take(name, raw if raw in SOURCES else None)
        elif name == "seed":
            take(name, _int(raw, *SEED_RANGE))
        elif name == "hidden":
            take(name, _int(raw, *HIDDEN_RANGE))
        elif name == "fbias":
            take(name, _float(raw, *FBIAS_RANGE, 0.5))
        elif name == "model":
            take(name, raw if raw in pretrained_names else None)
        elif name in ("layers", "tlayers"):
            take(name, _int(raw, *LAYERS_RANGE))
        elif name in ("bidir", "peep", "dir", "tbidir"):
            take(name, _int(raw, 0, 1))
        elif name == "layer":
            take(name, _int(raw, 0, MAX_SHOWN_LAYER))
        elif name in ("step", "unit"):
            take(name, _int(raw, 0, 10**6))
        elif name == "page":
            take(name, raw if (raw in page_ids or not page_ids) else None)
        elif name in PAGE_PARAMS:
            take(name, _page_param(name, raw, pretrained_names))
        # unknown params (e.g. from another tool) are ignored silently
    return values, bad


def restore_once(page_ids: tuple[str, ...] = (), pretrained_names: tuple[str, ...] = ()) -> None:
    """First run of a session: seed session state from the URL (validated) and defaults."""
    import streamlit as st

    state = st.session_state
    if state.get("lstmx.restored"):
        return
    raw = {name: st.query_params.get_all(name) for name in st.query_params.keys()}
    values, bad = parse(raw, page_ids, pretrained_names)
    for name, default in vars(DEFAULTS).items():
        state[KEY[name]] = values.get(name, default)
    lang = state[KEY["lang"]]
    state[KEY["text"]] = values.get("text", example_text(lang))
    state[KEY["model"]] = values.get("model") or default_pretrained(lang, tuple(pretrained_names))
    state["lstmx.page_requested"] = values.get("page")   # only a page named in the link
    for name, (_page, key, _kind, _bounds) in PAGE_PARAMS.items():
        if name in values:
            state[key] = values[name]
    state["lstmx.bad_params"] = bad
    state["lstmx.restored"] = True


def desired_params(page_id: str) -> dict[str, str]:
    """The query params that describe the current view (from session state)."""
    import streamlit as st

    state = st.session_state
    lang = state.get(KEY["lang"], DEFAULTS.lang)
    params = {"page": page_id, "lang": lang}
    text = state.get(KEY["text"], "")
    if text != example_text(lang):
        params["text"] = text
    for name in ("tok", "src", "seed", "hidden", "fbias", "step", "unit"):
        value = state.get(KEY[name], getattr(DEFAULTS, name))
        params[name] = _fmt(value)
    # the network's shape (random network) and the cell shown: only when not the defaults (links stay short)
    for name in ("layers", "bidir", "peep", "layer", "dir") + (("tlayers", "tbidir") if page_id == "train" else ()):
        value = int(state.get(KEY[name], getattr(DEFAULTS, name)) or 0)
        if value != getattr(DEFAULTS, name):
            params[name] = _fmt(value)
    if state.get(KEY["src"]) == "pretrained" and state.get(KEY["model"]):
        params["model"] = state[KEY["model"]]
    for name, (page, key, _kind, _bounds) in PAGE_PARAMS.items():   # the shown page's own options
        if page == page_id and state.get(key) is not None:
            params[name] = _fmt(state[key])
    return params


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write(page_id: str) -> None:
    """Re-write the URL from session state (only when something differs)."""
    import streamlit as st

    want = desired_params(page_id)
    have = {name: st.query_params.get(name) for name in st.query_params.keys()}
    if have != want:
        st.query_params.from_dict(want)


def set_param(name: str, value) -> None:
    """Update one param now (used by ctx.set_step / set_unit after the URL was written this run)."""
    import streamlit as st

    if st.query_params.get(name) != _fmt(value):
        st.query_params[name] = _fmt(value)
