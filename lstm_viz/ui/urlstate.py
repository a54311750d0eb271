"""The whole view in the URL: text, model settings, step, unit, page, language.

Query parameters are strings, may be hostile, and are dropped when the user switches page. So:

* on the first run of a session, :func:`restore_once` validates every parameter (bad -> default, noted in
  ``session_state["lstmx.bad_params"]``) and seeds ``st.session_state``; from then on session state is the truth;
* every run, :func:`write` re-writes the parameters from session state (only when they changed).

The page is the URL's path (``/gate_heatmaps``); ``page=`` is still read from older links. A link writes only
what matters for the chosen model: seed, hidden, fbias and the shape of a random network only for the random
network, tokenization only where the network does not bring its own vocabulary.

A link stays short enough to open everywhere: its query string holds at most :data:`MAX_QUERY_CHARS`
characters (servers and proxies refuse URLs of a few dozen kB; Streamlit's resets the connection between
120 and 133 kB). The text travels as ``text=`` or, when shorter, as ``tz=`` (zlib, then URL-safe base64), and
so do the Sentiment page's review and what-if text (``review=`` / ``rz=``, ``whatif=`` / ``wz=``) and the
Generate page's prime (``prime=`` / ``pz=``); a text too
long even for that is cut, and :func:`link_cut` says how much the link carries (app.py shows it).

Parameter   session key          values
lang        lstmx.lang           en | zh
text        lstmx.text           any text (omitted while it is the example text of the language)
tz          lstmx.text           the same text, zlib-compressed, URL-safe base64 (written when shorter)
lecture     lstmx.lecture        0 | 1: lecture mode (large type, collapsed sidebar; written only when 1)
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
page        lstmx.page           a page id (file stem), see app.py; read from older links, never written

Options of one page (:data:`PAGE_PARAMS`) are in that page's links only:
review, whatif, smodel   Sentiment: the review, its what-if variant, the shipped classifier
rz, wz, pz              the review, the what-if text and the prime compressed like ``tz=`` (when shorter)
prime, temp, topk, len, gseed, gmodel   Generate: prime text, temperature, top-k (0 = all), length, seed, model
bp, bploss, bplr, bpw, bpb, bpclip   Backpropagation: section, loss, learning rate, start (w, b), clipping
speed                   Step by step: play speed (steps per second)
hmshow, hmsort, hmbasis, hmunits, hmrange, hmtopk, hmlist   Gate heatmaps: quantities shown, unit order, order
                        basis, unit subset (all | range | topk | list) and its range / k / list
vgscale                 Vanishing gradients: recurrent weight scale
clabel, cregex, cmodel, cfor   Cells: the label the cells are matched against, its regular expression, the
                        page's own model, the model the label was chosen for
"""

from __future__ import annotations

import base64
import math
import zlib
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlencode, urlsplit

from lstm_viz.analysis.probes import BUILTIN_LABELS
from lstm_viz.analysis.units import ORDERS

from . import i18n

MAX_TEXT_CHARS = 20_000
#: The longest query string a link carries (URL-encoded characters): about 8 kB of URL, which every browser,
#: proxy and server accepts. Longer texts are compressed (tz=) and, if still too long, cut (with a note).
MAX_QUERY_CHARS = 8000
COMPRESSED_TEXT_PARAM = "tz"
#: Texts that travel compressed when that is shorter: param -> the param of its compressed form.
COMPRESSED_PARAMS = {"text": COMPRESSED_TEXT_PARAM, "review": "rz", "whatif": "wz", "prime": "pz"}
_PLAIN_PARAM = {packed: plain for plain, packed in COMPRESSED_PARAMS.items()}
PLAY_SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)     # steps per second on the Step page

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
    lecture: int = 0


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
    "lecture": "lstmx.lecture",
}
# Settings that only the random network reads (a shipped, trained or uploaded network brings its own).
RANDOM_NETWORK_PARAMS = ("seed", "hidden", "fbias", "layers", "bidir", "peep")


# Options of single pages: param -> (page id, session key, kind, bounds); kind "text" (bounds = max chars),
# "name" (a shipped model), "int" (lo, hi), "float" (lo, hi, step), "choice" (the allowed values), "names"
# (a comma list of allowed values, a multiselect), "pair" (lo, hi: "a-b", a range slider). Written only while
# that page is shown; the pages themselves keep a value valid for the current network (widgets.keep_valid).
HEATMAP_QUANTITIES = ("f", "i", "o", "g", "c", "h", "r", "z", "n")   # every kind's panels (figures.gate_heatmaps)
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
    "speed": ("step_by_step", "step.speed", "choice", PLAY_SPEEDS),
    "hmshow": ("gate_heatmaps", "lstmx.hm.show", "names", HEATMAP_QUANTITIES),
    "hmsort": ("gate_heatmaps", "lstmx.hm.sort", "choice", ORDERS),
    "hmbasis": ("gate_heatmaps", "lstmx.hm.basis", "choice", HEATMAP_QUANTITIES),
    "hmunits": ("gate_heatmaps", "lstmx.hm.subset", "choice", ("all", "range", "topk", "list")),
    "hmrange": ("gate_heatmaps", "lstmx.hm.range", "pair", (0, 4095)),
    "hmtopk": ("gate_heatmaps", "lstmx.hm.topk", "int", (1, 4096)),
    "hmlist": ("gate_heatmaps", "lstmx.hm.list", "text", 500),
    "vgscale": ("vanishing_gradients", "lstmx.vg.scale", "float", (0.1, 3.0, 0.05)),
    "clabel": ("cells", "lstmx.cells.label", "choice", tuple(BUILTIN_LABELS) + ("regex",)),
    "cregex": ("cells", "lstmx.cells.regex", "text", 200),
    "cmodel": ("cells", "lstmx.cells.model", "name", None),
    "cfor": ("cells", "lstmx.cells.label_model", "name", None),   # the model clabel was chosen for (the page
}                                                                 # starts a new model from that model's label)


