"""The page context: everything a page needs, built once per run by app.py from the shared sidebar.

    from lstm_viz.ui import context
    ctx = context.require()          # the context; shows ctx.error and stops the page if the text is unusable
    ctx.t("heatmaps.title")          # translated string
    ctx.trace.f[:, ctx.unit]         # (T,) forget gate of the chosen unit
    t = context.step_slider(ctx)     # shared step widget (carried across pages and in the URL)
    u = context.unit_select(ctx)     # shared unit widget

A stacked or bidirectional network: ``ctx.network_model`` / ``ctx.network_trace`` are the whole network and its
StackTrace; ``ctx.model`` / ``ctx.trace`` are the chosen cell (``ctx.layer``, ``ctx.direction``, picked with
:func:`lstm_viz.ui.widgets.layer_picker`) and its Trace in the cell's reading order (what the engine's
``step_numbers`` needs). For display use sentence order: ``ctx.sentence("h")`` (T, H) and
``ctx.cell_step(t)`` (the cell's step that read sentence position t). One-layer networks: the same names
work (the cell is the network, sentence order is reading order).

Pages treat ``ctx`` as read-only: ``ctx.model`` and the arrays are per-run copies, but never mutate them;
change the shared step/unit only with :meth:`Context.set_step` / :meth:`Context.set_unit`.
"""

from __future__ import annotations

import runpy
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import streamlit as st

from lstm_viz.data import weight_files
from lstm_viz.data.text import display_token

from . import budget, cache, i18n, render, urlstate, vocab
from .urlstate import KEY

_CTX_KEY = "lstmx.ctx"


@dataclass
class Context:
    lang: str
    text: str
    tokens: list[str]                 # (T,) after the cap
    labels: list[str]                 # (T,) display_token'd, safe to show (still escape for HTML)
    truncated: bool
    n_dropped: int
    error: str | None                 # translated, safe message when the text is unusable
    model: object                     # LSTM | GRU | RNN (never mutate)
    network: object | None            # TrainedNetwork or None
    x: np.ndarray | None              # (T, I)
    trace: object | None              # Trace
    step: int
    unit: int
    model_settings: dict
    page: str = ""
    notes: list[str] = field(default_factory=list)
    network_model: object = None      # the whole network (a StackedRecurrent, or the one-layer model)
    network_trace: object = None      # its StackTrace (or the one Trace)
    layer: int = 0                    # the cell the pages show
    direction: int = 0                # 0 forward, 1 reverse
    token_budget: int | None = None   # tokens this page may read with this network when that cut the text

    def t(self, key: str, **fmt) -> str:
        return i18n.t(key, self.lang, **fmt)

    @property
    def T(self) -> int:                # noqa: N802 - the math name
        return len(self.tokens)

    @property
    def H(self) -> int:                # noqa: N802
        return int(self.model.hidden_size)

    @property
    def kind(self) -> str:
        return str(getattr(self.model, "kind", "lstm"))

    @property
    def num_layers(self) -> int:
        return int(getattr(self.network_model, "num_layers", 1) or 1)

    @property
    def num_directions(self) -> int:
        return int(getattr(self.network_model, "num_directions", 1) or 1)

    @property
    def peephole(self) -> bool:
        return bool(getattr(self.network_model, "peephole", False))

    @property
    def is_stack(self) -> bool:
        """More than one cell (several layers or two directions)."""
        return self.num_layers * self.num_directions > 1

    @property
    def reverse(self) -> bool:
        return self.direction == 1

    def cell_step(self, t: int) -> int:
        """The chosen cell's step that read sentence position ``t`` (T-1-t for a reverse cell)."""
        return self.T - 1 - int(t) if self.reverse else int(t)

    def sentence(self, name: str, layer: int | None = None, direction: int | None = None) -> np.ndarray:
        """Cell (layer, direction)'s per-step array ``name`` ("h", "f", ...) in sentence order (T, H);
        default: the chosen cell."""
        layer = self.layer if layer is None else int(layer)
        direction = self.direction if direction is None else int(direction)
        values = np.asarray(getattr(self.network_trace.layers[layer][direction], name))
        return values[::-1] if direction else values

    def layer_output(self, layer: int | None = None) -> np.ndarray:
        """(T, D·H) layer ``layer``'s output in sentence order, directions concatenated [forward | reverse]:
        the network's output for the top layer, otherwise what the layer above reads."""
        layer = self.layer if layer is None else int(layer)
        if layer >= self.num_layers - 1:
            return np.asarray(self.network_trace.output)
        return np.asarray(self.network_trace.layers[layer + 1][0].x)

    def shape_text(self) -> str:
        """"2 layers · bidirectional · peephole" (translated), "" for a one-layer, one-direction network."""
        parts = []
        if self.num_layers > 1:
            parts.append(self.t("family.shape_layers", layers=self.num_layers))
        if self.num_directions > 1:
            parts.append(self.t("family.shape_bidir"))
        if self.peephole:
            parts.append(self.t("family.shape_peep"))
        return " · ".join(parts)

    def cell_name(self) -> str:
        """"layer 1, reverse" (translated) for the chosen cell."""
        return self.t("step.cell_of", layer=self.layer, direction=self.t(f"family.dir_word.{self.direction}"))

    def set_step(self, t: int) -> int:
        """Set the shared time step (clamped to 0..T-1), in session state and URL; returns it."""
        self.step = int(np.clip(int(t), 0, max(self.T - 1, 0)))
        st.session_state[KEY["step"]] = self.step
        urlstate.set_param("step", self.step)
        return self.step

    def set_unit(self, u: int) -> int:
        """Set the shared hidden unit (clamped to 0..H-1), in session state and URL; returns it."""
        self.unit = int(np.clip(int(u), 0, max(self.H - 1, 0)))
        st.session_state[KEY["unit"]] = self.unit
        urlstate.set_param("unit", self.unit)
        return self.unit


