"""Guided lesson: from the simple RNN's short memory to what LSTMs are used for, in short stops.

Thin view: the stops, their preset networks and the numbers they show are lstm_viz.ui.lesson (the app's cached
runs); the drawings are the pages' own figures; the words are lstm_viz.ui.strings.lesson. Each stop is one
function below, registered in VIEWS under its ``Stop.key``; it draws the stop's live view and returns the
(step, unit, page options) that "open this in the full page" hands to the sidebar (None: the sidebar's own state
already is the stop's; False: the view drew its own links).
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from lstm_viz.figures import backpropagation as bp_figures
from lstm_viz.figures import family as family_figures
from lstm_viz.figures import gate_heatmaps as heat_figures
from lstm_viz.figures import sentiment as sent_figures
from lstm_viz.figures import step_by_step as step_figures
from lstm_viz.figures import vanishing_gradients as vg_figures
from lstm_viz.figures._style import HoverNames
from lstm_viz.ui import context, render, step_text, urlstate
from lstm_viz.ui import lesson as lib

NO_BAR = {"displayModeBar": False}


def md(ctx, key: str, **fmt) -> str:
    """Our translated text for a markdown sink, shown literally."""
    return render.backslash_markdown(ctx.t(key, **fmt))


def tok(label: str) -> str:
    """A token for a sentence in markdown: quoted, escaped."""
    return "“" + render.escape_markdown(label) + "”"


def g(value: float) -> str:
    """A number for the prose (3 significant digits; tiny and huge ones in powers of ten)."""
    value = float(value)
    return f"{value:.2e}" if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e4) else f"{value:.3g}"


def show_text(ctx, text: str) -> None:
    """The preset's input text, one line, shown literally."""
    st.caption(ctx.t("lesson.text", text=render.escape_markdown(render.visible(text, limit=300))))


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, config=NO_BAR, key=f"lesson.{key}", width="stretch")


def hover(ctx) -> HoverNames:
    return HoverNames(ctx.t("common.token"), ctx.t("common.step"), ctx.t("lesson.unit"), ctx.t("lesson.value"))


# ---- the stops ------------------------------------------------------------------------------------------------

def rnn_stop(ctx, stop):
    run, memory = lib.rnn_memory(stop.preset)               # (T,) ‖∂h_t/∂x_0‖
    T = len(run.labels)
    later = min(10, T - 1)
    st.markdown(ctx.t("lesson.rnn.live", first=tok(run.labels[0]), a=g(memory[0]), t=later, b=g(memory[later]),
                      T=T - 1, c=g(memory[-1]), H=run.model.hidden_size))
    st.latex(r"h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})")
    fig = vg_figures.jacobian_norm_figure(
        np.arange(T), {ctx.t("lesson.rnn.curve"): memory}, title=ctx.t("lesson.rnn.chart", first=run.labels[0]),
        x_title=ctx.t("lesson.rnn.x"), y_title=ctx.t("lesson.rnn.y"), hover_distance="t", reference_one=False)
    chart(fig, "rnn")
    return {}


def vanishing_stop(ctx, stop):
    run, studies = lib.studies(stop.preset)
    rnn, lstm = studies["rnn"], studies["lstm"]
    distances, rnn_norms = lib.study_lib.by_distance(rnn.jacobian_norms)
    _, lstm_norms = lib.study_lib.by_distance(lstm.jacobian_norms)
    _, bound = lib.study_lib.by_distance(rnn.bound)
    d = int(distances[-1])
    st.markdown(ctx.t("lesson.vanishing.live", sigma=f"{rnn.sigma_max:.3f}", d=d, bound=g(bound[-1]),
                      rnn=g(rnn_norms[-1]), lstm=g(lstm_norms[-1]), H=run.model.hidden_size))
    st.latex(r"\begin{aligned} \left\lVert \frac{\partial h_T}{\partial h_k} \right\rVert &\le \prod_{j=k+1}^{T}"
             r" \lVert \operatorname{diag}(\varphi'(a_j)) \rVert\,\lVert W_{hh} \rVert \\"
             r" &\le \left(\gamma\,\sigma_{\max}(W_{hh})\right)^{T-k} \end{aligned}")
    fig = vg_figures.jacobian_norm_figure(
        distances, {ctx.t("lesson.model.rnn"): rnn_norms, ctx.t("lesson.model.lstm"): lstm_norms}, bound=bound,
        bound_name=ctx.t("lesson.vanishing.bound"), title=ctx.t("lesson.vanishing.chart"),
        x_title=ctx.t("lesson.vanishing.x"), y_title=ctx.t("lesson.vanishing.y"), hover_distance="T−k")
    chart(fig, "vanishing")
    return {}


