"""Train: RNN vs LSTM vs GRU on long-lag tasks, trained live, with their learning curves side by side.

Thin view: the maths is in lstm_viz.nn.training / lstm_viz.data.tasks, the runs (progress bar, live curves, stored
results and networks, whether a network learned) in lstm_viz.ui.train_runs, the figure in lstm_viz.figures.train.
"""

from __future__ import annotations

import itertools

import numpy as np
import streamlit as st

from lstm_viz.data.tasks import TASKS, make_task
from lstm_viz.figures import train as figures_train
from lstm_viz.ui import context, downloads, i18n, render
from lstm_viz.ui.urlstate import KEY, LAYERS_RANGE
from lstm_viz.ui.train_runs import (KIND_LABELS, MAX_SECONDS_PER_MODEL, RESULTS_KEY, curve_table,
                                    default_network_label, learned_threshold, on_pick_network, run_training,
                                    show_on_other_pages, step_seconds, store_network)

MAX_STEPS = 3000
# Defaults that finish in well under a minute for the three models on one shared core and still separate them:
# at T = 20, H = 16, lr 0.03 the GRU and the LSTM solve the adding problem within 500 steps, the RNN does not.
DEFAULT_LENGTH, DEFAULT_HIDDEN, DEFAULT_STEPS, DEFAULT_LR = 20, 16, 500, 0.03
HIDDEN_CHOICES = (8, 16, 32, 64, 128)
LR_CHOICES = (0.001, 0.003, 0.01, 0.03)
LANG = context.get().lang
st.session_state[KEY["tbidir"]] = bool(st.session_state.get(KEY["tbidir"], False))   # a toggle's bool


def t(key: str, **fmt) -> str:
    return i18n.t(key, LANG, **fmt)


def class_label(task, index: int) -> str:
    name = task.classes[index]
    return t(f"train.class.{name}") if task.name == "brackets" else name


def metric_title(task) -> str:
    return t("train.metric.adding") if task.kind == "regression" else t("train.metric.accuracy")


def curves_figure(task, runs: dict):
    """The loss / metric curves of ``runs`` (label -> run with "losses", "metrics") on ``task``."""
    regression = task.kind == "regression"
    return figures_train.training_curves_figure(
        {label: run["losses"] for label, run in runs.items()},
        {label: run["metrics"] for label, run in runs.items()},
        loss_title=t("train.loss.mse") if regression else t("train.loss.ce"), metric_title=metric_title(task),
        step_title=t("train.step_axis"), baseline=task.baseline_mse if regression else None,
        baseline_label=t("train.baseline"), chance=None if regression else 1.0 / task.output_size,
        chance_label=t("train.chance"),
    )


def did_not_learn(task, run: dict) -> bool:
    """Finished with test numbers, and they are not good enough (interrupted / diverged runs have their own note)."""
    return run.get("learned") is False and run["stopped"] not in ("interrupted", "diverged")


def not_learned_message(task, label: str, run: dict) -> str:
    if task.kind == "regression":
        return t("train.not_learned.adding", model=label, steps=run["steps"], loss=f"{run['test_loss']:.3f}",
                 baseline=f"{task.baseline_mse:.3f}", threshold=f"{learned_threshold(task):.3f}")
    return t("train.not_learned.class", model=label, steps=run["steps"], accuracy=f"{run['test_metric']:.0%}",
             chance=f"{1.0 / task.output_size:.0%}", threshold=f"{learned_threshold(task):.0%}")


# ---------------------------------------------------------------------------------------------- page

st.title(t("train.title"))
st.caption(t("train.intro"))