def get() -> Context:
    """The context app.py built for this run."""
    if _legacy_pages_mode():
        _run_entry_script_instead()
    ctx = st.session_state.get(_CTX_KEY)
    if ctx is None:
        raise RuntimeError("app.py did not build the page context; start the app with `streamlit run app.py`.")
    return ctx


# The one place this app works around Streamlit's legacy multipage mode.
#
# Streamlit decides per process whether an app uses the legacy ``pages/`` directory: the first
# ``PagesManager`` sets the class flag ``PagesManager.uses_pages_directory`` to "a folder called pages/ exists
# beside the entry script", and only ``st.navigation`` clears it (for all sessions; Streamlit offers no
# config option for it). While it is set, the script runner does not execute app.py but routes the URL over
# the files in pages/ itself (``_mpa_v1`` in streamlit/runtime/scriptrunner/script_runner.py), so a page that
# is not the default one runs alone: no app.py, hence no sidebar and no context. That happens
#   * on a fresh server, when its first request is a deep link (/theory?lang=zh, a shared link), and
#   * in AppTest, which sets the flag back to None before every run, on every rerun of a non-default page.
# Streamlit's own advice is to name the folder differently; this project keeps pages/ (the layout is decided),
# so a page run in that mode runs app.py instead, which calls st.navigation (leaving the legacy mode for the
# process) and routes to the same page, whose URL path is its file stem. Proven by
# tests/test_app_framework.py (AppTest reruns) and tests/e2e (a fresh server's first deep link).

def _legacy_pages_mode() -> bool:
    from streamlit.runtime.pages_manager import PagesManager

    return bool(getattr(PagesManager, "uses_pages_directory", False))


# Set while this script thread runs app.py from here. Not in st.session_state: a session-state write is a
# Streamlit yield point and can raise (a pending rerun) before it writes, which would leave the mark set.
_running_entry_script = threading.local()


def _run_entry_script_instead() -> None:
    """Run app.py (which runs the requested page through st.navigation), then end this bare page run."""
    if getattr(_running_entry_script, "active", False):
        raise RuntimeError("app.py did not leave Streamlit's legacy pages/ mode (st.navigation was not called).")
    entry = Path(__file__).resolve().parents[2] / "app.py"
    _running_entry_script.active = True
    try:
        runpy.run_path(str(entry), run_name="__main__")
    finally:
        _running_entry_script.active = False
    st.stop()


def require() -> Context:
    """The context, or show ``ctx.error`` and stop the page when there is nothing to show."""
    ctx = get()
    if ctx.error:
        st.error(ctx.error, icon=":material/error:")
        st.stop()
    show_text_notes(ctx)
    return ctx


def show_text_notes(ctx: Context) -> None:
    """Say on the page which tokens the cap cut (invisible characters are noted in the sidebar) and which the
    network cannot read (lstm_viz.ui.vocab)."""
    if ctx.token_budget is not None:
        st.warning(budget_note(ctx.t, ctx.network_model, ctx.T + ctx.n_dropped, ctx.T), icon=":material/speed:")
    elif ctx.truncated:
        st.warning(ctx.t("text.truncated", total=ctx.T + ctx.n_dropped, kept=ctx.T, dropped=ctx.n_dropped),
                   icon=":material/content_cut:")
    vocab.show_for_context(ctx)   # tokens outside a shipped network's vocabulary: how many, which, a model that fits


