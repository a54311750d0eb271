"""Step by step: the recurrent cell at one time step, with live values, equations and plain sentences.

Thin view: the numbers are the engine's (``model.step_numbers(trace, t)``), the unit's terms come from
lstm_viz.analysis.step_terms, the drawing from lstm_viz.figures.step_by_step, the equations and sentences
from lstm_viz.ui.step_text.
"""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

from lstm_viz.analysis.step_terms import unit_terms
from lstm_viz.figures import family as family_figures
from lstm_viz.figures import step_by_step as figures
from lstm_viz.ui import context, downloads, figure_cache, render, step_text, widgets
from lstm_viz.ui.urlstate import KEY, PLAY_SPEEDS

PLAY_KEY = "step.playing"
SPEED_KEY = "step.speed"          # steps per second (``speed=`` in the link)
SHOWN_AT_KEY = "step.shown_at"    # time.monotonic() when the view last drew a step
DEFAULT_SPEED = 1.0
CONTEXT_TOKENS = 40          # tokens shown on each side of step t

# Play: the view below the buttons is a fragment that reruns every 1/speed seconds and advances one step, so the
# buttons (Stop among them) stay put in the page while it plays and a click on Stop always lands on a live button.
#
# While it plays, one press can reach the server twice: the browser's timer sends the fragment's rerun with the state
# of every widget, a press made a moment before and not yet sent among them, and the press's own rerun follows with
# it again. Each delivery runs the button's callback, the first in a fragment run (which does not draw the buttons
# again). So a button passes what its press means as the page drew it (Play or Stop; a step taken from a playing or
# a stopped view), and a second delivery changes nothing. A toggle applied twice undid a Stop.


def _shift(delta: int, last_step: int, drawn_playing: bool) -> None:
    state = st.session_state
    if drawn_playing and not state.get(PLAY_KEY, False):
        return                                     # this press already stopped play and stepped (a second delivery)
    state[PLAY_KEY] = False
    state[KEY["step"]] = min(max(int(state.get(KEY["step"], 0)) + delta, 0), last_step)


def _set_playing(playing: bool, last_step: int) -> None:
    state = st.session_state
    if bool(state.get(PLAY_KEY, False)) == playing:
        return                                     # already so: the same press again
    state[PLAY_KEY] = playing
    state[SHOWN_AT_KEY] = time.monotonic()         # the first step stays one interval on screen
    if playing and int(state.get(KEY["step"], 0)) >= last_step:
        state[KEY["step"]] = 0                     # play again from the start


def controls(ctx) -> None:
    """Previous / Next / Play (keys ← → Space), the play speed and the unit. Never disabled by the step (they
    clamp instead), so nothing here changes while the view plays."""
    if st.session_state.get("lstmx.previous_page") != ctx.page:
        st.session_state[PLAY_KEY] = False         # play belongs to this visit: leaving the page stops it
    prev_col, next_col, play_col, speed_col, unit_col = st.columns([1, 1, 1, 1.5, 1.5], vertical_alignment="bottom")
    last = ctx.T - 1
    playing = bool(st.session_state.get(PLAY_KEY, False))
    phone = widgets.is_phone()   # keys ← → Space, their hints on the buttons and the caption need a keyboard
    keys = {} if phone else {"prev": "Left", "next": "Right", "play": "Space"}
    prev_col.button(ctx.t("step.prev"), icon=":material/skip_previous:", on_click=_shift, args=(-1, last, playing),
                    disabled=last <= 0, key="step.prev", width="stretch", shortcut=keys.get("prev"))
    next_col.button(ctx.t("step.next"), icon=":material/skip_next:", on_click=_shift, args=(1, last, playing),
                    disabled=last <= 0, key="step.next", width="stretch", shortcut=keys.get("next"))
    play_col.button(ctx.t("step.stop" if playing else "step.play"),
                    icon=":material/stop:" if playing else ":material/play_arrow:", on_click=_set_playing,
                    args=(not playing, last), disabled=last <= 0, key="step.play", width="stretch",
                    type="primary" if playing else "secondary", shortcut=keys.get("play"))
    widgets.keep_valid(SPEED_KEY, list(PLAY_SPEEDS), DEFAULT_SPEED)
    st.session_state.setdefault(SPEED_KEY, DEFAULT_SPEED)
    speed_col.select_slider(ctx.t("step.speed"), options=list(PLAY_SPEEDS), key=SPEED_KEY,
                            format_func=lambda v: f"{v:g}", help=ctx.t("step.speed_help"))
    context.unit_select(ctx, container=unit_col)
    if not phone:
        st.caption(ctx.t("step.keys"))


