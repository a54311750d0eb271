"""The one shared sidebar (drawn by app.py on every run, so its widget state survives page switches).

Widgets are keyed by the session keys of :mod:`urlstate` (``lstmx.*``); their values are the state.
:func:`draw` returns a :class:`Settings`; :func:`lstm_viz.ui.context.build` turns it into the page context.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from . import cache, i18n, urlstate
from .urlstate import KEY

UPLOAD_KEY = "lstmx.upload"


@dataclass
class Settings:
    lang: str
    text: str
    tokenization: str
    source: str                  # the source actually used (after fallbacks)
    requested_source: str        # what the user picked
    seed: int
    hidden: int
    forget_bias: float
    num_layers: int = 1          # random network: stacked layers (1..4)
    bidirectional: bool = False  # random network
    peephole: bool = False       # random network (LSTM peepholes)
    pretrained: str | None = None
    upload_bytes: bytes | None = None
    upload_name: str | None = None
    notes: list[str] = field(default_factory=list)   # translated remarks shown under the model settings


def keep_widget_state() -> None:
    """Re-assign every ``lstmx.*`` widget value so Streamlit does not drop it while the widget is hidden."""
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith("lstmx.") and key != UPLOAD_KEY:
            st.session_state[key] = st.session_state[key]


def _on_language_change() -> None:
    """Follow the new language with the example text and the shipped model, unless the user chose their own."""
    state = st.session_state
    lang = state[KEY["lang"]]
    if state.get(KEY["text"]) in urlstate.EXAMPLE_TEXTS.values():
        state[KEY["text"]] = urlstate.example_text(lang)
    if state.get(KEY["model"]) in urlstate.DEFAULT_PRETRAINED.values():
        state[KEY["model"]] = urlstate.default_pretrained(lang, tuple(cache.pretrained_names()))


def _on_source_change() -> None:
    """A trained network reads its own alphabet: show its example input instead of an unreadable example text."""
    state = st.session_state
    network = state.get("trained_network")
    if network is None:
        return
    example = str(getattr(network, "example_text", "") or "")
    if state.get(KEY["src"]) == "trained" and example and state.get(KEY["text"]) in urlstate.EXAMPLE_TEXTS.values():
        state[KEY["text"]] = example
    elif state.get(KEY["src"]) != "trained" and example and state.get(KEY["text"]) == example:
        state[KEY["text"]] = urlstate.example_text(state[KEY["lang"]])


def _reset_text() -> None:
    st.session_state[KEY["text"]] = urlstate.example_text(st.session_state[KEY["lang"]])


def draw_language() -> str:
    """The language switch (drawn first: every other label depends on it)."""
    return st.sidebar.radio(
        "Language / 语言",
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=KEY["lang"],
        horizontal=True,
        on_change=_on_language_change,
    )


def draw_lecture(lang: str) -> bool:
    """The lecture-mode switch (large type, high contrast, the sidebar folded away; ``lecture=1`` in the link)."""
    state = st.session_state
    state[KEY["lecture"]] = bool(state.get(KEY["lecture"], False))   # the URL holds 0 / 1, the toggle a bool
    return st.sidebar.toggle(i18n.t("sidebar.lecture", lang), key=KEY["lecture"],
                             help=i18n.t("sidebar.lecture_help", lang))


def available_sources() -> list[str]:
    sources = ["random"]
    if cache.pretrained_names():
        sources.append("pretrained")
    if st.session_state.get("trained_network") is not None:
        sources.append("trained")
    sources.append("upload")
    return sources


# Pages that do not read the shared text and model (they train or load their own networks): the sidebar shows
# those settings disabled there, with a note, instead of controls that would do nothing.
OWN_NETWORK_PAGES = ("train",)


def draw(lang: str, page: str = "") -> Settings:
    """Draw text + model settings in the sidebar; return the settings actually in effect.

    On a page of :data:`OWN_NETWORK_PAGES` they are drawn disabled (they keep their values and an uploaded
    file for the other pages) under a note saying why.
    """
    t = lambda key, **fmt: i18n.t(key, lang, **fmt)  # noqa: E731
    state = st.session_state
    sb = st.sidebar
    off = page in OWN_NETWORK_PAGES

    if off:
        sb.info(t("sidebar.not_here"), icon=":material/info:")
    sb.text_area(t("sidebar.text"), key=KEY["text"], height=120, max_chars=urlstate.MAX_TEXT_CHARS,
                 help=t("sidebar.text_help"), disabled=off)
    sb.button(t("sidebar.reset_text"), on_click=_reset_text, type="tertiary", icon=":material/undo:", disabled=off)

    sources = available_sources()
    requested = state.get(KEY["src"], "random")
    notes: list[str] = []
    if requested not in sources:
        if requested == "trained":
            notes.append(t("sidebar.trained_missing"))
        elif requested == "pretrained":
            notes.append(t("sidebar.pretrained_missing"))
        state[KEY["src"]] = "random"
        requested = "random"

    sb.subheader(t("sidebar.model"))
    source = sb.radio(t("sidebar.source"), options=sources, key=KEY["src"],
                      format_func=lambda s: t(f"sidebar.src.{s}"), on_change=_on_source_change, disabled=off)
    settings = Settings(
        lang=lang, text=state.get(KEY["text"], ""), tokenization=state.get(KEY["tok"], "chars"),
        source=source, requested_source=source, seed=int(state.get(KEY["seed"], 0)),
        hidden=int(state.get(KEY["hidden"], 32)), forget_bias=float(state.get(KEY["fbias"], 1.0)), notes=notes,
    )

    uses_own_vocab = source in ("pretrained", "trained")
    sb.radio(t("sidebar.tokenization"), options=list(urlstate.TOKENIZATIONS), key=KEY["tok"],
             format_func=lambda s: t(f"sidebar.tok.{s}"), horizontal=True, disabled=uses_own_vocab or off,
             help=t("sidebar.tok_network") if uses_own_vocab else None)
    settings.tokenization = state[KEY["tok"]]

    if source == "random":
        settings.seed = sb.number_input(t("sidebar.seed"), min_value=urlstate.SEED_RANGE[0],
                                        max_value=urlstate.SEED_RANGE[1], step=1, key=KEY["seed"], disabled=off)
        settings.hidden = sb.slider(t("sidebar.hidden"), *urlstate.HIDDEN_RANGE, key=KEY["hidden"], disabled=off)
        settings.forget_bias = sb.slider(t("sidebar.forget_bias"), *urlstate.FBIAS_RANGE, step=0.5,
                                         key=KEY["fbias"], help=t("sidebar.forget_bias_help"), disabled=off)
        shape_columns = sb.columns([1.3, 1])
        settings.num_layers = shape_columns[0].number_input(
            t("sidebar.layers"), min_value=urlstate.LAYERS_RANGE[0], max_value=urlstate.LAYERS_RANGE[1], step=1,
            key=KEY["layers"], help=t("sidebar.layers_help"), disabled=off)
        for name in ("bidir", "peep"):   # checkboxes hold booleans; the URL holds 0 / 1
            state[KEY[name]] = bool(state.get(KEY[name], False))
        with shape_columns[1]:
            settings.bidirectional = st.checkbox(t("sidebar.bidir"), key=KEY["bidir"], help=t("sidebar.bidir_help"),
                                                 disabled=off)
            settings.peephole = st.checkbox(t("sidebar.peep"), key=KEY["peep"], help=t("sidebar.peep_help"),
                                            disabled=off)
        sb.caption(t("sidebar.embedding"))
    elif source == "pretrained":
        names = list(cache.pretrained_names())
        if state.get(KEY["model"]) not in names:
            state[KEY["model"]] = urlstate.default_pretrained(lang, tuple(names))
        settings.pretrained = sb.selectbox(t("sidebar.pretrained"), names, key=KEY["model"], disabled=off)
    elif source == "upload":
        uploaded = sb.file_uploader(t("sidebar.upload"), type=["npz"], key=UPLOAD_KEY, help=t("sidebar.upload_help"),
                                   disabled=off)
        if uploaded is None:
            settings.notes.append(t("sidebar.upload_none"))
            settings.source = "random"
        else:
            settings.upload_bytes = uploaded.getvalue()
            settings.upload_name = uploaded.name
    return settings