def budget_note(t, network, total: int, kept: int) -> str:
    """The translated "too large for this page on the demo server: the first N tokens" message."""
    cells = budget.cells_of(network)
    return t("budget.tokens", kept=kept, total=total, kind=cells[0].kind.upper(), H=cells[0].hidden_size,
             cells=len(cells), seconds=f"{budget.PAGE_SECONDS:g}")


def _display_labels(tokens: list[str]) -> list[str]:
    return [display_token(tok) for tok in tokens]


def _reason(exc: Exception) -> str:
    """An exception message made safe for markdown sinks (it may quote user text)."""
    return render.escape_markdown(render.visible(str(exc) or type(exc).__name__, limit=300))


def build(settings, page: str = "") -> Context:
    """Settings (from the sidebar) -> Context, with the trace from the cache. Never raises for bad text."""
    t = lambda key, **fmt: i18n.t(key, settings.lang, **fmt)  # noqa: E731
    notes = list(settings.notes)
    network = None
    model = None
    run = None
    error = None
    text = settings.text or ""
    source = settings.source
    model_settings = {
        "source": source, "tokenization": settings.tokenization, "seed": settings.seed,
        "hidden": settings.hidden, "forget_bias": settings.forget_bias,
        "num_layers": int(getattr(settings, "num_layers", 1) or 1),
        "bidirectional": bool(getattr(settings, "bidirectional", False)),
        "peephole": bool(getattr(settings, "peephole", False)),
    }

    if source == "pretrained":
        try:
            network = cache.load_pretrained(settings.pretrained)
            model_settings["pretrained"] = settings.pretrained
        except Exception as exc:  # noqa: BLE001 - a broken file must not take the app down
            notes.append(t("sidebar.pretrained_error", reason=_reason(exc)))
            source = "random"
    elif source == "trained":
        network = st.session_state.get("trained_network")
        if network is None:
            notes.append(t("sidebar.trained_missing"))
            source = "random"
        else:
            model_settings["trained"] = str(getattr(network, "name", "trained"))
    elif source == "upload":
        try:
            loaded, file_notes = cache.load_uploaded(settings.upload_bytes)
            if file_notes:
                notes.append(t("sidebar.upload_notes", notes=_reason(ValueError(" ".join(file_notes)))))
            if hasattr(loaded, "encode_text") and hasattr(loaded, "rnn"):
                network = loaded
            else:
                model = loaded
            model_settings["upload"] = settings.upload_name
        except weight_files.WeightFileTooLarge as exc:    # the numbers, in the visitor's language
            notes.append(t(f"budget.upload_{exc.what}", value=f"{exc.value:,}", limit=f"{exc.limit:,}",
                           value_mb=f"{exc.value / 2**20:.1f}", limit_mb=f"{exc.limit / 2**20:.1f}"))
            source = "random"
        except (ValueError, KeyError, OSError) as exc:
            notes.append(t("sidebar.upload_error", reason=_reason(exc)))
            source = "random"
    model_settings["source"] = source

    if network is not None:
        model = network.rnn
    if model is None:
        model = cache.random_model(settings.seed, settings.hidden, settings.forget_bias,
                                   num_layers=model_settings["num_layers"],
                                   bidirectional=model_settings["bidirectional"],
                                   peephole=model_settings["peephole"])
    model_settings["kind"] = str(getattr(model, "kind", "lstm"))

    token_cap = budget.token_cap(model, page)   # what this page may read with this network (lstm_viz.ui.budget)
    if not text.strip():
        error = t("text.empty")
    else:
        try:
            if network is not None:
                run = cache.network_run(network, _fingerprint(network.rnn, source, model_settings), text,
                                        max_tokens=token_cap)
            elif source == "upload":
                run = cache.model_run(model, cache.model_fingerprint(model), text, settings.tokenization,
                                      max_tokens=token_cap)
            else:
                run = cache.random_run(text, settings.tokenization, settings.seed, settings.hidden,
                                       settings.forget_bias, max_tokens=token_cap,
                                       num_layers=model_settings["num_layers"],
                                       bidirectional=model_settings["bidirectional"],
                                       peephole=model_settings["peephole"])
        except cache.NonFiniteTrace as exc:
            error = (t("budget.nonfinite", step=exc.step, largest=f"{exc.largest:.3g}") if exc.step > 0
                     else t("budget.nonfinite_start"))
        except ValueError as exc:
            error = t("text.unusable", reason=_reason(exc))
        except Exception as exc:  # noqa: BLE001 - shown to the user instead of a traceback
            error = t("text.model_failed", reason=_reason(exc))

    # the whole network and trace; the pages see the chosen cell (layer, direction) and its trace
    network_model, network_trace = model, None if run is None else run.trace
    num_layers = int(getattr(model, "num_layers", 1) or 1)
    num_directions = int(getattr(model, "num_directions", 1) or 1)
    layer = int(np.clip(int(st.session_state.get(KEY["layer"], 0) or 0), 0, num_layers - 1))
    direction = int(np.clip(int(st.session_state.get(KEY["dir"], 0) or 0), 0, num_directions - 1))
    st.session_state[KEY["layer"]], st.session_state[KEY["dir"]] = layer, direction
    model = network_model.cell(layer, direction)
    cell_trace = None if network_trace is None else network_trace.layers[layer][direction]

    tokens = run.tokens if run is not None else []
    n_dropped = (run.total_tokens - len(tokens)) if run is not None else 0
    T = len(tokens)
    H = int(model.hidden_size)
    state = st.session_state
    step = int(np.clip(int(state.get(KEY["step"], 0) or 0), 0, max(T - 1, 0)))
    unit = int(np.clip(int(state.get(KEY["unit"], 0) or 0), 0, max(H - 1, 0)))
    state[KEY["step"]] = step
    state[KEY["unit"]] = unit
    if render.has_controls(text):
        notes.insert(0, t("text.controls"))
    budget_cut = n_dropped > 0 and T < cache.MAX_TOKENS   # the budget, not the text cap, cut the text
    if n_dropped > 0:
        notes.insert(0, budget_note(t, network_model, run.total_tokens, T) if budget_cut
                     else t("text.truncated", total=run.total_tokens, kept=T, dropped=n_dropped))

    ctx = Context(
        lang=settings.lang, text=text, tokens=tokens, labels=_display_labels(tokens),
        truncated=n_dropped > 0, n_dropped=n_dropped, error=error, model=model, network=network,
        x=None if run is None else run.x, trace=cell_trace,
        step=step, unit=unit, model_settings=model_settings, page=page, notes=notes,
        network_model=network_model, network_trace=network_trace, layer=layer, direction=direction,
        token_budget=token_cap if budget_cut else None,
    )
    state[_CTX_KEY] = ctx
    return ctx