def belt_stop(ctx, stop):
    run = lib.preset_run(stop.preset)
    product, units, mean = lib.belt(run)
    best = units[0]
    f = np.asarray(run.trace.f)[1:, best]          # f_0 multiplies c_{-1} = 0: the belt starts at step 0
    st.markdown(ctx.t("lesson.belt.live", unit=best, fmin=f"{f.min():.3f}", T=len(run.labels),
                      p=g(product[0, best]), mean=g(mean[0]), first=tok(run.labels[0]), H=run.model.hidden_size))
    st.latex(r"\begin{gathered} c_t = f_t \odot c_{t-1} + i_t \odot g_t \\"
             r" \frac{\partial c_T}{\partial c_k}\Big|_{\text{belt}} = \prod_{j=k+1}^{T} \operatorname{diag}(f_j)"
             r" \end{gathered}")
    fig = vg_figures.forget_product_figure(
        product[:, units], units, run.labels, mean=mean, title=ctx.t("lesson.belt.chart"),
        x_title=ctx.t("lesson.belt.x"), y_title=ctx.t("lesson.belt.y"), unit_name=ctx.t("lesson.unit"),
        mean_name=ctx.t("lesson.belt.mean"), hover=HoverNames(ctx.t("common.token"), ctx.t("common.step"),
                                                              ctx.t("lesson.unit"), "Π f"))
    chart(fig, "belt")
    return {"unit": best}


GATE_PANELS = {   # stop -> (the gate that picks the units, panels drawn)
    "forget": ("f", (("f", "gate", None), ("c", "signed", None))),
    "input": ("i", (("i", "gate", None), ("g", "signed", 1.0))),
    "output": ("o", (("o", "gate", None), ("h", "signed", 1.0))),
}
GATE_TEX = {
    "forget": r"f_t = \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf})",
    "input": r"\begin{gathered} i_t = \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\"
             r" g_t = \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \end{gathered}",
    "output": r"\begin{gathered} o_t = \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\"
              r" h_t = o_t \odot \tanh(c_t) \end{gathered}",
}


def gate_stop(ctx, stop):
    run = lib.preset_run(stop.preset)
    step = stop.preset.step
    gate, panels = GATE_PANELS[stop.key]
    picked = lib.gate_units(run.trace, step, gate)
    a = lib.step_terms(run.model, run.trace, step, picked["first"])
    b = lib.step_terms(run.model, run.trace, step, picked["second"])
    st.markdown(ctx.t(f"lesson.{stop.key}.live", t=step, token=tok(run.labels[step]), ua=picked["first"],
                      ub=picked["second"], **{f"{k}a": f"{v:.3f}" for k, v in a.items()},
                      **{f"{k}b": f"{v:.3f}" for k, v in b.items()}))
    st.latex(GATE_TEX[stop.key])
    units = picked["units"]
    values = {name: np.asarray(getattr(run.trace, name))[:, units] for name, _, _ in panels}   # (T, n) each
    fig = heat_figures.state_heatmaps(
        [heat_figures.HeatmapPanel(name, ctx.t(f"lesson.panel.{name}"), values[name], scale, limit)
         for name, scale, limit in panels],
        run.labels, units, title=ctx.t("lesson.gates.chart"), x_title=ctx.t("common.token"),
        y_title=ctx.t("lesson.unit"), hover=hover(ctx), row_height=150)
    chart(fig, stop.key)
    st.caption(ctx.t("lesson.gates.caption", t=step, units=", ".join(str(u) for u in units)))
    return {"unit": picked["first"], "extra": {"lstmx.hm.subset": "list",
                                               "lstmx.hm.list": ", ".join(str(u) for u in units)}}