def play_tick(ctx) -> None:
    """While playing, one step further per interval (the fragment's timer calls the view); at the last step play
    stops and the whole page reruns (the button shows Play again, the timer ends)."""
    state = st.session_state
    ctx.set_step(int(state.get(KEY["step"], ctx.step)))      # the step of this session now (slider, buttons)
    if not state.get(PLAY_KEY):
        return
    interval = 1.0 / float(state.get(SPEED_KEY, DEFAULT_SPEED))
    if time.monotonic() - float(state.get(SHOWN_AT_KEY, 0.0)) < 0.5 * interval:
        return                                                # a rerun that is not a tick (e.g. Play just pressed)
    if ctx.step >= ctx.T - 1:
        state[PLAY_KEY] = False
        st.rerun()
    ctx.set_step(ctx.step + 1)


def token_context(ctx) -> None:
    t = ctx.step
    st.markdown(ctx.t("step.current_token", t=t, T=ctx.T) + f" **{render.escape_markdown(ctx.labels[t])}**")
    lo, hi = max(0, t - CONTEXT_TOKENS), min(ctx.T, t + CONTEXT_TOKENS + 1)
    values = np.asarray(ctx.sentence("h")[lo:hi, ctx.unit], dtype=np.float64)   # the shown cell, sentence order
    render.colored_tokens(ctx.labels[lo:hi], values, vmin=-1.0, vmax=1.0, highlight=t - lo)
    st.caption(ctx.t("step.context", unit=ctx.unit))


def strips_note(ctx) -> str:
    start, stop = figures.strip_window(ctx.H, ctx.unit)
    if ctx.H > figures.MAX_STRIP_UNITS:
        return ctx.t("step.strips_capped", H=ctx.H, start=start, stop=stop - 1, unit=ctx.unit)
    return ctx.t("step.strips_all", H=ctx.H, unit=ctx.unit)


def cell_suffix(ctx) -> str:
    """" · layer 1, reverse" in a stack's titles."""
    return f" · {ctx.cell_name()}" if ctx.is_stack else ""


def cell_figure(ctx, numbers, u: dict):
    """The LSTM cell drawing, or labelled strips for the other kinds."""
    if ctx.kind == "lstm":
        labels = figures.CellLabels(
            title=ctx.t("step.cell_title", t=ctx.step, unit=ctx.unit) + cell_suffix(ctx), forget=ctx.t("step.forget"),
            input=ctx.t("step.input"), candidate=ctx.t("step.candidate"), output=ctx.t("step.output"),
            belt=ctx.t("step.belt"), gates_colorbar=ctx.t("step.gates_cb"),
            signed_colorbar=ctx.t("step.signed_cb"), unit=ctx.t("step.unit_word"), peephole=ctx.t("step.peep_label"),
        )
        peephole_terms = {gate: u[f"pp_{gate}"] for gate in ("i", "f", "o")} if ctx.peephole else None
        layout = "stacked" if widgets.is_phone() else "wide"      # portrait drawing on a phone
        key = figure_cache.view_key(ctx, "step.cell", ctx.step, ctx.unit, layout)   # a class shares one figure
        return figure_cache.shared_figure(
            key, lambda: figures.lstm_cell_figure(numbers, ctx.unit, labels, peephole_terms=peephole_terms,
                                                  layout=layout))
    st.info(ctx.t("step.other_model", kind=ctx.kind.upper()), icon=":material/info:")
    symbols = {"x": "xₜ", "h_prev": "hₜ₋₁", "hn": "Wₕₙhₜ₋₁+bₕₙ", "h": "hₜ"}
    names = {name: f"{symbols.get(name, name + 'ₜ')}  ({u[name]:.3f})" if name in u else symbols.get(name, name)
             for name in numbers.vectors}
    return figures.state_strips_figure(numbers.vectors, names, ctx.unit,
                                  title=ctx.t("step.strips_title", kind=ctx.kind.upper(), t=ctx.step) + cell_suffix(ctx),
                                  unit_label=ctx.t("step.unit_word"))


