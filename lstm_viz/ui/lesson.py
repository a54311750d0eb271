"""The guided lesson's stops: their order, preset state (network, text, step, unit) and the live numbers they show.

A stop is a :class:`Stop` in :data:`STOPS` (its strings are ``lesson.<key>.*`` in lstm_viz.ui.strings.lesson, its
view a small function in pages/lesson.py keyed by ``Stop.key``); adding a stop means one entry here, its strings
and one view function. Every number a stop shows comes from a real network run through the app's existing caches
(:mod:`lstm_viz.ui.cache`, :mod:`~lstm_viz.ui.gradient_cache`, :mod:`~lstm_viz.ui.backprop_cache`,
:mod:`~lstm_viz.ui.sentiment_runs`, :mod:`~lstm_viz.ui.generate_runs`): the same calls the full pages make, so
"open this in the full page" (:func:`open_full_page`) shows the same numbers, often straight from the cache.

    from lstm_viz.ui import lesson
    lesson.STOPS[2].preset          # the conveyor belt: python-code on a line of Python
    lesson.parse_stop("3")          # -> (3, None); parse_stop("x") -> (1, "bad")
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from lstm_viz.analysis import gradient_study as study_lib
from lstm_viz.analysis.stack_views import mean_abs_states
from lstm_viz.analysis.step_terms import unit_terms
from lstm_viz.data.text import display_token
from lstm_viz.gradients import forget_gate_product

from . import backprop_cache, budget, cache, gradient_cache, generate_runs, sentiment_runs
from .urlstate import KEY

STOP_KEY = "lstmx.lesson.stop"   # session key of the URL's ``stop`` (urlstate.PAGE_PARAMS)
STOP_NOTE_KEY = "lesson.stop_note"

SENTENCE = "The cat, which had eaten a whole fish, was full and sleepy."
CODE = 'def greet(name):\n    message = "Hello, " + name\n    return message\n'
CODE_QUOTE_STEP = CODE.index('"')    # the opening quote of the string: the step stops 4-6 look at
REVIEWS = {"en": ("sentiment-en", "I expected to hate it, but it was great."),
           "zh": ("sentiment-zh", "本来以为会很差，没想到还不错。")}
PRIMES = {"en": ("python-code", "def "), "zh": ("tang-poetry", "春")}
GENERATED_CHARS = 120           # = the Generate page's default length (with its default temperature, top-k, seed)
GATE_UNITS = 8                  # units in the gate heatmaps of stops 4-6


@dataclass(frozen=True)
class Preset:
    """The sidebar state a stop is computed from (and that "open in the full page" puts in the sidebar)."""

    src: str = "random"              # "random" (the sidebar's random LSTM) | "pretrained"
    model: str | None = None         # a shipped model (src "pretrained")
    text: str = SENTENCE
    step: int = 0
    unit: int = 0
    seed: int = 0
    hidden: int = 32
    fbias: float = 1.0
    layers: int = 1
    bidir: bool = False
    peep: bool = False


@dataclass(frozen=True)
class Stop:
    key: str                         # strings lesson.<key>.title / .body; the view in pages/lesson.py
    page: str                        # the full page that shows this live
    icon: str
    preset: Preset | None            # None: the sidebar's own network (the page context)
    extra: dict = field(default_factory=dict)


RANDOM = Preset()
CODE_PRESET = Preset(src="pretrained", model="python-code", text=CODE, step=CODE_QUOTE_STEP)
FAMILY = Preset(hidden=16, layers=2, bidir=True, peep=True, step=4)   # step 4: the "c" of "cat"

STOPS: tuple[Stop, ...] = (
    Stop("rnn", "vanishing_gradients", ":material/replay:", RANDOM),
    Stop("vanishing", "vanishing_gradients", ":material/trending_down:", RANDOM),
    Stop("belt", "vanishing_gradients", ":material/conveyor_belt:", CODE_PRESET),
    Stop("forget", "gate_heatmaps", ":material/grid_on:", CODE_PRESET),
    Stop("input", "gate_heatmaps", ":material/grid_on:", CODE_PRESET),
    Stop("output", "gate_heatmaps", ":material/grid_on:", CODE_PRESET),
    Stop("update", "step_by_step", ":material/linear_scale:", None),
    Stop("gru", "vanishing_gradients", ":material/call_merge:", Preset(step=12)),
    Stop("family", "step_by_step", ":material/stacks:", FAMILY),
    Stop("uses", "sentiment", ":material/sentiment_satisfied:", None),
    Stop("bptt", "backpropagation", ":material/undo:", RANDOM),
)


def parse_stop(raw) -> tuple[int, str | None]:
    """A stop number 1..len(STOPS) from the URL / session value -> (number, problem); problem is None, "bad"
    (not a whole number) or "range" (a number outside 1..N); a problem gives stop 1."""
    if raw is None or raw == "":
        return 1, None
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1, "bad"
    if not 1 <= number <= len(STOPS):
        return 1, "range"
    return number, None


def go_to(number: int) -> None:
    """Callback of previous / next / the stop picker."""
    st.session_state[STOP_KEY] = int(np.clip(int(number), 1, len(STOPS)))


def open_full_page(preset: Preset, step: int | None = None, unit: int | None = None, extra: dict | None = None) -> None:
    """Callback: put ``preset`` (with the stop's step and unit) into the sidebar's state, plus page options
    ``extra`` (session key -> value), so the full page shows what the stop showed."""
    state = st.session_state
    state[KEY["src"]] = preset.src
    if preset.src == "pretrained" and preset.model:
        state[KEY["model"]] = preset.model
    state[KEY["text"]] = preset.text
    state[KEY["tok"]] = "chars"
    if preset.src == "random":
        state[KEY["seed"]], state[KEY["hidden"]], state[KEY["fbias"]] = preset.seed, preset.hidden, preset.fbias
        state[KEY["layers"]], state[KEY["bidir"]], state[KEY["peep"]] = preset.layers, preset.bidir, preset.peep
    state[KEY["layer"]], state[KEY["dir"]] = 0, 0
    state[KEY["step"]] = int(preset.step if step is None else step)
    state[KEY["unit"]] = int(preset.unit if unit is None else unit)
    for key, value in (extra or {}).items():
        state[key] = value


# ---- runs of the presets (the app's caches) -------------------------------------------------------------------

@dataclass
class PresetRun:
    """One forward pass of a preset network: the whole network, its trace and the labels of the tokens."""

    model: object           # an LSTM (or a StackedRecurrent for the family preset)
    trace: object
    x: np.ndarray           # (T, I)
    labels: list[str]       # (T,) display labels
    fingerprint: str


def preset_run(preset: Preset) -> PresetRun:
    """The preset's network over its text: the sidebar's random LSTM (cache.random_run) or a shipped model."""
    if preset.src == "pretrained":
        network = cache.load_pretrained(preset.model)
        fingerprint = f"lesson:{preset.model}:" + cache.model_fingerprint(network.rnn)
        run = cache.network_run(network, fingerprint, preset.text)
        model = network.rnn
    else:
        run = cache.random_run(preset.text, "chars", preset.seed, preset.hidden, preset.fbias, num_layers=preset.layers,
                               bidirectional=preset.bidir, peephole=preset.peep)
        model = cache.random_model(preset.seed, preset.hidden, preset.fbias, num_layers=preset.layers,
                                   bidirectional=preset.bidir, peephole=preset.peep)
        fingerprint = "ctx:" + cache.model_fingerprint(model)
    x = np.ascontiguousarray(np.asarray(run.x, dtype=np.float64))
    return PresetRun(model, run.trace, x, [display_token(tok) for tok in run.tokens], fingerprint)


def compared(preset: Preset, kinds=("rnn", "lstm")) -> tuple[PresetRun, dict[str, tuple[object, str]]]:
    """The preset's random LSTM and fresh layers of ``kinds`` with its sizes and seed: the Vanishing gradients
    page's like-for-like comparison (lstm_viz.ui.gradient_cache.compared_models)."""
    run = preset_run(preset)
    return run, gradient_cache.compared_models(run.model, kinds, preset.seed)


def studies(preset: Preset, kinds=("rnn", "lstm")) -> tuple[PresetRun, dict]:
    """kind -> GradientStudy (scale 1) on the preset's input, as the Vanishing gradients page computes it."""
    run, models = compared(preset, kinds)
    cap = budget.chain_window_cap(budget.cells_of(run.model)[0], tuple(models))   # as the page: the budget
    return run, {kind: gradient_cache.gradient_study(model, fingerprint, run.x, 1.0, cap)
                 for kind, (model, fingerprint) in models.items()}


def rnn_memory(preset: Preset) -> tuple[PresetRun, np.ndarray]:
    """(the preset's run, (T,) ‖∂h_t/∂x_0‖ of the fresh RNN): how much its state still depends on the first input."""
    run, models = compared(preset, ("rnn",))
    rnn, fingerprint = models["rnn"]
    return run, np.asarray(backprop_cache.connectivity(rnn, fingerprint, run.x))[:, 0]


def fresh_trace(preset: Preset, kind: str):
    """(the preset's run, the fresh ``kind`` layer, its trace over the same input)."""
    run, models = compared(preset, (kind,))
    model, fingerprint = models[kind]
    return run, model, _forward(model, fingerprint, run.x)


@st.cache_data(max_entries=8, ttl=cache.RUN_TTL_S, show_spinner=False)
def _forward(_model, fingerprint: str, x: np.ndarray):
    return _model.forward(x)


def belt(run: PresetRun, n: int = 3) -> tuple[np.ndarray, list[int], np.ndarray]:
    """(Π_{j>k} f_j (T, H), the ``n`` units that keep their memory longest, the mean over units (T,))."""
    product = np.asarray(forget_gate_product(run.trace))
    return product, study_lib.longest_memory_units(product, n), study_lib.mean_over_units(product)


def step_terms(model, trace, step: int, unit: int) -> dict[str, float]:
    """The engine's numbers of one unit at one step (lstm_viz.analysis.step_terms.unit_terms)."""
    return unit_terms(model.step_numbers(trace, int(step)), int(unit))


def ranked_units(scores: np.ndarray, n: int) -> list[int]:
    """The ``n`` units with the largest scores, best first (ties: the lower unit)."""
    return [int(u) for u in np.argsort(-np.asarray(scores), kind="stable")[:n]]


def most_changed_unit(trace, step: int) -> int:
    """The unit whose hidden state moved most at ``step`` (|h_t − h_{t−1}| largest; unit 0 at step 0)."""
    if int(step) <= 0:
        return 0
    h = np.asarray(trace.h)
    return ranked_units(np.abs(h[int(step)] - h[int(step) - 1]), 1)[0]


def gate_units(trace, step: int, gate: str, n: int = GATE_UNITS) -> dict[str, object]:
    """The units the gate stops point at, at ``step`` (memory c_{t-1} carried, f, i, g, o read from the trace):

    forget: "keeper" carries the most memory through (f·|c_{t-1}| largest), "dropper" erases the most
    ((1-f)·|c_{t-1}|); input: "writer" writes the most (|i·g|), "blocked" is offered the most but shut out
    ((1-i)·|g|); output: "shower" shows the most memory (o·|c_t|), "hider" hides the most ((1-o)·|c_t|).
    Returns the two units and ``units``: both plus the next best of each score, ``n`` in all.
    """
    t = int(step)
    c_prev = np.abs(np.asarray(trace.c[t - 1])) if t > 0 else np.zeros_like(np.asarray(trace.c[t]))
    f, i, g, o = (np.asarray(getattr(trace, name)[t]) for name in ("f", "i", "g", "o"))
    c = np.abs(np.asarray(trace.c[t]))
    first, second = {
        "f": (f * c_prev, (1.0 - f) * c_prev),
        "i": (np.abs(i * g), (1.0 - i) * np.abs(g)),
        "o": (o * c, (1.0 - o) * c),
    }[gate]
    a, b = ranked_units(first, n), ranked_units(second, n)
    units: list[int] = []
    for pair in zip(a, b):
        for unit in pair:
            if unit not in units and len(units) < n:
                units.append(unit)
    return {"first": a[0], "second": b[0] if b[0] != a[0] else b[1], "units": units}


def family_rows(run: PresetRun, t) -> tuple[list[tuple[str, np.ndarray]], np.ndarray]:
    """The Gate heatmaps page's layer overview of a stack: [(label, mean |h| (T,))], top layer first, and the
    output at the preset's step (D·H,)."""
    rows = []
    for layer, direction, values in reversed(mean_abs_states(run.trace)):
        rows.append((t("lesson.family.row", layer=layer, direction=t(f"family.dir.{direction}")), values))
    return rows, np.asarray(run.trace.output)


def sentiment(lang: str) -> dict | None:
    """The shipped classifier of ``lang`` over its example review (sentiment_runs.analyse), or None."""
    name, review = REVIEWS.get(lang, REVIEWS["en"])
    if name not in sentiment_runs.classifier_names():
        return None
    clf = cache.load_pretrained(name)
    run = sentiment_runs.analyse(clf, sentiment_runs.fingerprint(clf), review)
    return {"name": name, "review": review, "labels": sentiment_runs.token_labels(clf, run["tokens"]), **run}


def generated(lang: str) -> dict | None:
    """The shipped language model of ``lang`` continuing its prime (generate_runs.generate, the Generate page's
    defaults), or None."""
    name, prime = PRIMES.get(lang, PRIMES["en"])
    if name not in generate_runs.char_lm_names():
        return None
    lm = cache.load_pretrained(name)
    d = generate_runs.DEFAULTS
    res = generate_runs.generate(lm, f"{name}:{cache.model_fingerprint(lm.rnn)}", prime, GENERATED_CHARS,
                                 d["temp"], d["topk"], d["seed"])
    return {"name": name, "prime": prime, **res}


def bptt_norms(preset: Preset) -> tuple[PresetRun, dict[str, dict]]:
    """kind -> {"h": (T,) ‖δh_t‖, "c": (T,) ‖δc_t‖ or None} for E = Σ h_{T-1} (backprop_cache.compared_delta_norms),
    for the fresh RNN and the preset's LSTM."""
    run, models = compared(preset, ("rnn", "lstm"))
    return run, {kind: backprop_cache.compared_delta_norms(model, fingerprint, run.x)
                 for kind, (model, fingerprint) in models.items()}