def _page_param(name: str, raw: str, pretrained_names: tuple[str, ...]):
    """A page option's validated value (None when invalid)."""
    _page, _key, kind, bounds = PAGE_PARAMS[name]
    if kind == "text":
        return str(raw)[:bounds]
    if kind == "name":
        return raw if raw in pretrained_names else None
    if kind == "int":
        return _int(raw, *bounds)
    if kind == "choice":   # numbers (the play speed) or names
        allowed = {_fmt(option): option for option in bounds}
        value = _float(raw, 0.0, 1e9, 1e-6) if isinstance(bounds[0], float) else raw
        return allowed.get(_fmt(value)) if value is not None else None
    if kind == "names":
        items = [item for item in str(raw).split(",") if item]
        return items if items and len(items) <= len(bounds) and all(item in bounds for item in items) else None
    if kind == "pair":
        low, _, high = str(raw).partition("-")
        low, high = _int(low, *bounds), _int(high, *bounds)
        return (low, high) if low is not None and high is not None and low <= high else None
    return _float(raw, *bounds)


def _fmt_page_value(kind: str, value) -> str:
    if kind == "names":
        return ",".join(str(item) for item in value)
    if kind == "pair":
        return f"{int(value[0])}-{int(value[1])}"
    return _fmt(value)


# ---- the text in a link: plain or compressed, within the budget --------------------------------------------------