def update_stop(ctx, stop):
    """The sidebar's own network (an LSTM) at the shared step and unit; the code model when it cannot be used."""
    usable = not ctx.error and ctx.trace is not None and ctx.kind == "lstm"
    if usable:
        st.caption(md(ctx, "lesson.update.yours"))
        controls = st.columns(2)
        context.step_slider(ctx, key="w.lesson.step", container=controls[0])
        context.unit_select(ctx, key="w.lesson.unit", container=controls[1])
        model, trace, step, unit, labels = ctx.model, ctx.trace, ctx.cell_step(ctx.step), ctx.unit, ctx.labels
        position = ctx.step
        if step == 0 and ctx.T > 1:
            st.caption(md(ctx, "lesson.update.first_step"))
    else:
        st.info(ctx.t("lesson.update.fallback"), icon=":material/info:")
        run = lib.preset_run(lib.CODE_PRESET)
        model, trace, labels = run.model, run.trace, run.labels
        step = position = lib.CODE_PRESET.step
        unit = lib.gate_units(trace, step, "f")["first"]
    numbers = model.step_numbers(trace, step)
    u = lib.step_terms(model, trace, step, unit)
    st.markdown(ctx.t("lesson.update.live", t=position, token=tok(labels[position]), unit=unit,
                      f=f"{u['f']:.3f}", c_prev=f"{u['c_prev']:.3f}", i=f"{u['i']:.3f}", g=f"{u['g']:.3f}",
                      c=f"{u['c']:.3f}", o=f"{u['o']:.3f}", h=f"{u['h']:.3f}"))
    st.latex(step_text.equations("lstm", u, peephole=bool(getattr(model, "peephole", False))))
    labels_fig = step_figures.CellLabels(
        title=ctx.t("step.cell_title", t=position, unit=unit), forget=ctx.t("step.forget"), input=ctx.t("step.input"),
        candidate=ctx.t("step.candidate"), output=ctx.t("step.output"), belt=ctx.t("step.belt"),
        gates_colorbar=ctx.t("step.gates_cb"), signed_colorbar=ctx.t("step.signed_cb"), unit=ctx.t("step.unit_word"))
    peep = {k: u[f"pp_{k}"] for k in ("i", "f", "o")} if getattr(model, "peephole", False) else None
    chart(step_figures.lstm_cell_figure(numbers, unit, labels_fig, peephole_terms=peep), "update")
    if usable:
        return None                                 # the full page already shows the sidebar's network
    return {"preset": lib.CODE_PRESET, "unit": unit}


def gru_stop(ctx, stop):
    run, model, trace = lib.fresh_trace(stop.preset, "gru")
    step = min(stop.preset.step, len(run.labels) - 1)
    numbers = model.step_numbers(trace, step)
    unit = lib.most_changed_unit(trace, step)
    u = lib.step_terms(model, trace, step, unit)
    st.markdown(ctx.t("lesson.gru.live", t=step, token=tok(run.labels[step]), unit=unit, z=f"{u['z']:.3f}",
                      one_minus_z=f"{u['one_minus_z']:.3f}", r=f"{u['r']:.3f}", n=f"{u['n']:.3f}",
                      h_prev=f"{u['h_prev']:.3f}", h=f"{u['h']:.3f}", H=model.hidden_size,
                      lstm=f"{run.model.num_parameters():,}", gru=f"{model.num_parameters():,}"))
    st.latex(step_text.equations("gru", u))
    names = {name: f"{name}ₜ" for name in numbers.vectors}
    names.update({"x": "xₜ", "h_prev": "hₜ₋₁", "hn": "Wₕₙhₜ₋₁+bₕₙ"})
    vectors = {name: numbers.vectors[name] for name in ("h_prev", "r", "z", "n", "h") if name in numbers.vectors}
    chart(step_figures.state_strips_figure(vectors, names, unit, title=ctx.t("lesson.gru.chart", t=step),
                                           unit_label=ctx.t("step.unit_word")), "gru")
    return {"step": step, "unit": unit, "extra": {"lstmx.vg.gru": True}}