task_names = list(TASKS)
with st.form("train.form"):
    st.subheader(t("train.settings"))
    left, right = st.columns(2)
    with left:
        task_name = st.selectbox(t("train.task"), task_names, format_func=lambda n: t(f"train.task.{n}"),
                                 key="train.task")
        length = st.slider(t("train.length"), min_value=4, max_value=200, value=DEFAULT_LENGTH, step=2,
                           help=t("train.length_help"), key="train.length")
        kinds = st.multiselect(t("train.models"), list(KIND_LABELS), default=["rnn", "lstm", "gru"],
                               format_func=KIND_LABELS.get, key="train.kinds")
        hidden = st.select_slider(t("train.hidden"), options=HIDDEN_CHOICES, value=DEFAULT_HIDDEN, key="train.hidden")
        layers_col, bidir_col = st.columns(2, vertical_alignment="bottom")
        num_layers = layers_col.number_input(t("train.layers"), min_value=LAYERS_RANGE[0], max_value=LAYERS_RANGE[1],
                                             step=1, key=KEY["tlayers"], help=t("train.family_help"))
        bidirectional = bidir_col.toggle(t("train.bidir"), key=KEY["tbidir"], help=t("train.family_help"))
    with right:
        steps = st.number_input(t("train.steps"), min_value=1, max_value=MAX_STEPS, value=DEFAULT_STEPS, step=100,
                                key="train.steps")
        lr = st.select_slider(t("train.lr"), options=LR_CHOICES, value=DEFAULT_LR, key="train.lr")
        clip = st.toggle(t("train.clip"), value=True, help=t("train.clip_help"), key="train.clip")
        forget_one = st.toggle(t("train.forget_bias"), value=True, help=t("train.forget_bias_help"),
                               key="train.fbias")
        seed = st.number_input(t("train.seed"), min_value=0, max_value=10_000, value=0, step=1, key="train.seed")
    submitted = st.form_submit_button(t("train.start"), type="primary", icon=":material/play_arrow:")

st.caption(t(f"train.task_help.{task_name}"))
if not kinds:
    st.warning(t("train.models_empty"), icon=":material/warning:")
else:
    steps = int(min(max(int(steps), 1), MAX_STEPS))
    per_step = sum(step_seconds(task_name, int(length), kind, int(hidden), int(num_layers), bool(bidirectional))
                   for kind in kinds)
    expected = min(per_step * steps, MAX_SECONDS_PER_MODEL * len(kinds))
    st.info(t("train.expected_time", seconds=f"{expected:.0f}" if expected >= 10 else f"{expected:.1f}",
              steps=steps, models=len(kinds)) + ("" if LANG == "zh" else " ")
            + t("train.capped", seconds=f"{MAX_SECONDS_PER_MODEL:.0f}"),
            icon=":material/schedule:")

if submitted and kinds:
    settings = {"task": task_name, "length": int(length), "kinds": list(kinds), "hidden": int(hidden),
                "steps": int(steps), "lr": float(lr), "clip": bool(clip),
                "forget_bias": 1.0 if forget_one else 0.0, "seed": int(seed),
                "num_layers": int(num_layers), "bidirectional": bool(bidirectional)}
    st.caption(t("train.stop_hint"))
    live_task = make_task(settings["task"], settings["length"])
    st.subheader(t("train.curves"))
    live_chart, chart_ids = st.empty(), itertools.count()

    def redraw(runs_so_far: dict) -> None:
        """Called by the train loop about twice a second: the curves so far replace the previous drawing."""
        shown = {label: run for label, run in runs_so_far.items() if len(run["losses"])}
        if shown:
            fig = curves_figure(live_task, shown)
            # no key: the browser updates the drawn chart in place instead of mounting a new one each time;
            # meta makes every drawing's element id unique (two identical drawings would clash)
            fig.update_layout(meta=next(chart_ids))
            live_chart.plotly_chart(fig, width="stretch")

    results = run_training(settings, t, redraw=redraw)
    st.session_state[RESULTS_KEY] = results
    label = default_network_label(results)
    st.session_state["train.use"] = label
    store_network(label)
    st.rerun()  # redraw the sidebar, which now offers the trained network

results = st.session_state.get(RESULTS_KEY)
runs = {label: run for label, run in (results or {}).get("runs", {}).items() if len(run["losses"])}
if not runs:
    st.info(t("train.no_results"), icon=":material/model_training:")
    st.stop()