def compress_text(text: str) -> str:
    """``text`` -> URL-safe base64 of its zlib-compressed UTF-8, without padding (the ``tz=`` value)."""
    packed = zlib.compress(text.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decompress_text(value: str, max_chars: int = MAX_TEXT_CHARS) -> str | None:
    """The text of a ``tz=`` value (None when it is not one); never inflates more than ``max_chars`` characters'
    worth of bytes (a hostile link cannot make the server allocate gigabytes)."""
    try:
        packed = base64.urlsafe_b64decode(str(value) + "=" * (-len(str(value)) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, 4 * max_chars + 4)   # UTF-8: at most 4 bytes per character
        if inflater.unconsumed_tail or inflater.unused_data or not inflater.eof:
            return None
        return raw.decode("utf-8")[:max_chars]
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None


def _query_len(name: str, value: str) -> int:
    """Characters ``name=value`` takes in a query string (Streamlit writes it with urllib's urlencode)."""
    return len(urlencode({name: value}))


def _encode_text(name: str, text: str, compressed_name: str | None) -> tuple[str, str]:
    """(param name, value) of the shorter form of ``text``: plain, or compressed under ``compressed_name``."""
    if compressed_name and text:
        packed = compress_text(text)
        if _query_len(compressed_name, packed) < _query_len(name, text):
            return compressed_name, packed
    return name, text


@lru_cache(maxsize=64)
def fit_text(name: str, text: str, budget: int, compressed_name: str | None = None) -> tuple[str, str, int]:
    """The longest prefix of ``text`` whose shorter form fits in ``budget`` query characters (``&`` included).

    Returns ``(param name, value, characters carried)``; the whole text when it fits (characters = len(text)).
    Bisection over the prefix length: both encodings grow with the prefix (up to zlib's few bytes of noise,
    so the answer may be a few characters short of the true longest prefix, never over the budget).
    """
    def fits(n: int) -> bool:
        param, value = _encode_text(name, text[:n], compressed_name)
        return _query_len(param, value) + 1 <= budget

    if fits(len(text)):
        return (*_encode_text(name, text, compressed_name), len(text))
    low, high = 0, len(text)          # fits(low) (an empty value fits any sane budget); not fits(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return (*_encode_text(name, text[:low], compressed_name), low)


def fit_link(params: dict[str, str], texts: list[tuple[str, str, str | None]],
             limit: int = MAX_QUERY_CHARS) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """``params`` plus the ``texts`` ``[(name, text, compressed name or None), ...]`` (in priority order), each as
    much of it as fits in a query string of ``limit`` characters.

    Returns ``(params, cuts)``; ``cuts[name] = (characters carried, characters in the text)`` for every text
    the link does not carry whole.
    """
    out = dict(params)
    cuts: dict[str, tuple[int, int]] = {}
    budget = limit - len(urlencode(out, doseq=True))
    for name, text, compressed_name in texts:
        param, value, kept = fit_text(name, text, max(budget, 0), compressed_name)
        if kept < len(text):
            cuts[name] = (kept, len(text))
        if value or kept == len(text):
            out[param] = value
            budget -= _query_len(param, value) + 1
    return out, cuts


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
            values.setdefault("text", str(raw)[:MAX_TEXT_CHARS])   # tz= wins when a link holds both
        elif name in _PLAIN_PARAM:                                  # tz=, rz=, wz=, pz=: a compressed text
            plain = _PLAIN_PARAM[name]
            text = decompress_text(raw, MAX_TEXT_CHARS if plain == "text" else PAGE_PARAMS[plain][3])
            if text is None:
                bad.append(name)
            else:
                values[plain] = text
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
        elif name in ("bidir", "peep", "dir", "tbidir", "lecture"):
            take(name, _int(raw, 0, 1))
        elif name == "layer":
            take(name, _int(raw, 0, MAX_SHOWN_LAYER))
        elif name in ("step", "unit"):
            take(name, _int(raw, 0, 10**6))
        elif name == "page":
            take(name, raw if (raw in page_ids or not page_ids) else None)
        elif name in PAGE_PARAMS:
            if name not in COMPRESSED_PARAMS or name not in values:  # the compressed form wins here too
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
    """The query params that describe the current view (from session state), within :data:`MAX_QUERY_CHARS`."""
    return _link(page_id)[0]


def link_cut(page_id: str) -> dict[str, tuple[int, int]]:
    """The texts the current view's link does not carry whole: ``{param: (characters carried, characters)}``."""
    return _link(page_id)[1]


def _link(page_id: str) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    import streamlit as st

    state = st.session_state
    lang = state.get(KEY["lang"], DEFAULTS.lang)
    params = {"lang": lang}
    source = state.get(KEY["src"], DEFAULTS.src)
    if int(state.get(KEY["lecture"], 0) or 0):
        params["lecture"] = "1"
    names = ["src", "step", "unit"]
    if source in ("random", "upload"):      # a shipped or trained network tokenizes with its own vocabulary
        names.insert(0, "tok")
    if source == "random":
        names += ["seed", "hidden", "fbias"]
    for name in names:
        params[name] = _fmt(state.get(KEY[name], getattr(DEFAULTS, name)))
    # the network's shape (random network) and the cell shown: only when not the defaults (links stay short)
    shape = ("layers", "bidir", "peep") if source == "random" else ()
    for name in shape + ("layer", "dir") + (("tlayers", "tbidir") if page_id == "train" else ()):
        value = int(state.get(KEY[name], getattr(DEFAULTS, name)) or 0)
        if value != getattr(DEFAULTS, name):
            params[name] = _fmt(value)
    if source == "pretrained" and state.get(KEY["model"]):
        params["model"] = state[KEY["model"]]
    texts = []
    for name, (page, key, kind, _bounds) in PAGE_PARAMS.items():   # the shown page's own options
        value = state.get(key)
        if page != page_id or value is None:
            continue
        if kind == "text":
            texts.append((name, str(value), COMPRESSED_PARAMS.get(name)))
        else:
            params[name] = _fmt_page_value(kind, value)
    text = state.get(KEY["text"], "")
    if text != example_text(lang):
        texts.append(("text", text, COMPRESSED_PARAMS["text"]))
    return fit_link(params, texts)


def path_name(url: str | None) -> str:
    """The last segment of an address's path, decoded as Streamlit's browser side names the page it asks for
    ("" for the root): ``/nope?x=1`` -> "nope", ``/n%C3%B6pe`` -> "nöpe"."""
    return unquote(urlsplit(url or "").path.rstrip("/").rpartition("/")[2])


def unknown_path(url: str | None, page_ids: tuple[str, ...]) -> str | None:
    """The path segment of ``url`` when it names no page (``/home``, ``/nope``), else None.

    Streamlit answers a path that no page claims with "Page not found" and then runs the default page; app.py
    registers a hidden page under this name for the run instead, which forwards to the first page.
    """
    name = path_name(url)
    usable = name and name == name.strip() and "/" not in name      # what st.Page accepts as a url_path
    return name if usable and name not in page_ids else None


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write(page_id: str) -> None:
    """Re-write the URL from session state (only when something differs)."""
    import streamlit as st

    want = desired_params(page_id)
    have = {name: st.query_params.get(name) for name in st.query_params.keys()}   # (a "page" of old links goes)
    if have != want:
        st.query_params.from_dict(want)


def set_param(name: str, value) -> None:
    """Update one param now (used by ctx.set_step / set_unit after the URL was written this run)."""
    import streamlit as st

    if st.query_params.get(name) != _fmt(value):
        st.query_params[name] = _fmt(value)