def family_stop(ctx, stop):
    run = lib.preset_run(stop.preset)
    net = run.model
    step = min(stop.preset.step, len(run.labels) - 1)
    rows, output = lib.family_rows(run, ctx.t)
    H = int(net.hidden_size)
    st.markdown(ctx.t("lesson.family.live", L=net.num_layers, D=net.num_directions, H=H, out=output.shape[1],
                      params=f"{net.num_parameters():,}", t=step, token=tok(run.labels[step])))
    st.latex(r"\begin{gathered} x^{(l)}_t = \big[\,\overrightarrow{h}^{(l-1)}_t \,;\,"
             r" \overleftarrow{h}^{(l-1)}_t\,\big] \\"
             r" f_t = \sigma(W_{if} x_t + W_{hf} h_{t-1} + b_f + w_{cf} \odot c_{t-1}) \end{gathered}")
    chart(family_figures.layer_overview_figure(rows, run.labels, np.arange(len(run.labels)),
                                               title=ctx.t("lesson.family.chart"), token_name=ctx.t("common.token")),
          "family")
    chart(family_figures.bidirectional_states_figure(
        output[step, :H], output[step, H:], 0, title=ctx.t("lesson.family.both", t=step),
        row_names=(ctx.t("step.bidir_fwd"), ctx.t("step.bidir_rev"), ctx.t("step.bidir_out")),
        unit_label=ctx.t("step.unit_word")), "family_both")
    return {"step": step, "unit": 0, "extra": {"lstmx.layer": 1}}


def uses_stop(ctx, stop):
    clf, gen = lib.sentiment(ctx.lang), lib.generated(ctx.lang)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ctx.t('lesson.uses.many_to_one')}**")
        if clf is None:
            st.info(ctx.t("lesson.uses.missing"))
        else:
            st.markdown(ctx.t("lesson.uses.sentiment", review=render.escape_markdown(clf["review"]),
                              p=f"{float(clf['p']):.3f}", T=len(clf["labels"]), name=clf["name"]))
            chart(sent_figures.probability_curve(
                [sent_figures.Curve(ctx.t("lesson.uses.review"), clf["labels"], clf["probs"])],
                title=ctx.t("lesson.uses.curve"), step_label=ctx.t("common.token"),
                prob_label=ctx.t("lesson.uses.prob")), "uses")
            st.latex(r"\hat y = \sigma(w^\top h_T + b)")
            if st.button(ctx.t("lesson.open", page=ctx.t("nav.sentiment")), icon=stop.icon, key="lesson.open",
                         on_click=lib.open_full_page,
                         args=(lib.Preset(src="pretrained", model=clf["name"], text=clf["review"]),),
                         kwargs={"extra": {"lstmx.sent.text": clf["review"], "lstmx.sent.model": clf["name"]}}):
                st.switch_page("pages/sentiment.py")
    with right:
        st.markdown(f"**{ctx.t('lesson.uses.one_to_many')}**")
        if gen is None:
            st.info(ctx.t("lesson.uses.missing"))
        else:
            st.markdown(ctx.t("lesson.uses.generate", prime=render.escape_markdown(render.visible(gen["prime"])),
                              n=len(gen["generated"]), name=gen["name"]))
            render.safe_text(gen["text"])
            st.latex(r"x_{t+1} \sim \operatorname{softmax}(W h_t + b)")
            if st.button(ctx.t("lesson.open", page=ctx.t("nav.generate")), icon=":material/edit_note:",
                         key="lesson.open.generate", on_click=lib.open_full_page,
                         args=(lib.Preset(src="pretrained", model=gen["name"], text=gen["text"]),),
                         kwargs={"extra": {"lstmx.gen.prime": gen["prime"], "lstmx.gen.model": gen["name"]}}):
                st.switch_page("pages/generate.py")
    return False                                    # both columns drew their own "open" button


def bptt_stop(ctx, stop):
    run, norms = lib.bptt_norms(stop.preset)
    T = len(run.labels)
    curves, model_of, dashed = {}, {}, []
    for kind, values in norms.items():
        name = ctx.t(f"lesson.model.{kind}")
        curves[ctx.t("bp.norm_h", name=name)], model_of[ctx.t("bp.norm_h", name=name)] = values["h"], kind
        if values["c"] is not None:
            label = ctx.t("bp.norm_c", name=name)
            curves[label], model_of[label] = values["c"], kind
            dashed.append(label)
    st.markdown(ctx.t("lesson.bptt.live", T=T - 1, rnn=g(norms["rnn"]["h"][0]), lstm=g(norms["lstm"]["h"][0]),
                      c=g(norms["lstm"]["c"][0])))
    st.latex(r"\begin{gathered} \delta h_{t-1} = \Big(\frac{\partial h_t}{\partial h_{t-1}}\Big)^{\!\top} \delta h_t"
             r" + \frac{\partial L}{\partial h_{t-1}} \\"
             r" \delta c_{t-1} = f_t \odot \delta c_t + \delta h_{t-1} \odot o_{t-1} \odot (1 - \tanh^2 c_{t-1})"
             r" \end{gathered}")
    chart(bp_figures.delta_norms_figure(curves, np.arange(T), run.labels, model_of=model_of, dashed=dashed,
                                        title=ctx.t("lesson.bptt.chart"), x_title=ctx.t("common.step"),
                                        y_title=ctx.t("lesson.bptt.y"), hover=hover(ctx)), "bptt")
    return {"step": T - 1}