def _fingerprint(rnn, source: str, model_settings: dict) -> str:
    if source == "pretrained":   # the shared shipped network: its weights' hash once per process, not every run
        name = model_settings["pretrained"]
        return f"pretrained:{name}:" + cache.pretrained_fingerprint(name)
    return f"{source}:{model_settings.get('pretrained') or model_settings.get('trained', '')}:" + cache.model_fingerprint(rnn)


# ---- shared widgets -------------------------------------------------------------------------------------------

def _sync_from_widget(widget_key: str, which: str, buttons: tuple[str, ...] = ()) -> None:
    # A browser sends one user action per rerun, together with the values it shows for every other widget. When
    # one of ``buttons`` was pressed, this widget's value is the browser's copy from before the step changed (a
    # slow server had not sent the new value yet), not a move: taking it would undo earlier Next presses.
    if any(st.session_state.get(button) for button in buttons):
        return
    value = st.session_state.get(widget_key)
    if value is not None:
        st.session_state[KEY[which]] = int(value)
        urlstate.set_param(which, int(value))


def step_slider(ctx: Context, *, key: str = "w.step", container=None, buttons: tuple[str, ...] = ()) -> int:
    """The shared time-step slider (0..T-1, label shows the token); returns ctx.step. ``buttons``: keys of
    the page's buttons that change the step (their press wins over the slider value sent with it)."""
    where = container or st
    if ctx.T <= 1:
        return ctx.step
    st.session_state[key] = ctx.step
    where.slider(
        ctx.t("common.step"), 0, ctx.T - 1, key=key, on_change=_sync_from_widget,
        args=(key, "step", tuple(buttons)),
    )
    return ctx.step


def unit_select(ctx: Context, *, key: str = "w.unit", container=None) -> int:
    """The shared hidden-unit number input (0..H-1); returns ctx.unit."""
    where = container or st
    st.session_state[key] = ctx.unit
    where.number_input(
        ctx.t("common.unit"), min_value=0, max_value=max(ctx.H - 1, 0), step=1, key=key,
        on_change=_sync_from_widget, args=(key, "unit"),
    )
    return ctx.unit