# ---- curves -----------------------------------------------------------------------------------------
settings = results["settings"]
task = make_task(settings["task"], settings["length"])
regression = task.kind == "regression"
metric_name = metric_title(task)
st.subheader(t("train.curves"))
for label, run in runs.items():
    if run["stopped"] == "interrupted":
        st.warning(t("train.interrupted", model=label, steps=len(run["losses"])), icon=":material/pause_circle:")
    elif run["stopped"] == "time":
        st.warning(t("train.stopped_time", model=label, steps=run["steps"]), icon=":material/timer:")
    elif run["stopped"] == "diverged":
        st.error(t("train.diverged", model=label, steps=run["steps"]), icon=":material/error:")
    if did_not_learn(task, run):
        st.warning(not_learned_message(task, label, run), icon=":material/trending_flat:")
fig = curves_figure(task, runs)
st.plotly_chart(fig, width="stretch")
st.caption(t("train.curves_caption", metric=metric_name,
             reference=t("train.baseline") if regression else t("train.chance")))
downloads.figure_downloads(fig, curve_table(runs), f"training_curves_{task.name}_T{task.length}", lang=LANG)

# ---- final numbers ----------------------------------------------------------------------------------
st.subheader(t("train.results"))
st.dataframe(
    {
        t("train.col.model"): list(runs),
        t("train.col.loss"): [round(float(run["test_loss"]), 5) for run in runs.values()],
        t("train.col.metric", metric=metric_name): [round(float(run["test_metric"]), 3) for run in runs.values()],
        t("train.col.steps"): [len(run["losses"]) for run in runs.values()],
        t("train.col.seconds"): [round(float(run["seconds"]), 1) for run in runs.values()],
        t("train.col.params"): [int(run["params"]) for run in runs.values()],
        t("train.col.learned"): [t("train.learned.no") if did_not_learn(task, run) else
                                 t("train.learned.yes") if run.get("learned") else "–" for run in runs.values()],
    },
    hide_index=True,
)

# ---- the network the other pages show ---------------------------------------------------------------
labels = [label for label in results["networks"] if label in runs]
if st.session_state.get("train.use") not in labels:
    st.session_state["train.use"] = default_network_label(results)
picked = st.radio(t("train.use_network"), labels, key="train.use", horizontal=True, on_change=on_pick_network,
                  help=t("train.use_network_help"),
                  format_func=lambda label: label + (t("train.not_learned_tag") if did_not_learn(task, runs[label])
                                                     else ""))
if st.session_state.get("trained_network") is not results["networks"][picked]:
    store_network(picked)
network = st.session_state["trained_network"]
if did_not_learn(task, runs[picked]):
    st.warning(t("train.stored_not_learned", name=network.name), icon=":material/warning:")
else:
    st.success(t("train.stored", name=network.name), icon=":material/check_circle:")
render.safe_text(network.example_text, max_chars=2000)
st.button(t("train.show_elsewhere"), on_click=show_on_other_pages, icon=":material/visibility:")

# ---- try it -----------------------------------------------------------------------------------------
st.subheader(t("train.try"))
typed = st.text_input(t("train.try_input"), value=network.example_text, max_chars=4000,
                      help=t(f"train.try_format.{task.name}"), key=f"train.try.{task.name}.{task.length}")
try:
    inputs, _ = task.parse_text(typed)
    output = network.answer(typed)
except ValueError as exc:
    st.warning(t("train.bad_input", reason=render.escape_markdown(render.visible(str(exc), limit=300))),
               icon=":material/warning:")
else:
    if regression:
        st.write(t("train.prediction.adding", prediction=float(output[0]), target=task.target_of(inputs)))
    else:
        best = int(np.argmax(output))
        target = task.target_of(inputs)
        if target is None:
            st.write(t("train.prediction.no_target", prediction=class_label(task, best), probability=float(output[best])))
        else:
            st.write(t("train.prediction.class", prediction=class_label(task, best), probability=float(output[best]),
                       target=class_label(task, target)))