VIEWS = {"rnn": rnn_stop, "vanishing": vanishing_stop, "belt": belt_stop, "forget": gate_stop, "input": gate_stop,
         "output": gate_stop, "update": update_stop, "gru": gru_stop, "family": family_stop, "uses": uses_stop,
         "bptt": bptt_stop}


# ---- the page -------------------------------------------------------------------------------------------------

def current_stop(ctx) -> int:
    """The stop to show (1-based); a bad ``stop`` in the link gives stop 1 and a note."""
    number, problem = lib.parse_stop(st.session_state.get(lib.STOP_KEY))
    st.session_state[lib.STOP_KEY] = number
    urlstate.set_param("stop", number)            # app.py wrote the URL before this check
    if problem:
        st.info(ctx.t(f"lesson.stop_{problem}", n=len(lib.STOPS)), icon=":material/link_off:")
    return number


def navigation(ctx, number: int, where: str) -> None:
    total = len(lib.STOPS)
    prev_col, next_col = st.columns(2)
    prev_col.button(ctx.t("lesson.prev"), icon=":material/arrow_back:", on_click=lib.go_to, args=(number - 1,),
                    disabled=number <= 1, key=f"lesson.prev.{where}", width="stretch")
    next_col.button(ctx.t("lesson.next"), icon=":material/arrow_forward:", icon_position="right",
                    on_click=lib.go_to, args=(number + 1,), disabled=number >= total, key=f"lesson.next.{where}",
                    width="stretch", type="primary")


def _picked() -> None:
    lib.go_to(st.session_state["w.lesson.pick"])


def main() -> None:
    ctx = context.get()              # most stops bring their own network: a problem with the sidebar text is no stop
    st.title(ctx.t("lesson.title"))
    st.caption(ctx.t("lesson.intro"))
    number = current_stop(ctx)
    stop = lib.STOPS[number - 1]
    total = len(lib.STOPS)
    st.session_state["w.lesson.pick"] = number
    st.selectbox(ctx.t("lesson.pick"), list(range(1, total + 1)), key="w.lesson.pick", on_change=_picked,
                 format_func=lambda k: f"{k}. {ctx.t(f'lesson.{lib.STOPS[k - 1].key}.title')}")
    st.progress(number / total, text=ctx.t("lesson.progress", k=number, n=total))
    st.header(f"{number}. {ctx.t(f'lesson.{stop.key}.title')}", anchor=False)
    st.markdown(ctx.t(f"lesson.{stop.key}.body"))
    if stop.preset is not None:
        show_text(ctx, stop.preset.text)
    try:
        opening = VIEWS[stop.key](ctx, stop)
    except (ValueError, FloatingPointError, np.linalg.LinAlgError, OSError, KeyError) as exc:
        st.error(ctx.t("lesson.failed", reason=render.escape_markdown(render.visible(str(exc), 300))),
                 icon=":material/error:")
        opening = None
    page_name = ctx.t(f"nav.{stop.page}")
    if opening is False:                            # the view drew its own links
        pass
    elif opening is None and stop.preset is None:
        st.page_link(f"pages/{stop.page}.py", label=ctx.t("lesson.open", page=page_name), icon=stop.icon)
    elif opening is not None:
        preset = opening.get("preset", stop.preset)
        if st.button(ctx.t("lesson.open", page=page_name), icon=stop.icon, key="lesson.open",
                     on_click=lib.open_full_page, args=(preset,),
                     kwargs={"step": opening.get("step"), "unit": opening.get("unit"), "extra": opening.get("extra")}):
            st.switch_page(f"pages/{stop.page}.py")
    st.divider()
    navigation(ctx, number, "bottom")


main()