def tower(ctx, caption_container) -> None:
    """The small tower beside the cell: which layer (and direction) is drawn, where its input comes from."""
    fig = family_figures.stack_tower_figure(
        ctx.num_layers, ctx.num_directions, ctx.layer, ctx.direction,
        input_label=ctx.t("step.tower_input_x"), output_label=ctx.t("step.tower_output"),
        height=150 + 70 * ctx.num_layers,
    )
    st.plotly_chart(fig, config={"displayModeBar": False}, key="step.tower", width="stretch")
    direction = ctx.t(f"family.dir_word.{ctx.direction}")
    caption_container.markdown(f"**{ctx.t('step.tower_title')}**")
    if ctx.layer == 0:
        caption_container.caption(ctx.t("step.tower_caption_0", layer=0, direction=direction,
                                        inputs=ctx.model.input_size))
    else:
        caption_container.caption(ctx.t("step.tower_caption_l", layer=ctx.layer, direction=direction, below=ctx.layer - 1,
                         inputs=ctx.model.input_size, D=ctx.num_directions))


def both_directions(ctx) -> None:
    """A bidirectional layer at position t: h→, h← and the layer's output, their concatenation."""
    output = ctx.layer_output()[ctx.step]                  # (2H,) the engine's [h→ | h←] at position t
    fig = family_figures.bidirectional_states_figure(
        output[:ctx.H], output[ctx.H:], ctx.unit,
        row_names=(ctx.t("step.bidir_fwd"), ctx.t("step.bidir_rev"), ctx.t("step.bidir_out")),
        title=ctx.t("step.bidir_title", t=ctx.step, layer=ctx.layer), unit_label=ctx.t("step.unit_word"),
    )
    st.plotly_chart(fig, config={"displayModeBar": False}, key="step.bidir")
    st.caption(ctx.t("step.bidir_caption", size=output.shape[0]))


def view(ctx) -> None:
    """The step slider and everything drawn for step t (a fragment: it reruns alone while playing)."""
    play_tick(ctx)
    st.session_state[SHOWN_AT_KEY] = time.monotonic()
    context.step_slider(ctx, buttons=("step.prev", "step.next", "step.play"))   # a press wins over a stale slider
    if st.session_state.get(PLAY_KEY):
        st.caption(ctx.t("step.playing"))
    token_context(ctx)

    numbers = ctx.model.step_numbers(ctx.trace, ctx.cell_step(ctx.step))   # the engine's step, every unit
    u = unit_terms(numbers, ctx.unit)                         # the chosen unit's scalars
    left, right = st.columns([3, 2])
    if ctx.is_stack:    # the tower beside the cell, above the sentences
        tower_col, caption_col = right.columns([1.1, 1], vertical_alignment="center")
        with tower_col:
            tower(ctx, caption_col)
    with left:
        fig = cell_figure(ctx, numbers, u)
        st.plotly_chart(fig, config={"displayModeBar": False}, key="step.cell")
        st.caption(strips_note(ctx))
        downloads.figure_downloads(fig, numbers.vectors, f"step_{ctx.step}_unit_{ctx.unit}", lang=ctx.lang)
    with right:
        st.subheader(ctx.t("step.what_happened", unit=ctx.unit))
        for sentence in step_text.sentences(ctx.kind, ctx.t, u, ctx.unit):
            st.markdown("- " + sentence)
    st.subheader(ctx.t("step.equations", unit=ctx.unit))
    st.latex(step_text.equations(ctx.kind, u, str(getattr(ctx.model, "nonlinearity", "tanh")),
                                 peephole=ctx.peephole))
    st.caption(ctx.t("step.equations_note"))
    if ctx.peephole:
        st.caption(ctx.t("step.peep_equations_note"))
    if ctx.num_directions > 1:
        both_directions(ctx)


def main() -> None:
    ctx = context.require()
    st.title(ctx.t("step.title"))
    st.caption(ctx.t("step.intro"))
    widgets.layer_picker(ctx)
    controls(ctx)
    playing = bool(st.session_state.get(PLAY_KEY)) and ctx.T > 1
    speed = float(st.session_state.get(SPEED_KEY, DEFAULT_SPEED))
    st.fragment(view, run_every=1.0 / speed if playing else None)(ctx)


main()
